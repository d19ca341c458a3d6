"""A police referral with structured fields becomes a case whose household, perpetrator and
safe-contact rules are already filled: the triage officer does not retype them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from safemoves.cases.models import Case
from safemoves.common.scoping import scopes_disabled
from safemoves.organisations.models import Role
from tests.browser.conftest import assert_accessible
from tests.browser.steps import sign_in
from tests.factories import make_world
from tests.intake.factories import make_link


@pytest.fixture(autouse=True)
def _fresh_rate_limit() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _answer(page: Page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def test_police_referral_fills_household_perpetrator_and_contact_rules(page: Page, live_server: Any) -> None:
    world = make_world()
    _, token = make_link(world.a)
    page.goto(f"/refer/{token}/")
    assert_accessible(page)

    page.get_by_label("Your name").fill("PC Amy Taylor")
    page.get_by_label("Your role and organisation").fill("Domestic abuse officer, Kent Police")
    page.get_by_label("Your phone number").fill("01622 690690")
    page.get_by_label("Tenant's full name").fill("Jane Example")
    page.get_by_label("How many children live in the household?").fill("2")
    page.get_by_label("The children's ages (optional)").fill("4, 9")
    page.get_by_label("The perpetrator's name (optional)").fill("John Example")
    page.get_by_label("The perpetrator's relationship to the tenant (optional)").select_option("ex_partner")
    _answer(page, "Is the perpetrator still living at the address?", "No")
    _answer(page, "Does the perpetrator have, or have they had, a key to the home?", "Yes")
    page.get_by_role("group", name="Court orders or bail conditions against the perpetrator (optional)").get_by_label(
        "Non-molestation order"
    ).check()
    page.get_by_label("What happened?").fill("Assaulted by her ex-partner on Saturday night.")
    page.get_by_label("Crime reference (police only, optional)").fill("46/123456/26")
    page.get_by_label("Police officer in the case (optional)").fill("PC 1234 Amy Taylor")
    page.get_by_label("Police station (optional)").fill("Medway")
    _answer(page, "Risk level from a DASH assessment already made (optional)", "High")
    _answer(page, "Has a MARAC referral already been made? (optional)", "Yes")
    _answer(page, "Is it safe for us to contact the tenant directly?", "Yes")
    page.get_by_label("A phone number that is safe to call the tenant on").fill("07700 900123")
    page.get_by_label("When is it safe to call?").fill("Weekdays 10am to 2pm")
    _answer(page, "Is it safe to leave a voicemail?", "No")
    _answer(page, "Is it safe to send the tenant a letter?", "Not known")
    page.get_by_role("button", name="Send referral").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Referral received")
    assert_accessible(page)
    with scopes_disabled():
        case = Case.objects.get()

    sign_in(page, world.a[Role.MANAGER])
    page.goto(f"/cases/{case.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text("Child aged 4 at referral (name to confirm)")
    expect(main).to_contain_text("Child aged 9 at referral (name to confirm)")
    expect(main).to_contain_text("John Example")
    expect(main).to_contain_text("Non-molestation order")
    expect(main).to_contain_text("07700 900123")
    expect(main).to_contain_text("Weekdays 10am to 2pm")
    assert_accessible(page)


def test_a_wrong_structured_field_is_named(page: Page, live_server: Any) -> None:
    world = make_world()
    _, token = make_link(world.a)
    page.goto(f"/refer/{token}/")
    page.get_by_label("Your name").fill("PC Amy Taylor")
    page.get_by_label("Your role and organisation").fill("Kent Police")
    page.get_by_label("Your phone number").fill("01622 690690")
    page.get_by_label("Tenant's full name").fill("Jane Example")
    page.get_by_label("How many children live in the household?").fill("2")
    page.get_by_label("The children's ages (optional)").fill("4")
    _answer(page, "Is the perpetrator still living at the address?", "No")
    _answer(page, "Does the perpetrator have, or have they had, a key to the home?", "No")
    page.get_by_label("What happened?").fill("Threats by text.")
    _answer(page, "Is it safe for us to contact the tenant directly?", "No, only through me")
    _answer(page, "Is it safe to leave a voicemail?", "No")
    _answer(page, "Is it safe to send the tenant a letter?", "No")
    page.get_by_role("button", name="Send referral").click()

    expect(page.locator("main")).to_contain_text("Give one age for each child: 2 children, 1 ages.")
    assert_accessible(page)
    with scopes_disabled():
        assert not Case.objects.exists()
