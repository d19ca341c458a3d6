"""PostgreSQL backend that keeps the row-level security settings in step with the scope.

Django's own backend, plus: every query first passes :func:`safemoves.common.rls.sync_scope`,
which sets ``safemoves.organisation`` / ``safemoves.scope`` when django-scopes' state differs
from what this connection last told the database. A rollback (to a savepoint or of the whole
transaction) may undo a ``set_config`` made inside it, so it forgets what was sent.
The role comes from Django's ``OPTIONS["assume_role"]`` (``SET ROLE`` on connect), or from
connecting as the application role directly (ADR 0020).

Times with a time zone are read by psycopg's compiled loader where Django's would read them in
Python (ADR 0039): Django registers a subclass of psycopg's pure-Python ``timestamptz`` loader
to give each value the connection's time zone, and so every such column of every row was
parsed by Python code (about 4 microseconds a value) even with psycopg's C extension
installed. When the connection's time zone is UTC (``USE_TZ`` on, no database ``TIME_ZONE``:
this product's settings), the compiled loader already gives ``datetime.timezone.utc``, the
value Django's loader gives; any other offset it might give is converted to UTC, never relabelled.
"""

from __future__ import annotations

import datetime
from typing import Any

import psycopg
from django.db.backends.postgresql import base
from psycopg.abc import AdaptContext
from psycopg.adapt import Loader
from psycopg.pq import Format

from safemoves.common.rls import sync_scope

_UTC = datetime.UTC
# psycopg's own loader of the type: the compiled one when psycopg's C extension is installed.
_COMPILED_TIMESTAMPTZ = psycopg.adapters.get_loader(base.TIMESTAMPTZ_OID, Format.TEXT)


class UTCTimestamptzLoader(Loader):
    """``timestamptz`` as Django's loader gives it on a UTC connection, parsed by psycopg's
    own (compiled) loader. ``timezone`` is what Django's ``create_cursor`` compares."""

    timezone = _UTC

    def __init__(self, oid: int, context: AdaptContext | None = None) -> None:
        super().__init__(oid, context)
        if _COMPILED_TIMESTAMPTZ is None:  # psycopg registers one; never reached
            raise LookupError("psycopg has no timestamptz loader")
        self._parse = _COMPILED_TIMESTAMPTZ(oid, context).load

    def load(self, data: Any) -> datetime.datetime:
        value: datetime.datetime = self._parse(data)
        return value if value.tzinfo is _UTC else value.astimezone(_UTC)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rls_state: tuple[str, str] | None = None
        self.execute_wrappers.append(sync_scope)

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        if self.timezone is _UTC:
            # A map of this connection's own over Django's shared template, with the loader above.
            context = psycopg.adapt.AdaptersMap(params["context"])
            context.register_loader(base.TIMESTAMPTZ_OID, UTCTimestamptzLoader)
            params["context"] = context
        return params

    def connect(self) -> None:
        self.rls_state = None
        super().connect()

    def _rollback(self) -> None:
        super()._rollback()  # type: ignore[misc]  # private, absent from the stubs
        self.rls_state = None

    def _savepoint_rollback(self, sid: str) -> None:
        super()._savepoint_rollback(sid)  # type: ignore[misc]  # private, absent from the stubs
        self.rls_state = None
