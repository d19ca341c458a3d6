from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from safemoves.accounts.models import User
from safemoves.audit.services import record_case_event
from safemoves.cases.models import Case
from safemoves.letters.models import LetterTemplate, SentLetter
from safemoves.letters.standard import STANDARD_BY_KEY, STANDARD_TEMPLATES, StandardTemplate
from safemoves.organisations.models import Organisation

DEFAULT_SENDER_NAME = "{officer_name}"
DEFAULT_SENDER_ROLE = "Tenancy services"


@dataclass(frozen=True)
class TemplateChoice:
    """A template as the compose page uses it: a landlord's own (``t:<id>``) or a standard one (``std:<key>``)."""

    choice_id: str
    name: str
    letterhead: str
    sender_name: str
    sender_role: str
    subject: str
    body: str
    stored: LetterTemplate | None = None


def _from_standard(standard: StandardTemplate, organisation: Organisation) -> TemplateChoice:
    return TemplateChoice(
        choice_id=f"std:{standard.key}",
        name=standard.name,
        letterhead=organisation.name,
        sender_name=DEFAULT_SENDER_NAME,
        sender_role=DEFAULT_SENDER_ROLE,
        subject=standard.subject,
        body=standard.body,
    )


def _from_stored(template: LetterTemplate) -> TemplateChoice:
    return TemplateChoice(
        choice_id=f"t:{template.pk}",
        name=template.name,
        letterhead=template.letterhead,
        sender_name=template.sender_name,
        sender_role=template.sender_role,
        subject=template.subject,
        body=template.body,
        stored=template,
    )


def stored_templates(organisation: Organisation) -> QuerySet[LetterTemplate]:
    return LetterTemplate.objects.filter(organisation=organisation).order_by("name")


def template_list(organisation: Organisation, *, active_only: bool) -> list[TemplateChoice]:
    """The landlord's templates, and each standard template it has not replaced with its own."""
    stored = list(stored_templates(organisation))
    replaced = {template.standard_key for template in stored if template.standard_key}
    choices = [_from_stored(template) for template in stored if template.is_active or not active_only]
    choices += [
        _from_standard(standard, organisation) for standard in STANDARD_TEMPLATES if standard.key not in replaced
    ]
    return sorted(choices, key=lambda choice: choice.name.casefold())


def template_choice(organisation: Organisation, choice_id: str) -> TemplateChoice | None:
    for choice in template_list(organisation, active_only=True):
        if choice.choice_id == choice_id:
            return choice
    return None


def stored_template(organisation: Organisation, template_id: Any) -> LetterTemplate:
    template = stored_templates(organisation).filter(pk=template_id).first()
    if template is None:
        raise Http404
    return template


def standard_template(organisation: Organisation, key: str) -> TemplateChoice | None:
    standard = STANDARD_BY_KEY.get(key)
    return _from_standard(standard, organisation) if standard else None


def sent_letters(case: Case) -> QuerySet[SentLetter]:
    return sent_letters_of(case.organisation_id, case.pk)


def sent_letters_of(organisation_id: int, case_id: Any) -> QuerySet[SentLetter]:
    return SentLetter.objects.filter(organisation_id=organisation_id, case_id=case_id).select_related("sent_by")


def sent_letter(case: Case, letter_id: Any) -> SentLetter:
    letter = sent_letters(case).filter(pk=letter_id).first()
    if letter is None:
        raise Http404
    return letter


def letter_pdf_open(*, case: Case, letter: SentLetter, actor: User) -> bytes:
    """The PDF as sent, with the read written to the case's access log."""
    # An audited read: atomic by itself (ADR 0036).
    record_case_event(
        action="case.letter_viewed",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        reason=f"letter {letter.pk}",
    )
    return base64.b64decode(letter.pdf)
