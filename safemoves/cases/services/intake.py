"""Referrals received: from an agency and from the household itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.audit.registry import audited
from safemoves.audit.services import record_case_event
from safemoves.cases import extensions
from safemoves.cases.codes import (
    CaseSource,
    CourtOrderType,
    MemberKind,
    NoteKind,
    Relationship,
)
from safemoves.cases.models import (
    Case,
    CaseNote,
    CourtOrder,
    HouseholdMember,
    Perpetrator,
    SafeContactRules,
)
from safemoves.cases.services.base import CASE_FIELDS, CONTACT_RULE_FIELDS, _index_case
from safemoves.cases.services.opening import NewCase, _case_opened, _create_case
from safemoves.organisations.models import Organisation

MAX_CHILD_AGE = 17


class AgencyLink(Protocol):
    """What a referral needs of the agency's link (intake's ReferralLink): cases imports none of
    the apps built on it."""

    @property
    def pk(self) -> Any: ...

    @property
    def organisation_id(self) -> int: ...

    @property
    def source(self) -> str: ...

    @property
    def is_active(self) -> bool: ...


@dataclass(frozen=True)
class ReferredPerpetrator:
    """The perpetrator as the referring agency knows them."""

    name: str
    relationship: str = ""
    lives_at_address: bool = False
    has_key: bool = False
    court_orders: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferredContact:
    """Safe contact as the referrer understands it; the officer confirms it with the tenant."""

    safe_phone: str = ""
    safe_times: str = ""
    phone_ok: bool = False
    voicemail_ok: bool = False


@dataclass(frozen=True)
class ReferredRecords:
    """The structured part of an agency referral: it becomes the case's own records."""

    children_ages: tuple[int, ...] = ()
    perpetrator: ReferredPerpetrator | None = None
    contact: ReferredContact | None = None


def _validate_records(records: ReferredRecords) -> None:
    errors: dict[str, str] = {}
    if any(not 0 <= age <= MAX_CHILD_AGE for age in records.children_ages):
        errors["children_ages"] = f"Give each child's age in years, from 0 to {MAX_CHILD_AGE}."
    perpetrator = records.perpetrator
    if perpetrator is not None:
        if not perpetrator.name.strip():
            errors["perpetrator_name"] = "Enter the perpetrator's name, or 'Not known'."
        if perpetrator.relationship and perpetrator.relationship not in Relationship.values:
            errors["perpetrator_relationship"] = "Choose the relationship from the list."
        if any(order not in CourtOrderType.values for order in perpetrator.court_orders):
            errors["court_orders"] = "Choose the court orders from the list."
    if errors:
        raise ValidationError(errors)


def _record_referred(case: Case, records: ReferredRecords, reason: str) -> None:
    """Write a referral's structured facts as the case's household, perpetrator and contact rules."""
    organisation_id = case.organisation_id
    for age in records.children_ages:
        # The referrer gives ages, not names or dates of birth: the officer completes them at triage.
        HouseholdMember.objects.create(
            organisation_id=organisation_id,
            case=case,
            kind=MemberKind.CHILD,
            name=f"Child aged {age} at referral (name to confirm)",
        )
    if records.children_ages:
        record_case_event(
            action="case.household_member_added",
            actor=None,
            organisation_id=organisation_id,
            case_id=case.pk,
            fields=["name"],
            reason=f"{len(records.children_ages)} children from {reason}",
        )
    if records.perpetrator is not None:
        referred = records.perpetrator
        perpetrator = Perpetrator.objects.create(
            organisation_id=organisation_id,
            case=case,
            name=referred.name.strip(),
            relationship=referred.relationship or Relationship.OTHER,
            lives_at_address=referred.lives_at_address,
            has_key=referred.has_key,
        )
        for order_type in referred.court_orders:
            CourtOrder.objects.create(organisation_id=organisation_id, perpetrator=perpetrator, order_type=order_type)
        record_case_event(
            action="case.perpetrator_added",
            actor=None,
            organisation_id=organisation_id,
            case_id=case.pk,
            fields=[
                "name",
                "relationship",
                "lives_at_address",
                "has_key",
                *(["court_orders"] * bool(referred.court_orders)),
            ],
            reason=f"perpetrator {perpetrator.pk} from {reason}",
        )
        for hook in extensions.perpetrator_hooks():
            hook(case, perpetrator, None)
    if records.contact is not None:
        contact = records.contact
        rules = SafeContactRules.objects.create(
            organisation_id=organisation_id,
            case=case,
            safe_phone=contact.safe_phone.strip(),
            safe_times=contact.safe_times.strip(),
            # Only a number the referrer gave may be called; "is it safe to talk" is asked by us.
            phone_ok=contact.phone_ok and bool(contact.safe_phone.strip()),
            voicemail_ok=contact.voicemail_ok and bool(contact.safe_phone.strip()),
        )
        record_case_event(
            action="case.contact_rules_updated",
            actor=None,
            organisation_id=organisation_id,
            case_id=case.pk,
            fields=[name for name in CONTACT_RULE_FIELDS if getattr(rules, name)],
            reason=f"from {reason}",
        )


@audited("case.referred", "case.household_member_added", "case.perpetrator_added", "case.contact_rules_updated")
@transaction.atomic
def case_receive_agency_referral(
    *, link: AgencyLink, data: NewCase, records: ReferredRecords | None = None, via: str = "referral link"
) -> Case:
    """An agency's referral through its link (web form or API); the case lands in the landlord's
    triage inbox with the referral's household, perpetrator and safe-contact rules recorded."""
    if not link.is_active:
        raise ValidationError("This referral link is no longer active.")
    if records is not None:
        _validate_records(records)
    case = _create_case(
        organisation_id=link.organisation_id,
        data=NewCase(**{**data.__dict__, "source": link.source}),
        actor=None,
        received_at=timezone.now(),
    )
    record_case_event(
        action="case.referred",
        actor=None,
        organisation_id=link.organisation_id,
        case_id=case.pk,
        fields=[name for name in CASE_FIELDS if getattr(case, name)],
        reason=f"{via} {link.pk}",
    )
    _case_opened(case, NewCase(**{**data.__dict__, "source": link.source}), None)
    if records is not None:
        _record_referred(case, records, f"{via} {link.pk}")
    return case


@dataclass(frozen=True)
class SelfReferral:
    name: str
    contact_method: str  # "phone" or "email"
    phone: str = ""
    email: str = ""
    safe_times: str = ""
    voicemail_ok: bool = False
    letter_ok: bool = False
    message: str = ""


@audited("case.self_referred")
@transaction.atomic
def case_receive_self_referral(*, organisation: Organisation, request: SelfReferral) -> Case:
    """The tenant's own "contact me safely" request: a case with the contact rules she gave."""
    errors: dict[str, str] = {}
    if not request.name.strip():
        errors["name"] = "Enter your name."
    if request.contact_method == "phone" and not request.phone.strip():
        errors["phone"] = "Enter a phone number that is safe to call."
    if request.contact_method == "email" and not request.email.strip():
        errors["email"] = "Enter an e-mail address that is safe to use."
    if request.contact_method not in ("phone", "email"):
        errors["contact_method"] = "Choose how we should contact you."
    if errors:
        raise ValidationError(errors)
    case = _create_case(
        organisation_id=organisation.pk,
        data=NewCase(lead_name=request.name, source=CaseSource.TENANT, referral_summary=request.message),
        actor=None,
        received_at=timezone.now(),
    )
    SafeContactRules.objects.create(
        organisation_id=organisation.pk,
        case=case,
        safe_phone=request.phone.strip(),
        safe_email=request.email.strip(),
        safe_times=request.safe_times.strip(),
        phone_ok=request.contact_method == "phone",
        sms_ok=False,
        voicemail_ok=request.voicemail_ok,
        email_ok=request.contact_method == "email",
        letter_ok=False,
    )
    _index_case(case)  # the safe phone the tenant gave
    if request.letter_ok:
        # Letters stay switched off until an officer confirms a safe postal address with her.
        CaseNote.objects.create(
            organisation_id=organisation.pk,
            case=case,
            kind=NoteKind.SYSTEM,
            body="The tenant said a letter would be safe, but gave no address: confirm a safe postal address before "
            "switching letters on.",
        )
    record_case_event(
        action="case.self_referred",
        actor=None,
        organisation_id=organisation.pk,
        case_id=case.pk,
        fields=["lead_name", "safe_phone", "safe_email", "safe_times", "referral_summary"],
    )
    _case_opened(case, NewCase(lead_name=request.name, source=CaseSource.TENANT), None)
    return case
