"""axe (WCAG 2.2 AA) on every staff page of the product, as a person allowed to see it.

The journeys in the other browser tests check the pages they pass through; this walk takes
every GET route of the authorisation matrix (tests/authz/routes_*.py) whose target can be built
in one shared world, so a page that no journey reaches is checked too, and a new page is checked
as soon as it joins the matrix.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from safemoves.organisations.models import Role
from tests.authz.matrix import PUBLIC, ROUTES, Route
from tests.browser.conftest import assert_accessible
from tests.browser.steps import sign_in, sign_out
from tests.factories import make_world

# The person each page is checked as: the first of these roles that may use it.
ROLE_ORDER = (Role.OFFICER, Role.MANAGER, Role.LETTINGS_OFFICER, Role.COORDINATOR, Role.ADMIN, Role.AUDITOR)


def _viewer(route: Route) -> Role | None:
    if route.allowed == PUBLIC or "GET" not in route.methods:
        return None
    assert isinstance(route.allowed, frozenset)
    return next((role for role in ROLE_ORDER if role in route.allowed), None)


def test_every_staff_page_passes_axe(page: Page, live_server: Any) -> None:
    world = make_world()
    by_role: dict[Role, list[Route]] = {}
    for route in ROUTES:
        role = _viewer(route)
        if role is not None:
            by_role.setdefault(role, []).append(route)
    checked: list[str] = []
    unreached: list[str] = []
    failures: list[str] = []
    for role in ROLE_ORDER:
        routes = by_role.get(role, [])
        if not routes:
            continue
        sign_in(page, world.a[role])
        for route in routes:
            try:
                if route.setup is not None:
                    route.setup(world)
                url = reverse(route.name, kwargs=route.kwargs(world))
            except Exception:  # the matrix builds each target in a fresh world; some need one
                unreached.append(route.name)
                continue
            try:
                response = page.goto(url)
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # a file (PDF, CSV, XLSX), not a page
                raise
            assert response is not None, url
            if response.status != 200 or "text/html" not in (response.headers.get("content-type") or ""):
                continue  # a download, a redirect to a form's page, or a page of POST only
            try:
                assert_accessible(page)
            except AssertionError as problem:
                failures.append(f"{route.name} as {role}: {problem}")
            checked.append(route.name)
        sign_out(page)
    assert failures == [], "\n".join(failures)
    # The walk was not vacuous: the case file and this stop's new pages were among those checked.
    for name in (
        "cases:detail",
        "tasks:new",
        "notifications:list",
        "emergency:offer_new",
        "cases:find",
        "reports:landlord",
    ):
        assert name in checked, f"{name} was not checked"
    # Most targets can be built in one shared world; the few that need a fresh one are left to
    # the journeys of the other browser tests.
    print(f"axe passed on {len(checked)} pages; {len(unreached)} targets need a fresh world: {unreached}")
    assert len(checked) > 3 * len(unreached), (len(checked), unreached)
