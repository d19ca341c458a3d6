"""The lists' statements use the partial indexes on open cases and on the triage inbox in a
prepared statement's generic plan: the status is written into the statement (ADR 0034).

With the status as a parameter, PostgreSQL's generic plan cannot prove ``NOT status = $3``
implies the indexes' ``NOT status = 'closed'``: an officer's first page then read every case
they ever had and sorted them (2.2 ms at 100k cases, against 0.05 ms through the index).
"""

from __future__ import annotations

import copy
import uuid

import pytest
from django.db import connection, transaction

from safemoves.cases import selectors
from safemoves.cases.codes import CaseStatus
from safemoves.cases.models import Case
from safemoves.common.scoping import organisation_scope
from safemoves.organisations.models import Role
from tests.cases.factories import make_case
from tests.conftest import as_table_owner
from tests.factories import World, make_world
from tests.plans import plan

pytestmark = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="SQLite plans each statement with its values"
)


def _many_cases(world: World) -> None:
    """An officer's long history: 600 cases, two in three closed; some new and unassigned."""
    officer = world.a[Role.OFFICER]
    template = make_case(world.a, name="Template", assigned_to=officer)
    rows = []
    for number in range(600):
        case = copy.copy(template)
        case.pk = uuid.uuid4()
        case.reference = f"BULK-{number:04d}"
        case.status = CaseStatus.CLOSED if number % 3 else CaseStatus.OPEN
        if number % 50 == 0:
            case.status, case.assigned_officer = CaseStatus.NEW, None
        case._state.adding = True
        rows.append(case)
    with organisation_scope(world.a.organisation.pk):
        Case.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")


def test_an_officers_first_page_reads_the_open_cases_index(world: World) -> None:
    _many_cases(world)
    officer = world.a[Role.OFFICER]
    with organisation_scope(world.a.organisation.pk):
        page = selectors._officers_own_page(world.a.organisation.pk, officer.pk)
        assert "case_open_officer_due_idx" in plan(page)
        with_parameter = (
            Case.objects.filter(organisation_id=world.a.organisation.pk, assigned_officer_id=officer.pk)
            .exclude(status=CaseStatus.CLOSED)
            .order_by("next_due_at", "reference")[: selectors.LIST_PAGE]
        )
        assert "case_open_officer_due_idx" not in plan(with_parameter)  # why the status is written in


def test_the_triage_inbox_reads_the_triage_index(world: World) -> None:
    _many_cases(world)
    manager = world.a[Role.MANAGER]
    with organisation_scope(world.a.organisation.pk):
        assert "case_triage_idx" in plan(selectors._overseers_inbox_page(world.a.organisation.pk, manager.pk))
        assert "case_triage_idx" in plan(selectors.triage_inbox(manager.membership)[: selectors.LIST_PAGE])


@pytest.mark.django_db(transaction=True)
def test_the_counts_read_the_covering_count_indexes() -> None:
    """A manager's "page 1 of N", the triage inbox's count and the caseloads read the landlord's
    open (or new, unassigned) cases from an index that holds what their filters read
    (``restricted``, the id), not from the scattered case rows (migration cases/0008). The
    index-only scan pays once the table is vacuumed (its pages marked all-visible), as a
    table that autovacuum keeps is: so this test commits its rows and vacuums."""
    world = make_world()
    _many_cases(world)
    with as_table_owner(connection), connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_case")
    organisation_id, manager = world.a.organisation.pk, world.a[Role.MANAGER]
    # In a transaction, so that plan()'s SET LOCAL asks for the generic plans.
    with transaction.atomic(), organisation_scope(organisation_id):
        assert "Index Only Scan using case_open_count_idx" in plan(
            selectors._managers_all_count(organisation_id, manager.pk)
        )
        assert "Index Only Scan using case_triage_count_idx" in plan(
            selectors._overseers_inbox_count(organisation_id, manager.pk)
        )
        # Each officer's open count: from a covering index (this one, or the dashboards' own).
        assert "Index Only Scan using" in plan(selectors._caseload_rows(organisation_id))
