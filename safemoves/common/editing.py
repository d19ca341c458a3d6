"""Versioned edits, one way (ADR 0029): check the version, refuse a stale save, diff the fields.

A service that edits a versioned row locks it (``select_for_update``) in its own transaction,
then calls :func:`refuse_if_stale` with the version the form was opened at, computes the changed
fields with :func:`field_changes` (an unchanged save changes nothing) and sets them with
:func:`apply_changes`. :class:`EditConflict` says who changed what, and when, without values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

from django.utils import timezone


class Person(Protocol):
    full_name: str


class Change(Protocol):
    """The last audit event of the row: who, when and which fields (never values)."""

    @property
    def actor(self) -> Any: ...  # an audit event's actor (a user or None)

    @property
    def occurred_at(self) -> datetime: ...

    @property
    def fields(self) -> Any: ...  # a list of field names


class Stamped(Protocol):
    @property
    def updated_by(self) -> Any: ...  # a user or None

    @property
    def updated_at(self) -> datetime: ...


class EditConflict(Exception):
    """Someone else saved the record after it was opened; nothing was overwritten."""

    def __init__(self, *, changed_by: Person | None, changed_at: datetime, fields: list[str]) -> None:
        who = changed_by.full_name if changed_by else "Someone"
        when = timezone.localtime(changed_at).strftime("%H:%M on %d %B %Y")
        what = f" ({', '.join(field.replace('_', ' ') for field in fields)})" if fields else ""
        super().__init__(
            f"{who} changed this record at {when}{what} after you opened it. Your changes have not been saved: "
            "check their change, then enter yours again."
        )
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.fields = fields


def refuse_if_stale(
    *,
    current_version: int,
    expected_version: int | None,
    row: Stamped,
    last_change: Callable[[], Change | None] | None = None,
) -> None:
    """Raise :class:`EditConflict` when the locked row's version is not the one the form read.

    ``expected_version=None`` means the caller does not check. The conflict names the last
    change's author, time and fields when ``last_change`` finds one, else the row's own stamp.
    """
    if expected_version is None or current_version == expected_version:
        return
    change = last_change() if last_change is not None else None
    raise EditConflict(
        changed_by=change.actor if change else row.updated_by,
        changed_at=change.occurred_at if change else row.updated_at,
        fields=list(change.fields) if change else [],
    )


def field_changes(instance: object, values: Mapping[str, Any]) -> list[str]:
    """The names of the fields whose new value differs from the instance's, in ``values`` order."""
    return [name for name, value in values.items() if getattr(instance, name) != value]


def apply_changes(instance: object, values: Mapping[str, Any], changed: Iterable[str]) -> None:
    """Set each changed field of the instance to its new value."""
    for name in changed:
        setattr(instance, name, values[name])
