"""Scheme membership, the policy in force, and who may see a shared profile (cross-landlord reads)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Any

from django.db.models import Q, QuerySet

from safemoves.common.bound import Read
from safemoves.organisations.models import Membership, Organisation, Role, SchemeMembership
from safemoves.reciprocal import policies
from safemoves.reciprocal.codes import (
    POOL_STATUSES,
)
from safemoves.reciprocal.models import (
    SchemePolicy,
    SharedProfile,
)
from safemoves.reciprocal.profile import ProfileView


def _active_scheme_ids(organisation_id: int) -> QuerySet[Any]:
    return (
        SchemeMembership.objects.filter(organisation_id=organisation_id, is_active=True)
        .order_by("scheme_id")
        .values_list("scheme_id", flat=True)
    )


def _member_schemes_read(organisation_id: int) -> Read[Any]:
    return Read("reciprocal.member_schemes", _active_scheme_ids, {"organisation_id": organisation_id})


def member_scheme_ids(organisation_id: int) -> list[int]:
    # Read on every pool page and every scheme write: one statement built once (ADR 0033).
    return list(_member_schemes_read(organisation_id).queryset())


def policy_in_force(scheme_id: int) -> SchemePolicy:
    """The newest policy version of the scheme; the defaults (unsaved) when none was set."""
    found = SchemePolicy.objects.filter(scheme_id=scheme_id).order_by("-version").first()
    return found or SchemePolicy(scheme_id=scheme_id, version=0)


def _area_codes(organisation_id: int) -> QuerySet[Any]:
    return Organisation.objects.filter(pk=organisation_id).values_list("area_codes", flat=True)


def _organisation_areas_read(organisation_id: int) -> Read[Any]:
    return Read("reciprocal.organisation_areas", _area_codes, {"organisation_id": organisation_id})


def _organisation_areas(organisation_id: int) -> set[str]:
    return {code for codes in _organisation_areas_read(organisation_id).queryset() for code in codes}


def access_reads(membership: Membership) -> list[Read[Any]]:
    """The reads :meth:`PoolAccess.of` makes, declared so that a page can send them with its
    other reads in one round trip (ADR 0035)."""
    return [_member_schemes_read(membership.organisation_id), _organisation_areas_read(membership.organisation_id)]


@dataclass(frozen=True)
class PoolAccess:
    """What decides which circulated requests a member sees, read once per request."""

    organisation_id: int
    is_coordinator: bool
    scheme_ids: frozenset[int]
    areas: frozenset[str]

    @classmethod
    def of(cls, membership: Membership) -> PoolAccess:
        return cls(
            organisation_id=membership.organisation_id,
            is_coordinator=membership.role == Role.COORDINATOR,
            scheme_ids=frozenset(member_scheme_ids(membership.organisation_id)),
            areas=frozenset(_organisation_areas(membership.organisation_id)),
        )

    def admits(self, *, safe_areas: Iterable[str], scheme_id: int, request_org: int) -> bool:
        if scheme_id not in self.scheme_ids:
            return False
        if request_org == self.organisation_id:
            return True  # the referring landlord's own request
        if self.is_coordinator:
            return True  # the coordinator sees the whole pool, anonymised
        # Lettings officers and managers see requests naming an area where their landlord has stock.
        return bool(self.areas & set(safe_areas))

    def profiles(self) -> QuerySet[SharedProfile]:
        """The pool rows this access admits, filtered in SQL (call with scopes disabled).

        The area rule matches each area code with its JSON quotes in the profile's
        ``safe_areas`` array text, which is exact for the fixed-form area codes and portable
        between SQLite and PostgreSQL; :meth:`admits` stays the rule of record.
        """
        profiles = SharedProfile.objects.filter(
            request__scheme_id__in=self.scheme_ids, request__status__in=POOL_STATUSES
        )
        if self.is_coordinator:
            return profiles
        named_area = Q(organisation_id=self.organisation_id)
        for code in sorted(self.areas):
            named_area |= Q(data__safe_areas__icontains=f'"{code}"')
        return profiles.filter(named_area)


def _may_see_profile(
    membership: Membership,
    data: dict[str, Any],
    scheme_id: int,
    request_org: int,
    *,
    access: PoolAccess | None = None,
) -> bool:
    if not policies.can_use_pool(membership):
        return False
    access = access or PoolAccess.of(membership)
    return access.admits(safe_areas=data["safe_areas"], scheme_id=scheme_id, request_org=request_org)


def _view(
    profile: SharedProfile,
    membership: Membership,
    *,
    status: str | None = None,
    today: date | None = None,
    zone: tzinfo | None = None,
) -> ProfileView:
    """The allow-listed view of ``profile``; ``status`` is its request's, when read without the
    request; ``today`` and ``zone`` as :meth:`ProfileView.from_data` takes them."""
    return ProfileView.from_data(
        request_id=profile.request_id,
        data=profile.data,
        taken_at=profile.taken_at,
        status=profile.request.status if status is None else status,
        is_own=profile.organisation_id == membership.organisation_id,
        today=today,
        zone=zone,
    )
