"""Queries whose SQL is built once per process: only the WHERE clause is compiled per request.

Django compiles a queryset into SQL afresh on every evaluation: the select list, the joins of
``select_related``, the ordering, the column converters. On the case page that work was about
40 % of the request's CPU (ADR 0030, ``python -m bench profile``), although a page's panels run
the same queries every time with different values.

``prepared(queryset, name)`` marks a queryset built the same way at one call site. When it is
evaluated, its WHERE clause is compiled as usual (so every value, and every condition that
depends on the caller, comes from Django's own code), and the rest of the statement is taken
from the first compilation of the same shape in this process. The shape is the name, the
database, the WHERE clause's SQL text and every other part of the query that changes the SQL
(slicing, ordering, columns, ``select_related``, annotations, locking, distinct): two
querysets whose shapes are equal have the same SQL apart from the WHERE values. A statement is
kept only when every one of its parameters comes from the WHERE clause, so nothing but those
values can differ between two uses.

With the setting ``SAFEMOVES_VERIFY_PREPARED_SQL`` on (the test suite sets it), every reuse
also compiles the query the ordinary way and fails loudly if the SQL or the parameters differ;
so every test that reaches a prepared query checks the reuse is exact.

Nothing here holds a value: the cache keeps SQL text and Django's description of the columns,
never a row, a parameter or anything from the request.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import models
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.query import Query

__all__ = ["CompiledStatement", "PreparedSQLMismatch", "cache_size", "clear_cache", "compiled_columns", "prepared"]

_M = TypeVar("_M", bound=models.Model)

# One entry per query shape; shapes come from code, not data, but an IN list's length is part
# of its WHERE text, so the number of shapes is capped rather than trusted.
_MAX_ENTRIES = 4_000
# A call site whose shapes keep changing (say, an expression compared by object identity) would
# never reuse a statement; it stops being kept after this many, so it cannot crowd out the rest.
_MAX_PER_NAME = 64
# OFFSET is part of the SQL text, so each page of a list is its own shape: the first pages are
# kept, deeper pages compile as usual rather than filling the cache one page at a time.
_MAX_OFFSET = 100


class PreparedSQLMismatch(AssertionError):
    """A reused statement differed from a fresh compilation (raised only in verify mode)."""


class CompiledStatement:
    """A statement's SQL and Django's description of its columns, as a compiler left them."""

    __slots__ = ("annotation_col_map", "col_count", "converters", "has_extra_select", "klass_info", "select", "sql")

    def __init__(self, compiler: SQLCompiler, sql: str) -> None:
        self.sql = sql
        self.select = compiler.select
        self.klass_info = compiler.klass_info
        self.annotation_col_map = compiler.annotation_col_map
        self.col_count = compiler.col_count
        self.has_extra_select = compiler.has_extra_select
        # The column converters, built for one connection (they are its operations' methods):
        # (a weak reference to that connection, the converters), replaced as one value.
        self.converters: tuple[weakref.ref[Any], dict[int, Any]] | None = None

    def apply_to(self, compiler: SQLCompiler) -> None:
        """Leave ``compiler`` as compiling this statement would have (what iterating rows reads)."""
        compiler.select = self.select
        compiler.klass_info = self.klass_info
        compiler.annotation_col_map = self.annotation_col_map
        compiler.col_count = self.col_count
        compiler.has_extra_select = self.has_extra_select

    def columns(self) -> tuple[Any, ...]:
        """The compiled select list, as :func:`compiled_columns` reads a compiler's."""
        return (self.col_count, tuple((column_sql, alias) for _, column_sql, alias in self.select))

    def converters_for(self, connection: Any, build: Callable[[], Any]) -> Any:
        """The column converters: ``build()``'s, kept for one connection and reused with it."""
        kept = self.converters
        if kept is not None and kept[0]() is connection:
            return kept[1]
        converters = build()
        self.converters = (weakref.ref(connection), converters)
        return converters


_statements: dict[tuple[Any, ...], CompiledStatement] = {}
_kept_per_name: dict[str, int] = {}
_compiler_classes: dict[type[SQLCompiler], type[SQLCompiler]] = {}


def prepared(queryset: models.QuerySet[_M], name: str) -> models.QuerySet[_M]:
    """A copy of ``queryset`` whose SQL, apart from its WHERE clause, is compiled once per process.

    ``name`` identifies the call site. Further chaining (slicing, ``first()``, ``count()``) keeps
    the marking; each different shape gets its own statement.
    """
    chained = queryset._chain()  # type: ignore[attr-defined]  # QuerySet's own copy, as filter() makes
    query = chained.query
    if type(query) is Query:
        query.__class__ = PreparedQuery
    query.prepared_name = name
    return chained  # type: ignore[no-any-return]


def cache_size() -> int:
    return len(_statements)


def clear_cache() -> None:
    _statements.clear()
    _kept_per_name.clear()


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, set | frozenset):
        return frozenset(value)
    return value


class PreparedQuery(Query):
    """A ``Query`` whose row-returning compiler reuses the statement of an equal shape."""

    prepared_name: str

    def get_compiler(self, using: str | None = None, connection: Any = None, elide_empty: bool = True) -> Any:
        compiler = super().get_compiler(using, connection, elide_empty)
        if self.compiler != "SQLCompiler":  # only row-returning SELECTs are prepared
            return compiler
        base = type(compiler)
        prepared_class = _compiler_classes.get(base)
        if prepared_class is None:
            prepared_class = type(f"Prepared{base.__name__}", (_PreparedCompilerMixin, base), {"_base": base})
            _compiler_classes[base] = prepared_class
        compiler.__class__ = prepared_class
        return compiler


def compiled_columns(compiler: SQLCompiler) -> tuple[Any, ...]:
    """The compiled select list: what the rows' columns are, for verify mode's comparison."""
    return (compiler.col_count, tuple((column_sql, alias) for _, column_sql, alias in compiler.select))


class _PreparedCompilerMixin(SQLCompiler):
    _base: type[SQLCompiler]

    def _shape(self, where_sql: str) -> tuple[Any, ...]:
        query = self.query
        return (
            query.prepared_name,  # type: ignore[attr-defined]  # set by prepared()
            self.connection.alias,
            self._base,
            where_sql,
            query.model,
            query.low_mark,
            query.high_mark,
            query.default_cols,
            tuple(query.select),
            tuple(query.annotation_select.items()),
            tuple((alias, sql, tuple(params)) for alias, (sql, params) in query.extra_select.items()),
            tuple(query.extra_tables),
            query.values_select,
            query.distinct,
            query.distinct_fields,
            query.select_for_update,
            query.select_for_update_nowait,
            query.select_for_update_skip_locked,
            query.select_for_update_of,
            query.select_for_no_key_update,
            query.order_by,
            query.extra_order_by,
            query.default_ordering,
            query.standard_ordering,
            _frozen(query.deferred_loading[0]),
            query.deferred_loading[1],
            _frozen(query.select_related),
            query.max_depth,
            tuple(getattr(query, "_filtered_relations", ())),
            query.group_by,
            query.combinator,
            query.subquery,
            getattr(self, "elide_empty", True),
        )

    def as_sql(self, with_limits: bool = True, with_col_aliases: bool = False) -> tuple[str, tuple[Any, ...]]:
        query = self.query
        if not with_limits or with_col_aliases or query.combinator or query.subquery or query.low_mark > _MAX_OFFSET:
            return super().as_sql(with_limits, with_col_aliases)
        try:
            where_sql, where_params = self.compile(query.where)  # type: ignore[arg-type]  # a WhereNode compiles like an expression
        except (EmptyResultSet, FullResultSet):
            return super().as_sql(with_limits, with_col_aliases)
        shape = self._shape(where_sql)
        entry = _statements.get(shape)
        if entry is None:
            sql, params = super().as_sql(with_limits, with_col_aliases)
            state: Any = self  # ``having`` and ``qualify`` are set by pre_sql_setup, untyped in the stubs
            if (
                state.having is None
                and state.qualify is None
                and tuple(params) == tuple(where_params)
                and sql.count(where_sql) == 1
                and len(_statements) < _MAX_ENTRIES
                and _kept_per_name.get(shape[0], 0) < _MAX_PER_NAME
            ):
                _statements[shape] = CompiledStatement(self, sql)
                _kept_per_name[shape[0]] = _kept_per_name.get(shape[0], 0) + 1
            return sql, tuple(params)
        if getattr(settings, "SAFEMOVES_VERIFY_PREPARED_SQL", False):
            self._verify(entry, tuple(where_params))
        entry.apply_to(self)
        reused: Any = self
        reused.where, reused.having, reused.qualify = query.where, None, None
        reused._prepared_entry = entry
        return entry.sql, tuple(where_params)

    def get_converters(self, expressions: Any) -> Any:
        entry: CompiledStatement | None = getattr(self, "_prepared_entry", None)
        if entry is None or len(expressions) != entry.col_count:
            return super().get_converters(expressions)
        if any(expression is not column[0] for expression, column in zip(expressions, entry.select, strict=False)):
            return super().get_converters(expressions)  # not the kept select list (an aggregation)
        return entry.converters_for(
            self.connection, lambda: super(_PreparedCompilerMixin, self).get_converters(expressions)
        )

    def _verify(self, entry: CompiledStatement, params: tuple[Any, ...]) -> None:
        fresh = self._base(self.query, self.connection, self.using, getattr(self, "elide_empty", True))
        sql, fresh_params = fresh.as_sql()
        if sql != entry.sql or tuple(fresh_params) != params:
            raise PreparedSQLMismatch(
                f"prepared query {self.query.prepared_name!r} reused\n{entry.sql}\n{params!r}\n"  # type: ignore[attr-defined]
                f"but Django compiles\n{sql}\n{tuple(fresh_params)!r}"
            )
        if compiled_columns(fresh) != entry.columns():
            raise PreparedSQLMismatch(f"prepared query {self.query.prepared_name!r} reused another shape's columns")  # type: ignore[attr-defined]
