"""Reads of a member's own notifications (scoped to the landlord, filtered to the person)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from safemoves.common.bound import Read
from safemoves.notifications.codes import NotificationKind
from safemoves.notifications.models import Notification, NotificationPreference
from safemoves.organisations.models import Membership


def _own(membership: Membership) -> QuerySet[Notification]:
    return Notification.objects.filter(organisation_id=membership.organisation_id, recipient_id=membership.user_id)


def _unread_count(organisation_id: int, user_id: int) -> QuerySet[Any]:
    """One row, the count, when there are unread notifications (none when there are none): a
    grouped count, so that it can be bound (ADR 0033); the same index as ``count()``."""
    unread = Notification.objects.filter(organisation_id=organisation_id, recipient_id=user_id, read_at__isnull=True)
    return unread.order_by().values("recipient_id").annotate(unread=Count("pk")).values_list("unread", flat=True)


def unread_count_reads(membership: Membership) -> list[Read[Any]]:
    """The header's unread count, as a read a page can send with its own (ADR 0035)."""
    by_member = {"organisation_id": membership.organisation_id, "user_id": membership.user_id}
    return [Read("notifications.unread", _unread_count, by_member)]


def unread_count(membership: Membership) -> int:
    (read,) = unread_count_reads(membership)
    counted = list(read.queryset())
    return int(counted[0]) if counted else 0


def notifications(membership: Membership) -> QuerySet[Notification]:
    return _own(membership).order_by("-created_at")


def get_notification(membership: Membership, notification_id: Any) -> Notification:
    """The member's own notification; anyone else's is "not found"."""
    found = _own(membership).filter(pk=notification_id).first()
    if found is None:
        raise Http404
    return found


def email_kinds(membership: Membership) -> list[str]:
    preference = NotificationPreference.objects.filter(user_id=membership.user_id).first()
    return list(preference.email_kinds) if preference is not None else list(NotificationKind.values)
