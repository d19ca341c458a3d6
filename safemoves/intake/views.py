"""The public intake pages (agency referral, "get in touch") and the staff page for referral links.

Public pages keep nothing in the visitor's browser: no cookies (no session, no CSRF cookie),
no autocomplete, no referrer sent onwards, and ``Cache-Control: no-store`` from the global
middleware. They are exempt from CSRF checks because a CSRF token needs a cookie; the forms
are anonymous, so a forged submission could do nothing a visitor cannot do by filling the
form in, and the referral form's credential is the token in its own URL.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from safemoves.cases.policies import can_manage_referral_links
from safemoves.cases.services import SelfReferral
from safemoves.common.decorators import allowed_if, no_referrer
from safemoves.common.forms import submit
from safemoves.common.http import StaffRequest
from safemoves.intake import selectors, services
from safemoves.intake.forms import AgencyReferralForm, ContactRequestForm, ReferralLinkForm
from safemoves.intake.ratelimit import submission_allowed
from safemoves.intake.services import YES, AgencyReferral


def _public_context(**context: Any) -> dict[str, Any]:
    return {"exit_url": settings.SAFEMOVES_EXIT_URL, **context}


@login_not_required
@csrf_exempt  # No session and no cookie on this page; see the module docstring.
@no_referrer
@require_http_methods(["GET", "POST"])
def agency_referral_view(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.active_referral_link(token)
    context = _public_context(
        organisation=link.organisation,
        agency_name=link.agency_name,
        working_days=selectors.first_contact_working_days(link.organisation),
    )
    form = AgencyReferralForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not submission_allowed(request):
            context.update(form=form, rate_limited=True)
            return render(request, "intake/agency_referral.html", context, status=429)
        if received := submit(
            form, lambda data: services.agency_referral_submit(link=link, referral=AgencyReferral(**data))
        ):
            # Rendered, not redirected: the reference is all the referrer ever sees of the case.
            reference = received.result.reference
            return render(request, "intake/agency_referral_done.html", _public_context(reference=reference))
    context["form"] = form
    return render(request, "intake/agency_referral.html", context)


def _contact(data: dict[str, Any]) -> SelfReferral:
    return SelfReferral(
        name=data["name"],
        contact_method=data["contact_method"],
        phone=data["phone"],
        email=data["email"],
        safe_times=data["safe_times"],
        voicemail_ok=data["voicemail_ok"] == YES,
        letter_ok=data["letter_ok"] == YES,
        message=data["message"],
    )


@login_not_required
@csrf_exempt  # No session and no cookie on this page; see the module docstring.
@no_referrer
@require_http_methods(["GET", "POST"])
def contact_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    organisation = selectors.organisation_for_contact_page(org_slug)
    context = _public_context(
        organisation=organisation, working_days=selectors.first_contact_working_days(organisation)
    )
    form = ContactRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not submission_allowed(request):
            context.update(form=form, rate_limited=True)
            return render(request, "intake/contact.html", context, status=429)
        if submit(
            form, lambda data: services.contact_request_submit(organisation=organisation, request=_contact(data))
        ):
            return render(request, "intake/contact_done.html", context)
    context["form"] = form
    return render(request, "intake/contact.html", context)


@allowed_if(can_manage_referral_links)
@require_http_methods(["GET", "POST"])
def links_view(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    form = ReferralLinkForm(request.POST if request.method == "POST" else None)
    new_link = new_link_url = None
    if request.method == "POST" and (
        created := submit(form, lambda data: services.referral_link_create(membership=membership, **data))
    ):
        new_link, token = created.result
        # Shown once, on this response only: only the token's hash is kept.
        new_link_url = request.build_absolute_uri(reverse("intake:agency_referral", args=[token]))
        form = ReferralLinkForm()
    contact_url = request.build_absolute_uri(reverse("intake:contact", args=[membership.organisation.slug]))
    return render(
        request,
        "intake/links.html",
        {
            "form": form,
            "links": selectors.referral_links(membership),
            "new_link": new_link,
            "new_link_url": new_link_url,
            "contact_url": contact_url,
        },
    )


@allowed_if(can_manage_referral_links)
@require_POST
def link_deactivate_view(request: StaffRequest, link_id: int) -> HttpResponse:
    link = selectors.get_referral_link(request.membership, link_id)
    services.referral_link_deactivate(membership=request.membership, link=link)
    messages.success(request, f"The link for {link.agency_name} no longer works.")
    return redirect("intake:links")
