"""Court orders, consent, notes and contacts recorded on a case."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited, unaudited
from safemoves.audit.services import record_case_event
from safemoves.cases.codes import (
    PERMITTING_BASES,
    ConsentBasis,
    ConsentPurpose,
    ContactChannel,
    NoteKind,
)
from safemoves.cases.contact import ContactPlan, plan_contact
from safemoves.cases.models import (
    Case,
    CaseNote,
    Consent,
    CourtOrder,
    Perpetrator,
)
from safemoves.cases.services.base import refresh_next_due
from safemoves.cases.services.editing import _lock


@audited("case.court_order_added")
@transaction.atomic
def court_order_add(
    *,
    case: Case,
    actor: User,
    perpetrator: Perpetrator,
    order_type: str,
    made_on: date | None,
    expires_on: date | None,
    conditions: str = "",
) -> CourtOrder:
    if perpetrator.case_id != case.pk:
        raise ValidationError("That person is not on this case.")
    if made_on and expires_on and expires_on < made_on:
        raise ValidationError({"expires_on": "The expiry date must be after the date the order was made."})
    order = CourtOrder.objects.create(
        organisation_id=case.organisation_id,
        perpetrator=perpetrator,
        order_type=order_type,
        made_on=made_on,
        expires_on=expires_on,
        conditions=conditions.strip(),
    )
    record_case_event(
        action="case.court_order_added",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=["order_type", "made_on", "expires_on", *(["conditions"] if conditions else [])],
        reason=f"order {order.pk}",
    )
    return order


@audited("case.consent_recorded")
@transaction.atomic
def consent_record(
    *,
    case: Case,
    actor: User,
    purpose: str,
    basis: str,
    expires_on: date | None = None,
    how_given: str = "",
    notes: str = "",
) -> Consent:
    if purpose not in ConsentPurpose.values:
        raise ValidationError({"purpose": "Choose what the consent is for."})
    if basis not in ConsentBasis.values:
        raise ValidationError({"basis": "Choose the consent decision or lawful basis."})
    if basis == ConsentBasis.CONSENT and not how_given.strip():
        raise ValidationError({"how_given": "Say how consent was given (e.g. signed form, verbally by phone)."})
    if basis not in (ConsentBasis.CONSENT, ConsentBasis.WITHDRAWN, ConsentBasis.REFUSED) and not notes.strip():
        raise ValidationError({"notes": "Explain why sharing without consent is justified."})
    if expires_on is not None and expires_on <= timezone.localdate():
        raise ValidationError({"expires_on": "The expiry date must be in the future."})
    consent = Consent.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        purpose=purpose,
        basis=basis,
        expires_on=expires_on,
        how_given=how_given.strip(),
        notes=notes.strip(),
        recorded_by=actor,
    )
    record_case_event(
        action="case.consent_recorded",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=["purpose", "basis", *(["expires_on"] if expires_on else [])],
        reason=f"{purpose}: {basis}",
    )
    return consent


@unaudited("reads only")
def consent_in_force(case: Case, purpose: str) -> Consent | None:
    """The newest decision for ``purpose`` if it permits sharing today, else None."""
    latest = Consent.objects.filter(case=case, purpose=purpose).order_by("-recorded_at").first()
    if latest is None or latest.basis not in PERMITTING_BASES:
        return None
    if latest.expires_on is not None and latest.expires_on < timezone.localdate():
        return None
    return latest


@audited("case.note_added")
@transaction.atomic
def note_add(*, case: Case, actor: User, body: str) -> CaseNote:
    if not body.strip():
        raise ValidationError({"body": "Write the note."})
    note = CaseNote.objects.create(
        organisation_id=case.organisation_id, case=case, kind=NoteKind.NOTE, body=body.strip(), author=actor
    )
    record_case_event(
        action="case.note_added",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=["body"],
        reason=f"note {note.pk}",
    )
    return note


@audited("case.contacted")
@transaction.atomic
def contact_record(*, case: Case, actor: User, channel: str, summary: str) -> ContactPlan:
    """Record a contact with the tenant, after the safe-contact rules allow the channel.

    Raises ``ContactRefused`` (nothing recorded) when the channel is not safe or agreed.
    """
    if channel not in ContactChannel.values:
        raise ValidationError({"channel": "Choose how you made contact."})
    plan = plan_contact(case, channel)
    if not summary.strip():
        raise ValidationError({"summary": "Summarise the contact."})
    current = _lock(case)
    CaseNote.objects.create(
        organisation_id=case.organisation_id,
        case=current,
        kind=NoteKind.CONTACT,
        channel=channel,
        body=summary.strip(),
        author=actor,
    )
    fields = ["contact"]
    if current.first_contact_at is None:
        current.first_contact_at = timezone.now()
        current.save(update_fields=["first_contact_at"])
        fields.append("first_contact_at")
    refresh_next_due(current)
    record_case_event(
        action="case.contacted",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=fields,
        reason=channel,
    )
    case.refresh_from_db()
    return plan
