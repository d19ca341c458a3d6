"""The one write of reports: an export is recorded in the audit log (what, never the figures)."""

from __future__ import annotations

from django.db import transaction

from safemoves.accounts.models import User
from safemoves.audit.registry import audited
from safemoves.audit.services import record_event


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
