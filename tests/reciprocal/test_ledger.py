"""The ledger balances to zero across the scheme after any sequence of moves and corrections."""

from __future__ import annotations

import uuid

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Organisation, Role, Scheme
from safemoves.reciprocal import pool
from safemoves.reciprocal.models import LedgerEntry
from safemoves.reciprocal.pool import services
from tests.factories import World

pytestmark = pytest.mark.django_db

LANDLORDS = 4
step = st.tuples(
    st.integers(0, LANDLORDS - 1),  # mover's landlord
    st.integers(1, LANDLORDS - 1),  # offset to the rehousing landlord (never the same)
    st.integers(1, 5),  # bedrooms
    st.booleans(),  # corrected later
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_balances_add_to_zero_after_any_moves(world: World, steps: list[tuple[int, int, int, bool]]) -> None:
    scheme = Scheme.objects.create(name=f"Scheme {uuid.uuid4()}", slug=str(uuid.uuid4())[:40])
    organisations = [world.a.organisation, world.b.organisation]
    organisations += [
        Organisation.objects.create(name=f"Landlord {uuid.uuid4()}", slug=str(uuid.uuid4())[:40], kind="council")
        for _ in range(LANDLORDS - 2)
    ]
    actor = world.a[Role.COORDINATOR]
    expected = dict.fromkeys((org.pk for org in organisations), 0)
    for mover, offset, bedrooms, corrected in steps:
        rehouser = (mover + offset) % LANDLORDS
        entries = services.ledger_post_move(
            scheme_id=scheme.pk,
            move_id=uuid.uuid4(),
            mover_organisation_id=organisations[mover].pk,
            rehousing_organisation_id=organisations[rehouser].pk,
            reference="KMR-TEST2",
            bedrooms=bedrooms,
            actor=actor,
        )
        if corrected:
            services.ledger_correct(entry=entries[0], actor=actor)
        else:
            expected[organisations[mover].pk] -= 1
            expected[organisations[rehouser].pk] += 1
    with scopes_disabled():
        total = LedgerEntry.objects.filter(scheme=scheme).aggregate(total=Sum("delta"))["total"]
        by_size = LedgerEntry.objects.filter(scheme=scheme).values("bedrooms").annotate(total=Sum("delta"))
        assert {row["total"] for row in by_size} <= {0}
    assert total == 0
    balances = pool.ledger_balances([scheme.pk])
    assert dict(balances.items()) == {org: value for org, value in expected.items() if org in balances}
    assert sum(balances.values()) == 0
