"""Reads for the public intake pages and the staff page that manages referral links.

The public pages have no signed-in member, so no organisation scope is active when they
start: the referral-link token (or the landlord's slug) is the only thing that says which
landlord the visitor is talking to. The token lookup is the one deliberate cross-organisation
read here; everything after it runs inside that landlord's scope.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from safemoves.cases.models import CaseSettings
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.intake.models import ReferralLink
from safemoves.intake.services import hash_link_token
from safemoves.organisations.models import Membership, Organisation

DEFAULT_FIRST_CONTACT_WORKING_DAYS: int = CaseSettings._meta.get_field("first_contact_working_days").get_default()


def active_referral_link(token: str) -> ReferralLink:
    """The active referral link whose token this is; unknown and inactive tokens are the same 404."""
    with scopes_disabled():
        link = (
            ReferralLink.objects.filter(token_hash=hash_link_token(token), is_active=True)
            .select_related("organisation")
            .first()
        )
    if link is None:
        raise Http404
    return link


def organisation_for_contact_page(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    return organisation


def first_contact_working_days(organisation: Organisation) -> int:
    """How many working days the landlord promises for first contact (its triage clock)."""
    with organisation_scope(organisation.pk):
        settings = CaseSettings.objects.filter(organisation_id=organisation.pk).first()
    return settings.first_contact_working_days if settings else DEFAULT_FIRST_CONTACT_WORKING_DAYS


def referral_links(membership: Membership) -> QuerySet[ReferralLink]:
    return ReferralLink.objects.filter(organisation_id=membership.organisation_id).order_by(
        "-is_active", "agency_name", "-created_at"
    )


def get_referral_link(membership: Membership, link_id: int) -> ReferralLink:
    link = referral_links(membership).filter(pk=link_id).first()
    if link is None:
        raise Http404
    return link
