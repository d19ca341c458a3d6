"""Each scheme-dashboard figure on a small fixed data set, worked out by hand.

Period 1 January to 30 June 2026. Landlord A raises six requests r1..r6 (created 5..10 Jan,
09:00); landlord B offers its homes:

req  approved after  circulated after  offers (2 days after circulation; decided 1 day later)
r1   1 day           1 day             moved in 1 Feb 2026, tenure 7 -> 2 (as secure)
r2   2 days          1 day             moved in 1 Mar 2026, tenure 7 -> 6 (less secure)
r3   3 days          1 day             accepted
r4   4 days          1 day             accepted
r5   10 days         1 day             six refusals: five "unsafe location", one "too far"
r6   not approved
Lock changes on A's cases k1..k5 (referred 1..5 Jan) done after 12, 24, 36, 48 and 60 hours.
Ledger: A -1, B +1 (2 bedrooms) on 1 Feb and on 1 Mar; A +1 (3 bedrooms) on 15 Dec 2025.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection

from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from safemoves.reports import scheme, selectors
from safemoves.reports.tables import Period
from safemoves.safety.catalogue import LOCK_CHANGE
from tests.factories import World
from tests.reciprocal.factories import make_home
from tests.reports.factories import action_row, case_row, ledger_row, move_row, offer_row, request_row, rows

PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))
D = timedelta(days=1)


@pytest.fixture
def scheme_world(world: World) -> World:
    a, b = world.a.organisation, world.b.organisation
    officer_a, lettings_b = world.a[Role.MANAGER], world.b[Role.LETTINGS_OFFICER]
    home = make_home(world.b)
    requests = []
    for index, (approved, circulated) in enumerate(((1, 1), (2, 1), (3, 1), (4, 1), (10, 1), (None, None))):
        case = case_row(a, received_at=datetime(2026, 1, 1 + index, 9, 0, tzinfo=UTC))
        if index < 5:
            action_row(
                case,
                LOCK_CHANGE,
                starts_at=case.received_at,
                status="done",
                done_after=(12 + 12 * index) * timedelta(hours=1),
            )
        requests.append(
            request_row(
                case, world.scheme, officer_a,
                created_at=datetime(2026, 1, 5 + index, 9, 0, tzinfo=UTC),
                approved_after=None if approved is None else approved * D,
                circulated_after=None if circulated is None else circulated * D,
            )
        )  # fmt: skip
    offers = []
    for request, status in zip(requests[:4], ("moved", "moved", "accepted", "accepted"), strict=True):
        assert request.circulated_at is not None
        offers.append(
            offer_row(
                request, home, lettings_b, offered_at=request.circulated_at + 2 * D, status=status, decided_after=D
            )
        )
    r5 = requests[4]
    assert r5.circulated_at is not None
    for reason in ["unsafe_location"] * 5 + ["too_far"]:
        offer_row(
            r5, home, lettings_b, offered_at=r5.circulated_at + 2 * D, status="refused", decided_after=D,
            refusal_reason=reason,
        )  # fmt: skip
    move_row(offers[0], lettings_b, move_date=date(2026, 2, 1), old_tenure="7", new_tenure="2")
    move_row(offers[1], lettings_b, move_date=date(2026, 3, 1), old_tenure="7", new_tenure="6")
    for day in (datetime(2026, 2, 1, 12, tzinfo=UTC), datetime(2026, 3, 1, 12, tzinfo=UTC)):
        ledger_row(world.scheme, a, delta=-1, bedrooms=2, posted_at=day, by=lettings_b)
        ledger_row(world.scheme, b, delta=1, bedrooms=2, posted_at=day, by=lettings_b)
    ledger_row(world.scheme, a, delta=1, bedrooms=3, posted_at=datetime(2025, 12, 15, 12, tzinfo=UTC), by=officer_a)
    return world


def test_funnel_suppresses_four_and_shows_five(scheme_world: World) -> None:
    # Made 6, approved 5, circulated 5, offered 5 (r1..r5), accepted 4 -> "<5", moved 2 -> "<5".
    table = scheme.funnel(scheme_world.scheme.pk, PERIOD)
    assert table.columns == ("Step", "Scheme")
    assert rows(table) == {
        "Requests made": (6,),
        "Approved": (5,),
        "Circulated": (5,),
        "Offered": (5,),
        "Accepted": ("<5",),
        "Moved": ("<5",),
    }


def test_funnel_with_one_landlord_line(scheme_world: World) -> None:
    b = scheme_world.b.organisation
    table = scheme.funnel(scheme_world.scheme.pk, PERIOD, only_landlord=b.pk)
    assert table.columns == ("Step", "Scheme", b.name)
    # B raised no requests: its line is all zeros beside the scheme's.
    assert rows(table)["Requests made"] == (6, 0)


def test_median_and_p90_days_between_steps(scheme_world: World) -> None:
    # Made -> approved: 1, 2, 3, 4, 10 days: median 3; p90 rank ceil(4.5) = 5 -> 10.
    # Approved -> circulated: five times 1 day. Circulated -> first offer: five times 2 days.
    # Offer -> acceptance: 4 offers (1 day each): hidden. Acceptance -> move: 2 moves: hidden.
    assert rows(scheme.step_times(scheme_world.scheme.pk, PERIOD)) == {
        "Made to approved": (5, 3.0, 10.0),
        "Approved to circulated": (5, 1.0, 1.0),
        "Circulated to first offer": (5, 2.0, 2.0),
        "Offer to acceptance": ("<5", "<5", "<5"),
        "Acceptance to move": ("<5", "<5", "<5"),
    }


def test_share_rehoused_within_90_days(scheme_world: World) -> None:
    # Approved in the period: r1..r5 (5). Moved within 90 days of approval: r1, r2 (2 -> "<5").
    assert rows(scheme.rehoused_within_90_days(scheme_world.scheme.pk, PERIOD)) == {"Scheme": ("<5", 5, "<5")}


def test_refusals_by_reason(scheme_world: World) -> None:
    found = rows(scheme.refusals_by_reason(scheme_world.scheme.pk, PERIOD))
    assert found["The location is not safe for the household"] == (5,)
    assert found["Too far from their support network, school or work"] == ("<5",)
    assert found["Condition of the home"] == (0,)


def test_moves_by_landlord(scheme_world: World) -> None:
    a, b = scheme_world.a.organisation, scheme_world.b.organisation
    assert rows(scheme.moves_by_landlord(scheme_world.scheme.pk, PERIOD)) == {
        "Scheme": ("<5", "<5"),
        a.name: (0, "<5"),
        b.name: ("<5", 0),
    }


def test_tenure_kept(scheme_world: World) -> None:
    # 2 moves, 1 kept (2 is as secure as 7): every count rests on fewer than 5.
    assert rows(scheme.tenure_kept(scheme_world.scheme.pk, PERIOD)) == {"Moves in the period": ("<5", "<5", "<5")}


def test_ledger_balances_month_by_month(scheme_world: World) -> None:
    a, b = scheme_world.a.organisation, scheme_world.b.organisation
    table = scheme.ledger_balances(scheme_world.scheme.pk, PERIOD)
    # A's 3-bedroom entry (Dec 2025) is before the period's months; its balance carries into ledger_now.
    assert table.rows == (
        (a.name, 2, "2026-02", -1),
        (a.name, 2, "2026-03", -2),
        (b.name, 2, "2026-02", 1),
        (b.name, 2, "2026-03", 2),
    )
    assert rows(scheme.ledger_now(scheme_world.scheme.pk, PERIOD)) == {a.name: (-1,), b.name: (2,)}


def test_ledger_of_one_landlord_only(scheme_world: World) -> None:
    b = scheme_world.b.organisation
    table = scheme.ledger_balances(scheme_world.scheme.pk, PERIOD, only_landlord=b.pk)
    assert {row[0] for row in table.rows} == {b.name}


def test_time_to_safety_and_to_a_safe_home(scheme_world: World) -> None:
    # Locks: 12, 24, 36, 48, 60 hours: median 36 h = 1.5 days; p90 rank 5: 60 h = 2.5 days.
    # Moves: 2, so both move figures are hidden.
    a, b = scheme_world.a.organisation, scheme_world.b.organisation
    table = scheme.scheme_dashboard(scheme_world.scheme.pk, PERIOD)[3]
    assert table.key == "two_clocks"
    assert rows(table) == {
        "Scheme": (5, 1.5, 2.5, "<5", "<5", "<5"),
        a.name: (5, 1.5, 2.5, "<5", "<5", "<5"),
        b.name: (0, None, None, 0, None, None),
    }


def _visible_requests() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM reciprocal_moverequest")
        count: int = cursor.fetchone()[0]
    return count


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's")
def test_scheme_figures_see_every_landlord_under_row_level_security(scheme_world: World) -> None:
    """The suite runs as the application role: a raw query sees only the scope's landlord.
    The scheme figures run inside scopes_disabled(); the landlord's own figures stay its own."""
    a, b = scheme_world.a.organisation, scheme_world.b.organisation
    scheme_id = scheme_world.scheme.pk
    # A coordinator (or manager) acting for landlord B, which raised no requests of its own.
    with organisation_scope(b.pk):
        assert _visible_requests() == 0  # row-level security is live: A's six requests are hidden
        assert rows(scheme.funnel(scheme_id, PERIOD))["Requests made"] == (6,)
        assert rows(scheme.funnel(scheme_id, PERIOD, only_landlord=b.pk))["Requests made"] == (6, 0)
        assert rows(scheme.ledger_now(scheme_id, PERIOD)) == {a.name: (-1,), b.name: (2,)}
        assert rows(scheme.scheme_dashboard(scheme_id, PERIOD)[3])["Scheme"] == (5, 1.5, 2.5, "<5", "<5", "<5")
        # B's own dashboard: none of A's lock changes or moves.
        own_b = rows(scheme.time_to_safety_own(b.pk, PERIOD))
        assert own_b == {"Referral to locks changed": (0, None, None), "Referral to a move": (0, None, None)}
        assert rows(selectors.lock_changes_within_24_hours(b.pk, PERIOD, datetime(2026, 6, 30, tzinfo=UTC))) == {
            "Lock changes": (0, 0, None)
        }
        assert _visible_requests() == 0  # the scope is back after the scheme figures
    with organisation_scope(a.pk):
        own_a = rows(scheme.time_to_safety_own(a.pk, PERIOD))
        # Locks 12..60 h (median 1.5 days, p90 2.5). Moves into B's homes (rows B owns):
        # 1 Jan 09:00 -> 1 Feb is 30.625 days, 2 Jan 09:00 -> 1 Mar is 57.625; median 44.125.
        assert own_a == {"Referral to locks changed": (5, 1.5, 2.5), "Referral to a move": (2, 44.1, 57.6)}
        # Lock changes of A done within 24 hours: 12 h, 24 h (of 5).
        assert rows(selectors.lock_changes_within_24_hours(a.pk, PERIOD, datetime(2026, 6, 30, tzinfo=UTC))) == {
            "Lock changes": (2, 5, 40.0)
        }
        assert _visible_requests() == 6
