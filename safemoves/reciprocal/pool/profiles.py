"""The pool list and one shared profile, as allow-listed views (cross-landlord reads)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from safemoves.common.prepared import prepared
from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Membership
from safemoves.reciprocal import policies
from safemoves.reciprocal.codes import (
    POOL_STATUSES,
)
from safemoves.reciprocal.models import (
    SharedProfile,
)
from safemoves.reciprocal.pool.access import PoolAccess, _may_see_profile, _view
from safemoves.reciprocal.profile import ProfileView

POOL_PAGE_SIZE = 50


@dataclass(frozen=True)
class PoolPage:
    """One page of the pool: the profiles shown, and the page links' numbers."""

    profiles: list[ProfileView]
    page: Page[UUID]


def pool_profiles(
    membership: Membership, *, page_number: str | int | None = 1, per_page: int = POOL_PAGE_SIZE
) -> PoolPage:
    """Circulated requests this member may see, most urgent and longest waiting first.

    A fixed number of queries whatever the pool's size: membership and areas once, the
    sort keys of the admitted rows (no profile bodies), then the shown page's profiles.
    """
    if not policies.can_use_pool(membership):
        return PoolPage(profiles=[], page=Paginator([], per_page).get_page(1))
    access = PoolAccess.of(membership)
    zone = timezone.get_current_timezone()
    today = timezone.localdate(timezone=zone)
    with scopes_disabled():
        keys = access.key_rows()
        ordered = sorted(
            (
                (
                    urgent != "true",
                    -(int(waited) + max(0, (today - taken_at.astimezone(zone).date()).days)),
                    str(reference),
                    request_id,
                )
                for request_id, request_org, scheme_id, taken_at, safe_areas, urgent, waited, reference in keys
                if access.admits(safe_areas=safe_areas, scheme_id=scheme_id, request_org=request_org)
            )
        )
        page = Paginator([key[-1] for key in ordered], per_page).get_page(page_number)
        shown = list(page.object_list)
        # The request's status is the one column of the request a row shows: read beside the
        # profile, not the whole request row.
        by_id = {
            profile.request_id: profile
            for profile in prepared(
                SharedProfile.objects.filter(request_id__in=shown).annotate(request_status=F("request__status")),
                "reciprocal.pool.page",
            )
        }
        views = [
            _view(by_id[request_id], membership, status=by_id[request_id].request_status, today=today, zone=zone)
            for request_id in shown
            if request_id in by_id
        ]
    return PoolPage(profiles=views, page=page)


def get_pool_profile(membership: Membership, request_id: Any) -> ProfileView:
    with scopes_disabled():
        profile = (
            SharedProfile.objects.filter(request_id=request_id, request__status__in=POOL_STATUSES)
            .select_related("request")
            .first()
        )
        if profile is None or not _may_see_profile(
            membership, profile.data, profile.request.scheme_id, profile.organisation_id
        ):
            raise Http404
        return _view(profile, membership)


# --- the matching input (server side only) ------------------------------------------------
