"""The letters section of the case page and of the subject-access export."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from safemoves.cases.contact import ContactRefused, plan_contact
from safemoves.cases.models import Case
from safemoves.cases.policies import can_work_case
from safemoves.common.bound import Read
from safemoves.common.http import StaffRequest
from safemoves.letters import selectors
from safemoves.letters.models import SentLetter

# The columns the letters section shows (ADR 0030): not the subject, body, address nor the
# PDF as sent (base64, the widest column on the case page).
PANEL_LETTER_FIELDS = (
    "pk",
    "organisation",
    "template_name",
    "sent_at",
    "sent_by",
    "sent_by__full_name",
    "sent_by__email",
)


def _panel_letters(organisation_id: int, case_id: UUID) -> QuerySet[SentLetter]:
    return selectors.sent_letters_of(organisation_id, case_id).only(*PANEL_LETTER_FIELDS)


def letters_panel_reads(case: Case) -> list[Read[Any]]:
    return [Read("letters.panel", _panel_letters, {"organisation_id": case.organisation_id, "case_id": case.pk})]


def letters_panel_context(request: StaffRequest, case: Case) -> dict[str, Any]:
    (letters,) = letters_panel_reads(case)
    refused = ""
    try:
        plan_contact(case, "letter")
    except ContactRefused as exc:
        refused = exc.reason
    return {
        "case": case,
        "letters": list(letters.queryset()),
        "can_write": can_work_case(request.membership, case),
        "refused": refused,
    }


def export_section(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "template": letter.template_name,
            "subject": letter.subject,
            "body": letter.body,
            "addressed_to": letter.address,
            "sent_by": str(letter.sent_by),
            "sent_at": timezone.localtime(letter.sent_at).isoformat(timespec="seconds"),
        }
        for letter in selectors.sent_letters(case)
    ]
