"""The heavy downloads as background jobs: each is started by its view, made in the background
with the very functions the synchronous downloads used (the bytes are the same), downloaded only
by the person who started it (everyone else: 404), audited on every download, and deleted after
its time is up."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from safemoves.audit.models import AuditEvent
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.jobs.models import Job, JobOutput, JobState
from safemoves.jobs.services import job_output_store, job_outputs_purge
from safemoves.organisations.models import Role
from safemoves.reports import exports, jobs, scheme, selectors
from safemoves.reports.core import COLUMNS as CORE_COLUMNS
from safemoves.reports.core import code_list, core_rows
from safemoves.reports.pdf import board_pack_pdf
from safemoves.reports.tables import Period
from tests.factories import World, sign_in
from tests.jobrun import Capture, download, job_of, start_job
from tests.reports.factories import six_requests_one_moved

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}
THE_PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))


@pytest.fixture
def filled(world: World) -> World:
    return six_requests_one_moved(world)


def _cells(xlsx: bytes) -> list[list[object]]:
    # An XLSX file carries the moment it was written; its cells are what must agree.
    return [[cell.value for cell in row] for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows()]


def _without_creation_date(pdf: bytes) -> bytes:
    # A PDF carries the moment it was written, and a file identifier hashed from it.
    return re.sub(rb"/ID \[<[0-9A-F]+><[0-9A-F]+>\]", b"", re.sub(rb"/CreationDate \(D:[^)]*\)", b"", pdf))


def _refused_to_everyone_else(world: World, job_page: str, starter: Role) -> None:
    """Other staff of the same landlord and staff of the other landlord get "not found"."""
    for label, landlord in (("A", world.a), ("B", world.b)):
        for role in Role:
            if label == "A" and role == starter:
                continue
            client = sign_in(Client(), landlord[role])
            assert client.get(job_page).status_code == 404, (label, role)
            assert client.get(f"{job_page}download/").status_code == 404, (label, role)


def _downloads_recorded(job_page: str) -> list[tuple[str, str, int | None]]:
    with scopes_disabled():
        return list(AuditEvent.objects.filter(action="job.downloaded").values_list("object_id", "reason", "actor_id"))


def test_the_table_keys_are_the_dashboards_own(filled: World) -> None:
    with organisation_scope(filled.a.organisation.pk):
        landlord = selectors.landlord_dashboard(filled.a.organisation.pk, THE_PERIOD, timezone.now())
    assert tuple(table.key for table in landlord) == jobs.LANDLORD_TABLES
    schemes = scheme.scheme_dashboard(filled.scheme.pk, THE_PERIOD)
    assert tuple(table.key for table in schemes) == jobs.SCHEME_TABLES


def test_a_scheme_table_as_csv_and_xlsx(filled: World, django_capture_on_commit_callbacks: Capture) -> None:
    coordinator = filled.a[Role.COORDINATOR]
    client = sign_in(Client(), coordinator)
    funnel = scheme.funnel(filled.scheme.pk, THE_PERIOD, None)
    for fmt, expected in (("csv", exports.table_csv(funnel)), ("xlsx", exports.table_xlsx(funnel))):
        url = reverse("reports:scheme_export", kwargs={"table": "funnel", "fmt": fmt})
        job_page = start_job(client, url, django_capture_on_commit_callbacks, query=PERIOD)
        job = job_of(job_page, filled.a.organisation.pk)
        assert (job.kind, job.state, job.progress, job.attempts, job.owner_id) == (
            "report_table",
            JobState.SUCCEEDED,
            100,
            1,
            coordinator.pk,
        )
        response = download(client, job_page)
        assert response["Content-Disposition"] == f'attachment; filename="scheme-funnel.{fmt}"'
        assert response["Content-Type"] == jobs.FORMATS[fmt]
        if fmt == "csv":
            assert response.content == expected
            assert "Offered,<5" in response.content.decode("utf-8-sig")  # suppression is kept
        else:
            assert _cells(response.content) == _cells(expected)
        _refused_to_everyone_else(filled, job_page, Role.COORDINATOR)
        assert _downloads_recorded(job_page)[-1] == (str(job.pk), "report_table", coordinator.pk)


def test_a_managers_scheme_table_keeps_to_their_own_landlords_line(
    filled: World, django_capture_on_commit_callbacks: Capture
) -> None:
    client = sign_in(Client(), filled.b[Role.MANAGER])
    url = reverse("reports:scheme_export", kwargs={"table": "moves", "fmt": "csv"})
    # A manager may not ask for another landlord's line: the form ignores it, and so does the job.
    job_page = start_job(
        client, url, django_capture_on_commit_callbacks, query={**PERIOD, "landlord": str(filled.a.organisation.pk)}
    )
    expected = scheme.moves_by_landlord(filled.scheme.pk, THE_PERIOD, filled.b.organisation.pk)
    assert download(client, job_page).content == exports.table_csv(expected)
    assert filled.a.organisation.name not in download(client, job_page).content.decode("utf-8-sig")


def test_a_landlord_table(filled: World, django_capture_on_commit_callbacks: Capture) -> None:
    manager = filled.a[Role.MANAGER]
    client = sign_in(Client(), manager)
    url = reverse("reports:landlord_export", kwargs={"table": "caseloads", "fmt": "csv"})
    job_page = start_job(client, url, django_capture_on_commit_callbacks, query=PERIOD)
    with organisation_scope(filled.a.organisation.pk):
        tables = selectors.landlord_dashboard(filled.a.organisation.pk, THE_PERIOD, timezone.now())
    expected = exports.table_csv(next(table for table in tables if table.key == "caseloads"))
    assert download(client, job_page).content == expected
    _refused_to_everyone_else(filled, job_page, Role.MANAGER)


def test_the_board_pack(filled: World, django_capture_on_commit_callbacks: Capture) -> None:
    coordinator = filled.a[Role.COORDINATOR]
    client = sign_in(Client(), coordinator)
    job_page = start_job(client, reverse("reports:board_pack"), django_capture_on_commit_callbacks, query=PERIOD)
    expected = board_pack_pdf(
        "SafeMoves scheme board pack", THE_PERIOD.label(), scheme.scheme_dashboard(filled.scheme.pk, THE_PERIOD)
    )
    response = download(client, job_page)
    assert response["Content-Disposition"] == 'attachment; filename="board-pack.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert _without_creation_date(response.content) == _without_creation_date(expected)
    _refused_to_everyone_else(filled, job_page, Role.COORDINATOR)
    job = job_of(job_page, filled.a.organisation.pk)
    assert _downloads_recorded(job_page) == [(str(job.pk), "board_pack", coordinator.pk)]


def test_the_core_export(world: World, django_capture_on_commit_callbacks: Capture) -> None:
    manager = world.b[Role.MANAGER]
    client = sign_in(Client(), manager)
    url = reverse("reports:core_export", kwargs={"fmt": "xlsx"})
    job_page = start_job(client, url, django_capture_on_commit_callbacks, data={"year": "2025/26"})
    codes = code_list("2025/26")
    rows = core_rows("2025/26", scheme.core_lettings(world.b.organisation.pk, codes.starts, codes.ends))
    expected = exports.xlsx_bytes("CORE 2025-26", CORE_COLUMNS, rows)
    response = download(client, job_page)
    assert response["Content-Disposition"] == 'attachment; filename="core-lettings-2025-26.xlsx"'
    assert _cells(response.content) == _cells(expected) == [list(CORE_COLUMNS)]
    for label, landlord in (("A", world.a), ("B", world.b)):
        for role in Role:
            if (label, role) != ("B", Role.MANAGER):
                other = sign_in(Client(), landlord[role])
                assert other.get(f"{job_page}download/").status_code == 404, (label, role)


def test_a_member_who_lost_the_role_gets_a_failed_job_not_the_file(
    filled: World, django_capture_on_commit_callbacks: Capture
) -> None:
    manager = filled.a[Role.MANAGER]
    client = sign_in(Client(), manager)
    url = reverse("reports:landlord_export", kwargs={"table": "caseloads", "fmt": "csv"})
    with organisation_scope(filled.a.organisation.pk), django_capture_on_commit_callbacks(execute=False) as pending:
        started = client.post(f"{url}?start=2026-01-01&end=2026-06-30")
        # Between the start and the run, the manager becomes an officer.
        type(manager.membership).objects.filter(pk=manager.membership.pk).update(role=Role.OFFICER)
    for callback in pending:
        callback()
    job = job_of(str(started["Location"]), filled.a.organisation.pk)
    assert (job.state, job.error) == (JobState.FAILED, jobs.NO_LONGER_ALLOWED)
    with organisation_scope(filled.a.organisation.pk):
        assert JobOutput.objects.count() == 0


def test_a_rerun_replaces_the_file_and_an_expired_file_is_gone(
    filled: World, django_capture_on_commit_callbacks: Capture
) -> None:
    client = sign_in(Client(), filled.a[Role.COORDINATOR])
    job_page = start_job(client, reverse("reports:board_pack"), django_capture_on_commit_callbacks, query=PERIOD)
    job = job_of(job_page, filled.a.organisation.pk)
    with organisation_scope(filled.a.organisation.pk):
        job_output_store(job=job, file_name="board-pack.pdf", content_type="application/pdf", content=b"%PDF-again")
        assert JobOutput.objects.filter(job=job).count() == 1
    assert download(client, job_page).content == b"%PDF-again"
    # A day later the file is no longer offered, and the clocks' tick deletes it.
    with organisation_scope(filled.a.organisation.pk):
        JobOutput.objects.filter(job=job).update(expires_at=timezone.now() - timedelta(seconds=1))
    page = client.get(job_page)
    assert "The result was deleted when its time was up." in page.text
    assert f"{job_page}download/" not in page.text
    assert client.get(f"{job_page}download/").status_code == 404
    assert job_outputs_purge() == 1
    assert job_outputs_purge() == 0
    with organisation_scope(filled.a.organisation.pk):
        assert JobOutput.objects.count() == 0
        assert Job.objects.get(pk=job.pk).state == JobState.SUCCEEDED  # the job stays in the list


def test_the_file_is_sealed_at_rest(filled: World, django_capture_on_commit_callbacks: Capture) -> None:
    client = sign_in(Client(), filled.a[Role.COORDINATOR])
    url = reverse("reports:scheme_export", kwargs={"table": "funnel", "fmt": "csv"})
    job = job_of(start_job(client, url, django_capture_on_commit_callbacks, query=PERIOD), filled.a.organisation.pk)
    with organisation_scope(filled.a.organisation.pk):
        (stored,) = JobOutput.objects.filter(job=job).values_list("data", flat=True)
    assert "Requests made" not in stored
    assert "UmVxdWVzdHMgbWFkZ" not in stored  # nor its base64
