"""Who may manage a landlord's letter templates, one rule per line. Writing letters follows the case's own rules."""

from __future__ import annotations

from safemoves.organisations.models import Membership, Role


def can_manage_letter_templates(membership: Membership) -> bool:
    # The landlord's manager (and its administrator) own the wording of its letters.
    return membership.is_active and membership.role in (Role.MANAGER, Role.ADMIN)
