"""The deadline of a safety action from its type's clock (Europe/London, see common.clock)."""

from __future__ import annotations

from datetime import datetime

from safemoves.common.clock import due_after_hours, due_after_months, due_after_working_days
from safemoves.safety.codes import ClockKind


def due_at(*, clock_kind: str, amount: int, starts_at: datetime) -> datetime:
    """``amount`` hours (real time), working days or calendar months after ``starts_at``."""
    if clock_kind == ClockKind.HOURS:
        return due_after_hours(starts_at, amount)
    if clock_kind == ClockKind.WORKING_DAYS:
        return due_after_working_days(starts_at, amount)
    if clock_kind == ClockKind.MONTHS:
        return due_after_months(starts_at, amount)
    raise ValueError(f"{clock_kind!r} is not a clock kind")
