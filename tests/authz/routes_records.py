"""Routes of readable records (issue 14, item 10): the printable MARAC summary of a case."""

from __future__ import annotations

from typing import Any

from safemoves.cases.models import Case
from safemoves.organisations.models import Role
from tests.authz.matrix import Route
from tests.cases.factories import make_case
from tests.factories import World

WORKERS = frozenset({Role.OFFICER, Role.MANAGER})


def _case(world: World) -> None:
    if "summary_case" not in world.extra:
        world.extra["summary_case"] = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)


def _case_kwargs(world: World) -> dict[str, Any]:
    case = world.extra["summary_case"]
    assert isinstance(case, Case)
    return {"case_id": case.pk}


ROUTES: tuple[Route, ...] = (
    Route("cases:marac_summary", WORKERS, kwargs=_case_kwargs, targets_object=True, setup=_case),
    Route("cases:marac_summary_pdf", WORKERS, kwargs=_case_kwargs, targets_object=True, setup=_case),
)
