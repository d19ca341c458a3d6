from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from safemoves.notifications.selectors import unread_count
from safemoves.organisations.models import Membership
from safemoves.web.navigation import nav_for


class _UnreadCount:
    """The header's unread-notification count: one indexed count, run only when a page shows
    it and at most once per request (templates call a callable on each use)."""

    def __init__(self, membership: Membership) -> None:
        self.membership = membership
        self.value: int | None = None

    def __call__(self) -> int:
        if self.value is None:
            self.value = unread_count(self.membership)
        return self.value


def shell(request: HttpRequest) -> dict[str, object]:
    membership = getattr(request, "membership", None)
    return {
        "membership": membership,
        "navigation": nav_for(membership, request.path) if membership is not None else [],
        "unread_notifications": _UnreadCount(membership) if membership is not None else None,
        "demo_mode": settings.DEMO,
    }
