"""Query counts stay constant in the number of rows (issue 12, ADR 0015).

Each page is measured with a little data and again with more of the rows it lists; the
count must be the same exact number both times. A page that loads something per row fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safemoves.cases import services as case_services
from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from safemoves.risk.services import marac_referral_record, risk_assessment_record
from safemoves.tasks import services as task_services
from tests.cases.factories import make_case
from tests.factories import World, sign_in
from tests.reciprocal.factories import circulated_request, make_home, reciprocal_case
from tests.safety.factories import answers

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


@dataclass(frozen=True)
class ListPage:
    role: Role
    url: str
    expected: int


# Every page counts one query for the header's unread notifications (issue 14), and one for
# the session's user read together with the membership (ADR 0030; two queries before).
LIST_PAGES = {
    "officer's cases": ListPage(Role.OFFICER, "cases:list", 6),
    "all cases": ListPage(Role.MANAGER, "cases:list", 6),
    "triage": ListPage(Role.MANAGER, "cases:triage", 6),
    "caseloads": ListPage(Role.MANAGER, "cases:caseloads", 6),
    "overdue actions": ListPage(Role.MANAGER, "safety:overdue", 5),
    "move requests": ListPage(Role.MANAGER, "reciprocal:requests", 5),
    # + the staff for the person filter, + the references of the cases on the page (one query each).
    "audit log": ListPage(Role.AUDITOR, "audit:log", 8),
}


def _more_cases(world: World, count: int) -> None:
    officer = world.a[Role.OFFICER]
    for index in range(count):
        make_case(world.a, name=f"Sam Case{index}", assigned_to=officer)
        make_case(world.a, name=f"Alex New{index}")


@pytest.mark.parametrize("name", sorted(LIST_PAGES))
def test_list_page_query_count_is_constant(world: World, name: str) -> None:
    page = LIST_PAGES[name]
    client = sign_in(Client(), world.a[page.role])
    url = reverse(page.url)
    _more_cases(world, 1)
    small = _queries(client, url)
    _more_cases(world, 4)
    assert (small, _queries(client, url)) == (page.expected, page.expected)


def _pool_grows(world: World, count: int) -> None:
    for index in range(count):
        circulated_request(world.b, reciprocal_case(world.b, name=f"Pat Pool{index}"))


@pytest.mark.parametrize("role", [Role.LETTINGS_OFFICER, Role.COORDINATOR])
def test_pool_query_count_is_independent_of_the_pool_size(world: World, role: Role) -> None:
    client = sign_in(Client(), world.a[role])
    url = reverse("reciprocal:pool")
    _pool_grows(world, 1)
    small = _queries(client, url)
    _pool_grows(world, 3)
    content = client.get(url).content.decode()
    assert len(re.findall(r'href="/reciprocal/pool/[0-9a-f-]{36}/"', content)) == 4
    assert "Pat Pool" not in content  # names never reach the pool
    assert (small, _queries(client, url)) == (POOL_QUERIES, POOL_QUERIES)


POOL_QUERIES = 8


def _grow_case(world: World, case: Case, count: int) -> None:
    """More rows in every section that lists them: notes, household, tasks, DASH assessments,
    MARAC referrals (a section reading a column it did not select would read it row by row)."""
    manager = world.a[Role.MANAGER]
    with organisation_scope(world.a.organisation.pk):
        for index in range(count):
            case_services.note_add(case=case, actor=manager, body=f"Note {index}")
            case_services.household_member_add(
                case=case, actor=manager, kind="child", name=f"Child {index}", date_of_birth=None
            )
            task_services.task_create(
                case=case,
                actor=manager,
                values={
                    "kind": "task",
                    "title": f"Task {index}",
                    "notes": "",
                    "owner": manager,
                    "due_on": date(2027, 1, 4),
                    "repeat_every_months": None,
                },
            )
            risk_assessment_record(case=case, actor=manager, answers=answers(15), police_callouts=2)
            marac_referral_record(case=case, actor=manager, area_code="E06000035", referred_on=timezone.localdate())


def test_case_page_query_count_is_constant(world: World) -> None:
    case = reciprocal_case(world.a)
    client = sign_in(Client(), world.a[Role.OFFICER])
    url = reverse("cases:detail", args=[case.pk])
    _grow_case(world, case, 1)
    small = _queries(client, url)
    _grow_case(world, case, 4)
    assert (small, _queries(client, url)) == (CASE_PAGE_QUERIES, CASE_PAGE_QUERIES)


# 26, + the emergency offers panel, the documents panel, the letters panel, the tasks panel
# and the header's unread-notification count (one query each); the user and the membership
# are one query, the same-perpetrator check reads the case's perpetrators already loaded (with
# none named on this case it needs no query), and the safe-contact rules and the options
# appraisal come in the case's own query (ADR 0030). On PostgreSQL the access event appends
# and moves the chain head in one statement (two in all, three on SQLite; ADR 0030); the case
# read opens no transaction of its own (ADR 0036), so inside the test's transaction there is no
# savepoint around it either. On PostgreSQL the sections' statements go in one pipeline
# (ADR 0035): as many statements, fewer round trips.
CASE_PAGE_QUERIES = 24 if connection.vendor == "postgresql" else 25


def test_pool_pages_in_priority_order(world: World) -> None:
    from safemoves.reciprocal import pool

    _pool_grows(world, 3)
    membership = world.a[Role.COORDINATOR].membership
    everything = pool.pool_profiles(membership).profiles
    assert len(everything) == 3
    first = pool.pool_profiles(membership, per_page=2, page_number=1)
    second = pool.pool_profiles(membership, per_page=2, page_number="2")
    assert [view.request_id for view in first.profiles + second.profiles] == [view.request_id for view in everything]
    assert (first.page.paginator.num_pages, len(second.profiles)) == (2, 1)
    assert [view.reference for view in everything] == sorted(view.reference for view in everything)


HOME_LIST_PAGES = {
    "homes": ListPage(Role.LETTINGS_OFFICER, "properties:list", 6),
    # One more than the homes list: the coordinator's proposals awaiting this landlord.
    "homes to offer": ListPage(Role.LETTINGS_OFFICER, "reciprocal:homes", 7),
}


@pytest.mark.parametrize("name", sorted(HOME_LIST_PAGES))
def test_home_list_query_count_is_constant(world: World, name: str) -> None:
    page = HOME_LIST_PAGES[name]
    client = sign_in(Client(), world.a[page.role])
    url = reverse(page.url)
    make_home(world.a, address="1 First Street")
    small = _queries(client, url)
    for number in range(2, 6):
        make_home(world.a, address=f"{number} First Street")
    assert (small, _queries(client, url)) == (page.expected, page.expected)
