"""Who may do what with void homes, one rule per line. A refusal is always "not found"."""

from __future__ import annotations

from safemoves.organisations.models import Membership, Role
from safemoves.properties.codes import HomeStatus
from safemoves.properties.models import Home

# Lettings officers list and let their landlord's voids; managers oversee them.
HOME_MANAGERS = frozenset({Role.LETTINGS_OFFICER, Role.MANAGER})
# Scheme coordinators will see anonymised facts about the pool through the reciprocal app, not here.


def can_manage_homes(membership: Membership) -> bool:
    return membership.is_active and membership.role in HOME_MANAGERS


def can_see_home(membership: Membership, home: Home) -> bool:
    return can_manage_homes(membership) and home.organisation_id == membership.organisation_id


def can_change_home(membership: Membership, home: Home) -> bool:
    """Only a home still available may be edited or withdrawn; offered and let homes belong to a move."""
    return can_see_home(membership, home) and home.status == HomeStatus.AVAILABLE
