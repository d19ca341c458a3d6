from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safemoves.cases.codes import ConsentPurpose
from safemoves.cases.models import Case
from safemoves.cases.policies import can_view_case, can_work_case
from safemoves.cases.selectors import get_case
from safemoves.cases.services import consent_in_force
from safemoves.common.decorators import allowed_if
from safemoves.common.forms import submit
from safemoves.common.http import StaffRequest
from safemoves.safety import policies, selectors, services
from safemoves.safety.codes import REFERRAL_TRANSITIONS, Option
from safemoves.safety.forms import (
    ActionForm,
    AgencyForm,
    AppraisalForm,
    CancelForm,
    CompleteForm,
    OwnerForm,
    PlaceForm,
    ReferralForm,
    ReferralUpdateForm,
    SanctuaryAgreementForm,
)
from safemoves.safety.panels import actions_panel_context, options_panel_context, referrals_panel_context


def _case(request: StaffRequest, case_id: UUID, *, work: bool) -> Case:
    """The case if this member may read it (``work``: may work it); else 404, with nothing logged."""
    return get_case(request.membership, case_id, policy=can_work_case if work else can_view_case)


def _back(case: Case) -> HttpResponse:
    """Back to the case page, where the safety panels are."""
    return redirect("cases:detail", case_id=case.pk)


# --- the case's safety page ----------------------------------------------------------------


@require_GET
def case_safety_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=False)
    return render(
        request,
        "safety/case_safety.html",
        {
            "case": case,
            "actions_panel": actions_panel_context(request, case),
            "referrals_panel": referrals_panel_context(request, case),
            "options_panel": options_panel_context(request, case),
        },
    )


# --- safety actions ------------------------------------------------------------------------


@require_POST
def first_day_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=True)
    created = services.safety_actions_for_new_case(case, request.user)
    if created:
        due = timezone.localtime(created[0].due_at)
        messages.success(request, f"Lock change set: due by {due:%H:%M on %A %d %B %Y}.")
    else:
        messages.info(request, "The lock change is already on this case.")
    return _back(case)


@require_http_methods(["GET", "POST"])
def action_new_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=True)
    services.ensure_action_catalogue()
    form = ActionForm(request.POST if request.method == "POST" else None, action_types=list(selectors.action_types()))
    if request.method == "POST" and (
        submitted := submit(
            form,
            lambda data: services.safety_action_create(
                case=case,
                actor=request.user,
                type_code=data["action_type"],
                starts_at=data["starts_at"],
            ),
        )
    ):
        action = submitted.result
        due = timezone.localtime(action.due_at)
        messages.success(request, f"“{action.action_type.label}” set: due by {due:%H:%M on %A %d %B %Y}.")
        return _back(case)
    return render(request, "safety/action_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def action_complete_view(request: StaffRequest, case_id: UUID, action_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=True)
    action = selectors.get_action(case, action_id)
    initial = {"done_at": timezone.localtime().replace(second=0, microsecond=0)}
    form = CompleteForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and (
        submitted := submit(
            form,
            lambda data: services.safety_action_complete(
                action=action,
                actor=request.user,
                done_at=data["done_at"],
                evidence_note=data["evidence_note"],
            ),
        )
    ):
        follow_ups = submitted.result
        late = " (after its deadline)" if action.done_late else " within its deadline"
        text = f"“{action.action_type.label}” marked done{late}."
        if follow_ups:
            text += (
                " Set next: "
                + "; ".join(
                    f"{item.action_type.label} by {timezone.localtime(item.due_at):%d %B %Y %H:%M}"
                    for item in follow_ups
                )
                + "."
            )
        messages.success(request, text)
        return _back(case)
    return render(request, "safety/action_complete.html", {"case": case, "action": action, "form": form})


@require_http_methods(["GET", "POST"])
def action_cancel_view(request: StaffRequest, case_id: UUID, action_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=True)
    action = selectors.get_action(case, action_id)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and submit(
        form, lambda data: services.safety_action_cancel(action=action, actor=request.user, reason=data["reason"])
    ):
        messages.success(request, f"“{action.action_type.label}” cancelled.")
        return _back(case)
    return render(request, "safety/action_cancel.html", {"case": case, "action": action, "form": form})


@require_http_methods(["GET", "POST"])
def action_owner_view(request: StaffRequest, case_id: UUID, action_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=True)
    action = selectors.get_action(case, action_id)
    if not action.is_open:
        messages.info(request, f"“{action.action_type.label}” is no longer open: it stays with its owner.")
        return _back(case)
    form = OwnerForm(
        request.POST if request.method == "POST" else None,
        owners=selectors.action_owners(case),
        initial={"owner": action.owner_id},
    )
    if request.method == "POST" and (
        submitted := submit(
            form,
            lambda data: services.safety_action_reassign(action=action, actor=request.user, owner=data["owner"]),
        )
    ):
        if submitted.result:
            messages.success(request, f"“{action.action_type.label}” is now held by {action.owner}.")
        else:
            messages.info(request, "Nothing had changed.")
        return _back(case)
    return render(request, "safety/action_owner.html", {"case": case, "action": action, "form": form})


@require_http_methods(["GET", "POST"])
def sanctuary_agreement_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=True)
    current = selectors.sanctuary_agreement(case)
    names = ("tenant_chooses_to_stay", "tenant_choice_note", "landlord_agrees", "landlord_agreement_note")
    initial = {name: getattr(current, name) for name in names} if current else {}
    form = SanctuaryAgreementForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and (
        submitted := submit(form, lambda data: services.sanctuary_agreement_save(case=case, actor=request.user, **data))
    ):
        saved = submitted.result
        state = "in place" if saved.is_in_place else "not in place: sanctuary measures cannot be set"
        messages.success(request, f"Sanctuary choice and agreement saved ({state}).")
        return _back(case)
    return render(
        request,
        "safety/sanctuary_form.html",
        {"case": case, "form": form, "perpetrator_at_home": selectors.perpetrator_at_home(case)},
    )


@allowed_if(policies.can_see_overdue)
@require_GET
def overdue_view(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "safety/overdue.html",
        {"actions": selectors.overdue_actions(request.membership), "now": timezone.now()},
    )


# --- agencies --------------------------------------------------------------------------------


@allowed_if(policies.can_read_directory)
@require_GET
def agency_list_view(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "safety/agency_list.html",
        {
            "agencies": selectors.agencies(request.membership.organisation_id),
            "can_manage": policies.can_manage_directory(request.membership),
        },
    )


@allowed_if(policies.can_manage_directory)
@require_http_methods(["GET", "POST"])
def agency_new_view(request: StaffRequest) -> HttpResponse:
    form = AgencyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (
        submitted := submit(
            form,
            lambda data: services.agency_create(
                organisation_id=request.membership.organisation_id, actor=request.user, **data
            ),
        )
    ):
        agency = submitted.result
        messages.success(request, f"{agency.name} added to the directory.")
        return redirect("safety:agencies")
    return render(request, "safety/agency_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def referral_new_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=True)
    directory = selectors.agencies(case.organisation_id)
    form = ReferralForm(request.POST if request.method == "POST" else None, agencies=directory)
    if request.method == "POST" and (
        submitted := submit(
            form,
            lambda data: services.agency_referral_create(
                case=case, actor=request.user, agency=data["agency"], purpose=data["purpose"]
            ),
        )
    ):
        referral = submitted.result
        messages.success(request, f"Referral to {referral.agency.name} recorded as sent.")
        return _back(case)
    return render(
        request,
        "safety/referral_form.html",
        {
            "case": case,
            "form": form,
            "consent": consent_in_force(case, ConsentPurpose.AGENCY_REFERRAL),
            "has_agencies": directory.exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def referral_update_view(request: StaffRequest, case_id: UUID, referral_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=True)
    referral = selectors.get_agency_referral(case, referral_id)
    allowed = sorted(REFERRAL_TRANSITIONS[referral.status])
    form = ReferralUpdateForm(request.POST if request.method == "POST" else None, allowed=allowed)
    if request.method == "POST" and (
        submitted := submit(
            form,
            lambda data: services.agency_referral_transition(
                referral=referral,
                actor=request.user,
                to_status=data["status"],
                reason=data["reason"],
            ),
        )
    ):
        updated = submitted.result
        messages.success(request, f"Referral to {updated.agency.name}: {updated.get_status_display().lower()}.")
        return _back(case)
    return render(
        request, "safety/referral_update.html", {"case": case, "referral": referral, "form": form, "allowed": allowed}
    )


# --- options appraisal -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def appraisal_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=True)
    current = selectors.appraisal(case)
    initial = (
        {
            "options_considered": current.options_considered,
            "own_stock_unsuitable": current.own_stock_unsuitable,
            "own_stock_reason": current.own_stock_reason,
            "priorities": current.priorities,
            "priorities_other": current.priorities_other,
            "tenant_wishes": current.tenant_wishes,
            "decision": current.decision,
            "decision_reason": current.decision_reason,
        }
        if current
        else {}
    )
    form = AppraisalForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and (
        submitted := submit(form, lambda data: services.appraisal_save(case=case, actor=request.user, **data))
    ):
        saved = submitted.result
        decided = f" Decision: {Option(saved.decision).label.lower()}." if saved.decision else ""
        messages.success(request, f"Options appraisal saved.{decided}")
        return _back(case)
    return render(
        request,
        "safety/appraisal_form.html",
        {"case": case, "form": form, "panel": options_panel_context(request, case)},
    )


@require_http_methods(["GET", "POST"])
def place_add_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=True)
    form = PlaceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and submit(
        form,
        lambda data: services.place_add(
            case=case,
            actor=request.user,
            kind=data["kind"],
            label=data["label"],
            postcode=data["postcode"],
            area_code=data["area_code"],
            radius_km=data["radius_km"],
        ),
    ):
        messages.success(request, "Place added.")
        return redirect("safety:appraisal", case_id=case.pk)
    return render(request, "safety/place_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
def place_remove_view(request: StaffRequest, case_id: UUID, place_id: UUID) -> HttpResponse:
    case = _case(request, case_id, work=True)
    place = selectors.get_place(case, place_id)
    if request.method == "GET":
        # "Remove" asks to confirm, on a page of its own (works without JavaScript).
        return render(
            request,
            "cases/confirm_remove.html",
            {
                "case": case,
                "what": place.label or place.area_code,
                "cancel": reverse("safety:appraisal", args=[case.pk]),
            },
        )
    services.place_remove(case=case, actor=request.user, place=place)
    messages.success(request, "Place removed.")
    return redirect("safety:appraisal", case_id=case.pk)
