"""Editing a case in a real browser loses no data (issue 10, item 1 and its acceptance).

Chromium renders the dates in the inputs (a date input shows nothing for a value it cannot
read, and sends nothing back), so this is where a wrongly formatted date would be lost.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from playwright.sync_api import Page, expect

from safemoves.cases import services
from safemoves.cases.models import Case, Perpetrator
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from tests.browser.conftest import assert_accessible
from tests.browser.steps import sign_in
from tests.cases.factories import make_case
from tests.cases.test_edit_roundtrip import stored
from tests.factories import make_world


def test_a_case_edited_twice_without_changes_keeps_every_stored_field(page: Page, live_server: Any) -> None:
    world = make_world()
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER], full=True)
    with organisation_scope(world.a.organisation.pk):
        services.case_update(
            case=case,
            actor=world.a[Role.MANAGER],
            expected_version=case.version,
            changes={"tenancy_start": date(2019, 4, 1), "introductory_period_ends": date(2020, 4, 1)},
        )
        perpetrator = Perpetrator.objects.get(case=case)
    before = stored(Case, case.pk, case.organisation_id)
    perpetrator_before = stored(Perpetrator, perpetrator.pk, case.organisation_id)
    assert before["lead_date_of_birth"] == date(1990, 5, 17)

    sign_in(page, world.a[Role.OFFICER])
    for _ in range(2):
        page.goto(f"/cases/{case.pk}/")
        assert_accessible(page)
        page.get_by_role("navigation", name="Case actions").get_by_role("link", name="Edit details").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Case details")
        # The browser shows the stored dates in its date inputs.
        expect(page.get_by_label("Date of birth")).to_have_value("1990-05-17")
        expect(page.get_by_label("Tenancy start date")).to_have_value("2019-04-01")
        expect(page.get_by_label("Introductory or starter period ends")).to_have_value("2020-04-01")
        assert_accessible(page)
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".messages")).to_contain_text("Nothing had changed.")
        assert_accessible(page)
        assert stored(Case, case.pk, case.organisation_id) == before

    # The perpetrator's details, saved unchanged, keep the key and the address too.
    page.get_by_role("link", name=re.compile(r"^Change these details")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change what is known of the perpetrator")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Perpetrator details saved.")
    assert_accessible(page)
    assert stored(Perpetrator, perpetrator.pk, case.organisation_id) == perpetrator_before


def test_the_sanctuary_and_risk_settings_pages_work_and_pass_axe(page: Page, live_server: Any) -> None:
    world = make_world()
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])

    sign_in(page, world.a[Role.OFFICER])
    page.goto(f"/cases/{case.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Record the tenant's choice and our agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sanctuary: the tenant's choice and our agreement")
    assert_accessible(page)
    page.get_by_label("We, the landlord, agree to sanctuary at this home").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The landlord can agree to sanctuary only once the tenant has chosen to stay."
    )
    assert_accessible(page)
    page.get_by_label("The tenant chooses to stay at home with sanctuary measures").check()
    page.get_by_label("How and when the tenant told us").fill("In person at the office, with the IDVA")
    page.get_by_label("Reasons for agreeing").fill("The perpetrator has left and is barred by an order")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Sanctuary choice and agreement saved (in place).")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    assert_accessible(page)

    sign_in(page, world.a[Role.MANAGER])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Risk settings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk settings")
    assert_accessible(page)
    page.get_by_label("High risk from this many yes answers").fill("15")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("The high-risk threshold can be lowered, never raised above 14")
    assert_accessible(page)
    page.get_by_label("High risk from this many yes answers").fill("13")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Risk settings for the default saved.")
    expect(page.get_by_role("row", name=re.compile("^Default"))).to_contain_text("13")
    assert_accessible(page)
