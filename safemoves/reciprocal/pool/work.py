"""What the home page shows of the reciprocal scheme, as plain data (references, dates, no
household details). Offers live in the offering landlord's scope, so the referring side's
view of them is read here, where cross-landlord reads belong; each function is one query. The
case's clock source (``case_deadlines``) reads the other landlord's offer and move deadlines too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from safemoves.cases.models import Case
from safemoves.common.bound import Read
from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Membership
from safemoves.reciprocal.codes import OfferStatus, ProposalStatus, RequestStatus
from safemoves.reciprocal.models import Move, MoveRequest, Offer, OfferProposal

LIMIT = 10
# A request is "near" its circulation deadline within this many days of it (or past it).
CIRCULATION_WARNING = timedelta(days=2)


@dataclass(frozen=True)
class WorkItem:
    reference: str
    object_id: Any
    when: datetime | None
    extra: str = ""


def _offers_awaiting_tenant(organisation_id: int, user_id: int) -> QuerySet[Any]:
    return (
        Offer.objects.filter(
            referring_organisation_id=organisation_id,
            status=OfferStatus.OFFERED,
            request__organisation_id=organisation_id,
        )
        .filter(Q(request__nominating_officer_id=user_id) | Q(request__case__assigned_officer_id=user_id))
        .order_by("expires_at")
        .values_list("request__reference", "pk", "expires_at")[:LIMIT]
    )


def offers_awaiting_tenant(membership: Membership) -> list[WorkItem]:
    """Offers made to the officer's requests, awaiting the tenant's answer (the offer's expiry)."""
    ids = {"organisation_id": membership.organisation_id, "user_id": membership.user_id}
    with scopes_disabled():
        # On every officer's home page: one statement built once (ADR 0033).
        rows = Read("home.offers_awaiting_tenant", _offers_awaiting_tenant, ids).queryset()
        return [WorkItem(reference, pk, expires) for reference, pk, expires in rows]


def _approved_requests_by_deadline(organisation_id: int, user_id: int) -> QuerySet[Any]:
    return (
        MoveRequest.objects.filter(
            organisation_id=organisation_id, status=RequestStatus.APPROVED, circulation_due_at__isnull=False
        )
        .filter(Q(nominating_officer_id=user_id) | Q(case__assigned_officer_id=user_id))
        .order_by("circulation_due_at", "pk")
        .values_list("reference", "pk", "circulation_due_at")[:LIMIT]
    )


def near_circulation_read(membership: Membership) -> Read[Any]:
    """The officer's approved requests, the circulation deadline first, as one bound read
    (ADR 0033; a time cannot be bound, so :func:`requests_near_circulation` applies it)."""
    ids = {"organisation_id": membership.organisation_id, "user_id": membership.user_id}
    return Read("home.near_circulation", _approved_requests_by_deadline, ids)


def requests_near_circulation(membership: Membership, *, now: datetime | None = None) -> list[WorkItem]:
    """The officer's approved requests not yet circulated whose circulation deadline is near or past.

    The earliest LIMIT deadlines, less those not yet near: ordered by the deadline, the same
    rows as the query with the deadline in it (a request without a deadline is never near,
    and is not read: it would take a place among the first LIMIT where nulls sort first)."""
    near = (now or timezone.now()) + CIRCULATION_WARNING
    return [
        WorkItem(reference, pk, due)
        for reference, pk, due in near_circulation_read(membership).queryset()
        if due <= near
    ]


def own_offers_awaiting_reply(membership: Membership) -> list[WorkItem]:
    """The landlord's own offers that the other landlord's tenant has not answered yet."""
    # The request belongs to the other landlord: only its scheme reference is read, through the
    # explicit cross-landlord mechanism (row-level security hides the join otherwise).
    with scopes_disabled():
        rows = list(
            Offer.objects.filter(organisation_id=membership.organisation_id, status=OfferStatus.OFFERED)
            .order_by("expires_at")
            .values_list("request__reference", "pk", "expires_at")[:LIMIT]
        )
    return [WorkItem(reference, pk, expires) for reference, pk, expires in rows]


def proposals_to_confirm(membership: Membership) -> list[WorkItem]:
    """Coordinators' proposals of the landlord's homes, awaiting its lettings staff."""
    with scopes_disabled():  # the request's scheme reference, as above
        rows = list(
            OfferProposal.objects.filter(organisation_id=membership.organisation_id, status=ProposalStatus.PROPOSED)
            .order_by("proposed_at")
            .values_list("request__reference", "pk", "proposed_at")[:LIMIT]
        )
    return [WorkItem(reference, pk, proposed) for reference, pk, proposed in rows]


def scheme_proposals_open(scheme_ids: list[int]) -> list[WorkItem]:
    """Every open proposal in the coordinator's schemes, awaiting a landlord's confirmation."""
    with scopes_disabled():
        rows = (
            OfferProposal.objects.filter(request__scheme_id__in=scheme_ids, status=ProposalStatus.PROPOSED)
            .order_by("proposed_at")
            .values_list("request__reference", "request_id", "proposed_at", "organisation__name")[:LIMIT]
        )
        return [WorkItem(reference, pk, proposed, landlord) for reference, pk, proposed, landlord in rows]


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
