"""Reads sent together: one round trip for a page's sections, each answered only with its own rows (ADR 0035)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import psycopg
import pytest
from django.db import DataError, connection, connections, transaction
from django.db.models import IntegerField, QuerySet, Value
from django.db.models.functions import Cast
from django.test.utils import CaptureQueriesContext

from safemoves.cases.models import CaseNote, HouseholdMember
from safemoves.common import bound as bound_module
from safemoves.common.bound import Read, read_together
from safemoves.common.scoping import organisation_scope
from tests.cases.factories import make_case
from tests.factories import World

pipelined = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    bound_module.clear_cache()
    yield
    bound_module.clear_cache()


# Ordered by key (names and notes are encrypted, so they cannot order rows): the tests compare
# the names sorted.
def _household(case_id: UUID) -> QuerySet[HouseholdMember]:
    return HouseholdMember.objects.filter(case_id=case_id).order_by("pk")


def _notes(case_id: UUID) -> QuerySet[CaseNote]:
    return CaseNote.objects.filter(case_id=case_id).order_by("pk")


def _member(case: Any, name: str) -> None:
    HouseholdMember.objects.create(organisation=case.organisation, case=case, kind="child", name=name)


def _reads(case: Any) -> list[Read[Any]]:
    return [Read("test.household", _household, {"case_id": case.pk}), Read("test.notes", _notes, {"case_id": case.pk})]


def _rows(read: Read[Any]) -> list[tuple[Any, ...]]:
    return [(row.pk, row.name if isinstance(row, HouseholdMember) else row.body) for row in read.queryset()]


def test_reads_sent_together_give_what_each_read_alone_gives(world: World) -> None:
    case = make_case(world.a, name="Ann Example")
    with organisation_scope(world.a.organisation.pk):
        for name in ("Bea", "Cal", "Dee"):
            _member(case, name)
        CaseNote.objects.create(organisation=case.organisation, case=case, body="Called, safe to talk")
        alone = [_rows(read) for read in _reads(case)]
        with CaptureQueriesContext(connection) as sent, read_together(_reads(case)):
            at_entry = len(sent.captured_queries)
            together = [_rows(read) for read in _reads(case)]
    assert together == alone
    assert [len(rows) for rows in together] == [3, 1]
    # On PostgreSQL both statements go at the block's entry, in one pipeline; elsewhere each
    # section reads when it runs, as before.
    assert (at_entry, len(sent.captured_queries)) == ((2, 2) if pipelined else (0, 2))


def test_rows_read_ahead_answer_no_other_scope_or_case(world: World) -> None:
    ours = make_case(world.a, name="Ann Example")
    other = make_case(world.a, name="Eve Example")
    with organisation_scope(world.a.organisation.pk):
        _member(ours, "Bea")
        _member(other, "Fay")
        with read_together(_reads(ours)):
            # Another landlord asking for the same case: not answered from our rows, and reads nothing.
            with organisation_scope(world.b.organisation.pk):
                assert _rows(_reads(ours)[0]) == []
            # Another case of ours: its own read.
            with CaptureQueriesContext(connection) as sent:
                assert [name for _, name in _rows(_reads(other)[0])] == ["Fay"]
            assert len(sent.captured_queries) == 1
            # Our own read is still there, untouched by the others.
            with CaptureQueriesContext(connection) as sent:
                assert [name for _, name in _rows(_reads(ours)[0])] == ["Bea"]
            assert len(sent.captured_queries) == (0 if pipelined else 1)


@pytest.mark.skipif(not pipelined, reason="only PostgreSQL reads ahead")
def test_rows_read_ahead_answer_one_call_and_the_next_reads_again(world: World) -> None:
    case = make_case(world.a, name="Ann Example")
    with organisation_scope(world.a.organisation.pk):
        _member(case, "Bea")
        with read_together(_reads(case)):
            _member(case, "Cal")  # after the rows were read ahead
            first = sorted(name for _, name in _rows(_reads(case)[0]))
            second = sorted(name for _, name in _rows(_reads(case)[0]))
        after = sorted(name for _, name in _rows(_reads(case)[0]))
    assert (first, second, after) == (["Bea"], ["Bea", "Cal"], ["Bea", "Cal"])


def test_nothing_read_ahead_outlives_its_block(world: World) -> None:
    case = make_case(world.a, name="Ann Example")
    with organisation_scope(world.a.organisation.pk):
        with read_together(_reads(case)):
            pass  # read ahead, never used
        _member(case, "Bea")
        assert [name for _, name in _rows(_reads(case)[0])] == ["Bea"]
    assert bound_module._read_ahead.get() is None


def test_the_case_page_sends_every_sections_read_and_the_headers_together(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every section of the case page, and the header's unread count, declare their reads: on
    PostgreSQL nothing is read after the page's reads go out together."""
    from django.test import Client
    from django.urls import reverse

    from safemoves.cases import views
    from safemoves.organisations.models import Role
    from tests.factories import sign_in
    from tests.reciprocal.factories import reciprocal_case

    case = reciprocal_case(world.a)
    client = sign_in(Client(), world.a[Role.MANAGER])
    sent: list[str] = []
    after_entry: list[str] = []
    real = read_together

    @contextmanager
    def recording(reads: Any) -> Iterator[None]:
        reads = list(reads)
        sent.extend(read.name for read in reads)
        with real(reads):
            entered = len(connection.queries)
            yield
            after_entry.extend(query["sql"] for query in connection.queries[entered:])

    monkeypatch.setattr(views, "read_together", recording)
    with CaptureQueriesContext(connection):  # keeps connection.queries
        response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    assert sorted(sent) == sorted(
        [
            "cases.page.household",
            "cases.page.consents",
            "cases.page.notes",
            "cases.page.history",
            "cases.page.access",  # a manager sees who has looked
            "cases.page.perpetrators",
            "cases.page.court_orders",
            "safety.panel.actions",
            "tasks.panel",
            "risk.panel.assessments",
            "risk.panel.marac",
            "safety.panel.referrals",
            "safety.places",
            "emergency.panel",
            "letters.panel",
            "reciprocal.panel",
            "documents.panel",
            "notifications.unread",
        ]
    )
    # What is left to read afterwards: only the same-perpetrator section's search of other cases
    # (it searches by the names read ahead, so it cannot go with them).
    tables = [re.search(r'FROM "(\w+)"', sql).group(1) for sql in after_entry]  # type: ignore[union-attr]
    if pipelined:
        assert tables == ["cases_case"]
    else:  # each section reads as it renders
        assert len(tables) == len(sent) + 1


@pytest.fixture
def paths(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Which way each read_together() block sent its statements."""
    taken: list[str] = []
    for name in ("_send_direct", "_send_through_django"):
        real = getattr(bound_module, name)

        def spy(*args: Any, _real: Any = real, _name: str = name) -> Any:
            taken.append(_name)
            return _real(*args)

        monkeypatch.setattr(bound_module, name, spy)
    return taken


@pytest.mark.skipif(not pipelined, reason="only PostgreSQL reads ahead")
def test_unlogged_reads_go_to_psycopgs_cursors_with_the_same_rows(world: World, paths: list[str]) -> None:
    case = make_case(world.a, name="Ann Example")
    with organisation_scope(world.a.organisation.pk):
        for name in ("Bea", "Cal"):
            _member(case, name)
        CaseNote.objects.create(organisation=case.organisation, case=case, body="Called, safe to talk")
        with CaptureQueriesContext(connection), read_together(_reads(case)):
            logged = [_rows(read) for read in _reads(case)]
        with read_together(_reads(case)):
            direct = [_rows(read) for read in _reads(case)]
    assert paths == ["_send_through_django", "_send_direct"]
    assert direct == logged
    assert [len(rows) for rows in direct] == [2, 1]


@pytest.mark.skipif(not pipelined, reason="only PostgreSQL reads ahead")
def test_the_direct_path_reads_each_landlord_under_its_own_row_level_security(world: World, paths: list[str]) -> None:
    """Alternating landlords on one connection: each block's settings are sent before its
    statements (the connection's recorded state follows), and each reads only its own rows."""
    ours, theirs = make_case(world.a, name="Ann Example"), make_case(world.b, name="Eve Example")
    with organisation_scope(world.a.organisation.pk):
        _member(ours, "Bea")
    with organisation_scope(world.b.organisation.pk):
        _member(theirs, "Fay")
    for _ in range(2):
        for landlord, case, expected in ((world.a, ours, ["Bea"]), (world.b, theirs, ["Fay"])):
            with organisation_scope(landlord.organisation.pk), read_together(_reads(case)):
                assert [name for _, name in _rows(_reads(case)[0])] == expected
                assert connection.rls_state == (str(landlord.organisation.pk), "")  # type: ignore[attr-defined]
        # The other landlord's case under this scope: no rows.
        with organisation_scope(world.a.organisation.pk), read_together(_reads(theirs)):
            assert _rows(_reads(theirs)[0]) == []
    assert set(paths) == {"_send_direct"}


@pytest.mark.skipif(not pipelined, reason="only PostgreSQL reads ahead")
def test_another_execute_wrapper_keeps_the_statements_on_djangos_cursors(world: World, paths: list[str]) -> None:
    case = make_case(world.a, name="Ann Example")
    seen: list[str] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with organisation_scope(world.a.organisation.pk), connection.execute_wrapper(wrapper), read_together(_reads(case)):
        pass
    assert paths == ["_send_through_django"]
    assert len(seen) == 2


def _household_numbered(case_id: UUID, number: str) -> QuerySet[HouseholdMember]:
    """A read the database refuses when ``number`` is not a number."""
    return HouseholdMember.objects.filter(case_id=case_id).annotate(number=Cast(Value(number), IntegerField()))


def _kept(statement_name: str) -> Any:
    """The cursor kept on the connection for a bound read's statement text."""
    kept = bound_module._KeptCursors.existing(connection)
    assert kept is not None
    (sql,) = [statement.sql for (name, *_), statement in bound_module._statements.items() if name == statement_name]
    return kept.cursors[sql]


@pytest.mark.skipif(not pipelined, reason="only PostgreSQL reads ahead")
def test_a_kept_cursor_serves_its_statement_again_and_holds_no_rows_between_blocks(world: World) -> None:
    ours, theirs = make_case(world.a, name="Ann Example"), make_case(world.b, name="Eve Example")
    with organisation_scope(world.a.organisation.pk):
        _member(ours, "Bea")
    with organisation_scope(world.b.organisation.pk):
        _member(theirs, "Fay")
    answers = []
    cursors = []
    for landlord, case in ((world.a, ours), (world.b, theirs), (world.a, ours)):
        with organisation_scope(landlord.organisation.pk), read_together(_reads(case)):
            answers.append([name for _, name in _rows(_reads(case)[0])])
        cursor = _kept("test.household")
        cursors.append(cursor)
        # Emptied once read: no result, no parameters, nothing in the adapter.
        assert (cursor.closed, cursor.pgresult, cursor._query, cursor._tx.pgresult) == (False, None, None, None)
        assert cursor.rowcount == -1
    assert answers == [["Bea"], ["Fay"], ["Bea"]]
    assert cursors[0] is cursors[1] is cursors[2]


@pytest.mark.skipif(not pipelined, reason="only PostgreSQL reads ahead")
def test_one_statement_twice_in_a_block_gets_two_cursors(world: World) -> None:
    first, second = make_case(world.a, name="Ann Example"), make_case(world.a, name="Bob Example")
    with organisation_scope(world.a.organisation.pk):
        _member(first, "Bea")
        _member(second, "Cal")
        reads = [Read("test.household", _household, {"case_id": case.pk}) for case in (first, second)]
        for _ in range(2):
            with read_together(reads):
                assert [[name for _, name in _rows(read)] for read in reads] == [["Bea"], ["Cal"]]


@pytest.mark.skipif(not pipelined, reason="only PostgreSQL reads ahead")
def test_an_error_drops_every_kept_cursor_and_the_next_block_reads_afresh(world: World) -> None:
    case = make_case(world.a, name="Ann Example")
    with organisation_scope(world.a.organisation.pk):
        _member(case, "Bea")
        with read_together(_reads(case)):
            pass
        kept = _kept("test.household")
        broken = Read("test.broken", _household_numbered, {"case_id": case.pk, "number": "not a number"})
        with pytest.raises(DataError, match="integer"), transaction.atomic(), read_together([*_reads(case), broken]):
            pass
        assert kept.closed
        assert bound_module._KeptCursors.existing(connection).cursors == {}  # type: ignore[union-attr]
    with organisation_scope(world.a.organisation.pk), read_together(_reads(case)):
        assert [name for _, name in _rows(_reads(case)[0])] == ["Bea"]
    assert _kept("test.household") is not kept


@pytest.fixture
def usability_checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each separate health check (Django's SELECT 1) made on the connection, with its answer."""
    made: list[bool] = []
    wrapper = connections["default"]
    real = type(wrapper).is_usable

    def spy(self: Any) -> bool:
        made.append(real(self))
        return made[-1]

    monkeypatch.setattr(type(wrapper), "is_usable", spy)
    return made


def _server() -> dict[str, Any]:
    found = connection.settings_dict
    return {
        "dbname": found["NAME"],
        "user": found["USER"],
        "host": found["HOST"],
        "port": found["PORT"] or None,
        "password": found["PASSWORD"] or None,
    }


def _new_request() -> None:
    """What Django does at the start of a request to a connection kept from the last one
    (``CONN_MAX_AGE``, as served): the health check is due again."""
    assert connection.connection is not None
    connection.health_check_done = False  # type: ignore[attr-defined]  # Django's, absent from the stubs


@pytest.mark.skipif(not pipelined, reason="only PostgreSQL reads ahead")
@pytest.mark.django_db(transaction=True)
def test_a_requests_first_block_is_its_connections_health_check(world: World, usability_checks: list[bool]) -> None:
    case = make_case(world.a, name="Ann Example")
    with organisation_scope(world.a.organisation.pk):
        _member(case, "Bea")
        for _ in range(2):
            _new_request()
            with read_together(_reads(case)):
                assert [name for _, name in _rows(_reads(case)[0])] == ["Bea"]
            assert connection.health_check_done is True  # type: ignore[attr-defined]
    assert usability_checks == []  # no separate SELECT 1: the block stood for it


@pytest.mark.skipif(not pipelined, reason="only PostgreSQL reads ahead")
@pytest.mark.django_db(transaction=True)
def test_a_block_on_a_connection_the_database_dropped_is_sent_again_on_a_new_one(
    world: World, usability_checks: list[bool]
) -> None:
    case = make_case(world.a, name="Ann Example")
    with organisation_scope(world.a.organisation.pk):
        _member(case, "Bea")
        with read_together(_reads(case)):
            pass
        dropped = connection.connection.info.backend_pid
        with psycopg.connect(**_server(), autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [dropped])
        _new_request()
        with read_together(_reads(case)):
            assert [name for _, name in _rows(_reads(case)[0])] == ["Bea"]
    assert connection.connection.info.backend_pid != dropped
    assert usability_checks == [False]  # asked only after the block failed
    assert connection.health_check_done is True  # type: ignore[attr-defined]


@pytest.mark.skipif(not pipelined, reason="only PostgreSQL reads ahead")
@pytest.mark.django_db(transaction=True)
def test_an_error_of_the_statement_itself_is_raised_once_not_sent_again(
    world: World, usability_checks: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = make_case(world.a, name="Ann Example")
    sent: list[int] = []
    real = bound_module._send_and_fetch

    def spy(*args: Any) -> Any:
        sent.append(1)
        return real(*args)

    monkeypatch.setattr(bound_module, "_send_and_fetch", spy)
    broken = Read("test.broken", _household_numbered, {"case_id": case.pk, "number": "not a number"})
    with organisation_scope(world.a.organisation.pk):
        _new_request()
        with pytest.raises(DataError, match="integer"), read_together([broken]):
            pass
    assert (sent, usability_checks) == ([1], [True])


@pytest.mark.skipif(not pipelined, reason="only PostgreSQL reads ahead")
@pytest.mark.parametrize("count", [2, 8])
def test_a_blocks_statements_go_to_the_server_together(
    world: World, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    """psycopg's execute() communicates with the server after each statement of a pipeline; the
    block's statements are queued and go together at its sync, however many there are."""
    from psycopg._pipeline_base import BasePipeline

    assert bound_module._QUEUEING  # the pinned psycopg has the steps the queueing takes
    case = make_case(world.a, name="Ann Example")
    communications: list[int] = []
    real = BasePipeline._communicate_gen

    def spy(self: Any) -> Any:
        communications.append(1)
        return (yield from real(self))

    with organisation_scope(world.a.organisation.pk):
        _member(case, "Bea")
        reads = [Read("test.household", _household, {"case_id": case.pk})] + [
            Read("test.notes", _notes, {"case_id": make_case(world.a, name=f"Other {n}").pk}) for n in range(count - 1)
        ]
        with read_together(reads):  # the row-level security setting is sent first, then kept
            pass
        monkeypatch.setattr(BasePipeline, "_communicate_gen", spy)
        with read_together(reads):
            assert [name for _, name in _rows(reads[0])] == ["Bea"]
    assert len(communications) == 1  # the sync's, for every statement of the block
