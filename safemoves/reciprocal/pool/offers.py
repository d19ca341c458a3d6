"""Offers seen from either side, a landlord's own offers, and the identity released to the offering
landlord (cross-landlord reads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.http import Http404

from safemoves.audit.services import record_case_event, record_event
from safemoves.cases.codes import ConsentPurpose
from safemoves.cases.models import Case, SafeContactRules
from safemoves.cases.policies import can_view_case
from safemoves.cases.services import consent_in_force
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Membership, Role
from safemoves.reciprocal import policies
from safemoves.reciprocal.codes import OfferStatus
from safemoves.reciprocal.models import (
    IdentityRelease,
    Move,
    MoveRequest,
    Offer,
)
from safemoves.reciprocal.pool.access import member_scheme_ids
from safemoves.reciprocal.pool.fits import _area_label
from safemoves.reciprocal.pool.profiles import get_pool_profile


@dataclass(frozen=True)
class OfferView:
    id: UUID
    status: str
    status_label: str
    reference: str
    request_id: UUID
    offering_organisation: str
    offered_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    refusal_reason: str
    reasonable_refusal: bool | None
    home_id: UUID
    home_area: str
    home_bedrooms: int
    home_step_free: bool
    home_wheelchair: str
    home_pets: bool
    home_rent: str
    home_tenancy: str
    home_available_from: date
    # Only the offering landlord sees its void home's address; it is not the household's.
    home_address: str
    is_offering_side: bool
    is_referring_side: bool
    may_decide: bool
    may_release: bool
    may_record_move: bool
    identity_released: bool
    move_id: UUID | None


def _offer_sides(membership: Membership, offer: Offer) -> tuple[bool, bool]:
    offering = (offer.organisation_id == membership.organisation_id and membership.role in policies.HOME_OFFERERS) or (
        membership.role == Role.COORDINATOR and offer.request.scheme_id in member_scheme_ids(membership.organisation_id)
    )
    referring = offer.referring_organisation_id == membership.organisation_id and can_view_case(
        membership, offer.request.case
    )
    return offering, referring


def get_offer_view(membership: Membership, offer_id: Any) -> OfferView:
    if not policies.can_see_offers(membership):
        raise Http404
    with scopes_disabled():
        offer = (
            Offer.objects.filter(pk=offer_id)
            .select_related("request__case", "home", "organisation", "request__move")
            .first()
        )
        if offer is None:
            raise Http404
        offering, referring = _offer_sides(membership, offer)
        if not offering and not referring:
            raise Http404
        home = offer.home
        released = IdentityRelease.objects.filter(offer=offer).exists()
        move = Move.objects.filter(offer=offer).first()
        works_case = referring and policies.can_work_request(membership, offer.request.case)
        own_offerer = offer.organisation_id == membership.organisation_id and membership.role in policies.HOME_OFFERERS
        return OfferView(
            id=offer.pk,
            status=offer.status,
            status_label=offer.get_status_display(),
            reference=offer.request.reference,
            request_id=offer.request_id,
            offering_organisation=offer.organisation.name,
            offered_at=offer.offered_at,
            expires_at=offer.expires_at,
            decided_at=offer.decided_at,
            refusal_reason=offer.get_refusal_reason_display() if offer.refusal_reason else "",
            reasonable_refusal=offer.reasonable_refusal,
            home_id=home.pk,
            home_area=_area_label(home.area_code),
            home_bedrooms=home.bedrooms,
            home_step_free=home.step_free,
            home_wheelchair=home.get_wheelchair_standard_display(),
            home_pets=home.pets_allowed,
            home_rent=str(home.weekly_rent),
            # The tenancy fixed when the offer was made (what the move records), not retyped.
            home_tenancy=offer.get_tenancy_display() if offer.tenancy else home.get_tenancy_offered_display(),
            home_available_from=home.available_from,
            home_address=home.address if own_offerer and not home.address_is_protected else "",
            is_offering_side=offering,
            is_referring_side=referring,
            may_decide=works_case and offer.status == OfferStatus.OFFERED,
            may_release=works_case and offer.status == OfferStatus.ACCEPTED and not released,
            may_record_move=own_offerer and offer.status == OfferStatus.ACCEPTED and released,
            identity_released=released,
            move_id=move.pk if move else None,
        )


@dataclass(frozen=True)
class Identity:
    name: str
    contact_route: list[str]


def released_identity(membership: Membership, offer_id: Any) -> Identity | None:
    """The household's name and safe contact route, for the rehousing landlord's lettings staff
    once the offer is accepted, the identity released and consent still in force. Every read is
    written to the audit log of both landlords."""
    if membership.role not in policies.HOME_OFFERERS:
        return None
    with scopes_disabled():
        release = (
            IdentityRelease.objects.filter(
                offer_id=offer_id,
                organisation_id=membership.organisation_id,
                offer__status__in=[OfferStatus.ACCEPTED, OfferStatus.MOVED],
            )
            .select_related("offer__request__case")
            .first()
        )
        if release is None:
            return None
        case: Case = release.offer.request.case
        with organisation_scope(case.organisation_id):
            if consent_in_force(case, ConsentPurpose.SCHEME_SHARING) is None:
                return None
            rules = SafeContactRules.objects.filter(case=case).first()
        route: list[str] = []
        if rules is not None:
            if rules.phone_ok and rules.safe_phone:
                route.append(f"Phone: {rules.safe_phone}")
            if rules.sms_ok and rules.safe_phone:
                route.append(f"Text message: {rules.safe_phone}")
            if rules.email_ok and rules.safe_email:
                route.append(f"E-mail: {rules.safe_email}")
            if rules.letter_ok and rules.safe_postal_address:
                route.append(f"Letter: {rules.safe_postal_address}")
            if rules.safe_times:
                route.append(f"Safe times: {rules.safe_times}")
        if not route:
            route.append("Through the named case officer at the referring landlord")
        identity = Identity(name=case.lead_name, contact_route=route)
        with transaction.atomic():
            record_event(
                action="reciprocal.identity_viewed",
                actor=membership.user,
                organisation_id=membership.organisation_id,
                object_type="offer",
                object_id=release.offer_id,
            )
            record_case_event(
                action="case.viewed",
                actor=membership.user,
                organisation_id=case.organisation_id,
                case_id=case.pk,
                reason=f"identity released through offer {release.offer_id}",
            )
        return identity


def offers_on_request(request: MoveRequest) -> list[dict[str, Any]]:
    """Offers made on the referring landlord's own request (any member may have made them)."""
    with scopes_disabled():
        return [
            {
                "id": offer.pk,
                "status": offer.get_status_display(),
                "offering_organisation": offer.organisation.name,
                "home_area": _area_label(offer.home.area_code),
                "home_bedrooms": offer.home.bedrooms,
                "expires_at": offer.expires_at,
                "is_live": offer.is_live,
            }
            for offer in Offer.objects.filter(request_id=request.pk).select_related("organisation", "home")
        ]


def get_offer_for_work(membership: Membership, offer_id: Any, *, side: str) -> Offer:
    """The offer, for a service call by one side ("offering" or "referring"); 404 otherwise."""
    with scopes_disabled():
        offer = Offer.objects.filter(pk=offer_id).select_related("request__case", "home").first()
        if offer is None:
            raise Http404
        if side == "offering":
            allowed = offer.organisation_id == membership.organisation_id and policies.can_offer_homes(membership)
        else:
            allowed = offer.referring_organisation_id == membership.organisation_id and policies.can_work_request(
                membership, offer.request.case
            )
        if not allowed:
            raise Http404
        return offer


def request_for_offer(membership: Membership, request_id: Any) -> MoveRequest:
    """A request in the pool that this lettings officer may offer a home to; 404 otherwise."""
    profile = get_pool_profile(membership, request_id)
    if profile.is_own or not policies.can_offer_homes(membership):
        raise Http404
    with scopes_disabled():
        request = MoveRequest.objects.filter(pk=profile.request_id).first()
        if request is None:
            raise Http404
        return request


# --- moves ----------------------------------------------------------------------------------


def own_offers(membership: Membership) -> list[Offer]:
    """Offers this landlord has made (its lettings staff), with the request each answers.

    The request is the referring landlord's row: read here, explicitly, because the database's
    row-level security hides it from this landlord's scope (ADR 0020). Following it further
    (``offer.request.case``) finds nothing."""
    if not policies.can_offer_homes(membership):
        return []
    with scopes_disabled():
        return list(
            Offer.objects.filter(organisation_id=membership.organisation_id)
            .select_related("request")
            .order_by("-offered_at")
        )
