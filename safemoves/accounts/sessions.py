"""Django's database sessions, with the session row read through a statement built once.

The same table and the same handling of a missing or expired session as
``django.contrib.sessions.backends.db``; every signed-in request reads its session, so the
SELECT is bound once per process (ADR 0033) and reads the row by its key alone. The expiry
condition Django puts in the query is checked here, on the row read, so the statement holds
no clock reading: an expired row is a missing session, as it is to Django.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.utils import timezone

from safemoves.common.bound import Read


def _session(session_key: str) -> QuerySet[Session]:
    return Session.objects.filter(session_key=session_key)


def session_read(session_key: str) -> Read[Session]:
    """The read of the session row with this key: the store's own, so a page that sends it ahead
    (``read_together``, as the staff middleware does with the sign-in's reads) answers it."""
    return Read("sessions.session", _session, {"session_key": session_key})


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        try:
            key = self.session_key
            if self.model is not Session or not isinstance(key, str):
                raise self.model.DoesNotExist  # the store only ever names its own table
            now = timezone.now()
            found = [row for row in session_read(key).queryset() if row.expire_date > now]
            if not found:
                raise self.model.DoesNotExist
            return found[0]
        except (self.model.DoesNotExist, SuspiciousOperation) as error:
            if isinstance(error, SuspiciousOperation):
                logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            self._session_key = None
            return None
