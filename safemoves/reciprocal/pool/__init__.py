"""The scheme's cross-landlord pool: every read that crosses landlords, in one package (ADR 0009, 0020).

This package is the place for cross-landlord reads: ruff's TID251 allow-list names
`safemoves/reciprocal/pool/**`, and nowhere else in the domain may disable the organisation scope
without an entry there. Each function here disables the scope deliberately and returns dataclasses
built from the allow-listed profile, the offering landlord's own home facts, or engine results turned
into "safe for this request" and rounded distances: never a model instance of another landlord,
never a name, address, postcode, phone or exact point of the household.

The exact unsafe and required places are read from the referring landlord's options appraisal
*on the server*, only to build the matching input, and never leave this package.

Split by concern (ADR 0029): `access` (membership, policy, who may see a profile), `profiles`
(the pool list and one profile), `fits` (the matching document, fits and unmet rules),
`proposals` (batch proposals), `offers` (offers and released identity), `moves`, `ledger`,
and `coordination` (a coordinator's look-ups). The names below are re-exported so
`from safemoves.reciprocal.pool import X` keeps working.
"""

from __future__ import annotations

from safemoves.reciprocal.codes import RequestStatus
from safemoves.reciprocal.pool.access import PoolAccess, member_scheme_ids, policy_in_force
from safemoves.reciprocal.pool.coordination import (
    home_for_coordinator,
    policy_history,
    request_for_coordinator,
    request_status_in,
)
from safemoves.reciprocal.pool.fits import (
    RULE_LABELS,
    Fit,
    fits_for_home,
    home_fit_failures,
    home_fits_request,
    ledger_balances,
    public_reasons,
    request_warnings,
    requests_withheld,
    unmet_rules_for_home,
)
from safemoves.reciprocal.pool.ledger import Balance, LedgerLine, LedgerSummary, get_ledger_entry, ledger_summary
from safemoves.reciprocal.pool.moves import MoveView, get_move_for_check_in, get_move_view
from safemoves.reciprocal.pool.offers import (
    Identity,
    OfferView,
    get_offer_for_work,
    get_offer_view,
    offers_on_request,
    released_identity,
    request_for_offer,
)
from safemoves.reciprocal.pool.profiles import POOL_PAGE_SIZE, PoolPage, get_pool_profile, pool_profiles
from safemoves.reciprocal.pool.proposals import BatchResult, Proposal, batch_proposals

__all__ = [
    "POOL_PAGE_SIZE",
    "RULE_LABELS",
    "Balance",
    "BatchResult",
    "Fit",
    "Identity",
    "LedgerLine",
    "LedgerSummary",
    "MoveView",
    "OfferView",
    "PoolAccess",
    "PoolPage",
    "Proposal",
    "RequestStatus",
    "batch_proposals",
    "fits_for_home",
    "get_ledger_entry",
    "get_move_for_check_in",
    "get_move_view",
    "get_offer_for_work",
    "get_offer_view",
    "get_pool_profile",
    "home_fit_failures",
    "home_fits_request",
    "home_for_coordinator",
    "ledger_balances",
    "ledger_summary",
    "member_scheme_ids",
    "offers_on_request",
    "policy_history",
    "policy_in_force",
    "pool_profiles",
    "public_reasons",
    "released_identity",
    "request_for_coordinator",
    "request_for_offer",
    "request_status_in",
    "request_warnings",
    "requests_withheld",
    "unmet_rules_for_home",
]
