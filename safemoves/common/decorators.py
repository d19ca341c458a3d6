from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast

from django.http import Http404, HttpRequest, HttpResponse

from safemoves.common.http import StaffRequest

P = ParamSpec("P")
View = Callable[Concatenate[StaffRequest, P], HttpResponse]
PublicView = Callable[..., HttpResponse]


def no_referrer(view: PublicView) -> PublicView:
    """Send no Referer from this page: a token in its URL, or the page itself, stays private.

    Without it the browser sends the page's own URL (with any token in it) as the Referer of
    every asset and link it loads, even on the same site.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapper


def allowed_if(policy: Callable[[Any], bool]) -> Callable[[View[P]], View[P]]:
    """Serve the view only to members the policy admits; everyone else gets "not found".

    A 403 would confirm that the page or record exists, so refusals are 404s.
    """

    def decorate(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapper(request: StaffRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            membership = getattr(request, "membership", None)
            if membership is None or not policy(membership):
                raise Http404
            return view(request, *args, **kwargs)

        return cast("View[P]", wrapper)

    return decorate
