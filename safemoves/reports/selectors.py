"""The landlord dashboard: one landlord's own figures, each computed by one SQL aggregate.

Every query names the landlord (``organisation_id = %s``) itself: these are raw aggregates,
not model reads, so the scoped managers do not filter them and each query must. Nothing here
reads another landlord's rows; scheme-wide figures live in :mod:`safemoves.reports.scheme`.
Counts are not suppressed here: a manager already sees each of these cases.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection

from safemoves.accounts.models import User
from safemoves.cases.codes import CaseOutcome
from safemoves.cases.models import Case, CaseSettings
from safemoves.emergency.selectors import offer_counts
from safemoves.reports import scheme
from safemoves.reports.sql import Percentiles, fetch, percentiles, seconds_between
from safemoves.reports.tables import Period, Table, hours, share
from safemoves.risk.models import MaracReferral, RiskAssessment, RiskBand
from safemoves.safety.catalogue import LOCK_CHANGE
from safemoves.safety.models import SafetyAction, SafetyActionType

__all__ = ["Percentiles", "landlord_dashboard"]

CASE = Case._meta.db_table
ACTION = SafetyAction._meta.db_table
ACTION_TYPE = SafetyActionType._meta.db_table
ASSESSMENT = RiskAssessment._meta.db_table
MARAC = MaracReferral._meta.db_table
SETTINGS = CaseSettings._meta.db_table
USER = User._meta.db_table

DEFAULT_CASELOAD_FLAG = 30
NOT_ASSESSED = "Not assessed"


def _dt(value: datetime) -> object:
    return connection.ops.adapt_datetimefield_value(value)


def open_cases_by_risk(organisation_id: int) -> Table:
    """Open cases by the band of their newest DASH assessment."""
    rows = fetch(
        f"""
        SELECT band, COUNT(*) FROM (
            SELECT (SELECT ra.final_band FROM {ASSESSMENT} ra
                    WHERE ra.organisation_id = c.organisation_id AND ra.case_id = c.id
                    ORDER BY ra.assessed_at DESC LIMIT 1) AS band
            FROM {CASE} c
            WHERE c.organisation_id = %s AND c.status <> 'closed'
        ) banded
        GROUP BY band
        """,
        [organisation_id],
    )
    counts = {band: int(n) for band, n in rows}
    ordered = [(RiskBand.HIGH.label, counts.get(RiskBand.HIGH, 0))]
    ordered += [(RiskBand.MEDIUM.label, counts.get(RiskBand.MEDIUM, 0))]
    ordered += [(RiskBand.STANDARD.label, counts.get(RiskBand.STANDARD, 0)), (NOT_ASSESSED, counts.get(None, 0))]
    return Table("open_by_risk", "Open cases by risk level", ("Risk level", "Open cases"), tuple(ordered), 1)


def safety_actions_due(organisation_id: int, now: datetime) -> Table:
    """Open safety actions by type: overdue now, and still within their clock."""
    rows = fetch(
        f"""
        SELECT t.label,
               SUM(CASE WHEN a.due_at < %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN a.due_at >= %s THEN 1 ELSE 0 END)
        FROM {ACTION} a JOIN {ACTION_TYPE} t ON t.id = a.action_type_id
        WHERE a.organisation_id = %s AND a.status = 'open'
        GROUP BY t.id, t.label, t."order"
        ORDER BY t."order", t.label
        """,
        [_dt(now), _dt(now), organisation_id],
    )
    return Table(
        "actions_due",
        "Open safety actions: overdue and due",
        ("Action", "Overdue", "Due, within the clock"),
        tuple((label, int(overdue), int(due)) for label, overdue, due in rows),
        1,
    )


def lock_changes_within_24_hours(organisation_id: int, period: Period, now: datetime) -> Table:
    """Lock changes set in the period whose 24 hours have run (or that are done): share done in time."""
    done_in_time, counted = fetch(
        f"""
        SELECT COALESCE(SUM(CASE WHEN a.status = 'done'
                                  AND {seconds_between("a.done_at", "a.starts_at")} <= 86400
                             THEN 1 ELSE 0 END), 0),
               COUNT(*)
        FROM {ACTION} a JOIN {ACTION_TYPE} t ON t.id = a.action_type_id
        WHERE a.organisation_id = %s AND t.code = %s AND a.status <> 'cancelled'
          AND a.starts_at >= %s AND a.starts_at < %s
          AND (a.status = 'done' OR {seconds_between("%s", "a.starts_at")} > 86400)
        """,
        [organisation_id, LOCK_CHANGE, _dt(period.start_at), _dt(period.end_at), _dt(now)],
    )[0]
    done_in_time, counted = int(done_in_time), int(counted)
    return Table(
        "locks_24h",
        "Lock changes done within 24 hours",
        ("Measure", "Done within 24 hours", "Lock changes counted", "Share (%)"),
        (("Lock changes", done_in_time, counted, share(done_in_time, counted)),),
        3,
        "Counts lock changes set in the period that are done, or whose 24 hours have run out.",
    )


def response_times(organisation_id: int, period: Period) -> Table:
    """Median and 90th percentile hours from referral to first contact and to all urgent actions done."""
    params: list[object] = [organisation_id, _dt(period.start_at), _dt(period.end_at)]
    first_contact = f"""
        SELECT 'first_contact' AS grp, {seconds_between("c.first_contact_at", "c.received_at")} AS value
        FROM {CASE} c
        WHERE c.organisation_id = %s AND c.received_at >= %s AND c.received_at < %s
          AND c.first_contact_at IS NOT NULL
    """
    # Urgent: the actions on an hours clock from the referral (locks, police flag). A case
    # counts once all of them are done; the time is to the last one done.
    urgent_done = f"""
        SELECT 'urgent_done' AS grp, {seconds_between("MAX(a.done_at)", "c.received_at")} AS value
        FROM {CASE} c
        JOIN {ACTION} a ON a.case_id = c.id AND a.organisation_id = c.organisation_id
        JOIN {ACTION_TYPE} t ON t.id = a.action_type_id
        WHERE c.organisation_id = %s AND c.received_at >= %s AND c.received_at < %s
          AND t.clock_kind = 'hours' AND t.relative_to = 'referral' AND a.status <> 'cancelled'
          AND a.organisation_id = %s AND a.starts_at >= %s
        GROUP BY c.id, c.received_at
        HAVING SUM(CASE WHEN a.status = 'open' THEN 1 ELSE 0 END) = 0
    """
    # An action never starts before its case's referral: the actions of cases referred in the
    # period start on or after its start, which lets the index on (landlord, type, start) serve.
    urgent_params = [*params, organisation_id, _dt(period.start_at)]
    found = percentiles(f"{first_contact} UNION ALL {urgent_done}", params + urgent_params)
    rows = []
    for key, label in (
        ("first_contact", "Referral to first contact"),
        ("urgent_done", "Referral to all urgent actions done"),
    ):
        figure = found.get(key, Percentiles(0, None, None))
        rows.append((label, figure.count, hours(figure.median_seconds), hours(figure.p90_seconds)))
    return Table(
        "response_times",
        "Time to respond (hours)",
        ("Measure", "Cases", "Median hours", "90th percentile hours"),
        tuple(rows),
        2,
        "Cases referred in the period.",
    )


def caseload_per_officer(organisation_id: int) -> Table:
    """Open cases per assigned officer, flagged over the landlord's caseload limit (30 by default)."""
    rows = fetch(
        f"""
        SELECT u.full_name, COUNT(*),
               COALESCE((SELECT s.caseload_flag FROM {SETTINGS} s WHERE s.organisation_id = %s), %s)
        FROM {CASE} c JOIN {USER} u ON u.id = c.assigned_officer_id
        WHERE c.organisation_id = %s AND c.status <> 'closed'
        GROUP BY u.id, u.full_name
        ORDER BY COUNT(*) DESC, u.full_name
        """,
        [organisation_id, DEFAULT_CASELOAD_FLAG, organisation_id],
    )
    return Table(
        "caseloads",
        "Caseload per officer",
        ("Officer", "Open cases", "Over the limit"),
        tuple((name, int(n), "Yes" if int(n) > int(limit) else "No") for name, n, limit in rows),
        1,
    )


def marac_referrals(organisation_id: int, period: Period) -> Table:
    total, repeats = fetch(
        f"""
        SELECT COUNT(*), COALESCE(SUM(CASE WHEN m.is_repeat THEN 1 ELSE 0 END), 0)
        FROM {MARAC} m
        WHERE m.organisation_id = %s AND m.referred_on >= %s AND m.referred_on <= %s
        """,
        [
            organisation_id,
            connection.ops.adapt_datefield_value(period.start),
            connection.ops.adapt_datefield_value(period.end),
        ],
    )[0]
    total, repeats = int(total), int(repeats)
    return Table(
        "marac",
        "MARAC referrals",
        ("Referrals", "Count"),
        (("All referrals", total), ("Repeat referrals (within 12 months)", repeats)),
        1,
    )


def closed_case_outcomes(organisation_id: int, period: Period) -> Table:
    rows = fetch(
        f"""
        SELECT c.outcome, COUNT(*) FROM {CASE} c
        WHERE c.organisation_id = %s AND c.status = 'closed' AND c.closed_at >= %s AND c.closed_at < %s
        GROUP BY c.outcome
        """,
        [organisation_id, _dt(period.start_at), _dt(period.end_at)],
    )
    counts = {outcome: int(n) for outcome, n in rows}
    ordered = [(outcome.label, counts.get(outcome.value, 0)) for outcome in CaseOutcome]
    if counts.get("", 0):
        ordered.append(("No outcome recorded", counts[""]))
    return Table("outcomes", "Outcomes of cases closed in the period", ("Outcome", "Cases"), tuple(ordered), 1)


def emergency_accommodation(organisation_id: int, period: Period) -> Table:
    """Emergency accommodation offered in the period: decisions, and refusals by reason.

    Read through ``emergency.selectors.offer_counts`` (the scoped ORM, in the landlord's scope).
    """
    counts = offer_counts(organisation_id=organisation_id, start=period.start, end=period.end)
    rows: list[tuple[str, int]] = [
        ("Offered", counts.offered),
        ("Accepted", counts.accepted),
        ("Refused", counts.refused),
        ("Waiting for the tenant's answer", counts.pending),
    ]
    rows += [(f"Refused: {label}", count) for label, count in counts.reasons_with_labels()]
    return Table(
        "emergency",
        "Emergency accommodation offered and refused",
        ("Offers", "Count"),
        tuple(rows),
        1,
        "Refuge, emergency and temporary accommodation offered to the landlord's tenants in the period.",
    )


def landlord_dashboard(organisation_id: int, period: Period, now: datetime) -> list[Table]:
    """Every table of the landlord dashboard, in page order."""
    tables = [
        open_cases_by_risk(organisation_id),
        safety_actions_due(organisation_id, now),
        lock_changes_within_24_hours(organisation_id, period, now),
        response_times(organisation_id, period),
        caseload_per_officer(organisation_id),
        marac_referrals(organisation_id, period),
        closed_case_outcomes(organisation_id, period),
        scheme.time_to_safety_own(organisation_id, period),
        emergency_accommodation(organisation_id, period),
    ]
    return tables
