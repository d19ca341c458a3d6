"""The first page of an unfiltered case list, read through bound statements, is exactly the page
case_list() gives (ADR 0035): the same cases in the same order, the same count, for each role."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safemoves.accounts.models import User
from safemoves.cases import selectors
from safemoves.cases.codes import CaseOutcome
from safemoves.cases.services import case_close, case_restrict
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.factories import World, make_member, sign_in


def _varied_cases(world: World) -> User:
    """Cases an officer and a manager see and do not see: the officer's own, another officer's,
    the unassigned inbox, restricted with and without them named, closed; more than a page."""
    a = world.a
    officer, manager = a[Role.OFFICER], a[Role.MANAGER]
    other = make_member(a.organisation, Role.OFFICER, email="second@a.test", name="Second Officer")
    cases = [make_case(a, name=f"Own {n}", assigned_to=officer) for n in range(27)]
    cases += [make_case(a, name=f"Other {n}", assigned_to=other) for n in range(3)]
    cases += [make_case(a, name=f"Inbox {n}") for n in range(2)]
    with organisation_scope(a.organisation.pk):
        case_restrict(case=cases[0], actor=manager, restricted=True, named_staff=[manager, officer])
        case_restrict(case=cases[1], actor=manager, restricted=True, named_staff=[manager])
        case_restrict(case=cases[27], actor=manager, restricted=True, named_staff=[manager, officer])
        case_close(case=cases[2], actor=manager, outcome=CaseOutcome.values[0])
    make_case(world.b, name="Another landlord's", assigned_to=world.b[Role.OFFICER])
    return other


def _through_case_list(membership: Any, officer_id: int | None) -> tuple[list[Any], int]:
    cases = selectors.for_case_table(selectors.case_list(membership, selectors.CaseFilters(officer_id=officer_id)))
    return [case.pk for case in cases[: selectors.LIST_PAGE]], cases.count()


def _bound(membership: Any, mine: bool) -> tuple[list[Any], int]:
    page = selectors.first_list_page(membership, mine=mine)
    assert page is not None
    counted = list(page.count.queryset())
    return [case.pk for case in page.rows.queryset()], int(counted[0]) if counted else 0


@pytest.mark.parametrize(("role", "mine"), [(Role.OFFICER, True), (Role.MANAGER, False)])
def test_the_bound_first_page_is_case_lists_first_page(world: World, role: Role, mine: bool) -> None:
    membership = world.a[role].membership
    with organisation_scope(world.a.organisation.pk):
        empty = _bound(membership, mine)
        _varied_cases(world)
        bound, expected = _bound(membership, mine), _through_case_list(membership, membership.user_id if mine else None)
    assert empty == ([], 0)
    assert bound == expected
    assert expected[1] > selectors.LIST_PAGE  # more than a page, so the count is not the rows'
    assert len(bound[0]) == selectors.LIST_PAGE


def test_other_roles_and_lists_read_through_case_list(world: World) -> None:
    assert selectors.first_list_page(world.a[Role.OFFICER].membership, mine=False) is None
    assert selectors.first_list_page(world.a[Role.MANAGER].membership, mine=True) is None
    assert selectors.first_list_page(world.a[Role.AUDITOR].membership, mine=False) is None


def _without_csrf(page: bytes) -> bytes:
    """The page with its CSRF token (masked afresh on every response) left out."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page)


def _inbox(world: World) -> None:
    """More new, unassigned referrals than a page, one restricted with no one else named."""
    cases = [make_case(world.a, name=f"New {n}") for n in range(selectors.LIST_PAGE + 2)]
    manager = world.a[Role.MANAGER]
    with organisation_scope(world.a.organisation.pk):
        case_restrict(case=cases[0], actor=manager, restricted=True, named_staff=[manager])
    make_case(world.a, name="Assigned", assigned_to=world.a[Role.OFFICER])
    make_case(world.b, name="Another landlord's referral")


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER, Role.AUDITOR])
def test_the_bound_triage_page_is_the_inboxs_first_page(world: World, role: Role) -> None:
    membership = world.a[role].membership
    _inbox(world)
    with organisation_scope(world.a.organisation.pk):
        first = selectors.first_triage_page(membership)
        assert first is not None
        counted = list(first.count.queryset())
        bound = [case.pk for case in first.rows.queryset()], int(counted[0]) if counted else 0
        inbox = selectors.for_case_table(selectors.triage_inbox(membership))
        expected = [case.pk for case in inbox[: selectors.LIST_PAGE]], inbox.count()
    assert bound == expected
    # The restricted referral is the manager's and the auditor's only if named: only the manager's.
    assert expected[1] == selectors.LIST_PAGE + (2 if role == Role.MANAGER else 1)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER])
@pytest.mark.parametrize(("address", "cases"), [("cases:list", _varied_cases), ("cases:triage", _inbox)])
def test_a_list_reads_the_same_either_way(world: World, role: Role, address: str, cases: Any) -> None:
    """The list as it opens (bound) and the same page asked for as "01" (the old path)."""
    cases(world)
    client = sign_in(Client(), world.a[role])
    url = reverse(address)
    opened, asked = client.get(url), client.get(url, {"page": "01"})
    assert opened.status_code == asked.status_code == 200
    assert _without_csrf(opened.content) == _without_csrf(asked.content)
    assert opened.content.decode().count('<tr>\n      <th scope="row">') == selectors.LIST_PAGE
