"""The safety-action catalogue the data migration seeds (codes are stable; labels may change)."""

from __future__ import annotations

from typing import TypedDict


class ActionTypeRow(TypedDict):
    code: str
    label: str
    clock_kind: str
    amount: int
    relative_to: str
    order: int


LOCK_CHANGE = "lock_change"
POLICE_FLAG = "police_flag"
SANCTUARY_SURVEY = "sanctuary_survey"
SANCTUARY_MEASURES = "sanctuary_measures"
SANCTUARY_REVIEW_3M = "sanctuary_review_3m"
SANCTUARY_REVIEW_6M = "sanctuary_review_6m"
OLD_ADDRESS_FLAGS = "old_address_flags"

# Completing the survey sets these, each on its own clock from the moment the survey was done.
AFTER_SURVEY = (SANCTUARY_MEASURES, SANCTUARY_REVIEW_3M, SANCTUARY_REVIEW_6M)

CATALOGUE: tuple[ActionTypeRow, ...] = (
    {
        "code": LOCK_CHANGE,
        "label": "Change the locks",
        "clock_kind": "hours",
        "amount": 24,
        "relative_to": "referral",
        "order": 10,
    },
    {
        "code": POLICE_FLAG,
        "label": "Police / 999 flag on the address",
        "clock_kind": "hours",
        "amount": 24,
        "relative_to": "referral",
        "order": 20,
    },
    {
        "code": SANCTUARY_SURVEY,
        "label": "Sanctuary survey",
        "clock_kind": "working_days",
        "amount": 5,
        "relative_to": "referral",
        "order": 30,
    },
    {
        "code": SANCTUARY_MEASURES,
        "label": "Fit the sanctuary measures",
        "clock_kind": "hours",
        "amount": 72,
        "relative_to": "survey_done",
        "order": 40,
    },
    {
        "code": SANCTUARY_REVIEW_3M,
        "label": "Sanctuary review at 3 months",
        "clock_kind": "months",
        "amount": 3,
        "relative_to": "survey_done",
        "order": 50,
    },
    {
        "code": SANCTUARY_REVIEW_6M,
        "label": "Sanctuary review at 6 months",
        "clock_kind": "months",
        "amount": 6,
        "relative_to": "survey_done",
        "order": 60,
    },
    {
        "code": OLD_ADDRESS_FLAGS,
        "label": "Review or remove flags at the old address",
        "clock_kind": "working_days",
        "amount": 5,
        "relative_to": "move_date",
        "order": 70,
    },
)
