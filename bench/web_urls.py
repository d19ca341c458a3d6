"""The application's URLs plus the minimal one-query page the web benchmark compares against.

Only ``bench.web_settings`` points here; the production URLconf never includes this page.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from safemoves.organisations.models import Scheme


@login_not_required
def minimal_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{Scheme.objects.count()} schemes", content_type="text/plain")


urlpatterns = [
    path("bench/minimal/", minimal_view),
    path("", include("safemoves.urls")),
]
