"""Reads of the API app, always inside the acting organisation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from safemoves.api import policies
from safemoves.api.models import ApiReferral, ApiToken
from safemoves.cases.codes import CaseStatus
from safemoves.cases.models import Case
from safemoves.intake.models import ReferralLink
from safemoves.organisations.models import Membership

RECEIVED, CONTACT_MADE, CLOSED = "received", "contact_made", "closed"
REFERRAL_STATUSES = (RECEIVED, CONTACT_MADE, CLOSED)


def api_tokens(membership: Membership) -> QuerySet[ApiToken]:
    if not policies.can_manage_api_tokens(membership):
        return ApiToken.objects.none()
    return (
        ApiToken.objects.filter(organisation_id=membership.organisation_id)
        .select_related("membership__user", "referral_link", "created_by", "revoked_by")
        .order_by("-created_at", "-pk")
    )


def get_api_token(membership: Membership, token_id: int) -> ApiToken:
    token = api_tokens(membership).filter(pk=token_id).first()
    if token is None or not policies.can_revoke_token(membership, token):
        raise Http404
    return token


def token_links(membership: Membership) -> QuerySet[ReferralLink]:
    return ReferralLink.objects.filter(organisation_id=membership.organisation_id, is_active=True)


def token_members(membership: Membership) -> QuerySet[Membership]:
    return Membership.objects.filter(
        organisation_id=membership.organisation_id,
        is_active=True,
        role__in=policies.STAFF_TOKEN_ROLES | policies.HOUSING_TOKEN_ROLES,
    ).select_related("user")


def referral_status(case: Case) -> str:
    """All an agency learns of its referral: received, contact made, or closed."""
    if case.status == CaseStatus.CLOSED:
        return CLOSED
    if case.first_contact_at is not None:
        return CONTACT_MADE
    return RECEIVED


def agency_referrals(token: ApiToken) -> QuerySet[ApiReferral]:
    """The referrals this token's agency sent through the API (any of its tokens), newest first."""
    return (
        ApiReferral.objects.filter(organisation_id=token.organisation_id, referral_link_id=token.referral_link_id)
        .select_related("case")
        .order_by("-created_at", "pk")
    )


def get_agency_referral(token: ApiToken, referral_id: Any) -> ApiReferral:
    try:
        found = agency_referrals(token).filter(pk=referral_id).first()
    except ValidationError:
        found = None  # not a UUID
    if found is None:
        raise Http404
    return found
