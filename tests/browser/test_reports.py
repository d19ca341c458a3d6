"""The dashboards in a real browser: a manager and a coordinator open theirs, filter by date,
download CSV, XLSX and the board pack from their background jobs' pages, print the page; every
page passes axe; each chart's bars equal the cells of the table beside it."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from safemoves.organisations.models import Role
from tests.browser.conftest import assert_accessible
from tests.browser.steps import sign_in, sign_out
from tests.factories import World, make_world
from tests.reports.factories import six_requests_one_moved

TABLE_JOB = "Report table download"


def _world() -> World:
    return six_requests_one_moved(make_world())


def _filter(page: Page, start: str, end: str) -> None:
    page.get_by_label("From", exact=True).fill(start)
    page.get_by_label("To", exact=True).fill(end)
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def _chart_matches_table(page: Page, key: str, column: int = 1) -> dict[str, str]:
    """Every bar's value equals the cell of its row in the charted column of the table beside it."""
    bars = page.locator(f'svg[data-table="{key}"] rect')
    drawn = {
        bars.nth(i).get_attribute("data-label"): bars.nth(i).get_attribute("data-value") for i in range(bars.count())
    }
    table = page.locator(f'table[data-table="{key}"]')
    cells = {}
    for i in range(table.locator("tbody tr").count()):
        row = table.locator("tbody tr").nth(i)
        cells[row.locator("th").inner_text()] = row.locator("td").nth(column - 1).inner_text()
    assert drawn, key
    for label, value in drawn.items():
        assert cells[str(label)] == value, f"{key}: bar {label} is {value}, its table cell {cells[str(label)]}"
    return cells


def _download(page: Page, button_name: str, job_label: str) -> Any:
    """A download is made in the background: the button opens its job's page, which offers the
    file when it is ready (at once here: without a broker the job runs in the web process)."""
    page.get_by_role("button", name=button_name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(job_label)
    expect(page.get_by_role("definition").filter(has_text="Finished")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"^Download ")).click()
    page.go_back()
    expect(page.get_by_role("button", name=button_name).first).to_be_visible()
    return info.value


def test_manager_and_coordinator_use_their_dashboards(page: Page, live_server: Any) -> None:
    world = _world()
    sign_in(page, world.a[Role.MANAGER])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Landlord dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Landlord dashboard")
    assert_accessible(page)
    _filter(page, "2026-01-01", "2026-06-30")
    expect(page.get_by_text("01 Jan 2026 to 30 Jun 2026")).to_be_visible()
    assert_accessible(page)
    assert _chart_matches_table(page, "open_by_risk")["Not assessed"] == "6"
    download = _download(page, "CSV of Open cases by risk level", TABLE_JOB)
    assert download.suggested_filename == "landlord-open_by_risk.csv"
    assert "Not assessed,6" in Path(download.path()).read_text(encoding="utf-8-sig")
    download = _download(page, "XLSX of Caseload per officer", TABLE_JOB)
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    assert [cell.value for cell in next(sheet.iter_rows(min_row=2))] == [world.a[Role.OFFICER].full_name, 6, "No"]

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Scheme dashboard").click()
    assert_accessible(page)
    _filter(page, "2026-01-01", "2026-06-30")
    assert_accessible(page)
    _chart_matches_table(page, "funnel")
    sign_out(page)

    sign_in(page, world.a[Role.COORDINATOR])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Scheme dashboard").click()
    assert_accessible(page)
    _filter(page, "2026-01-01", "2026-06-30")
    assert_accessible(page)
    funnel = _chart_matches_table(page, "funnel")
    assert funnel["Requests made"] == "6"
    assert funnel["Moved"] == "<5"
    download = _download(page, "XLSX of The funnel: requests made in the period", TABLE_JOB)
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    assert [cell.value for cell in next(sheet.iter_rows(min_row=2))] == ["Requests made", 6]
    download = _download(page, "CSV of Moves by landlord", TABLE_JOB)
    assert download.suggested_filename == "scheme-moves.csv"
    download = _download(page, "Board pack (PDF)", "Board pack (PDF)")
    assert download.suggested_filename == "board-pack.pdf"
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
    # The page prints as well: the print style sheet hides the navigation and the filters.
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("heading", name="The funnel: requests made in the period")).to_be_visible()
