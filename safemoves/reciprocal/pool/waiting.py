"""Requests waiting too long with no offer: circulated, no live offer, for longer than the
scheme's ``waiting_alert_days``. The coordinator's home page lists them and the tick
notifies the coordinators and the nominating officer once per request. Only the anonymous
reference and the days waiting leave the referring landlord."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from safemoves.audit.registry import unaudited
from safemoves.common.scoping import scopes_disabled
from safemoves.notifications.codes import NotificationKind
from safemoves.notifications.services import notify
from safemoves.organisations.models import Membership, Role, Scheme, SchemeMembership
from safemoves.reciprocal.codes import RequestStatus
from safemoves.reciprocal.models import MoveRequest
from safemoves.reciprocal.pool.access import policy_in_force


@dataclass(frozen=True)
class WaitingRequest:
    request_id: Any
    reference: str
    days_waiting: int
    organisation_id: int
    nominating_officer_id: int


def waiting_requests(scheme_id: int, *, now: datetime | None = None, limit: int | None = None) -> list[WaitingRequest]:
    """Two queries: the policy in force and the waiting requests (longest first)."""
    now = now or timezone.now()
    days = policy_in_force(scheme_id).waiting_alert_days
    with scopes_disabled():
        rows = (
            MoveRequest.objects.filter(
                scheme_id=scheme_id, status=RequestStatus.CIRCULATED, circulated_at__lt=now - timedelta(days=days)
            )
            .order_by("circulated_at")
            .values_list("pk", "reference", "circulated_at", "organisation_id", "nominating_officer_id")
        )
        found = list(rows[:limit] if limit else rows)
    return [
        WaitingRequest(pk, reference, (now - (circulated_at or now)).days, organisation_id, officer_id)
        for pk, reference, circulated_at, organisation_id, officer_id in found
    ]


@unaudited("writes notifications only (the scheme reference and days waiting), no case data")
def notify_requests_waiting(*, now: datetime | None = None) -> list[str]:
    """Tell the scheme's coordinators and the nominating officer, once per request (the tick)."""
    notified: list[str] = []
    for scheme_id in Scheme.objects.order_by("pk").values_list("pk", flat=True):
        waiting = waiting_requests(scheme_id, now=now)
        if not waiting:
            continue
        member_ids = SchemeMembership.objects.filter(scheme_id=scheme_id, is_active=True).values_list(
            "organisation_id", flat=True
        )
        with scopes_disabled():
            coordinators = list(
                Membership.objects.filter(
                    organisation_id__in=list(member_ids), role=Role.COORDINATOR, is_active=True
                ).select_related("user")
            )
            officers = {
                membership.user_id: membership.user
                for membership in Membership.objects.filter(
                    user_id__in={item.nominating_officer_id for item in waiting}
                ).select_related("user")
            }
        for item in waiting:
            key = f"waiting:{item.request_id}"
            created = notify(
                organisation_id=item.organisation_id,
                recipients=[officers.get(item.nominating_officer_id)],
                kind=NotificationKind.REQUEST_WAITING,
                reference=item.reference,
                link=reverse("reciprocal:request_detail", kwargs={"request_id": item.request_id}),
                once_key=key,
            )
            for coordinator in coordinators:
                created += notify(
                    organisation_id=coordinator.organisation_id,
                    recipients=[coordinator.user],
                    kind=NotificationKind.REQUEST_WAITING,
                    reference=item.reference,
                    link=reverse("reciprocal:pool_request", kwargs={"request_id": item.request_id}),
                    once_key=key,
                )
            if created:
                notified.append(item.reference)
    return notified
