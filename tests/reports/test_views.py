"""The dashboards' pages, charts, downloads and the board pack."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from safemoves.common.scoping import organisation_scope
from safemoves.jobs.models import Job
from safemoves.organisations.models import Role
from safemoves.reports.charts import bar_chart
from safemoves.reports.exports import csv_bytes, xlsx_bytes
from safemoves.reports.tables import Cell, Table
from tests.factories import World, sign_in
from tests.jobrun import Capture, download, start_and_download, start_job
from tests.reports.factories import six_requests_one_moved

PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}


@pytest.fixture
def filled(world: World) -> World:
    return six_requests_one_moved(world)


def _svg_bars(html: str, key: str) -> dict[str, str]:
    svg = re.search(rf'<svg[^>]*data-table="{key}".*?</svg>', html, re.S)
    assert svg is not None, key
    return dict(re.findall(r'<rect[^>]*data-label="([^"]*)"[^>]*data-value="([^"]*)"', svg.group(0)))


def _table_cells(html: str, key: str, column: int) -> dict[str, str]:
    table = re.search(rf'<table class="table" data-table="{key}">.*?</table>', html, re.S)
    assert table is not None, key
    found = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table.group(0), re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)
        found[row[0]] = cells[column - 1]
    return found


def test_manager_sees_the_landlord_dashboard_and_its_charts_match_its_tables(filled: World) -> None:
    client = sign_in(Client(), filled.a[Role.MANAGER])
    response = client.get(reverse("reports:landlord"), PERIOD)
    assert response.status_code == 200
    html = response.text
    # Six open cases, none assessed; one officer holds all six.
    assert _svg_bars(html, "open_by_risk") == {"High": "0", "Medium": "0", "Standard": "0", "Not assessed": "6"}
    assert _table_cells(html, "open_by_risk", 1) == {"High": "0", "Medium": "0", "Standard": "0", "Not assessed": "6"}
    officer = filled.a[Role.OFFICER].full_name
    assert _svg_bars(html, "caseloads") == {officer: "6"} == _table_cells(html, "caseloads", 1)
    assert "Emergency accommodation offered and refused" in html
    assert _table_cells(html, "emergency", 1)["Offered"] == "0"


def test_scheme_dashboard_chart_matches_table_and_hides_small_counts(filled: World) -> None:
    client = sign_in(Client(), filled.a[Role.COORDINATOR])
    html = client.get(reverse("reports:scheme"), PERIOD).text
    cells = _table_cells(html, "funnel", 1)
    assert cells == {
        "Requests made": "6",
        "Approved": "6",
        "Circulated": "6",
        "Offered": "&lt;5",
        "Accepted": "&lt;5",
        "Moved": "&lt;5",
    }
    # Suppressed counts have no bar; every bar equals its table cell.
    assert _svg_bars(html, "funnel") == {"Requests made": "6", "Approved": "6", "Circulated": "6"}


def test_manager_sees_only_their_own_landlord_line(filled: World) -> None:
    a, b = filled.a.organisation, filled.b.organisation
    html = sign_in(Client(), filled.b[Role.MANAGER]).get(reverse("reports:scheme"), PERIOD).text
    assert b.name in _table_cells(html, "moves", 1)
    assert a.name not in html.split("<main", 1)[1]
    coordinator_html = sign_in(Client(), filled.a[Role.COORDINATOR]).get(reverse("reports:scheme"), PERIOD).text
    assert {a.name, b.name} <= set(_table_cells(coordinator_html, "moves", 1))


def test_a_landlord_never_sees_another_landlords_case_level_rows(
    filled: World, django_capture_on_commit_callbacks: Capture
) -> None:
    from safemoves.cases.models import Case
    from safemoves.common.scoping import scopes_disabled
    from safemoves.reciprocal.models import MoveRequest

    with scopes_disabled():
        secrets = [str(value) for value in Case.objects.values_list("reference", flat=True)]
        secrets += [str(value) for value in Case.objects.values_list("pk", flat=True)]
        secrets += [str(value) for value in MoveRequest.objects.values_list("reference", flat=True)]
    client = sign_in(Client(), filled.b[Role.MANAGER])
    pages = [client.get(reverse("reports:scheme"), PERIOD).text]
    for key in ("funnel", "moves", "two_clocks", "ledger", "refusals"):
        url = reverse("reports:scheme_export", kwargs={"table": key, "fmt": "csv"})
        pages.append(start_and_download(client, url, django_capture_on_commit_callbacks, query=PERIOD).text)
    for page in pages:
        for secret in secrets:
            assert secret not in page


def test_coordinator_filters_by_landlord(filled: World) -> None:
    b = filled.b.organisation
    client = sign_in(Client(), filled.a[Role.COORDINATOR])
    html = client.get(reverse("reports:scheme"), {**PERIOD, "landlord": str(b.pk)}).text
    assert set(_table_cells(html, "moves", 1)) == {"Scheme", b.name}


def test_bad_filters_are_refused_naming_the_field(filled: World) -> None:
    client = sign_in(Client(), filled.a[Role.MANAGER])
    response = client.get(reverse("reports:landlord"), {"start": "2026-06-30", "end": "2026-01-01"})
    assert response.status_code == 400
    assert "To: The end date must be on or after the start date." in response.text
    response = client.get(reverse("reports:landlord"), {"start": "not a date"})
    assert response.status_code == 400
    assert "From: Enter a valid date." in response.text
    coordinator = sign_in(Client(), filled.a[Role.COORDINATOR])
    response = coordinator.get(reverse("reports:scheme"), {"landlord": "999999"})
    assert response.status_code == 400
    assert "Landlord: Select a valid choice." in response.text
    manager = sign_in(Client(), filled.a[Role.MANAGER])
    assert manager.post(reverse("reports:scheme_export", kwargs={"table": "nope", "fmt": "csv"})).status_code == 404
    assert manager.post(reverse("reports:scheme_export", kwargs={"table": "funnel", "fmt": "pdf"})).status_code == 404
    # A download is made by a job, started by POST only; nothing was started by any of these.
    assert manager.get(reverse("reports:scheme_export", kwargs={"table": "funnel", "fmt": "csv"})).status_code == 405
    with organisation_scope(filled.a.organisation.pk):
        assert Job.objects.count() == 0


def test_csv_and_xlsx_downloads_hold_the_table(filled: World, django_capture_on_commit_callbacks: Capture) -> None:
    client = sign_in(Client(), filled.a[Role.COORDINATOR])
    url = reverse("reports:scheme_export", kwargs={"table": "funnel", "fmt": "csv"})
    response = start_and_download(client, url, django_capture_on_commit_callbacks, query=PERIOD)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    found = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert found[0] == ["Step", "Scheme"]
    assert found[1:] == [
        ["Requests made", "6"],
        ["Approved", "6"],
        ["Circulated", "6"],
        ["Offered", "<5"],
        ["Accepted", "<5"],
        ["Moved", "<5"],
    ]
    url = reverse("reports:scheme_export", kwargs={"table": "funnel", "fmt": "xlsx"})
    response = start_and_download(client, url, django_capture_on_commit_callbacks, query=PERIOD)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()][:3] == [
        ["Step", "Scheme"],
        ["Requests made", 6],
        ["Approved", 6],
    ]


def test_exports_escape_formulas() -> None:
    rows: list[list[Cell]] = [['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "plain", -3, None]]
    found = list(csv.reader(io.StringIO(csv_bytes(["=a", "b", "c", "d", "e", "f", "g"], rows).decode("utf-8-sig"))))
    assert found == [
        ["'=a", "b", "c", "d", "e", "f", "g"],
        ['\'=HYPERLINK("x")', "'+1", "'-2", "'@SUM(A1)", "plain", "-3", ""],
    ]
    sheet = load_workbook(io.BytesIO(xlsx_bytes("t", ["=a"], [["=1+1", -3]]))).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [["'=a", None], ["'=1+1", -3]]


def test_chart_draws_negative_bars_left_of_zero() -> None:
    table = Table("t", "Balances", ("Landlord", "Balance"), (("A", -2), ("B", 4), ("C", "<5")), 1)
    svg = str(bar_chart(table))
    assert re.findall(r'data-label="(\w)" data-value="(-?\d+)"', svg) == [("A", "-2"), ("B", "4")]
    assert "chart__bar--negative" in svg
    assert "style=" not in svg
    assert "<script" not in svg


def test_board_pack_is_a_pdf(filled: World, django_capture_on_commit_callbacks: Capture) -> None:
    client = sign_in(Client(), filled.a[Role.COORDINATOR])
    url = reverse("reports:board_pack")
    response = start_and_download(client, url, django_capture_on_commit_callbacks, query=PERIOD)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_downloads_are_audited(filled: World, django_capture_on_commit_callbacks: Capture) -> None:
    from safemoves.audit.models import AuditEvent
    from safemoves.common.scoping import scopes_disabled

    client = sign_in(Client(), filled.a[Role.MANAGER])
    url = reverse("reports:landlord_export", kwargs={"table": "caseloads", "fmt": "xlsx"})
    job_page = start_job(client, url, django_capture_on_commit_callbacks, query=PERIOD)
    with scopes_disabled():
        event = AuditEvent.objects.filter(action="reports.exported").latest("pk")
    assert (event.object_id, event.reason, event.actor_id) == ("landlord", "caseloads.xlsx", filled.a[Role.MANAGER].pk)
    download(client, job_page)
    download(client, job_page)
    with scopes_disabled():
        downloads = list(AuditEvent.objects.filter(action="job.downloaded").values_list("object_id", "reason"))
    job_id = job_page.split("/")[2]
    assert downloads == [(job_id, "report_table"), (job_id, "report_table")]
