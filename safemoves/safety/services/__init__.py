"""Writes of safety actions, the agency directory, agency referrals and the options appraisal.

Each service is atomic, validates before writing and records its audit event in the same
transaction (ids, codes and field names only). Mail goes out after commit.

Split by concern (ADR 0029): `actions` (the catalogue, creating, completing, cancelling and
passing on safety actions), `lock_change` (the lock change raised by a case's facts), `sanctuary`
(the sanctuary agreement), `breaches` (the tick that notifies overdue actions across landlords:
the only part allowed to disable the organisation scope), `agencies` (directory and referrals)
and `appraisal` (the options appraisal and its places). Every public name is re-exported here.
"""

from __future__ import annotations

from safemoves.safety.services.actions import (
    NO_SANCTUARY_AGREEMENT,
    PERPETRATOR_AT_HOME,
    ensure_action_catalogue,
    next_open_due,
    safety_action_cancel,
    safety_action_complete,
    safety_action_create,
    safety_action_reassign,
    safety_actions_follow_the_case,
    safety_actions_for_new_case,
    safety_actions_of_departing_member,
)
from safemoves.safety.services.agencies import agency_create, agency_referral_create, agency_referral_transition
from safemoves.safety.services.appraisal import MAX_RADIUS_KM, appraisal_save, place_add, place_remove
from safemoves.safety.services.breaches import BreachNotice, logger, safety_breaches_notify
from safemoves.safety.services.lock_change import (
    LOCK_CHANGE_ANSWERS,
    lock_change_needed,
    lock_change_on_case_opened,
    lock_change_on_perpetrator,
)
from safemoves.safety.services.sanctuary import sanctuary_agreement_save

__all__ = [
    "LOCK_CHANGE_ANSWERS",
    "MAX_RADIUS_KM",
    "NO_SANCTUARY_AGREEMENT",
    "PERPETRATOR_AT_HOME",
    "BreachNotice",
    "agency_create",
    "agency_referral_create",
    "agency_referral_transition",
    "appraisal_save",
    "ensure_action_catalogue",
    "lock_change_needed",
    "lock_change_on_case_opened",
    "lock_change_on_perpetrator",
    "logger",
    "next_open_due",
    "place_add",
    "place_remove",
    "safety_action_cancel",
    "safety_action_complete",
    "safety_action_create",
    "safety_action_reassign",
    "safety_actions_follow_the_case",
    "safety_actions_for_new_case",
    "safety_actions_of_departing_member",
    "safety_breaches_notify",
    "sanctuary_agreement_save",
]
