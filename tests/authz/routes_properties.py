"""Routes of void homes: lettings officers and managers of the landlord; everyone else 404."""

from __future__ import annotations

from typing import Any

from safemoves.organisations.models import Role
from tests.authz.matrix import Route
from tests.factories import World

HOME_MANAGERS = frozenset({Role.LETTINGS_OFFICER, Role.MANAGER})


def _home(world: World) -> None:
    from datetime import date
    from decimal import Decimal

    from safemoves.common.scoping import organisation_scope, scopes_disabled
    from safemoves.organisations.models import Membership
    from safemoves.properties.importing import HomeInput
    from safemoves.properties.services import home_create

    with scopes_disabled():
        membership = Membership.objects.get(user=world.a[Role.LETTINGS_OFFICER])
    with organisation_scope(membership.organisation_id):
        home = home_create(
            membership=membership,
            data=HomeInput(
                address="9 Marsh View, Chatham",
                postcode="ME4 4QZ",
                bedrooms=2,
                floor=0,
                has_lift=False,
                step_free=False,
                wheelchair_standard="3",
                pets_allowed=False,
                weekly_rent=Decimal("101.00"),
                tenancy_offered="7",
                available_from=date(2026, 7, 1),
            ),
        )
    world.extra["home_id"] = home.pk


def _home_id(world: World) -> dict[str, Any]:
    return {"home_id": world.extra["home_id"]}


ROUTES: tuple[Route, ...] = (
    Route("properties:list", HOME_MANAGERS),
    Route(
        "properties:create",
        HOME_MANAGERS,
        methods=("GET", "POST"),
        post_data=lambda world: {"address": "Probe", "postcode": "ME1 1AA", "bedrooms": "1", "floor": "0"},
    ),
    Route("properties:detail", HOME_MANAGERS, kwargs=_home_id, targets_object=True, setup=_home),
    Route(
        "properties:edit",
        HOME_MANAGERS,
        kwargs=_home_id,
        methods=("GET", "POST"),
        post_data=lambda world: {"version": "1", "address": "Probe", "postcode": "ME1 1AA", "bedrooms": "4"},
        targets_object=True,
        setup=_home,
    ),
    Route(
        "properties:withdraw",
        HOME_MANAGERS,
        kwargs=_home_id,
        methods=("POST",),
        post_data=lambda world: {"version": "1"},
        targets_object=True,
        setup=_home,
    ),
    Route(
        "properties:import",
        HOME_MANAGERS,
        methods=("GET", "POST"),
        post_data=lambda world: {"mode": "keep_good_rows"},
        notes="Without a file the form is refused before anything is recorded.",
    ),
    Route("properties:import_template", HOME_MANAGERS),
)
