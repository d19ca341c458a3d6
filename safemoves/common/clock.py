"""Deadlines for safety actions, on the Europe/London clock.

Every datetime going in must be timezone-aware; every datetime coming out is in
:data:`LONDON`. Three kinds of clock, for three kinds of promise:

* :func:`due_after_hours` - "locks changed within 24 hours": elapsed real time. 24 hours
  from 22:00 on the night the clocks go forward ends at 23:00 the next day by the wall clock,
  because that day is only 23 hours long; in autumn it ends at 21:00.
* :func:`due_after_working_days` - "first contact within 1 working day", "circulate within
  5 working days": whole working days in England (Monday to Friday, not an England-and-Wales
  bank holiday), see that function for the exact rule.
* :func:`due_after_months` - "reviews at 3 and 6 months": calendar months by the London
  wall clock, the day clamped to the end of shorter months.

Bank holidays come from the list cached in ``govuk-bank-holidays`` (no network). The list is
finite: asking about a date outside the years it covers raises :class:`ClockError` rather
than silently treating a bank holiday as a working day.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

__all__ = [
    "LONDON",
    "ClockError",
    "bank_holiday_range",
    "bank_holidays",
    "due_after_hours",
    "due_after_months",
    "due_after_working_days",
    "is_working_day",
    "working_days_between",
]

LONDON = ZoneInfo("Europe/London")
_SATURDAY = 5
_ONE_DAY = timedelta(days=1)


class ClockError(ValueError):
    """A deadline cannot be computed correctly (naive datetime, unknown bank holidays...)."""


@cache
def _holiday_data() -> tuple[frozenset[date], date, date]:
    # Imported here: the package imports `requests`, which most callers never need.
    from govuk_bank_holidays.bank_holidays import BankHolidays  # noqa: PLC0415 - imports `requests`; costly

    calendar_ = BankHolidays(use_cached_holidays=True)
    events = calendar_.get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    dates = frozenset(event["date"] for event in events)
    if not dates:
        raise ClockError("The cached bank holiday list for England and Wales is empty")
    # The list covers whole years: every year from the first to the last holiday.
    first = date(min(dates).year, 1, 1)
    last = date(max(dates).year, 12, 31)
    return dates, first, last


def bank_holidays() -> frozenset[date]:
    """England-and-Wales bank holidays known offline (including substitute days)."""
    return _holiday_data()[0]


def bank_holiday_range() -> tuple[date, date]:
    """The first and last dates for which bank holidays are known (whole calendar years)."""
    _, first, last = _holiday_data()
    return first, last


def _london_date(day: date) -> date:
    if isinstance(day, datetime):
        return _to_london(day).date()
    return day


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England-and-Wales bank holiday.

    A datetime is taken as its London date. Raises :class:`ClockError` outside
    :func:`bank_holiday_range`.
    """
    day = _london_date(day)
    holidays, first, last = _holiday_data()
    if not first <= day <= last:
        raise ClockError(
            f"Bank holidays are only known from {first:%d %B %Y} to {last:%d %B %Y}; "
            f"cannot tell whether {day:%d %B %Y} is a working day. Update govuk-bank-holidays."
        )
    return day.weekday() < _SATURDAY and day not in holidays


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``.

    Friday to the next Monday is 1; a date to itself is 0. If ``end`` is before ``start``
    the count is negative (``-working_days_between(end, start)``), e.g. days overdue.
    Datetimes are taken as their London dates.
    """
    start, end = _london_date(start), _london_date(end)
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start + _ONE_DAY
    while day <= end:
        if is_working_day(day):
            count += 1
        day += _ONE_DAY
    return count


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ClockError(f"{moment!r} has no timezone; deadlines need timezone-aware datetimes")


def _to_london(moment: datetime) -> datetime:
    _require_aware(moment)
    return moment.astimezone(LONDON)


def _at_london_wall_clock(day: date, wall_time: time) -> datetime:
    """``day`` at ``wall_time`` in London, resolved to a real instant.

    A wall time the spring change skips (01:30 on the last Sunday of March) becomes the
    instant an hour later (02:30 BST); one the autumn change repeats takes its first, earlier
    occurrence (BST), so a deadline is never later than the clock on the wall suggests.
    """
    naive = datetime.combine(day, wall_time.replace(tzinfo=None, fold=0))
    return naive.replace(tzinfo=LONDON).astimezone(UTC).astimezone(LONDON)


def due_after_hours(start: datetime, hours: int) -> datetime:
    """``hours`` of elapsed real time after ``start``, in London time.

    Real time, not wall-clock time: 24 hours across the night the clocks go forward ends an
    hour later by the wall clock (22:00 Saturday -> 23:00 Sunday), and across the night they
    go back an hour earlier (22:00 Saturday -> 21:00 Sunday). Weekends and bank holidays
    count: a lock change cannot wait for Monday.
    """
    if hours < 0:
        raise ValueError(f"hours must be >= 0, not {hours}")
    start_utc = _to_london(start).astimezone(UTC)
    return (start_utc + timedelta(hours=hours)).astimezone(LONDON)


def due_after_working_days(start: datetime, days: int) -> datetime:
    """The deadline ``days`` working days after ``start``.

    The rule, as a tenancy officer would count it:

    * If ``start`` falls on a working day, the deadline is the same London wall-clock time
      on the ``days``-th working day after that date. Contact due "within 1 working day" of
      a referral at 14:00 on Friday is due by 14:00 on Monday (by 14:00 on Tuesday if
      Monday is a bank holiday).
    * If ``start`` falls on a weekend or bank holiday, the clock starts at 00:00 on the next
      working day, and the deadline is 00:00 on the ``days``-th working day after that one.
      A referral at 10:00 on Saturday, due within 1 working day, is due by 00:00 on Tuesday:
      the officer has all of Monday.
    * ``days=0`` gives ``start`` itself on a working day, else the next working day's start.

    So the deadline always falls on a working day, and a later start never gives an earlier
    deadline. Working days are Monday to Friday and not England-and-Wales bank holidays;
    the clock changes always happen on a Sunday, so the deadline's wall time always exists.
    Raises :class:`ClockError` if the count runs outside :func:`bank_holiday_range`.
    """
    if days < 0:
        raise ValueError(f"days must be >= 0, not {days}")
    local_start = _to_london(start)
    day = local_start.date()
    wall_time = local_start.timetz()
    if not is_working_day(day):
        wall_time = time(0, 0)
        day += _ONE_DAY
        while not is_working_day(day):
            day += _ONE_DAY
    remaining = days
    while remaining:
        day += _ONE_DAY
        if is_working_day(day):
            remaining -= 1
    return _at_london_wall_clock(day, wall_time)


def due_after_months(start: datetime, months: int) -> datetime:
    """The same London wall-clock time ``months`` calendar months after ``start``.

    The day is clamped to the end of a shorter month: 31 January + 1 month is 28 February
    (29 in a leap year); 31 August + 3 months is 30 November. Weekends and bank holidays
    are not skipped: a review "at 3 months" is a date, not a working-day count.
    """
    if months < 0:
        raise ValueError(f"months must be >= 0, not {months}")
    local_start = _to_london(start)
    month_index = local_start.year * 12 + (local_start.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(local_start.day, calendar.monthrange(year, month)[1])
    return _at_london_wall_clock(date(year, month, day), local_start.timetz())
