from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safemoves.cases import policies, selectors, services
from safemoves.cases.contact import ContactRefused, plan_contact
from safemoves.cases.export import case_export, printable_sections
from safemoves.cases.extensions import CasePanel, frame_reads, panels
from safemoves.cases.forms import (
    AssignForm,
    CaseEditForm,
    CaseFilterForm,
    CloseForm,
    ConsentForm,
    ContactForm,
    ContactRulesForm,
    CourtOrderForm,
    FindCasesForm,
    HouseholdMemberForm,
    LetterForm,
    NoteForm,
    OpenCaseForm,
    PerpetratorForm,
    RestrictForm,
    ShownField,
    blank_case_filter_form,
)
from safemoves.cases.models import Case, HouseholdMember, Perpetrator, SafeContactRules
from safemoves.cases.summary import marac_summary, marac_summary_pdf
from safemoves.common.bound import Read, read_together
from safemoves.common.decorators import allowed_if
from safemoves.common.forms import submit as submit_form  # `submit` names a page's button here
from safemoves.common.http import StaffRequest
from safemoves.common.prepared import prepared
from safemoves.organisations.models import Membership, Role

PAGE_SIZE = selectors.LIST_PAGE
CasePolicy = Callable[[Membership, Case], bool]


def _case(request: StaffRequest, case_id: UUID, policy: CasePolicy = policies.can_view_case) -> Case:
    """The case if this member may see it and the policy admits the action; otherwise 404."""
    return selectors.get_case(request.membership, case_id, policy=policy)


def _form_page(
    request: StaffRequest, case: Case, form: Form, *, title: str, submit: str, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {"case": case, "form": form, "title": title, "submit": submit, **extra}
    return render(request, "cases/form.html", context, status=status)


@allowed_if(policies.can_see_my_cases)
@require_GET
def case_list_view(request: StaffRequest) -> HttpResponse:
    filters = selectors.CaseFilters()
    form: CaseFilterForm | Mapping[str, ShownField] = blank_case_filter_form()
    if request.GET:
        form = CaseFilterForm(request.GET)
        if form.is_valid():
            filters = selectors.CaseFilters(
                query=form.cleaned_data["q"],
                status=form.cleaned_data["status"],
                overdue_only=form.cleaned_data["overdue"],
            )
    mine = request.membership.role == Role.OFFICER and request.GET.get("all") != "1"
    officer_id = request.user.pk if mine else None
    if request.membership.role == Role.MANAGER and request.GET.get("officer", "").isdigit():
        # The caseloads' drill-down: one officer's cases, for the manager.
        officer_id = int(request.GET["officer"])
    if officer_id is not None:
        filters = selectors.CaseFilters(
            query=filters.query, status=filters.status, officer_id=officer_id, overdue_only=filters.overdue_only
        )
    membership = request.membership
    # The list as it opens (nothing typed in, its first page): bound reads sent with its count
    # and the header's in one round trip (ADR 0035); any other list through case_list().
    unfiltered = filters == selectors.CaseFilters(officer_id=membership.user_id if mine else None)
    first = selectors.first_list_page(membership, mine=mine) if unfiltered and _first_asked(request) else None
    with read_together(_list_reads(membership, first)):
        page = _list_page(
            request,
            first,
            lambda: prepared(selectors.for_case_table(selectors.case_list(membership, filters)), "cases.list"),
        )
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "cases/list.html",
            {
                "form": form,
                "page": page,
                "mine": mine,
                "query": query.urlencode(),
                "now": timezone.now(),
                "can_open": policies.can_open_case(membership),
            },
        )


def _first_asked(request: StaffRequest) -> bool:
    return request.GET.get("page", "1") in ("", "1")


def _list_reads(membership: Membership, first: selectors.ListPage | None) -> list[Read[Any]]:
    return [first.rows, first.count, *frame_reads(membership)] if first is not None else []


def _list_page(
    request: StaffRequest, first: selectors.ListPage | None, cases: Callable[[], QuerySet[Case]]
) -> Page[Case]:
    """The page asked for: the first page from its bound reads, any other through ``cases()``."""
    if first is None:
        return Paginator(cases(), PAGE_SIZE).get_page(request.GET.get("page"))
    counted = list(first.count.queryset())
    paginator = Paginator(list(first.rows.queryset()), PAGE_SIZE)
    paginator.__dict__["count"] = int(counted[0]) if counted else 0  # Django's cached_property
    return paginator.page(1)


@allowed_if(policies.can_find_cases)
@require_http_methods(["GET", "POST"])
def find_cases_view(request: StaffRequest) -> HttpResponse:
    """Search by postcode, address, phone or perpetrator. POST, so the searched text stays out
    of addresses, browser history and server logs."""
    form = FindCasesForm(request.POST if request.method == "POST" else None, initial={"field": "postcode"})
    found: list[Case] | None = None
    if request.method == "POST" and form.is_valid():
        found = selectors.find_cases(
            request.membership, field=form.cleaned_data["field"], query=form.cleaned_data["query"]
        )
    return render(
        request,
        "cases/find.html",
        {"form": form, "found": found, "limit": selectors.FIND_LIMIT, "now": timezone.now()},
    )


@allowed_if(policies.can_see_my_cases)
@require_GET
def triage_view(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    first = selectors.first_triage_page(membership) if _first_asked(request) else None
    with read_together(_list_reads(membership, first)):
        page = _list_page(
            request,
            first,
            lambda: prepared(selectors.for_case_table(selectors.triage_inbox(membership)), "cases.triage"),
        )
        return render(request, "cases/triage.html", {"page": page, "now": timezone.now(), "query": ""})


@allowed_if(policies.can_see_caseloads)
@require_GET
def caseloads_view(request: StaffRequest) -> HttpResponse:
    limit = services.case_settings_for(request.membership.organisation_id).caseload_flag
    loads = selectors.caseloads(request.membership, limit=limit)
    return render(request, "cases/caseloads.html", {"loads": loads, "limit": limit})


@allowed_if(policies.can_open_case)
@require_http_methods(["GET", "POST"])
def open_case_view(request: StaffRequest) -> HttpResponse:
    form = OpenCaseForm(request.POST or None)
    if request.method == "POST" and (
        opened := submit_form(
            form,
            lambda data: services.case_open(
                membership=request.membership,
                data=services.NewCase(
                    **{key: data[key] for key in data if key in services.NewCase.__dataclass_fields__}
                ),
            ),
        )
    ):
        case = opened.result
        messages.success(request, f"Case {case.reference} opened. First contact is due by the time shown.")
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/open.html", {"form": form})


@require_GET
def case_detail_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    page_panels = panels()
    # The safe-contact rules and the panels' one-to-one records come with the case (ADR 0030).
    case = selectors.get_case(request.membership, case_id, page=True)
    membership = request.membership
    page = selectors.case_page(case, with_access_log=policies.can_see_access_log(membership, case))
    # Every section's statement in one round trip (ADR 0035), then each section as before.
    panel_reads = [read for panel in page_panels if panel.reads is not None for read in panel.reads(case)]
    with read_together([*page.reads(), *panel_reads, *frame_reads(membership)]):
        return _case_page(request, case, page, page_panels)


def _case_page(
    request: StaffRequest, case: Case, page: selectors.CasePage, page_panels: tuple[CasePanel, ...]
) -> HttpResponse:
    membership = request.membership
    try:
        rules: SafeContactRules | None = case.contact_rules
    except SafeContactRules.DoesNotExist:
        rules = None
    # Kept on the case: the same-perpetrator panel reads the names from it.
    perpetrators = selectors.page_perpetrators(case)
    today = timezone.localdate()
    household = [(member, member.age_on(today)) for member in page.household.queryset(known={"case": case})]
    extra_panels = [(panel.template, panel.context(request, case)) for panel in page_panels]
    # Issue 14: an action that cannot be taken is not offered as a link; the page says why.
    # (Hook for the letters feature: it may replace the letter check with its own.)
    letter_refused = ""
    try:
        plan_contact(case, "letter")
    except ContactRefused as exc:
        letter_refused = exc.reason
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "rules": rules,
            "household": household,
            "perpetrators": perpetrators,
            "consents": list(page.consents.queryset(known={"case": case})),
            "notes": list(page.notes.queryset(known={"case": case})),
            "history": list(page.history.queryset()),
            "access": list(page.access.queryset()) if page.access is not None else None,
            "can_work": policies.can_work_case(membership, case),
            "can_assign": policies.can_assign_case(membership, case),
            "can_close": policies.can_close_case(membership, case),
            "can_export": policies.can_export_case(membership, case),
            "can_print_summary": policies.can_print_marac_summary(membership, case),
            "panels": extra_panels,
            "letter_refused": letter_refused,
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
def case_edit_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, policies.can_work_case)
    initial = {name: getattr(case, name) for name in services.CASE_FIELDS} | {"version": case.version}
    form = CaseEditForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            saved = submit_form(
                form,
                lambda data: services.case_update(
                    case=case,
                    actor=request.user,
                    expected_version=data["version"],
                    changes={name: data[name] for name in services.CASE_FIELDS} | {"tenure": data["tenure"] or ""},
                ),
            )
        except services.EditConflict as exc:
            form.add_error(None, str(exc))
            return _form_page(request, case, form, title="Case details", submit="Save", conflict=True, status=409)
        if saved:
            messages.success(request, "Saved." if saved.result else "Nothing had changed.")
            return redirect("cases:detail", case_id=case.pk)
    return _form_page(request, case, form, title="Case details", submit="Save")


@require_http_methods(["GET", "POST"])
def contact_rules_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, policies.can_work_case)
    try:
        rules: SafeContactRules | None = case.contact_rules
    except SafeContactRules.DoesNotExist:
        rules = None
    names = services.CONTACT_RULE_FIELDS
    initial = {name: getattr(rules, name) for name in names} if rules else {}
    initial["version"] = rules.version if rules else 0
    form = ContactRulesForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            saved = submit_form(
                form,
                lambda data: services.contact_rules_update(
                    case=case,
                    actor=request.user,
                    expected_version=data["version"],
                    changes={name: data[name] for name in names},
                ),
            )
        except services.EditConflict as exc:
            form.add_error(None, str(exc))
            return _form_page(request, case, form, title="Safe-contact rules", submit="Save", conflict=True, status=409)
        if saved:
            messages.success(request, "Safe-contact rules saved.")
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/contact_rules.html", {"case": case, "form": form})


def _simple_form_view(
    request: StaffRequest,
    case: Case,
    form: Form,
    *,
    title: str,
    submit: str,
    action: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    if request.method == "POST" and submit_form(form, action):
        messages.success(request, done)
        return redirect("cases:detail", case_id=case.pk)
    return _form_page(request, case, form, title=title, submit=submit)


@require_http_methods(["GET", "POST"])
def household_add_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, policies.can_work_case)
    return _simple_form_view(
        request,
        case,
        HouseholdMemberForm(request.POST or None),
        title="Add someone to the household",
        submit="Add",
        action=lambda data: services.household_member_add(case=case, actor=request.user, **data),
        done="Added to the household.",
    )


@require_http_methods(["GET", "POST"])
def household_remove_view(request: StaffRequest, case_id: UUID, member_id: UUID) -> HttpResponse:
    case = _case(request, case_id, policies.can_work_case)
    member = get_object_or_404(HouseholdMember, pk=member_id, case=case)
    if request.method == "GET":
        # "Remove" asks to confirm, on a page of its own (works without JavaScript).
        return render(
            request,
            "cases/confirm_remove.html",
            {
                "case": case,
                "what": f"{member.name} from the household",
                "cancel": reverse("cases:detail", args=[case.pk]),
            },
        )
    services.household_member_remove(case=case, actor=request.user, member=member)
    messages.success(request, "Removed from the household.")
    return redirect("cases:detail", case_id=case.pk)


@require_http_methods(["GET", "POST"])
def perpetrator_add_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, policies.can_work_case)
    return _simple_form_view(
        request,
        case,
        PerpetratorForm(request.POST or None),
        title="Add a perpetrator",
        submit="Add",
        action=lambda data: services.perpetrator_add(case=case, actor=request.user, **data),
        done="Perpetrator recorded.",
    )


@require_http_methods(["GET", "POST"])
def perpetrator_edit_view(request: StaffRequest, case_id: UUID, perpetrator_id: UUID) -> HttpResponse:
    case = _case(request, case_id, policies.can_work_case)
    perpetrator = get_object_or_404(Perpetrator, pk=perpetrator_id, case=case)
    initial = {name: getattr(perpetrator, name) for name in services.PERPETRATOR_FIELDS}
    return _simple_form_view(
        request,
        case,
        PerpetratorForm(request.POST or None, initial=initial),
        title="Change what is known of the perpetrator",
        submit="Save",
        action=lambda data: services.perpetrator_update(
            case=case, actor=request.user, perpetrator=perpetrator, changes=data
        ),
        done="Perpetrator details saved.",
    )


@require_http_methods(["GET", "POST"])
def court_order_add_view(request: StaffRequest, case_id: UUID, perpetrator_id: UUID) -> HttpResponse:
    case = _case(request, case_id, policies.can_work_case)
    perpetrator = get_object_or_404(Perpetrator, pk=perpetrator_id, case=case)
    return _simple_form_view(
        request,
        case,
        CourtOrderForm(request.POST or None),
        title="Add a court order",
        submit="Add",
        action=lambda data: services.court_order_add(case=case, actor=request.user, perpetrator=perpetrator, **data),
        done="Court order recorded.",
    )


@require_http_methods(["GET", "POST"])
def consent_add_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, policies.can_work_case)
    return _simple_form_view(
        request,
        case,
        ConsentForm(request.POST or None),
        title="Record a consent decision",
        submit="Record",
        action=lambda data: services.consent_record(case=case, actor=request.user, **data),
        done="Consent decision recorded.",
    )


@require_http_methods(["GET", "POST"])
def note_add_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, policies.can_work_case)
    return _simple_form_view(
        request,
        case,
        NoteForm(request.POST or None),
        title="Add a note",
        submit="Add note",
        action=lambda data: services.note_add(case=case, actor=request.user, **data),
        done="Note added.",
    )


@require_http_methods(["GET", "POST"])
def contact_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, policies.can_work_case)
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        try:
            recorded = submit_form(form, lambda data: services.contact_record(case=case, actor=request.user, **data))
        except ContactRefused as exc:
            form.add_error("channel", exc.reason)
        else:
            if recorded:
                messages.success(request, "Contact recorded.")
                return redirect("cases:detail", case_id=case.pk)
    return _form_page(request, case, form, title="Record contact with the tenant", submit="Record contact")


@require_http_methods(["GET", "POST"])
def letter_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    """A printable letter, addressed only to her safe postal address."""
    case = _case(request, case_id, policies.can_work_case)
    try:
        plan = plan_contact(case, "letter")
    except ContactRefused as exc:
        return render(request, "cases/refused.html", {"case": case, "reason": exc.reason}, status=409)
    form = LetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contact_record(
            case=case, actor=request.user, channel="letter", summary=f"Letter prepared:\n{form.cleaned_data['body']}"
        )
        return render(
            request,
            "cases/letter.html",
            {"case": case, "address_lines": plan.destination.splitlines(), "body": form.cleaned_data["body"]},
        )
    return _form_page(request, case, form, title="Write a letter", submit="Prepare letter", plan=plan)


@require_http_methods(["GET", "POST"])
def assign_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, policies.can_assign_case)
    form = AssignForm(
        request.POST or None,
        officers=selectors.assignable_officers(request.membership),
        initial={"officer": case.assigned_officer_id},
    )
    return _simple_form_view(
        request,
        case,
        form,
        title="Assign the case",
        submit="Assign",
        action=lambda data: services.case_assign(case=case, actor=request.user, officer=data["officer"]),
        done="Case assigned.",
    )


@require_http_methods(["GET", "POST"])
def restrict_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, policies.can_assign_case)
    form = RestrictForm(
        request.POST or None,
        staff=selectors.case_readers(request.membership.organisation_id),
        initial={"restricted": case.restricted, "named_staff": list(case.named_staff.all())},
    )
    return _simple_form_view(
        request,
        case,
        form,
        title="Restrict access",
        submit="Save",
        action=lambda data: services.case_restrict(case=case, actor=request.user, **data),
        done="Access restriction saved.",
    )


@require_http_methods(["GET", "POST"])
def close_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, policies.can_close_case)
    return _simple_form_view(
        request,
        case,
        CloseForm(request.POST or None),
        title="Close the case",
        submit="Close case",
        action=lambda data: services.case_close(case=case, actor=request.user, **data),
        done="Case closed.",
    )


@require_GET
def access_log_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, policies.can_see_access_log)
    page = Paginator(selectors.access_log(case), 50).get_page(request.GET.get("page"))
    return render(request, "cases/access_log.html", {"case": case, "page": page, "query": ""})


@require_GET
def export_json_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, policies.can_export_case)
    data = case_export(case=case, actor=request.user)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-subject-access.json"'
    return response


@require_GET
def export_html_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = _case(request, case_id, policies.can_export_case)
    data = case_export(case=case, actor=request.user)
    return render(request, "cases/export.html", {"case": case, "data": data, "sections": printable_sections(data)})


@require_GET
def marac_summary_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    """A printable summary for a MARAC meeting; opening it is written to the access log."""
    case = selectors.get_case(
        request.membership, case_id, purpose="summary_printed", policy=policies.can_print_marac_summary
    )
    return render(request, "cases/marac_summary.html", {"case": case, "sections": marac_summary(case)})


@require_GET
def marac_summary_pdf_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = selectors.get_case(
        request.membership, case_id, purpose="summary_printed", policy=policies.can_print_marac_summary
    )
    response = HttpResponse(marac_summary_pdf(case, marac_summary(case)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-marac-summary.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
