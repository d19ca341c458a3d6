"""Scheme-wide figures: the ONE place in reports that reads across landlords.

Why this module exists: the scheme board, the coordinator and each member's manager must see
how the reciprocal scheme performs as a whole (the funnel, times, refusals, moves, the
ledger, time to safety and to a safe home), which needs rows of every member.

How it stays narrow:
* it runs aggregate SQL only (COUNT, SUM, window percentiles) and returns :class:`Table`
  objects of counts, shares and durations: never a model instance, id, reference or date of
  one household;
* every count of households is suppressed when it is 1 to 4 ("<5"), and so is every median
  or share resting on fewer than 5 (``tables.suppress``, ``tables.suppressed_share``);
* landlord lines are whole-landlord aggregates; ``only_landlord`` limits them to one landlord
  (a manager sees the line of their own landlord only, beside the scheme's totals);
* every public function runs inside ``scopes_disabled()`` (:func:`across_landlords`), the
  explicit cross-organisation mechanism of ADR 0020: on PostgreSQL, row-level security would
  otherwise show these raw aggregates only the acting landlord's rows (or none), silently
  giving wrong scheme figures. Nothing else in ``reports`` reads another landlord's rows (a
  test checks it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from typing import ParamSpec, TypeVar

from django.db import connection

from safemoves.cases.codes import TENURE_SECURITY
from safemoves.cases.models import Case, Perpetrator
from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Organisation, SchemeMembership
from safemoves.reciprocal.codes import RefusalReason
from safemoves.reciprocal.models import LedgerEntry, Move, MoveRequest, Offer
from safemoves.reports.models import TimeToSafety
from safemoves.reports.services import time_to_safety_rows_sql
from safemoves.reports.sql import Percentiles, fetch, month_of, percentiles, seconds_between
from safemoves.reports.tables import (
    SUPPRESSED,
    SUPPRESSION_THRESHOLD,
    Cell,
    Period,
    Table,
    days,
    suppress,
    suppressed_share,
)
from safemoves.safety.catalogue import LOCK_CHANGE

CASE = Case._meta.db_table
REQUEST = MoveRequest._meta.db_table
OFFER = Offer._meta.db_table
MOVE = Move._meta.db_table
LEDGER = LedgerEntry._meta.db_table
ORGANISATION = Organisation._meta.db_table
MEMBERSHIP = SchemeMembership._meta.db_table
SUMMARY = TimeToSafety._meta.db_table

_P = ParamSpec("_P")
_R = TypeVar("_R")


def across_landlords(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a scheme-wide aggregate with every landlord's rows visible (``scopes_disabled()``)."""

    @functools.wraps(function)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with scopes_disabled():
            return function(*args, **kwargs)

    return wrapper


REHOUSED_WITHIN_DAYS = 90
WITHIN_SECONDS = REHOUSED_WITHIN_DAYS * 86400


def _dt(value: datetime) -> object:
    return connection.ops.adapt_datetimefield_value(value)


def _period(period: Period) -> list[object]:
    return [_dt(period.start_at), _dt(period.end_at)]


def _dates(period: Period) -> list[object]:
    return [connection.ops.adapt_datefield_value(period.start), connection.ops.adapt_datefield_value(period.end)]


def _members(scheme_id: int) -> list[tuple[int, str]]:
    rows = fetch(
        f"""
        SELECT o.id, o.name FROM {MEMBERSHIP} sm JOIN {ORGANISATION} o ON o.id = sm.organisation_id
        WHERE sm.scheme_id = %s ORDER BY o.name
        """,
        [scheme_id],
    )
    return [(int(pk), str(name)) for pk, name in rows]


def _lines(scheme_id: int, only_landlord: int | None) -> list[tuple[int, str]]:
    return [(pk, name) for pk, name in _members(scheme_id) if only_landlord is None or pk == only_landlord]


def _suppressed_days(figure: Percentiles | None) -> tuple[Cell, Cell, Cell]:
    """(count, median days, 90th percentile days), hidden under 5 households."""
    if figure is None or figure.count == 0:
        return (0, None, None)
    if figure.count < SUPPRESSION_THRESHOLD:
        return (SUPPRESSED, SUPPRESSED, SUPPRESSED)
    return (figure.count, days(figure.median_seconds), days(figure.p90_seconds))


# --- the funnel -----------------------------------------------------------------------------

FUNNEL_STEPS = ("Requests made", "Approved", "Circulated", "Offered", "Accepted", "Moved")


def _funnel_counts(scheme_id: int, period: Period, landlord: int | None) -> list[int]:
    landlord_sql = "" if landlord is None else "AND r.organisation_id = %s"
    params: list[object] = [scheme_id, *_period(period)] + ([] if landlord is None else [landlord])
    row = fetch(
        f"""
        SELECT COUNT(*), COUNT(r.approved_at), COUNT(r.circulated_at),
               COUNT(o.request_id), COALESCE(SUM(o.accepted), 0), COUNT(m.id)
        FROM {REQUEST} r
        -- One row per request with offers (a join, not two probes per request).
        LEFT JOIN (
            SELECT request_id, MAX(CASE WHEN status IN ('accepted', 'moved') THEN 1 ELSE 0 END) AS accepted
            FROM {OFFER} GROUP BY request_id
        ) o ON o.request_id = r.id
        LEFT JOIN {MOVE} m ON m.request_id = r.id
        WHERE r.scheme_id = %s AND r.created_at >= %s AND r.created_at < %s {landlord_sql}
        """,
        params,
    )[0]
    return [int(value) for value in row]


@across_landlords
def funnel(scheme_id: int, period: Period, only_landlord: int | None = None) -> Table:
    """Requests made in the period and how far each got."""
    scheme_counts = _funnel_counts(scheme_id, period, None)
    columns: tuple[str, ...] = ("Step", "Scheme")
    lines = _lines(scheme_id, only_landlord) if only_landlord is not None else []
    landlord_counts = [_funnel_counts(scheme_id, period, pk) for pk, _ in lines]
    columns += tuple(name for _, name in lines)
    rows = tuple(
        (step, suppress(scheme_counts[index]), *(suppress(counts[index]) for counts in landlord_counts))
        for index, step in enumerate(FUNNEL_STEPS)
    )
    return Table("funnel", "The funnel: requests made in the period", columns, rows, 1)


STEP_LABELS = (
    ("1_approved", "Made to approved"),
    ("2_circulated", "Approved to circulated"),
    ("3_offered", "Circulated to first offer"),
    ("4_accepted", "Offer to acceptance"),
    ("5_moved", "Acceptance to move"),
)


@across_landlords
def step_times(scheme_id: int, period: Period) -> Table:
    """Median and 90th-percentile days between the steps, for requests made in the period."""
    # The period's requests are read once (a CTE named twice is computed once), not per step.
    requests = f"""
        SELECT r.id, r.created_at, r.approved_at, r.circulated_at FROM {REQUEST} r
        WHERE r.scheme_id = %s AND r.created_at >= %s AND r.created_at < %s
    """
    sql = f"""
        WITH r AS ({requests})
        SELECT '1_approved' AS grp, {seconds_between("r.approved_at", "r.created_at")} AS value
        FROM r WHERE r.approved_at IS NOT NULL
        UNION ALL
        SELECT '2_circulated', {seconds_between("r.circulated_at", "r.approved_at")}
        FROM r WHERE r.circulated_at IS NOT NULL AND r.approved_at IS NOT NULL
        UNION ALL
        SELECT '3_offered', {seconds_between("MIN(o.offered_at)", "r.circulated_at")}
        FROM r JOIN {OFFER} o ON o.request_id = r.id
        WHERE r.circulated_at IS NOT NULL GROUP BY r.id, r.circulated_at
        UNION ALL
        SELECT '4_accepted', {seconds_between("o.decided_at", "o.offered_at")}
        FROM r JOIN {OFFER} o ON o.request_id = r.id
        WHERE o.status IN ('accepted', 'moved') AND o.decided_at IS NOT NULL
        UNION ALL
        SELECT '5_moved', {seconds_between("m.move_date", "o.decided_at")}
        FROM r JOIN {MOVE} m ON m.request_id = r.id JOIN {OFFER} o ON o.id = m.offer_id
        WHERE o.decided_at IS NOT NULL
    """
    found = percentiles(sql, [scheme_id, *_period(period)])
    rows = tuple((label, *_suppressed_days(found.get(key))) for key, label in STEP_LABELS)
    return Table(
        "step_times",
        "Days between the steps",
        ("Step", "Requests", "Median days", "90th percentile days"),
        rows,
        2,
        "Requests made in the period; figures resting on fewer than 5 requests are hidden.",
    )


@across_landlords
def rehoused_within_90_days(scheme_id: int, period: Period, only_landlord: int | None = None) -> Table:
    """Of the requests approved in the period, the share moved within 90 days of approval."""

    def counts(landlord: int | None) -> tuple[int, int]:
        landlord_sql = "" if landlord is None else "AND r.organisation_id = %s"
        params: list[object] = [scheme_id, *_period(period)] + ([] if landlord is None else [landlord])
        moved, approved = fetch(
            f"""
            SELECT COALESCE(SUM(CASE WHEN m.id IS NOT NULL
                                      AND {seconds_between("m.move_date", "r.approved_at")} <= {WITHIN_SECONDS}
                                 THEN 1 ELSE 0 END), 0),
                   COUNT(*)
            FROM {REQUEST} r LEFT JOIN {MOVE} m ON m.request_id = r.id
            WHERE r.scheme_id = %s AND r.approved_at >= %s AND r.approved_at < %s {landlord_sql}
            """,
            params,
        )[0]
        return int(moved), int(approved)

    rows: list[tuple[Cell, ...]] = []
    moved, approved = counts(None)
    rows.append(("Scheme", suppress(moved), suppress(approved), suppressed_share(moved, approved)))
    if only_landlord is not None:
        for pk, name in _lines(scheme_id, only_landlord):
            moved, approved = counts(pk)
            rows.append((name, suppress(moved), suppress(approved), suppressed_share(moved, approved)))
    return Table(
        "rehoused_90",
        f"Rehoused within {REHOUSED_WITHIN_DAYS} days of approval",
        ("Landlord", "Moved in time", "Approved requests", "Share (%)"),
        tuple(rows),
        3,
    )


@across_landlords
def refusals_by_reason(scheme_id: int, period: Period) -> Table:
    rows = fetch(
        f"""
        SELECT o.refusal_reason, COUNT(*) FROM {OFFER} o JOIN {REQUEST} r ON r.id = o.request_id
        WHERE r.scheme_id = %s AND o.status = 'refused' AND o.decided_at >= %s AND o.decided_at < %s
        GROUP BY o.refusal_reason
        """,
        [scheme_id, *_period(period)],
    )
    counts = {reason: int(n) for reason, n in rows}
    return Table(
        "refusals",
        "Refusals by reason",
        ("Reason", "Refusals"),
        tuple((reason.label, suppress(counts.get(reason.value, 0))) for reason in RefusalReason),
        1,
    )


@across_landlords
def moves_by_landlord(scheme_id: int, period: Period, only_landlord: int | None = None) -> Table:
    """Moves in the period: homes each landlord gave, households each landlord moved out."""
    rows = fetch(
        f"""
        SELECT org, SUM(gave), SUM(moved_out) FROM (
            SELECT m.organisation_id AS org, 1 AS gave, 0 AS moved_out
            FROM {MOVE} m JOIN {REQUEST} r ON r.id = m.request_id
            WHERE r.scheme_id = %s AND m.move_date >= %s AND m.move_date <= %s
            UNION ALL
            SELECT m.referring_organisation_id, 0, 1
            FROM {MOVE} m JOIN {REQUEST} r ON r.id = m.request_id
            WHERE r.scheme_id = %s AND m.move_date >= %s AND m.move_date <= %s
        ) x GROUP BY org
        """,
        [scheme_id, *_dates(period), scheme_id, *_dates(period)],
    )
    counts = {int(org): (int(gave), int(out)) for org, gave, out in rows}
    total = sum(gave for gave, _ in counts.values())
    lines: list[tuple[Cell, ...]] = [("Scheme", suppress(total), suppress(total))]
    for pk, name in _lines(scheme_id, only_landlord):
        gave, out = counts.get(pk, (0, 0))
        lines.append((name, suppress(gave), suppress(out)))
    return Table(
        "moves",
        "Moves by landlord",
        ("Landlord", "Homes given", "Households moved out"),
        tuple(lines),
        1,
    )


@across_landlords
def ledger_balances(scheme_id: int, period: Period, only_landlord: int | None = None) -> Table:
    """Each landlord's balance with the pool by bedroom size at the end of each month of the period.

    Balances are the scheme's own accounting (homes given minus homes received), already open
    to the coordinator; they are net figures, shown unsuppressed.
    """
    month = month_of("l.posted_at")
    landlord_sql = "" if only_landlord is None else "AND l.organisation_id = %s"
    params: list[object] = [scheme_id, _dt(period.end_at)] + ([] if only_landlord is None else [only_landlord])
    rows = fetch(
        f"""
        SELECT o.name, b.bedrooms, b.month, b.balance FROM (
            SELECT organisation_id, bedrooms, month,
                   SUM(movement) OVER (PARTITION BY organisation_id, bedrooms ORDER BY month) AS balance
            FROM (
                SELECT l.organisation_id, l.bedrooms, {month} AS month, SUM(l.delta) AS movement
                FROM {LEDGER} l
                WHERE l.scheme_id = %s AND l.posted_at < %s {landlord_sql}
                GROUP BY l.organisation_id, l.bedrooms, {month}
            ) monthly
        ) b JOIN {ORGANISATION} o ON o.id = b.organisation_id
        WHERE b.month >= %s
        ORDER BY o.name, b.bedrooms, b.month
        """,
        [*params, f"{period.start:%Y-%m}"],
    )
    return Table(
        "ledger",
        "Ledger balances by landlord and bedroom size, month by month",
        ("Landlord", "Bedrooms", "Month", "Balance"),
        tuple((name, int(bedrooms), str(month), int(balance)) for name, bedrooms, month, balance in rows),
        None,
        "Homes given minus homes received, at the end of each month with ledger entries.",
    )


@across_landlords
def ledger_now(scheme_id: int, period: Period, only_landlord: int | None = None) -> Table:
    """Each landlord's whole balance with the pool at the end of the period (the chart)."""
    rows = fetch(
        f"""
        SELECT l.organisation_id, SUM(l.delta) FROM {LEDGER} l
        WHERE l.scheme_id = %s AND l.posted_at < %s GROUP BY l.organisation_id
        """,
        [scheme_id, _dt(period.end_at)],
    )
    balances = {int(org): int(balance) for org, balance in rows}
    return Table(
        "ledger_now",
        "Ledger balance at the end of the period",
        ("Landlord", "Balance"),
        tuple((name, balances.get(pk, 0)) for pk, name in _lines(scheme_id, only_landlord)),
        1,
    )


def _security_case(column: str) -> str:
    branches = " ".join(f"WHEN '{code}' THEN {rank}" for code, rank in sorted(TENURE_SECURITY.items()))
    return f"CASE {column} {branches} ELSE -1 END"


@across_landlords
def tenure_kept(scheme_id: int, period: Period) -> Table:
    kept, moved = fetch(
        f"""
        SELECT COALESCE(SUM(CASE WHEN {_security_case("m.new_tenure")} >= {_security_case("m.old_tenure")}
                             THEN 1 ELSE 0 END), 0),
               COUNT(*)
        FROM {MOVE} m JOIN {REQUEST} r ON r.id = m.request_id
        WHERE r.scheme_id = %s AND m.move_date >= %s AND m.move_date <= %s
        """,
        [scheme_id, *_dates(period)],
    )[0]
    kept, moved = int(kept), int(moved)
    return Table(
        "tenure",
        "Moves keeping equal or better security of tenure",
        ("Measure", "Kept or better", "Moves", "Share (%)"),
        (("Moves in the period", suppress(kept), suppress(moved), suppressed_share(kept, moved)),),
        3,
    )


# --- time to safety and time to a safe home -------------------------------------------------


def _time_to_safety_sql(extra: str) -> str:
    """(grp, value): per case referred in the period whose locks were changed, the whole seconds
    from its referral to the first lock change done, read from the summary ``TimeToSafety``
    (kept exactly by the services; index-only on (landlord, referral day, seconds))."""
    return f"""
        SELECT {{grp}} AS grp, s.seconds AS value FROM {SUMMARY} s
        WHERE s.referred_on >= %s AND s.referred_on <= %s {extra}
    """


def _time_to_home_sql(extra: str) -> str:
    """(grp, value): per move in the period, seconds from the case's referral to the move date."""
    return f"""
        SELECT {{grp}} AS grp, {seconds_between("m.move_date", "c.received_at")} AS value
        FROM {MOVE} m JOIN {REQUEST} r ON r.id = m.request_id JOIN {CASE} c ON c.id = r.case_id
        WHERE m.move_date >= %s AND m.move_date <= %s {extra}
    """


@across_landlords
def time_to_safety(scheme_id: int, period: Period) -> dict[object, Percentiles]:
    """Time to safety per member landlord and for the scheme (group 0), from the summary."""
    in_scheme = f"AND s.organisation_id IN (SELECT organisation_id FROM {MEMBERSHIP} WHERE scheme_id = %s)"
    return percentiles(
        _time_to_safety_sql(in_scheme).format(grp="s.organisation_id"), [*_dates(period), scheme_id], with_total=True
    )


@across_landlords
def _two_clocks(scheme_id: int, period: Period, only_landlord: int | None) -> Table:
    safety = time_to_safety(scheme_id, period)
    home = percentiles(
        _time_to_home_sql("AND r.scheme_id = %s").format(grp="r.organisation_id"),
        [*_dates(period), scheme_id],
        with_total=True,
    )

    def line(label: str, safety: Percentiles | None, home: Percentiles | None) -> tuple[Cell, ...]:
        return (label, *_suppressed_days(safety), *_suppressed_days(home))

    rows = [line("Scheme", safety.get(0), home.get(0))]
    for pk, name in _lines(scheme_id, only_landlord):
        rows.append(line(name, safety.get(pk), home.get(pk)))
    return Table(
        "two_clocks",
        "Time to safety and time to a safe home (days)",
        (
            "Landlord",
            "Locks changed: cases",
            "Referral to locks changed: median days",
            "Referral to locks changed: 90th percentile days",
            "Moves",
            "Referral to move: median days",
            "Referral to move: 90th percentile days",
        ),
        tuple(rows),
        2,
        "Locks: cases referred in the period. Moves: moves in the period, by the referring landlord.",
    )


@across_landlords
def time_to_safety_own(organisation_id: int, period: Period) -> Table:
    """The landlord's own time to safety and to a safe home, unsuppressed (its own cases)."""
    safety = percentiles(
        _time_to_safety_sql("AND s.organisation_id = %s").format(grp="0"), [*_dates(period), organisation_id]
    ).get(0)
    home = percentiles(
        _time_to_home_sql("AND r.organisation_id = %s").format(grp="0"), [*_dates(period), organisation_id]
    ).get(0)
    rows: list[tuple[Cell, ...]] = []
    for label, figure in (("Referral to locks changed", safety), ("Referral to a move", home)):
        figure = figure or Percentiles(0, None, None)
        rows.append((label, figure.count, days(figure.median_seconds), days(figure.p90_seconds)))
    return Table(
        "two_clocks_own",
        "Time to safety and time to a safe home (days)",
        ("Measure", "Cases", "Median days", "90th percentile days"),
        tuple(rows),
        2,
    )


@across_landlords
def time_to_safety_direct(organisation_ids: list[int], period: Period) -> dict[object, Percentiles]:
    """The time-to-safety figures computed from the cases and their lock changes, without the
    summary: per landlord of ``organisation_ids`` and in total (group 0). The reference the
    summary is checked against (tests, the bench); it reads every case of the period.
    """
    marks = ", ".join("%s" for _ in organisation_ids)
    values = f"""
        SELECT organisation_id AS grp, seconds AS value
        FROM ({time_to_safety_rows_sql()}) direct
        WHERE organisation_id IN ({marks}) AND referred_on >= %s AND referred_on <= %s
    """
    return percentiles(values, [LOCK_CHANGE, *organisation_ids, *_dates(period)], with_total=True)


@across_landlords
def scheme_dashboard(scheme_id: int, period: Period, only_landlord: int | None = None) -> list[Table]:
    """Every table of the scheme dashboard and board pack, in page order."""
    return [
        funnel(scheme_id, period, only_landlord),
        step_times(scheme_id, period),
        rehoused_within_90_days(scheme_id, period, only_landlord),
        _two_clocks(scheme_id, period, only_landlord),
        refusals_by_reason(scheme_id, period),
        moves_by_landlord(scheme_id, period, only_landlord),
        tenure_kept(scheme_id, period),
        ledger_now(scheme_id, period, only_landlord),
        ledger_balances(scheme_id, period, only_landlord),
    ]


@across_landlords
def scheme_of(organisation_id: int) -> int | None:
    """The scheme a landlord belongs to (the first, if several)."""
    rows = fetch(
        f"SELECT scheme_id FROM {MEMBERSHIP} WHERE organisation_id = %s AND is_active ORDER BY scheme_id",
        [organisation_id],
    )
    return int(rows[0][0]) if rows else None


@across_landlords
def member_names(scheme_id: int) -> list[tuple[int, str]]:
    """The scheme's member landlords (names are shared within the scheme)."""
    return _members(scheme_id)


# --- the CORE lettings export ---------------------------------------------------------------
PERPETRATOR = Perpetrator._meta.db_table


@across_landlords
def core_lettings(organisation_id: int, starts: date, ends: date) -> list[tuple[date, str, bool, bool]]:
    """The landlord's own reciprocal lettings (moves into its stock) between two dates.

    Why here: CORE's reason code 48 (previously a joint tenancy with a partner) rests on the
    referring landlord's case. Only that yes/no crosses, for lettings the landlord itself made,
    whose household's identity it already holds; no perpetrator detail leaves the case.
    """
    rows = fetch(
        f"""
        SELECT m.move_date, m.new_tenure,
               CASE WHEN m.introductory_period_ends IS NOT NULL THEN 1 ELSE 0 END,
               CASE WHEN EXISTS (SELECT 1 FROM {PERPETRATOR} p
                                 WHERE p.case_id = r.case_id AND p.joint_tenant
                                   AND p.relationship IN ('partner', 'ex_partner'))
                    THEN 1 ELSE 0 END
        FROM {MOVE} m JOIN {REQUEST} r ON r.id = m.request_id
        WHERE m.organisation_id = %s AND m.move_date >= %s AND m.move_date <= %s
        ORDER BY m.move_date
        """,
        [organisation_id, connection.ops.adapt_datefield_value(starts), connection.ops.adapt_datefield_value(ends)],
    )
    return [(_as_date(day), str(tenure), bool(starter), bool(joint)) for day, tenure, starter, joint in rows]


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
