"""Void homes in a real browser: list a home, fix a mistake, import a file, every page checked by axe."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from safemoves.organisations.models import Role
from tests.browser.conftest import assert_accessible
from tests.browser.steps import sign_in
from tests.factories import make_world
from tests.properties.helpers import GOOD_ROW, csv_bytes, row


def test_lettings_officer_lists_a_home_and_imports_a_file(page: Page, live_server: Any) -> None:
    world = make_world()
    sign_in(page, world.a[Role.LETTINGS_OFFICER])

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Void homes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Void homes at Alpha Homes")
    assert_accessible(page)

    page.get_by_role("link", name="List a home").click()
    assert_accessible(page)
    page.get_by_label("Address").fill("5 Lantern Yard, Chatham")
    page.get_by_label("Postcode").fill("ME4 4QZ")
    page.get_by_label("Bedrooms").fill("three")
    page.get_by_label("Floor", exact=True).fill("0")
    page.get_by_label("Weekly rent (£)").fill("112.40")
    page.get_by_label("Tenancy offered").select_option("7")
    page.get_by_label("Available from").fill("2026-08-03")
    page.get_by_role("button", name="List the home").click()
    expect(page.get_by_role("alert")).to_contain_text("Bedrooms: Must be a whole number from 1 to 7, got 'three'")
    assert_accessible(page)
    page.get_by_label("Bedrooms").fill("3")
    page.get_by_role("button", name="List the home").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("5 Lantern Yard, Chatham")
    expect(page.get_by_text("Medway (E06000035)")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Back to void homes").click()
    assert_accessible(page)
    page.get_by_role("link", name="Import homes from a file").click()
    assert_accessible(page)
    content = csv_bytes([GOOD_ROW, row(uprn="", bedrooms="three")])
    page.get_by_label("File of homes (.csv or .xlsx)").set_input_files(
        {"name": "voids.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_label("Keep good rows").check()
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_text("1 home added; 1 row left out")).to_be_visible()
    expect(page.get_by_role("table", name="Problems, by line of the file")).to_contain_text(
        "must be a whole number from 1 to 7, got 'three'"
    )
    assert_accessible(page)
