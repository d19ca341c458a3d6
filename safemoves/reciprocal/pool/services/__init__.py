"""Writes of the reciprocal scheme, the cross-landlord half of the pool (ADR 0020, 0029).

Each transition is one service: atomic, validated before writing, refused with the reason when
illegal, and audited in the same transaction (ids, codes and field names only). Every public
function declares the audit actions it records (``@audited``) or why it records none
(``@unaudited``); ``tests/foundation/test_audited_writes.py`` walks this package.

A scheme transition touches two landlords (the referring one and the offering one); each
side's rows are written inside that landlord's own organisation scope, explicitly.

Split by concern: `base` (locks, request states, the case event, reloads), `checks` (the rules
rerun at every step), `requests`, `offers` (and the identity release), `proposals`, `viewings`
(and the sign-up date), `handover`, `moves` (and the check-in), `ledger` and `policy`. Every
public name is re-exported here, so `from safemoves.reciprocal.pool import services` and
`services.X` reach all of them.
"""

from __future__ import annotations

from safemoves.reciprocal.pool.services.checks import check_tenure
from safemoves.reciprocal.pool.services.handover import (
    CONTACT_FLAGS,
    CONTACT_TEXT,
    HANDOVER_FIELDS,
    handover_consent_record,
    handover_on_move,
    handover_update_safe_contact,
)
from safemoves.reciprocal.pool.services.ledger import ledger_correct, ledger_post_move
from safemoves.reciprocal.pool.services.moves import (
    POST_MOVE_CHECK_IN_WORKING_DAYS,
    move_check_in,
    move_record,
    moves_post_ledger,
)
from safemoves.reciprocal.pool.services.offers import (
    identity_release,
    offer_create,
    offer_decide,
    offer_withdraw,
    offers_expire,
)
from safemoves.reciprocal.pool.services.policy import POLICY_CHOICES, POLICY_LIMITS, policy_update
from safemoves.reciprocal.pool.services.proposals import proposal_create, proposal_decide
from safemoves.reciprocal.pool.services.requests import (
    REFERENCE_ALPHABET,
    REFERENCE_PREFIX,
    case_closed,
    new_reference,
    request_approve,
    request_circulate,
    request_close,
    request_create,
    request_withdraw,
)
from safemoves.reciprocal.pool.services.viewings import (
    sign_up_record,
    viewing_arrange,
    viewing_outcome,
    viewings_cancel_for,
)

__all__ = [
    "CONTACT_FLAGS",
    "CONTACT_TEXT",
    "HANDOVER_FIELDS",
    "POLICY_CHOICES",
    "POLICY_LIMITS",
    "POST_MOVE_CHECK_IN_WORKING_DAYS",
    "REFERENCE_ALPHABET",
    "REFERENCE_PREFIX",
    "case_closed",
    "check_tenure",
    "handover_consent_record",
    "handover_on_move",
    "handover_update_safe_contact",
    "identity_release",
    "ledger_correct",
    "ledger_post_move",
    "move_check_in",
    "move_record",
    "moves_post_ledger",
    "new_reference",
    "offer_create",
    "offer_decide",
    "offer_withdraw",
    "offers_expire",
    "policy_update",
    "proposal_create",
    "proposal_decide",
    "request_approve",
    "request_circulate",
    "request_close",
    "request_create",
    "request_withdraw",
    "sign_up_record",
    "viewing_arrange",
    "viewing_outcome",
    "viewings_cancel_for",
]
