"""The referring landlord's move requests: list, draft, detail and the transitions."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safemoves.cases.selectors import get_case
from safemoves.common.decorators import allowed_if
from safemoves.common.forms import say, submit
from safemoves.common.http import StaffRequest
from safemoves.reciprocal import policies, pool, selectors
from safemoves.reciprocal.forms import EndForm, RequestForm
from safemoves.reciprocal.models import MoveRequest
from safemoves.reciprocal.pool import services
from safemoves.reciprocal.profile import build_profile, risk_band_label, suggested_bedrooms
from safemoves.reciprocal.views.base import area


@allowed_if(policies.can_list_own_requests)
@require_GET
def request_list_view(request: StaffRequest) -> HttpResponse:
    return render(request, "reciprocal/request_list.html", {"requests": selectors.own_requests(request.membership)})


@require_http_methods(["GET", "POST"])
def request_create_view(request: StaffRequest, case_id: uuid.UUID) -> HttpResponse:
    case = get_case(request.membership, case_id, purpose="opened_for_move_request", policy=policies.can_raise_request)
    form = RequestForm(
        request.POST if request.method == "POST" else None, initial={"bedrooms_needed": suggested_bedrooms(case)}
    )
    created: list[MoveRequest] = []

    def create(data: dict[str, Any]) -> None:
        created.append(
            services.request_create(
                membership=request.membership,
                case=case,
                bedrooms_needed=data["bedrooms_needed"],
                access_need=data["access_need"],
                pets=data["pets"],
                urgent=data["urgent"],
            )
        )

    if request.method == "POST" and submit(form, create):
        move_request = created[0]
        messages.success(request, f"Move request {move_request.reference} is drafted; a manager approves it.")
        return redirect("reciprocal:request_detail", request_id=move_request.pk)
    return render(request, "reciprocal/request_form.html", {"form": form, "case": case})


@require_GET
def request_detail_view(request: StaffRequest, request_id: uuid.UUID) -> HttpResponse:
    move_request = selectors.get_request(request.membership, request_id)
    case = move_request.case
    membership = request.membership
    profile = getattr(move_request, "profile", None)
    preview = profile.data if profile is not None else build_profile(move_request)
    return render(
        request,
        "reciprocal/request_detail.html",
        {
            "move_request": move_request,
            "case": case,
            "profile": preview,
            "profile_is_snapshot": profile is not None,
            "safe_areas": [area(code) for code in preview["safe_areas"]],
            "risk_band": risk_band_label(str(preview["risk_band"])),
            "warnings": [] if move_request.is_final else pool.request_warnings(move_request),
            "offers": pool.offers_on_request(move_request),
            "move": getattr(move_request, "move", None),
            "can_approve": policies.can_approve_request(membership, case) and move_request.status == "draft",
            # A request returned for review after an unreasonable refusal circulates again only
            # when its landlord's manager says so.
            "can_circulate": policies.can_approve_request(membership, case)
            and move_request.status in ("approved", "review"),
            "can_end": policies.can_work_request(membership, case) and not move_request.is_final,
            "can_close": policies.can_approve_request(membership, case)
            and move_request.status in ("circulated", "offered", "review"),
            "end_form": EndForm(),
        },
    )


def _transition_view(request: StaffRequest, request_id: uuid.UUID, *, action: str) -> HttpResponse:
    policy = policies.can_work_request if action == "withdraw" else policies.can_approve_request
    move_request = selectors.get_request(request.membership, request_id, purpose="worked", policy=policy)
    try:
        if action == "approve":
            services.request_approve(request=move_request, actor=request.user)
            messages.success(request, "Approved: the anonymised profile is taken and the circulation clock runs.")
        elif action == "circulate":
            services.request_circulate(request=move_request, actor=request.user)
            messages.success(request, "Circulated to the members with stock in the household's safe areas.")
        else:
            form = EndForm(request.POST)
            reason = form.data.get("reason", "")
            if action == "withdraw":
                services.request_withdraw(request=move_request, actor=request.user, reason=str(reason))
                messages.success(request, "The request is withdrawn.")
            else:
                services.request_close(request=move_request, actor=request.user, reason=str(reason))
                messages.success(request, "The request is closed.")
    except ValidationError as error:
        say(request, error)
    return redirect("reciprocal:request_detail", request_id=move_request.pk)


@require_POST
def request_approve_view(request: StaffRequest, request_id: uuid.UUID) -> HttpResponse:
    return _transition_view(request, request_id, action="approve")


@require_POST
def request_circulate_view(request: StaffRequest, request_id: uuid.UUID) -> HttpResponse:
    return _transition_view(request, request_id, action="circulate")


@require_POST
def request_withdraw_view(request: StaffRequest, request_id: uuid.UUID) -> HttpResponse:
    return _transition_view(request, request_id, action="withdraw")


@require_POST
def request_close_view(request: StaffRequest, request_id: uuid.UUID) -> HttpResponse:
    return _transition_view(request, request_id, action="close")
