"""Django's database sessions, with the session row read through a prepared query.

The same table, the same expiry condition and the same handling of a missing or expired
session as ``django.contrib.sessions.backends.db``; only the SELECT is built once per process
(ADR 0030), as every signed-in request reads its session.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from safemoves.common.prepared import prepared


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        try:
            return prepared(
                self.model.objects.filter(session_key=self.session_key, expire_date__gt=timezone.now()),
                "sessions.session",
            ).get()
        except (self.model.DoesNotExist, SuspiciousOperation) as error:
            if isinstance(error, SuspiciousOperation):
                logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            self._session_key = None
            return None
