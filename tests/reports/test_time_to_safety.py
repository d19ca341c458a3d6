"""The time-to-safety summary (``reports.TimeToSafety``, ADR 0024): its figures on a small fixed
data set worked out by hand, and the summary equal to the direct computation after every kind
of write that can change it.

Period 1 to 31 January 2026 (UTC days, both included). Lock changes done after (days):

landlord  cases referred in the period                          figures
A         1 Jan 00:00:00 -> 1;  2 Jan -> 2;  3 Jan -> 3;         n 6, median (3 + 4) / 2 = 3.5,
          4 Jan -> 4 (a second lock change done after 9: the     p90 rank ceil(0.9 x 6) = 6: 10.0
          first counts);  5 Jan -> 5;  31 Jan 23:59:59 -> 10
B         6 Jan -> 1;  7 Jan -> 2;  8 Jan -> 8                   n 3, median 2.0, p90 rank 3: 8.0
scheme    1 1 2 2 3 4 5 8 10                                     n 9, median rank 5: 3.0, p90 rank 9: 10.0

Not counted: A's cases referred 31 Dec 2025 23:59:59 and 1 Feb 2026 00:00:00 (locks done after
an hour), an open lock change, a cancelled one, a police flag done (not a lock change), and a
landlord outside the scheme (done after 100 days). On the scheme page B's 3 cases are "<5".
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safemoves.cases.services import case_purge
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.reports import scheme
from safemoves.reports.services import time_to_safety_rebuild, time_to_safety_rows_sql
from safemoves.reports.tables import Period
from safemoves.safety.catalogue import LOCK_CHANGE, POLICE_FLAG
from safemoves.safety.codes import ActionStatus
from safemoves.safety.models import SafetyAction
from safemoves.safety.services import (
    safety_action_cancel,
    safety_action_complete,
    safety_action_create,
    safety_actions_for_new_case,
)
from tests.factories import World, make_organisation
from tests.reports.factories import action_row, case_row, rows

PERIOD = Period(date(2026, 1, 1), date(2026, 1, 31))
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def at(day: int, month: int = 1, year: int = 2026, *, hour: int = 9, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def locks_done(organisation: Any, received_at: datetime, *after: timedelta) -> None:
    case = case_row(organisation, received_at=received_at)
    for done_after in after:
        action_row(case, LOCK_CHANGE, starts_at=received_at, status="done", done_after=done_after)


@pytest.fixture
def hand_worked(world: World) -> World:
    a, b = world.a.organisation, world.b.organisation
    locks_done(a, at(1, hour=0), 1 * DAY)
    locks_done(a, at(2), 2 * DAY)
    locks_done(a, at(3), 3 * DAY)
    locks_done(a, at(4), 4 * DAY, 9 * DAY)
    locks_done(a, at(5), 5 * DAY)
    locks_done(a, at(31, hour=23, minute=59, second=59), 10 * DAY)
    locks_done(b, at(6), 1 * DAY)
    locks_done(b, at(7), 2 * DAY)
    locks_done(b, at(8), 8 * DAY)
    # Not counted.
    locks_done(a, at(31, 12, 2025, hour=23, minute=59, second=59), HOUR)
    locks_done(a, at(1, 2, hour=0), HOUR)
    open_case = case_row(a, received_at=at(10))
    action_row(open_case, LOCK_CHANGE, starts_at=open_case.received_at)
    cancelled = case_row(a, received_at=at(11))
    action_row(cancelled, LOCK_CHANGE, starts_at=cancelled.received_at, status="cancelled")
    flagged = case_row(a, received_at=at(12))
    action_row(flagged, POLICE_FLAG, starts_at=flagged.received_at, status="done", done_after=HOUR)
    locks_done(make_organisation("Outside the scheme"), at(2), 100 * DAY)
    return world


def test_scheme_figures_by_hand(hand_worked: World) -> None:
    a, b = hand_worked.a.organisation, hand_worked.b.organisation
    table = scheme.scheme_dashboard(hand_worked.scheme.pk, PERIOD)[3]
    assert table.key == "two_clocks"
    found = rows(table)
    assert found["Scheme"] == (9, 3.0, 10.0, 0, None, None)
    assert found[a.name] == (6, 3.5, 10.0, 0, None, None)
    assert found[b.name] == ("<5", "<5", "<5", 0, None, None)
    # A manager of B: the scheme and B's own line, still suppressed.
    own_line = rows(scheme.scheme_dashboard(hand_worked.scheme.pk, PERIOD, only_landlord=b.pk)[3])
    assert own_line == {"Scheme": (9, 3.0, 10.0, 0, None, None), b.name: ("<5", "<5", "<5", 0, None, None)}


def test_landlords_own_figures_by_hand(hand_worked: World) -> None:
    a, b = hand_worked.a.organisation, hand_worked.b.organisation
    # A landlord's own figures are not suppressed.
    with organisation_scope(b.pk):
        assert rows(scheme.time_to_safety_own(b.pk, PERIOD))["Referral to locks changed"] == (3, 2.0, 8.0)
    with organisation_scope(a.pk):
        assert rows(scheme.time_to_safety_own(a.pk, PERIOD))["Referral to locks changed"] == (6, 3.5, 10.0)
        # One day: only the case referred at 23:59:59 on 31 January.
        last_day = Period(date(2026, 1, 31), date(2026, 1, 31))
        assert rows(scheme.time_to_safety_own(a.pk, last_day))["Referral to locks changed"] == (1, 10.0, 10.0)
    assert rows(scheme.scheme_dashboard(hand_worked.scheme.pk, last_day)[3])["Scheme"][:3] == ("<5", "<5", "<5")


def _summary_rows() -> set[tuple[str, int, str, int]]:
    with scopes_disabled(), connection.cursor() as cursor:
        cursor.execute("SELECT case_id, organisation_id, referred_on, seconds FROM reports_timetosafety")
        return {(str(case), int(org), str(day), int(seconds)) for case, org, day, seconds in cursor.fetchall()}


def _direct_rows() -> set[tuple[str, int, str, int]]:
    with scopes_disabled(), connection.cursor() as cursor:
        cursor.execute(time_to_safety_rows_sql(), [LOCK_CHANGE])
        return {(str(case), int(org), str(day), int(seconds)) for case, org, day, seconds in cursor.fetchall()}


def _assert_summary_is_direct(world: World, periods: list[Period]) -> None:
    assert _summary_rows() == _direct_rows()
    members = [world.a.organisation.pk, world.b.organisation.pk]
    for period in periods:
        assert scheme.time_to_safety(world.scheme.pk, period) == scheme.time_to_safety_direct(members, period)


def test_summary_equals_the_direct_computation_by_hand(hand_worked: World) -> None:
    assert len(_summary_rows()) == 12  # nine counted, two outside the period, one outside the scheme
    _assert_summary_is_direct(hand_worked, [PERIOD, Period(date(2025, 12, 1), date(2026, 2, 28))])


def test_rebuild_repairs_the_summary(hand_worked: World) -> None:
    expected = _summary_rows()
    with scopes_disabled(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM reports_timetosafety WHERE seconds < 3 * 86400")
        cursor.execute("UPDATE reports_timetosafety SET seconds = seconds + 1")
    assert _summary_rows() != expected
    assert time_to_safety_rebuild() == 12
    assert _summary_rows() == expected


def test_a_purged_case_leaves_the_summary(hand_worked: World) -> None:
    a = hand_worked.a
    with organisation_scope(a.organisation.pk):
        first = SafetyAction.objects.filter(case__received_at=at(1, hour=0)).get()
        case_purge(case=first.case, actor=a[Role.MANAGER], reason="retention")
    assert len(_summary_rows()) == 11
    _assert_summary_is_direct(hand_worked, [PERIOD])


# --- every kind of write, in any order (Hypothesis) ------------------------------------------

OPEN, COMPLETE, AGAIN, CANCEL, PURGE = "open", "complete", "again", "cancel", "purge"
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just(OPEN), st.booleans(), st.integers(0, 6 * 24 * 60)),  # landlord B?, minutes after 30 Dec
        st.tuples(st.just(COMPLETE), st.integers(0, 20), st.integers(-120, 20_000)),  # case, minutes after referral
        st.tuples(st.just(AGAIN), st.integers(0, 20), st.just(0)),  # a new lock change on a case whose locks are done
        st.tuples(st.just(CANCEL), st.integers(0, 20), st.just(0)),
        st.tuples(st.just(PURGE), st.integers(0, 20), st.just(0)),
    ),
    min_size=1,
    max_size=12,
)
# Periods around the referral days: 30 Dec 2025 to 5 Jan 2026.
CHECKED = [
    Period(date(2025, 12, 31), date(2026, 1, 2)),
    Period(date(2026, 1, 1), date(2026, 1, 1)),
    Period(date(2025, 12, 1), date(2026, 1, 31)),
]


def _run(world: World, step: tuple[str, Any, int], cases: list[Any]) -> None:
    kind, which, minutes = step
    if kind == OPEN:
        landlord = world.b if which else world.a
        case = case_row(
            landlord.organisation, received_at=datetime(2025, 12, 30, tzinfo=UTC) + minutes * timedelta(minutes=1)
        )
        with organisation_scope(landlord.organisation.pk):
            safety_actions_for_new_case(case, landlord[Role.MANAGER])
        cases.append((landlord, case))
        return
    if not cases:
        return
    landlord, case = cases[which % len(cases)]
    actor = landlord[Role.MANAGER]
    with organisation_scope(landlord.organisation.pk):
        if not type(case).objects.filter(pk=case.pk).exists():
            return  # purged
        lock = SafetyAction.objects.filter(case=case, action_type__code=LOCK_CHANGE)
        open_lock = lock.filter(status=ActionStatus.OPEN).first()
        if kind == COMPLETE and open_lock is not None:
            done_at = case.received_at + minutes * timedelta(minutes=1)
            safety_action_complete(action=open_lock, actor=actor, evidence_note="Locks changed.", done_at=done_at)
        elif kind == AGAIN and open_lock is None:
            safety_action_create(case=case, actor=actor, type_code=LOCK_CHANGE, owner=actor)
        elif kind == CANCEL and open_lock is not None:
            safety_action_cancel(action=open_lock, actor=actor, reason="No longer needed.")
        elif kind == PURGE:
            case_purge(case=case, actor=actor, reason="retention")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_summary_equals_the_direct_computation_after_every_write(world: World, steps: list[Any]) -> None:
    with transaction.atomic():
        cases: list[Any] = []
        for step in steps:
            _run(world, step, cases)
            _assert_summary_is_direct(world, CHECKED)
        transaction.set_rollback(True)


def test_the_rebuild_command(hand_worked: World) -> None:
    out = io.StringIO()
    with scopes_disabled(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM reports_timetosafety")
    call_command("report_summaries", "rebuild", stdout=out)
    assert out.getvalue() == "Time to safety: 12 case(s) with their locks changed.\n"
    _assert_summary_is_direct(hand_worked, [PERIOD])
