from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Concatenate, ParamSpec, cast

from django.http import Http404, HttpResponse

from safemoves.common.http import StaffRequest

P = ParamSpec("P")
View = Callable[Concatenate[StaffRequest, P], HttpResponse]


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
