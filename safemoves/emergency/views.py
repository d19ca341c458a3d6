from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safemoves.cases.policies import can_work_case
from safemoves.cases.selectors import get_case
from safemoves.common.forms import submit
from safemoves.common.http import StaffRequest
from safemoves.emergency import selectors, services
from safemoves.emergency.forms import OfferForm


def _details(data: dict[str, Any]) -> services.OfferDetails:
    return services.OfferDetails(
        kind=data["kind"],
        provider=data["provider"],
        offered_on=data["offered_on"],
        postcode=data["postcode"],
        area_code=data["area_code"],
        decision=data["decision"],
        refusal_reason=data["refusal_reason"],
        decision_note=data["decision_note"],
    )


@require_http_methods(["GET", "POST"])
def offer_new_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = get_case(request.membership, case_id, policy=can_work_case)
    form = OfferForm(request.POST if request.method == "POST" else None, initial={"decision": "pending"})
    if request.method == "POST" and submit(
        form, lambda data: services.emergency_offer_record(case=case, actor=request.user, details=_details(data))
    ):
        messages.success(request, "Emergency accommodation offer recorded.")
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "emergency/offer_form.html", {"case": case, "form": form, "offer": None})


@require_http_methods(["GET", "POST"])
def offer_edit_view(request: StaffRequest, case_id: UUID, offer_id: UUID) -> HttpResponse:
    case = get_case(request.membership, case_id, policy=can_work_case)
    offer = selectors.get_offer(case, offer_id)
    initial = {
        "kind": offer.kind,
        "provider": offer.provider,
        # A postcode is shown as given; the district is derived from it, so it is left blank.
        "postcode": offer.postcode,
        "area_code": "" if offer.postcode else offer.area_code,
        "offered_on": offer.offered_on,
        "decision": offer.decision,
        "refusal_reason": offer.refusal_reason,
        "decision_note": offer.decision_note,
        "version": offer.version,
    }
    form = OfferForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and (
        saved := submit(
            form,
            lambda data: services.emergency_offer_update(
                case=case, actor=request.user, offer=offer, details=_details(data), expected_version=data["version"]
            ),
        )
    ):
        messages.success(request, "Offer saved." if saved.result else "No changes to save.")
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "emergency/offer_form.html", {"case": case, "form": form, "offer": offer})
