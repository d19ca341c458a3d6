"""Routes of the safety app: safety actions, agencies, referrals and the options appraisal."""

from __future__ import annotations

from typing import Any

from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from tests.authz.matrix import Route
from tests.factories import World

READERS = frozenset({Role.OFFICER, Role.MANAGER, Role.AUDITOR})
WORKERS = frozenset({Role.OFFICER, Role.MANAGER})


def _case(world: World) -> None:
    from tests.safety.factories import make_case

    if "case_id" not in world.extra:
        world.extra["case_id"] = make_case(world).pk


def _with_case(world: World, build: Any) -> Any:
    from safemoves.cases.models import Case

    _case(world)
    with organisation_scope(world.a.organisation.pk):
        return build(Case.objects.get(pk=str(world.extra["case_id"])))


def _action(world: World) -> None:
    from safemoves.safety.services import safety_actions_for_new_case

    [action] = _with_case(world, lambda case: safety_actions_for_new_case(case, world.a[Role.OFFICER]))
    world.extra["action_id"] = action.pk


def _agency(world: World) -> None:
    from safemoves.safety.services import agency_create
    from tests.safety.factories import give_consent

    def build(case: Any) -> Any:
        give_consent(case, world.a[Role.OFFICER])
        return agency_create(
            organisation_id=world.a.organisation.pk,
            actor=world.a[Role.MANAGER],
            name="Kent Women's Aid",
            kind="womens_aid",
            phone="0300 000 0001",
        )

    world.extra["agency_id"] = _with_case(world, build).pk


def _referral(world: World) -> None:
    from safemoves.safety.models import Agency
    from safemoves.safety.services import agency_referral_create

    _agency(world)

    def build(case: Any) -> Any:
        agency = Agency.objects.get(pk=int(str(world.extra["agency_id"])))
        return agency_referral_create(case=case, actor=world.a[Role.OFFICER], agency=agency)

    world.extra["referral_id"] = _with_case(world, build).pk


def _place(world: World) -> None:
    from safemoves.safety.services import place_add

    place = _with_case(
        world, lambda case: place_add(case=case, actor=world.a[Role.OFFICER], kind="near", area_code="E07000106")
    )
    world.extra["place_id"] = place.pk


def _case_kwargs(world: World) -> dict[str, Any]:
    return {"case_id": world.extra["case_id"]}


def _kwargs(name: str) -> Any:
    return lambda world: {"case_id": world.extra["case_id"], name: world.extra[name]}


ROUTES: tuple[Route, ...] = (
    Route("safety:overdue", WORKERS),
    Route("safety:agencies", READERS),
    Route(
        "safety:agency_new",
        frozenset({Role.MANAGER}),
        methods=("GET", "POST"),
        post_data=lambda world: {"name": "Probe service", "kind": "idva", "phone": "0300 000 0009"},
    ),
    Route("safety:case", READERS, kwargs=_case_kwargs, targets_object=True, setup=_case),
    Route("safety:first_day", WORKERS, kwargs=_case_kwargs, methods=("POST",), targets_object=True, setup=_case),
    Route(
        "safety:action_new",
        WORKERS,
        kwargs=_case_kwargs,
        methods=("GET", "POST"),
        post_data=lambda world: {"action_type": "police_flag"},
        targets_object=True,
        setup=_case,
    ),
    Route(
        "safety:action_complete",
        WORKERS,
        kwargs=_kwargs("action_id"),
        methods=("GET", "POST"),
        post_data=lambda world: {"done_at": "2026-01-05T10:00", "evidence_note": "Locks changed"},
        targets_object=True,
        setup=_action,
    ),
    Route(
        "safety:action_owner",
        WORKERS,
        kwargs=_kwargs("action_id"),
        methods=("GET", "POST"),
        post_data=lambda world: {"owner": str(world.a[Role.MANAGER].pk)},
        targets_object=True,
        setup=_action,
    ),
    Route(
        "safety:action_cancel",
        WORKERS,
        kwargs=_kwargs("action_id"),
        methods=("GET", "POST"),
        post_data=lambda world: {"reason": "Not needed"},
        targets_object=True,
        setup=_action,
    ),
    Route(
        "safety:sanctuary",
        WORKERS,
        kwargs=_case_kwargs,
        methods=("GET", "POST"),
        post_data=lambda world: {"tenant_chooses_to_stay": "on", "tenant_choice_note": "In person, with the IDVA"},
        targets_object=True,
        setup=_case,
    ),
    Route(
        "safety:referral_new",
        WORKERS,
        kwargs=_case_kwargs,
        methods=("GET", "POST"),
        post_data=lambda world: {"agency": str(world.extra["agency_id"]), "purpose": "Outreach"},
        targets_object=True,
        setup=_agency,
    ),
    Route(
        "safety:referral_update",
        WORKERS,
        kwargs=_kwargs("referral_id"),
        methods=("GET", "POST"),
        post_data=lambda world: {"status": "accepted"},
        targets_object=True,
        setup=_referral,
    ),
    Route(
        "safety:appraisal",
        WORKERS,
        kwargs=_case_kwargs,
        methods=("GET", "POST"),
        post_data=lambda world: {"options_considered": ["stay_sanctuary"], "tenant_wishes": "Stay near her mum"},
        targets_object=True,
        setup=_case,
    ),
    Route(
        "safety:place_add",
        WORKERS,
        kwargs=_case_kwargs,
        methods=("GET", "POST"),
        post_data=lambda world: {"kind": "avoid", "postcode": "ME14 1XX", "radius_km": "5"},
        targets_object=True,
        setup=_case,
    ),
    Route(
        "safety:place_remove",
        WORKERS,
        kwargs=_kwargs("place_id"),
        methods=("GET", "POST"),
        targets_object=True,
        setup=_place,
    ),
)
