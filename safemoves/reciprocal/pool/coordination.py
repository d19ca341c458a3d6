"""A scheme coordinator's look-ups of requests, homes and policy history (cross-landlord reads)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Membership, SchemeMembership
from safemoves.properties.codes import HomeStatus
from safemoves.properties.models import Home
from safemoves.reciprocal import policies
from safemoves.reciprocal.codes import (
    POOL_STATUSES,
)
from safemoves.reciprocal.models import (
    MoveRequest,
    SchemePolicy,
)
from safemoves.reciprocal.pool.access import member_scheme_ids


def request_for_coordinator(membership: Membership, request_id: Any) -> MoveRequest:
    """A pool request of the coordinator's scheme, for turning a proposal into an offer."""
    if not policies.can_coordinate(membership):
        raise Http404
    with scopes_disabled():
        try:
            request = MoveRequest.objects.filter(
                pk=request_id,
                scheme_id__in=member_scheme_ids(membership.organisation_id),
                status__in=POOL_STATUSES,
            ).first()
        except (ValueError, ValidationError):
            request = None
    if request is None:
        raise ValidationError("That request is no longer in the pool.")
    return request


def home_for_coordinator(membership: Membership, home_id: Any) -> Home:
    """An available home of a member of the coordinator's scheme."""
    if not policies.can_coordinate(membership):
        raise Http404
    schemes = member_scheme_ids(membership.organisation_id)
    with scopes_disabled():
        members = SchemeMembership.objects.filter(scheme_id__in=schemes, is_active=True).values("organisation_id")
        try:
            home = Home.objects.filter(pk=home_id, organisation_id__in=members, status=HomeStatus.AVAILABLE).first()
        except (ValueError, ValidationError):
            home = None
    if home is None:
        raise ValidationError("That home is no longer available.")
    return home


def policy_history(scheme_id: int) -> list[SchemePolicy]:
    return list(SchemePolicy.objects.filter(scheme_id=scheme_id).select_related("created_by").order_by("-version"))


def request_status_in(request_id: Any, statuses: Iterable[str]) -> bool:
    with scopes_disabled():
        return MoveRequest.objects.filter(pk=request_id, status__in=list(statuses)).exists()
