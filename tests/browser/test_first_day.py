"""The first day of a case, in a real browser: police referral to Women's Aid referral."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.risk.models import MaracReferral, RiskAssessment
from safemoves.safety.models import AgencyReferral, SafetyAction
from safemoves.safety.services import agency_create
from tests.browser.conftest import assert_accessible
from tests.browser.steps import sign_in
from tests.factories import make_world
from tests.intake.factories import make_link


def _police_referral(page: Page, token: str) -> None:
    page.goto(reverse("intake:agency_referral", kwargs={"token": token}))
    assert_accessible(page)
    page.get_by_label("Your name").fill("PC Amy Taylor")
    page.get_by_label("Your role and organisation").fill("Domestic abuse officer, Kent Police")
    page.get_by_label("Your phone number").fill("01622 690690")
    page.get_by_label("Tenant's full name").fill("Jane Example")
    page.get_by_label("Postcode (optional)").fill("ME4 4TR")
    page.get_by_role("group", name="Is the perpetrator still living at the address?").get_by_label(
        "No", exact=True
    ).check()
    key_question = "Does the perpetrator have, or have they had, a key to the home?"
    page.get_by_role("group", name=key_question).get_by_label("Yes", exact=True).check()
    page.get_by_label("What happened?").fill("Assaulted by her ex-partner last night; he still has a key.")
    page.get_by_role("group", name="Is it safe for us to contact the tenant directly?").get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_label("A phone number that is safe to call the tenant on").fill("07700 900123")
    page.get_by_role("group", name="Is it safe to leave a voicemail?").get_by_label("No", exact=True).check()
    page.get_by_role("group", name="Is it safe to send the tenant a letter?").get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral received")
    assert_accessible(page)


def test_first_day_police_referral_locks_dash_marac_and_womens_aid(page: Page, live_server: Any) -> None:
    world = make_world()
    _, token = make_link(world.a)
    with organisation_scope(world.a.organisation.pk):
        agency_create(
            organisation_id=world.a.organisation.pk,
            actor=world.a[Role.MANAGER],
            name="Kent Women's Aid",
            kind="womens_aid",
            phone="0300 000 0001",
        )

    _police_referral(page, token)
    with scopes_disabled():
        case = Case.objects.get()

    # The officer picks the case up from the inbox and sets the lock change on its 24-hour clock.
    sign_in(page, world.a[Role.OFFICER])
    page.goto(reverse("cases:detail", kwargs={"case_id": case.pk}))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Case {case.reference}")
    assert_accessible(page)
    page.get_by_role("button", name="Set the lock change (24 hours from the referral)").click()
    safety = page.get_by_role("region", name="Safety actions")
    expect(safety.get_by_role("row", name=re.compile("Change the locks"))).to_contain_text("Open")
    assert_accessible(page)

    safety.get_by_role("link", name=re.compile(r"^Mark done\W+Change the locks$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mark done: Change the locks")
    assert_accessible(page)
    page.get_by_label("Evidence: what was done").fill("Locks changed by the contractor, job 4471.")
    page.get_by_role("button", name="Mark done").click()
    expect(page.locator(".messages")).to_contain_text("“Change the locks” marked done within its deadline.")
    assert_accessible(page)

    # DASH: 14 "yes" is high risk, and the case page asks for the MARAC referral.
    page.get_by_role("link", name="Complete a DASH risk assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"DASH risk assessment: case {case.reference}")
    assert_accessible(page)
    for number in range(1, 25):
        group = page.get_by_role("group", name=re.compile(rf"^{number}\. "))
        group.get_by_label("Yes" if number <= 14 else "No", exact=True).check()
    page.get_by_label(re.compile("^Police call-outs to the household")).fill("1")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator(".messages")).to_contain_text("DASH recorded: score 14, high risk.")
    expect(page.get_by_role("alert")).to_contain_text("MARAC referral required.")
    assert_accessible(page)

    page.get_by_role("link", name="Make the MARAC referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"MARAC referral: case {case.reference}")
    assert_accessible(page)
    expect(page.get_by_label("MARAC area")).to_have_value("E06000035")
    page.get_by_role("button", name="Record the MARAC referral").click()
    expect(page.locator(".messages")).to_contain_text("MARAC referral to Medway recorded.")
    expect(page.get_by_text("MARAC referral required.")).to_have_count(0)
    assert_accessible(page)

    # Women's Aid: first her consent to referrals, then the referral.
    page.get_by_role("link", name="Refer to an agency").click()
    expect(page.get_by_role("alert")).to_contain_text("No consent to referrals is recorded.")
    assert_accessible(page)
    page.get_by_role("link", name="Record the tenant's consent or the lawful basis").click()
    assert_accessible(page)
    page.get_by_label("Sharing for").select_option("agency_referral")
    page.get_by_role("group", name="Decision or lawful basis").get_by_label("Consent given").check()
    page.get_by_label("How consent was given").fill("Verbally, on the safe phone")
    page.get_by_role("button", name="Record").click()
    assert_accessible(page)
    page.goto(reverse("safety:referral_new", kwargs={"case_id": case.pk}))
    expect(page.locator("main")).to_contain_text("Sharing basis in force: Consent given")
    assert_accessible(page)
    page.get_by_label("Agency").select_option(label="Kent Women's Aid (Women's Aid)")
    page.get_by_label("What the referral is for").fill("Outreach support and safety planning")
    page.get_by_role("button", name="Record the referral as sent").click()
    expect(page.locator(".messages")).to_contain_text("Referral to Kent Women's Aid recorded as sent.")
    referrals = page.get_by_role("region", name="Referrals to support agencies")
    expect(referrals.get_by_role("row", name=re.compile("Kent Women's Aid"))).to_contain_text("Sent")
    assert_accessible(page)

    with organisation_scope(world.a.organisation.pk):
        lock = SafetyAction.objects.get(case=case)
        assert lock.action_type.code == "lock_change"
        assert lock.done_at is not None
        assert lock.done_at <= lock.due_at
        assessment = RiskAssessment.objects.get(case=case)
        assert (assessment.score, assessment.final_band) == (14, "high")
        marac = MaracReferral.objects.get(case=case)
        assert (marac.area_code, marac.sharing_basis, marac.is_repeat) == ("E06000035", "marac_high_risk", False)
        referral = AgencyReferral.objects.get(case=case)
        assert (referral.agency.name, referral.status, referral.sharing_basis) == (
            "Kent Women's Aid",
            "sent",
            "consent",
        )
