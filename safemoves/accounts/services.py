"""Signing in: password, then the second factor, then a session with two clocks."""

from __future__ import annotations

import secrets

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import login, user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safemoves.accounts.backends import STAFF_BACKEND
from safemoves.accounts.models import User
from safemoves.audit.registry import audited, unaudited
from safemoves.audit.services import record_event
from safemoves.organisations.selectors import membership_for_user

PENDING_USER = "sm_pending_user"
PENDING_AT = "sm_pending_at"
LOGIN_AT = "sm_login_at"
LAST_SEEN_AT = "sm_last_seen_at"
# The organisation of the membership signed in with: each request reads the membership in that
# organisation's scope, which its own reads then share (ADR 0035, addendum).
SIGNED_IN_ORGANISATION = "sm_organisation"
# A password check counts towards the second factor for this long only.
PENDING_SECONDS = 5 * 60
# Recovery codes: shown once after enrolment (kept in the session until then), usable once each.
RECOVERY_CODES_SHOWN = "sm_recovery_codes"
RECOVERY_CODE_COUNT = 10
# No 0/o, 1/l/i: a code copied from paper must not be misread.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


@unaudited("marks the session half signed in; auth.login is recorded when sign-in completes")
def begin_second_factor(request: HttpRequest, user: User) -> None:
    request.session.cycle_key()
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_AT] = timezone.now().timestamp()


@unaudited("reads the session only")
def pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING_USER)
    started = request.session.get(PENDING_AT)
    if user_id is None or started is None:
        return None
    if timezone.now().timestamp() - float(started) > PENDING_SECONDS:
        clear_pending(request)
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or membership_for_user(user) is None:
        return None
    return user


@unaudited("clears a session mark; writes no record")
def clear_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING_USER, None)
    request.session.pop(PENDING_AT, None)


@unaudited("reads only")
def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@unaudited("an unconfirmed authenticator; enrolment is recorded when sign-in completes")
def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up; a fresh secret on the first visit."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@unaudited("checks a code; a failure goes to the lockout, a success to complete_login")
def check_token(request: HttpRequest, user: User, device: TOTPDevice, token: str) -> bool:
    """Verify a code; a wrong code counts as a failed sign-in for the lockout."""
    credentials = {"username": user.email}
    # While the (username, address) pair is locked not even a right code is accepted; the
    # failure signal lets django-axes answer with its lockout page.
    locked = AxesProxyHandler.is_locked(request, credentials)
    allowed, _ = device.verify_is_allowed()
    if not locked and allowed and device.verify_token(token):
        return True
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return False


@unaudited("normalises a value; reads and writes nothing")
def normalise_recovery_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@unaudited("part of enrolment; complete_login records auth.second_factor_enrolled")
@transaction.atomic
def recovery_codes_issue(user: User) -> list[str]:
    """A fresh set of recovery codes (any earlier set stops working); returns them, to show once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


@unaudited("checks a code; complete_login records auth.recovery_code_used")
def check_recovery_code(request: HttpRequest, user: User, code: str) -> StaticDevice | None:
    """The recovery-code device if ``code`` is one of the user's unused codes (it is used up);
    a wrong code counts as a failed sign-in for the lockout, like a wrong security code."""
    credentials = {"username": user.email}
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    locked = AxesProxyHandler.is_locked(request, credentials)
    if not locked and device is not None and device.verify_token(normalise_recovery_code(code)):
        return device
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return None


@audited("auth.second_factor_enrolled", "auth.recovery_code_used", "auth.login")
@transaction.atomic
def complete_login(request: HttpRequest, user: User, device: Device, *, enrolled: bool) -> None:
    if enrolled and isinstance(device, TOTPDevice):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        request.session[RECOVERY_CODES_SHOWN] = recovery_codes_issue(user)
    clear_pending(request)
    login(request, user, backend=STAFF_BACKEND)
    otp_login(request, device)
    request.session[LOGIN_AT] = request.session[LAST_SEEN_AT] = timezone.now().timestamp()
    membership = membership_for_user(user)
    organisation_id = membership.organisation_id if membership else None
    if organisation_id is not None:
        request.session[SIGNED_IN_ORGANISATION] = organisation_id
    if enrolled:
        record_event(
            action="auth.second_factor_enrolled",
            actor=user,
            organisation_id=organisation_id,
            object_type="user",
            object_id=user.pk,
        )
    if isinstance(device, StaticDevice):
        record_event(
            action="auth.recovery_code_used",
            actor=user,
            organisation_id=organisation_id,
            object_type="user",
            object_id=user.pk,
            reason=f"{device.token_set.count()} code(s) left",
        )
    record_event(
        action="auth.login", actor=user, organisation_id=organisation_id, object_type="user", object_id=user.pk
    )


@audited("auth.logout")
@transaction.atomic
def record_logout(user: User, organisation_id: int | None) -> None:
    record_event(
        action="auth.logout", actor=user, organisation_id=organisation_id, object_type="user", object_id=user.pk
    )
