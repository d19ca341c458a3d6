from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safemoves.audit.selectors import organisation_events
from safemoves.common.decorators import allowed_if
from safemoves.common.http import StaffRequest
from safemoves.organisations import policies


@allowed_if(policies.can_read_audit_log)
@require_GET
def audit_log_view(request: StaffRequest) -> HttpResponse:
    action = request.GET.get("action", "").strip()[:64]
    page = Paginator(organisation_events(organisation=request.membership.organisation, action_prefix=action), 50)
    return render(
        request,
        "audit/log.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "action": action,
            "query": urlencode({"action": action}) if action else "",
        },
    )
