"""Reads of the landlord's own requests and homes, in its own scope. Reads across landlords (its
offers and proposals, which answer another landlord's request) live in ``pool``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from safemoves.cases.models import Case
from safemoves.cases.selectors import get_case, visible_cases
from safemoves.organisations.models import Membership
from safemoves.properties.codes import HomeStatus
from safemoves.properties.models import Home
from safemoves.reciprocal import policies
from safemoves.reciprocal.models import MoveRequest


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
    return requests_for_case_id(case.pk)


def requests_for_case_id(case_id: Any) -> QuerySet[MoveRequest]:
    return MoveRequest.objects.filter(case_id=case_id).order_by("-created_at")


def own_homes_for_offer(membership: Membership) -> QuerySet[Home]:
    if not policies.can_offer_homes(membership):
        return Home.objects.none()
    return Home.objects.filter(organisation_id=membership.organisation_id, status=HomeStatus.AVAILABLE).order_by(
        "available_from", "pk"
    )
