"""Covering indexes for the dashboards on PostgreSQL (ADR 0024, docs/benchmarks.md).

Each index carries (INCLUDE) the few columns its query reads, so PostgreSQL answers from the
index alone (an index-only scan) instead of fetching tens of thousands of scattered case and
action rows. Two replace indexes of 0001 with the same keys. SQLite has no INCLUDE: there
0001's indexes stay and this migration does nothing. Rerunnable: IF NOT EXISTS / IF EXISTS.
"""

import importlib
from typing import Any

from django.db import migrations

COVERING = (
    # Cohorts by referral date, across the scheme (time to safety): the case and its landlord.
    ("reports_case_received_cover", "cases_case", "(received_at) INCLUDE (organisation_id, id)", ""),
    # One landlord's cohort by referral date: first contact, urgent actions, own time to safety.
    (
        "reports_case_org_received_cover",
        "cases_case",
        "(organisation_id, received_at) INCLUDE (id, first_contact_at)",
        "",
    ),
    # Outcomes of cases closed in the period.
    (
        "reports_case_org_closed_cover",
        "cases_case",
        "(organisation_id, closed_at) INCLUDE (outcome)",
        "WHERE status = 'closed'",
    ),
    # Open cases (by risk band, per officer).
    (
        "reports_case_org_open",
        "cases_case",
        "(organisation_id) INCLUDE (id, assigned_officer_id)",
        "WHERE status <> 'closed'",
    ),
    # The newest DASH assessment of a case.
    (
        "reports_assessment_case_newest",
        "risk_riskassessment",
        "(case_id, assessed_at) INCLUDE (organisation_id, final_band)",
        "",
    ),
    # One landlord's actions of one type by start: lock changes within 24 hours, urgent actions.
    (
        "reports_action_org_type_start_cover",
        "safety_safetyaction",
        "(organisation_id, action_type_id, starts_at) INCLUDE (case_id, status, done_at)",
        "",
    ),
)
REPLACED = (
    "reports_case_received",
    "reports_case_org_received",
    "reports_case_org_closed",
    "reports_action_org_type_start",
)


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns, where in COVERING:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns} {where}".strip())
    for name in REPLACED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    first = importlib.import_module("safemoves.reports.migrations.0001_report_indexes")
    for name, table, columns, where in first.INDEXES:
        if name in REPLACED:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns} {where}".strip())
    for name, *_ in COVERING:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_report_indexes")]

    operations = [migrations.RunPython(create, drop)]
