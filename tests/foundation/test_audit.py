from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from safemoves.audit import triggers
from safemoves.audit.models import AppendOnlyError, AuditEvent
from safemoves.audit.services import record_event
from safemoves.audit.verify import verify_chain
from safemoves.common.scoping import scopes_disabled

pytestmark = pytest.mark.django_db(transaction=True)


def _log(count: int = 5) -> list[AuditEvent]:
    with transaction.atomic():
        return [
            record_event(action="test.event", actor=None, organisation_id=None, object_type="thing", object_id=i)
            for i in range(1, count + 1)
        ]


@contextmanager
def attacker_with_database_access() -> Iterator[None]:
    """Someone who can drop the append-only triggers, as a DBA or an intruder could."""
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
    assert _problems() == ["altered", "altered"]
