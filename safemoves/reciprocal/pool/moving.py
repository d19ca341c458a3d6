"""The move's steps as each side may see them (ADR 0028): viewings, the sign-up date, the consent
to the handover, and the handed-over case for the rehousing landlord (its reading audited like a
case's). Reads across landlords go through the offer's access rules (`offers.get_offer_view` /
`get_offer_for_work`): a side that may not see the offer gets "not found". The rehousing
landlord's handover, and the safe address on it, are never read for the referring landlord.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import Http404

from safemoves.audit.services import record_event
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Membership
from safemoves.reciprocal import policies
from safemoves.reciprocal.codes import AccessNeed, OfferStatus, ViewingOutcome
from safemoves.reciprocal.models import Handover, HandoverConsent, Move, Offer, SignUp, Viewing
from safemoves.reciprocal.pool.offers import OfferView, get_offer_for_work, get_offer_view
from safemoves.reciprocal.profile import risk_band_label


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
    offer: OfferView
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
    offer = get_offer_view(membership, offer_id)
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
        get_offer_for_work(membership, offer_id, side="referring")
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
    # An audited read: atomic by itself (ADR 0036).
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
