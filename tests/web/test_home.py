"""The home page of work (issue 14, item 1): each role's panels, scoped, linked, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from safemoves.reciprocal.models import MoveRequest
from safemoves.reciprocal.pool import services as reciprocal_services
from safemoves.safety.services import safety_actions_for_new_case
from safemoves.tasks import services as task_services
from safemoves.tasks.services import next_working_day
from tests.cases.factories import make_case
from tests.factories import World, sign_in
from tests.reciprocal.factories import circulated_request, make_home, offer_home, reciprocal_case

pytestmark = pytest.mark.django_db


def _page(world: World, role: Role) -> tuple[str, int]:
    client = sign_in(Client(), world.a[role])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def _task(world: World, title: str, *, overdue: bool) -> None:
    officer = world.a[Role.OFFICER]
    case = make_case(world.a, assigned_to=officer)
    with organisation_scope(world.a.organisation.pk):
        task = task_services.task_create(
            case=case,
            actor=officer,
            values={
                "kind": "task",
                "title": title,
                "notes": "",
                "owner": officer,
                "due_on": next_working_day(timezone.localdate() + timedelta(days=7)),
                "repeat_every_months": None,
            },
        )
        # Move the due time to the past (overdue) or to later today, as the clock would find it.
        due = timezone.now() - timedelta(hours=2) if overdue else timezone.localtime().replace(hour=23, minute=58)
        type(task).objects.filter(pk=task.pk).update(due_at=due)


def _officer_work(world: World, count: int) -> None:
    for index in range(count):
        _task(world, f"Overdue call {index}", overdue=True)
        if timezone.localtime().hour < 23:
            _task(world, f"Today's call {index}", overdue=False)
        case = make_case(world.a, name=f"Lock Case{index}", assigned_to=world.a[Role.OFFICER])
        with organisation_scope(world.a.organisation.pk):
            safety_actions_for_new_case(case, None)
        request = circulated_request(world.a, reciprocal_case(world.a, name=f"Pat Offer{index}"))
        offer_home(world.b, make_home(world.b, address=f"{index} Offer Road"), request)


def test_officer_sees_overdue_due_today_new_cases_and_offers(world: World) -> None:
    _officer_work(world, 1)
    page, small = _page(world, Role.OFFICER)
    assert "Overdue call 0" in page
    assert "Lock Case0" not in page  # references and task titles, not tenants' names
    with organisation_scope(world.a.organisation.pk):
        request = MoveRequest.objects.get()
    assert f"Offer on move request {request.reference}" in page
    assert "New cases for you, not yet contacted" in page
    _officer_work(world, 3)
    page, large = _page(world, Role.OFFICER)
    assert page.count("Overdue call") == 4
    assert (small, large) == (OFFICER_QUERIES, OFFICER_QUERIES)


# The session's user and membership are one query (ADR 0030; 10 before).
OFFICER_QUERIES = 9


def test_another_landlord_sees_none_of_it(world: World) -> None:
    _officer_work(world, 1)
    client = sign_in(Client(), world.b[Role.OFFICER])
    page = client.get(reverse("web:home")).content.decode()
    assert "Overdue call" not in page
    assert "Offer on move request" not in page


def test_manager_sees_triage_breaches_and_caseloads_with_drill_down(world: World) -> None:
    make_case(world.a, name="Alex New")
    _task(world, "Overdue review", overdue=True)
    page, small = _page(world, Role.MANAGER)
    assert "Unassigned in triage (1)" in page
    assert "Overdue review" in page
    officer = world.a[Role.OFFICER]
    assert f'href="/cases/?officer={officer.pk}"' in page
    for index in range(3):
        make_case(world.a, name=f"Alex New{index}")
        _task(world, f"Overdue review {index}", overdue=True)
    _, large = _page(world, Role.MANAGER)
    assert (small, large) == (MANAGER_QUERIES, MANAGER_QUERIES)
    drill = sign_in(Client(), world.a[Role.MANAGER]).get(f"/cases/?officer={officer.pk}").content.decode()
    assert drill.count("/cases/") >= 4
    assert "Alex New" not in drill


# The session's user and membership are one query (ADR 0030; 11 before).
MANAGER_QUERIES = 10


def test_lettings_sees_voids_offers_awaiting_reply_and_proposals(world: World) -> None:
    make_home(world.a, address="1 Void Street")
    page, small = _page(world, Role.LETTINGS_OFFICER)
    assert "Void homes waiting (1)" in page
    request = circulated_request(world.b, reciprocal_case(world.b))
    offer_home(world.a, make_home(world.a, address="2 Void Street"), request)
    for number in range(3, 6):
        make_home(world.a, address=f"{number} Void Street")
    page, large = _page(world, Role.LETTINGS_OFFICER)
    assert f"Offer on move request {request.reference}" in page
    assert "Void homes waiting (4)" in page
    assert "Void Street" not in page
    assert (small, large) == (LETTINGS_QUERIES, LETTINGS_QUERIES)


# The session's user and membership are one query (ADR 0030; 9 before).
LETTINGS_QUERIES = 8


def test_coordinator_sees_requests_waiting_past_the_scheme_setting(world: World) -> None:
    request = circulated_request(world.b, reciprocal_case(world.b))
    page, small = _page(world, Role.COORDINATOR)
    assert "Requests waiting more than 30 days with no offer" in page
    assert request.reference not in page
    with scopes_disabled():
        MoveRequest.objects.filter(pk=request.pk).update(circulated_at=timezone.now() - timedelta(days=40))
    with organisation_scope(world.a.organisation.pk):
        values: dict[str, int | str] = dict.fromkeys(reciprocal_services.POLICY_LIMITS, 5)
        values.update(live_offer_limit=1, max_offers=3, waiting_alert_days=45, unreasonable_refusal="review")
        reciprocal_services.policy_update(membership=world.a[Role.COORDINATOR].membership, values=values)
    assert request.reference not in _page(world, Role.COORDINATOR)[0]
    with organisation_scope(world.a.organisation.pk):
        reciprocal_services.policy_update(
            membership=world.a[Role.COORDINATOR].membership, values={**values, "waiting_alert_days": 20}
        )
    page, large = _page(world, Role.COORDINATOR)
    assert f"Move request {request.reference}</a>, waiting 40 days" in page
    assert (small, large) == (COORDINATOR_QUERIES, COORDINATOR_QUERIES)


# The session's user and membership are one query (ADR 0030; 10 before).
COORDINATOR_QUERIES = 9


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER])
def test_due_items_are_the_earliest_ten_due_by_the_deadline(world: World, role: Role) -> None:
    """An officer's own due items and a manager's breaches are read bound, without the
    deadline (a time cannot be bound), the earliest first, and the deadline applied to those
    rows: the same items the query with the deadline in it reads, whether more or fewer than
    ten are due."""
    from safemoves.tasks.models import Task
    from safemoves.web.work import LIMIT, _due_items

    now = timezone.now()
    for index in range(LIMIT + 3):
        _task(world, f"Call {index}", overdue=True)
    with organisation_scope(world.a.organisation.pk):
        by_title = {task.title: task.pk for task in Task.objects.all()}  # titles are encrypted
        for index in range(LIMIT + 3):  # the last three due next week, the rest overdue, "Call 9" first
            due = now + timedelta(days=7, minutes=index) if index >= LIMIT else now - timedelta(hours=1, minutes=index)
            Task.objects.filter(pk=by_title[f"Call {index}"]).update(due_at=due)
        membership = world.a[role].membership
        shown = _tasks(_due_items(membership, until=now + timedelta(hours=1)))
        assert shown == [f"Call {index}" for index in reversed(range(LIMIT))]
        # A deadline beyond them all: the ten earliest, none of those due later.
        shown = _tasks(_due_items(membership, until=now + timedelta(days=30)))
        assert shown == [f"Call {index}" for index in reversed(range(LIMIT))]
        # Two due by the deadline: those two, though the earliest ten are read.
        Task.objects.filter(pk__in=[by_title[f"Call {index}"] for index in range(2, LIMIT)]).update(
            due_at=now + timedelta(days=3)
        )
        shown = _tasks(_due_items(membership, until=now + timedelta(hours=1)))
        assert shown == ["Call 1", "Call 0"]


def _tasks(items: list[Any]) -> list[str]:
    """The tasks among due items (each new case brings its own safety actions too)."""
    return [item.label for item in items if item.kind == "task"]


def test_an_officers_requests_near_circulation_are_those_due_within_two_days(world: World) -> None:
    """Read bound, the earliest deadlines first, the deadline applied to those rows: past and
    near deadlines shown, a later one and a request without a deadline not."""
    from safemoves.reciprocal.pool import services as pool_services
    from safemoves.reciprocal.pool.work import requests_near_circulation
    from tests.reciprocal.factories import draft_request

    now = timezone.now()
    manager = world.a[Role.MANAGER]
    deadlines = {"past": now - timedelta(days=1), "near": now + timedelta(days=1), "later": now + timedelta(days=10)}
    references: dict[str, str] = {}
    for label in (*deadlines, "none"):
        request = draft_request(world.a, reciprocal_case(world.a, name=f"Pat {label.title()}"))
        with organisation_scope(world.a.organisation.pk):
            pool_services.request_approve(request=request, actor=manager)
            MoveRequest.objects.filter(pk=request.pk).update(circulation_due_at=deadlines.get(label))
        references[label] = request.reference
    with organisation_scope(world.a.organisation.pk):
        shown = requests_near_circulation(world.a[Role.OFFICER].membership, now=now)
    assert [item.reference for item in shown] == [references["past"], references["near"]]
    assert [item.when for item in shown] == [deadlines["past"], deadlines["near"]]
