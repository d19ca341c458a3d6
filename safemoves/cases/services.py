"""Writes to cases. Each service is atomic and writes its audit event in the same transaction.

Audit events name the fields that changed, never their values.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.models import AuditEvent
from safemoves.audit.services import record_event
from safemoves.cases import extensions
from safemoves.cases.codes import (
    AGENCY_SOURCES,
    PERMITTING_BASES,
    Answer,
    CaseOutcome,
    CaseSource,
    CaseStatus,
    ConsentBasis,
    ConsentPurpose,
    ContactChannel,
    CourtOrderType,
    MemberKind,
    NoteKind,
    Relationship,
)
from safemoves.cases.contact import ContactPlan, plan_contact
from safemoves.cases.finding import case_tokens, index_texts, perpetrator_match_token
from safemoves.cases.models import (
    Case,
    CaseNote,
    CaseSearchToken,
    CaseSettings,
    Consent,
    CourtOrder,
    HouseholdMember,
    Perpetrator,
    ReferralLink,
    SafeContactRules,
)
from safemoves.cases.selectors import last_change
from safemoves.common.clock import due_after_working_days
from safemoves.organisations.models import Membership, Organisation, Role

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


class EditConflict(Exception):
    """Someone else saved the record after it was opened; nothing was overwritten."""

    def __init__(self, *, changed_by: User | None, changed_at: datetime, fields: list[str]) -> None:
        who = changed_by.full_name if changed_by else "Someone"
        when = timezone.localtime(changed_at).strftime("%H:%M on %d %B %Y")
        what = f" ({', '.join(field.replace('_', ' ') for field in fields)})" if fields else ""
        super().__init__(
            f"{who} changed this record at {when}{what} after you opened it. Your changes have not been saved: "
            "check their change, then enter yours again."
        )
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.fields = fields


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


@dataclass(frozen=True)
class NewCase:
    lead_name: str
    source: str
    referral_summary: str = ""
    address: str = ""
    postcode: str = ""
    lead_date_of_birth: date | None = None
    tenure: str = ""
    tenancy_start: date | None = None
    introductory_period_ends: date | None = None
    referrer_details: str = ""
    # Carried in the referral summary until households are recorded; kept for the intake form.
    children: int = 0
    # What the referrer or officer said of the perpetrator's access to the home (Answer values).
    perpetrator_at_address: str = ""
    perpetrator_has_key: str = ""


def _create_case(*, organisation_id: int, data: NewCase, actor: User | None, received_at: datetime) -> Case:
    if not data.lead_name.strip():
        raise ValidationError({"lead_name": "Enter the tenant's name."})
    if data.source not in CaseSource.values:
        raise ValidationError({"source": f"{data.source!r} is not a referral source."})
    for name in ("perpetrator_at_address", "perpetrator_has_key"):
        if getattr(data, name) not in ("", *Answer.values):
            raise ValidationError({name: "Choose yes, no or not known."})
    if data.tenancy_start and data.introductory_period_ends and data.introductory_period_ends < data.tenancy_start:
        raise ValidationError(
            {"introductory_period_ends": "The introductory period cannot end before the tenancy starts."}
        )
    settings = case_settings_for(organisation_id)
    due = due_after_working_days(received_at, settings.first_contact_working_days)
    case = Case.objects.create(
        organisation_id=organisation_id,
        reference=_next_reference(organisation_id),
        source=data.source,
        received_at=received_at,
        first_contact_due_at=due,
        next_due_at=due,
        lead_name=data.lead_name.strip(),
        lead_date_of_birth=data.lead_date_of_birth,
        address=data.address.strip(),
        postcode=data.postcode.strip().upper(),
        referral_summary=data.referral_summary.strip(),
        referrer_details=data.referrer_details.strip(),
        tenure=data.tenure,
        tenancy_start=data.tenancy_start,
        introductory_period_ends=data.introductory_period_ends,
        updated_by=actor,
    )
    _index_case(case)
    return case


def _case_opened(case: Case, data: NewCase, actor: User | None) -> None:
    """Let the apps built on cases act on a new case (the lock change), in this transaction."""
    event = extensions.CaseOpened(
        case=case,
        actor=actor,
        perpetrator_at_address=data.perpetrator_at_address,
        perpetrator_has_key=data.perpetrator_has_key,
    )
    for hook in extensions.case_opened_hooks():
        hook(event)


@transaction.atomic
def case_open(*, membership: Membership, data: NewCase) -> Case:
    """A member of staff opens a case directly; it lands in the triage inbox with its clock."""
    case = _create_case(
        organisation_id=membership.organisation_id, data=data, actor=membership.user, received_at=timezone.now()
    )
    record_event(
        action="case.opened",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=[name for name in CASE_FIELDS if getattr(case, name)],
        reason=f"source: {data.source}",
    )
    _case_opened(case, data, membership.user)
    return case


def hash_link_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def referral_link_create(*, membership: Membership, agency_name: str, source: str) -> tuple[ReferralLink, str]:
    if source not in AGENCY_SOURCES:
        raise ValidationError({"source": "Choose the kind of agency."})
    if not agency_name.strip():
        raise ValidationError({"agency_name": "Enter the agency's name."})
    token = secrets.token_urlsafe(24)
    link = ReferralLink.objects.create(
        organisation_id=membership.organisation_id,
        agency_name=agency_name.strip(),
        source=source,
        token_hash=hash_link_token(token),
        created_by=membership.user,
    )
    record_event(
        action="referral_link.created",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        object_type="referral_link",
        object_id=link.pk,
    )
    return link, token


@transaction.atomic
def referral_link_deactivate(*, membership: Membership, link: ReferralLink) -> None:
    link.is_active = False
    link.save(update_fields=["is_active"])
    record_event(
        action="referral_link.deactivated",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        object_type="referral_link",
        object_id=link.pk,
        fields=["is_active"],
    )


MAX_CHILD_AGE = 17


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
        record_event(
            action="case.household_member_added",
            actor=None,
            organisation_id=organisation_id,
            object_type="case",
            object_id=case.pk,
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
        record_event(
            action="case.perpetrator_added",
            actor=None,
            organisation_id=organisation_id,
            object_type="case",
            object_id=case.pk,
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
        record_event(
            action="case.contact_rules_updated",
            actor=None,
            organisation_id=organisation_id,
            object_type="case",
            object_id=case.pk,
            fields=[name for name in CONTACT_RULE_FIELDS if getattr(rules, name)],
            reason=f"from {reason}",
        )


@transaction.atomic
def case_receive_agency_referral(
    *, link: ReferralLink, data: NewCase, records: ReferredRecords | None = None, via: str = "referral link"
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
    record_event(
        action="case.referred",
        actor=None,
        organisation_id=link.organisation_id,
        object_type="case",
        object_id=case.pk,
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
    record_event(
        action="case.self_referred",
        actor=None,
        organisation_id=organisation.pk,
        object_type="case",
        object_id=case.pk,
        fields=["lead_name", "safe_phone", "safe_email", "safe_times", "referral_summary"],
    )
    _case_opened(case, NewCase(lead_name=request.name, source=CaseSource.TENANT), None)
    return case


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _check_version(*, current_version: int, expected_version: int, case: Case) -> None:
    if current_version == expected_version:
        return

    change = last_change(case)
    raise EditConflict(
        changed_by=change.actor if change else case.updated_by,
        changed_at=change.occurred_at if change else case.updated_at,
        fields=list(change.fields) if change else [],
    )


@transaction.atomic
def case_update(*, case: Case, actor: User, expected_version: int, changes: Mapping[str, Any]) -> list[str]:
    """Save changed case details, refusing if the case changed since ``expected_version``."""
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    current = _lock(case)
    _check_version(current_version=current.version, expected_version=expected_version, case=case)
    changed = [name for name, value in changes.items() if getattr(current, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(current, name, changes[name])
    if not current.lead_name.strip():
        raise ValidationError({"lead_name": "Enter the tenant's name."})
    current.version += 1
    current.updated_at = timezone.now()
    current.updated_by = actor
    current.save(update_fields=[*changed, "version", "updated_at", "updated_by"])
    if INDEXED_CASE_FIELDS.intersection(changed):
        _index_case(current)
    record_event(
        action="case.updated",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=changed,
    )
    case.refresh_from_db()
    return changed


@transaction.atomic
def contact_rules_update(
    *, case: Case, actor: User, expected_version: int | None, changes: Mapping[str, Any]
) -> list[str]:
    unknown = set(changes) - set(CONTACT_RULE_FIELDS)
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    rules = SafeContactRules.objects.select_for_update().filter(case=case).first()
    if rules is None:
        rules = SafeContactRules(organisation_id=case.organisation_id, case=case, version=0)
        current_version = 0
    else:
        current_version = rules.version
    if expected_version is not None and current_version != expected_version:
        change = _rule_changes(case).first()
        raise EditConflict(
            changed_by=change.actor if change else rules.updated_by,
            changed_at=change.occurred_at if change else rules.updated_at,
            fields=list(change.fields) if change else [],
        )
    changed = [name for name, value in changes.items() if getattr(rules, name) != value]
    if not changed and rules.pk and current_version:
        return []
    for name in changed:
        setattr(rules, name, changes[name])
    rules.version = current_version + 1
    rules.updated_at = timezone.now()
    rules.updated_by = actor
    rules.save()
    if "safe_phone" in changed:
        _index_case(case)
    record_event(
        action="case.contact_rules_updated",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=changed,
    )
    return changed


def _rule_changes(case: Case) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=str(case.pk),
        action="case.contact_rules_updated",
    ).order_by("-seq")


@transaction.atomic
def case_assign(*, case: Case, actor: User, officer: User) -> None:
    membership = Membership.objects.filter(
        user=officer, organisation_id=case.organisation_id, is_active=True, role__in=[Role.OFFICER, Role.MANAGER]
    ).first()
    if membership is None:
        raise ValidationError({"officer": "Choose an officer or manager of your organisation."})
    current = _lock(case)
    if current.status == CaseStatus.CLOSED:
        raise ValidationError("A closed case cannot be assigned.")
    if current.assigned_officer_id == officer.pk and current.status != CaseStatus.NEW:
        return  # Already theirs: an unchanged save changes nothing.
    current.assigned_officer = officer
    current.assigned_at = timezone.now()
    if current.status == CaseStatus.NEW:
        current.status = CaseStatus.OPEN
    if current.restricted:
        current.named_staff.add(officer)
    current.version += 1
    current.save(update_fields=["assigned_officer", "assigned_at", "status", "version"])
    record_event(
        action="case.assigned",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=["assigned_officer", "status"],
        reason=f"to user {officer.pk}",
    )
    case.refresh_from_db()


@transaction.atomic
def case_restrict(*, case: Case, actor: User, restricted: bool, named_staff: Iterable[User]) -> None:
    staff = list(named_staff)
    if restricted and actor not in staff:
        # The manager restricting the case keeps sight of it, or nobody could lift the restriction.
        staff.append(actor)
    if restricted and case.assigned_officer is not None and case.assigned_officer not in staff:
        staff.append(case.assigned_officer)
    current = _lock(case)
    wanted = {user.pk for user in staff} if restricted else set()
    if current.restricted == restricted and set(current.named_staff.values_list("pk", flat=True)) == wanted:
        return  # An unchanged save changes nothing.
    current.restricted = restricted
    current.version += 1
    current.save(update_fields=["restricted", "version"])
    current.named_staff.set(staff if restricted else [])
    record_event(
        action="case.restriction_changed",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=["restricted", "named_staff"],
        reason=f"restricted to {len(staff)} named staff" if restricted else "restriction lifted",
    )
    case.refresh_from_db()


@transaction.atomic
def case_close(*, case: Case, actor: User, outcome: str, note: str = "") -> None:
    if outcome not in CaseOutcome.values:
        raise ValidationError({"outcome": "Choose the outcome."})
    current = _lock(case)
    if current.status == CaseStatus.CLOSED:
        raise ValidationError("This case is already closed.")
    current.status = CaseStatus.CLOSED
    current.outcome = outcome
    current.closed_at = timezone.now()
    current.next_due_at = None
    current.version += 1
    current.save(update_fields=["status", "outcome", "closed_at", "next_due_at", "version"])
    # Other apps end their open work on the case (a move request leaves the pool, ...).
    for hook in extensions.close_hooks():
        hook(current, actor)
    if note.strip():
        CaseNote.objects.create(
            organisation_id=case.organisation_id, case=current, kind=NoteKind.NOTE, body=note.strip(), author=actor
        )
    record_event(
        action="case.closed",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=["status", "outcome"],
        reason=outcome,
    )
    case.refresh_from_db()


@transaction.atomic
def household_member_add(
    *,
    case: Case,
    actor: User,
    kind: str,
    name: str,
    date_of_birth: date | None,
    relationship: str = "",
    school: str = "",
) -> HouseholdMember:
    if kind not in MemberKind.values:
        raise ValidationError({"kind": "Choose adult or child."})
    if not name.strip():
        raise ValidationError({"name": "Enter the name."})
    if date_of_birth is not None and date_of_birth > timezone.localdate():
        raise ValidationError({"date_of_birth": "The date of birth must be in the past."})
    member = HouseholdMember.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        name=name.strip(),
        date_of_birth=date_of_birth,
        relationship_to_lead=relationship.strip(),
        school=school.strip(),
    )
    record_event(
        action="case.household_member_added",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=[f for f, v in (("name", name), ("date_of_birth", date_of_birth), ("school", school)) if v],
        reason=f"member {member.pk}",
    )
    return member


@transaction.atomic
def household_member_remove(*, case: Case, actor: User, member: HouseholdMember) -> None:
    if member.case_id != case.pk:
        raise ValidationError("That person is not in this household.")
    member_id = member.pk
    member.delete()
    record_event(
        action="case.household_member_removed",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        reason=f"member {member_id}",
    )


@transaction.atomic
def perpetrator_add(
    *,
    case: Case,
    actor: User,
    name: str,
    relationship: str,
    lives_at_address: bool,
    joint_tenant: bool,
    has_key: bool,
    known_address: str = "",
    description: str = "",
) -> Perpetrator:
    if not name.strip():
        raise ValidationError({"name": "Enter the name, or 'Not known'."})
    perpetrator = Perpetrator.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        name=name.strip(),
        relationship=relationship,
        lives_at_address=lives_at_address,
        joint_tenant=joint_tenant,
        has_key=has_key,
        known_address=known_address.strip(),
        description=description.strip(),
        name_index=perpetrator_match_token(case.organisation_id, name),
    )
    _index_case(case)
    record_event(
        action="case.perpetrator_added",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=["name", "relationship", "lives_at_address", "joint_tenant", "has_key", "known_address"],
        reason=f"perpetrator {perpetrator.pk}",
    )
    for hook in extensions.perpetrator_hooks():
        hook(case, perpetrator, actor)
    return perpetrator


PERPETRATOR_FIELDS = (
    "name",
    "relationship",
    "lives_at_address",
    "joint_tenant",
    "has_key",
    "known_address",
    "description",
)


@transaction.atomic
def perpetrator_update(*, case: Case, actor: User, perpetrator: Perpetrator, changes: Mapping[str, Any]) -> list[str]:
    """Correct what is known of a perpetrator (moved out, gave the key back, new address)."""
    unknown = set(changes) - set(PERPETRATOR_FIELDS)
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    if perpetrator.case_id != case.pk:
        raise ValidationError("That person is not on this case.")
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationError({"name": "Enter the name, or 'Not known'."})
    if "relationship" in changes and changes["relationship"] not in Relationship.values:
        raise ValidationError({"relationship": "Choose the relationship from the list."})
    current = Perpetrator.objects.select_for_update().get(pk=perpetrator.pk)
    cleaned = {name: value.strip() if isinstance(value, str) else value for name, value in changes.items()}
    changed = [name for name, value in cleaned.items() if getattr(current, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(current, name, cleaned[name])
    update_fields = list(changed)
    if "name" in changed:
        current.name_index = perpetrator_match_token(case.organisation_id, current.name)
        update_fields.append("name_index")
    current.save(update_fields=update_fields)
    if "name" in changed:
        _index_case(case)
    record_event(
        action="case.perpetrator_updated",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=changed,
        reason=f"perpetrator {current.pk}",
    )
    for hook in extensions.perpetrator_hooks():
        hook(case, current, actor)
    perpetrator.refresh_from_db()
    return changed


@transaction.atomic
def perpetrator_keys_cleared(*, case: Case, actor: User | None, reason: str) -> list[Perpetrator]:
    """The locks were changed: no perpetrator on the case still has a key. Returns those updated."""
    holders = list(Perpetrator.objects.select_for_update().filter(case=case, has_key=True))
    for perpetrator in holders:
        perpetrator.has_key = False
        perpetrator.save(update_fields=["has_key"])
        record_event(
            action="case.perpetrator_key_cleared",
            actor=actor,
            organisation_id=case.organisation_id,
            object_type="case",
            object_id=case.pk,
            fields=["has_key"],
            reason=f"perpetrator {perpetrator.pk}: {reason}",
        )
    return holders


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
    record_event(
        action="case.court_order_added",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=["order_type", "made_on", "expires_on", *(["conditions"] if conditions else [])],
        reason=f"order {order.pk}",
    )
    return order


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
    record_event(
        action="case.consent_recorded",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=["purpose", "basis", *(["expires_on"] if expires_on else [])],
        reason=f"{purpose}: {basis}",
    )
    return consent


def consent_in_force(case: Case, purpose: str) -> Consent | None:
    """The newest decision for ``purpose`` if it permits sharing today, else None."""
    latest = Consent.objects.filter(case=case, purpose=purpose).order_by("-recorded_at").first()
    if latest is None or latest.basis not in PERMITTING_BASES:
        return None
    if latest.expires_on is not None and latest.expires_on < timezone.localdate():
        return None
    return latest


@transaction.atomic
def note_add(*, case: Case, actor: User, body: str) -> CaseNote:
    if not body.strip():
        raise ValidationError({"body": "Write the note."})
    note = CaseNote.objects.create(
        organisation_id=case.organisation_id, case=case, kind=NoteKind.NOTE, body=body.strip(), author=actor
    )
    record_event(
        action="case.note_added",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=["body"],
        reason=f"note {note.pk}",
    )
    return note


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
    record_event(
        action="case.contacted",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=fields,
        reason=channel,
    )
    case.refresh_from_db()
    return plan


@transaction.atomic
def case_purge(*, case: Case, actor: User | None, reason: str) -> None:
    """Delete a case and everything personal under it; the audit log keeps only its id."""
    case_id, organisation_id, reference = case.pk, case.organisation_id, case.reference
    CaseSearchToken.objects.filter(case_id=case_id).delete()
    CourtOrder.objects.filter(perpetrator__case_id=case_id).delete()
    Case.objects.filter(pk=case_id).delete()
    record_event(
        action="case.purged",
        actor=actor,
        organisation_id=organisation_id,
        object_type="case",
        object_id=case_id,
        reason=f"{reference}: {reason}",
    )
