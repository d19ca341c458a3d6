"""The public ways into a case: an agency's referral and the tenant's own request, and the
agency referral links themselves (created and deactivated by staff; the token is stored hashed).

The cases app owns every write to its models; these services turn what a visitor typed into
the cases services' inputs and run them inside the landlord's organisation scope (a public
visitor has no membership, so no scope is active until we open one).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from safemoves.audit.registry import audited, unaudited
from safemoves.audit.services import record_event
from safemoves.cases.codes import AGENCY_SOURCES, CourtOrderType, Relationship
from safemoves.cases.models import Case
from safemoves.cases.services import (
    MAX_CHILD_AGE,
    NewCase,
    ReferredContact,
    ReferredPerpetrator,
    ReferredRecords,
    SelfReferral,
    case_receive_agency_referral,
    case_receive_self_referral,
)
from safemoves.common.scoping import organisation_scope
from safemoves.geo import PostcodeError, normalise_postcode
from safemoves.intake.models import ReferralLink
from safemoves.organisations.models import Membership, Organisation

POSTCODE_ERROR = "Enter a postcode in the right format, like ME1 1AA, or leave it blank."
YES, NO, NOT_KNOWN = "yes", "no", "not_known"
ANSWER_WORDS = {YES: "Yes", NO: "No", NOT_KNOWN: "Not known", "": "Not answered"}
# A risk level the police already assessed with the DASH checklist ("" when none was assessed).
DASH_LEVELS = {"standard": "Standard", "medium": "Medium", "high": "High", "": "Not assessed"}
MAX_CHILDREN = 20


@dataclass(frozen=True)
class AgencyReferral:
    referrer_name: str
    referrer_role: str
    tenant_name: str
    what_happened: str
    referrer_phone: str = ""
    referrer_email: str = ""
    tenant_date_of_birth: date | None = None
    address: str = ""
    postcode: str = ""
    children: int = 0
    perpetrator_at_address: str = ""  # YES, NO, NOT_KNOWN or ""
    perpetrator_has_key: str = ""
    contact_directly: str = ""  # may we contact her ourselves (YES) or only through the referrer (NO)
    safe_phone: str = ""
    safe_times: str = ""
    voicemail_ok: str = ""
    letter_ok: str = ""
    # Police referrals (and any agency that has them).
    crime_reference: str = ""
    police_officer: str = ""
    police_station: str = ""
    police_dash_level: str = ""  # a DASH_LEVELS key
    marac_referred: str = ""  # YES, NO, NOT_KNOWN or ""
    children_ages: tuple[int, ...] = ()
    perpetrator_name: str = ""
    perpetrator_relationship: str = ""  # a Relationship value or ""
    court_orders: tuple[str, ...] = ()  # CourtOrderType values


PHONE_ERROR = "Enter a phone number, like 07700 900982 or +44 7700 900982."
EMAIL_ERROR = "Enter an e-mail address, like name@example.com."
_PHONE_RE = re.compile(r"^\+?[0-9]{10,15}$")


@unaudited("checks a value; reads and writes nothing")
def phone_is_valid(value: str) -> bool:
    """A UK or international number, spaces, brackets and dashes allowed; "" is no number."""
    compact = re.sub(r"[\s()-]", "", value)
    return not compact or bool(_PHONE_RE.fullmatch(compact))


@unaudited("checks a value; reads and writes nothing")
def clean_postcode(text: str) -> str:
    """The postcode in its standard form, "" when none was given; a malformed one is a field error."""
    if not text.strip():
        return ""
    try:
        return normalise_postcode(text)
    except PostcodeError:
        raise ValidationError({"postcode": POSTCODE_ERROR}) from None


def _referrer_details(referral: AgencyReferral) -> str:
    lines = [
        f"Name: {referral.referrer_name.strip()}",
        f"Role and organisation: {referral.referrer_role.strip()}",
        f"Phone: {referral.referrer_phone.strip() or 'not given'}",
        f"E-mail: {referral.referrer_email.strip() or 'not given'}",
    ]
    if referral.crime_reference.strip() or referral.police_officer.strip() or referral.police_station.strip():
        lines += [
            f"Crime reference: {referral.crime_reference.strip() or 'not given'}",
            f"Police officer: {referral.police_officer.strip() or 'not given'}",
            f"Police station: {referral.police_station.strip() or 'not given'}",
        ]
    return "\n".join(lines)


def _summary(referral: AgencyReferral) -> str:
    # The household size, the perpetrator's access to the home and the referrer's view of
    # safe contact have no field of their own on a new case yet, so they travel in the
    # (encrypted) referral summary for the triage officer to read and record properly.
    lines = [
        referral.what_happened.strip(),
        "",
        f"Children in the household: {referral.children}",
        *(
            [f"Children's ages: {', '.join(str(age) for age in referral.children_ages)}"]
            if referral.children_ages
            else []
        ),
        *([f"Police DASH risk level: {DASH_LEVELS[referral.police_dash_level]}"] if referral.police_dash_level else []),
        *([f"MARAC referral already made: {ANSWER_WORDS[referral.marac_referred]}"] if referral.marac_referred else []),
        f"Perpetrator still living at the address: {ANSWER_WORDS[referral.perpetrator_at_address]}",
        f"Perpetrator has or had a key: {ANSWER_WORDS[referral.perpetrator_has_key]}",
        "",
        "Safe contact, as the referrer understands it (confirm with the tenant before relying on it):",
        f"Safe for us to contact the tenant directly: {ANSWER_WORDS[referral.contact_directly]}",
        f"Safe phone: {referral.safe_phone.strip() or 'not given'}",
        f"Safe times: {referral.safe_times.strip() or 'not given'}",
        f"Safe to leave a voicemail: {ANSWER_WORDS[referral.voicemail_ok]}",
        f"Safe to send a letter: {ANSWER_WORDS[referral.letter_ok]}",
    ]
    return "\n".join(lines)


def _validate(referral: AgencyReferral) -> None:
    errors: dict[str, str] = {}
    if not referral.referrer_name.strip():
        errors["referrer_name"] = "Enter your name."
    if not referral.referrer_role.strip():
        errors["referrer_role"] = "Enter your role and organisation."
    if not referral.referrer_phone.strip() and not referral.referrer_email.strip():
        errors["referrer_phone"] = "Enter a phone number or an e-mail address so that we can reach you."
    for name in ("referrer_phone", "safe_phone"):
        if not phone_is_valid(getattr(referral, name)):
            errors[name] = PHONE_ERROR
    if referral.referrer_email.strip():
        try:
            validate_email(referral.referrer_email.strip())
        except ValidationError:
            errors["referrer_email"] = EMAIL_ERROR
    if not referral.tenant_name.strip():
        errors["tenant_name"] = "Enter the tenant's name."
    if referral.tenant_date_of_birth is not None and referral.tenant_date_of_birth > timezone.localdate():
        errors["tenant_date_of_birth"] = "The date of birth must be in the past."
    if not referral.what_happened.strip():
        errors["what_happened"] = "Tell us what happened."
    if not 0 <= referral.children <= MAX_CHILDREN:
        errors["children"] = "Enter the number of children, 0 if none."
    elif referral.children_ages and len(referral.children_ages) != referral.children:
        errors["children_ages"] = (
            f"Give one age for each child: {referral.children} children, {len(referral.children_ages)} ages."
        )
    if any(not 0 <= age <= MAX_CHILD_AGE for age in referral.children_ages):
        errors["children_ages"] = f"Give each child's age in years, from 0 to {MAX_CHILD_AGE}."
    for name in (
        "perpetrator_at_address",
        "perpetrator_has_key",
        "contact_directly",
        "voicemail_ok",
        "letter_ok",
        "marac_referred",
    ):
        if getattr(referral, name) not in ANSWER_WORDS:
            errors[name] = "Choose one of the answers."
    if referral.police_dash_level not in DASH_LEVELS:
        errors["police_dash_level"] = "Choose standard, medium or high, or leave it blank if none was assessed."
    if referral.perpetrator_relationship not in ("", *Relationship.values):
        errors["perpetrator_relationship"] = "Choose the relationship from the list."
    if any(order not in CourtOrderType.values for order in referral.court_orders):
        errors["court_orders"] = "Choose the court orders from the list."
    if len(set(referral.court_orders)) != len(referral.court_orders):
        errors["court_orders"] = "Name each kind of court order once."
    if errors:
        raise ValidationError(errors)


@audited("case.referred", "case.household_member_added", "case.perpetrator_added", "case.contact_rules_updated")
@transaction.atomic
def agency_referral_submit(*, link: ReferralLink, referral: AgencyReferral, via: str = "referral link") -> Case:
    """Open a case in the landlord's triage inbox from an agency's referral (web form or API)."""
    _validate(referral)
    postcode = clean_postcode(referral.postcode)
    data = NewCase(
        lead_name=referral.tenant_name,
        source=link.source,
        referral_summary=_summary(referral),
        address=referral.address,
        postcode=postcode,
        lead_date_of_birth=referral.tenant_date_of_birth,
        referrer_details=_referrer_details(referral),
        children=referral.children,
        perpetrator_at_address=referral.perpetrator_at_address,
        perpetrator_has_key=referral.perpetrator_has_key,
    )
    with organisation_scope(link.organisation_id):
        # The case-opened hooks set the lock change, on its 24-hour clock from the referral.
        return case_receive_agency_referral(link=link, data=data, records=referred_records(referral), via=via)


@unaudited("turns a referral into records; reads and writes nothing")
def referred_records(referral: AgencyReferral) -> ReferredRecords:
    """The referral's structured facts as the case's own records (household, perpetrator, contact)."""
    perpetrator = None
    named = referral.perpetrator_name.strip()
    if named or YES in (referral.perpetrator_at_address, referral.perpetrator_has_key) or referral.court_orders:
        perpetrator = ReferredPerpetrator(
            name=named or "Not known",
            relationship=referral.perpetrator_relationship,
            lives_at_address=referral.perpetrator_at_address == YES,
            has_key=referral.perpetrator_has_key == YES,
            court_orders=referral.court_orders,
        )
    contact = None
    if referral.safe_phone.strip() or referral.safe_times.strip():
        contact = ReferredContact(
            safe_phone=referral.safe_phone,
            safe_times=referral.safe_times,
            phone_ok=referral.contact_directly == YES,
            voicemail_ok=referral.contact_directly == YES and referral.voicemail_ok == YES,
        )
    return ReferredRecords(children_ages=referral.children_ages, perpetrator=perpetrator, contact=contact)


@audited("case.self_referred")
@transaction.atomic
def contact_request_submit(*, organisation: Organisation, request: SelfReferral) -> Case:
    """Open a case from the tenant's own "contact me safely" request."""
    with organisation_scope(organisation.pk):
        return case_receive_self_referral(organisation=organisation, request=request)


@unaudited("computes a hash; reads and writes nothing")
def hash_link_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@audited("referral_link.created")
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


@audited("referral_link.deactivated")
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
