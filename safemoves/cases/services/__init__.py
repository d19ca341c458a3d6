"""Writes to cases. Each service is atomic and writes its audit event in the same transaction.

Audit events name the fields that changed, never their values.

Split by concern (ADR 0029): `base` (field lists, settings, the search index, next due),
`opening` (a case opened by an officer), `intake` (referrals received), `editing` (versioned
edits of the case and its contact rules), `status` (assignment, restriction, closing),
`household` (members and perpetrators), `records` (court orders, consent, notes, contacts) and
`purge`. Agency referral links live in the intake app. Every public name is re-exported here, so
`from safemoves.cases.services import X` keeps working.
"""

from __future__ import annotations

from safemoves.cases.services.base import (
    CASE_FIELDS,
    CONTACT_RULE_FIELDS,
    INDEXED_CASE_FIELDS,
    case_settings_for,
    refresh_next_due,
)
from safemoves.cases.services.editing import case_update, contact_rules_update
from safemoves.cases.services.household import (
    PERPETRATOR_FIELDS,
    household_member_add,
    household_member_remove,
    perpetrator_add,
    perpetrator_keys_cleared,
    perpetrator_update,
)
from safemoves.cases.services.intake import (
    MAX_CHILD_AGE,
    ReferredContact,
    ReferredPerpetrator,
    ReferredRecords,
    SelfReferral,
    case_receive_agency_referral,
    case_receive_self_referral,
)
from safemoves.cases.services.opening import NewCase, case_open
from safemoves.cases.services.purge import case_purge
from safemoves.cases.services.records import consent_in_force, consent_record, contact_record, court_order_add, note_add
from safemoves.cases.services.status import case_assign, case_close, case_restrict, cases_of_departing_member
from safemoves.common.editing import EditConflict  # defined in common since ADR 0029; re-exported

__all__ = [
    "CASE_FIELDS",
    "CONTACT_RULE_FIELDS",
    "INDEXED_CASE_FIELDS",
    "MAX_CHILD_AGE",
    "PERPETRATOR_FIELDS",
    "EditConflict",
    "NewCase",
    "ReferredContact",
    "ReferredPerpetrator",
    "ReferredRecords",
    "SelfReferral",
    "case_assign",
    "case_close",
    "case_open",
    "case_purge",
    "case_receive_agency_referral",
    "case_receive_self_referral",
    "case_restrict",
    "case_settings_for",
    "case_update",
    "cases_of_departing_member",
    "consent_in_force",
    "consent_record",
    "contact_record",
    "contact_rules_update",
    "court_order_add",
    "household_member_add",
    "household_member_remove",
    "note_add",
    "perpetrator_add",
    "perpetrator_keys_cleared",
    "perpetrator_update",
    "refresh_next_due",
]
