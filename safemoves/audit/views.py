from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safemoves.audit import selectors
from safemoves.audit.forms import AuditFilterForm
from safemoves.common.decorators import allowed_if
from safemoves.common.http import StaffRequest
from safemoves.organisations import policies


@allowed_if(policies.can_read_audit_log)
@require_GET
def audit_log_view(request: StaffRequest) -> HttpResponse:
    organisation = request.membership.organisation
    form = AuditFilterForm(request.GET or None, staff=selectors.staff_of(organisation))
    filters = selectors.EventFilters()
    valid = not form.is_bound or form.is_valid()
    if form.is_bound and valid:
        data = form.cleaned_data
        case_id = ""
        if data["case"]:
            case_id = selectors.case_id_for_reference(organisation, data["case"]) or ""
            if not case_id:
                form.add_error("case", f"No case of {organisation.name} has the reference {data['case']}.")
                valid = False
        filters = selectors.EventFilters(
            action_prefix=data["action"],
            case_id=case_id,
            actor_id=data["person"].pk if data["person"] else None,
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    events = selectors.organisation_events(organisation=organisation, filters=filters) if valid else None
    page = Paginator(events, 50).get_page(request.GET.get("page")) if events is not None else None
    references = (
        selectors.case_references(organisation, [e.object_id for e in page if e.object_type == "case"]) if page else {}
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "rows": [(event, references.get(event.object_id)) for event in page] if page else [],
            "query": query.urlencode(),
        },
        status=200 if valid else 400,
    )
