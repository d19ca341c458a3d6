from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safemoves.cases.models import Case
from safemoves.cases.policies import can_view_case, can_work_case
from safemoves.cases.selectors import get_case
from safemoves.common.decorators import allowed_if
from safemoves.common.forms import submit
from safemoves.common.http import StaffRequest
from safemoves.geo import area_name
from safemoves.risk import policies, selectors, services
from safemoves.risk.forms import DashForm, MaracReferralForm, MaracTransferForm, MaracUpdateForm, RiskSettingsForm
from safemoves.risk.panels import risk_panel_context
from safemoves.risk.questions import question_set


def _case(request: StaffRequest, case_id: UUID, *, work: bool) -> Case:
    """The case if this member may read it (``work``: may work it); else 404, with nothing logged."""
    return get_case(request.membership, case_id, policy=can_work_case if work else can_view_case)


@require_GET
def risk_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=False)
    return render(
        request,
        "risk/case_risk.html",
        {
            "case": case,
            "panel": risk_panel_context(request, case),
            "assessments": selectors.assessments(case),
        },
    )


@require_http_methods(["GET", "POST"])
def assessment_new_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=True)
    questions = question_set()
    area_code = selectors.marac_area_for(case)
    thresholds, rule = selectors.risk_rules_for(organisation_id=case.organisation_id, area_code=area_code)
    form = DashForm(
        request.POST if request.method == "POST" else None, questions=questions, window_months=rule.window_months
    )
    if request.method == "POST" and (
        recorded := submit(
            form,
            lambda data: services.risk_assessment_record(
                case=case,
                actor=request.user,
                answers=form.answers(),
                comments=form.comments(),
                police_callouts=data["police_callouts"],
                judgement_band=data["judgement_band"],
                judgement_reason=data["judgement_reason"],
                version=questions.version,
            ),
        )
    ):
        assessment = recorded.result
        message = f"DASH recorded: score {assessment.score}, {assessment.get_final_band_display().lower()} risk."
        if assessment.marac_required:
            message += " A MARAC referral is required."
        messages.success(request, message)
        return redirect("risk:assessment_detail", case_id=case.pk, assessment_id=assessment.pk)
    return render(
        request,
        "risk/assessment_form.html",
        {
            "case": case,
            "form": form,
            "questions": questions,
            "area_name": area_name(area_code) if area_code else "",
            "rule": rule,
            "thresholds": thresholds,
        },
    )


@require_GET
def assessment_detail_view(request: StaffRequest, case_id: UUID, assessment_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=False)
    assessment = selectors.get_assessment(case, assessment_id)
    questions = question_set(assessment.question_set_version)
    answers: dict[str, str] = json.loads(assessment.answers)
    comments: dict[str, str] = json.loads(assessment.comments) if assessment.comments else {}
    labels = {"yes": "Yes", "no": "No", "not_known": "Not known"}
    rows = [
        {"question": question, "answer": labels[answers[question.key]], "comment": comments.get(question.key, "")}
        for question in questions.questions
    ]
    return render(
        request,
        "risk/assessment_detail.html",
        {
            "case": case,
            "assessment": assessment,
            "rows": rows,
            "area_name": area_name(assessment.area_code) if assessment.area_code else "",
            "marac_required": selectors.marac_required(case),
            "can_work_risk": can_work_case(request.membership, case),
        },
    )


@require_http_methods(["GET", "POST"])
def marac_new_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=True)
    initial: dict[str, Any] = {"area_code": selectors.marac_area_for(case), "referred_on": timezone.localdate()}
    form = MaracReferralForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and (
        recorded := submit(form, lambda data: services.marac_referral_record(case=case, actor=request.user, **data))
    ):
        referral = recorded.result
        repeat = " This is a repeat referral (within 12 months of the last)." if referral.is_repeat else ""
        messages.success(request, f"MARAC referral to {area_name(referral.area_code)} recorded.{repeat}")
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "risk/marac_form.html", {"case": case, "form": form, "risk": selectors.risk_summary(case)})


@require_http_methods(["GET", "POST"])
def marac_update_view(request: StaffRequest, case_id: UUID, referral_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=True)
    referral = selectors.get_marac_referral(case, referral_id)
    initial = {"meeting_on": referral.meeting_on, "actions_agreed": referral.actions_agreed}
    form = MaracUpdateForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and submit(
        form, lambda data: services.marac_referral_update(referral=referral, actor=request.user, **data)
    ):
        messages.success(request, "MARAC meeting and actions saved.")
        return redirect("risk:case", case_id=case.pk)
    return render(
        request,
        "risk/marac_update.html",
        {"case": case, "referral": referral, "form": form, "area_name": area_name(referral.area_code)},
    )


@require_http_methods(["GET", "POST"])
def marac_transfer_view(request: StaffRequest, case_id: UUID, referral_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=True)
    referral = selectors.get_marac_referral(case, referral_id)
    form = MaracTransferForm(
        request.POST if request.method == "POST" else None, initial={"transferred_on": timezone.localdate()}
    )
    if request.method == "POST" and (
        transferred := submit(form, lambda data: services.marac_transfer(referral=referral, actor=request.user, **data))
    ):
        messages.success(request, f"Case transferred to the {area_name(transferred.result.area_code)} MARAC.")
        return redirect("risk:case", case_id=case.pk)
    return render(
        request,
        "risk/marac_transfer.html",
        {"case": case, "referral": referral, "form": form, "area_name": area_name(referral.area_code)},
    )


@allowed_if(policies.can_manage_risk_settings)
@require_http_methods(["GET", "POST"])
def risk_settings_view(request: StaffRequest) -> HttpResponse:
    """The landlord's DASH thresholds and escalation rule per MARAC area (only stricter than default)."""
    organisation_id = request.membership.organisation_id
    area = request.GET.get("area", "")
    thresholds, rule = selectors.risk_rules_for(organisation_id=organisation_id, area_code=area)
    initial = {
        "area_code": area,
        "high_threshold": thresholds.high,
        "medium_threshold": thresholds.medium,
        "escalation_callouts": rule.callouts,
        "escalation_window_months": rule.window_months,
    }
    form = RiskSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and submit(
        form, lambda data: services.risk_settings_save(organisation_id=organisation_id, actor=request.user, **data)
    ):
        where = area_name(form.cleaned_data["area_code"]) if form.cleaned_data["area_code"] else "the default"
        messages.success(request, f"Risk settings for {where} saved.")
        return redirect("risk:settings")
    rows = [
        {"area": area_name(row.area_code) if row.area_code else "Default", "code": row.area_code, "row": row}
        for row in selectors.risk_settings(organisation_id)
    ]
    return render(request, "risk/settings.html", {"form": form, "rows": rows})
