"""Batch proposals of homes for requests across the scheme, and a landlord's own open proposals
(cross-landlord reads)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.http import Http404

from safemoves.common.scoping import scopes_disabled
from safemoves.matching import match
from safemoves.organisations.models import Membership, Organisation, SchemeMembership
from safemoves.reciprocal import policies
from safemoves.reciprocal.codes import ProposalStatus
from safemoves.reciprocal.models import OfferProposal
from safemoves.reciprocal.pool.access import _view, member_scheme_ids
from safemoves.reciprocal.pool.fits import (
    _available_homes,
    _document,
    _household,
    _offerable_requests,
    ledger_balances,
    public_reasons,
)
from safemoves.reciprocal.profile import ProfileView


@dataclass(frozen=True)
class Proposal:
    profile: ProfileView
    home_id: UUID
    home_organisation: str
    home_area: str
    home_bedrooms: int
    score: int
    reasons: list[str]


@dataclass(frozen=True)
class BatchResult:
    proposals: list[Proposal]
    unmatched: list[ProfileView]
    households: int
    homes: int


def batch_proposals(membership: Membership) -> BatchResult:
    """The coordinator's run of the engine over the whole pool of its schemes."""
    if not policies.can_coordinate(membership):
        raise Http404
    schemes = member_scheme_ids(membership.organisation_id)
    with scopes_disabled():
        households = [_household(request) for request in _offerable_requests(schemes)]
        members = list(
            SchemeMembership.objects.filter(scheme_id__in=schemes, is_active=True).values_list(
                "organisation_id", flat=True
            )
        )
        homes = _available_homes(members)
        names = dict(Organisation.objects.filter(pk__in=members).values_list("pk", "name"))
        if not households or not homes:
            unmatched_views = [_view(h.profile, membership) for h in households]
            return BatchResult([], unmatched_views, len(households), len(homes))
        result = match(_document(households, homes, ledger_balances(schemes)))
        by_household = {h.entry["id"]: h for h in households}
        by_home = {str(home.pk): home for home in homes}
        proposals: list[Proposal] = []
        unmatched = [by_household[key] for key in result["unmatched"]]
        for assignment in result["assignments"]:
            household = by_household[assignment["household"]]
            home = by_home[assignment["home"]]
            proposals.append(
                Proposal(
                    profile=_view(household.profile, membership),
                    home_id=home.pk,
                    home_organisation=names.get(home.organisation_id, ""),
                    home_area=home.area_code,
                    home_bedrooms=home.bedrooms,
                    score=int(assignment["score"]),
                    reasons=public_reasons(household, home),
                )
            )
        proposals.sort(key=lambda p: (-p.score, p.profile.reference))
        return BatchResult(
            proposals=proposals,
            unmatched=sorted((_view(h.profile, membership) for h in unmatched), key=lambda v: v.reference),
            households=len(households),
            homes=len(homes),
        )


# --- offers ---------------------------------------------------------------------------------


def own_proposals(membership: Membership) -> list[OfferProposal]:
    """The coordinator's proposals of this landlord's homes, awaiting its lettings staff,
    with the (other landlord's) request each answers: read explicitly, as in :func:`own_offers`."""
    if not policies.can_offer_homes(membership):
        return []
    with scopes_disabled():
        return list(
            OfferProposal.objects.filter(organisation_id=membership.organisation_id, status=ProposalStatus.PROPOSED)
            .select_related("request", "home")
            .order_by("proposed_at")
        )


def get_proposal(membership: Membership, proposal_id: Any) -> OfferProposal:
    """An open proposal of one of this landlord's homes; anything else is not found."""
    proposal = next((p for p in own_proposals(membership) if str(p.pk) == str(proposal_id)), None)
    if proposal is None:
        raise Http404
    return proposal
