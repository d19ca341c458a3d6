"""The pool of anonymised requests, and the offering landlord's homes: which requests each fits,
the offer of a home, and the coordinator's proposals to confirm."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from safemoves.cases.extensions import frame_reads
from safemoves.common.bound import read_together
from safemoves.common.decorators import allowed_if
from safemoves.common.forms import say
from safemoves.common.http import StaffRequest
from safemoves.properties.models import Home
from safemoves.properties.selectors import get_home, own_home_listed
from safemoves.reciprocal import policies, pool, selectors
from safemoves.reciprocal.forms import OfferForm, ProposalDecisionForm
from safemoves.reciprocal.pool import probing, services
from safemoves.reciprocal.views.base import area


@allowed_if(policies.can_use_pool)
@require_GET
def pool_view(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    # Who may see what, and the header's reads, in one round trip before the pool's own (ADR 0035).
    with read_together([*pool.access_reads(membership), *frame_reads(membership)]):
        shown = pool.pool_profiles(membership, page_number=request.GET.get("page"))
        return render(request, "reciprocal/pool.html", {"profiles": shown.profiles, "page": shown.page, "query": ""})


@allowed_if(policies.can_use_pool)
@require_GET
def pool_request_view(request: StaffRequest, request_id: uuid.UUID) -> HttpResponse:
    profile = pool.get_pool_profile(request.membership, request_id)
    return render(request, "reciprocal/pool_request.html", {"profile": profile})


@allowed_if(policies.can_offer_homes)
@require_GET
def home_list_view(request: StaffRequest) -> HttpResponse:
    homes = selectors.own_homes_for_offer(request.membership)
    rows = [{"home": home, "area": area(home.area_code)} for home in homes]
    return render(
        request,
        "reciprocal/homes.html",
        {
            "rows": rows,
            "offers": pool.own_offers(request.membership),
            "proposals": [
                {"proposal": proposal, "area": area(proposal.home.area_code)}
                for proposal in pool.own_proposals(request.membership)
            ],
        },
    )


@allowed_if(policies.can_offer_homes)
@require_POST
def proposal_decide_view(request: StaffRequest, proposal_id: uuid.UUID) -> HttpResponse:
    proposal = pool.get_proposal(request.membership, proposal_id)
    form = ProposalDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to confirm or decline the proposal.")
        return redirect("reciprocal:homes")
    try:
        offer = services.proposal_decide(
            proposal=proposal, actor=request.user, confirm=form.cleaned_data["decision"] == "confirm"
        )
    except ValidationError as error:
        say(request, error)
        return redirect("reciprocal:homes")
    if offer is None:
        messages.success(request, "The proposal is declined.")
        return redirect("reciprocal:homes")
    messages.success(request, "The offer is made; the nominating officer takes it to the household.")
    return redirect("reciprocal:offer_detail", offer_id=offer.pk)


def _listed_home(request: StaffRequest, home_id: uuid.UUID, *, purpose: str) -> Home:
    """Only a listed home (available or on offer) can be matched or offered; a let home's
    address is protected."""
    if not own_home_listed(request.membership, home_id):
        raise Http404  # checked first, so that a refused request logs nothing
    return get_home(request.membership, home_id, purpose=purpose)


@allowed_if(policies.can_offer_homes)
@require_GET
def home_fits_view(request: StaffRequest, home_id: uuid.UUID) -> HttpResponse:
    home = _listed_home(request, home_id, purpose="matched")
    fits = pool.fits_for_home(request.membership, home)
    unmet = [] if fits else pool.unmet_rules_for_home(request.membership, home)
    return render(
        request,
        "reciprocal/home_fits.html",
        {
            "home": home,
            "area": area(home.area_code),
            "fits": fits,
            "unmet": unmet,
            "withheld": pool.requests_withheld(request.membership, home),
            "check_limit": probing.HOMES_PER_REQUEST,
            "check_days": probing.PERIOD.days,
        },
    )


@allowed_if(policies.can_offer_homes)
@require_POST
def offer_create_view(request: StaffRequest, home_id: uuid.UUID) -> HttpResponse:
    home = _listed_home(request, home_id, purpose="offered")
    form = OfferForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the request to offer this home to.")
        return redirect("reciprocal:home_fits", home_id=home.pk)
    move_request = pool.request_for_offer(request.membership, form.cleaned_data["request"])
    try:
        offer = services.offer_create(actor=request.user, home=home, request=move_request)
    except ValidationError as error:
        say(request, error)
        return redirect("reciprocal:home_fits", home_id=home.pk)
    messages.success(request, "The offer is made; the nominating officer takes it to the tenant.")
    return redirect("reciprocal:offer_detail", offer_id=offer.pk)
