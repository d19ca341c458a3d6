"""The risk section of the case page."""

from __future__ import annotations

from typing import Any

from safemoves.cases.models import Case
from safemoves.cases.policies import can_work_case
from safemoves.common.http import StaffRequest
from safemoves.risk.selectors import risk_summary


def risk_panel_context(request: StaffRequest, case: Case) -> dict[str, Any]:
    return {"case": case, "risk": risk_summary(case), "can_work_risk": can_work_case(request.membership, case)}
