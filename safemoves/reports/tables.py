"""What every figure is handed out as: a small table of aggregates, the one source of its chart.

A chart is drawn from its table, and CSV, XLSX and the board pack write the same table, so the
four cannot disagree. Scheme and board tables suppress small counts (1 to 4) so nobody can be
recognised; a landlord's own dashboard shows its own counts unsuppressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

Cell = str | int | float | None

SUPPRESSION_THRESHOLD = 5
SUPPRESSED = "<5"


@dataclass(frozen=True)
class Period:
    """A date range, both days included (UTC days)."""

    start: date
    end: date

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=UTC)

    @property
    def end_at(self) -> datetime:
        """The first moment after the period."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)

    def label(self) -> str:
        return f"{self.start:%d %b %Y} to {self.end:%d %b %Y}"


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    # The column drawn as bars (the first column labels them); None for tables with no chart.
    chart_column: int | None = None
    note: str = ""

    def chart_bars(self) -> list[tuple[str, float | None, str]]:
        """(label, value, shown text) per row; a suppressed or empty cell has no bar."""
        if self.chart_column is None:
            return []
        bars: list[tuple[str, float | None, str]] = []
        for row in self.rows:
            cell = row[self.chart_column]
            value = float(cell) if isinstance(cell, int | float) and not isinstance(cell, bool) else None
            bars.append((str(row[0]), value, format_cell(cell)))
        return bars


def format_cell(cell: Cell) -> str:
    if cell is None:
        return "\u2013"
    if isinstance(cell, float):
        return f"{cell:.1f}"
    return str(cell)


def suppress(count: int) -> int | str:
    """A count for the scheme or the board: 1 to 4 become "<5"; 0 stays 0 (nobody to recognise)."""
    return SUPPRESSED if 0 < count < SUPPRESSION_THRESHOLD else count


def share(numerator: int, denominator: int) -> float | None:
    """A percentage, or None when there is nothing to divide."""
    return None if denominator == 0 else round(100.0 * numerator / denominator, 1)


def suppressed_share(numerator: int, denominator: int) -> float | str | None:
    """A share for the scheme or the board: hidden when either count it rests on is 1 to 4."""
    if denominator == 0:
        return None
    if denominator < SUPPRESSION_THRESHOLD or 0 < numerator < SUPPRESSION_THRESHOLD:
        return SUPPRESSED
    return share(numerator, denominator)


def days(seconds: float | None) -> float | None:
    return None if seconds is None else round(float(seconds) / 86400.0, 1)


def hours(seconds: float | None) -> float | None:
    return None if seconds is None else round(float(seconds) / 3600.0, 1)
