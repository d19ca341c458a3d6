"""Who may see which report, one rule per line. A refusal is "not found"."""

from __future__ import annotations

from safemoves.organisations.models import Membership, Role


def can_see_landlord_dashboard(membership: Membership) -> bool:
    # Managers oversee their own landlord's cases.
    return membership.is_active and membership.role == Role.MANAGER


def can_see_scheme_dashboard(membership: Membership) -> bool:
    # The coordinator reports to the board; managers see the scheme with their own landlord's line.
    return membership.is_active and membership.role in (Role.COORDINATOR, Role.MANAGER)


def sees_every_landlord_line(membership: Membership) -> bool:
    # Only the coordinator sees each member's line (aggregates, small counts hidden).
    return membership.role == Role.COORDINATOR


def can_export_core(membership: Membership) -> bool:
    # A landlord's manager submits its lettings to CORE.
    return membership.is_active and membership.role == Role.MANAGER
