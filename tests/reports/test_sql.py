"""The median and nearest-rank 90th percentile the database computes, against Python, for every n."""

from __future__ import annotations

import math

import pytest

from safemoves.reports.sql import percentiles

pytestmark = pytest.mark.django_db


def test_median_and_p90_for_every_count_up_to_200() -> None:
    # Group n holds the values 10, 20, ..., 10 n; group 0 is all of them.
    values = [(n, 10 * k) for n in range(1, 201) for k in range(1, n + 1)]
    numbers = "WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 200) SELECT x FROM s"
    found = percentiles(
        f"SELECT a.x AS grp, 10 * b.x AS value FROM ({numbers}) a JOIN ({numbers}) b ON b.x <= a.x",  # noqa: S608 - constant SQL
        [],
        with_total=True,
    )
    assert set(found) == {0, *range(1, 201)}
    for n in range(1, 201):
        ordered = [10 * k for k in range(1, n + 1)]
        median = (ordered[(n - 1) // 2] + ordered[n // 2]) / 2
        assert (found[n].count, found[n].median_seconds, found[n].p90_seconds) == (
            n,
            median,
            ordered[math.ceil(0.9 * n - 1e-9) - 1],
        ), n
    every = sorted(value for _, value in values)
    total = found[0]
    assert total.count == len(every) == 20100
    assert total.median_seconds == (every[(len(every) - 1) // 2] + every[len(every) // 2]) / 2
    assert total.p90_seconds == every[(9 * len(every) + 9) // 10 - 1]


def test_no_values_no_groups() -> None:
    assert percentiles("SELECT 1 AS grp, 5 AS value WHERE 1 = 0", [], with_total=True) == {}
