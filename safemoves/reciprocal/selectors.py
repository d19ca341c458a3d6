"""Reads of the referring landlord's own requests. Cross-landlord reads live in ``pool``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from safemoves.cases.models import Case
from safemoves.cases.selectors import get_case, visible_cases
from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Membership
from safemoves.properties.codes import HomeStatus
from safemoves.properties.models import Home
from safemoves.reciprocal import policies
from safemoves.reciprocal.codes import OfferStatus, ProposalStatus, RequestStatus
from safemoves.reciprocal.models import Move, MoveRequest, Offer, OfferProposal


def own_requests(membership: Membership) -> QuerySet[MoveRequest]:
    if not policies.can_list_own_requests(membership):
        return MoveRequest.objects.none()
    return (
        MoveRequest.objects.filter(organisation_id=membership.organisation_id, case__in=visible_cases(membership))
        .select_related("case", "nominating_officer")
        .order_by("-created_at")
    )


def get_request(
    membership: Membership,
    request_id: Any,
    *,
    purpose: str = "viewed",
    policy: Callable[[Membership, Case], bool] = policies.can_see_request,
) -> MoveRequest:
    """The landlord's own request, if the member may see its case (the read is logged on the case)."""
    request = (
        MoveRequest.objects.filter(pk=request_id, organisation_id=membership.organisation_id)
        .select_related("case", "nominating_officer", "approved_by")
        .first()
    )
    if request is None:
        raise Http404
    get_case(membership, request.case_id, purpose=purpose, policy=policy)
    return request


def requests_for_case(case: Case) -> QuerySet[MoveRequest]:
    return MoveRequest.objects.filter(case=case).order_by("-created_at")


def own_homes_for_offer(membership: Membership) -> QuerySet[Home]:
    if not policies.can_offer_homes(membership):
        return Home.objects.none()
    return Home.objects.filter(organisation_id=membership.organisation_id, status=HomeStatus.AVAILABLE).order_by(
        "available_from", "pk"
    )


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


def case_deadlines(case: Case) -> datetime | None:
    """Clock source: circulation due, her decision on an offer due, or the post-move check-in."""
    candidates: list[datetime] = []
    for request in MoveRequest.objects.filter(case_id=case.pk, status=RequestStatus.APPROVED):
        if request.circulation_due_at is not None:
            candidates.append(request.circulation_due_at)
    with scopes_disabled():
        # Offers and moves belong to the other landlord; only their deadlines are read here.
        candidates.extend(
            Offer.objects.filter(request__case_id=case.pk, status=OfferStatus.OFFERED).values_list(
                "expires_at", flat=True
            )
        )
        candidates.extend(
            Move.objects.filter(request__case_id=case.pk, check_in_done_at__isnull=True).values_list(
                "check_in_due_at", flat=True
            )
        )
    return min(candidates) if candidates else None
