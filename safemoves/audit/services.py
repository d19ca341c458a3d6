"""Writing to the audit log. Services call :func:`record_event` inside their own transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone

from safemoves.audit.chain import GENESIS_HASH, head_mac, link_hash
from safemoves.audit.models import CASE_OBJECT_TYPE, SYSTEM_CHAIN, AuditChainHead, AuditEvent, chain_for
from safemoves.common.bound import statement_rows
from safemoves.common.requestid import current_request_id
from safemoves.common.rls import wanted_settings
from safemoves.common.scoping import scopes_disabled

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import Field

    from safemoves.accounts.models import User

_HEAD_TABLE = '"audit_auditchainhead"'
_EVENT_TABLE = '"audit_auditevent"'
_HEAD_SQL = f"SELECT seq, hash FROM {_HEAD_TABLE} WHERE chain = %s"  # noqa: S608 - fixed names


def audit_key() -> bytes:
    return str(settings.AUDIT_HMAC_KEY).encode("utf-8")


def event_payload(
    *,
    chain: int,
    seq: int,
    occurred_at: datetime,
    actor_id: int | None,
    organisation_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    fields: list[str],
    reason: str,
    request_id: str,
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "seq": seq,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "organisation": organisation_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "fields": fields,
        "reason": reason,
        "request_id": request_id,
    }
    # The system chain's payload is exactly the pre-ADR-0015 one, so events written before
    # per-organisation chains still verify; every other chain signs its number, so an
    # event moved between chains fails its HMAC.
    if chain != SYSTEM_CHAIN:
        payload["chain"] = chain
    return payload


@dataclass(frozen=True)
class HeadReadAhead:
    """An organisation chain's head (seq, hash; None: no head yet), read moments ago in one round
    trip with another read (:func:`chain_head_read`)."""

    chain: int
    head: tuple[int, str] | None


@dataclass(frozen=True)
class ChainHeadRead:
    """The read of a chain's head, to send in one round trip with another read
    (``common.bound.read_together(..., also=[read.statement])``)."""

    chain: int
    statement: tuple[str, tuple[int]]

    def answer(self, rows: list[tuple[Any, ...]]) -> HeadReadAhead:
        return HeadReadAhead(self.chain, None if not rows else (int(rows[0][0]), str(rows[0][1])))


def chain_head_read(organisation_id: int | None) -> ChainHeadRead | None:
    """The organisation chain's head read, where an audited read appends by moving the head
    from the seq it was read at (PostgreSQL, outside a transaction; ADR 0036): given to
    :func:`record_event` as ``ahead=``, the head read ahead is tried first. It is only a
    guess: the append moves the head only if it is still at that seq and hash, and reads it
    afresh otherwise. None where an event would not use it.
    """
    if not _appends_outside_a_transaction(connections[router.db_for_write(AuditEvent)]):
        return None
    chain = chain_for(organisation_id)
    return ChainHeadRead(chain, (_HEAD_SQL, (chain,)))


def record_event(
    *,
    action: str,
    actor: User | None,
    organisation_id: int | None,
    object_type: str = "",
    object_id: object = "",
    fields: Iterable[str] = (),
    reason: str = "",
    ahead: HeadReadAhead | None = None,
) -> AuditEvent:
    """Append one event to the organisation's chain, in the caller's transaction.

    Only that chain's head row is locked (until the caller commits), so writers of
    different organisations never queue behind each other (ADR 0015).
    ``fields`` names what changed; values never enter the log.

    Outside any transaction on PostgreSQL (an audited read), the event is appended by one
    statement that moves the head only if it is still where it was read, and retried if
    another append moved it first (ADR 0036): two round trips instead of BEGIN, a locking
    read, the append and COMMIT. ``ahead``: the chain's head read moments ago in one round
    trip with another read (:func:`chain_head_read`), tried first.
    """
    chain = chain_for(organisation_id)
    db = connections[router.db_for_write(AuditEvent)]
    # An event may belong to another organisation's log (an offer on its request): the
    # audit service is the one writer allowed to append there, and only metadata goes in.
    # An event of the organisation in scope (every case read) needs no wider scope, and
    # so no change of the database's row-level-security setting and back (ADR 0030).
    scope = wanted_settings()
    in_scope = scope[1] == "all" or (organisation_id is not None and scope == (str(organisation_id), ""))
    details = _Details(
        action=action,
        actor_id=actor.pk if actor is not None else None,
        organisation_id=organisation_id,
        object_type=object_type,
        object_id=str(object_id),
        fields=sorted(set(fields)),
        reason=reason,
        request_id=current_request_id(),
    )
    if _appends_outside_a_transaction(db):
        with nullcontext() if in_scope else scopes_disabled():
            first = ahead.head if ahead is not None and ahead.chain == chain else None
            for attempt in range(_MAX_ATTEMPTS):
                head = first if attempt == 0 and first is not None else _read_head(db, chain)
                if head is None:
                    break  # a new chain: created under its lock below
                event, mac = _link(chain, head, details)
                if _append_if_head_is(db, event, mac, expected_seq=head[0]):
                    return event
            else:
                raise RuntimeError(f"audit chain {chain}: the head kept moving; the event was not appended")
    # No savepoint: an event that fails to append must take the caller's change down with it,
    # and a savepoint would cost two more round trips on every audited write.
    with transaction.atomic(savepoint=False):
        locked = _read_head(db, chain, lock=True)
        if locked is None:
            head_row, _ = AuditChainHead.objects.select_for_update().get_or_create(
                chain=chain,
                defaults={
                    "seq": 0,
                    "hash": GENESIS_HASH,
                    "mac": head_mac(audit_key(), chain=chain, seq=0, last_hash=GENESIS_HASH),
                },
            )
            locked = (head_row.seq, head_row.hash)
        event, mac = _link(chain, locked, details)
        with nullcontext() if in_scope else scopes_disabled():
            if db.vendor == "postgresql":
                _append_and_advance(db, event, mac)
            else:
                event.save()
                AuditChainHead.objects.filter(chain=chain).update(seq=event.seq, hash=event.hash, mac=mac)
        return event


def _appends_outside_a_transaction(db: BaseDatabaseWrapper) -> bool:
    """Whether an event is appended by the one compare-and-swap statement (ADR 0036)."""
    return db.vendor == "postgresql" and not db.in_atomic_block and db.get_autocommit()


# Appends that find the head moved by another append between reading it and moving it, in a
# row, before giving up: each retry means another append succeeded, so this is only a bound.
_MAX_ATTEMPTS = 50


@dataclass(frozen=True)
class _Details:
    """What an event says, apart from its place in the chain."""

    action: str
    actor_id: int | None
    organisation_id: int | None
    object_type: str
    object_id: str
    fields: list[str]
    reason: str
    request_id: str


def _link(chain: int, head: tuple[int, str], details: _Details) -> tuple[AuditEvent, str]:
    """The event that follows ``head`` (its seq and hash) in ``chain``, and the head's new MAC."""
    last_seq, last_hash = head
    seq = last_seq + 1
    occurred_at = timezone.now()
    said = asdict(details)
    payload = event_payload(chain=chain, seq=seq, occurred_at=occurred_at, **said)
    digest = link_hash(audit_key(), last_hash, payload)
    event = AuditEvent(chain=chain, seq=seq, occurred_at=occurred_at, **said, prev_hash=last_hash, hash=digest)
    return event, head_mac(audit_key(), chain=chain, seq=seq, last_hash=digest)


def _read_head(db: BaseDatabaseWrapper, chain: int, *, lock: bool = False) -> tuple[int, str] | None:
    """The chain head's (seq, hash); with ``lock``, its row locked until the caller's
    transaction ends (where the database has row locks)."""
    locking = " FOR UPDATE" if lock and db.features.has_select_for_update else ""
    with db.cursor() as cursor:
        cursor.execute(f"{_HEAD_SQL}{locking}", [chain])
        row = cursor.fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def _event_columns() -> list[tuple[str, Field[Any, Any]]]:
    """(column, field) of every stored field of an event but its generated key."""
    columns = []
    for field in AuditEvent._meta.concrete_fields:
        if not field.primary_key and field.column is not None:
            columns.append((field.column, field))
    return columns


@cache
def _append_sql(quoted_columns: str, count: int, quoted_pk: str) -> str:
    """The one statement that appends an event and moves the head to it (PostgreSQL)."""
    placeholders = ", ".join(["%s"] * count)
    return (
        f"WITH appended AS (INSERT INTO {_EVENT_TABLE} ({quoted_columns}) VALUES ({placeholders}) "  # noqa: S608 - names from the model, values bound
        f"RETURNING {quoted_pk}) "
        f"UPDATE {_HEAD_TABLE} SET seq = %s, hash = %s, mac = %s WHERE chain = %s "
        "RETURNING (SELECT * FROM appended)"
    )


@cache
def _append_if_sql(quoted_columns: str, count: int, quoted_pk: str) -> str:
    """The one statement that moves the head from an expected seq and appends the event, or
    does neither (PostgreSQL; one statement, so atomic without a transaction around it)."""
    placeholders = ", ".join(["%s"] * count)
    return (
        f"WITH moved AS (UPDATE {_HEAD_TABLE} SET seq = %s, hash = %s, mac = %s "  # noqa: S608 - names from the model, values bound
        "WHERE chain = %s AND seq = %s AND hash = %s RETURNING chain) "
        f"INSERT INTO {_EVENT_TABLE} ({quoted_columns}) SELECT {placeholders} FROM moved RETURNING {quoted_pk}"
    )


def _append_if_head_is(db: BaseDatabaseWrapper, event: AuditEvent, mac: str, *, expected_seq: int) -> bool:
    """PostgreSQL, outside a transaction: append ``event`` if the head is still at
    ``expected_seq`` and the hash the event links to; False, with nothing written, if another
    append moved it first (or the head given was never the chain's)."""
    return _run_append(
        db, event, _append_if_sql, before=(event.seq, event.hash, mac, event.chain, expected_seq, event.prev_hash)
    )


def _append_and_advance(db: BaseDatabaseWrapper, event: AuditEvent, mac: str) -> None:
    """PostgreSQL: insert the event and move the locked head to it in one statement."""
    if not _run_append(db, event, _append_sql, after=(event.seq, event.hash, mac, event.chain)):
        # The head locked a moment ago is gone: refuse rather than leave the chain unsealed.
        raise RuntimeError(f"audit chain {event.chain}: head row missing while appending")


def _run_append(
    db: BaseDatabaseWrapper,
    event: AuditEvent,
    statement: Callable[[str, int, str], str],
    *,
    before: tuple[Any, ...] = (),
    after: tuple[Any, ...] = (),
) -> bool:
    """Run one of the append statements with the event's columns between ``before`` and
    ``after``; False if it appended nothing."""
    columns = _event_columns()
    sql = statement(
        ", ".join(db.ops.quote_name(column) for column, _field in columns),
        len(columns),
        db.ops.quote_name(str(AuditEvent._meta.pk.column if AuditEvent._meta.pk else "id")),
    )
    values = [field.get_db_prep_save(getattr(event, field.attname), connection=db) for _column, field in columns]
    rows = statement_rows(db, sql, [*before, *values, *after])
    if not rows:
        return False
    event.pk = rows[0][0]
    event._state.adding = False
    event._state.db = db.alias
    return True


def record_case_event(
    *,
    action: str,
    actor: User | None,
    organisation_id: int,
    case_id: object,
    fields: Iterable[str] = (),
    reason: str = "",
    ahead: HeadReadAhead | None = None,
) -> AuditEvent:
    """Append one event about a case to its organisation's chain, in the caller's transaction.

    The one way a read or write of a case is logged: the event names the case by its id (a
    purged case keeps only that), the fields that changed, never their values.
    """
    return record_event(
        action=action,
        actor=actor,
        organisation_id=organisation_id,
        object_type=CASE_OBJECT_TYPE,
        object_id=case_id,
        fields=fields,
        reason=reason,
        ahead=ahead,
    )
