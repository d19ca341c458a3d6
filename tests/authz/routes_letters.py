"""Routes of letters: templates (the landlord's own, managers) and letters written from a case."""

from __future__ import annotations

from typing import Any

from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope
from safemoves.letters import services
from safemoves.organisations.models import Role
from tests.authz.matrix import Route
from tests.cases.factories import make_case
from tests.factories import World
from tests.letters.helpers import send_letter

READERS = frozenset({Role.OFFICER, Role.MANAGER, Role.AUDITOR})
WORKERS = frozenset({Role.OFFICER, Role.MANAGER})
TEMPLATE_OWNERS = frozenset({Role.MANAGER, Role.ADMIN})

TEMPLATE_DATA = {
    "name": "Probe",
    "letterhead": "Alpha Homes",
    "sender_name": "{officer_name}",
    "sender_role": "Officer",
    "subject": "About {reference}",
    "body": "Dear {tenant_name}",
    "is_active": "on",
}


def _case(world: World) -> None:
    if "letters_case" not in world.extra:
        world.extra["letters_case"] = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)


def _letter(world: World) -> None:
    _case(world)
    case = world.extra["letters_case"]
    assert isinstance(case, Case)
    world.extra["letter_id"] = send_letter(world, case).pk


def _template(world: World) -> None:
    with organisation_scope(world.a.organisation.pk):
        template, _ = services.letter_template_save(
            organisation_id=world.a.organisation.pk,
            actor=world.a[Role.MANAGER],
            template=None,
            standard_key="",
            changes={**TEMPLATE_DATA, "is_active": True},
        )
    world.extra["template_id"] = template.pk


def _case_kwargs(world: World) -> dict[str, Any]:
    case = world.extra["letters_case"]
    assert isinstance(case, Case)
    return {"case_id": case.pk}


ROUTES: tuple[Route, ...] = (
    Route("letters:templates", TEMPLATE_OWNERS),
    Route("letters:template_new", TEMPLATE_OWNERS, methods=("GET", "POST"), post_data=lambda world: TEMPLATE_DATA),
    Route(
        "letters:template_edit",
        TEMPLATE_OWNERS,
        kwargs=lambda world: {"template_id": world.extra["template_id"]},
        methods=("GET", "POST"),
        post_data=lambda world: {**TEMPLATE_DATA, "name": "Probe changed"},
        targets_object=True,
        setup=_template,
    ),
    Route(
        "letters:write",
        WORKERS,
        kwargs=_case_kwargs,
        methods=("GET", "POST"),
        post_data=lambda world: {"template": "std:offer", "subject": "Offer", "body": "Dear {tenant_name}"},
        targets_object=True,
        setup=_case,
    ),
    Route(
        "letters:pdf",
        READERS,
        kwargs=lambda world: {**_case_kwargs(world), "letter_id": world.extra["letter_id"]},
        targets_object=True,
        setup=_letter,
    ),
)
