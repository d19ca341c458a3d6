"""Reads of void homes, always within the acting member's landlord."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from safemoves.audit.services import record_event
from safemoves.organisations.models import Membership
from safemoves.properties import policies
from safemoves.properties.codes import HomeStatus
from safemoves.properties.models import LISTED_STATUSES, Home, HomeImport


@dataclass(frozen=True)
class HomeFilters:
    status: str = ""  # "" means the homes still listed (available or offered)
    area_code: str = ""
    min_bedrooms: int | None = None
    step_free: bool = False
    pets: bool = False


def home_list(membership: Membership, filters: HomeFilters) -> QuerySet[Home]:
    if not policies.can_manage_homes(membership):
        return Home.objects.none()
    homes = Home.objects.filter(organisation_id=membership.organisation_id)
    if filters.status in HomeStatus.values:
        homes = homes.filter(status=filters.status)
    else:
        homes = homes.filter(status__in=LISTED_STATUSES)
    if filters.area_code:
        homes = homes.filter(area_code=filters.area_code)
    if filters.min_bedrooms is not None:
        homes = homes.filter(bedrooms__gte=filters.min_bedrooms)
    if filters.step_free:
        homes = homes.filter(step_free=True)
    if filters.pets:
        homes = homes.filter(pets_allowed=True)
    return homes.order_by("available_from", "created_at", "pk")


def own_home_listed(membership: Membership, home_id: Any) -> bool:
    """Whether ``home_id`` is one of the member's landlord's homes still listed (available or
    offered); a let home's address is protected and a withdrawn one is gone."""
    try:
        return Home.objects.filter(
            pk=home_id, organisation_id=membership.organisation_id, status__in=LISTED_STATUSES
        ).exists()
    except ValidationError:
        return False  # not a UUID


def get_home(membership: Membership, home_id: Any, *, purpose: str = "viewed") -> Home:
    """The home, if this member may see it, with the read in the access log; otherwise 404."""
    try:
        home = Home.objects.filter(pk=home_id, organisation_id=membership.organisation_id).first()
    except ValidationError:
        home = None  # not a UUID
    if home is None or not policies.can_see_home(membership, home):
        raise Http404
    # An audited read: atomic by itself (ADR 0036).
    record_event(
        action=f"home.{purpose}",
        actor=membership.user,
        organisation_id=membership.organisation_id,
        object_type="home",
        object_id=home.pk,
    )
    return home


def recent_imports(membership: Membership, *, limit: int = 10) -> QuerySet[HomeImport]:
    if not policies.can_manage_homes(membership):
        return HomeImport.objects.none()
    return HomeImport.objects.filter(organisation_id=membership.organisation_id).select_related("imported_by")[:limit]
