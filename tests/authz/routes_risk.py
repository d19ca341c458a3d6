"""Routes of the risk app: DASH assessments and MARAC referrals of a case of landlord A."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

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


def _assessed(world: World) -> None:
    from safemoves.risk.services import risk_assessment_record
    from tests.safety.factories import answers

    _case(world)
    with organisation_scope(world.a.organisation.pk):
        from safemoves.cases.models import Case

        case = Case.objects.get(pk=str(world.extra["case_id"]))
        assessment = risk_assessment_record(case=case, actor=world.a[Role.OFFICER], answers=answers(16))
    world.extra["assessment_id"] = assessment.pk


def _referred(world: World) -> None:
    from safemoves.cases.models import Case
    from safemoves.risk.services import marac_referral_record

    _assessed(world)
    with organisation_scope(world.a.organisation.pk):
        case = Case.objects.get(pk=str(world.extra["case_id"]))
        referral = marac_referral_record(
            case=case, actor=world.a[Role.OFFICER], area_code="E06000035", referred_on=timezone.localdate()
        )
    world.extra["marac_id"] = referral.pk


def _case_kwargs(world: World) -> dict[str, Any]:
    return {"case_id": world.extra["case_id"]}


def _dash_post(world: World) -> dict[str, Any]:
    from tests.safety.factories import answers

    return {**answers(15), "police_callouts": "1"}


def _today(world: World) -> str:
    return timezone.localdate().isoformat()


ROUTES: tuple[Route, ...] = (
    Route(
        "risk:settings",
        frozenset({Role.MANAGER, Role.ADMIN}),
        methods=("GET", "POST"),
        post_data=lambda world: {
            "area_code": "",
            "high_threshold": "13",
            "medium_threshold": "9",
            "escalation_callouts": "2",
            "escalation_window_months": "12",
        },
    ),
    Route("risk:case", READERS, kwargs=_case_kwargs, targets_object=True, setup=_case),
    Route(
        "risk:assessment_new",
        WORKERS,
        kwargs=_case_kwargs,
        methods=("GET", "POST"),
        post_data=_dash_post,
        targets_object=True,
        setup=_case,
    ),
    Route(
        "risk:assessment_detail",
        READERS,
        kwargs=lambda world: {"case_id": world.extra["case_id"], "assessment_id": world.extra["assessment_id"]},
        targets_object=True,
        setup=_assessed,
    ),
    Route(
        "risk:marac_new",
        WORKERS,
        kwargs=_case_kwargs,
        methods=("GET", "POST"),
        post_data=lambda world: {"area_code": "E06000035", "referred_on": _today(world)},
        targets_object=True,
        setup=_assessed,
    ),
    Route(
        "risk:marac_update",
        WORKERS,
        kwargs=lambda world: {"case_id": world.extra["case_id"], "referral_id": world.extra["marac_id"]},
        methods=("GET", "POST"),
        post_data=lambda world: {"meeting_on": _today(world), "actions_agreed": "Police marker on the address"},
        targets_object=True,
        setup=_referred,
    ),
    Route(
        "risk:marac_transfer",
        WORKERS,
        kwargs=lambda world: {"case_id": world.extra["case_id"], "referral_id": world.extra["marac_id"]},
        methods=("GET", "POST"),
        post_data=lambda world: {"to_area_code": "E07000106", "transferred_on": _today(world)},
        targets_object=True,
        setup=_referred,
    ),
)
