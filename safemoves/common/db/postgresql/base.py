"""PostgreSQL backend that keeps the row-level security settings in step with the scope.

Django's own backend, plus: every query first passes :func:`safemoves.common.rls.sync_scope`,
which sets ``safemoves.organisation`` / ``safemoves.scope`` when django-scopes' state differs
from what this connection last told the database. A rollback (to a savepoint or of the whole
transaction) may undo a ``set_config`` made inside it, so it forgets what was sent.
The role comes from Django's ``OPTIONS["assume_role"]`` (``SET ROLE`` on connect), or from
connecting as the application role directly (ADR 0020).
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base

from safemoves.common.rls import sync_scope


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rls_state: tuple[str, str] | None = None
        self.execute_wrappers.append(sync_scope)

    def connect(self) -> None:
        self.rls_state = None
        super().connect()

    def _rollback(self) -> None:
        super()._rollback()  # type: ignore[misc]  # private, absent from the stubs
        self.rls_state = None

    def _savepoint_rollback(self, sid: str) -> None:
        super()._savepoint_rollback(sid)  # type: ignore[misc]  # private, absent from the stubs
        self.rls_state = None
