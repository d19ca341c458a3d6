"""The role-aware navigation: each entry names the policy that admits it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from safemoves.organisations import policies
from safemoves.organisations.models import Membership


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    allowed: Callable[[Membership], bool]


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Home", "web:home", lambda membership: membership.is_active),
    NavItem("Staff", "organisations:staff", policies.can_manage_staff),
    NavItem("Audit log", "audit:log", policies.can_read_audit_log),
)


def nav_for(membership: Membership, current_path: str) -> list[dict[str, object]]:
    items = []
    for item in NAVIGATION:
        if item.allowed(membership):
            url = reverse(item.url_name)
            current = current_path == url if url == "/" else current_path.startswith(url)
            items.append({"label": item.label, "url": url, "current": current})
    return items
