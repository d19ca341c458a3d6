"""Statements built once per process: each use binds its values into SQL compiled once (ADR 0033).

``prepared()`` (ADR 0030) keeps a statement's SQL but still builds the queryset and compiles
its WHERE clause on every request: on the case page that building (``filter()``, ``only()``,
``select_related()``, each a queryset copy, then Django's lookup compilation) was more than
half of what each section's query cost. ``bound(name, build, **values)`` builds the queryset
once per process instead, from a *builder*: a module-level function of the values only, which
returns the queryset. Each use takes the kept statement and puts this use's values, and the
organisation scope in force, into its parameters.

How a statement is kept, so that only the values can differ between two uses:

* The builder is called twice under an organisation scope, each time with fresh random
  stand-ins for the values and for the organisation (UUIDs, integers and strings, the only
  types a value may have). Both compilations must give the same SQL text, no stand-in may
  appear in that text, every value must reach a parameter, and each parameter must either be
  a stand-in of the same value in both (a *slot*) or the same constant in both. A parameter
  computed from a value, a value that changes the SQL, and a clock reading all fail that
  comparison; a date or time constant (a builder reading "today") is refused as well. A
  builder must not branch on a value's content: both stand-ins would take the same branch, so
  only verify mode (below) would see a real value take the other.
* The builder must be a plain module-level function: no closure, no defaults, so nothing but
  its arguments reaches it.
* Refused outright: a queryset with ``prefetch_related`` (its further queries would not be
  bound), ``select_for_update`` (Django's transaction check runs at compilation), ``values()``
  dictionaries (``values_list()`` is bound), set operations, and a queryset without an organisation scope where
  one is required (the scoped manager's refusal is left to raise as it would).
* The queryset handed back can be iterated, counted with ``len()`` and tested for truth;
  anything that would copy it (``filter()``, slicing, ``first()``, ``count()``) raises, since
  that would change the statement: put it in the builder.

With ``SAFEMOVES_VERIFY_PREPARED_SQL`` on (the test suite sets it), every use also calls the
builder with the real values under the real scope, compiles it the ordinary way and fails
loudly if the SQL, the parameters or the columns differ from what was bound.

``read_together(reads)`` (ADR 0035) sends the statements of several bound reads in one round
trip (PostgreSQL's pipeline mode): inside the block, the first ``bound()`` call that matches a
read exactly (the same name, builder, scope and values) is answered from the rows fetched for
it; any other call reads as usual. Elsewhere (SQLite) it reads nothing ahead.

Nothing here holds a value: a kept statement is SQL text, its constants (written in the code),
the positions of the slots and Django's description of the columns. Rows read ahead live only
inside one ``read_together`` block, in a context variable of the request that read them.
"""

from __future__ import annotations

import datetime
import re
import secrets
import types
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import psycopg
from django.conf import settings
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import DatabaseError, connections, models
from django.db.models.query import FlatValuesListIterable, ModelIterable, ValuesListIterable
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.constants import GET_ITERATOR_CHUNK_SIZE, MULTI
from django.db.models.sql.query import Query
from django_scopes import get_scope, scope
from django_scopes.manager import DisabledQuerySet
from psycopg._preparing import PrepareManager

from safemoves.common import rls
from safemoves.common.prepared import CompiledStatement, PreparedSQLMismatch, compiled_columns

__all__ = ["BoundStatementRefused", "Read", "bound", "cache_size", "clear_cache", "read_together", "statement_rows"]

_M = TypeVar("_M", bound=models.Model)

# The slot of the organisation scope: not an identifier, so no builder argument can take it.
_ORGANISATION = "organisation scope"
# The other scope states a statement is kept for: scopes disabled, and no scope yet.
_ALL = "all organisations"
_NONE = "no scope"
# Shapes come from code (a name, a builder, the values' names and types), so this is only a cap.
_MAX_ENTRIES = 2_000
_VALUE_TYPES = (uuid.UUID, int, str)
# What a bound queryset may yield: model instances, or values_list() tuples or single values.
_ITERABLES = (ModelIterable, ValuesListIterable, FlatValuesListIterable)
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")


class BoundStatementRefused(TypeError):
    """A builder whose statement cannot be bound safely: a mistake in the code, not in the data."""


class _Unscoped(Exception):
    """The builder read a scoped model where no scope is active."""


class _Statement(CompiledStatement):
    __slots__ = ("alias", "composite", "fields", "iterable_class", "model", "plan", "query", "queryset_class")

    def __init__(self, queryset: models.QuerySet[Any], compiler: SQLCompiler, sql: str, plan: tuple[Any, ...]) -> None:
        super().__init__(compiler, sql)
        # Each parameter: (slot name, as hex) for a value, or (None, constant).
        self.plan = plan
        self.model = queryset.model
        self.alias = queryset.db
        self.queryset_class = type(queryset)
        self.iterable_class = queryset._iterable_class  # QuerySet's own
        self.fields = queryset._fields  # type: ignore[attr-defined]  # set by values_list()
        # Whether the columns include a composite key's pair: Django looks at every column of
        # every read to find out; the columns of a kept statement never change.
        self.composite: bool | None = None
        query = queryset.query
        query.__class__ = _BoundQuery
        self.query = query

    def params(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        bound: list[Any] = []
        for slot, extra in self.plan:
            if slot is None:
                bound.append(extra)
            else:
                value = values[slot]
                bound.append(value.hex if extra else value)
        return tuple(bound)


_statements: dict[tuple[Any, ...], _Statement] = {}
_compiler_classes: dict[type[SQLCompiler], type[SQLCompiler]] = {}
# Rows read ahead by read_together(), by (shape, parameters); each answers one bound() call.
_ReadAhead = dict[tuple[Any, ...], list[tuple[Any, ...]]]
_read_ahead: ContextVar[_ReadAhead | None] = ContextVar("bound_read_ahead", default=None)


@dataclass(frozen=True)
class Read(Generic[_M]):
    """One ``bound()`` read, named once: a page declares it to :func:`read_together` and its
    section runs it with :meth:`queryset`, so the two cannot drift apart."""

    name: str
    build: Callable[..., models.QuerySet[_M]]
    values: Mapping[str, uuid.UUID | int | str] = field(default_factory=dict)

    def queryset(self, *, known: Mapping[str, models.Model] | None = None) -> models.QuerySet[_M]:
        return bound(self.name, self.build, known=known, **self.values)


def _bind(
    name: str, build: Callable[..., models.QuerySet[Any]], values: Mapping[str, Any]
) -> tuple[tuple[Any, ...], _Statement, tuple[Any, ...]] | None:
    """The read's shape, its kept statement and this use's parameters; None where the call must
    be left to the builder (an unusable scope, or a scoped model read outside any scope)."""
    current: dict[str, Any] = get_scope()
    organisation = current.get("organisation")
    if not current.get("_enabled", True):
        state = _ALL  # scopes_disabled(): a deliberate read across organisations
    elif "organisation" in current:
        if type(organisation) is not int:
            return None  # an unusable scope: the scoped managers refuse as they would
        state = _ORGANISATION
    else:
        state = _NONE  # before any scope (the session, the user): only unscoped models can be read
    for key, value in values.items():
        if type(value) not in _VALUE_TYPES:
            raise BoundStatementRefused(f"{name}: {key} is a {type(value).__name__}; bind UUIDs, integers or strings")
    shape = (name, build, state, tuple(sorted((key, type(value)) for key, value in values.items())))
    statement = _statements.get(shape)
    if statement is None:
        try:
            statement = _prepare(name, build, values, state)
        except _Unscoped:
            return None  # a scoped model read outside any scope: its refusal stands
        if len(_statements) < _MAX_ENTRIES:
            _statements[shape] = statement
    slots: dict[str, Any] = dict(values)
    if state == _ORGANISATION:
        slots[_ORGANISATION] = organisation
    return shape, statement, statement.params(slots)


def bound(
    name: str,
    build: Callable[..., models.QuerySet[_M]],
    /,
    *,
    known: Mapping[str, models.Model] | None = None,
    **values: uuid.UUID | int | str,
) -> models.QuerySet[_M]:
    """The queryset ``build(**values)`` returns, from a statement compiled once per process.

    ``name`` names the call site; ``known`` gives rows' foreign keys the instance they point
    to, as a related manager does (``known={"case": case}`` for a case's own rows), so a
    template that follows the key reads no row again.
    """
    kept = _bind(name, build, values)
    if kept is None:
        return build(**values)
    shape, statement, params = kept
    if getattr(settings, "SAFEMOVES_VERIFY_PREPARED_SQL", False):
        _verify(name, build, values, statement, params)
    query = object.__new__(_BoundQuery)
    query.__dict__.update(statement.query.__dict__)
    query.bound = (statement, params)
    read_ahead = _read_ahead.get()
    query.rows = read_ahead.pop((shape, params), None) if read_ahead else None
    queryset: models.QuerySet[_M] = statement.queryset_class(model=statement.model, query=query, using=statement.alias)
    if statement.iterable_class is not ModelIterable:
        queryset._iterable_class = statement.iterable_class  # as values_list() sets
        queryset._fields = statement.fields  # type: ignore[attr-defined]
    if known:
        meta = statement.model._meta
        queryset._known_related_objects = {  # type: ignore[attr-defined]  # what a related manager sets
            meta.get_field(field): {instance.pk: instance} for field, instance in known.items()
        }
    return queryset


@contextmanager
def read_together(
    reads: Iterable[Read[Any]], *, also: Sequence[tuple[str, Sequence[Any]]] = ()
) -> Iterator[list[list[tuple[Any, ...]]] | None]:
    """Send the statements of ``reads`` in one round trip; inside the block, the first ``bound()``
    call matching each read exactly takes its rows instead of reading again.

    ``also``: further statements (SQL and parameters, from code) sent first in the same round
    trip; the block is given their rows, in order, or None where nothing was read ahead (then
    the caller reads them itself). Only with at least one read that can be sent ahead.

    On PostgreSQL the statements go in psycopg's pipeline mode: one network round trip and one
    wait instead of one each, the row-level security settings synced first. They go through
    Django's cursors where anything watches them (a query log, another execute wrapper), and on
    psycopg's cursors otherwise (:func:`_send_direct`). Elsewhere nothing is read ahead.
    Reads are matched by their shape and their parameters, which include the organisation in
    scope, so rows read for one scope or one case can answer no call for another.
    """
    ahead, extra = _read(list(reads), list(also))
    token = _read_ahead.set(ahead)
    try:
        yield extra
    finally:
        _read_ahead.reset(token)


def _read(
    reads: list[Read[Any]], also: list[tuple[str, Sequence[Any]]]
) -> tuple[_ReadAhead | None, list[list[tuple[Any, ...]]] | None]:
    kept = [found for read in reads if (found := _bind(read.name, read.build, read.values)) is not None]
    if not kept:
        return None, None
    connection = connections[kept[0][1].alias]
    if (
        connection.vendor != "postgresql"
        or any(statement.alias != connection.alias for _, statement, _ in kept)
        or not psycopg.Pipeline.is_supported()
    ):
        return None, None
    checking = _checked_by_the_block(connection)
    if not checking:
        connection.close_if_health_check_failed()  # as Django's cursor() does first (CONN_HEALTH_CHECKS)
    connection.ensure_connection()
    statements = [*also, *((statement.sql, params) for _, statement, params in kept)]
    try:
        answer = _send_and_fetch(connection, statements, kept, len(also))
    except DatabaseError:
        if not checking or connection.is_usable():
            raise
        # The connection was dead (the database restarted since its last request): what Django's
        # health check does before a request's first statement, done after it. A new connection,
        # and the block (reads only) sent again on it.
        connection.close()
        connection.ensure_connection()
        answer = _send_and_fetch(connection, statements, kept, len(also))
    if checking:
        connection.health_check_done = True  # type: ignore[attr-defined]  # Django's, absent from the stubs
    return answer


def _checked_by_the_block(connection: Any) -> bool:
    """Whether this block stands for the connection's health check (``CONN_HEALTH_CHECKS``):
    the request's first use of a connection kept from an earlier one, outside any transaction.
    Django checks such a connection with a ``SELECT 1`` before the first statement; a block of
    reads that succeeds proves the same, and one that fails on a dead connection is sent again
    on a new one, so the separate round trip is saved (ADR 0035, addendum)."""
    return (
        connection.health_check_enabled
        and not connection.health_check_done
        and connection.connection is not None
        and not connection.in_atomic_block
        and not getattr(connection, "pool", None)
    )


def _send_and_fetch(
    connection: Any, statements: list[tuple[str, Sequence[Any]]], kept: list[Any], extras: int
) -> tuple[_ReadAhead, list[list[tuple[Any, ...]]]]:
    send = _send_direct if _direct(connection) else _send_through_django
    cursors: list[Any] = []
    done = False
    try:
        send(connection, statements, cursors)
        with connection.wrap_database_errors:
            extra = [cursor.fetchall() for cursor in cursors[:extras]]
            ahead = {
                (shape, params): cursor.fetchall()
                for (shape, _, params), cursor in zip(kept, cursors[extras:], strict=True)
            }
        done = True
        return ahead, extra
    finally:
        _release(connection, cursors, done)


def _direct(connection: Any) -> bool:
    """Whether the statements can go to psycopg's cursors directly: nothing would see them pass
    through Django's (no query log, as a test's CaptureQueriesContext keeps, and no execute
    wrapper but the row-level security one, which :func:`_send_direct` applies itself)."""
    wrappers = connection.execute_wrappers
    return not connection.queries_logged and len(wrappers) == 1 and wrappers[0] is rls.sync_scope


def _send_through_django(connection: Any, statements: list[tuple[str, Sequence[Any]]], cursors: list[Any]) -> None:
    with connection.wrap_database_errors, connection.connection.pipeline():
        for sql, params in statements:
            cursor = connection.cursor()
            cursors.append(cursor)
            cursor.execute(sql, params)


def _send_direct(connection: Any, statements: list[tuple[str, Sequence[Any]]], cursors: list[Any]) -> None:
    """What :func:`_send_through_django` sends, on psycopg's cursors: the checks Django's cursor
    makes before a statement, made once, and the row-level security settings synced once before
    the statements (ADR 0020) rather than checked at each. A Django cursor costs about as much
    Python as a small statement's own execution; a case page sends some twenty (ADR 0039).

    Each statement's text has a cursor kept on the connection (:class:`_KeptCursors`): run
    again with the same text, psycopg keeps its adaptation state (the loader of each column
    type), which a new cursor builds afresh for every statement."""
    connection.validate_thread_sharing()
    connection.validate_no_broken_transaction()
    raw = connection.connection
    kept = _KeptCursors.of(connection)
    with connection.wrap_database_errors, raw.pipeline():
        rls.sync_in_pipeline(connection, [sql for sql, _ in statements])
        for sql, params in statements:
            cursor = kept.take(sql)
            cursors.append(cursor)
            _queue(raw, cursor, sql, params)


def _queue(raw: Any, cursor: Any, sql: str, params: Sequence[Any]) -> None:
    """``cursor.execute(sql, params)`` inside the open pipeline, but left queued: psycopg's
    ``execute()`` communicates with the server after each statement in a pipeline (a wait for
    the socket, a write, a read), so twenty statements made some sixty system calls; queued,
    they go out together when the block syncs (about half of a statement's client CPU, ADR 0035,
    addendum). The steps are ``execute()``'s own, in its order, without its last one (psycopg
    is pinned; :data:`_QUEUEING` falls back to ``execute()`` should they change)."""
    if not _QUEUEING:
        cursor.execute(sql, params)
        return
    with raw.lock:
        raw.wait(_queued(cursor, sql, params))


def _queued(cursor: Any, sql: str, params: Sequence[Any]) -> Any:
    yield from cursor._start_query(sql)
    query = cursor._convert_query(sql, params)
    yield from cursor._maybe_prepare_gen(query, prepare=None, binary=None)
    cursor._last_query = sql
    yield from cursor._conn._prepared.maintain_gen(cursor._conn)


# psycopg's execute() in a pipeline is _start_query, _convert_query, _maybe_prepare_gen, then a
# communication with the server, then the prepared-statement cache's maintenance.
_QUEUEING = all(
    hasattr(psycopg.Cursor, name) for name in ("_start_query", "_convert_query", "_maybe_prepare_gen", "_execute_gen")
) and hasattr(PrepareManager, "maintain_gen")


def statement_rows(connection: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """The rows of one statement from code (SQL text kept by the caller, values bound), on a
    kept cursor when nothing watches Django's cursors, and through them otherwise."""
    rows = _fetch_direct(connection, sql, params)
    if rows is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall() if cursor.description is not None else []
    return rows


def _fetch_direct(connection: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]] | None:
    """One statement's rows on the cursor kept for its text, as Django's cursor would give them:
    Django's checks first (the connection's health check, thread sharing, no broken
    transaction), the row-level security settings synced by the same execute wrapper, database
    errors wrapped as Django's. None where the statements must go through Django's cursors
    (another database, a query log, another execute wrapper)."""
    if connection.vendor != "postgresql" or not _direct(connection):
        return None
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    connection.validate_no_broken_transaction()
    cursor = _KeptCursors.of(connection).take(sql)
    done = False
    try:
        with connection.wrap_database_errors:
            rls.sync_scope(_executor(cursor), sql, params, False, {"connection": connection, "cursor": None})
            rows: list[tuple[Any, ...]] = cursor.fetchall() if cursor.description is not None else []
        done = True
        return rows
    finally:
        _release(connection, [cursor], done)


def _executor(cursor: Any) -> Callable[[str, Sequence[Any], bool, dict[str, Any]], Any]:
    def execute(sql: str, params: Sequence[Any], many: bool, context: dict[str, Any]) -> Any:
        return cursor.execute(sql, params)

    return execute


class _KeptCursors:
    """psycopg cursors kept on one database connection, one per statement text.

    A kept cursor holds nothing between uses: once its rows are fetched its result, the query's
    parameters and the adapter's reference to the result are released (:meth:`release`), so
    only the statement's text and the loaders of its column types stay. A cursor is lent to one
    statement of a block at a time (the same text twice in a block takes a new one for the
    second), and the whole set is dropped on any error, or when Django connects anew."""

    __slots__ = ("cursors", "lent", "raw")
    _ATTRIBUTE = "_safemoves_kept_cursors"
    _MAX = 512  # statement texts come from code: only a cap

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.cursors: dict[str, Any] = {}
        self.lent: set[int] = set()

    @classmethod
    def of(cls, connection: Any) -> _KeptCursors:
        kept: _KeptCursors | None = getattr(connection, cls._ATTRIBUTE, None)
        if kept is None or kept.raw is not connection.connection:
            kept = cls(connection.connection)
            setattr(connection, cls._ATTRIBUTE, kept)
        return kept

    @classmethod
    def existing(cls, connection: Any) -> _KeptCursors | None:
        return getattr(connection, cls._ATTRIBUTE, None)

    def take(self, sql: str) -> Any:
        cursor = self.cursors.get(sql)
        if cursor is not None and not cursor.closed and id(cursor) not in self.lent:
            self.lent.add(id(cursor))
            return cursor
        fresh = self.raw.cursor()  # the connection's cursor class, as Django's cursor() makes
        if (cursor is None and len(self.cursors) < self._MAX) or (cursor is not None and cursor.closed):
            self.cursors[sql] = fresh
            self.lent.add(id(fresh))
        return fresh  # otherwise lent to this block alone, and closed after it

    def release(self, cursor: Any) -> bool:
        """Whether ``cursor`` is kept here: if so, emptied for its next use; otherwise left to
        the caller to close."""
        if id(cursor) not in self.lent:
            return False
        self.lent.discard(id(cursor))
        cursor._reset()  # the results and the query's parameters
        cursor._tx.set_pgresult(None)  # the adapter's reference to the last result
        return True

    def drop(self) -> None:
        for cursor in self.cursors.values():
            cursor.close()
        self.cursors.clear()
        self.lent.clear()


def _release(connection: Any, cursors: list[Any], done: bool) -> None:
    """After a block's rows are fetched: kept cursors emptied, others closed; after an error,
    every kept cursor of the connection dropped too."""
    kept = _KeptCursors.existing(connection)
    for cursor in cursors:
        if not (done and kept is not None and kept.release(cursor)):
            cursor.close()
    if not done and kept is not None:
        kept.drop()


def cache_size() -> int:
    return len(_statements)


def clear_cache() -> None:
    _statements.clear()


def _stand_in(kind: type, taken: set[Any]) -> Any:
    while True:
        if kind is uuid.UUID:
            value: Any = uuid.UUID(int=secrets.randbits(128))
        elif kind is int:
            # Inside a 32-bit column's range (Django answers an out-of-range lookup with no rows,
            # which would change the statement), far above any id a test or a landlord reaches.
            value = 1_000_000_000 + secrets.randbelow(1_000_000_000)
        else:
            value = f"bound-{secrets.token_hex(8)}"
        if value not in taken:
            taken.add(value)
            return value


def _compile(
    name: str, build: Callable[..., models.QuerySet[Any]], values: Mapping[str, Any], state: str
) -> tuple[models.QuerySet[Any], SQLCompiler, str, tuple[Any, ...], dict[str, Any]]:
    taken: set[Any] = set()
    stand_ins = {key: _stand_in(type(value), taken) for key, value in values.items()}
    if state == _ORGANISATION:
        stand_ins[_ORGANISATION] = _stand_in(int, taken)
        with scope(organisation=stand_ins[_ORGANISATION]):
            queryset = build(**{key: stand_ins[key] for key in values})
    else:
        queryset = build(**{key: stand_ins[key] for key in values})
    if state == _NONE and isinstance(queryset, DisabledQuerySet):
        raise _Unscoped
    _check_queryset(name, queryset)
    compiler = queryset.query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except (EmptyResultSet, FullResultSet) as exc:
        raise BoundStatementRefused(f"{name}: the builder's query matches nothing whatever the values") from exc
    return queryset, compiler, sql, tuple(params), stand_ins


def _check_queryset(name: str, queryset: Any) -> None:
    if isinstance(queryset, DisabledQuerySet) or not isinstance(queryset, models.QuerySet):
        raise BoundStatementRefused(f"{name}: the builder must return a scoped queryset")
    query = queryset.query
    problems = [
        ("prefetch_related", bool(queryset._prefetch_related_lookups)),  # type: ignore[attr-defined]
        ("values() or another iterable", queryset._iterable_class not in _ITERABLES),
        ("an evaluated queryset", queryset._result_cache is not None),
        ("a related manager's queryset (pass known=)", bool(queryset._known_related_objects)),  # type: ignore[attr-defined]
        ("select_for_update", bool(query.select_for_update)),
        ("a set operation", bool(query.combinator)),
        ("a prepared() queryset", type(query) is not Query),
    ]
    refused = [problem for problem, present in problems if present]
    if refused:
        raise BoundStatementRefused(f"{name}: cannot bind {', '.join(refused)}")


def _check_builder(name: str, build: Callable[..., Any]) -> None:
    if (
        not isinstance(build, types.FunctionType)
        or build.__closure__
        or build.__defaults__
        or build.__kwdefaults__
        or "<locals>" in build.__qualname__
        or build.__name__ == "<lambda>"
    ):
        raise BoundStatementRefused(f"{name}: the builder must be a module-level function of its values alone")


def _slot(param: Any, stand_ins: Mapping[str, Any]) -> tuple[str, bool] | None:
    for key, stand_in in stand_ins.items():
        if type(param) is type(stand_in) and param == stand_in:
            return key, False
        if isinstance(stand_in, uuid.UUID) and type(param) is str and param == stand_in.hex:
            return key, True  # a backend without a UUID type (SQLite) sends the hex digits
    return None


def _prepare(
    name: str, build: Callable[..., models.QuerySet[Any]], values: Mapping[str, Any], state: str
) -> _Statement:
    _check_builder(name, build)
    queryset, compiler, sql, params, stand_ins = _compile(name, build, values, state)
    _, _, other_sql, other_params, other_stand_ins = _compile(name, build, values, state)
    if sql != other_sql or len(params) != len(other_params):
        raise BoundStatementRefused(f"{name}: the SQL depends on the values; keep them in the WHERE clause")
    for stand_in in (*stand_ins.values(), *other_stand_ins.values()):
        text = stand_in.hex if isinstance(stand_in, uuid.UUID) else str(stand_in)
        if text in sql or str(stand_in) in sql:
            raise BoundStatementRefused(f"{name}: a value is written into the SQL text")
    plan: list[tuple[str | None, Any]] = []
    for param, other in zip(params, other_params, strict=True):
        slot = _slot(param, stand_ins)
        if slot != _slot(other, other_stand_ins):
            raise BoundStatementRefused(f"{name}: a parameter is computed from a value")
        if slot is not None:
            plan.append(slot)
            continue
        if type(param) is not type(other) or param != other:
            raise BoundStatementRefused(f"{name}: a parameter changes between builds (a clock or a computed value)")
        if isinstance(param, datetime.date | datetime.time | datetime.timedelta) or (
            isinstance(param, str) and _DATE_TEXT.match(param)  # a backend that sends dates as text
        ):
            raise BoundStatementRefused(f"{name}: a date or time in the statement would be kept; compute it per use")
        plan.append((None, param))
    unused = set(values) - {slot for slot, _ in plan if slot is not None}
    if unused:
        raise BoundStatementRefused(f"{name}: {', '.join(sorted(unused))} never reaches the statement")
    return _Statement(queryset, compiler, sql, tuple(plan))


def _verify(
    name: str,
    build: Callable[..., models.QuerySet[Any]],
    values: Mapping[str, Any],
    statement: _Statement,
    params: tuple[Any, ...],
) -> None:
    fresh = build(**values)
    compiler = fresh.query.get_compiler(using=fresh.db)
    sql, fresh_params = compiler.as_sql()
    if sql != statement.sql or tuple(fresh_params) != params:
        raise PreparedSQLMismatch(
            f"bound statement {name!r} sent\n{statement.sql}\n{params!r}\n"
            f"but Django compiles\n{sql}\n{tuple(fresh_params)!r}"
        )
    # Column by column, the text and the alias; a column's values (the organisation in a counting
    # subquery) were compared as the statement's parameters above, stand-ins replaced.
    if _column_text(compiled_columns(compiler)) != _column_text(statement.columns()):
        raise PreparedSQLMismatch(f"bound statement {name!r} kept other columns than Django selects")


def _column_text(columns: tuple[Any, ...]) -> tuple[Any, ...]:
    count, select = columns
    return count, tuple((column_sql[0], alias) for column_sql, alias in select)


class _BoundQuery(Query):
    """The query of a kept statement: compiled once, never copied or changed."""

    bound: tuple[_Statement, tuple[Any, ...]]
    rows: list[tuple[Any, ...]] | None  # read ahead by read_together()

    def chain(self, klass: Any = None) -> Any:
        raise BoundStatementRefused("a bound statement cannot be changed; build the whole query in its builder")

    def clone(self) -> Any:
        raise BoundStatementRefused("a bound statement cannot be changed; build the whole query in its builder")

    def get_compiler(self, using: str | None = None, connection: Any = None, elide_empty: bool = True) -> Any:
        compiler = super().get_compiler(using, connection, elide_empty)
        if not hasattr(self, "bound"):
            return compiler  # the kept template itself, compiled while being prepared
        base = type(compiler)
        bound_class = _compiler_classes.get(base)
        if bound_class is None:
            bound_class = type(f"Bound{base.__name__}", (_BoundCompilerMixin, base), {})
            _compiler_classes[base] = bound_class
        compiler.__class__ = bound_class
        return compiler


class _BoundCompilerMixin(SQLCompiler):
    def as_sql(self, with_limits: bool = True, with_col_aliases: bool = False) -> tuple[str, tuple[Any, ...]]:
        statement, params = self.query.bound  # type: ignore[attr-defined]  # set by bound()
        statement.apply_to(self)
        return statement.sql, params

    def execute_sql(  # type: ignore[override]  # one signature for Django's overloads
        self, result_type: str = MULTI, chunked_fetch: bool = False, chunk_size: int = GET_ITERATOR_CHUNK_SIZE
    ) -> Any:
        rows = getattr(self.query, "rows", None)
        statement: _Statement = self.query.bound[0]  # type: ignore[attr-defined]  # set by bound()
        if rows is None and result_type == MULTI and not chunked_fetch:
            rows = _fetch_direct(self.connection, statement.sql, self.query.bound[1])  # type: ignore[attr-defined]
        if rows is None or result_type != MULTI:
            return super().execute_sql(result_type, chunked_fetch, chunk_size)  # type: ignore[call-overload]
        self.query.rows = None  # type: ignore[attr-defined]  # one use, as a cursor's rows
        statement.apply_to(self)
        if self.has_extra_select:
            rows = [row[: self.col_count] for row in rows]
        return [rows]

    def has_composite_fields(self, expressions: Any) -> bool:
        statement: _Statement = self.query.bound[0]  # type: ignore[attr-defined]  # set by bound()
        if statement.composite is None:
            statement.composite = bool(super().has_composite_fields(expressions))
        return statement.composite

    def get_converters(self, expressions: Any) -> Any:
        statement: _Statement = self.query.bound[0]  # type: ignore[attr-defined]  # set by bound()
        return statement.converters_for(
            self.connection, lambda: super(_BoundCompilerMixin, self).get_converters(expressions)
        )
