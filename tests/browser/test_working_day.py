"""Issue 14: the officer's working day, keyboard only — the home page showing due work, an offer
notification from another landlord, a task set and completed — and case and list pages at 390 px."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from playwright.sync_api import Page, expect

from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from safemoves.tasks import services as task_services
from safemoves.tasks.models import Task
from safemoves.tasks.services import next_working_day
from tests.browser.conftest import assert_accessible
from tests.browser.steps import sign_in
from tests.factories import World, make_world
from tests.reciprocal.factories import circulated_request, make_home, offer_home, reciprocal_case


def _press(page: Page, locator: Any) -> None:
    """Activate a link or button from the keyboard: focus it, then Enter."""
    locator.focus()
    page.keyboard.press("Enter")


def _fits_390(page: Page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    wide = page.evaluate(
        "() => [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
    )
    assert width[0] <= width[1], f"{page.url} scrolls sideways at 390 px: {width}; widest: {wide}"


def _overdue_task(world: World, case: Any) -> None:
    officer = world.a[Role.OFFICER]
    with organisation_scope(world.a.organisation.pk):
        task = task_services.task_create(
            case=case,
            actor=officer,
            values={
                "kind": "task",
                "title": "Ring the school about the pick-up plan",
                "notes": "",
                "owner": officer,
                "due_on": next_working_day(case.received_at.date() + timedelta(days=3)),
                "repeat_every_months": None,
            },
        )
        Task.objects.filter(pk=task.pk).update(due_at=task.created_at - timedelta(hours=1))


def test_the_officers_day_by_keyboard(page: Page, live_server: Any) -> None:
    world = make_world()
    case = reciprocal_case(world.a, name="Kerry Walsh")
    _overdue_task(world, case)
    request = circulated_request(world.a, case)
    # Landlord B offers a home on A's request.
    offer_home(world.b, make_home(world.b), request)

    sign_in(page, world.a[Role.OFFICER])
    # The home page shows the overdue task and the offer waiting for the tenant's answer.
    overdue = page.get_by_role("region", name="Overdue")
    expect(overdue).to_contain_text(f"Case {case.reference}: Ring the school about the pick-up plan")
    expect(page.get_by_role("region", name="Offers waiting for the tenant's answer")).to_contain_text(
        f"Offer on move request {request.reference}"
    )
    notifications = page.get_by_role("link", name="Notifications 1 unread")
    expect(notifications).to_be_visible()

    _press(page, notifications)
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_text(f"A home has been offered to move request {request.reference}.")).to_be_visible()
    expect(page.get_by_text("Kerry")).to_have_count(0)
    assert_accessible(page)
    _press(page, page.get_by_role("link", name="Choose which notifications you also get by e-mail"))
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail choices")
    assert_accessible(page)
    _press(page, page.get_by_role("link", name="Back to notifications"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    _press(page, page.get_by_role("button", name=f"Open {request.reference}"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(request.reference)
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()  # read: no count left
    assert_accessible(page)

    # Back home, open the case from the overdue work and set a task, then complete it.
    _press(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Home"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {world.a[Role.OFFICER].full_name}")
    assert_accessible(page)
    _press(page, page.get_by_role("region", name="Overdue").get_by_role("link", name=f"Case {case.reference}"))
    expect(page.get_by_role("heading", name="Tasks", exact=True)).to_be_visible()
    assert_accessible(page)
    _press(page, page.get_by_role("link", name="Set a task"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set a task")
    assert_accessible(page)
    page.get_by_label("What needs doing").fill("Book the housing options interview")
    due = next_working_day(case.received_at.date() + timedelta(days=14))
    page.get_by_label("Due on").fill(due.isoformat())
    _press(page, page.get_by_role("button", name="Set task"))
    expect(page.get_by_text(f"Task set, due by 17:00 on {due:%A %d %B %Y}.")).to_be_visible()
    assert_accessible(page)
    _press(page, page.get_by_role("button", name=re.compile(r"^Mark done\W+Book the housing options interview$")))
    expect(page.get_by_text("Task marked done.")).to_be_visible()
    expect(
        page.get_by_role("button", name=re.compile(r"^Reopen\W+Book the housing options interview$"))
    ).to_be_visible()
    assert_accessible(page)
    with organisation_scope(world.a.organisation.pk):
        assert Task.objects.get(completed_at__isnull=False).completed_by == world.a[Role.OFFICER]

    # The case page and the lists work on a 390 px wide phone without sideways scrolling.
    page.set_viewport_size({"width": 390, "height": 844})
    _fits_390(page)
    for link, heading in (("Cases", "My cases"), ("Home", f"Hello, {world.a[Role.OFFICER].full_name}")):
        _press(page, page.get_by_role("link", name=link, exact=True).first)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        _fits_390(page)
        assert_accessible(page)
    page.goto("/notifications/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    _fits_390(page)
    assert_accessible(page)
