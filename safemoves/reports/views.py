from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safemoves.common.decorators import allowed_if
from safemoves.common.http import StaffRequest
from safemoves.reports import exports, policies, scheme, selectors, services
from safemoves.reports.charts import bar_chart
from safemoves.reports.core import COLUMNS as CORE_COLUMNS
from safemoves.reports.core import CoreCodeError, code_list, collection_year_of, core_rows
from safemoves.reports.forms import CoreExportForm, PeriodForm
from safemoves.reports.pdf import board_pack_pdf
from safemoves.reports.tables import Period, Table

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _period_form(request: StaffRequest, landlords: list[tuple[int, str]] | None = None) -> PeriodForm:
    return PeriodForm(request.GET, today=timezone.localdate(), landlords=landlords)


def _figures(tables: list[Table]) -> list[dict[str, Any]]:
    return [{"table": table, "chart": bar_chart(table)} for table in tables]


def _download(request: StaffRequest, table: Table, fmt: str, report: str) -> HttpResponse:
    services.report_exported(
        actor=request.user, organisation_id=request.membership.organisation_id, report=report, table=table.key, fmt=fmt
    )
    body = exports.table_csv(table) if fmt == "csv" else exports.table_xlsx(table)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{report}-{table.key}.{fmt}"'
    return response


# --- the landlord dashboard -----------------------------------------------------------------


def _landlord_tables(request: StaffRequest, period: Period) -> list[Table]:
    return selectors.landlord_dashboard(request.membership.organisation_id, period, timezone.now())


@allowed_if(policies.can_see_landlord_dashboard)
@require_GET
def landlord_view(request: StaffRequest) -> HttpResponse:
    form = _period_form(request)
    period = form.period_or_none()
    context: dict[str, Any] = {"form": form, "period": period, "query": request.GET.urlencode()}
    if period is None:
        return render(request, "reports/landlord.html", context, status=400)
    context["figures"] = _figures(_landlord_tables(request, period))
    context["core_form"] = CoreExportForm()
    return render(request, "reports/landlord.html", context)


@allowed_if(policies.can_see_landlord_dashboard)
@require_GET
def landlord_export_view(request: StaffRequest, table: str, fmt: str) -> HttpResponse:
    period = _period_form(request).period_or_none()
    if period is None or fmt not in FORMATS:
        raise Http404
    found = {each.key: each for each in _landlord_tables(request, period)}
    if table not in found:
        raise Http404
    return _download(request, found[table], fmt, "landlord")


# --- the scheme dashboard and board pack ----------------------------------------------------


def _scheme_context(request: StaffRequest) -> tuple[PeriodForm, int | None, Period | None, int | None]:
    """The form, the scheme, the period and the landlord whose line is shown (None: every line)."""
    membership = request.membership
    scheme_id = scheme.scheme_of(membership.organisation_id)
    if scheme_id is None:
        raise Http404
    every_line = policies.sees_every_landlord_line(membership)
    form = _period_form(request, scheme.member_names(scheme_id) if every_line else None)
    period = form.period_or_none()
    only = form.cleaned_data.get("landlord") if every_line and period else membership.organisation_id
    return form, scheme_id, period, only


@allowed_if(policies.can_see_scheme_dashboard)
@require_GET
def scheme_view(request: StaffRequest) -> HttpResponse:
    form, scheme_id, period, only = _scheme_context(request)
    context: dict[str, Any] = {"form": form, "period": period, "query": request.GET.urlencode()}
    if period is None or scheme_id is None:
        return render(request, "reports/scheme.html", context, status=400)
    context["figures"] = _figures(scheme.scheme_dashboard(scheme_id, period, only))
    return render(request, "reports/scheme.html", context)


@allowed_if(policies.can_see_scheme_dashboard)
@require_GET
def scheme_export_view(request: StaffRequest, table: str, fmt: str) -> HttpResponse:
    _form, scheme_id, period, only = _scheme_context(request)
    if period is None or scheme_id is None or fmt not in FORMATS:
        raise Http404
    found = {each.key: each for each in scheme.scheme_dashboard(scheme_id, period, only)}
    if table not in found:
        raise Http404
    return _download(request, found[table], fmt, "scheme")


@allowed_if(policies.can_see_scheme_dashboard)
@require_GET
def board_pack_view(request: StaffRequest) -> HttpResponse:
    _form, scheme_id, period, only = _scheme_context(request)
    if period is None or scheme_id is None:
        raise Http404
    services.report_exported(
        actor=request.user,
        organisation_id=request.membership.organisation_id,
        report="board_pack",
        table="all",
        fmt="pdf",
    )
    tables = scheme.scheme_dashboard(scheme_id, period, only)
    body = board_pack_pdf("SafeMoves scheme board pack", period.label(), tables)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="board-pack.pdf"'
    return response


# --- the CORE lettings export ---------------------------------------------------------------


@allowed_if(policies.can_export_core)
@require_GET
def core_export_view(request: StaffRequest, fmt: str) -> HttpResponse:
    data = request.GET.copy()
    data.setdefault("year", collection_year_of(timezone.localdate()))
    form = CoreExportForm(data)
    if fmt not in FORMATS:
        raise Http404
    if not form.is_valid():
        return render(request, "reports/core_refused.html", {"form": form, "error": ""}, status=400)
    year = form.cleaned_data["year"]
    codes = code_list(year)
    lettings = scheme.core_lettings(request.membership.organisation_id, codes.starts, codes.ends)
    try:
        rows = core_rows(year, lettings)
    except CoreCodeError as error:
        return render(request, "reports/core_refused.html", {"form": form, "error": str(error)}, status=400)
    services.report_exported(
        actor=request.user, organisation_id=request.membership.organisation_id, report="core", table=year, fmt=fmt
    )
    if fmt == "csv":
        body = exports.csv_bytes(CORE_COLUMNS, rows)
    else:
        body = exports.xlsx_bytes(f"CORE {year.replace('/', '-')}", CORE_COLUMNS, rows)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="core-lettings-{year.replace("/", "-")}.{fmt}"'
    return response
