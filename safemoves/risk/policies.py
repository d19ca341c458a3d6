"""Who may do what in the risk app, one rule per line. A refusal is always "not found"."""

from __future__ import annotations

from safemoves.organisations.models import Membership, Role

# Managers and organisation administrators set their landlord's risk thresholds (only stricter).
RISK_SETTINGS_MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})


def can_manage_risk_settings(membership: Membership) -> bool:
    return membership.is_active and membership.role in RISK_SETTINGS_MANAGERS
