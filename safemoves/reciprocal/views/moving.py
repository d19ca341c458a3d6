"""The move itself (ADR 0028): viewings, the sign-up date, the tenant's consent to the handover,
and the handed-over case with its safe address."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safemoves.common.decorators import allowed_if
from safemoves.common.forms import submit
from safemoves.common.http import StaffRequest
from safemoves.reciprocal import policies, pool
from safemoves.reciprocal.forms import (
    HandoverConsentForm,
    SafeContactForm,
    SignUpForm,
    ViewingForm,
    ViewingOutcomeForm,
)
from safemoves.reciprocal.pool import moving, services


def _moving_page(request: StaffRequest, offer_id: uuid.UUID, **forms: Any) -> HttpResponse:
    view = moving.moving_view(request.membership, offer_id)
    context: dict[str, Any] = {
        "moving": view,
        "offer": view.offer,
        "viewing_form": ViewingForm(),
        "outcome_form": ViewingOutcomeForm(),
        "sign_up_form": SignUpForm(initial={"sign_up_on": view.sign_up_on}),
        "consent_form": HandoverConsentForm(),
        **forms,
    }
    return render(request, "reciprocal/moving.html", context)


@allowed_if(policies.can_see_offers)
@require_GET
def moving_view(request: StaffRequest, offer_id: uuid.UUID) -> HttpResponse:
    return _moving_page(request, offer_id)


@allowed_if(policies.can_offer_homes)
@require_POST
def viewing_arrange_view(request: StaffRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = pool.get_offer_for_work(request.membership, offer_id, side="offering")
    form = ViewingForm(request.POST)
    if submit(
        form,
        lambda data: services.viewing_arrange(
            offer=offer, actor=request.user, starts_at=data["starts_at"], place_note=data["place_note"]
        ),
    ):
        messages.success(request, "The viewing is arranged.")
        return redirect("reciprocal:moving", offer_id=offer.pk)
    return _moving_page(request, offer.pk, viewing_form=form)


@allowed_if(policies.can_see_offers)
@require_POST
def viewing_outcome_view(request: StaffRequest, viewing_id: uuid.UUID) -> HttpResponse:
    viewing, referring = moving.get_viewing_for_work(request.membership, viewing_id)
    form = ViewingOutcomeForm(request.POST)
    if submit(
        form,
        lambda data: services.viewing_outcome(
            viewing=viewing, actor=request.user, outcome=data["outcome"], referring_side=referring
        ),
    ):
        messages.success(request, "The viewing is updated.")
        return redirect("reciprocal:moving", offer_id=viewing.offer_id)
    return _moving_page(request, viewing.offer_id, outcome_form=form)


@allowed_if(policies.can_offer_homes)
@require_POST
def sign_up_view(request: StaffRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = pool.get_offer_for_work(request.membership, offer_id, side="offering")
    form = SignUpForm(request.POST)
    if submit(
        form, lambda data: services.sign_up_record(offer=offer, actor=request.user, sign_up_on=data["sign_up_on"])
    ):
        messages.success(request, "The sign-up date is recorded.")
        return redirect("reciprocal:moving", offer_id=offer.pk)
    return _moving_page(request, offer.pk, sign_up_form=form)


@allowed_if(policies.can_see_offers)
@require_POST
def handover_consent_view(request: StaffRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = pool.get_offer_for_work(request.membership, offer_id, side="referring")
    form = HandoverConsentForm(request.POST)
    if submit(
        form,
        lambda data: services.handover_consent_record(
            offer=offer,
            actor=request.user,
            given_by=data["given_by"],
            given_on=data["given_on"],
            how_given=data["how_given"],
            support_needs=data["support_needs"],
        ),
    ):
        messages.success(request, "The tenant's consent to the handover is recorded.")
        return redirect("reciprocal:moving", offer_id=offer.pk)
    return _moving_page(request, offer.pk, consent_form=form)


@allowed_if(policies.can_offer_homes)
@require_http_methods(["GET", "POST"])
def handover_detail_view(request: StaffRequest, handover_id: uuid.UUID) -> HttpResponse:
    handover = moving.get_handover(request.membership, handover_id)
    if request.method == "POST":
        form = SafeContactForm(request.POST)
        changed: list[bool] = []

        def update(data: dict[str, Any]) -> None:
            changed.append(
                services.handover_update_safe_contact(
                    handover=handover,
                    actor=request.user,
                    safe_address=data["safe_address"],
                    safe_postcode=data["safe_postcode"],
                    rules={name: data[name] for name in (*services.CONTACT_TEXT, *services.CONTACT_FLAGS)},
                )
            )

        if submit(form, update):
            messages.success(
                request, "The safe address and contact rules are saved." if changed[0] else "Nothing changed."
            )
            return redirect("reciprocal:handover_detail", handover_id=handover.pk)
    view = moving.handover_view(request.membership, handover.pk)
    if request.method == "GET":
        form = SafeContactForm(
            initial={
                "safe_address": view.safe_address,
                "safe_postcode": view.safe_postcode,
                **{name: view.contact_rules.get(name) for name in (*services.CONTACT_TEXT, *services.CONTACT_FLAGS)},
            }
        )
    return render(
        request,
        "reciprocal/handover_detail.html",
        {"handover": view, "form": form},
    )
