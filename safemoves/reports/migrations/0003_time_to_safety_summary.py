"""The time-to-safety summary (ADR 0024): one row per case whose locks were changed, filled here
from the cases and their lock changes in one INSERT ... SELECT (rerunnable: it deletes first).

The SQL is frozen here; ``reports.services.time_to_safety_rows_sql`` is the living definition,
and ``safemoves report_summaries rebuild`` rewrites the table from it.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def fill(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        day = "CAST(c.received_at AT TIME ZONE 'UTC' AS date)"
        seconds = "FLOOR(date_part('epoch', CAST(f.done_at AS timestamptz) - CAST(c.received_at AS timestamptz)))"
    else:
        day = "date(c.received_at)"
        seconds = "(CAST(strftime('%%s', f.done_at) AS INTEGER) - CAST(strftime('%%s', c.received_at) AS INTEGER))"
    cursor = schema_editor.connection.cursor()
    cursor.execute("DELETE FROM reports_timetosafety", [])
    cursor.execute(
        f"""
        INSERT INTO reports_timetosafety (case_id, organisation_id, referred_on, seconds)
        SELECT c.id, c.organisation_id, {day}, {seconds}
        FROM (
            SELECT a.case_id, MIN(a.done_at) AS done_at
            FROM safety_safetyaction a
            WHERE a.action_type_id IN (SELECT t.id FROM safety_safetyactiontype t WHERE t.code = 'lock_change')
              AND a.status = 'done' AND a.done_at IS NOT NULL
            GROUP BY a.case_id
        ) f JOIN cases_case c ON c.id = f.case_id
        """,
        [],
    )
    if schema_editor.connection.vendor == "postgresql":
        cursor.execute("ANALYZE reports_timetosafety", [])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_referral_link_to_intake"),
        ("organisations", "0002_organisation_short_code"),
        ("reports", "0002_covering_report_indexes"),
        ("safety", "0003_sanctuary_agreement"),
    ]

    operations = [
        migrations.CreateModel(
            name="TimeToSafety",
            fields=[
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="cases.case",
                    ),
                ),
                ("referred_on", models.DateField()),
                ("seconds", models.BigIntegerField()),
                (
                    "organisation",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.organisation",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["organisation", "referred_on", "seconds"], name="reports_safety_org_day")
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
