"""A case's history and access log read a few index entries, however often the case is read.

Every view of a case appends a read event with the case's id. Before the partial indexes of
ADR 0034 the history (the case's changes) was found by scanning every event of the case, reads
included, so a case read 2,000 times cost the database 1.5 ms on each view of it, and more with
every read. The tests below fill the log the same way and ask the database for its plan: with
PostgreSQL's generic plan of a prepared statement, as production runs it (ADR 0032).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.db import connection

from safemoves.audit.models import CASE_OBJECT_TYPE, CASE_READ_ACTIONS, AuditEvent
from safemoves.cases import selectors
from safemoves.common.scoping import scopes_disabled
from tests.plans import plan as _plan

pytestmark = pytest.mark.django_db

ORGANISATION = 7
CASE = str(uuid.UUID(int=42))


def _event(number: int, object_id: str, action: str) -> AuditEvent:
    return AuditEvent(
        chain=9_000,
        seq=number,
        organisation_id=ORGANISATION,
        action=action,
        object_type=CASE_OBJECT_TYPE,
        object_id=object_id,
        prev_hash="0" * 64,
        hash="0" * 64,
    )


def _fill_log() -> None:
    """2,000 reads and 3 changes of the case, and 2,000 events of 400 other cases."""
    events = [_event(n, CASE, "case.viewed") for n in range(1, 2_001)]
    events += [_event(2_000 + n, CASE, "case.updated") for n in range(1, 4)]
    events += [
        _event(3_000 + n, str(uuid.UUID(int=1_000 + n % 400)), "case.viewed" if n % 2 else "case.updated")
        for n in range(1, 2_001)
    ]
    with scopes_disabled():
        AuditEvent.objects.bulk_create(events)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditevent")


def test_history_reads_the_index_of_changes_alone() -> None:
    _fill_log()
    with scopes_disabled():
        history = selectors.page_history(ORGANISATION, CASE)
        assert [event.action for event in history] == ["case.updated"] * 3
        assert "audit_object_change_idx" in _plan(history)


def test_access_log_reads_the_index_of_reads_alone() -> None:
    _fill_log()
    with scopes_disabled():
        access = selectors.page_access(ORGANISATION, CASE)
        assert len(list(access)) == selectors.PAGE_ACCESS
        plan = _plan(access)
        if connection.vendor == "postgresql":
            assert "audit_object_read_idx" in plan
        else:  # SQLite's index on the object keeps each object's rows in id order: no sort, no scan
            assert re.search(r"USING INDEX audit_object_(read_)?idx", plan), plan
            assert "TEMP B-TREE" not in plan


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite plans each statement with its values")
def test_the_same_filter_with_bound_values_cannot_use_the_index() -> None:
    """Why ``in_constants``: with the read actions as parameters, a generic plan cannot prove
    the partial index's predicate and scans every event of the case instead."""
    _fill_log()
    with scopes_disabled():
        bound_values = AuditEvent.objects.filter(
            organisation_id=ORGANISATION, object_type=CASE_OBJECT_TYPE, object_id=CASE
        ).exclude(action__in=CASE_READ_ACTIONS)[:30]
        assert "audit_object_change_idx" not in _plan(bound_values)


def test_constants_are_written_into_the_statement() -> None:
    with scopes_disabled():
        query = AuditEvent.objects.filter(action__in_constants=("case.viewed", "case.exported")).query
        sql, params = query.sql_with_params()
    assert "IN ('case.viewed', 'case.exported')" in sql
    assert params == ()


@pytest.mark.parametrize(
    ("values", "error"),
    [
        (("it's",), ValueError),
        (("100%",), ValueError),
        (("a b",), ValueError),
        (("x" * 65,), ValueError),
        ((1,), ValueError),
        (["case.viewed"], TypeError),
        ((), TypeError),
    ],
)
def test_anything_but_plain_constants_is_refused(values: Any, error: type[Exception]) -> None:
    with scopes_disabled(), pytest.raises(error):
        AuditEvent.objects.filter(action__in_constants=values).query.sql_with_params()
