from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from safemoves.accounts import services
from safemoves.accounts.demo import demo_code_for
from safemoves.accounts.forms import LoginForm, RecoveryCodeForm, SetPasswordForm, TokenForm
from safemoves.accounts.models import User
from safemoves.common.decorators import no_referrer
from safemoves.organisations.selectors import invitation_by_token_hash, membership_for_user
from safemoves.organisations.services import hash_token, invitation_accept

NEXT = "sm_next"
WRONG_CODE = "That code is not right. Codes change every 30 seconds: enter the newest one."


def _remember_next(request: HttpRequest) -> None:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        request.session[NEXT] = target


def _after_login(request: HttpRequest) -> HttpResponse:
    target = request.session.pop(NEXT, "")
    return redirect(target or "web:home")


@login_not_required
@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:home")
    if request.method == "GET":
        _remember_next(request)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        next_url = request.session.get(NEXT, "")
        services.begin_second_factor(request, form.user)
        if next_url:
            request.session[NEXT] = next_url
        if services.confirmed_device(form.user) is None:
            return redirect("accounts:enrol")
        return redirect("accounts:verify")
    return render(request, "accounts/login.html", {"form": form})


def _token_step(request: HttpRequest, user: User, device: TOTPDevice, *, enrolling: bool) -> HttpResponse | TokenForm:
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if services.check_token(request, user, device, form.cleaned_data["token"]):
            services.complete_login(request, user, device, enrolled=enrolling)
            if enrolling:
                return redirect("accounts:recovery_codes")
            return _after_login(request)
        form.add_error("token", WRONG_CODE)
    return form


@login_not_required
@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    user = services.pending_user(request)
    if user is None:
        messages.info(request, "Sign in again to continue.")
        return redirect("accounts:login")
    device = services.confirmed_device(user)
    if device is None:
        return redirect("accounts:enrol")
    outcome = _token_step(request, user, device, enrolling=False)
    if isinstance(outcome, HttpResponse):
        return outcome
    return render(request, "accounts/verify.html", {"form": outcome, "demo_code": demo_code_for(user, device)})


@login_not_required
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def recover_view(request: HttpRequest) -> HttpResponse:
    """The second step with a recovery code instead of the authenticator (each code works once)."""
    user = services.pending_user(request)
    if user is None:
        messages.info(request, "Sign in again to continue.")
        return redirect("accounts:login")
    form = RecoveryCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = services.check_recovery_code(request, user, form.cleaned_data["code"])
        if device is not None:
            services.complete_login(request, user, device, enrolled=False)
            left = device.token_set.count()
            messages.warning(
                request,
                f"You signed in with a recovery code; {left} left. If you have lost your phone, "
                "ask your administrator to reset your second factor.",
            )
            return _after_login(request)
        form.add_error("code", "That recovery code is not right, or it has been used already.")
    return render(request, "accounts/recover.html", {"form": form})


@never_cache
@require_GET
def recovery_codes_view(request: HttpRequest) -> HttpResponse:
    """The recovery codes made at enrolment, shown this once (they leave the session now)."""
    codes = request.session.pop(services.RECOVERY_CODES_SHOWN, None)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    # Drop the XML prolog so the SVG can sit inline in HTML (inline SVG needs no CSP allowance).
    return svg[svg.index("<svg") :]


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_not_required
@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def enrol_view(request: HttpRequest) -> HttpResponse:
    user = services.pending_user(request)
    if user is None:
        messages.info(request, "Sign in again to continue.")
        return redirect("accounts:login")
    if services.confirmed_device(user) is not None:
        return redirect("accounts:verify")
    device = services.enrolment_device(user)
    outcome = _token_step(request, user, device, enrolling=True)
    if isinstance(outcome, HttpResponse):
        return outcome
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": outcome,
            "qr_svg": _qr_svg(device.config_url),
            "secret": _grouped(secret),
            "demo_code": demo_code_for(user, device),
        },
    )


@login_not_required
@never_cache
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        user = request.user
        membership = membership_for_user(user)
        services.record_logout(user, membership.organisation_id if membership else None)
    logout(request)
    response = render(request, "accounts/signed_out.html")
    # Ask the browser to drop everything it kept for this site: cookies, storage, cache.
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@login_not_required
@never_cache
@no_referrer
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def accept_invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token_hash(hash_token(token))
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = SetPasswordForm(
        request.POST if request.method == "POST" else None, email=invitation.email, full_name=invitation.full_name
    )
    if request.method == "POST" and form.is_valid():
        user = invitation_accept(invitation=invitation, password=form.cleaned_data["password1"])
        services.begin_second_factor(request, user)
        return redirect("accounts:enrol")
    return render(request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation})
