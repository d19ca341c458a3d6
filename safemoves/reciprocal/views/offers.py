"""An offer seen from either side: the tenant's decision, withdrawal, the identity release, and
the move it leads to with the post-move check-in."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safemoves.common.decorators import allowed_if
from safemoves.common.forms import act, submit
from safemoves.common.http import StaffRequest
from safemoves.reciprocal import policies, pool
from safemoves.reciprocal.forms import CheckInForm, DecisionForm, MoveForm
from safemoves.reciprocal.models import Move
from safemoves.reciprocal.pool import services


@allowed_if(policies.can_see_offers)
@require_GET
def offer_detail_view(request: StaffRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = pool.get_offer_view(request.membership, offer_id)
    identity = pool.released_identity(request.membership, offer.id) if offer.is_offering_side else None
    return render(
        request,
        "reciprocal/offer_detail.html",
        {"offer": offer, "identity": identity, "decision_form": DecisionForm(), "move_form": MoveForm()},
    )


@allowed_if(policies.can_see_offers)
@require_POST
def offer_decide_view(request: StaffRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = pool.get_offer_for_work(request.membership, offer_id, side="referring")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether the tenant accepts or refuses the offer.")
        return redirect("reciprocal:offer_detail", offer_id=offer.pk)
    data = form.cleaned_data
    reasonable = {"yes": True, "no": False}.get(data["reasonable_refusal"])
    act(
        request,
        lambda: services.offer_decide(
            offer=offer,
            actor=request.user,
            accepted=data["decision"] == "accept",
            refusal_reason=data["refusal_reason"],
            reasonable_refusal=reasonable,
        ),
        "The tenant's decision is recorded.",
    )
    return redirect("reciprocal:offer_detail", offer_id=offer.pk)


@allowed_if(policies.can_offer_homes)
@require_POST
def offer_withdraw_view(request: StaffRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = pool.get_offer_for_work(request.membership, offer_id, side="offering")
    act(
        request,
        lambda: services.offer_withdraw(offer=offer, actor=request.user),
        "The offer is withdrawn and the home is back in the pool.",
    )
    return redirect("reciprocal:offer_detail", offer_id=offer.pk)


@allowed_if(policies.can_see_offers)
@require_POST
def identity_release_view(request: StaffRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = pool.get_offer_for_work(request.membership, offer_id, side="referring")
    act(
        request,
        lambda: services.identity_release(offer=offer, actor=request.user),
        "The tenant's name and safe contact route are released to the rehousing landlord.",
    )
    return redirect("reciprocal:offer_detail", offer_id=offer.pk)


@allowed_if(policies.can_offer_homes)
@require_http_methods(["GET", "POST"])
def move_record_view(request: StaffRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = pool.get_offer_for_work(request.membership, offer_id, side="offering")
    form = MoveForm(request.POST if request.method == "POST" else None)
    recorded: list[Move] = []

    def record(data: dict[str, Any]) -> None:
        recorded.append(services.move_record(offer=offer, actor=request.user, move_date=data["move_date"]))

    if request.method == "POST" and submit(form, record):
        messages.success(request, "The move is recorded: the new address is protected and the ledger posted.")
        return redirect("reciprocal:move_detail", move_id=recorded[0].pk)
    return render(
        request,
        "reciprocal/move_form.html",
        {"form": form, "offer_id": offer.pk, "offer": pool.get_offer_view(request.membership, offer.pk)},
    )


@allowed_if(policies.can_see_offers)
@require_GET
def move_detail_view(request: StaffRequest, move_id: uuid.UUID) -> HttpResponse:
    return render(
        request,
        "reciprocal/move_detail.html",
        {"move": pool.get_move_view(request.membership, move_id), "check_in_form": CheckInForm()},
    )


@allowed_if(policies.can_see_offers)
@require_POST
def move_check_in_view(request: StaffRequest, move_id: uuid.UUID) -> HttpResponse:
    move = pool.get_move_for_check_in(request.membership, move_id)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose what the check-in found.")
        return redirect("reciprocal:move_detail", move_id=move.pk)
    data = form.cleaned_data
    act(
        request,
        lambda: services.move_check_in(move=move, actor=request.user, outcome=data["outcome"], notes=data["notes"]),
        "The post-move check-in is recorded.",
    )
    return redirect("reciprocal:move_detail", move_id=move.pk)
