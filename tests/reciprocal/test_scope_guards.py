"""The scope guards every path: following a foreign key, saving, deleting, decrypting."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from safemoves.cases.models import Case
from safemoves.common.scoping import ScopeError, organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.reciprocal import pool
from tests.factories import World
from tests.reciprocal.factories import circulated_request, make_home, offer_home, reciprocal_case


def test_following_an_offer_to_the_household_refuses_to_decrypt_it(world: World) -> None:
    case = reciprocal_case(world.a, name="Jane Canary-Example")
    request = circulated_request(world.a, case)
    offer_home(world.b, make_home(world.b), request)
    lettings = world.b[Role.LETTINGS_OFFICER]
    with organisation_scope(world.b.organisation.pk):
        [offer] = pool.own_offers(lettings.membership)
        assert offer.request.reference == request.reference  # the anonymous reference, read explicitly
        if connection.vendor == "postgresql":
            # Row-level security (ADR 0020): the other landlord's case is not there to follow.
            with pytest.raises(Case.DoesNotExist):
                _ = offer.request.case
        else:
            followed = offer.request.case  # a foreign key is not filtered by the scoped manager...
            with pytest.raises(ScopeError, match=r"decrypt a field of cases\.Case"):
                _ = followed.lead_name  # ...but its personal data will not open in this scope
            with pytest.raises(ScopeError):
                _ = followed.address
    # The owning landlord still reads it, and so does a deliberate cross-organisation read.
    with organisation_scope(world.a.organisation.pk):
        assert Case.objects.get(pk=case.pk).lead_name == "Jane Canary-Example"
    with scopes_disabled():
        assert Case.objects.get(pk=case.pk).lead_name == "Jane Canary-Example"


def test_saving_or_deleting_another_organisation_s_row_in_a_scope_raises(world: World) -> None:
    home = make_home(world.b)
    with organisation_scope(world.a.organisation.pk):
        home.bedrooms = 4
        with pytest.raises(ScopeError, match=r"refusing to save properties\.Home"), transaction.atomic():
            home.save()
        with pytest.raises(ScopeError, match=r"refusing to delete properties\.Home"), transaction.atomic():
            home.delete()
    with organisation_scope(world.b.organisation.pk):
        home.refresh_from_db()
        assert home.bedrooms != 4
