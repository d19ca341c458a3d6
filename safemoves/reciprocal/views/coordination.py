"""The coordinator's pages: matching (offers and proposals in a batch), the ledger and the
scheme policy."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safemoves.common.decorators import allowed_if
from safemoves.common.forms import act, say, submit
from safemoves.common.http import StaffRequest
from safemoves.jobs.matching import matching_job_start, matching_result
from safemoves.reciprocal import policies, pool
from safemoves.reciprocal.forms import PolicyForm
from safemoves.reciprocal.pool import services


@allowed_if(policies.can_coordinate)
@require_http_methods(["GET", "POST"])
def matching_view(request: StaffRequest) -> HttpResponse:
    if request.method == "POST" and "run" in request.POST:
        # The run is a background job (ADR 0025): its page shows progress, then links back here.
        job = matching_job_start(membership=request.membership)
        return redirect("jobs:detail", job_id=job.pk)
    if request.method == "POST":
        made = proposed = 0
        for pair in request.POST.getlist("proposal"):
            request_id, _, home_id = pair.partition(":")
            try:
                move_request = pool.request_for_coordinator(request.membership, request_id)
                home = pool.home_for_coordinator(request.membership, home_id)
                # Only a home's own landlord commits it: another member's home is proposed to it.
                if home.organisation_id == request.membership.organisation_id:
                    services.offer_create(actor=request.user, home=home, request=move_request)
                    made += 1
                else:
                    services.proposal_create(membership=request.membership, home=home, request=move_request)
                    proposed += 1
            except ValidationError as error:
                say(request, error)
        if made:
            messages.success(request, f"{made} offer{'s' if made != 1 else ''} made.")
        if proposed:
            messages.success(
                request,
                f"{proposed} proposal{'s' if proposed != 1 else ''} sent to the homes' landlords to confirm.",
            )
        return redirect("reciprocal:matching")
    result = matching_result(request.membership, request.GET["result"]) if request.GET.get("result") else None
    return render(request, "reciprocal/matching.html", {"result": result})


@allowed_if(policies.can_coordinate)
@require_GET
def ledger_view(request: StaffRequest) -> HttpResponse:
    return render(request, "reciprocal/ledger.html", {"ledger": pool.ledger_summary(request.membership)})


@allowed_if(policies.can_coordinate)
@require_POST
def ledger_correct_view(request: StaffRequest, entry_id: int) -> HttpResponse:
    entry = pool.get_ledger_entry(request.membership, entry_id)
    act(request, lambda: services.ledger_correct(entry=entry, actor=request.user), "Correcting entries are posted.")
    return redirect("reciprocal:ledger")


@allowed_if(policies.can_coordinate)
@require_http_methods(["GET", "POST"])
def policy_view(request: StaffRequest) -> HttpResponse:
    schemes = pool.member_scheme_ids(request.membership.organisation_id)
    current = pool.policy_in_force(schemes[0]) if schemes else None
    names = [*services.POLICY_LIMITS, *services.POLICY_CHOICES]
    initial = {name: getattr(current, name) for name in names} if current else {}
    form = PolicyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and submit(
        form, lambda data: services.policy_update(membership=request.membership, values=dict(data))
    ):
        messages.success(request, "The scheme policy is saved as a new version.")
        return redirect("reciprocal:policy")
    history = pool.policy_history(schemes[0]) if schemes else []
    return render(request, "reciprocal/policy.html", {"form": form, "current": current, "history": history})
