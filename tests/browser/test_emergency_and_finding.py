"""The seed story's turning point: emergency accommodation offered and refused as too far from
the tenant's support network, the distance shown; then the case found again by its postcode."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from safemoves.safety.services import place_add
from tests.browser.conftest import assert_accessible
from tests.browser.steps import choose, press, sign_in, tick
from tests.factories import make_world
from tests.safety.factories import make_case


def test_refuge_refused_as_too_far_then_the_case_is_found_by_postcode(page: Page, live_server: Any) -> None:
    world = make_world()
    officer = world.a[Role.OFFICER]
    case = make_case(world, postcode="ME4 4TR")
    with organisation_scope(world.a.organisation.pk):
        place_add(case=case, actor=officer, kind="near", label="Parent's home", postcode="ME1 1AA", radius_km="5")

    sign_in(page, officer)
    page.goto(f"/cases/{case.pk}/")
    assert_accessible(page)
    expect(page.get_by_text("No refuge, emergency or temporary place offered yet.")).to_be_visible()
    press(page.get_by_role("link", name="Record an emergency accommodation offer"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record an emergency accommodation offer")
    assert_accessible(page)

    # Saving with the reason missing names the field and keeps what was typed.
    tick(page.get_by_label("Refuge", exact=True))
    page.get_by_label("Who offered it").fill("Women's Aid refuge service")
    page.get_by_label("Postcode of the place (if known)").fill("CT20 1AA")
    page.get_by_label("Date offered").fill(timezone.localdate().isoformat())
    tick(page.get_by_label("Refused", exact=True))
    press(page.get_by_role("button", name="Save the offer"))
    expect(page.get_by_text("Choose why the tenant refused the place.").first).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label("Who offered it")).to_have_value("Women's Aid refuge service")

    choose(page.get_by_label("Why the tenant refused"), "Too far from the tenant's support network")
    page.get_by_label("Note on the decision").fill("Wants to stay near their mother and keep the children at school")
    press(page.get_by_role("button", name="Save the offer"))
    expect(page.get_by_text("Emergency accommodation offer recorded.")).to_be_visible()
    panel = page.get_by_role("region", name="Emergency and temporary accommodation")
    expect(panel).to_contain_text("Refuge offered on")
    expect(panel).to_contain_text("Folkestone and Hythe (CT20 1AA)")
    expect(panel).to_contain_text("Refused: Too far from the tenant's support network")
    expect(panel).to_contain_text("Parent's home: 57.8 km")
    assert_accessible(page)

    # An unchanged save changes nothing.
    press(panel.get_by_role("link", name="Change this offer or record the decision"))
    assert_accessible(page)
    press(page.get_by_role("button", name="Save the offer"))
    expect(page.get_by_text("No changes to save.")).to_be_visible()
    assert_accessible(page)

    # Later, the officer finds the case again by its postcode.
    page.goto("/cases/")
    assert_accessible(page)
    press(page.get_by_role("link", name="Find a case by postcode, address, phone or perpetrator"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a case")
    assert_accessible(page)
    tick(page.get_by_label("Postcode", exact=True))
    page.get_by_label("Search for").fill("me4 4tr")
    press(page.get_by_role("button", name="Find"))
    expect(page.get_by_role("heading", name="1 case found")).to_be_visible()
    assert_accessible(page)
    press(page.get_by_role("link", name=case.reference))
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.reference)
    assert_accessible(page)
