"""Indexes the report queries need on other apps' tables (ADR 0024).

They live here, not in those apps' models, because only the reports read by these keys; they
are plain SQL indexes (no model state), the same statement on SQLite and PostgreSQL.
Rerunnable: IF NOT EXISTS / IF EXISTS.
"""

from django.db import migrations

INDEXES = (
    # Cohorts of one landlord's cases by referral date (first contact, urgent actions, lock clocks).
    ("reports_case_org_received", "cases_case", "(organisation_id, received_at)", ""),
    # The scheme's time to safety: cases referred in the period, across the scheme's landlords.
    ("reports_case_received", "cases_case", "(received_at)", ""),
    # Outcomes of cases closed in the period.
    ("reports_case_org_closed", "cases_case", "(organisation_id, closed_at)", "WHERE status = 'closed'"),
    # Share of lock changes within 24 hours: one landlord's actions of one type by start.
    ("reports_action_org_type_start", "safety_safetyaction", "(organisation_id, action_type_id, starts_at)", ""),
    # Time to safety: done actions of one type by start, carrying the case and the time done.
    (
        "reports_action_done_start",
        "safety_safetyaction",
        "(action_type_id, starts_at, case_id, done_at)",
        "WHERE status = 'done'",
    ),
    ("reports_marac_org_referred", "risk_maracreferral", "(organisation_id, referred_on)", ""),
    ("reports_request_created", "reciprocal_moverequest", "(scheme_id, created_at)", ""),
    ("reports_request_approved", "reciprocal_moverequest", "(scheme_id, approved_at)", ""),
)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_source_label_neutral"),
        ("safety", "0003_sanctuary_agreement"),
        ("risk", "0001_risk_assessments_and_marac"),
        ("reciprocal", "0004_choice_labels_speak_of_the_household"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns} {where}".strip(),
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, table, columns, where in INDEXES
    ]
