"""The risk section of the case page."""

from __future__ import annotations

import json
from typing import Any

from safemoves.cases.models import Case
from safemoves.cases.policies import can_work_case
from safemoves.common.http import StaffRequest
from safemoves.risk.questions import question_set
from safemoves.risk.selectors import assessments, marac_referrals, risk_summary


def risk_panel_context(request: StaffRequest, case: Case) -> dict[str, Any]:
    return {"case": case, "risk": risk_summary(case), "can_work_risk": can_work_case(request.membership, case)}


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_section(case: Case) -> dict[str, Any]:
    """Everything the risk app holds about the case, for a subject-access export: each DASH
    assessment with its questions, answers and comments, and every MARAC referral."""

    words = {"yes": "Yes", "no": "No", "not_known": "Not known"}
    result: dict[str, Any] = {"dash_assessments": [], "marac_referrals": []}
    for assessment in assessments(case).select_related("assessor"):
        answers: dict[str, str] = json.loads(assessment.answers)
        comments: dict[str, str] = json.loads(assessment.comments) if assessment.comments else {}
        result["dash_assessments"].append(
            {
                "assessed_at": _iso(assessment.assessed_at),
                "assessor": str(assessment.assessor),
                "question_set": assessment.question_set_version,
                "answers": [
                    {
                        "question": f"{question.number}. {question.text}",
                        "answer": words.get(answers.get(question.key, ""), "Not answered"),
                        "comment": comments.get(question.key, ""),
                    }
                    for question in question_set(assessment.question_set_version).questions
                ],
                "score": assessment.score,
                "computed_band": assessment.computed_band,
                "judgement_band": assessment.judgement_band,
                "judgement_reason": assessment.judgement_reason,
                "final_band": assessment.final_band,
                "police_callouts": assessment.police_callouts,
                "escalated": assessment.escalated,
                "area_code": assessment.area_code,
            }
        )
    for referral in marac_referrals(case):
        result["marac_referrals"].append(
            {
                "area": referral.area_label,
                "referred_on": _iso(referral.referred_on),
                "meeting_on": _iso(referral.meeting_on),
                "actions_agreed": referral.actions_agreed,
                "sharing_basis": referral.sharing_basis,
                "is_repeat": referral.is_repeat,
                "transferred_on": _iso(referral.transferred_on),
            }
        )
    return result
