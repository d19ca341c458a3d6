"""The audit log reads as names and references, and filters by case, person, action and date (issue 14, item 10)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.factories import World, sign_in


def _log(world: World, **query: str) -> tuple[int, str]:
    auditor = sign_in(Client(), world.a[Role.AUDITOR])
    response = auditor.get(reverse("audit:log"), query)
    return response.status_code, response.content.decode()


def test_events_show_case_references_and_staff_names(world: World) -> None:
    case = make_case(world.a, assigned_to=world.a[Role.OFFICER])
    status, page = _log(world)
    assert status == 200
    assert f"Case {case.reference}" in page
    assert str(case.pk) not in page
    assert world.a[Role.MANAGER].full_name in page
    assert "Assigned the case" in page
    assert "case.assigned" not in page.split("<tbody>")[1]  # the filter offers codes as option values only


def test_filter_by_case_person_action_and_date(world: World) -> None:
    first = make_case(world.a, name="Ann One", assigned_to=world.a[Role.OFFICER])
    second = make_case(world.a, name="Bea Two")
    status, page = _log(world, case=first.reference.lower())
    assert status == 200
    assert f"Case {first.reference}" in page
    assert f"Case {second.reference}" not in page

    status, page = _log(world, person=str(world.a[Role.OFFICER].pk))
    assert status == 200
    assert "No events." in page  # the officer did nothing; the manager did it all

    status, page = _log(world, action="case.assigned")
    assert status == 200
    assert f"Case {first.reference}" in page
    assert f"Case {second.reference}" not in page

    status, page = _log(world, date_from="2000-01-01", date_to="2000-01-02")
    assert (status, "No events." in page) == (200, True)


def test_bad_filters_are_named(world: World) -> None:
    status, page = _log(world, case="XX-9999", action="drop.table", date_from="31/02/2026", date_to="")
    assert status == 400
    assert "Choose an action from the list." in page
    assert "Enter the from date as a date, for example 2026-11-30." in page
    status, page = _log(world, case="XX-9999")
    assert (status, "No case of Alpha Homes has the reference XX-9999." in page) == (400, True)
    status, page = _log(world, date_from="2026-11-30", date_to="2026-11-01")
    assert (status, "The to date must be on or after the from date." in page) == (400, True)
    status, page = _log(world, person="999999")
    assert (status, "Choose a person from the list." in page) == (400, True)
