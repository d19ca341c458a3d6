from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, logout
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from safemoves.accounts.backends import STAFF_BACKEND
from safemoves.accounts.services import LAST_SEEN_AT, LOGIN_AT, SIGNED_IN_ORGANISATION
from safemoves.common.bound import Read
from safemoves.common.prepared import prepared
from safemoves.organisations.selectors import membership_for_user, signed_in_reads_together


def _totp_device(device_id: int) -> QuerySet[TOTPDevice]:
    devices: QuerySet[TOTPDevice] = TOTPDevice.objects.filter(id=device_id)
    return devices


def _static_device(device_id: int) -> QuerySet[StaticDevice]:
    devices: QuerySet[StaticDevice] = StaticDevice.objects.filter(id=device_id)
    return devices


# The statement of each kind of device this product enrols, read as django-otp reads it (by id).
_DEVICE_BUILDERS: dict[str, Callable[[int], QuerySet[Any]]] = {
    "otp_totp.totpdevice": _totp_device,
    "otp_static.staticdevice": _static_device,
}


def _device_read(persistent_id: str) -> Read[Any] | None:
    """The read of a device this product enrols, by the stored id as django-otp parses it."""
    with suppress(ValueError):
        label, device_id = persistent_id.rsplit("/", 1)
        build = _DEVICE_BUILDERS.get(label)
        if build is not None:
            return Read(f"otp.device.{label}", build, {"device_id": int(device_id)})
    return None


class StaffOTPMiddleware(OTPMiddleware):  # type: ignore[misc]  # django-otp ships no type hints
    """django-otp's middleware, reading the session's user and device in one round trip.

    The device is still read on every request, by the stored id django-otp parses, and with
    django-otp's own checks afterwards (the device must exist, be confirmed and be this
    user's); only the statement is built once per process (ADR 0030, ADR 0033), and it goes
    to the database in one pipeline with the sign-in backend's read of the user and their
    membership (ADR 0035), both named by the session. Each read is then made exactly as
    before; a read-ahead that no call asks for (another backend, a user id Django parses
    differently) is dropped. A kind of device this product does not enrol is read as
    django-otp reads it.
    """

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        session = request.session
        user_id = session.get(SESSION_KEY)
        if session.get(BACKEND_SESSION_KEY) != STAFF_BACKEND or type(user_id) is not str or not user_id.isdigit():
            return super()._verify_user_sync(request, user)  # signed out, or not a staff sign-in
        persistent_id = session.get(DEVICE_ID_SESSION_KEY)
        device = _device_read(self._normalize_persistent_id(persistent_id)) if isinstance(persistent_id, str) else None
        organisation_id = session.get(SIGNED_IN_ORGANISATION)
        organisation = organisation_id if type(organisation_id) is int and organisation_id > 0 else None
        with signed_in_reads_together(int(user_id), device, organisation):
            return super()._verify_user_sync(request, user)

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        persistent_id = self._normalize_persistent_id(persistent_id)
        read = _device_read(persistent_id)
        if read is not None:
            return next(iter(read.queryset()), None)
        with suppress(ValueError, LookupError):
            found: Device | None = prepared(Device._filter_persistent_id(persistent_id), "otp.device").first()
            return found
        return None


class StaffSessionMiddleware:
    """Attach the acting membership, and end sessions that may no longer be used.

    A session ends when it is older than the absolute limit (12 hours), when it has
    been idle longer than the idle limit (30 minutes), when it was not completed with
    the second factor, or when the member was deactivated.

    The last-activity time is rewritten (and so the session row saved) only once it is
    more than ``SAFEMOVES_SESSION_ACTIVITY_GRANULARITY`` seconds old: requests in between
    write nothing. The recorded time therefore lags the last request by less than that
    granularity, so a session is signed out after at most 30 minutes of idleness, and
    never earlier than 30 minutes minus the granularity (ADR 0015).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        user = request.user
        if user.is_authenticated:
            now = timezone.now().timestamp()
            login_at = request.session.get(LOGIN_AT)
            last_seen_at = request.session.get(LAST_SEEN_AT, login_at)
            too_old = login_at is None or now - float(login_at) > settings.SAFEMOVES_SESSION_ABSOLUTE_SECONDS
            idle = last_seen_at is None or now - float(last_seen_at) > settings.SAFEMOVES_SESSION_IDLE_SECONDS
            if too_old or idle:
                logout(request)
                return self.get_response(request)
            membership = membership_for_user(user)
            verified = bool(getattr(user, "is_verified", lambda: False)())
            if membership is None or not verified:
                logout(request)
            else:
                request.membership = membership  # type: ignore[attr-defined]
                if now - float(last_seen_at) > settings.SAFEMOVES_SESSION_ACTIVITY_GRANULARITY:
                    request.session[LAST_SEEN_AT] = now
        return self.get_response(request)
