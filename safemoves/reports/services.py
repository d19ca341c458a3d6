"""The writes of reports: an export is recorded in the audit log (what, never the figures), and
the time-to-safety summary is kept equal to the cases and their lock changes (ADR 0024)."""

from __future__ import annotations

from django.db import connection, transaction

from safemoves.accounts.models import User
from safemoves.audit.registry import audited, unaudited
from safemoves.audit.services import record_event
from safemoves.cases.models import Case
from safemoves.common.scoping import scopes_disabled
from safemoves.reports.models import TimeToSafety
from safemoves.reports.sql import day_of, seconds_between
from safemoves.safety.catalogue import LOCK_CHANGE
from safemoves.safety.models import SafetyAction, SafetyActionType

SUMMARY = TimeToSafety._meta.db_table
CASE = Case._meta.db_table
ACTION = SafetyAction._meta.db_table
ACTION_TYPE = SafetyActionType._meta.db_table


@audited("reports.exported")
@transaction.atomic
def report_exported(*, actor: User, organisation_id: int, report: str, table: str, fmt: str) -> None:
    record_event(
        action="reports.exported",
        actor=actor,
        organisation_id=organisation_id,
        object_type="report",
        object_id=report,
        reason=f"{table}.{fmt}",
    )


@unaudited("builds SQL text; writes nothing")
def time_to_safety_rows_sql(where_actions: str = "") -> str:
    """SELECT (case_id, organisation_id, referred_on, seconds): per case with a lock change done,
    its landlord, its referral day (UTC) and the whole seconds from the referral to the first
    lock change done. The one definition of the figure: the summary is written from it, and
    ``scheme.time_to_safety_direct`` computes the figures from it without the summary.

    Takes the lock-change code as its first parameter, then those of ``where_actions``.
    """
    return f"""
        SELECT c.id AS case_id, c.organisation_id AS organisation_id, {day_of("c.received_at")} AS referred_on,
               {seconds_between("f.done_at", "c.received_at")} AS seconds
        FROM (
            SELECT a.case_id, MIN(a.done_at) AS done_at
            FROM {ACTION} a
            WHERE a.action_type_id IN (SELECT t.id FROM {ACTION_TYPE} t WHERE t.code = %s)
              AND a.status = 'done' AND a.done_at IS NOT NULL {where_actions}
            GROUP BY a.case_id
        ) f JOIN {CASE} c ON c.id = f.case_id
    """


def _insert_sql(where_actions: str = "") -> str:
    columns = "case_id, organisation_id, referred_on, seconds"
    return f"INSERT INTO {SUMMARY} ({columns}) {time_to_safety_rows_sql(where_actions)}"


@unaudited("a derived figure rewritten from the case and its lock changes, whose writes are audited")
@transaction.atomic
def time_to_safety_refresh(*, case_id: object) -> None:
    """Rewrite the case's row of the summary from the case and its lock changes.

    Every service that completes a lock change (or changes a case's referral time or landlord)
    calls it in its own transaction; a purged case loses its row by cascade.
    """
    case_key = Case._meta.pk.get_db_prep_value(case_id, connection)
    with connection.cursor() as cursor:
        if connection.features.has_select_for_update:
            # Two lock changes of one case completed at once: the second waits here, then
            # rewrites the row the first wrote (SQLite serialises writers anyway).
            cursor.execute(f"SELECT 1 FROM {CASE} WHERE id = %s FOR UPDATE", [case_key])
        cursor.execute(f"DELETE FROM {SUMMARY} WHERE case_id = %s", [case_key])
        cursor.execute(_insert_sql("AND a.case_id = %s"), [LOCK_CHANGE, case_key])


@unaudited("a derived figure rebuilt from the cases and their lock changes, whose writes are audited")
@transaction.atomic
def time_to_safety_rebuild() -> int:
    """Rebuild the whole summary in one INSERT ... SELECT (every landlord's rows); answers the rows written.

    For the migration that creates it, the bench's seeding and repair (``safemoves
    report_summaries rebuild``); day to day, ``time_to_safety_refresh`` keeps it exact.
    """
    with scopes_disabled(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SUMMARY}")
        cursor.execute(_insert_sql(), [LOCK_CHANGE])
        return int(cursor.rowcount)
