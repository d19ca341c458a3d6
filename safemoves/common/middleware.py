from __future__ import annotations

from collections.abc import Callable

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from safemoves.common.requestid import new_request_id, set_request_id
from safemoves.common.scoping import organisation_scope

Handler = Callable[[HttpRequest], HttpResponse]


class RequestIdMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = new_request_id(request.headers.get("X-Request-ID"))
        set_request_id(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


def _forget_request_id(**kwargs: object) -> None:
    # Once the response is sent (Django's own error log for it included), a line logged
    # before the next request must not carry this request's id.
    set_request_id("")


request_finished.connect(_forget_request_id, dispatch_uid="safemoves.forget_request_id")


class NullCharacterMiddleware:
    """Refuse a query string holding a NUL character, naming the fault.

    No field of the product may hold one (forms refuse them), and PostgreSQL cannot compare a
    text column with one: unchecked, a stray ``%00`` in a filter became a server error.
    """

    MESSAGE = "The address holds a null character (%00) in its query, which is not allowed. Remove it and try again."

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return HttpResponseBadRequest(self.MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class OrganisationScopeMiddleware:
    """Run the view inside the acting member's organisation scope.

    Without a membership (anonymous visitors, public intake pages) no scope is
    active, so any domain query that is not explicitly scoped raises.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = getattr(request, "membership", None)
        if membership is None:
            return self.get_response(request)
        with organisation_scope(membership.organisation_id):
            return self.get_response(request)


class NoStoreMiddleware:
    """Nothing SafeMoves serves may be kept by a browser or proxy cache.

    Static assets are answered by WhiteNoise before this runs, so they stay cacheable.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store, max-age=0"
        response["Pragma"] = "no-cache"
        return response


class FormNewlinesMiddleware:
    """Give views the text of a submitted form with "\\n" line breaks, as it was stored.

    Browsers send every line break in a textarea as CRLF (the HTML form-submission rules), so
    an address stored as "1 Mill Lane\\nRochester" came back as "1 Mill Lane\\r\\nRochester":
    an unchanged save looked like a change to every multi-line field, bumped versions and wrote
    audit events. Normalising here covers every form of every app in one place.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            posted = request.POST
            if any("\r" in value for values in posted.lists() for value in values[1]):
                normalised = posted.copy()
                for key, values in posted.lists():
                    normalised.setlist(key, [value.replace("\r\n", "\n").replace("\r", "\n") for value in values])
                normalised._mutable = False
                request.POST = normalised  # type: ignore[assignment]
        return self.get_response(request)
