"""Routes of case documents. The target case belongs to landlord A and is assigned to A's officer."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from safemoves.cases.models import Case
from safemoves.organisations.models import Role
from tests.authz.matrix import Route
from tests.cases.factories import make_case
from tests.documents.helpers import add_document, pdf_bytes
from tests.factories import World

READERS = frozenset({Role.OFFICER, Role.MANAGER, Role.AUDITOR})
WORKERS = frozenset({Role.OFFICER, Role.MANAGER})


def _case(world: World) -> None:
    if "documents_case" not in world.extra:
        world.extra["documents_case"] = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)


def _document(world: World) -> None:
    _case(world)
    case = world.extra["documents_case"]
    assert isinstance(case, Case)
    world.extra["document_id"] = add_document(world, case).pk


def _case_kwargs(world: World) -> dict[str, Any]:
    case = world.extra["documents_case"]
    assert isinstance(case, Case)
    return {"case_id": case.pk}


ROUTES: tuple[Route, ...] = (
    Route(
        "documents:upload",
        WORKERS,
        kwargs=_case_kwargs,
        methods=("GET", "POST"),
        post_data=lambda world: {
            "kind": "court_order",
            "file": SimpleUploadedFile("order.pdf", pdf_bytes("Order"), content_type="application/pdf"),
        },
        targets_object=True,
        setup=_case,
    ),
    Route(
        "documents:download",
        READERS,
        kwargs=lambda world: {**_case_kwargs(world), "document_id": world.extra["document_id"]},
        targets_object=True,
        setup=_document,
    ),
)
