"""Who may do what with API tokens, one rule per line. A refusal is always "not found"."""

from __future__ import annotations

from safemoves.api.models import ApiToken, TokenPurpose
from safemoves.organisations.models import Membership, Role

# The roles a staff token may act as: those that read cases on the web.
STAFF_TOKEN_ROLES = frozenset({Role.OFFICER, Role.MANAGER, Role.AUDITOR})
# The roles a housing-system token may act as: those that list void homes on the web.
HOUSING_TOKEN_ROLES = frozenset({Role.LETTINGS_OFFICER, Role.MANAGER})


def can_manage_api_tokens(membership: Membership) -> bool:
    # An organisation administrator issues and revokes its landlord's tokens.
    return membership.is_active and membership.role == Role.ADMIN


def can_revoke_token(membership: Membership, token: ApiToken) -> bool:
    return can_manage_api_tokens(membership) and token.organisation_id == membership.organisation_id


def token_may_act_as(purpose: str, membership: Membership) -> bool:
    # A token never has more reach than the member it acts as has on the web.
    if purpose == TokenPurpose.STAFF:
        return membership.is_active and membership.role in STAFF_TOKEN_ROLES
    if purpose == TokenPurpose.HOUSING_SYSTEM:
        return membership.is_active and membership.role in HOUSING_TOKEN_ROLES
    return False
