"""The move itself (issue 14 item 8; ADR 0028): viewings, the sign-up date, the consented
handover of the case to the rehousing landlord, and the safe address after the move.

Writes follow ``services``: atomic, checked before writing (each step after acceptance reruns
``services._check_pair``, ADR 0013), audited in the same transaction. Reads across landlords
go through the offer's access rules in ``pool`` (``get_offer_view`` / ``get_offer_for_work``):
a side that may not see the offer gets "not found". The rehousing landlord's handover, and the
safe address on it, are never read for the referring landlord.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.audit.services import record_event
from safemoves.cases.codes import CaseStatus
from safemoves.cases.models import SafeContactRules
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.geo.postcodes import PostcodeError, normalise_postcode
from safemoves.organisations.models import Membership
from safemoves.properties.models import Home
from safemoves.reciprocal import policies, pool, services
from safemoves.reciprocal.codes import AccessNeed, OfferStatus, ViewingOutcome
from safemoves.reciprocal.models import Handover, HandoverConsent, Move, MoveRequest, Offer, SignUp, Viewing
from safemoves.reciprocal.profile import household_shape, risk_band, risk_band_label

# The safe-contact rules that are handed over and can be updated after the move.
CONTACT_TEXT = ("safe_phone", "safe_email", "safe_times")
CONTACT_FLAGS = ("phone_ok", "sms_ok", "voicemail_ok", "email_ok", "letter_ok", "visit_ok")
TEXT_LIMIT = 500


def _stage_checks(offer: Offer, stage: str) -> None:
    """The offer must be accepted (not yet moved) and the home must still be one the household
    may move into: every rule of the scheme, checked again (ADR 0013)."""
    if offer.status != OfferStatus.ACCEPTED:
        raise ValidationError(
            f"A home can be {stage} only while the offer is accepted and before the move "
            f"(this offer is {offer.get_status_display().lower()})."
        )
    request = offer.request
    if request.case.status == CaseStatus.CLOSED:
        raise ValidationError("The case behind this request is closed.")
    with scopes_disabled():
        home = Home.objects.get(pk=offer.home_id)
    services._check_pair(
        home=home, request=request, tenancy=offer.tenancy or home.tenancy_offered, stage=stage, offer=offer
    )


def _lock_offer(offer: Offer) -> Offer:
    with scopes_disabled():
        return Offer.objects.select_for_update().select_related("request__case").get(pk=offer.pk)


def _both_sides(offer: Offer, *, action: str, actor: User, object_type: str, object_id: Any, fields: list[str]) -> None:
    """The event in the rehousing landlord's log, and on the case in the referring landlord's."""
    record_event(
        action=action,
        actor=actor,
        organisation_id=offer.organisation_id,
        object_type=object_type,
        object_id=object_id,
        fields=fields,
        reason=f"offer {offer.pk}",
    )
    record_event(
        action=action,
        actor=actor,
        organisation_id=offer.referring_organisation_id,
        object_type="case",
        object_id=offer.request.case_id,
        fields=fields,
        reason=f"move request {offer.request_id}: offer {offer.pk}",
    )


# --- viewings ---------------------------------------------------------------------------------


@transaction.atomic
def viewing_arrange(*, offer: Offer, actor: User, starts_at: datetime, place_note: str = "") -> Viewing:
    """The rehousing landlord arranges a viewing of the accepted home."""
    current = _lock_offer(offer)
    errors = {}
    if starts_at <= timezone.now():
        errors["starts_at"] = "Enter a date and time for the viewing in the future."
    if len(place_note.strip()) > TEXT_LIMIT:
        errors["place_note"] = f"Keep the note to {TEXT_LIMIT} characters or fewer."
    if errors:
        raise ValidationError(errors)
    _stage_checks(current, "viewed")
    with organisation_scope(current.organisation_id):
        viewing = Viewing.objects.create(
            organisation_id=current.organisation_id,
            referring_organisation_id=current.referring_organisation_id,
            offer=current,
            starts_at=starts_at,
            place_note=place_note.strip(),
            arranged_by=actor,
        )
    _both_sides(
        current,
        action="reciprocal.viewing_arranged",
        actor=actor,
        object_type="viewing",
        object_id=viewing.pk,
        fields=["starts_at", *(["place_note"] if viewing.place_note else [])],
    )
    return viewing


@transaction.atomic
def viewing_outcome(*, viewing: Viewing, actor: User, outcome: str, referring_side: bool) -> None:
    """The referring landlord's officer records what happened (attended, did not attend) or
    cancels; the rehousing landlord may cancel only."""
    allowed = (
        (ViewingOutcome.ATTENDED, ViewingOutcome.NOT_ATTENDED, ViewingOutcome.CANCELLED)
        if referring_side
        else (ViewingOutcome.CANCELLED,)
    )
    if outcome not in allowed:
        raise ValidationError({"outcome": "Choose what happened at the viewing."})
    with scopes_disabled():
        current = Viewing.objects.select_for_update().select_related("offer__request").get(pk=viewing.pk)
    if current.outcome != ViewingOutcome.ARRANGED:
        raise ValidationError(f"This viewing is already recorded as {current.get_outcome_display().lower()}.")
    if outcome != ViewingOutcome.CANCELLED and current.starts_at > timezone.now():
        raise ValidationError("What happened at a viewing can be recorded only once its time has come.")
    with organisation_scope(current.organisation_id):
        current.outcome = outcome
        current.outcome_by = actor
        current.outcome_at = timezone.now()
        current.save(update_fields=["outcome", "outcome_by", "outcome_at"])
    _both_sides(
        current.offer,
        action=f"reciprocal.viewing_{outcome}",
        actor=actor,
        object_type="viewing",
        object_id=current.pk,
        fields=["outcome"],
    )
    with scopes_disabled():  # the caller's copy may belong to the other landlord
        viewing.refresh_from_db()


def viewings_cancel_for(offer: Offer, actor: User | None) -> None:
    """Called by ``services`` when an offer ends without a move: its arranged viewings are cancelled."""
    with scopes_disabled():
        open_viewings = list(
            Viewing.objects.select_for_update().filter(offer_id=offer.pk, outcome=ViewingOutcome.ARRANGED)
        )
    for viewing in open_viewings:
        with organisation_scope(viewing.organisation_id):
            viewing.outcome = ViewingOutcome.CANCELLED
            viewing.outcome_by = actor
            viewing.outcome_at = timezone.now()
            viewing.save(update_fields=["outcome", "outcome_by", "outcome_at"])
        record_event(
            action="reciprocal.viewing_cancelled",
            actor=actor,
            organisation_id=viewing.organisation_id,
            object_type="viewing",
            object_id=viewing.pk,
            fields=["outcome"],
            reason=f"offer {offer.pk} {offer.status}",
        )


# --- sign-up --------------------------------------------------------------------------------


@transaction.atomic
def sign_up_record(*, offer: Offer, actor: User, sign_up_on: date) -> SignUp:
    """The date the new tenancy is signed, recorded (or moved) by the rehousing landlord."""
    current = _lock_offer(offer)
    if sign_up_on < timezone.localdate(current.offered_at):
        raise ValidationError({"sign_up_on": "The sign-up date cannot be before the offer was made."})
    _stage_checks(current, "signed up for")
    with organisation_scope(current.organisation_id):
        existing = SignUp.objects.filter(offer=current).first()
        if existing is not None and existing.sign_up_on == sign_up_on:
            return existing
        if existing is None:
            sign_up = SignUp.objects.create(
                organisation_id=current.organisation_id, offer=current, sign_up_on=sign_up_on, recorded_by=actor
            )
        else:
            sign_up = existing
            sign_up.sign_up_on = sign_up_on
            sign_up.recorded_by = actor
            sign_up.recorded_at = timezone.now()
            sign_up.save(update_fields=["sign_up_on", "recorded_by", "recorded_at"])
    _both_sides(
        current,
        action="reciprocal.sign_up_recorded",
        actor=actor,
        object_type="sign_up",
        object_id=sign_up.pk,
        fields=["sign_up_on"],
    )
    return sign_up


# --- the consented handover -------------------------------------------------------------------


@transaction.atomic
def handover_consent_record(
    *, offer: Offer, actor: User, given_by: str, given_on: date, how_given: str, support_needs: str = ""
) -> HandoverConsent:
    """The tenant's consent to hand the case over, recorded by the referring landlord. If the move
    is already recorded, the handover is made now; otherwise when the move is recorded."""
    current = _lock_offer(offer)
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
    record_event(
        action="reciprocal.handover_consent_recorded",
        actor=actor,
        organisation_id=current.referring_organisation_id,
        object_type="case",
        object_id=current.request.case_id,
        fields=["given_by", "given_on", "how_given", *(["support_needs"] if consent.support_needs else [])],
        reason=f"move request {current.request_id}: offer {current.pk}",
    )
    with scopes_disabled():
        move = Move.objects.filter(offer=current).first()
    if move is not None:
        _make_handover(move=move, consent=consent, offer=current, actor=actor)
    return consent


def handover_on_move(*, move: Move, offer: Offer, actor: User) -> Handover | None:
    """Called by ``services.move_record`` in its transaction: the handover, if consent is recorded."""
    with scopes_disabled():
        consent = HandoverConsent.objects.filter(offer_id=offer.pk).first()
    if consent is None:
        return None
    return _make_handover(move=move, consent=consent, offer=offer, actor=actor)


HANDOVER_FIELDS = ["lead_name", "household", "access_need", "pets", "support_needs", "contact_rules", "risk_band"]


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
    record_event(
        action="reciprocal.case_handed_over",
        actor=actor,
        organisation_id=case.organisation_id,
        object_type="case",
        object_id=case.pk,
        fields=HANDOVER_FIELDS,
        reason=f"move request {request.pk}: move {move.pk}, handover consent {consent.pk}, {adults} adult(s)",
    )
    return handover


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


# --- reads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ViewingLine:
    id: UUID
    starts_at: datetime
    outcome: str
    outcome_label: str
    # The rehousing landlord's own note; "" for the referring side.
    place_note: str
    may_record_outcome: bool
    may_cancel: bool


@dataclass(frozen=True)
class MovingView:
    offer: pool.OfferView
    viewings: list[ViewingLine]
    sign_up_on: date | None
    consent_recorded: bool
    # Who gave the consent, when and how: the referring landlord's own record only.
    consent_given_by: str
    consent_given_on: date | None
    consent_how_given: str
    handed_over: bool
    # The handed-over case, for the rehousing landlord only.
    handover_id: UUID | None
    may_arrange: bool
    may_sign_up: bool
    may_record_consent: bool


def moving_view(membership: Membership, offer_id: Any) -> MovingView:
    """The move's steps for one accepted offer, as each side may see them; "not found" otherwise."""
    offer = pool.get_offer_view(membership, offer_id)
    if offer.status not in (OfferStatus.ACCEPTED, OfferStatus.MOVED):
        raise Http404
    own_offerer = offer.may_record_move or (
        offer.is_offering_side and _offering_staff(membership, offer.id) and offer.status == OfferStatus.ACCEPTED
    )
    works_case = offer.is_referring_side and _works_case(membership, offer.id)
    accepted = offer.status == OfferStatus.ACCEPTED
    with scopes_disabled():
        viewings = list(Viewing.objects.filter(offer_id=offer.id))
        sign_up = SignUp.objects.filter(offer_id=offer.id).first()
        consent = HandoverConsent.objects.filter(offer_id=offer.id).first()
        handover = Handover.objects.filter(consent__offer_id=offer.id).first()
    rehousing_staff = _offering_staff(membership, offer.id)
    lines = [
        ViewingLine(
            id=viewing.pk,
            starts_at=viewing.starts_at,
            outcome=viewing.outcome,
            outcome_label=viewing.get_outcome_display(),
            place_note=viewing.place_note if rehousing_staff else "",
            may_record_outcome=works_case and viewing.outcome == ViewingOutcome.ARRANGED,
            may_cancel=(works_case or rehousing_staff) and viewing.outcome == ViewingOutcome.ARRANGED,
        )
        for viewing in viewings
    ]
    referring_reads_consent = offer.is_referring_side and consent is not None
    return MovingView(
        offer=offer,
        viewings=lines,
        sign_up_on=sign_up.sign_up_on if sign_up else None,
        consent_recorded=consent is not None,
        consent_given_by=consent.given_by if referring_reads_consent and consent else "",
        consent_given_on=consent.given_on if consent else None,
        consent_how_given=consent.how_given if referring_reads_consent and consent else "",
        handed_over=handover is not None,
        handover_id=handover.pk if handover is not None and rehousing_staff else None,
        may_arrange=own_offerer and accepted,
        may_sign_up=own_offerer and accepted,
        may_record_consent=works_case and consent is None,
    )


def _offering_staff(membership: Membership, offer_id: Any) -> bool:
    with scopes_disabled():
        organisation_id = Offer.objects.filter(pk=offer_id).values_list("organisation_id", flat=True).first()
    return organisation_id == membership.organisation_id and policies.can_offer_homes(membership)


def _works_case(membership: Membership, offer_id: Any) -> bool:
    try:
        pool.get_offer_for_work(membership, offer_id, side="referring")
    except Http404:
        return False
    return True


def get_viewing_for_work(membership: Membership, viewing_id: Any) -> tuple[Viewing, bool]:
    """A viewing and whether the member acts for the referring side; "not found" unless the
    member works the case (referring) or is the rehousing landlord's lettings staff."""
    with scopes_disabled():
        viewing = Viewing.objects.filter(pk=viewing_id).first()
    if viewing is None:
        raise Http404
    if _works_case(membership, viewing.offer_id):
        return viewing, True
    if _offering_staff(membership, viewing.offer_id):
        return viewing, False
    raise Http404


@dataclass(frozen=True)
class HandoverView:
    id: UUID
    reference: str
    offer_id: UUID
    move_date: date
    lead_name: str
    household: list[dict[str, str]]
    access_need: str
    pets: bool
    support_needs: str
    contact_rules: dict[str, Any]
    risk_band: str
    safe_address: str
    safe_postcode: str
    updated_at: datetime | None


def get_handover(membership: Membership, handover_id: Any) -> Handover:
    """The handed-over case, for the rehousing landlord's lettings staff only."""
    if not policies.can_offer_homes(membership):
        raise Http404
    with organisation_scope(membership.organisation_id):
        handover = Handover.objects.filter(pk=handover_id).first()
    if handover is None:
        raise Http404
    return handover


def handover_view(membership: Membership, handover_id: Any) -> HandoverView:
    """The handed-over case, its reading audited like a case's."""
    handover = get_handover(membership, handover_id)
    # The move request is the referring landlord's row: only its scheme reference is read.
    with scopes_disabled():
        move = Move.objects.select_related("request").get(pk=handover.move_id)
    with transaction.atomic():
        record_event(
            action="reciprocal.handover_viewed",
            actor=membership.user,
            organisation_id=membership.organisation_id,
            object_type="handover",
            object_id=handover.pk,
        )
    return HandoverView(
        id=handover.pk,
        reference=move.request.reference,
        offer_id=move.offer_id,
        move_date=move.move_date,
        lead_name=handover.lead_name,
        household=json.loads(handover.household),
        access_need=AccessNeed(handover.access_need).label,
        pets=handover.pets,
        support_needs=handover.support_needs,
        contact_rules=json.loads(handover.contact_rules),
        risk_band=risk_band_label(handover.risk_band),
        safe_address=handover.safe_address,
        safe_postcode=handover.safe_postcode,
        updated_at=handover.updated_at,
    )
