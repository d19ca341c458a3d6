"""Retention: closed cases are purged once their landlord's retention period has passed."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from safemoves.audit.services import record_event
from safemoves.cases import selectors, services
from safemoves.common.clock import due_after_months
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Organisation


@dataclass
class RetentionReport:
    applied: bool
    due: dict[str, list[str]] = field(default_factory=dict)  # landlord name -> case references

    @property
    def total(self) -> int:
        return sum(len(references) for references in self.due.values())


def retention_run(*, apply: bool) -> RetentionReport:
    """Find (and with ``apply``, purge) closed cases past retention; a dry run changes nothing."""
    report = RetentionReport(applied=apply)
    now = timezone.now()
    for organisation in Organisation.objects.order_by("name"):
        with organisation_scope(organisation.pk):
            months = services.case_settings_for(organisation.pk).retention_months_after_closure
            # Calendar months in London time from each closure, as a records schedule reads.
            due = [
                case
                for case in selectors.closed_before(organisation.pk, now).order_by("closed_at")
                if case.closed_at is not None and due_after_months(case.closed_at, months) <= now
            ]
            if not due:
                continue
            report.due[organisation.name] = [case.reference for case in due]
            with transaction.atomic():
                record_event(
                    action="retention.applied" if apply else "retention.dry_run",
                    actor=None,
                    organisation_id=organisation.pk,
                    reason=f"{len(due)} closed case(s) older than {months} months",
                )
                if apply:
                    for case in due:
                        services.case_purge(case=case, actor=None, reason=f"retention {months} months")
    return report
