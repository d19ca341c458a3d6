"""The scheme's cross-landlord pool: every read and write that crosses landlords, in one package
(ADR 0009, 0020, 0029).

This package is the one place that may disable the organisation scope in the scheme: ruff's TID251
allow-list names `safemoves/reciprocal/pool/**` and no other reciprocal module. Each read here
disables the scope deliberately and returns dataclasses built from the allow-listed profile, the
offering landlord's own home facts, or engine results turned into "safe for this request" and
rounded distances: never a model instance of another landlord, never a name, address, postcode,
phone or exact point of the household. The writes (`services`) write each landlord's rows inside
that landlord's own scope, explicitly.

The exact unsafe and required places are read from the referring landlord's options appraisal
*on the server*, only to build the matching input, and never leave this package.

Reads, split by concern (ADR 0029): `access` (membership, policy, who may see a profile),
`profiles` (the pool list and one profile), `fits` (the matching document, fits and unmet rules),
`probing` (the per-landlord limit on fit checks, ADR 0012), `proposals` (batch proposals, and a
landlord's own open proposals), `offers` (offers, a landlord's own offers, released identity),
`moves`, `moving` (viewings, sign-up and the handed-over case, ADR 0028), `ledger`,
`coordination` (a coordinator's look-ups), `work` (home-page panels and the case clock) and
`waiting` (requests waiting too long, and the tick that says so).

Writes live in the `services` subpackage (`requests`, `offers`, `proposals`, `viewings`,
`handover`, `moves`, `ledger`, `policy`), each public function declaring its audit actions.
The read names below are re-exported so `from safemoves.reciprocal.pool import X` keeps working;
writes are reached as `from safemoves.reciprocal.pool import services`.
"""

from __future__ import annotations

from safemoves.reciprocal.codes import RequestStatus
from safemoves.reciprocal.pool.access import PoolAccess, access_reads, member_scheme_ids, policy_in_force
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
    own_offers,
    released_identity,
    request_for_offer,
)
from safemoves.reciprocal.pool.profiles import POOL_PAGE_SIZE, PoolPage, get_pool_profile, pool_profiles
from safemoves.reciprocal.pool.proposals import BatchResult, Proposal, batch_proposals, get_proposal, own_proposals

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
    "access_reads",
    "batch_proposals",
    "fits_for_home",
    "get_ledger_entry",
    "get_move_for_check_in",
    "get_move_view",
    "get_offer_for_work",
    "get_offer_view",
    "get_pool_profile",
    "get_proposal",
    "home_fit_failures",
    "home_fits_request",
    "home_for_coordinator",
    "ledger_balances",
    "ledger_summary",
    "member_scheme_ids",
    "offers_on_request",
    "own_offers",
    "own_proposals",
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
