"""Routes of the case file. The target case belongs to landlord A and is assigned to A's officer."""

from __future__ import annotations

from typing import Any

from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from tests.authz.matrix import Route
from tests.cases.factories import make_case
from tests.factories import World

READERS = frozenset({Role.OFFICER, Role.MANAGER, Role.AUDITOR})
WORKERS = frozenset({Role.OFFICER, Role.MANAGER})
MANAGERS = frozenset({Role.MANAGER})
OVERSIGHT = frozenset({Role.MANAGER, Role.AUDITOR})


def _case(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    world.extra["case"] = case


def _case_kwargs(world: World) -> dict[str, Any]:
    case = world.extra["case"]
    assert isinstance(case, Case)
    return {"case_id": case.pk}


def _version(world: World) -> int:
    case = world.extra["case"]
    assert isinstance(case, Case)
    return case.version


def _member_kwargs(world: World) -> dict[str, Any]:
    case = world.extra["case"]
    assert isinstance(case, Case)
    with organisation_scope(case.organisation_id):
        return {"case_id": case.pk, "member_id": case.household.get().pk}


def _perpetrator_kwargs(world: World) -> dict[str, Any]:
    case = world.extra["case"]
    assert isinstance(case, Case)
    with organisation_scope(case.organisation_id):
        return {"case_id": case.pk, "perpetrator_id": case.perpetrators.get().pk}


def _on_case(name: str, allowed: frozenset[Role], methods: tuple[str, ...] = ("GET", "POST"), **extra: Any) -> Route:
    return Route(name, allowed, kwargs=_case_kwargs, methods=methods, targets_object=True, setup=_case, **extra)


ROUTES: tuple[Route, ...] = (
    Route("cases:list", READERS),
    Route("cases:triage", READERS),
    Route("cases:caseloads", MANAGERS),
    Route(
        "cases:open",
        WORKERS,
        methods=("GET", "POST"),
        post_data=lambda world: {"source": "staff", "lead_name": "Probe Person"},
    ),
    _on_case("cases:detail", READERS, methods=("GET",)),
    _on_case("cases:edit", WORKERS, post_data=lambda world: {"version": _version(world), "lead_name": "Probe"}),
    _on_case("cases:contact_rules", WORKERS, post_data=lambda world: {"version": 1, "phone_ok": "on"}),
    _on_case("cases:household_add", WORKERS, post_data=lambda world: {"kind": "child", "name": "Probe Child"}),
    Route(
        "cases:household_remove",
        WORKERS,
        kwargs=_member_kwargs,
        methods=("GET", "POST"),
        targets_object=True,
        setup=_case,
    ),
    _on_case("cases:perpetrator_add", WORKERS, post_data=lambda world: {"name": "Probe", "relationship": "other"}),
    Route(
        "cases:perpetrator_edit",
        WORKERS,
        kwargs=_perpetrator_kwargs,
        methods=("GET", "POST"),
        post_data=lambda world: {"name": "Probe", "relationship": "other"},
        targets_object=True,
        setup=_case,
    ),
    Route(
        "cases:court_order_add",
        WORKERS,
        kwargs=_perpetrator_kwargs,
        methods=("GET", "POST"),
        targets_object=True,
        setup=_case,
        post_data=lambda world: {"order_type": "other"},
    ),
    _on_case("cases:consent_add", WORKERS, post_data=lambda world: {"purpose": "monitoring", "basis": "refused"}),
    _on_case("cases:note_add", WORKERS, post_data=lambda world: {"body": "Probe note"}),
    _on_case("cases:contact", WORKERS, post_data=lambda world: {"channel": "phone", "summary": "Probe call"}),
    _on_case("cases:letter", WORKERS, post_data=lambda world: {"body": "Probe letter"}),
    _on_case("cases:assign", MANAGERS, post_data=lambda world: {"officer": world.a[Role.MANAGER].pk}),
    _on_case("cases:restrict", MANAGERS, post_data=lambda world: {"restricted": ""}),
    _on_case("cases:close", MANAGERS, post_data=lambda world: {"outcome": "no_further_action"}),
    _on_case("cases:access_log", OVERSIGHT, methods=("GET",)),
    _on_case("cases:export_json", OVERSIGHT, methods=("GET",)),
    _on_case("cases:export_html", OVERSIGHT, methods=("GET",)),
)
