"""The reciprocal section of the case page, its clock source and its part of the export."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import QuerySet

from safemoves.cases.models import Case
from safemoves.common.bound import Read
from safemoves.common.http import StaffRequest
from safemoves.reciprocal import policies, selectors
from safemoves.reciprocal.codes import LIVE_STATUSES
from safemoves.reciprocal.models import MoveRequest
from safemoves.reciprocal.pool import work
from safemoves.safety.codes import Option
from safemoves.safety.selectors import page_appraisal


def _panel_requests(case_id: UUID) -> QuerySet[MoveRequest]:
    # The columns the section shows and the live-request check reads (ADR 0030).
    return selectors.requests_for_case_id(case_id).only("pk", "organisation", "reference", "status", "created_at")


def request_panel_reads(case: Case) -> list[Read[Any]]:
    return [Read("reciprocal.panel", _panel_requests, {"case_id": case.pk})]


def request_panel_context(request: StaffRequest, case: Case) -> dict[str, Any]:
    (read,) = request_panel_reads(case)
    requests = list(read.queryset())
    found = page_appraisal(case)
    chose_reciprocal = found is not None and found.decision == Option.RECIPROCAL
    live = any(item.status in LIVE_STATUSES for item in requests)
    return {
        "case": case,
        "requests": requests,
        "chose_reciprocal": chose_reciprocal,
        "can_raise": chose_reciprocal and not live and policies.can_raise_request(request.membership, case),
    }


def next_due_for_case(case: Case) -> datetime | None:
    return work.case_deadlines(case)


def export_section(case: Case) -> list[dict[str, Any]]:
    """Her move requests (the anonymised profile shared with the scheme included)."""
    result = []
    for item in selectors.requests_for_case(case):
        profile = getattr(item, "profile", None)
        result.append(
            {
                "reference": item.reference,
                "status": item.status,
                "created_at": item.created_at.isoformat(),
                "shared_profile": profile.data if profile is not None else None,
            }
        )
    return result
