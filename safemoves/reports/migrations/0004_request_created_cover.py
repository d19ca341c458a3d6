"""A covering index for the scheme funnel and step times on PostgreSQL (ADR 0024, docs/benchmarks.md).

The period's move requests of a scheme, with what the funnel and step times read of each (id,
landlord, approved and circulated times), from the index alone instead of a scan of the
requests' wide rows. Replaces 0001's (scheme_id, created_at). SQLite has no INCLUDE: nothing
changes there. Rerunnable: IF NOT EXISTS / IF EXISTS.
"""

from typing import Any

from django.db import migrations

COVER = (
    "CREATE INDEX IF NOT EXISTS reports_request_created_cover ON reciprocal_moverequest "
    "(scheme_id, created_at) INCLUDE (id, organisation_id, approved_at, circulated_at)"
)
REPLACED = "CREATE INDEX IF NOT EXISTS reports_request_created ON reciprocal_moverequest (scheme_id, created_at)"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(COVER)
    schema_editor.execute("DROP INDEX IF EXISTS reports_request_created")


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(REPLACED)
    schema_editor.execute("DROP INDEX IF EXISTS reports_request_created_cover")


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_time_to_safety_summary")]

    operations = [migrations.RunPython(create, drop)]
