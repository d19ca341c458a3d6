"""The safety sections of the case page, and the safety part of the subject-access export."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from safemoves.cases.models import Case
from safemoves.cases.policies import can_work_case
from safemoves.common.bound import Read
from safemoves.common.http import StaffRequest
from safemoves.safety import selectors
from safemoves.safety.codes import Option, PlaceKind, Priority
from safemoves.safety.models import AgencyReferral, Place, SafetyAction

# The columns the safety actions section shows (ADR 0030).
PANEL_ACTION_FIELDS = (
    "pk",
    "organisation",
    "action_type",
    "action_type__label",
    "due_at",
    "done_at",
    "status",
    "owner",
    "owner__full_name",
    "owner__email",
)


def _panel_actions(case_id: UUID) -> QuerySet[SafetyAction]:
    return selectors.actions_of_case_id(case_id).only(*PANEL_ACTION_FIELDS)


def _panel_referrals(case_id: UUID) -> QuerySet[AgencyReferral]:
    return selectors.panel_agency_referrals(case_id)


def _places(case_id: UUID) -> QuerySet[Place]:
    return selectors.places_of_case_id(case_id)


def actions_panel_reads(case: Case) -> list[Read[Any]]:
    return [Read("safety.panel.actions", _panel_actions, {"case_id": case.pk})]


def referrals_panel_reads(case: Case) -> list[Read[Any]]:
    return [Read("safety.panel.referrals", _panel_referrals, {"case_id": case.pk})]


def options_panel_reads(case: Case) -> list[Read[Any]]:
    """The places, where the case has an appraisal for them to belong to."""
    return [_places_read(case)] if selectors.page_appraisal(case) else []


def _places_read(case: Case) -> Read[Place]:
    return Read("safety.places", _places, {"case_id": case.pk})


def actions_panel_context(request: StaffRequest, case: Case) -> dict[str, Any]:
    (actions,) = actions_panel_reads(case)
    return {
        "case": case,
        "actions": list(actions.queryset()),
        "now": timezone.now(),
        "can_work_safety": can_work_case(request.membership, case),
    }


def referrals_panel_context(request: StaffRequest, case: Case) -> dict[str, Any]:
    (referrals,) = referrals_panel_reads(case)
    return {
        "case": case,
        "referrals": list(referrals.queryset()),
        "can_work_safety": can_work_case(request.membership, case),
    }


def options_summary(case: Case, *, on_page: bool = False) -> dict[str, Any]:
    appraisal = selectors.page_appraisal(case) if on_page else selectors.appraisal(case)
    # Places belong to an appraisal: a case without one has none to read.
    places = list(_places_read(case).queryset()) if appraisal is not None else []
    return {
        "appraisal": appraisal,
        "options": [Option(code).label for code in appraisal.options_considered] if appraisal else [],
        "priorities": [Priority(code).label for code in appraisal.priorities] if appraisal else [],
        "near_places": [place for place in places if place.kind == PlaceKind.NEAR],
        "avoid_places": [place for place in places if place.kind == PlaceKind.AVOID],
    }


def options_panel_context(request: StaffRequest, case: Case) -> dict[str, Any]:
    return {
        "case": case,
        **options_summary(case, on_page=True),
        "can_work_safety": can_work_case(request.membership, case),
    }


def export_section(case: Case) -> dict[str, Any]:
    """Everything the safety app holds about the case, for a subject-access export."""
    found = selectors.appraisal(case)
    agreement = selectors.sanctuary_agreement(case)
    return {
        "sanctuary_agreement": None
        if agreement is None
        else {
            "tenant_chooses_to_stay": agreement.tenant_chooses_to_stay,
            "tenant_choice_note": agreement.tenant_choice_note,
            "landlord_agrees": agreement.landlord_agrees,
            "landlord_agreement_note": agreement.landlord_agreement_note,
            "agreed_at": agreement.agreed_at.isoformat() if agreement.agreed_at else None,
        },
        "safety_actions": [
            {
                "action": action.action_type.label,
                "due_at": action.due_at.isoformat(),
                "done_at": action.done_at.isoformat() if action.done_at else None,
                "status": action.status,
                "evidence_note": action.evidence_note,
            }
            for action in selectors.actions(case)
        ],
        "agency_referrals": [
            {
                "agency": referral.agency.name,
                "status": referral.status,
                "sent_at": referral.sent_at.isoformat(),
                "sharing_basis": referral.sharing_basis,
                "purpose": referral.purpose,
                "decline_reason": referral.decline_reason,
            }
            for referral in selectors.agency_referrals(case)
        ],
        "options_appraisal": None
        if found is None
        else {
            "options_considered": found.options_considered,
            "own_stock_unsuitable": found.own_stock_unsuitable,
            "own_stock_reason": found.own_stock_reason,
            "priorities": found.priorities,
            "priorities_other": found.priorities_other,
            "tenant_wishes": found.tenant_wishes,
            "decision": found.decision,
            "decision_reason": found.decision_reason,
            "places": [
                {
                    "kind": place.kind,
                    "label": place.label,
                    "postcode": place.postcode,
                    "area_code": place.area_code,
                    "radius_km": str(place.radius_km) if place.radius_km is not None else None,
                }
                for place in selectors.places(case)
            ],
        },
    }
