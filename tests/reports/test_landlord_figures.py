"""Each landlord-dashboard figure on a small fixed data set, worked out by hand.

Landlord A, period 1 January to 30 June 2026, "now" 30 June 2026 12:00 UTC:

case  received            first contact  state               lock change              police flag
c1    1 Mar 09:00         +2 h           open, medium (new)  done +20 h               done +22 h
c2    2 Mar 09:00         +4 h           open, standard      done +36 h               -
c3    3 Mar 09:00         +10 h          open, not assessed  open (overdue)           open, due 1 Jul
c4    4 Mar 09:00         +30 h          closed 1 Apr, safe  cancelled                -
c5    1 Dec 2025 (before) +1 h           open, high          done +1 h (before)       -
c6    5 Mar 09:00         -              closed 1 May, refuge
c7    1 Sep 2025          -              closed 1 Oct 2025 (before)
Landlord B has a case in the period with first contact after 1 hour: it must change nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from safemoves.cases.models import Case, CaseSettings
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.emergency.models import EmergencyOffer
from safemoves.organisations.models import Role
from safemoves.reports import scheme, selectors
from safemoves.reports.tables import Period
from safemoves.safety.catalogue import LOCK_CHANGE, POLICE_FLAG
from tests.factories import World
from tests.reports.factories import action_row, assessment_row, case_row, marac_row, rows

PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))
NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)


def at(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


@pytest.fixture
def landlord_a(world: World) -> int:
    a = world.a.organisation
    officer, manager = world.a[Role.OFFICER], world.a[Role.MANAGER]
    c1 = case_row(a, received_at=at(3, 1), first_contact_after=2 * H, officer=officer)
    c2 = case_row(a, received_at=at(3, 2), first_contact_after=4 * H, officer=officer)
    c3 = case_row(a, received_at=at(3, 3), first_contact_after=10 * H, officer=manager)
    c4 = case_row(
        a, received_at=at(3, 4), first_contact_after=30 * H, status="closed", outcome="safe_at_home",
        closed_at=at(4, 1),
    )  # fmt: skip
    c5 = case_row(a, received_at=at(12, 1, 2025), first_contact_after=1 * H, officer=officer)
    case_row(a, received_at=at(3, 5), status="closed", outcome="refuge", closed_at=at(5, 1))
    case_row(a, received_at=at(9, 1, 2025), status="closed", outcome="refuge", closed_at=at(10, 1, 2025))
    assessment_row(c1, "high", assessed_at=at(3, 1), assessor=officer)
    assessment_row(c1, "medium", assessed_at=at(3, 8), assessor=officer)
    assessment_row(c2, "standard", assessed_at=at(3, 2), assessor=officer)
    assessment_row(c5, "high", assessed_at=at(12, 1, 2025), assessor=officer)
    action_row(c1, LOCK_CHANGE, starts_at=at(3, 1), status="done", done_after=20 * H)
    action_row(c1, POLICE_FLAG, starts_at=at(3, 1), status="done", done_after=22 * H)
    action_row(c2, LOCK_CHANGE, starts_at=at(3, 2), status="done", done_after=36 * H)
    action_row(c3, LOCK_CHANGE, starts_at=at(3, 3))
    police_flag = action_row(c3, POLICE_FLAG, starts_at=at(3, 3))
    with scopes_disabled():
        type(police_flag).objects.filter(pk=police_flag.pk).update(due_at=datetime(2026, 7, 1, tzinfo=UTC))
    action_row(c4, LOCK_CHANGE, starts_at=at(3, 4), status="cancelled")
    action_row(c5, LOCK_CHANGE, starts_at=at(12, 1, 2025), status="done", done_after=1 * H)
    marac_row(c1, date(2026, 2, 1), repeat=False, created_by=officer)
    marac_row(c1, date(2026, 5, 1), repeat=True, created_by=officer)
    marac_row(c5, date(2025, 11, 1), repeat=False, created_by=officer)
    with scopes_disabled():
        CaseSettings.objects.update_or_create(organisation=a, defaults={"caseload_flag": 2})
    # Landlord B: everything here would change A's figures if it leaked in.
    b_case = case_row(world.b.organisation, received_at=at(3, 1), first_contact_after=1 * H)
    action_row(b_case, LOCK_CHANGE, starts_at=at(3, 1), status="done", done_after=1 * H)
    assessment_row(b_case, "high", assessed_at=at(3, 1), assessor=world.b[Role.OFFICER])
    return a.pk


@pytest.fixture(autouse=True)
def _in_landlord_scope(landlord_a: int) -> Iterator[None]:
    """The page runs in the landlord's scope; on PostgreSQL row-level security then shows its rows."""
    with organisation_scope(landlord_a):
        yield


def test_open_cases_by_risk_use_the_newest_assessment(landlord_a: int) -> None:
    # c1 was high, then medium: medium. c4, c6, c7 are closed.
    assert rows(selectors.open_cases_by_risk(landlord_a)) == {
        "High": (1,),
        "Medium": (1,),
        "Standard": (1,),
        "Not assessed": (1,),
    }


def test_safety_actions_due_and_overdue(landlord_a: int) -> None:
    # Open: c3's lock change (due 4 Mar, overdue) and c3's police flag (due 1 Jul, within its clock).
    assert rows(selectors.safety_actions_due(landlord_a, NOW)) == {
        "Change the locks": (1, 0),
        "Police / 999 flag on the address": (0, 1),
    }


def test_share_of_lock_changes_within_24_hours(landlord_a: int) -> None:
    # Counted: c1 (20 h, in time), c2 (36 h, late), c3 (open past 24 h). c4 cancelled, c5 before.
    # 1 of 3 = 33.3 %.
    assert rows(selectors.lock_changes_within_24_hours(landlord_a, PERIOD, NOW)) == {"Lock changes": (1, 3, 33.3)}


def test_lock_change_still_within_its_24_hours_is_not_counted_yet(landlord_a: int) -> None:
    # At 3 Mar 20:00 c3's lock change has run 11 hours: not counted; c1 and c2 are done.
    early = datetime(2026, 3, 3, 20, 0, tzinfo=UTC)
    assert rows(selectors.lock_changes_within_24_hours(landlord_a, PERIOD, early)) == {"Lock changes": (1, 2, 50.0)}


def test_median_and_p90_response_times(landlord_a: int) -> None:
    # First contact, cases referred in the period: 2, 4, 10, 30 hours (c5 is before it).
    # Median (4 + 10) / 2 = 7; 90th percentile: rank ceil(0.9 * 4) = 4, so 30.
    # All urgent actions done: c1 max(20, 22) = 22 h; c2 36 h; c3 still open; c4 cancelled only.
    # Median (22 + 36) / 2 = 29; 90th percentile rank ceil(1.8) = 2, so 36.
    assert rows(selectors.response_times(landlord_a, PERIOD)) == {
        "Referral to first contact": (4, 7.0, 30.0),
        "Referral to all urgent actions done": (2, 29.0, 36.0),
    }


def test_caseload_per_officer_flags_over_the_limit(landlord_a: int, world: World) -> None:
    # Officer: c1, c2, c5 open = 3 > the limit of 2. Manager: c3 = 1.
    officer = world.a[Role.OFFICER].full_name
    manager = world.a[Role.MANAGER].full_name
    assert rows(selectors.caseload_per_officer(landlord_a)) == {officer: (3, "Yes"), manager: (1, "No")}


def test_marac_referrals_and_repeats(landlord_a: int) -> None:
    # 1 Feb and 1 May (a repeat) are in the period; 1 Nov 2025 is not.
    assert rows(selectors.marac_referrals(landlord_a, PERIOD)) == {
        "All referrals": (2,),
        "Repeat referrals (within 12 months)": (1,),
    }


def test_outcomes_of_cases_closed_in_the_period(landlord_a: int) -> None:
    found = rows(selectors.closed_case_outcomes(landlord_a, PERIOD))
    assert found["Made safe at home (sanctuary or other measures)"] == (1,)
    assert found["Went to a refuge"] == (1,)  # c6; c7 closed before the period
    assert sum(count for (count,) in found.values()) == 2


def test_own_time_to_safety(landlord_a: int) -> None:
    # Referral to locks changed: c1 20 h, c2 36 h. Median 28 h = 1.17 days -> 1.2; p90 rank 2: 36 h = 1.5.
    assert rows(scheme.time_to_safety_own(landlord_a, PERIOD))["Referral to locks changed"] == (2, 1.2, 1.5)


def _offer(case: Case, offered_on: date, decision: str, reason: str = "") -> None:
    assert case.assigned_officer is not None
    with scopes_disabled():
        EmergencyOffer.objects.create(
            organisation_id=case.organisation_id, case=case, kind="refuge", provider="Placeholder",
            area_code="E07000110", offered_on=offered_on, decision=decision, refusal_reason=reason,
            created_by=case.assigned_officer,
        )  # fmt: skip


def test_emergency_accommodation_offered_and_refused(landlord_a: int, world: World) -> None:
    # A: 1 Jan (first day) accepted; 10 Feb refused, unsafe area; 3 Mar refused, unsafe area;
    # 30 Jun (last day) refused, other; 15 Mar pending. Not counted: 31 Dec 2025 and 1 Jul 2026
    # (outside the period) and B's refusal on 1 Mar.
    officer = world.a[Role.OFFICER]
    case = case_row(world.a.organisation, received_at=at(12, 20, 2025), officer=officer)
    b_case = case_row(world.b.organisation, received_at=at(2, 1), officer=world.b[Role.OFFICER])
    _offer(case, date(2026, 1, 1), "accepted")
    _offer(case, date(2026, 2, 10), "refused", "unsafe_area")
    _offer(case, date(2026, 3, 3), "refused", "unsafe_area")
    _offer(case, date(2026, 6, 30), "refused", "other")
    _offer(case, date(2026, 3, 15), "pending")
    _offer(case, date(2025, 12, 31), "refused", "unsafe_area")
    _offer(case, date(2026, 7, 1), "accepted")
    _offer(b_case, date(2026, 3, 1), "refused", "unsafe_area")
    table = selectors.emergency_accommodation(landlord_a, PERIOD)
    assert table.key == "emergency"
    assert rows(table) == {
        "Offered": (5,),
        "Accepted": (1,),
        "Refused": (3,),
        "Waiting for the tenant's answer": (1,),
        "Refused: Too far from the tenant's support network": (0,),
        "Refused: Too far from the children's school": (0,),
        "Refused: Too far from the tenant's work": (0,),
        "Refused: Unsafe area": (2,),
        "Refused: Unsuitable for the household's needs": (0,),
        "Refused: Other (say why)": (1,),
    }


def test_the_dashboard_lists_every_table(landlord_a: int) -> None:
    tables = selectors.landlord_dashboard(landlord_a, PERIOD, NOW)
    assert [table.key for table in tables] == [
        "open_by_risk",
        "actions_due",
        "locks_24h",
        "response_times",
        "caseloads",
        "marac",
        "outcomes",
        "two_clocks_own",
        "emergency",
    ]
