"""Routes of the reciprocal scheme.

Landlord A owns every target. Cross-landlord targets live in a scheme of A and a third
landlord C only (A leaves the test scheme), so landlord B is an outsider to all of them,
coordinator included. Where A is the referring landlord, C offers the home; where A offers,
C refers.
"""

from __future__ import annotations

from typing import Any

from safemoves.organisations.models import Role
from tests.authz.matrix import Route
from tests.factories import World

CASE_WORKERS = frozenset({Role.OFFICER, Role.MANAGER})
CASE_READERS = frozenset({Role.OFFICER, Role.MANAGER, Role.AUDITOR})
POOL = frozenset({Role.LETTINGS_OFFICER, Role.MANAGER, Role.COORDINATOR})
OFFERERS = frozenset({Role.LETTINGS_OFFICER, Role.MANAGER})
COORDINATOR = frozenset({Role.COORDINATOR})


def _third(world: World) -> Any:
    from tests.reciprocal.factories import private_scheme, third_landlord

    c = third_landlord()
    private_scheme(world.a, c, leaving=world.scheme)
    world.extra["c"] = c
    return c


def _own_draft(world: World) -> None:
    from tests.reciprocal.factories import draft_request, reciprocal_case

    case = reciprocal_case(world.a)
    world.extra["case_id"] = case.pk
    world.extra["request_id"] = draft_request(world.a, case).pk


def _own_case(world: World) -> None:
    from tests.reciprocal.factories import reciprocal_case

    world.extra["case_id"] = reciprocal_case(world.a).pk


def _own_circulated(world: World) -> None:
    from tests.reciprocal.factories import circulated_request, reciprocal_case

    _third(world)
    world.extra["request_id"] = circulated_request(world.a, reciprocal_case(world.a)).pk


def _a_offers(world: World) -> None:
    from tests.reciprocal.factories import circulated_request, make_home, offer_home, reciprocal_case

    c = _third(world)
    request = circulated_request(c, reciprocal_case(c))
    home = make_home(world.a, postcode="ME14 1XQ")
    world.extra["home_id"] = home.pk
    world.extra["offer_id"] = offer_home(world.a, home, request).pk


def _a_home_proposed(world: World) -> None:
    from safemoves.reciprocal.pool import services
    from tests.reciprocal.factories import circulated_request, make_home, reciprocal_case

    c = _third(world)
    request = circulated_request(c, reciprocal_case(c))
    home = make_home(world.a, postcode="ME14 1XQ")
    proposal = services.proposal_create(
        membership=c[Role.COORDINATOR].membership,
        home=home,
        request=request,
    )
    world.extra["proposal_id"] = proposal.pk


def _a_offers_accepted(world: World) -> None:
    from safemoves.common.scoping import scopes_disabled
    from safemoves.reciprocal.models import Offer
    from tests.reciprocal.factories import accept

    _a_offers(world)
    with scopes_disabled():
        offer = Offer.objects.get(pk=str(world.extra["offer_id"]))
    accept(world.extra["c"], offer)  # type: ignore[arg-type]


def _a_moved(world: World) -> None:
    from django.utils import timezone

    from safemoves.common.scoping import organisation_scope, scopes_disabled
    from safemoves.reciprocal.models import Offer
    from safemoves.reciprocal.pool import services

    _a_offers_accepted(world)
    with scopes_disabled():
        offer = Offer.objects.get(pk=str(world.extra["offer_id"]))
    with organisation_scope(world.a.organisation.pk):
        move = services.move_record(offer=offer, actor=world.a[Role.LETTINGS_OFFICER], move_date=timezone.localdate())
    world.extra["move_id"] = move.pk


def _a_refers(world: World) -> None:
    from tests.reciprocal.factories import circulated_request, make_home, offer_home, reciprocal_case

    c = _third(world)
    request = circulated_request(world.a, reciprocal_case(world.a))
    home = make_home(c, postcode="ME10 4AA")
    world.extra["offer_id"] = offer_home(c, home, request).pk


def _a_refers_moved(world: World) -> None:
    from django.utils import timezone

    from safemoves.common.scoping import organisation_scope, scopes_disabled
    from safemoves.reciprocal.models import LedgerEntry, Offer
    from safemoves.reciprocal.pool import services
    from tests.reciprocal.factories import accept

    _a_refers(world)
    c = world.extra["c"]
    with scopes_disabled():
        offer = Offer.objects.get(pk=str(world.extra["offer_id"]))
    accept(world.a, offer)
    with organisation_scope(c.organisation.pk):  # type: ignore[attr-defined]
        move = services.move_record(
            offer=offer,
            actor=c[Role.LETTINGS_OFFICER],  # type: ignore[index]
            move_date=timezone.localdate(),
        )
    world.extra["move_id"] = move.pk
    with scopes_disabled():
        entry = LedgerEntry.objects.filter(move_id=move.pk).order_by("pk").first()
        assert entry is not None
    world.extra["entry_id"] = entry.pk


def _key(name: str) -> Any:
    return lambda world: {name: world.extra[name]}


POLICY_POST = {
    "live_offer_limit": "1",
    "minimum_areas": "5",
    "offer_expiry_days": "9",
    "circulation_working_days": "5",
    "max_offers": "3",
    "waiting_alert_days": "30",
    "unreasonable_refusal": "review",
}

ROUTES: tuple[Route, ...] = (
    Route("reciprocal:requests", CASE_READERS),
    Route(
        "reciprocal:request_create",
        CASE_WORKERS,
        kwargs=_key("case_id"),
        methods=("GET", "POST"),
        post_data=lambda world: {"bedrooms_needed": "2", "access_need": "3"},
        targets_object=True,
        setup=_own_case,
    ),
    Route("reciprocal:request_detail", CASE_READERS, kwargs=_key("request_id"), targets_object=True, setup=_own_draft),
    Route(
        "reciprocal:request_approve",
        frozenset({Role.MANAGER}),
        kwargs=_key("request_id"),
        methods=("POST",),
        targets_object=True,
        setup=_own_draft,
    ),
    Route(
        "reciprocal:request_circulate",
        frozenset({Role.MANAGER}),
        kwargs=_key("request_id"),
        methods=("POST",),
        targets_object=True,
        setup=_own_draft,
        notes="A draft cannot be circulated: the manager is told why and nothing changes.",
    ),
    Route(
        "reciprocal:request_withdraw",
        CASE_WORKERS,
        kwargs=_key("request_id"),
        methods=("POST",),
        post_data=lambda world: {"reason": "tenant_withdrew"},
        targets_object=True,
        setup=_own_draft,
    ),
    Route(
        "reciprocal:request_close",
        frozenset({Role.MANAGER}),
        kwargs=_key("request_id"),
        methods=("POST",),
        post_data=lambda world: {"reason": "no_suitable_home"},
        targets_object=True,
        setup=_own_circulated,
    ),
    Route("reciprocal:pool", POOL),
    Route("reciprocal:pool_request", POOL, kwargs=_key("request_id"), targets_object=True, setup=_own_circulated),
    Route("reciprocal:homes", OFFERERS),
    Route("reciprocal:home_fits", OFFERERS, kwargs=_key("home_id"), targets_object=True, setup=_a_offers),
    Route(
        "reciprocal:offer_create",
        OFFERERS,
        kwargs=_key("home_id"),
        methods=("POST",),
        post_data=lambda world: {"request": ""},
        targets_object=True,
        setup=_a_offers,
        notes="Without a request the form is refused before anything is recorded.",
    ),
    Route(
        "reciprocal:proposal_decide",
        OFFERERS,
        kwargs=_key("proposal_id"),
        methods=("POST",),
        post_data=lambda world: {"decision": "decline"},
        targets_object=True,
        setup=_a_home_proposed,
        notes="The coordinator proposes; only the home's own lettings staff confirm or decline.",
    ),
    Route(
        "reciprocal:offer_detail",
        frozenset({Role.LETTINGS_OFFICER, Role.MANAGER, Role.COORDINATOR}),
        kwargs=_key("offer_id"),
        targets_object=True,
        setup=_a_offers,
    ),
    Route(
        "reciprocal:offer_withdraw",
        OFFERERS,
        kwargs=_key("offer_id"),
        methods=("POST",),
        targets_object=True,
        setup=_a_offers,
    ),
    Route(
        "reciprocal:offer_decide",
        CASE_WORKERS,
        kwargs=_key("offer_id"),
        methods=("POST",),
        post_data=lambda world: {"decision": "refuse", "refusal_reason": "too_far", "reasonable_refusal": "yes"},
        targets_object=True,
        setup=_a_refers,
    ),
    Route(
        "reciprocal:identity_release",
        CASE_WORKERS,
        kwargs=_key("offer_id"),
        methods=("POST",),
        targets_object=True,
        setup=_a_refers,
        notes="Refused (with the reason) until she accepts; the refusal is a redirect.",
    ),
    Route(
        "reciprocal:move_record",
        OFFERERS,
        kwargs=_key("offer_id"),
        methods=("GET", "POST"),
        post_data=lambda world: {"move_date": ""},
        targets_object=True,
        setup=_a_offers_accepted,
    ),
    Route("reciprocal:move_detail", OFFERERS, kwargs=_key("move_id"), targets_object=True, setup=_a_moved),
    Route(
        "reciprocal:move_check_in",
        CASE_WORKERS,
        kwargs=_key("move_id"),
        methods=("POST",),
        targets_object=True,
        setup=_a_refers_moved,
    ),
    Route("reciprocal:matching", COORDINATOR, methods=("GET", "POST")),
    Route("reciprocal:ledger", COORDINATOR),
    Route(
        "reciprocal:ledger_correct",
        COORDINATOR,
        kwargs=_key("entry_id"),
        methods=("POST",),
        targets_object=True,
        setup=_a_refers_moved,
    ),
    Route("reciprocal:policy", COORDINATOR, methods=("GET", "POST"), post_data=lambda world: POLICY_POST),
)
