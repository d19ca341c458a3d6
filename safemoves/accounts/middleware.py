from __future__ import annotations

import hashlib
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
from safemoves.accounts.sessions import session_read
from safemoves.common.bound import Read
from safemoves.common.prepared import prepared
from safemoves.organisations.selectors import membership_for_user, signed_in_reads_together

# (user id, django-otp's persistent id of the device or None, organisation id or None)
_SignIn = tuple[int, str | None, int | None]
# What each staff session named on its last request to this process, by a digest of its key (the
# key itself is a credential: it is not kept). Bounded; the oldest are forgotten first.
_KNOWN_SIGN_INS: dict[bytes, _SignIn] = {}
_MAX_KNOWN_SIGN_INS = 10_000


def _digest(session_key: str) -> bytes:
    return hashlib.blake2b(session_key.encode(), digest_size=16).digest()


def _known_sign_in(session_key: str) -> _SignIn | None:
    return _KNOWN_SIGN_INS.get(_digest(session_key))


def forget_sign_in(session_key: str) -> None:
    """Forget what a session named (it ends: signed out, or found no more)."""
    _KNOWN_SIGN_INS.pop(_digest(session_key), None)


def _remember_judged_sign_in(request: HttpRequest) -> None:
    """Keep what the session named, now that the sign-in it names has been accepted."""
    key, sign_in = getattr(request, "_safemoves_sign_in", (None, None))
    if key is None:
        return
    if sign_in is None or request.session.session_key != key:
        forget_sign_in(key)
        return
    digest = _digest(key)
    if digest not in _KNOWN_SIGN_INS and len(_KNOWN_SIGN_INS) >= _MAX_KNOWN_SIGN_INS:
        with suppress(KeyError, RuntimeError, StopIteration):  # another thread got there first
            del _KNOWN_SIGN_INS[next(iter(_KNOWN_SIGN_INS))]
    _KNOWN_SIGN_INS[digest] = sign_in


def _forget_judged_sign_in(request: HttpRequest) -> None:
    """Forget what a session named once it signs no one in."""
    key, _ = getattr(request, "_safemoves_sign_in", (None, None))
    if key is not None:
        forget_sign_in(key)


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

    The session row joins that round trip from a staff session's second request on this
    process: what the session named last time (user, device, organisation) is kept by a digest
    of its key, the reads it named are sent with the session's own, and they are used only if
    the session, once read, names the same again; otherwise the reads are made as above.
    """

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        session = request.session
        key = session.session_key
        if isinstance(key, str) and not session.accessed and (known := _known_sign_in(key)) is not None:
            # The session row in the same round trip as the reads it named last time; should it
            # name another user, device or organisation now, those rows are dropped unread.
            with self._sign_in_reads_together(known, first=[session_read(key)]):
                if self._sign_in(session) == known:
                    request._safemoves_sign_in = (key, known)  # type: ignore[attr-defined]
                    return super()._verify_user_sync(request, user)
        sign_in = self._sign_in(session)
        if isinstance(key, str):
            # Kept once the staff session middleware has judged the sign-in (below).
            request._safemoves_sign_in = (key, sign_in if session.session_key == key else None)  # type: ignore[attr-defined]
        if sign_in is None:
            return super()._verify_user_sync(request, user)  # signed out, or not a staff sign-in
        with self._sign_in_reads_together(sign_in):
            return super()._verify_user_sync(request, user)

    def _sign_in(self, session: Any) -> _SignIn | None:
        """The user id, second-factor device and organisation a staff session names (None for
        any other session); reading it loads the session."""
        user_id = session.get(SESSION_KEY)
        if session.get(BACKEND_SESSION_KEY) != STAFF_BACKEND or type(user_id) is not str or not user_id.isdigit():
            return None
        persistent_id = session.get(DEVICE_ID_SESSION_KEY)
        device = self._normalize_persistent_id(persistent_id) if isinstance(persistent_id, str) else None
        organisation_id = session.get(SIGNED_IN_ORGANISATION)
        organisation = organisation_id if type(organisation_id) is int and organisation_id > 0 else None
        return (int(user_id), device, organisation)

    @staticmethod
    def _sign_in_reads_together(sign_in: _SignIn, *, first: list[Read[Any]] | None = None) -> Any:
        user_id, persistent_id, organisation = sign_in
        device = _device_read(persistent_id) if persistent_id is not None else None
        return signed_in_reads_together(user_id, device, organisation, first=first or ())

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
        if not user.is_authenticated:
            _forget_judged_sign_in(request)
        else:
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
                _remember_judged_sign_in(request)
                request.membership = membership  # type: ignore[attr-defined]
                if now - float(last_seen_at) > settings.SAFEMOVES_SESSION_ACTIVITY_GRANULARITY:
                    request.session[LAST_SEEN_AT] = now
        return self.get_response(request)
