"""The consented handover of the case to the rehousing landlord, and the safe address and contact
rules it records after the move (ADR 0028)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.registry import audited
from safemoves.audit.services import record_case_event, record_event
from safemoves.cases.codes import CaseStatus
from safemoves.cases.models import SafeContactRules
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.geo.postcodes import PostcodeError, normalise_postcode
from safemoves.reciprocal.codes import OfferStatus
from safemoves.reciprocal.models import Handover, HandoverConsent, Move, MoveRequest, Offer
from safemoves.reciprocal.pool.services.base import TEXT_LIMIT, _lock_offer_with_case
from safemoves.reciprocal.profile import household_shape, risk_band

# The safe-contact rules that are handed over and can be updated after the move.
CONTACT_TEXT = ("safe_phone", "safe_email", "safe_times")


CONTACT_FLAGS = ("phone_ok", "sms_ok", "voicemail_ok", "email_ok", "letter_ok", "visit_ok")


HANDOVER_FIELDS = ["lead_name", "household", "access_need", "pets", "support_needs", "contact_rules", "risk_band"]


@audited("reciprocal.handover_consent_recorded", "reciprocal.case_handed_over")
@transaction.atomic
def handover_consent_record(
    *, offer: Offer, actor: User, given_by: str, given_on: date, how_given: str, support_needs: str = ""
) -> HandoverConsent:
    """The tenant's consent to hand the case over, recorded by the referring landlord. If the move
    is already recorded, the handover is made now; otherwise when the move is recorded."""
    current = _lock_offer_with_case(offer)
    errors = {}
    if not given_by.strip():
        errors["given_by"] = "Enter who gave the consent, for example the tenant."
    if not how_given.strip():
        errors["how_given"] = "Enter how the consent was given, for example a signed form."
    if given_on > timezone.localdate():
        errors["given_on"] = "The date the consent was given cannot be in the future."
    for name, value in (("given_by", given_by), ("how_given", how_given), ("support_needs", support_needs)):
        if len(value.strip()) > TEXT_LIMIT:
            errors[name] = f"Keep this to {TEXT_LIMIT} characters or fewer."
    if errors:
        raise ValidationError(errors)
    if current.status not in (OfferStatus.ACCEPTED, OfferStatus.MOVED):
        raise ValidationError("Consent to a handover can be recorded only once the tenant has accepted the offer.")
    if current.request.case.status == CaseStatus.CLOSED:
        raise ValidationError("The case behind this request is closed.")
    with scopes_disabled():
        if HandoverConsent.objects.filter(offer=current).exists():
            raise ValidationError("Consent to the handover is already recorded for this offer.")
    with organisation_scope(current.referring_organisation_id):
        consent = HandoverConsent.objects.create(
            organisation_id=current.referring_organisation_id,
            offer=current,
            given_by=given_by.strip(),
            given_on=given_on,
            how_given=how_given.strip(),
            support_needs=support_needs.strip(),
            recorded_by=actor,
        )
    record_case_event(
        action="reciprocal.handover_consent_recorded",
        actor=actor,
        organisation_id=current.referring_organisation_id,
        case_id=current.request.case_id,
        fields=["given_by", "given_on", "how_given", *(["support_needs"] if consent.support_needs else [])],
        reason=f"move request {current.request_id}: offer {current.pk}",
    )
    with scopes_disabled():
        move = Move.objects.filter(offer=current).first()
    if move is not None:
        _make_handover(move=move, consent=consent, offer=current, actor=actor)
    return consent


@audited("reciprocal.case_handed_over")
def handover_on_move(*, move: Move, offer: Offer, actor: User) -> Handover | None:
    """Called by ``moves.move_record`` in its transaction: the handover, if consent is recorded."""
    with scopes_disabled():
        consent = HandoverConsent.objects.filter(offer_id=offer.pk).first()
    if consent is None:
        return None
    return _make_handover(move=move, consent=consent, offer=offer, actor=actor)


def _contact_rules(case: Any) -> dict[str, Any]:
    rules = SafeContactRules.objects.filter(case=case).first()
    values: dict[str, Any] = dict.fromkeys((*CONTACT_TEXT, "code_word"), "")
    values.update(dict.fromkeys(CONTACT_FLAGS, False))
    if rules is not None:
        for name in (*CONTACT_TEXT, "code_word", *CONTACT_FLAGS):
            values[name] = getattr(rules, name)
    # The old safe postal address stays behind, so letters wait for the new safe address.
    values["letter_ok"] = False
    return values


def _make_handover(*, move: Move, consent: HandoverConsent, offer: Offer, actor: User) -> Handover:
    """Copy the minimal handover set, and nothing else: no history, notes, DASH answers, places,
    old address or perpetrator details (the contact rules carry what safe contact needs)."""
    # The request and its case belong to the referring landlord: read through the explicit
    # cross-landlord mechanism (the caller runs in the rehousing landlord's scope).
    with scopes_disabled():
        request = MoveRequest.objects.select_related("case").get(pk=offer.request_id)
        case = request.case
    with organisation_scope(case.organisation_id):
        household = [
            {
                "kind": member.get_kind_display(),
                "name": member.name,
                "date_of_birth": member.date_of_birth.isoformat() if member.date_of_birth else "",
            }
            for member in case.household.order_by("created_at")
        ]
        adults, _children = household_shape(case)
        band = risk_band(case)
        rules = _contact_rules(case)
        lead_name = case.lead_name
        support_needs = consent.support_needs
    with organisation_scope(move.organisation_id):
        handover = Handover.objects.create(
            organisation_id=move.organisation_id,
            move=move,
            consent=consent,
            lead_name=lead_name,
            household=json.dumps(household),
            access_need=request.access_need,
            pets=request.pets,
            support_needs=support_needs,
            contact_rules=json.dumps(rules),
            risk_band=band,
            created_by=actor,
        )
    record_event(
        action="reciprocal.case_handed_over",
        actor=actor,
        organisation_id=move.organisation_id,
        object_type="handover",
        object_id=handover.pk,
        fields=HANDOVER_FIELDS,
        reason=f"move {move.pk}, handover consent {consent.pk}",
    )
    record_case_event(
        action="reciprocal.case_handed_over",
        actor=actor,
        organisation_id=case.organisation_id,
        case_id=case.pk,
        fields=HANDOVER_FIELDS,
        reason=f"move request {request.pk}: move {move.pk}, handover consent {consent.pk}, {adults} adult(s)",
    )
    return handover


@audited("reciprocal.handover_safe_contact_updated")
@transaction.atomic
def handover_update_safe_contact(
    *, handover: Handover, actor: User, safe_address: str, safe_postcode: str, rules: dict[str, Any]
) -> bool:
    """The rehousing landlord records the safe address and contact rules after the move, on its
    handed-over case only. An unchanged save changes nothing. Returns whether anything changed."""
    errors = {}
    address = safe_address.strip()
    postcode = ""
    if len(address) > TEXT_LIMIT:
        errors["safe_address"] = f"Keep the address to {TEXT_LIMIT} characters or fewer."
    if safe_postcode.strip():
        try:
            postcode = normalise_postcode(safe_postcode)
        except PostcodeError:
            errors["safe_postcode"] = "Enter the safe address's postcode in the format CT1 1AA."
    if address and not postcode and "safe_postcode" not in errors:
        errors["safe_postcode"] = "Enter the postcode of the safe address."
    clean_rules: dict[str, Any] = {}
    for name in CONTACT_TEXT:
        value = str(rules.get(name, "")).strip()
        if len(value) > TEXT_LIMIT:
            errors[name] = f"Keep this to {TEXT_LIMIT} characters or fewer."
        clean_rules[name] = value
    for name in CONTACT_FLAGS:
        clean_rules[name] = bool(rules.get(name, False))
    if clean_rules["letter_ok"] and not address:
        errors["safe_address"] = "Enter the safe address before allowing letters."
    if (clean_rules["phone_ok"] or clean_rules["sms_ok"] or clean_rules["voicemail_ok"]) and not clean_rules[
        "safe_phone"
    ]:
        errors["safe_phone"] = "Enter the safe phone number before allowing calls, texts or voicemail."
    if clean_rules["email_ok"] and not clean_rules["safe_email"]:
        errors["safe_email"] = "Enter the safe e-mail address before allowing e-mail."
    if errors:
        raise ValidationError(errors)
    with scopes_disabled():
        current = Handover.objects.select_for_update().get(pk=handover.pk)
    old_rules = json.loads(current.contact_rules)
    new_rules = {**old_rules, **clean_rules}
    changed = [name for name in (*CONTACT_TEXT, *CONTACT_FLAGS) if old_rules.get(name) != new_rules[name]]
    if current.safe_address != address:
        changed.append("safe_address")
    if current.safe_postcode != postcode:
        changed.append("safe_postcode")
    if not changed:
        return False
    with organisation_scope(current.organisation_id):
        current.safe_address = address
        current.safe_postcode = postcode
        current.contact_rules = json.dumps(new_rules)
        current.updated_by = actor
        current.updated_at = timezone.now()
        current.save(update_fields=["safe_address", "safe_postcode", "contact_rules", "updated_by", "updated_at"])
    # Only in the rehousing landlord's log: the referring landlord is not told the address changed.
    record_event(
        action="reciprocal.handover_safe_contact_updated",
        actor=actor,
        organisation_id=current.organisation_id,
        object_type="handover",
        object_id=current.pk,
        fields=changed,
    )
    with scopes_disabled():  # the caller's copy may belong to the other landlord
        handover.refresh_from_db()
    return True
