from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from safemoves.cases import services
from safemoves.cases.codes import CaseSource
from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope
from safemoves.intake.services import referral_link_create
from safemoves.organisations.models import Role
from tests.browser.conftest import assert_accessible
from tests.browser.steps import sign_in, sign_out
from tests.factories import World, make_world


def _police_referral(world: World) -> Case:
    with organisation_scope(world.a.organisation.pk):
        link, _ = referral_link_create(
            membership=world.a[Role.MANAGER].membership, agency_name="Kent Police", source=CaseSource.POLICE
        )
        return services.case_receive_agency_referral(
            link=link,
            data=services.NewCase(
                lead_name="Kerry Walsh",
                source=CaseSource.POLICE,
                address="14 Mill Lane\nRochester",
                postcode="ME1 1AA",
                referral_summary="Assaulted by ex-partner last night in front of the children. He has a key.",
            ),
        )


def test_referral_is_triaged_assigned_and_worked(page: Page, live_server: Any) -> None:
    world = make_world()
    case = _police_referral(world)
    officer = world.a[Role.OFFICER]

    # The manager sees the referral in triage and assigns it the same day.
    sign_in(page, world.a[Role.MANAGER])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Triage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage inbox")
    assert_accessible(page)
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {case.reference}: Kerry Walsh")
    expect(page.get_by_role("status").filter(has_text="First contact is due by")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Case actions").get_by_role("link", name="Assign").click()
    assert_accessible(page)
    page.get_by_label("Officer").select_option(label=officer.full_name)
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Case assigned.")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The officer finds it first in "my cases", records how to contact her safely, then the call.
    sign_in(page, world.a[Role.OFFICER])
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My cases")
    assert_accessible(page)
    page.get_by_role("link", name=case.reference).click()
    assert_accessible(page)
    expect(
        page.get_by_text("No safe-contact rules recorded. Do not contact the tenant until they are.")
    ).to_be_visible()
    page.get_by_role("navigation", name="Case actions").get_by_role("link", name="Record contact").click()
    assert_accessible(page)
    page.get_by_label("How").select_option("phone")
    page.get_by_label("What was said or agreed").fill("Tried to call")
    page.get_by_role("button", name="Record contact").click()
    expect(page.get_by_role("alert")).to_contain_text("No safe-contact rules are recorded for this case.")
    assert_accessible(page)
    page.get_by_role("link", name=f"Back to case {case.reference}").click()
    assert_accessible(page)
    page.get_by_role("navigation", name="Case actions").get_by_role(
        "link", name="Safe-contact rules", exact=True
    ).click()
    assert_accessible(page)
    page.get_by_label("We have asked the tenant whether it is safe to talk now").check()
    page.get_by_label("Safe phone number").fill("07700 900456")
    page.get_by_label("Safe times to contact").fill("Weekdays 10:00 to 12:00")
    page.get_by_label("Phone calls").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Safe-contact rules saved.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation", name="Case actions").get_by_role("link", name="Record contact").click()
    assert_accessible(page)
    page.get_by_label("How").select_option("phone")
    page.get_by_label("What was said or agreed").fill("Safe to talk. Locks to be changed today.")
    page.get_by_role("button", name="Record contact").click()
    expect(page.get_by_text("Contact recorded.")).to_be_visible()
    expect(page.get_by_text("Safe to talk. Locks to be changed today.")).to_be_visible()
    assert_accessible(page)
    with organisation_scope(world.a.organisation.pk):
        stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.assigned_officer_id) == ("open", officer.pk)
    assert stored.first_contact_at is not None
