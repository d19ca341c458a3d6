from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safemoves.common.clock import (
    LONDON,
    ClockError,
    bank_holiday_range,
    bank_holidays,
    due_after_hours,
    due_after_months,
    due_after_working_days,
    is_working_day,
    working_days_between,
)

BST = timedelta(hours=1)
GMT = timedelta(0)


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def instant(moment: datetime) -> datetime:
    """The moment in UTC: Python compares and subtracts two datetimes sharing one tzinfo by
    their wall-clock fields, ignoring clock changes, so compare real instants instead."""
    return moment.astimezone(UTC)


# --- bank holidays ------------------------------------------------------------------------


def test_bank_holidays_include_substitute_days() -> None:
    holidays = bank_holidays()

    assert isinstance(holidays, frozenset)
    assert {
        date(2026, 12, 25),
        date(2026, 12, 28),  # Boxing Day falls on a Saturday
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2027, 12, 27),  # Christmas Day falls on a Saturday
        date(2027, 12, 28),  # Boxing Day falls on a Sunday
        date(2028, 1, 3),  # New Year's Day falls on a Saturday
    } <= holidays
    assert date(2026, 12, 26) not in holidays
    assert len([day for day in holidays if day.year == 2027]) == 8


def test_bank_holidays_are_known_for_whole_years_to_the_end_of_2028() -> None:
    assert bank_holiday_range() == (date(2012, 1, 1), date(2028, 12, 31))


# --- working days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 13), True),  # Friday
        (date(2026, 11, 14), False),  # Saturday
        (date(2026, 11, 15), False),  # Sunday
        (date(2026, 12, 24), True),
        (date(2026, 12, 25), False),  # Christmas Day
        (date(2026, 12, 28), False),  # Boxing Day substitute
        (date(2026, 12, 29), True),
        (date(2027, 3, 26), False),  # Good Friday
        (date(2027, 3, 29), False),  # Easter Monday
        (date(2028, 12, 29), True),
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_a_datetime_counts_as_its_london_date() -> None:
    # 23:30 UTC on Friday 5 June 2026 is 00:30 BST on Saturday.
    assert is_working_day(datetime(2026, 6, 5, 23, 30, tzinfo=UTC)) is False
    assert is_working_day(datetime(2026, 6, 5, 22, 30, tzinfo=UTC)) is True


@pytest.mark.parametrize("day", [date(2029, 1, 2), date(2011, 12, 30)])
def test_dates_outside_the_known_holidays_are_refused(day: date) -> None:
    with pytest.raises(ClockError, match="Bank holidays are only known from 01 January 2012"):
        is_working_day(day)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (date(2026, 11, 13), date(2026, 11, 16), 1),  # Friday to Monday
        (date(2026, 11, 13), date(2026, 11, 13), 0),
        (date(2026, 11, 14), date(2026, 11, 15), 0),  # a weekend
        (date(2026, 12, 24), date(2026, 12, 29), 1),  # over Christmas 2026
        (date(2027, 12, 24), date(2028, 1, 4), 4),  # 29, 30, 31 Dec, 4 Jan (3 Jan a holiday)
        (date(2026, 12, 31), date(2027, 12, 31), 253),  # all of 2027
        (date(2026, 11, 16), date(2026, 11, 13), -1),
    ],
)
def test_working_days_between(start: date, end: date, count: int) -> None:
    assert working_days_between(start, end) == count


# --- due after hours ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # Spring forward: the Sunday has 23 hours, so 24 hours end an hour later on the clock.
        (london(2025, 3, 29, 22), london(2025, 3, 30, 23)),
        (london(2026, 3, 28, 22), london(2026, 3, 29, 23)),
        (london(2027, 3, 27, 22), london(2027, 3, 28, 23)),
        # Fall back: the Sunday has 25 hours.
        (london(2025, 10, 25, 22), london(2025, 10, 26, 21)),
        (london(2026, 10, 24, 22), london(2026, 10, 25, 21)),
        (london(2027, 10, 30, 22), london(2027, 10, 31, 21)),
        # No change: the same time the next day.
        (london(2026, 7, 1, 9, 15), london(2026, 7, 2, 9, 15)),
    ],
)
def test_24_hours_are_24_real_hours_across_clock_changes(start: datetime, due: datetime) -> None:
    deadline = due_after_hours(start, 24)

    assert instant(deadline) == instant(due)
    assert deadline.replace(tzinfo=None) == due.replace(tzinfo=None)
    assert instant(deadline) - instant(start) == timedelta(hours=24)
    assert deadline.tzinfo is LONDON


def test_due_after_hours_runs_over_weekends_and_holidays() -> None:
    assert instant(due_after_hours(london(2026, 12, 24, 17), 72)) == instant(london(2026, 12, 27, 17))


def test_due_after_hours_accepts_any_timezone_and_answers_in_london() -> None:
    deadline = due_after_hours(datetime(2026, 6, 1, 12, tzinfo=UTC), 24)

    assert deadline.tzinfo is LONDON
    assert (deadline.day, deadline.hour) == (2, 13)


def test_due_after_hours_rejects_naive_and_negative() -> None:
    with pytest.raises(ClockError, match="has no timezone"):
        due_after_hours(datetime(2026, 6, 1, 12), 24)  # noqa: DTZ001
    with pytest.raises(ValueError, match="hours must be >= 0"):
        due_after_hours(london(2026, 6, 1), -1)


# --- due after working days -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Friday afternoon, 1 working day: Monday afternoon.
        (london(2026, 11, 13, 14), 1, london(2026, 11, 16, 14)),
        # Tuesday, 5 working days: the next Tuesday.
        (london(2026, 11, 10, 9, 30), 5, london(2026, 11, 17, 9, 30)),
        # Christmas 2026: 25 Dec (Fri) and 28 Dec (Boxing Day substitute) are skipped.
        (london(2026, 12, 24, 10), 1, london(2026, 12, 29, 10)),
        (london(2026, 12, 21, 11), 5, london(2026, 12, 30, 11)),
        # Christmas 2027: both substitute days skipped, then the New Year substitute.
        (london(2027, 12, 24, 16), 1, london(2027, 12, 29, 16)),
        (london(2027, 12, 31, 16), 1, london(2028, 1, 4, 16)),
        # Easter 2027 and the spring clock change on the Sunday between: same wall time.
        (london(2027, 3, 25, 9), 1, london(2027, 3, 30, 9)),
        # Spring 2025 and autumn 2026 clock changes over a weekend: same wall time.
        (london(2025, 3, 28, 17, 30), 1, london(2025, 3, 31, 17, 30)),
        (london(2026, 10, 23, 9), 1, london(2026, 10, 26, 9)),
        (london(2027, 10, 29, 23, 45), 2, london(2027, 11, 2, 23, 45)),
        # Month and year ends.
        (london(2026, 1, 30, 12), 1, london(2026, 2, 2, 12)),
        (london(2025, 12, 31, 8), 1, london(2026, 1, 2, 8)),
    ],
)
def test_due_after_working_days_keeps_the_wall_clock_time(start: datetime, days: int, due: datetime) -> None:
    deadline = due_after_working_days(start, days)

    assert instant(deadline) == instant(due)
    assert deadline.replace(tzinfo=None) == due.replace(tzinfo=None)
    assert deadline.tzinfo is LONDON


def test_wall_clock_is_kept_when_the_utc_offset_changes() -> None:
    deadline = due_after_working_days(london(2026, 10, 23, 9), 1)

    assert london(2026, 10, 23, 9).utcoffset() == BST
    assert deadline.utcoffset() == GMT
    assert deadline.hour == 9


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Saturday referral, 1 working day: the officer has all of Monday.
        (london(2026, 11, 14, 10), 1, london(2026, 11, 17)),
        (london(2026, 11, 15, 23, 59), 1, london(2026, 11, 17)),
        # Christmas Day 2026 (Friday): the clock starts on Tuesday 29th.
        (london(2026, 12, 25, 15), 1, london(2026, 12, 30)),
        # Good Friday 2027: the clock starts on Tuesday 30 March.
        (london(2027, 3, 26, 15), 1, london(2027, 3, 31)),
        # Sunday of the spring clock change, then Easter 2026 (3 and 6 April).
        (london(2026, 3, 29, 3), 5, london(2026, 4, 8)),
        # 0 working days: the start of the next working day.
        (london(2026, 11, 14, 10), 0, london(2026, 11, 16)),
    ],
)
def test_start_outside_a_working_day_counts_from_the_next_working_days_start(
    start: datetime, days: int, due: datetime
) -> None:
    assert instant(due_after_working_days(start, days)) == instant(due)


def test_a_utc_start_is_placed_on_its_london_date() -> None:
    # 23:30 UTC on Friday 5 June 2026 is 00:30 BST on Saturday.
    deadline = due_after_working_days(datetime(2026, 6, 5, 23, 30, tzinfo=UTC), 1)

    assert instant(deadline) == instant(london(2026, 6, 9))


def test_zero_working_days_on_a_working_day_is_the_start_itself() -> None:
    start = london(2026, 11, 13, 14)

    assert instant(due_after_working_days(start, 0)) == instant(start)


def test_working_days_beyond_the_known_holidays_are_refused() -> None:
    with pytest.raises(ClockError, match="cannot tell whether 01 January 2029 is a working day"):
        due_after_working_days(london(2028, 12, 29, 9), 1)
    with pytest.raises(ClockError):
        due_after_working_days(london(2030, 6, 3, 9), 1)


def test_due_after_working_days_rejects_naive_and_negative() -> None:
    with pytest.raises(ClockError, match="has no timezone"):
        due_after_working_days(datetime(2026, 6, 1, 12), 1)  # noqa: DTZ001
    with pytest.raises(ValueError, match="days must be >= 0"):
        due_after_working_days(london(2026, 6, 1), -1)


# --- due after months -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (london(2027, 1, 31, 10), 1, london(2027, 2, 28, 10)),
        (london(2028, 1, 31, 10), 1, london(2028, 2, 29, 10)),  # leap year
        (london(2026, 8, 31, 10), 3, london(2026, 11, 30, 10)),
        (london(2026, 11, 30, 10), 3, london(2027, 2, 28, 10)),
        (london(2026, 10, 15, 10), 3, london(2027, 1, 15, 10)),  # over the year end
        (london(2026, 1, 15, 9), 6, london(2026, 7, 15, 9)),  # GMT to BST, same wall time
        (london(2026, 9, 15, 9), 6, london(2027, 3, 15, 9)),  # BST to GMT
        (london(2026, 5, 20, 9), 12, london(2027, 5, 20, 9)),
        (london(2026, 5, 20, 9), 0, london(2026, 5, 20, 9)),
        (london(2031, 5, 20, 9), 3, london(2031, 8, 20, 9)),  # no bank holidays needed
    ],
)
def test_due_after_months_clamps_the_day(start: datetime, months: int, due: datetime) -> None:
    deadline = due_after_months(start, months)

    assert instant(deadline) == instant(due)
    assert deadline.replace(tzinfo=None) == due.replace(tzinfo=None)


def test_due_after_months_on_a_wall_time_the_spring_change_skips_moves_an_hour_on() -> None:
    # 01:30 does not exist on 29 March 2026: the clocks jump from 01:00 GMT to 02:00 BST.
    deadline = due_after_months(london(2026, 1, 29, 1, 30), 2)

    assert instant(deadline) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert (deadline.hour, deadline.minute, deadline.utcoffset()) == (2, 30, BST)


def test_due_after_months_on_a_repeated_wall_time_takes_the_first() -> None:
    # 01:30 happens twice on 25 October 2026; the earlier (BST) one is the deadline.
    deadline = due_after_months(london(2026, 9, 25, 1, 30), 1)

    assert instant(deadline) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert deadline.utcoffset() == BST


def test_due_after_months_rejects_naive_and_negative() -> None:
    with pytest.raises(ClockError, match="has no timezone"):
        due_after_months(datetime(2026, 6, 1, 12), 3)  # noqa: DTZ001
    with pytest.raises(ValueError, match="months must be >= 0"):
        due_after_months(london(2026, 6, 1), -3)


# --- properties -----------------------------------------------------------------------------

starts = st.datetimes(
    min_value=datetime(2012, 1, 2),  # noqa: DTZ001
    max_value=datetime(2028, 9, 30),  # noqa: DTZ001
    timezones=st.just(LONDON),
)
working_day_counts = st.integers(min_value=0, max_value=40)


@given(starts, working_day_counts)
def test_deadline_is_on_a_working_day_and_not_before_the_start(start: datetime, days: int) -> None:
    deadline = due_after_working_days(start, days)

    assert is_working_day(deadline.date())
    assert instant(deadline) >= instant(start)
    assert deadline.tzinfo is LONDON


@given(starts, starts, working_day_counts)
def test_deadline_is_monotonic_in_the_start(first: datetime, second: datetime, days: int) -> None:
    earlier, later = sorted([first, second], key=instant)

    assert instant(due_after_working_days(earlier, days)) <= instant(due_after_working_days(later, days))


@given(starts, working_day_counts)
def test_n_working_days_later_has_exactly_n_working_days_between(start: datetime, days: int) -> None:
    deadline = due_after_working_days(start, days)
    start_day = start.astimezone(LONDON).date()
    # Off a working day, the clock starts on the next working day, which counts too.
    expected = days if is_working_day(start_day) else days + 1

    assert working_days_between(start_day, deadline.date()) == expected


@given(starts, st.integers(min_value=0, max_value=24 * 30))
def test_due_after_hours_is_exact_elapsed_time(start: datetime, hours: int) -> None:
    assert instant(due_after_hours(start, hours)) - instant(start) == timedelta(hours=hours)


@given(starts, st.integers(min_value=0, max_value=120))
def test_due_after_months_lands_in_the_right_month_on_or_before_the_day(start: datetime, months: int) -> None:
    local_start = start.astimezone(LONDON)
    deadline = due_after_months(start, months)

    assert (deadline.year * 12 + deadline.month) - (local_start.year * 12 + local_start.month) == (months)
    assert deadline.day <= local_start.day
    assert instant(deadline) >= instant(start)
