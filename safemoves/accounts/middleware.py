from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from safemoves.accounts.services import LOGIN_AT
from safemoves.organisations.selectors import membership_for_user


class StaffSessionMiddleware:
    """Attach the acting membership, and end sessions that may no longer be used.

    A session ends when it is older than the absolute limit (12 hours), when it
    was not completed with the second factor, or when the member was
    deactivated. The idle limit is the session cookie's age, renewed on each request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        user = request.user
        if user.is_authenticated:
            login_at = request.session.get(LOGIN_AT)
            too_old = (
                login_at is None
                or timezone.now().timestamp() - float(login_at) > settings.SAFEMOVES_SESSION_ABSOLUTE_SECONDS
            )
            membership = membership_for_user(user)
            verified = bool(getattr(user, "is_verified", lambda: False)())
            if too_old or membership is None or not verified:
                logout(request)
            else:
                request.membership = membership  # type: ignore[attr-defined]
        return self.get_response(request)
