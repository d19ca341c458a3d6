"""The emergency accommodation section of the case page and of the subject-access export."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from safemoves.cases.models import Case
from safemoves.cases.policies import can_work_case
from safemoves.common.bound import Read
from safemoves.common.http import StaffRequest
from safemoves.emergency import selectors
from safemoves.emergency.models import EmergencyOffer


def _panel_offers(case_id: UUID) -> QuerySet[EmergencyOffer]:
    return selectors.offers_of_case_id(case_id)


def offers_panel_reads(case: Case) -> list[Read[Any]]:
    return [Read("emergency.panel", _panel_offers, {"case_id": case.pk})]


def offers_panel_context(request: StaffRequest, case: Case) -> dict[str, Any]:
    (offers,) = offers_panel_reads(case)
    return {
        "case": case,
        "offers": list(offers.queryset()),
        "can_work": can_work_case(request.membership, case),
    }


def export_section(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "kind": offer.get_kind_display(),
            "provider": offer.provider,
            "district": offer.area_label,
            "postcode": offer.postcode,
            "offered_on": offer.offered_on.isoformat(),
            "decision": offer.get_decision_display(),
            "refusal_reason": offer.get_refusal_reason_display() if offer.refusal_reason else "",
            "decision_note": offer.decision_note,
            "distances": [
                {"place": item.label, "km": item.km, "approximate": item.approximate} for item in offer.place_distances
            ],
        }
        for offer in selectors.offers(case)
    ]
