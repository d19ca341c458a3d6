"""The public intake pages in a real browser: the agency referral, "get in touch", Exit this page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from safemoves.cases.codes import CaseSource, CaseStatus
from safemoves.cases.models import Case
from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Role
from tests.browser.conftest import AccessibilityLedger, assert_accessible
from tests.browser.steps import sign_in
from tests.factories import make_world
from tests.intake.factories import make_link

CONTACT_URL = "/get-in-touch/alpha-homes/"
NEUTRAL_SITE = "https://www.bbc.co.uk/"


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


class ScriptlessLedger(AccessibilityLedger):
    """axe runs as a script, which a page with JavaScript off cannot run: check that page's exact
    markup instead, served at the same address to a twin page that has scripts on."""

    def __init__(self, page: Page, twin: Page) -> None:
        super().__init__(page)
        self.twin = AccessibilityLedger(twin)

    def check(self) -> None:
        self.page.wait_for_load_state("load")
        url = self.page.url.split("#", 1)[0]
        html = self.page.content()
        twin = self.twin.page
        twin.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
        twin.goto(url)
        twin.unroute(url)
        self.twin.check()
        self.checked.add(url)


@pytest.fixture
def no_js_page(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[Page]:
    """A page with JavaScript turned off, its every page checked by axe like any other."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    twin_context = browser.new_context(base_url=live_server.url, java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    ledger = ScriptlessLedger(page, twin_context.new_page())
    page.axe = ledger  # type: ignore[attr-defined]
    yield page
    context.close()
    twin_context.close()
    assert ledger.unchecked() == [], "pages visited without an axe check"


def _neutral_site(page: Page) -> None:
    """Stand in for the neutral site (no network here): a small page of its own that passes axe."""

    def fulfil(route: Route) -> None:
        route.fulfill(
            status=200,
            content_type="text/html",
            body="<!doctype html><html lang='en'><head><title>Weather</title></head>"
            "<body><main><h1>Weather</h1><p>Sunny spells.</p></main></body></html>",
        )

    page.route(f"{NEUTRAL_SITE}**", fulfil)


def _fill_contact_form(page: Page) -> None:
    page.get_by_label("Your name").fill("Jane Example")
    page.get_by_role("group", name="How may we contact you?").get_by_label("Phone", exact=True).check()
    page.get_by_label("Phone number").fill("07700 900123")
    page.get_by_label("When is it safe to contact you?").fill("Weekdays 10am to 2pm")
    page.get_by_role("group", name="Is it safe to leave a voicemail?").get_by_label("No", exact=True).check()
    page.get_by_role("group", name="Is it safe for us to send a letter?").get_by_label("Yes", exact=True).check()


def test_agency_referral_lands_in_the_triage_inbox(page: Page, live_server: Any) -> None:
    world = make_world()
    _, token = make_link(world.a)
    page.goto(f"/refer/{token}/")
    expect(page).to_have_title("Refer a tenant to Alpha Homes")
    assert_accessible(page)

    page.get_by_label("Your name").fill("PC Amy Taylor")
    page.get_by_label("Your role and organisation").fill("Domestic abuse officer, Kent Police")
    page.get_by_label("Your phone number").fill("01622 690690")
    page.get_by_label("Tenant's full name").fill("Jane Example")
    page.get_by_label("Postcode (optional)").fill("me4 4aa")
    page.get_by_label("How many children live in the household?").fill("2")
    page.get_by_role("group", name="Is the perpetrator still living at the address?").get_by_label(
        "No", exact=True
    ).check()
    key_question = "Does the perpetrator have, or have they had, a key to the home?"
    page.get_by_role("group", name=key_question).get_by_label("Yes", exact=True).check()
    page.get_by_label("What happened?").fill("Assaulted by her ex-partner on Saturday night.")
    page.get_by_role("group", name="Is it safe for us to contact the tenant directly?").get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_role("group", name="Is it safe to leave a voicemail?").get_by_label("No", exact=True).check()
    page.get_by_role("group", name="Is it safe to send the tenant a letter?").get_by_label(
        "Not known", exact=True
    ).check()
    page.get_by_role("button", name="Send referral").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Referral received")
    with scopes_disabled():
        case = Case.objects.get()
    assert (case.status, case.source, case.assigned_officer_id) == (CaseStatus.NEW, CaseSource.POLICE, None)
    expect(page.locator("main")).to_contain_text(
        f"Your referral reference is {case.reference}. Keep it to quote when you call."
    )
    expect(page.locator("main")).not_to_contain_text("Jane Example")
    assert page.context.cookies() == []
    assert_accessible(page)

    sign_in(page, world.a[Role.MANAGER])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Triage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage inbox")
    expect(page.locator("main")).to_contain_text(case.reference)
    assert_accessible(page)


def test_contact_page_is_accessible_and_keeps_nothing_in_the_browser(page: Page, live_server: Any) -> None:
    make_world()
    page.goto(CONTACT_URL)
    expect(page).to_have_title("Get in touch")
    expect(page.locator("main")).to_contain_text(
        "In an emergency call 999. If you cannot speak, call 999 and then press 55 on a mobile (Silent Solution)."
    )
    assert_accessible(page)

    _fill_contact_form(page)
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Message sent")
    expect(page).to_have_title("Message sent")
    assert page.url.endswith(CONTACT_URL)
    assert page.context.cookies() == []
    assert page.evaluate("() => [localStorage.length, sessionStorage.length]") == [0, 0]
    assert_accessible(page)
    with scopes_disabled():
        assert Case.objects.get().source == CaseSource.TENANT


def test_exit_this_page_button_replaces_the_page_with_the_neutral_site(page: Page, live_server: Any) -> None:
    make_world()
    _neutral_site(page)
    page.goto(f"{NEUTRAL_SITE}news")
    assert_accessible(page)
    page.goto(f"{live_server.url}{CONTACT_URL}")
    assert_accessible(page)
    page.get_by_label("Your name").fill("Jane Example")

    page.get_by_role("link", name="Exit this page").click()

    expect(page).to_have_url(f"{NEUTRAL_SITE}weather")
    expect(page.get_by_role("heading", level=1)).to_have_text("Weather")
    assert_accessible(page)
    # location.replace took the form out of history: Back skips over it.
    page.go_back()
    expect(page).to_have_url(f"{NEUTRAL_SITE}news")


def test_pressing_shift_three_times_exits_and_back_does_not_show_the_form(page: Page, live_server: Any) -> None:
    make_world()
    _neutral_site(page)
    page.goto(f"{NEUTRAL_SITE}news")
    assert_accessible(page)
    page.goto(f"{live_server.url}{CONTACT_URL}")
    assert_accessible(page)
    name = page.get_by_label("Your name")
    # Shift used for capital letters does not count towards the 3 presses.
    name.press_sequentially("JE")
    for _ in range(3):
        name.press("Shift+A")
    expect(page.get_by_role("heading", level=1)).to_have_text("Get in touch")

    page.keyboard.press("Shift")
    expect(page.get_by_role("status")).to_have_text("Shift, press 2 more times to exit.")
    page.keyboard.press("Shift")
    expect(page.get_by_role("status")).to_have_text("Shift, press 1 more time to exit.")
    page.keyboard.press("Shift")

    expect(page).to_have_url(f"{NEUTRAL_SITE}weather")
    assert_accessible(page)
    page.go_back()
    expect(page).to_have_url(f"{NEUTRAL_SITE}news")
    expect(page.get_by_label("Your name")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Weather")


def test_contact_form_works_without_javascript(no_js_page: Page, live_server: Any) -> None:
    page = no_js_page
    make_world()
    page.goto(CONTACT_URL)
    assert_accessible(page)
    exit_link = page.get_by_role("link", name="Exit this page")
    expect(exit_link).to_have_attribute("href", f"{NEUTRAL_SITE}weather")

    _fill_contact_form(page)
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Message sent")
    assert page.context.cookies() == []
    assert_accessible(page)
    with scopes_disabled():
        assert Case.objects.get().source == CaseSource.TENANT
