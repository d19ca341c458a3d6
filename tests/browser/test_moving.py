"""The move itself in a real browser (ADR 0028): viewing, sign-up, consented handover and the
new safe address, each page checked by axe; the original landlord never sees the new address."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from safemoves.organisations.models import Role
from tests.browser.conftest import assert_accessible
from tests.browser.steps import sign_in, sign_out
from tests.factories import make_world
from tests.reciprocal.factories import accept, circulated_request, make_home, offer_home, reciprocal_case

NEW_ADDRESS = "Flat 2, 9 Orchard Row"
NEW_POSTCODE = "CT5 1BQ"


def _open(page: Page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def test_viewing_sign_up_consented_handover_and_new_safe_address(page: Page, live_server: Any) -> None:
    world = make_world()
    case = reciprocal_case(world.a)
    offer = offer_home(world.b, make_home(world.b), circulated_request(world.a, case))
    accept(world.a, offer)
    moving_url = f"/reciprocal/offers/{offer.pk}/moving/"
    when = timezone.localtime() + timedelta(days=2)

    # The rehousing landlord's lettings officer arranges the viewing and records the sign-up date.
    sign_in(page, world.b[Role.LETTINGS_OFFICER])
    _open(page, moving_url)
    page.get_by_label("Date and time of the viewing").fill(when.strftime("%Y-%m-%dT14:30"))
    page.get_by_label("Where to meet (optional)").fill("At the side gate")
    page.get_by_role("button", name="Arrange the viewing").click()
    expect(page.get_by_text("The viewing is arranged.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Sign-up date of the new tenancy").fill(when.strftime("%Y-%m-%d"))
    page.get_by_role("button", name="Record the sign-up date").click()
    expect(page.get_by_text("The sign-up date is recorded.")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The case officer sees the time (not the place note) and records the tenant's consent.
    sign_in(page, world.a[Role.OFFICER])
    _open(page, moving_url)
    expect(page.get_by_text("No consent to a handover is recorded")).to_be_visible()
    assert "At the side gate" not in page.content()
    page.get_by_label("Who gave the consent").fill("The tenant, in person")
    page.get_by_label("Date the consent was given").fill(timezone.localdate().isoformat())
    page.get_by_label("How the consent was given").fill("Signed form")
    page.get_by_role("button", name="Record the consent").click()
    expect(page.get_by_text("The tenant's consent to the handover is recorded.")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The rehousing landlord records the move; the case is handed over; the new safe address follows.
    sign_in(page, world.b[Role.LETTINGS_OFFICER])
    _open(page, f"/reciprocal/offers/{offer.pk}/move/")
    page.get_by_label("Move date").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the move").click()
    assert_accessible(page)
    _open(page, moving_url)
    page.get_by_role("link", name="Open the handed-over case").click()
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Handed-over case")
    page.get_by_label("Safe address for letters").fill(NEW_ADDRESS)
    page.get_by_label("Postcode of the safe address").fill(NEW_POSTCODE)
    page.get_by_label("Letters to the safe address are safe").check()
    page.get_by_role("button", name="Save the safe address and contact rules").click()
    expect(page.get_by_text("The safe address and contact rules are saved.")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The original landlord's officer: the move's pages, never the new safe address.
    sign_in(page, world.a[Role.OFFICER])
    for url in (moving_url, f"/reciprocal/offers/{offer.pk}/", f"/cases/{case.pk}/"):
        _open(page, url)
        assert NEW_ADDRESS not in page.content()
        assert NEW_POSTCODE not in page.content()
