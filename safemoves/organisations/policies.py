"""Who may do what, one rule per line. A refusal is always shown as "not found"."""

from __future__ import annotations

from safemoves.organisations.models import Membership, Role

# Organisation administrators run their own staff list.
STAFF_ADMINS = frozenset({Role.ADMIN})
# Auditors and administrators read the organisation's audit log.
AUDIT_READERS = frozenset({Role.AUDITOR, Role.ADMIN})


def can_manage_staff(membership: Membership) -> bool:
    return membership.is_active and membership.role in STAFF_ADMINS


def can_read_audit_log(membership: Membership) -> bool:
    return membership.is_active and membership.role in AUDIT_READERS
