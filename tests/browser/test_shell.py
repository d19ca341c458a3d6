from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Membership, Role
from tests.browser.conftest import assert_accessible
from tests.browser.steps import sign_in
from tests.factories import make_world


def test_officer_signs_in_with_the_second_factor_and_sees_home(page: Page, live_server: Any) -> None:
    world = make_world()
    sign_in(page, world.a[Role.OFFICER])
    expect(page.get_by_text("signed in as tenancy services officer at Alpha Homes")).to_be_visible()
    # An officer's navigation has her case work and no staff, audit or scheme administration pages.
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_text(
        ["Home", "Cases", "Triage", "Overdue actions", "Support agencies", "Move requests"]
    )


def test_sign_in_errors_are_announced_and_linked(page: Page, live_server: Any) -> None:
    make_world()
    page.goto("/account/sign-in/")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_role("link", name="E-mail address: This field is required.")).to_be_visible()
    assert_accessible(page)


def test_keyboard_only_skip_link_and_sign_out(page: Page, live_server: Any) -> None:
    world = make_world()
    sign_in(page, world.a[Role.ADMIN])
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main-content")).to_be_focused()
    page.get_by_role("button", name="Sign out").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    assert_accessible(page)


def test_admin_deactivates_a_colleague(page: Page, live_server: Any) -> None:
    world = make_world()
    officer = world.a[Role.OFFICER]
    sign_in(page, world.a[Role.ADMIN])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff at Alpha Homes")
    assert_accessible(page)
    page.get_by_role("button", name=f"Deactivate {officer.full_name}").click()
    expect(page.get_by_role("status")).to_contain_text(f"{officer.full_name} can no longer sign in")
    assert_accessible(page)
    with scopes_disabled():
        assert Membership.objects.get(user=officer).is_active is False
    page.get_by_role("link", name="Invite a member of staff").click()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nadia Mensah")
    page.get_by_label("Work e-mail address").fill("nadia.mensah@alpha.test")
    page.get_by_label("Role").select_option("manager")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Invitation sent to nadia.mensah@alpha.test.")
    expect(page.get_by_role("table").nth(1)).to_contain_text("Nadia Mensah")
    assert_accessible(page)
