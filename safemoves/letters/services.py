from __future__ import annotations

import base64
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import dateformat, timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited, unaudited
from safemoves.audit.services import record_case_event, record_event
from safemoves.cases.contact import plan_contact
from safemoves.cases.models import Case
from safemoves.common.pdf import PdfDocument
from safemoves.letters.models import LetterTemplate, SentLetter
from safemoves.letters.selectors import TemplateChoice
from safemoves.letters.standard import MERGE_FIELDS, STANDARD_BY_KEY, merge, unknown_placeholders

TEMPLATE_FIELDS = ("name", "letterhead", "sender_name", "sender_role", "subject", "body", "is_active")
MERGEABLE = ("sender_name", "sender_role", "subject", "body")
REQUIRED_LABELS = {
    "name": "template name",
    "letterhead": "letterhead",
    "sender_name": "name it is signed by",
    "subject": "subject",
    "body": "letter",
}


def _check_placeholders(values: dict[str, Any], names: tuple[str, ...]) -> None:
    problems = {}
    for name in names:
        unknown = unknown_placeholders(str(values.get(name, "")))
        if unknown:
            allowed = ", ".join("{" + field + "}" for field in MERGE_FIELDS)
            problems[name] = (
                f"Unknown merge field {', '.join('{' + field + '}' for field in unknown)}. Use only {allowed}."
            )
    if problems:
        raise ValidationError(problems)


@audited("letters.template_saved")
@transaction.atomic
def letter_template_save(
    *, organisation_id: int, actor: User, template: LetterTemplate | None, standard_key: str, changes: dict[str, Any]
) -> tuple[LetterTemplate, bool]:
    """Create or change a landlord's template; returns it and whether anything changed."""
    cleaned = {
        name: changes[name].strip() if isinstance(changes[name], str) else changes[name] for name in TEMPLATE_FIELDS
    }
    missing = {name: f"Enter the {label}." for name, label in REQUIRED_LABELS.items() if not cleaned[name]}
    if missing:
        raise ValidationError(missing)
    _check_placeholders(cleaned, MERGEABLE)
    if standard_key and standard_key not in STANDARD_BY_KEY:
        raise ValidationError("Unknown standard template.")
    if template is None:
        template = LetterTemplate(organisation_id=organisation_id, standard_key=standard_key)
        changed_fields = list(TEMPLATE_FIELDS)
    else:
        changed_fields = [name for name in TEMPLATE_FIELDS if getattr(template, name) != cleaned[name]]
        if not changed_fields:
            return template, False
    for name in TEMPLATE_FIELDS:
        setattr(template, name, cleaned[name])
    template.updated_at = timezone.now()
    template.updated_by = actor
    template.save()
    record_event(
        action="letters.template_saved",
        actor=actor,
        organisation_id=organisation_id,
        object_type="letter_template",
        object_id=template.pk,
        fields=changed_fields,
    )
    return template, True


@unaudited("computes a letter's merge values for letter_send (audited); writes nothing")
def merge_values(*, case: Case, actor: User, safe_address: str) -> dict[str, str]:
    return {
        "reference": case.reference,
        "tenant_name": case.lead_name,
        "safe_address": ", ".join(line.strip() for line in safe_address.splitlines() if line.strip()),
        "officer_name": actor.full_name,
        "landlord_name": case.organisation.name,
        "date": dateformat.format(timezone.localdate(), "j F Y"),
    }


@unaudited("renders a PDF for letter_send (audited); writes nothing")
def letter_pdf(
    *, choice: TemplateChoice, values: dict[str, str], address_lines: list[str], subject: str, body: str
) -> bytes:
    document = PdfDocument(title=subject, author=values["landlord_name"])
    document.letterhead(choice.letterhead.splitlines())
    document.address(address_lines)
    document.paragraph(f"{values['date']}\nOur reference: {values['reference']}")
    document.heading(subject, level=2)
    document.paragraph(body)
    document.paragraph("Yours sincerely")
    signature = (merge(choice.sender_name, values), merge(choice.sender_role, values))
    document.paragraph("\n".join(line for line in signature if line))
    return document.output()


@audited("case.letter_sent")
@transaction.atomic
def letter_send(*, case: Case, actor: User, choice: TemplateChoice, subject: str, body: str) -> SentLetter:
    """Produce the letter as a PDF addressed to the safe postal address, and keep what was sent.

    Raises ``ContactRefused`` (nothing produced) when letters are not a safe way to reach the
    tenant: the address comes only from the safe-contact rules, never from the case address.
    """
    plan = plan_contact(case, "letter")
    problems = {}
    if not subject.strip():
        problems["subject"] = "Enter the subject of the letter."
    if not body.strip():
        problems["body"] = "Write the letter."
    if problems:
        raise ValidationError(problems)
    _check_placeholders({"subject": subject, "body": body}, ("subject", "body"))
    values = merge_values(case=case, actor=actor, safe_address=plan.destination)
    subject_text, body_text = merge(subject.strip(), values), merge(body.strip(), values)
    address_lines = [case.lead_name, *(line.strip() for line in plan.destination.splitlines() if line.strip())]
    pdf = letter_pdf(choice=choice, values=values, address_lines=address_lines, subject=subject_text, body=body_text)
    letter = SentLetter.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        template_name=choice.name,
        subject=subject_text,
        body=body_text,
        address="\n".join(address_lines),
        pdf=base64.b64encode(pdf).decode("ascii"),
        sent_by=actor,
    )
    record_case_event(
        action="case.letter_sent",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=["subject", "body", "address", "pdf"],
        reason=f"letter {letter.pk}: {choice.name}"[:200],
    )
    return letter
