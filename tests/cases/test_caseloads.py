"""The manager's caseloads: open, new and overdue cases per officer, counted over open cases only."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safemoves.cases.codes import CaseStatus
from safemoves.cases.models import Case
from safemoves.cases.selectors import caseloads
from safemoves.common.scoping import organisation_scope, scopes_disabled
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.factories import World


def _set(case: Case, **values: object) -> None:
    with scopes_disabled():
        Case.objects.filter(pk=case.pk).update(**values)


def test_counts_per_officer_leave_out_closed_cases_and_other_landlords(world: World) -> None:
    officer, manager = world.a[Role.OFFICER], world.a[Role.MANAGER]
    past, future = timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=3)
    cases = [make_case(world.a, name=f"Case {index}", assigned_to=officer) for index in range(4)]
    _set(cases[0], status=CaseStatus.OPEN, next_due_at=future)
    _set(cases[1], status=CaseStatus.NEW, next_due_at=past)  # new and overdue
    _set(cases[2], status=CaseStatus.OPEN, next_due_at=past)  # overdue
    _set(cases[3], status=CaseStatus.CLOSED, next_due_at=past)  # counts nowhere
    make_case(world.b, name="Elsewhere", assigned_to=world.b[Role.OFFICER])

    with organisation_scope(world.a.organisation.pk), CaptureQueriesContext(connection) as queries:
        loads = caseloads(manager.membership, limit=2)
    assert [(load.officer, load.open_cases, load.new_cases, load.overdue, load.over_limit) for load in loads] == [
        (officer, 3, 1, 2, True),
        (manager, 0, 0, 0, False),
    ]
    assert len(queries) == 1


def test_the_statement_kept_for_one_landlord_counts_anothers_cases(world: World) -> None:
    """The counts are subqueries in the select list: the landlord's id there is bound per use too."""
    a_officer, b_officer = world.a[Role.OFFICER], world.b[Role.OFFICER]
    past = timezone.now() - timedelta(hours=1)
    for index in range(3):
        _set(make_case(world.a, name=f"A {index}", assigned_to=a_officer), status=CaseStatus.OPEN)
    _set(make_case(world.b, name="B 0", assigned_to=b_officer), status=CaseStatus.OPEN, next_due_at=past)

    counts = {}
    for landlord in (world.a, world.b, world.a):
        with organisation_scope(landlord.organisation.pk):
            loads = caseloads(landlord[Role.MANAGER].membership, limit=2)
        counts[landlord.organisation.name] = {
            load.officer.pk: (load.open_cases, load.overdue) for load in loads if load.open_cases
        }
    assert counts == {
        world.a.organisation.name: {a_officer.pk: (3, 0)},
        world.b.organisation.name: {b_officer.pk: (1, 1)},
    }
