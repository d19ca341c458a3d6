"""Purging a case at the end of its retention."""

from __future__ import annotations

from django.db import transaction

from safemoves.accounts.models import User
from safemoves.audit.registry import audited
from safemoves.audit.services import record_case_event
from safemoves.cases.models import (
    Case,
    CaseSearchToken,
    CourtOrder,
)


@audited("case.purged")
@transaction.atomic
def case_purge(*, case: Case, actor: User | None, reason: str) -> None:
    """Delete a case and everything personal under it; the audit log keeps only its id."""
    case_id, organisation_id, reference = case.pk, case.organisation_id, case.reference
    CaseSearchToken.objects.filter(case_id=case_id).delete()
    CourtOrder.objects.filter(perpetrator__case_id=case_id).delete()
    Case.objects.filter(pk=case_id).delete()
    record_case_event(
        action="case.purged",
        actor=actor,
        organisation_id=organisation_id,
        case_id=case_id,
        reason=f"{reference}: {reason}",
    )
