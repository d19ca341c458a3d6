"""Sections the cases app adds to its own case page through the panel registry."""

from __future__ import annotations

from typing import Any

from safemoves.cases.models import Case
from safemoves.cases.selectors import same_perpetrator_cases
from safemoves.common.http import StaffRequest


def same_perpetrator_panel_context(request: StaffRequest, case: Case) -> dict[str, Any]:
    return {"case": case, "others": same_perpetrator_cases(request.membership, case)}
