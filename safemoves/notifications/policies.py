"""Who may use notifications, one rule per line."""

from __future__ import annotations

from safemoves.organisations.models import Membership


def can_read_notifications(membership: Membership) -> bool:
    # Every active member of staff has their own notifications and preferences.
    return membership.is_active
