"""The CORE lettings export: versioned code lists, checked codes, refusal naming the field."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from safemoves.cases.codes import CoreTenancy
from safemoves.common.scoping import scopes_disabled
from safemoves.jobs.models import Job, JobState
from safemoves.organisations.models import Role
from safemoves.reports import core
from safemoves.reports.core import CoreCodeError, code_list, collection_year_of, core_rows
from tests.factories import World, sign_in
from tests.jobrun import Capture, job_of, start_and_download, start_job
from tests.reciprocal.factories import make_home
from tests.reports.factories import case_row, move_row, offer_row, perpetrator_row, request_row


def test_every_code_list_names_its_year_and_source() -> None:
    assert core.available_years() == ["2024/25", "2025/26", "2026/27"]
    for year in core.available_years():
        codes = code_list(year)
        assert codes.collection_year == year
        assert codes.starts == date(int(year[:4]), 4, 1)
        assert codes.ends == date(int(year[:4]) + 1, 3, 31)
        assert "CORE" in codes.source
        assert set(codes.fields["reason"]) == {"48", "49"}
        # Every tenure a case or an offer can hold is a published tenancy code.
        assert {choice.value for choice in CoreTenancy} <= set(codes.fields["tenancy"])


def test_collection_year_runs_april_to_march() -> None:
    assert collection_year_of(date(2025, 3, 31)) == "2024/25"
    assert collection_year_of(date(2025, 4, 1)) == "2025/26"
    assert collection_year_of(date(2099, 12, 1)) == "2099/00"


def test_unknown_year_is_refused() -> None:
    with pytest.raises(ValueError, match="2019/20"):
        code_list("2019/20")
    with pytest.raises(ValueError, match="no CORE code list"):
        code_list("../../etc")


def test_rows_are_coded() -> None:
    rows = core_rows("2025/26", [(date(2025, 6, 1), "2", True, True), (date(2025, 7, 1), "7", False, False)])
    assert rows == [
        ("2025/26", "2025-06-01", "2", "1", "48", "10"),
        ("2025/26", "2025-07-01", "7", "2", "49", "10"),
    ]


def test_a_wrong_code_is_refused_with_the_field_named() -> None:
    with pytest.raises(CoreCodeError) as refused:
        core_rows("2025/26", [(date(2025, 6, 1), "2", False, False), (date(2025, 7, 1), "9", False, False)])
    assert refused.value.field == "tenancy"
    assert str(refused.value) == "CORE field 'tenancy': code '9' is not in the 2025/26 code list."


def test_a_code_list_file_must_match_its_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = json.loads((core.DATA / "core_lettings_2025_26.json").read_text(encoding="utf-8"))
    good["collection_year"] = "2024/25"
    (tmp_path / "core_lettings_2025_26.json").write_text(json.dumps(good), encoding="utf-8")
    monkeypatch.setattr(core, "DATA", tmp_path)
    core.code_list.cache_clear()
    try:
        with pytest.raises(ValueError, match="names the collection year"):
            code_list("2025/26")
    finally:
        core.code_list.cache_clear()


@pytest.fixture
def lettings(world: World) -> World:
    """B rehouses two of A's households in 2025/26: one previously a joint tenant with an ex-partner."""
    home = make_home(world.b)
    for index, (joint, tenure) in enumerate(((True, "2"), (False, "7"))):
        case = case_row(world.a.organisation, received_at=datetime(2025, 5, 1, tzinfo=UTC))
        perpetrator_row(case, joint_tenant=joint)
        request = request_row(case, world.scheme, world.a[Role.MANAGER], created_at=case.received_at)
        offer = offer_row(request, home, world.b[Role.LETTINGS_OFFICER], offered_at=case.received_at, status="moved")
        move_row(
            offer,
            world.b[Role.LETTINGS_OFFICER],
            move_date=date(2025, 6, 1 + index),
            new_tenure=tenure,
            starter=index == 0,
        )
    return world


def test_core_export_of_the_rehousing_landlord(lettings: World, django_capture_on_commit_callbacks: Capture) -> None:
    client = sign_in(Client(), lettings.b[Role.MANAGER])
    url = reverse("reports:core_export", kwargs={"fmt": "csv"})
    response = start_and_download(client, url, django_capture_on_commit_callbacks, data={"year": "2025/26"})
    assert response["Content-Disposition"] == 'attachment; filename="core-lettings-2025-26.csv"'
    found = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert found == [
        list(core.COLUMNS),
        ["2025/26", "2025-06-01", "2", "1", "48", "10"],
        ["2025/26", "2025-06-02", "7", "2", "49", "10"],
    ]


def test_the_referring_landlord_exports_none_of_those_lettings(
    lettings: World, django_capture_on_commit_callbacks: Capture
) -> None:
    client = sign_in(Client(), lettings.a[Role.MANAGER])
    url = reverse("reports:core_export", kwargs={"fmt": "csv"})
    response = start_and_download(client, url, django_capture_on_commit_callbacks, data={"year": "2025/26"})
    assert list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")))) == [list(core.COLUMNS)]


def test_core_export_refuses_a_wrong_code_naming_the_field(
    lettings: World, django_capture_on_commit_callbacks: Capture
) -> None:
    from safemoves.reciprocal.models import Move

    with scopes_disabled():
        Move.objects.filter(move_date=date(2025, 6, 2)).update(new_tenure="9")
    client = sign_in(Client(), lettings.b[Role.MANAGER])
    url = reverse("reports:core_export", kwargs={"fmt": "xlsx"})
    job_page = start_job(client, url, django_capture_on_commit_callbacks, data={"year": "2025/26"})
    job = job_of(job_page, lettings.b.organisation.pk)
    assert (job.state, job.error) == (
        JobState.FAILED,
        "The CORE export was refused. CORE field 'tenancy': code '9' is not in the 2025/26 code list. "
        "Correct the tenancy on the move, then export again.",
    )
    page = client.get(job_page)
    assert "The job failed" in page.text
    assert "CORE field &#x27;tenancy&#x27;: code &#x27;9&#x27; is not in the 2025/26 code list." in page.text
    assert client.get(f"{job_page}download/").status_code == 404


def test_core_export_refuses_an_unknown_year(lettings: World) -> None:
    client = sign_in(Client(), lettings.b[Role.MANAGER])
    with scopes_disabled():
        jobs_before = Job.objects.count()
    response = client.post(reverse("reports:core_export", kwargs={"fmt": "csv"}), {"year": "2019/20"})
    assert response.status_code == 400
    assert "Collection year" in response.text
    with scopes_disabled():
        assert Job.objects.count() == jobs_before
