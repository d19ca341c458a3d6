from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safemoves.common.decorators import allowed_if
from safemoves.common.forms import submit
from safemoves.common.http import StaffRequest
from safemoves.geo import AREA_NAMES, PostcodeError, lookup_postcode
from safemoves.properties import importing, policies, selectors, services
from safemoves.properties.forms import HomeFilterForm, HomeForm, ImportForm
from safemoves.properties.jobs import homes_import_job_start
from safemoves.properties.models import Home

PAGE_SIZE = 25


def _parsed(form: HomeForm) -> importing.HomeInput:
    """The home a valid form describes: its clean() parsed it, or put each problem on its field."""
    if form.home_input is None:
        raise ValidationError("Check the home's details.")
    return form.home_input


def _version(request: StaffRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


@allowed_if(policies.can_manage_homes)
@require_GET
def home_list_view(request: StaffRequest) -> HttpResponse:
    form = HomeFilterForm(request.GET or None)
    filters = selectors.HomeFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.HomeFilters(
            status=data["status"],
            area_code=data["area"],
            min_bedrooms=data["bedrooms"],
            step_free=data["step_free"],
            pets=data["pets"],
        )
    page = Paginator(selectors.home_list(request.membership, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {key: value for key, value in request.GET.items() if key != "page" and value}
    return render(
        request,
        "properties/list.html",
        {"form": form, "page": page, "query": urlencode(kept), "area_names": AREA_NAMES},
    )


@allowed_if(policies.can_manage_homes)
@require_http_methods(["GET", "POST"])
def home_create_view(request: StaffRequest) -> HttpResponse:
    form = HomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (
        created := submit(form, lambda data: services.home_create(membership=request.membership, data=_parsed(form)))
    ):
        messages.success(request, "The home is listed.")
        return redirect("properties:detail", home_id=created.result.pk)
    return render(request, "properties/form.html", {"form": form, "home": None})


@allowed_if(policies.can_manage_homes)
@require_GET
def home_detail_view(request: StaffRequest, home_id: uuid.UUID) -> HttpResponse:
    home = selectors.get_home(request.membership, home_id)
    return render(
        request,
        "properties/detail.html",
        {
            "home": home,
            "area_name": AREA_NAMES.get(home.area_code, home.area_code),
            "can_change": policies.can_change_home(request.membership, home),
        },
    )


def _initial(home: Home) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(home, name) for name in services.HOME_FIELDS}
    initial["available_from"] = home.available_from.isoformat()
    # Coordinates that are just the postcode's centre are left empty, so a corrected postcode
    # moves the home with it instead of clashing with the old point.
    try:
        place = lookup_postcode(home.postcode)
    except PostcodeError:
        return initial
    if (round(place.lat, importing.COORDINATE_DECIMALS), round(place.lon, importing.COORDINATE_DECIMALS)) == (
        home.latitude,
        home.longitude,
    ):
        initial["latitude"] = initial["longitude"] = ""
    return initial


@allowed_if(policies.can_manage_homes)
@require_http_methods(["GET", "POST"])
def home_edit_view(request: StaffRequest, home_id: uuid.UUID) -> HttpResponse:
    home = selectors.get_home(request.membership, home_id, purpose="opened_for_edit")
    if not policies.can_change_home(request.membership, home):
        messages.error(
            request, f"Only an available home can be changed; this one is {home.get_status_display().lower()}."
        )
        return redirect("properties:detail", home_id=home.pk)
    form = HomeForm(request.POST if request.method == "POST" else None, initial=_initial(home))
    version = _version(request) if request.method == "POST" else home.version
    if request.method == "POST":
        try:
            saved = submit(
                form,
                lambda data: services.home_update(
                    membership=request.membership, home=home, expected_version=version, data=_parsed(form)
                ),
            )
        except services.EditConflict as conflict:
            form.add_error(None, str(conflict))
            context = {"form": form, "home": home, "version": home.version}
            return render(request, "properties/form.html", context, status=409)
        if saved:
            messages.success(request, "The home is updated." if saved.result else "Nothing had changed.")
            return redirect("properties:detail", home_id=home.pk)
    return render(request, "properties/form.html", {"form": form, "home": home, "version": version})


@allowed_if(policies.can_manage_homes)
@require_POST
def home_withdraw_view(request: StaffRequest, home_id: uuid.UUID) -> HttpResponse:
    home = selectors.get_home(request.membership, home_id, purpose="opened_for_withdrawal")
    try:
        services.home_withdraw(membership=request.membership, home=home, expected_version=_version(request))
    except services.EditConflict as conflict:
        messages.error(request, str(conflict))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The home is withdrawn: it is no longer offered to the scheme.")
    return redirect("properties:detail", home_id=home.pk)


@allowed_if(policies.can_manage_homes)
@require_http_methods(["GET", "POST"])
def homes_import_view(request: StaffRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["rows_file"]
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            # With workers (ADR 0025) a large file is imported in the background; without a
            # broker (the demo) the import runs here and its report shows at once, as before.
            job = homes_import_job_start(
                membership=request.membership,
                content=upload.read(),
                file_name=upload.name or "",
                mode=form.cleaned_data["mode"],
            )
            messages.success(request, "The import has started. This page shows its progress.")
            return redirect("jobs:detail", job_id=job.pk)
        report = services.homes_import(
            membership=request.membership,
            rows_file=upload,
            file_name=upload.name or "",
            mode=form.cleaned_data["mode"],
        )
        form = ImportForm(initial={"mode": form.cleaned_data["mode"]})
    return render(
        request,
        "properties/import.html",
        {
            "form": form,
            "report": report,
            "columns": importing.COLUMNS,
            "recent": selectors.recent_imports(request.membership),
        },
    )


@allowed_if(policies.can_manage_homes)
@require_GET
def import_template_view(request: StaffRequest) -> HttpResponse:
    response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="void-homes-template.csv"'
    return response
