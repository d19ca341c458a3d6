"""Who may use the safety pages that are not about one case, one rule per line.

Case pages use the case policies: case workers (officer or manager who can work the case)
write, auditors read, everyone else gets "not found".
"""

from __future__ import annotations

from safemoves.cases.policies import CASE_READERS, CASE_WORKERS
from safemoves.organisations.models import Membership, Role


def can_see_overdue(membership: Membership) -> bool:
    # Officers see their own overdue actions, managers every one of the landlord's.
    return membership.is_active and membership.role in CASE_WORKERS


def can_read_directory(membership: Membership) -> bool:
    return membership.is_active and membership.role in CASE_READERS


def can_manage_directory(membership: Membership) -> bool:
    return membership.is_active and membership.role == Role.MANAGER
