"""Pages of the reciprocal scheme. Each view parses input, calls one service or selector and
renders; anything the member may not see is "not found"."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safemoves.cases.selectors import get_case
from safemoves.common.decorators import allowed_if
from safemoves.common.forms import add_validation_error, submit
from safemoves.common.http import StaffRequest
from safemoves.geo import area_name, is_known_area
from safemoves.jobs.matching import matching_job_start, matching_result
from safemoves.properties.models import Home
from safemoves.properties.selectors import get_home, own_home_listed
from safemoves.reciprocal import moving, policies, pool, probing, selectors, services
from safemoves.reciprocal.forms import (
    CheckInForm,
    DecisionForm,
    EndForm,
    HandoverConsentForm,
    MoveForm,
    OfferForm,
    PolicyForm,
    ProposalDecisionForm,
    RequestForm,
    SafeContactForm,
    SignUpForm,
    ViewingForm,
    ViewingOutcomeForm,
)
from safemoves.reciprocal.profile import build_profile, risk_band_label, suggested_bedrooms


def _say(request: StaffRequest, error: ValidationError) -> None:
    for problem in error.messages:
        messages.error(request, problem)


def _area(code: str) -> str:
    return area_name(code) if is_known_area(code) else code


# --- the referring landlord -----------------------------------------------------------------


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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            move_request = services.request_create(
                membership=request.membership,
                case=case,
                bedrooms_needed=data["bedrooms_needed"],
                access_need=data["access_need"],
                pets=data["pets"],
                urgent=data["urgent"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
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
            "safe_areas": [_area(code) for code in preview["safe_areas"]],
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
        _say(request, error)
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


# --- the pool (any member with stock in her areas, the coordinator) ------------------------


@allowed_if(policies.can_use_pool)
@require_GET
def pool_view(request: StaffRequest) -> HttpResponse:
    shown = pool.pool_profiles(request.membership, page_number=request.GET.get("page"))
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
    rows = [{"home": home, "area": _area(home.area_code)} for home in homes]
    return render(
        request,
        "reciprocal/homes.html",
        {
            "rows": rows,
            "offers": selectors.own_offers(request.membership),
            "proposals": [
                {"proposal": proposal, "area": _area(proposal.home.area_code)}
                for proposal in selectors.own_proposals(request.membership)
            ],
        },
    )


@allowed_if(policies.can_offer_homes)
@require_POST
def proposal_decide_view(request: StaffRequest, proposal_id: uuid.UUID) -> HttpResponse:
    proposal = selectors.get_proposal(request.membership, proposal_id)
    form = ProposalDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to confirm or decline the proposal.")
        return redirect("reciprocal:homes")
    try:
        offer = services.proposal_decide(
            proposal=proposal, actor=request.user, confirm=form.cleaned_data["decision"] == "confirm"
        )
    except ValidationError as error:
        _say(request, error)
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
            "area": _area(home.area_code),
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
        _say(request, error)
        return redirect("reciprocal:home_fits", home_id=home.pk)
    messages.success(request, "The offer is made; the nominating officer takes it to the tenant.")
    return redirect("reciprocal:offer_detail", offer_id=offer.pk)


# --- offers ---------------------------------------------------------------------------------


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
    try:
        services.offer_decide(
            offer=offer,
            actor=request.user,
            accepted=data["decision"] == "accept",
            refusal_reason=data["refusal_reason"],
            reasonable_refusal=reasonable,
        )
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, "The tenant's decision is recorded.")
    return redirect("reciprocal:offer_detail", offer_id=offer.pk)


@allowed_if(policies.can_offer_homes)
@require_POST
def offer_withdraw_view(request: StaffRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = pool.get_offer_for_work(request.membership, offer_id, side="offering")
    try:
        services.offer_withdraw(offer=offer, actor=request.user)
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, "The offer is withdrawn and the home is back in the pool.")
    return redirect("reciprocal:offer_detail", offer_id=offer.pk)


@allowed_if(policies.can_see_offers)
@require_POST
def identity_release_view(request: StaffRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = pool.get_offer_for_work(request.membership, offer_id, side="referring")
    try:
        services.identity_release(offer=offer, actor=request.user)
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, "The tenant's name and safe contact route are released to the rehousing landlord.")
    return redirect("reciprocal:offer_detail", offer_id=offer.pk)


@allowed_if(policies.can_offer_homes)
@require_http_methods(["GET", "POST"])
def move_record_view(request: StaffRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = pool.get_offer_for_work(request.membership, offer_id, side="offering")
    form = MoveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            move = services.move_record(offer=offer, actor=request.user, move_date=form.cleaned_data["move_date"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "The move is recorded: the new address is protected and the ledger posted.")
            return redirect("reciprocal:move_detail", move_id=move.pk)
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
    try:
        services.move_check_in(
            move=move, actor=request.user, outcome=form.cleaned_data["outcome"], notes=form.cleaned_data["notes"]
        )
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, "The post-move check-in is recorded.")
    return redirect("reciprocal:move_detail", move_id=move.pk)


# --- the coordinator ------------------------------------------------------------------------


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
                _say(request, error)
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
    try:
        services.ledger_correct(entry=entry, actor=request.user)
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, "Correcting entries are posted.")
    return redirect("reciprocal:ledger")


@allowed_if(policies.can_coordinate)
@require_http_methods(["GET", "POST"])
def policy_view(request: StaffRequest) -> HttpResponse:
    schemes = pool.member_scheme_ids(request.membership.organisation_id)
    current = pool.policy_in_force(schemes[0]) if schemes else None
    names = [*services.POLICY_LIMITS, *services.POLICY_CHOICES]
    initial = {name: getattr(current, name) for name in names} if current else {}
    form = PolicyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(membership=request.membership, values=dict(form.cleaned_data))
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "The scheme policy is saved as a new version.")
            return redirect("reciprocal:policy")
    history = pool.policy_history(schemes[0]) if schemes else []
    return render(request, "reciprocal/policy.html", {"form": form, "current": current, "history": history})


# --- the move itself (ADR 0028) -------------------------------------------------------------


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
    if form.is_valid():
        try:
            moving.viewing_arrange(
                offer=offer,
                actor=request.user,
                starts_at=form.cleaned_data["starts_at"],
                place_note=form.cleaned_data["place_note"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "The viewing is arranged.")
            return redirect("reciprocal:moving", offer_id=offer.pk)
    return _moving_page(request, offer.pk, viewing_form=form)


@allowed_if(policies.can_see_offers)
@require_POST
def viewing_outcome_view(request: StaffRequest, viewing_id: uuid.UUID) -> HttpResponse:
    viewing, referring = moving.get_viewing_for_work(request.membership, viewing_id)
    form = ViewingOutcomeForm(request.POST)
    if form.is_valid():
        try:
            moving.viewing_outcome(
                viewing=viewing, actor=request.user, outcome=form.cleaned_data["outcome"], referring_side=referring
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "The viewing is updated.")
            return redirect("reciprocal:moving", offer_id=viewing.offer_id)
    return _moving_page(request, viewing.offer_id, outcome_form=form)


@allowed_if(policies.can_offer_homes)
@require_POST
def sign_up_view(request: StaffRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = pool.get_offer_for_work(request.membership, offer_id, side="offering")
    form = SignUpForm(request.POST)
    if submit(form, lambda data: moving.sign_up_record(offer=offer, actor=request.user, sign_up_on=data["sign_up_on"])):
        messages.success(request, "The sign-up date is recorded.")
        return redirect("reciprocal:moving", offer_id=offer.pk)
    return _moving_page(request, offer.pk, sign_up_form=form)


@allowed_if(policies.can_see_offers)
@require_POST
def handover_consent_view(request: StaffRequest, offer_id: uuid.UUID) -> HttpResponse:
    offer = pool.get_offer_for_work(request.membership, offer_id, side="referring")
    form = HandoverConsentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            moving.handover_consent_record(
                offer=offer,
                actor=request.user,
                given_by=data["given_by"],
                given_on=data["given_on"],
                how_given=data["how_given"],
                support_needs=data["support_needs"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "The tenant's consent to the handover is recorded.")
            return redirect("reciprocal:moving", offer_id=offer.pk)
    return _moving_page(request, offer.pk, consent_form=form)


@allowed_if(policies.can_offer_homes)
@require_http_methods(["GET", "POST"])
def handover_detail_view(request: StaffRequest, handover_id: uuid.UUID) -> HttpResponse:
    handover = moving.get_handover(request.membership, handover_id)
    if request.method == "POST":
        form = SafeContactForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                changed = moving.handover_update_safe_contact(
                    handover=handover,
                    actor=request.user,
                    safe_address=data["safe_address"],
                    safe_postcode=data["safe_postcode"],
                    rules={name: data[name] for name in (*moving.CONTACT_TEXT, *moving.CONTACT_FLAGS)},
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request, "The safe address and contact rules are saved." if changed else "Nothing changed."
                )
                return redirect("reciprocal:handover_detail", handover_id=handover.pk)
    view = moving.handover_view(request.membership, handover.pk)
    if request.method == "GET":
        form = SafeContactForm(
            initial={
                "safe_address": view.safe_address,
                "safe_postcode": view.safe_postcode,
                **{name: view.contact_rules.get(name) for name in (*moving.CONTACT_TEXT, *moving.CONTACT_FLAGS)},
            }
        )
    return render(
        request,
        "reciprocal/handover_detail.html",
        {"handover": view, "form": form},
    )
