from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from safemoves.common.decorators import allowed_if
from safemoves.common.http import StaffRequest
from safemoves.jobs.models import Job
from safemoves.reports import jobs as report_jobs
from safemoves.reports import policies, scheme, selectors
from safemoves.reports.charts import bar_chart
from safemoves.reports.core import collection_year_of
from safemoves.reports.forms import CoreExportForm, PeriodForm
from safemoves.reports.tables import Period, Table


def _period_form(request: StaffRequest, landlords: list[tuple[int, str]] | None = None) -> PeriodForm:
    return PeriodForm(request.GET, today=timezone.localdate(), landlords=landlords)


def _to_job(job: Job) -> HttpResponse:
    """A download is made in the background (ADR 0025): its job's page shows progress, then the file."""
    return redirect("jobs:detail", job_id=job.pk)


def _figures(tables: list[Table]) -> list[dict[str, Any]]:
    return [{"table": table, "chart": bar_chart(table)} for table in tables]


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
    context["job_output_hours"] = settings.SAFEMOVES_JOB_OUTPUT_HOURS
    context["core_form"] = CoreExportForm()
    return render(request, "reports/landlord.html", context)


@allowed_if(policies.can_see_landlord_dashboard)
@require_POST
def landlord_export_view(request: StaffRequest, table: str, fmt: str) -> HttpResponse:
    period = _period_form(request).period_or_none()
    if period is None or fmt not in report_jobs.FORMATS or table not in report_jobs.LANDLORD_TABLES:
        raise Http404
    job = report_jobs.table_export_start(
        membership=request.membership, report="landlord", table=table, fmt=fmt, period=period, landlord=None
    )
    return _to_job(job)


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
    context["job_output_hours"] = settings.SAFEMOVES_JOB_OUTPUT_HOURS
    return render(request, "reports/scheme.html", context)


@allowed_if(policies.can_see_scheme_dashboard)
@require_POST
def scheme_export_view(request: StaffRequest, table: str, fmt: str) -> HttpResponse:
    _form, scheme_id, period, only = _scheme_context(request)
    if period is None or scheme_id is None or fmt not in report_jobs.FORMATS or table not in report_jobs.SCHEME_TABLES:
        raise Http404
    job = report_jobs.table_export_start(
        membership=request.membership, report="scheme", table=table, fmt=fmt, period=period, landlord=only
    )
    return _to_job(job)


@allowed_if(policies.can_see_scheme_dashboard)
@require_POST
def board_pack_view(request: StaffRequest) -> HttpResponse:
    _form, scheme_id, period, only = _scheme_context(request)
    if period is None or scheme_id is None:
        raise Http404
    return _to_job(report_jobs.board_pack_start(membership=request.membership, period=period, landlord=only))


# --- the CORE lettings export ---------------------------------------------------------------


@allowed_if(policies.can_export_core)
@require_POST
def core_export_view(request: StaffRequest, fmt: str) -> HttpResponse:
    data = request.POST.copy()
    data.setdefault("year", collection_year_of(timezone.localdate()))
    form = CoreExportForm(data)
    if fmt not in report_jobs.FORMATS:
        raise Http404
    if not form.is_valid():
        return render(request, "reports/core_refused.html", {"form": form, "error": ""}, status=400)
    return _to_job(
        report_jobs.core_export_start(membership=request.membership, year=form.cleaned_data["year"], fmt=fmt)
    )
