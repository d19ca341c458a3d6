"""The few pieces of SQL that differ between SQLite and PostgreSQL, behind one function each.

Every figure is computed by the database. Durations are whole seconds between two columns;
medians and 90th percentiles use PostgreSQL's ordered-set aggregates, and on SQLite (which
has no ``percentile_cont``) window functions giving the same answers. Tests run every figure
on both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction


def seconds_between(later: str, earlier: str) -> str:
    """SQL for the whole seconds from ``earlier`` to ``later`` (timestamps or dates)."""
    if connection.vendor == "postgresql":
        # date_part answers a double (EXTRACT a numeric, several times slower to sort); whole
        # seconds below 10^8 with microsecond fractions are exact in a double, so FLOOR is too.
        return f"FLOOR(date_part('epoch', CAST({later} AS timestamptz) - CAST({earlier} AS timestamptz)))"
    return f"(CAST(strftime('%%s', {later}) AS INTEGER) - CAST(strftime('%%s', {earlier}) AS INTEGER))"


def day_of(column: str) -> str:
    """SQL for the calendar day (UTC) of a timestamp, as a date."""
    if connection.vendor == "postgresql":
        return f"CAST({column} AT TIME ZONE 'UTC' AS date)"
    return f"date({column})"


def month_of(column: str) -> str:
    """SQL for the calendar month (UTC) of a timestamp, as text 'YYYY-MM'."""
    if connection.vendor == "postgresql":
        return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')"
    return f"strftime('%%Y-%%m', {column})"


# percentile_disc(f) takes the value at rank ceil(f * n), computed in floating point: with
# f = 0.9 a product such as 0.9 * 70 = 63.000000000000007 would round up to rank 64. Asking for
# 0.9 - 1e-9 gives exactly ceil(0.9 n) for every n below 10^8 (0.9 n is a multiple of 0.1, and
# 1e-9 n < 0.1 never crosses one), the nearest rank; tests/reports/test_sql.py checks n = 1..200.
P90_FRACTION = "0.899999999"


def percentiles_sql(values_sql: str, *, with_total: bool = False) -> str:
    """Median and 90th percentile of ``value`` per ``grp`` over the rows of ``values_sql``.

    ``values_sql`` selects two columns, ``grp`` and ``value``. The median is the mean of the
    middle one or two values; the 90th percentile is the nearest-rank value (rank ceil(0.9 n)).
    Answers one row per group: (grp, n, median, p90). ``with_total`` adds group 0 over every
    row (``grp`` must then be an integer).

    PostgreSQL sorts each group once with its ordered-set aggregates (``percentile_cont``,
    ``percentile_disc``, ordered by the same expression so they share one sort; the total by a
    grouping set, without reading the values twice).
    SQLite has neither: it ranks with window functions (ROW_NUMBER, COUNT).
    """
    if connection.vendor == "postgresql":
        group = "CASE WHEN GROUPING(grp) = 1 THEN 0 ELSE grp END" if with_total else "grp"
        grouping = "GROUPING SETS ((grp), ())" if with_total else "grp"
        return f"""
            WITH v AS ({values_sql})
            SELECT {group}, COUNT(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY CAST(value AS double precision)),
                   percentile_disc({P90_FRACTION}) WITHIN GROUP (ORDER BY CAST(value AS double precision))
            FROM v WHERE value IS NOT NULL
            GROUP BY {grouping}
            HAVING COUNT(*) > 0
            ORDER BY 1
        """
    # The values are computed once: SQLite materialises a CTE read twice.
    rows = "SELECT grp, value FROM v UNION ALL SELECT 0, value FROM v" if with_total else "SELECT grp, value FROM v"
    return f"""
        WITH v AS ({values_sql}),
        ranked AS (
            SELECT grp, value,
                   ROW_NUMBER() OVER (PARTITION BY grp ORDER BY value) AS rn,
                   COUNT(*) OVER (PARTITION BY grp) AS n
            FROM ({rows}) every_value WHERE value IS NOT NULL
        )
        SELECT grp, MAX(n),
               AVG(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN value END),
               MAX(CASE WHEN rn = (9 * n + 9) / 10 THEN value END)
        FROM ranked
        GROUP BY grp
        ORDER BY grp
    """


# PostgreSQL settings for the report queries only, local to their transaction: the
# time-to-safety percentile sorts ~330,000 values at 1,000,000 cases, which spills to disk at
# the default work_mem (4MB); and JIT compilation (tens of ms per query, chosen on the
# planner's cost of the aggregates) costs more than it saves on queries of this size.
REPORT_SETTINGS = (("work_mem", "32MB"), ("jit", "off"))


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run an aggregate query; its answer is a handful of rows, never the underlying records."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in REPORT_SETTINGS),
                [value for setting in REPORT_SETTINGS for value in setting],
            )
        cursor.execute(sql, list(params))
        return [tuple(row) for row in cursor.fetchall()]


@dataclass(frozen=True)
class Percentiles:
    count: int
    median_seconds: float | None
    p90_seconds: float | None


def percentiles(values_sql: str, params: list[object], *, with_total: bool = False) -> dict[object, Percentiles]:
    """Median and 90th percentile per group of a (grp, value) query, computed in the database;
    ``with_total`` adds group 0 over every row."""
    return {
        grp: Percentiles(int(n), None if median is None else float(median), None if p90 is None else float(p90))
        for grp, n, median, p90 in fetch(percentiles_sql(values_sql, with_total=with_total), params)
    }
