"""Shared pieces of the case services: field lists, settings, the search index and the next due date."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from safemoves.audit.registry import unaudited
from safemoves.cases import extensions
from safemoves.cases.codes import (
    CaseStatus,
)
from safemoves.cases.finding import case_tokens, index_texts
from safemoves.cases.models import (
    Case,
    CaseSearchToken,
    CaseSettings,
    Perpetrator,
    SafeContactRules,
)
from safemoves.organisations.models import Organisation

CASE_FIELDS = (
    "lead_name",
    "lead_date_of_birth",
    "address",
    "postcode",
    "referral_summary",
    "tenure",
    "tenancy_start",
    "introductory_period_ends",
)


CONTACT_RULE_FIELDS = (
    "is_safe_to_talk_checked",
    "safe_phone",
    "safe_email",
    "safe_postal_address",
    "safe_times",
    "code_word",
    "phone_ok",
    "sms_ok",
    "voicemail_ok",
    "email_ok",
    "letter_ok",
    "visit_ok",
)


@unaudited("reads the organisation's case settings (creating the defaults row): no case data")
def case_settings_for(organisation_id: int) -> CaseSettings:
    settings, _ = CaseSettings.objects.get_or_create(organisation_id=organisation_id)
    return settings


def _next_reference(organisation_id: int) -> str:
    settings, _ = CaseSettings.objects.select_for_update().get_or_create(organisation_id=organisation_id)
    number = settings.next_reference
    CaseSettings.objects.filter(pk=settings.pk).update(next_reference=number + 1)
    # The landlord's short code makes the reference unambiguous across the scheme (issue 14).
    landlord = Organisation.objects.filter(pk=organisation_id).values_list("short_code", flat=True).first()
    code = f"-{landlord}" if landlord else ""
    return f"{settings.reference_prefix}{code}-{timezone.localdate().year}-{number:05d}"


# Changing any of these case fields changes what the case is found by.
INDEXED_CASE_FIELDS = frozenset({"lead_name", "address", "postcode"})


def _index_case(case: Case) -> None:
    """Replace the case's blind-index tokens: name, postcode, address, safe phone, perpetrators."""
    CaseSearchToken.objects.filter(case=case).delete()
    rules = SafeContactRules.objects.filter(case=case).first()
    texts = index_texts(
        lead_name=case.lead_name,
        address=case.address,
        postcode=case.postcode,
        phones=[rules.safe_phone] if rules is not None else [],
        perpetrator_names=[person.name for person in Perpetrator.objects.filter(case=case)],
    )
    tokens = case_tokens(case.organisation_id, texts)
    CaseSearchToken.objects.bulk_create(
        CaseSearchToken(organisation_id=case.organisation_id, case=case, token=token) for token in sorted(tokens)
    )


@unaudited("keeps a derived date in step; the audited service that calls it records the change")
def refresh_next_due(case: Case) -> None:
    """Recompute the earliest open clock on the case from every registered source."""
    candidates: list[datetime] = []
    if case.first_contact_at is None and case.status != CaseStatus.CLOSED:
        candidates.append(case.first_contact_due_at)
    if case.status != CaseStatus.CLOSED:
        for source in extensions.clock_sources():
            due = source(case)
            if due is not None:
                candidates.append(due)
    next_due = min(candidates) if candidates else None
    if next_due != case.next_due_at:
        case.next_due_at = next_due
        Case.objects.filter(pk=case.pk).update(next_due_at=next_due)
