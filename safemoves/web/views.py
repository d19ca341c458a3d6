from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safemoves.cases.extensions import frame_reads
from safemoves.common.bound import read_together
from safemoves.common.http import StaffRequest
from safemoves.web.navigation import nav_for
from safemoves.web.work import work_for, work_reads


@require_GET
def home_view(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    tasks = [item for item in nav_for(membership, "") if item["url"] != "/"]
    # The panels' bound reads and the header's in one round trip (ADR 0035).
    with read_together([*work_reads(membership), *frame_reads(membership)]):
        return render(request, "web/home.html", {"tasks": tasks, "work": work_for(membership)})


@login_not_required
@require_GET
def health_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
