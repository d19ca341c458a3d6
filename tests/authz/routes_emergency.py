"""Routes of the emergency accommodation app: offers of a refuge, emergency or temporary place."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from tests.authz.matrix import Route
from tests.factories import World

WORKERS = frozenset({Role.OFFICER, Role.MANAGER})


def _case(world: World) -> None:
    from tests.safety.factories import make_case

    if "case_id" not in world.extra:
        world.extra["case_id"] = make_case(world).pk


def _offer(world: World) -> None:
    from safemoves.cases.models import Case
    from safemoves.emergency.services import OfferDetails, emergency_offer_record

    _case(world)
    with organisation_scope(world.a.organisation.pk):
        case = Case.objects.get(pk=str(world.extra["case_id"]))
        offer = emergency_offer_record(
            case=case,
            actor=world.a[Role.OFFICER],
            details=OfferDetails(
                kind="refuge", provider="Refuge service", offered_on=timezone.localdate(), area_code="E07000112"
            ),
        )
    world.extra["offer_id"] = offer.pk


def _post(world: World) -> dict[str, Any]:
    return {
        "kind": "emergency",
        "provider": "Probe provider",
        "area_code": "E07000105",
        "offered_on": timezone.localdate().isoformat(),
        "decision": "refused",
        "refusal_reason": "too_far_work",
    }


ROUTES: tuple[Route, ...] = (
    Route(
        "emergency:offer_new",
        WORKERS,
        kwargs=lambda world: {"case_id": world.extra["case_id"]},
        methods=("GET", "POST"),
        post_data=_post,
        targets_object=True,
        setup=_case,
    ),
    Route(
        "emergency:offer_edit",
        WORKERS,
        kwargs=lambda world: {"case_id": world.extra["case_id"], "offer_id": world.extra["offer_id"]},
        methods=("GET", "POST"),
        post_data=_post,
        targets_object=True,
        setup=_offer,
    ),
)
