"""The protected address of a move is never stored in clear (the canary scan, for this app's rows)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.properties.models import Home
from safemoves.reciprocal.pool import services
from tests.cases.test_canary import _raw_cells
from tests.factories import make_world
from tests.reciprocal.canary import reciprocal_rows
from tests.reciprocal.factories import accept, circulated_request, make_home, offer_home, reciprocal_case


@pytest.mark.django_db(transaction=True)
def test_move_protected_address_is_never_stored_in_clear() -> None:
    [move] = reciprocal_rows(make_world())["reciprocal.move"]
    with scopes_disabled():
        move.new_address = "CANARY-move-new_address-Zq7"
        move.new_postcode = "CANARY-move-new_postcode-Zq7"
        move.save(update_fields=["new_address", "new_postcode"])
    cells = _raw_cells()
    assert [cell for cell in cells if "CANARY-move" in cell] == []
    assert [cell for cell in cells if "4 Bramley Gardens" in cell] == []


@pytest.mark.django_db(transaction=True)
def test_the_uprn_of_a_let_home_is_not_stored_anywhere() -> None:
    world = make_world()
    uprn = "100062099871"
    request = circulated_request(world.a, reciprocal_case(world.a, name="Uprn Canary Case"))
    home = make_home(world.b)
    with scopes_disabled():
        Home.objects.filter(pk=home.pk).update(uprn=uprn)
    assert [cell for cell in _raw_cells() if uprn in cell] == [uprn]  # listed: the void's UPRN is stored
    offer = offer_home(world.b, home, request)
    accept(world.a, offer)
    with organisation_scope(world.b.organisation.pk):
        services.move_record(offer=offer, actor=world.b[Role.LETTINGS_OFFICER], move_date=timezone.localdate())
    assert [cell for cell in _raw_cells() if uprn in cell] == []
