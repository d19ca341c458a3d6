"""The reciprocal journey between two landlords in a real browser, every page checked by axe,
while a third landlord's lettings officer browsing all it can reach never sees who she is."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role, SchemeMembership
from tests.browser.conftest import assert_accessible
from tests.browser.steps import sign_in, sign_out
from tests.factories import make_world
from tests.reciprocal.factories import make_home, reciprocal_case, third_landlord

NAME = "Canarina Zqxwell"
ADDRESS = "17 Canaryfinch Road"
POSTCODE = "ME4 4AA"
PHONE = "07700 900123"
SECRETS = (NAME, "Canarina", "Canaryfinch", POSTCODE, PHONE)


def _nav(page: Page, label: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=label).click()
    assert_accessible(page)


def _no_secrets(page: Page) -> None:
    content = page.content()
    assert [secret for secret in SECRETS if secret in content] == [], page.url


def test_reciprocal_journey_between_two_landlords(page: Page, live_server: Any) -> None:
    world = make_world()
    third = third_landlord(areas=("E07000113", "E07000106"))
    SchemeMembership.objects.create(scheme=world.scheme, organisation=third.organisation)
    case = reciprocal_case(world.a, name=NAME)
    with organisation_scope(world.a.organisation.pk):
        case.address, case.postcode = ADDRESS, POSTCODE
        case.save(update_fields=["address", "postcode"])
    make_home(world.b, address="4 Bramley Gardens")
    make_home(third, postcode="ME10 4AA", address="2 Lantern Yard")

    # The case officer raises the request from the case.
    sign_in(page, world.a[Role.OFFICER])
    page.goto(f"/cases/{case.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Raise a move request").click()
    assert_accessible(page)
    page.get_by_label("Bedrooms needed").fill("2")
    page.get_by_label("Urgent: the household cannot stay where it is").check()
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Move request KMR-")
    reference = page.get_by_role("heading", level=1).inner_text().removeprefix("Move request ")
    assert_accessible(page)
    sign_out(page)

    # The manager approves and circulates it.
    sign_in(page, world.a[Role.MANAGER])
    _nav(page, "Move requests")
    page.get_by_role("link", name=reference).click()
    assert_accessible(page)
    page.get_by_role("button", name="Approve the request").click()
    expect(page.get_by_text("Approved: the anonymised profile is taken")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Circulate to the scheme").click()
    expect(page.get_by_text("Circulated to the members with stock in the household's safe areas.")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # A third landlord's lettings officer browses everything it can reach: no identity.
    sign_in(page, third[Role.LETTINGS_OFFICER])
    _no_secrets(page)
    _nav(page, "Scheme pool")
    _no_secrets(page)
    page.get_by_role("link", name=reference).click()
    assert_accessible(page)
    expect(page.get_by_text("Ashford, Canterbury, Dover, Maidstone, Swale")).to_be_visible()
    _no_secrets(page)
    _nav(page, "Homes to offer")
    _no_secrets(page)
    page.get_by_role("link", name="2 Lantern Yard").click()
    assert_accessible(page)
    expect(page.get_by_text("safe for this request")).to_be_visible()
    _no_secrets(page)
    _nav(page, "Void homes")
    _no_secrets(page)
    sign_out(page)

    # The rehousing landlord's lettings officer offers a home.
    sign_in(page, world.b[Role.LETTINGS_OFFICER])
    _nav(page, "Homes to offer")
    page.get_by_role("link", name="4 Bramley Gardens").click()
    assert_accessible(page)
    _no_secrets(page)
    page.get_by_role("button", name=f"Offer this home to {reference}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Offer for request {reference}")
    assert_accessible(page)
    _no_secrets(page)
    offer_url = page.url
    sign_out(page)

    # She accepts through her officer, who releases her identity on her recorded consent.
    sign_in(page, world.a[Role.OFFICER])
    page.goto(offer_url)
    assert_accessible(page)
    page.get_by_label("The tenant accepts the offer").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The tenant's decision is recorded.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Release the identity to Beta Housing").click()
    expect(page.get_by_text("The tenant's name and safe contact route are released")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The rehousing landlord now sees who the tenant is and records the move, on the tenancy the
    # offer was made on (shown, not retyped); a date before the offer is refused.
    sign_in(page, world.b[Role.LETTINGS_OFFICER])
    page.goto(offer_url)
    assert_accessible(page)
    expect(page.get_by_text(NAME)).to_be_visible()
    page.get_by_role("link", name="Record the move").click()
    assert_accessible(page)
    expect(page.get_by_text("Tenancy given: Assured (lifetime)")).to_be_visible()
    page.get_by_label("Move date").fill((timezone.localdate() - timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Record the move").click()
    expect(page.get_by_role("alert")).to_contain_text("The move date cannot be before the offer was made.")
    assert_accessible(page)
    page.get_by_label("Move date").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the move").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Move for request {reference}")
    expect(page.get_by_text("4 Bramley Gardens")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The coordinator's ledger: Alpha owes the pool one home, Beta is owed one.
    sign_in(page, world.a[Role.COORDINATOR])
    _nav(page, "Scheme ledger")
    table = page.get_by_role("table", name="Balances per landlord and per bedroom size")
    expect(table.get_by_role("row", name="Alpha Homes")).to_contain_text("owes 1")
    expect(table.get_by_role("row", name="Beta Housing")).to_contain_text("owed 1")
    expect(page.get_by_text("the balances add up to 0")).to_be_visible()
    _no_secrets(page)
