"""Who may do what in the reciprocal scheme, one rule per line. A refusal is always "not found".

The referring landlord works its requests through its cases; other members see only the
anonymised profile of circulated requests in the areas where they hold stock; the
coordinator sees the whole pool anonymised.
"""

from __future__ import annotations

from safemoves.cases.models import Case
from safemoves.cases.policies import CASE_READERS, CASE_WORKERS, can_view_case, can_work_case
from safemoves.organisations.models import Membership, Role

# Lettings officers and managers consider circulated requests for their landlord's homes.
POOL_MEMBERS = frozenset({Role.LETTINGS_OFFICER, Role.MANAGER, Role.COORDINATOR})
HOME_OFFERERS = frozenset({Role.LETTINGS_OFFICER, Role.MANAGER})


def can_list_own_requests(membership: Membership) -> bool:
    # Case workers and auditors see the requests raised from the cases they may see.
    return membership.is_active and membership.role in CASE_READERS


def can_raise_request(membership: Membership, case: Case) -> bool:
    # Officers and managers raise a request from a case they work.
    return membership.role in CASE_WORKERS and can_work_case(membership, case)


def can_see_request(membership: Membership, case: Case) -> bool:
    # The referring landlord's staff who may see the case see its request in full.
    return can_view_case(membership, case)


def can_work_request(membership: Membership, case: Case) -> bool:
    return membership.role in CASE_WORKERS and can_view_case(membership, case)


def can_approve_request(membership: Membership, case: Case) -> bool:
    # The landlord's named lead for the scheme is a manager.
    return membership.role == Role.MANAGER and can_view_case(membership, case)


def can_use_pool(membership: Membership) -> bool:
    return membership.is_active and membership.role in POOL_MEMBERS


def can_offer_homes(membership: Membership) -> bool:
    return membership.is_active and membership.role in HOME_OFFERERS


def can_coordinate(membership: Membership) -> bool:
    # A coordinator is employed by one member and acts for the whole scheme.
    return membership.is_active and membership.role == Role.COORDINATOR


def can_see_offers(membership: Membership) -> bool:
    # Offering side (lettings, managers), referring side (case readers), or the coordinator.
    return membership.is_active and membership.role in POOL_MEMBERS | CASE_READERS
