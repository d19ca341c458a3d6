from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from safemoves.audit import services as audit_services
from safemoves.audit import triggers
from safemoves.audit.chain import head_mac
from safemoves.audit.models import AppendOnlyError, AuditChainHead, AuditEvent
from safemoves.audit.services import record_event
from safemoves.audit.verify import verify_chain
from safemoves.common.scoping import scopes_disabled
from tests.conftest import as_table_owner

pytestmark = pytest.mark.django_db(transaction=True)


def _log(count: int = 5, organisation_id: int | None = None) -> list[AuditEvent]:
    with transaction.atomic():
        return [
            record_event(
                action="test.event", actor=None, organisation_id=organisation_id, object_type="thing", object_id=i
            )
            for i in range(1, count + 1)
        ]


@contextmanager
def attacker_with_database_access() -> Iterator[None]:
    """Someone who can drop the append-only triggers, as a DBA or an intruder could (on
    PostgreSQL that is the tables' owner, not the application role)."""
    with as_table_owner(connection):
        triggers.remove(connection)
        try:
            yield
        finally:
            triggers.install(connection)


def _problems() -> list[str]:
    _, problems = verify_chain()
    return [problem.kind for problem in problems]


def test_intact_chain_verifies() -> None:
    _log()
    counted, problems = verify_chain()
    assert (counted, problems) == (5, [])
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().strip() == "audit chain intact: 5 events verified."


def test_links_carry_sequence_and_previous_hash() -> None:
    events = _log(3)
    assert [event.seq for event in events] == [1, 2, 3]
    assert events[0].prev_hash == "0" * 64
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash


def test_model_refuses_update_and_delete() -> None:
    event = _log(1)[0]
    event.reason = "edited"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_database_refuses_raw_update_and_delete() -> None:
    _log(1)
    # Every organisation's rows in sight (row-level security would otherwise hide them all and
    # the statements would touch nothing): the triggers, not the policy, must refuse them.
    with scopes_disabled():
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET reason = 'edited'")
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent")


def test_altered_row_is_reported() -> None:
    _log()
    with attacker_with_database_access(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_id = '99' WHERE seq = 3")
    assert _problems() == ["altered"]
    with pytest.raises(CommandError, match="1 problem"):
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())


def test_deleted_row_is_reported() -> None:
    _log()
    with attacker_with_database_access(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 3")
    assert _problems() == ["missing", "broken link"]


def test_inserted_row_is_reported() -> None:
    events = _log()
    with attacker_with_database_access(), connection.cursor() as cursor:
        # Make room after #2 and forge an event that claims the right previous hash.
        for seq in (5, 4, 3):
            cursor.execute("UPDATE audit_auditevent SET seq = %s WHERE seq = %s", [seq + 1, seq])
        cursor.execute(
            "INSERT INTO audit_auditevent (seq, occurred_at, action, object_type, object_id, fields, reason,"
            " request_id, prev_hash, hash) VALUES (3, %s, 'test.event', 'thing', '42', '[]', '', '', %s, %s)",
            [events[2].occurred_at, events[1].hash, "f" * 64],
        )
    # The forged row fails its HMAC; every renumbered row after it fails too, and the
    # chain is now longer than the head remembers.
    assert _problems() == ["altered", "broken link", "altered", "altered", "altered", "extra events"]


def test_reordered_rows_are_reported() -> None:
    _log()
    with attacker_with_database_access(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET seq = 100 WHERE seq = 2")
        cursor.execute("UPDATE audit_auditevent SET seq = 2 WHERE seq = 3")
        cursor.execute("UPDATE audit_auditevent SET seq = 3 WHERE seq = 100")
    assert _problems() == ["broken link", "altered", "broken link", "altered", "broken link"]


def test_truncated_tail_is_reported() -> None:
    _log()
    with attacker_with_database_access(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE seq = 5")
    assert _problems() == ["truncated"]


def test_forged_chain_without_the_key_is_reported(settings: object) -> None:
    _log(2)
    with scopes_disabled():
        assert AuditEvent.objects.count() == 2
    settings.AUDIT_HMAC_KEY = "a-different-key"  # type: ignore[attr-defined]
    # The head is sealed with the key too (ADR 0015).
    assert _problems() == ["altered", "altered", "head altered"]


def test_each_organisation_has_its_own_chain() -> None:
    system = _log(2)
    first = _log(3, organisation_id=7)
    second = _log(2, organisation_id=8)
    assert [(event.chain, event.seq) for event in system + first + second] == [
        (0, 1), (0, 2), (7, 1), (7, 2), (7, 3), (8, 1), (8, 2),
    ]  # fmt: skip
    assert first[0].prev_hash == "0" * 64
    assert first[1].prev_hash == first[0].hash
    with scopes_disabled():
        heads = {head.chain: (head.seq, head.hash) for head in AuditChainHead.objects.all()}
    assert heads == {0: (2, system[1].hash), 7: (3, first[2].hash), 8: (2, second[1].hash)}
    assert verify_chain() == (7, [])


def _try_lock_from_another_connection(chain: int) -> str:
    """Try to take a chain's head lock from a second connection without waiting."""
    outcome: list[str] = []

    def attempt() -> None:
        from django.db import connections

        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT chain FROM audit_auditchainhead WHERE chain = %s FOR UPDATE NOWAIT", [chain])
                outcome.append("locked")
        except OperationalError:
            outcome.append("busy")
        finally:
            connections.close_all()

    worker = threading.Thread(target=attempt)
    worker.start()
    worker.join()
    return outcome[0]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite has no row locks; it serialises writers")
def test_appending_locks_only_the_organisations_own_head() -> None:
    _log(1, organisation_id=7)
    _log(1, organisation_id=8)
    with transaction.atomic():
        record_event(action="test.event", actor=None, organisation_id=8)
        assert _try_lock_from_another_connection(8) == "busy"
        assert _try_lock_from_another_connection(7) == "locked"


def test_problems_name_the_chain() -> None:
    _log(3, organisation_id=7)
    _log(3, organisation_id=8)
    with attacker_with_database_access(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_id = '99' WHERE chain = 8 AND seq = 2")
    _, problems = verify_chain()
    assert [str(problem) for problem in problems] == ["chain 8 #2: altered (content does not match its hash)"]


def test_event_moved_to_another_chain_is_reported() -> None:
    _log(2, organisation_id=7)
    _log(2, organisation_id=8)
    with attacker_with_database_access(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET chain = 8, seq = 3 WHERE chain = 7 AND seq = 2")
    _, problems = verify_chain()
    assert [(problem.chain, problem.kind) for problem in problems] == [
        (7, "truncated"),
        (8, "broken link"),
        (8, "altered"),
        (8, "extra events"),
    ]


def test_truncated_tail_with_rewound_head_is_reported() -> None:
    events = _log(5, organisation_id=7)
    with attacker_with_database_access(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE chain = 7 AND seq > 3")
        # The attacker can read the third event's hash and count, but not sign them.
        cursor.execute(
            "UPDATE audit_auditchainhead SET seq = 3, hash = %s WHERE chain = 7",
            [events[2].hash],
        )
    _, problems = verify_chain()
    assert [(problem.chain, problem.seq, problem.kind) for problem in problems] == [(7, 3, "head altered")]


def test_rewound_head_signed_with_another_key_is_reported() -> None:
    events = _log(4, organisation_id=7)
    forged = head_mac(b"a-guessed-key", chain=7, seq=2, last_hash=events[1].hash)
    with attacker_with_database_access(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE chain = 7 AND seq > 2")
        cursor.execute(
            "UPDATE audit_auditchainhead SET seq = 2, hash = %s, mac = %s WHERE chain = 7", [events[1].hash, forged]
        )
    assert _problems() == ["head altered"]


def test_head_copied_from_another_chain_is_reported() -> None:
    _log(3, organisation_id=7)
    _log(3, organisation_id=8)
    with attacker_with_database_access(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE chain = 7 AND seq = 3")
        cursor.execute(
            "UPDATE audit_auditchainhead SET seq = 2, hash = (SELECT hash FROM audit_auditevent"
            " WHERE chain = 7 AND seq = 2), mac = (SELECT mac FROM audit_auditchainhead WHERE chain = 8)"
            " WHERE chain = 7"
        )
    assert _problems() == ["head altered"]


def test_deleted_head_is_reported() -> None:
    _log(2, organisation_id=7)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditchainhead WHERE chain = 7")
    _, problems = verify_chain()
    assert [(problem.chain, problem.kind) for problem in problems] == [(7, "head missing")]


# Outside a transaction on PostgreSQL an event is appended by one statement that moves the head
# only from where it was read (ADR 0036). These tests run outside any transaction, as a read does.
postgresql_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the one-statement append is PostgreSQL's"
)


@postgresql_only
def test_an_append_outside_a_transaction_is_one_statement_after_reading_the_head() -> None:
    _log(1, organisation_id=7)  # the chain exists
    assert not connection.in_atomic_block
    with CaptureQueriesContext(connection) as sent:
        event = record_event(action="test.event", actor=None, organisation_id=7, object_type="thing", object_id=2)
    statements = [query["sql"].split()[0] for query in sent.captured_queries]
    assert statements == ["SELECT", "WITH"]  # no BEGIN, no lock, no COMMIT
    assert (event.chain, event.seq) == (7, 2)
    assert verify_chain() == (2, [])


@postgresql_only
def test_an_append_that_finds_the_head_moved_reads_it_again(monkeypatch: pytest.MonkeyPatch) -> None:
    _log(2, organisation_id=7)
    real = audit_services._read_head
    reads: list[tuple[int, str] | None] = []

    def stale_once(db: Any, chain: int, **options: Any) -> tuple[int, str] | None:
        head = real(db, chain, **options)
        if not reads and head is not None:
            head = (head[0] - 1, "f" * 64)  # as if another append moved it after we read it
        reads.append(head)
        return head

    monkeypatch.setattr(audit_services, "_read_head", stale_once)
    event = record_event(action="test.event", actor=None, organisation_id=7)
    assert [head[0] if head else None for head in reads] == [1, 2]  # the stale head, then the real one
    assert (event.chain, event.seq) == (7, 3)
    assert verify_chain() == (3, [])


@postgresql_only
def test_concurrent_appends_outside_transactions_all_land_in_one_unbroken_chain() -> None:
    _log(1, organisation_id=7)
    errors: list[BaseException] = []

    def append(count: int) -> None:
        from django.db import connections

        try:
            for number in range(count):
                record_event(action="test.event", actor=None, organisation_id=7, object_id=number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=append, args=(25,)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    with scopes_disabled():
        seqs = sorted(AuditEvent.objects.filter(chain=7).values_list("seq", flat=True))
    assert seqs == list(range(1, 102))
    assert verify_chain() == (101, [])


@postgresql_only
def test_a_head_read_ahead_is_tried_first_and_saves_the_read() -> None:
    """ADR 0036, addendum: a head read in one round trip with another read is the first guess."""
    _log(2, organisation_id=7)
    read = audit_services.chain_head_read(7)
    assert read is not None
    with connection.cursor() as cursor:
        cursor.execute(*read.statement)
        ahead = read.answer(cursor.fetchall())
    assert ahead.head is not None
    assert (ahead.chain, ahead.head[0]) == (7, 2)
    with CaptureQueriesContext(connection) as sent:
        event = record_event(action="test.event", actor=None, organisation_id=7, ahead=ahead)
    assert [query["sql"].split()[0] for query in sent.captured_queries] == ["WITH"]  # the append alone
    assert (event.chain, event.seq) == (7, 3)
    assert verify_chain() == (3, [])


@postgresql_only
def test_a_stale_or_forged_head_read_ahead_cannot_break_the_chain() -> None:
    _log(3, organisation_id=7)
    for seq, guess in enumerate(((2, "f" * 64), (4, "f" * 64), (99, "0" * 64)), start=4):
        # An older head, the head's seq with a hash it never had, a head that never was: the
        # append moves the head only from where it is, and the event links to the real last hash.
        stale = audit_services.HeadReadAhead(chain=7, head=guess)
        event = record_event(action="test.event", actor=None, organisation_id=7, ahead=stale)
        assert (event.chain, event.seq) == (7, seq)
        assert event.prev_hash != "f" * 64
    assert verify_chain() == (6, [])


@postgresql_only
def test_a_head_read_ahead_of_another_chain_is_not_used() -> None:
    _log(2, organisation_id=7)
    _log(1, organisation_id=8)
    other = audit_services.HeadReadAhead(chain=8, head=(1, "f" * 64))
    with CaptureQueriesContext(connection) as sent:
        event = record_event(action="test.event", actor=None, organisation_id=7, ahead=other)
    assert [query["sql"].split()[0] for query in sent.captured_queries] == ["SELECT", "WITH"]
    assert (event.chain, event.seq) == (7, 3)
    assert verify_chain() == (4, [])


def test_no_head_is_read_ahead_inside_a_transaction() -> None:
    with transaction.atomic():
        assert audit_services.chain_head_read(7) is None


@postgresql_only
def test_a_case_read_sends_the_chain_head_with_the_case(world: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from safemoves.audit.models import chain_for
    from safemoves.cases import selectors
    from safemoves.common import bound as bound_module
    from safemoves.common.scoping import organisation_scope
    from safemoves.organisations.models import Role
    from tests.cases.factories import make_case

    organisation_id = world.a.organisation.pk
    case = make_case(world.a)
    with scopes_disabled():
        membership = world.a[Role.MANAGER].membership
    sent: list[list[tuple[str, Any]]] = []
    real = bound_module._read

    def spy(reads: list[Any], also: list[tuple[str, Any]]) -> Any:
        sent.append(list(also))
        return real(reads, also)

    monkeypatch.setattr(bound_module, "_read", spy)
    with organisation_scope(organisation_id), CaptureQueriesContext(connection) as queries:
        assert selectors.get_case(membership, case.pk) == case
    head_sql = 'SELECT seq, hash FROM "audit_auditchainhead" WHERE chain = %s'
    assert sent == [[(head_sql, (chain_for(organisation_id),))]]
    assert sum('"audit_auditchainhead"' in query["sql"] and query["sql"].startswith("SELECT") for query in queries) == 1
    with scopes_disabled():
        viewed = AuditEvent.objects.filter(action="case.viewed", object_id=str(case.pk)).count()
    assert viewed == 1
    assert verify_chain()[1] == []
