"""Routes of the move itself (issue 14 item 8, ADR 0028): viewings, sign-up, handover.

As in routes_reciprocal, cross-landlord targets live in a scheme of A and a third landlord C
only, so landlord B is an outsider to all of them. Where A offers (the rehousing side), C
refers; where A refers, C offers.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from safemoves.organisations.models import Role
from tests.authz.matrix import Route
from tests.authz.routes_reciprocal import CASE_WORKERS, OFFERERS, _a_offers_accepted, _a_refers, _key
from tests.factories import World


def _offer(world: World) -> Any:
    from safemoves.common.scoping import scopes_disabled
    from safemoves.reciprocal.models import Offer

    with scopes_disabled():
        return Offer.objects.get(pk=str(world.extra["offer_id"]))


def _a_refers_accepted(world: World) -> None:
    from tests.reciprocal.factories import accept

    _a_refers(world)
    accept(world.a, _offer(world))


def _a_refers_viewing(world: World) -> None:
    from django.utils import timezone

    from safemoves.common.scoping import organisation_scope
    from safemoves.reciprocal.pool import services

    _a_refers_accepted(world)
    c = world.extra["c"]
    with organisation_scope(c.organisation.pk):  # type: ignore[attr-defined]
        viewing = services.viewing_arrange(
            offer=_offer(world),
            actor=c[Role.LETTINGS_OFFICER],  # type: ignore[index]
            starts_at=timezone.now() + timedelta(days=1),
        )
    world.extra["viewing_id"] = viewing.pk


def _a_handed_over(world: World) -> None:
    from django.utils import timezone

    from safemoves.common.scoping import organisation_scope, scopes_disabled
    from safemoves.reciprocal.models import Handover
    from safemoves.reciprocal.pool import services

    _a_offers_accepted(world)
    c = world.extra["c"]
    offer = _offer(world)
    with organisation_scope(c.organisation.pk):  # type: ignore[attr-defined]
        services.handover_consent_record(
            offer=offer,
            actor=c[Role.OFFICER],  # type: ignore[index]
            given_by="The tenant",
            given_on=timezone.localdate(),
            how_given="Signed form",
        )
    with organisation_scope(world.a.organisation.pk):
        move = services.move_record(offer=offer, actor=world.a[Role.LETTINGS_OFFICER], move_date=timezone.localdate())
    with scopes_disabled():
        world.extra["handover_id"] = Handover.objects.get(move=move).pk


ROUTES: tuple[Route, ...] = (
    Route(
        "reciprocal:moving",
        frozenset({Role.LETTINGS_OFFICER, Role.MANAGER, Role.COORDINATOR}),
        kwargs=_key("offer_id"),
        targets_object=True,
        setup=_a_offers_accepted,
        notes="The scheme's coordinator sees the steps as on the offer page, without the place note.",
    ),
    Route(
        "reciprocal:viewing_arrange",
        OFFERERS,
        kwargs=_key("offer_id"),
        methods=("POST",),
        post_data=lambda world: {"starts_at": ""},
        targets_object=True,
        setup=_a_offers_accepted,
    ),
    Route(
        "reciprocal:viewing_outcome",
        CASE_WORKERS,
        kwargs=_key("viewing_id"),
        methods=("POST",),
        post_data=lambda world: {"outcome": ""},
        targets_object=True,
        setup=_a_refers_viewing,
        notes="The rehousing landlord (C here) may cancel its own viewing too.",
    ),
    Route(
        "reciprocal:sign_up",
        OFFERERS,
        kwargs=_key("offer_id"),
        methods=("POST",),
        post_data=lambda world: {"sign_up_on": ""},
        targets_object=True,
        setup=_a_offers_accepted,
    ),
    Route(
        "reciprocal:handover_consent",
        CASE_WORKERS,
        kwargs=_key("offer_id"),
        methods=("POST",),
        post_data=lambda world: {"given_by": ""},
        targets_object=True,
        setup=_a_refers_accepted,
    ),
    Route(
        "reciprocal:handover_detail",
        OFFERERS,
        kwargs=_key("handover_id"),
        methods=("GET", "POST"),
        post_data=lambda world: {"safe_postcode": "NOPE"},
        targets_object=True,
        setup=_a_handed_over,
    ),
)
