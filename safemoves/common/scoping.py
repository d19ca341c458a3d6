"""Organisation scoping of domain queries.

Every domain model's default manager is an :class:`OrganisationScopedManager`;
a query on one raises ``django_scopes.ScopeError`` unless an organisation scope
is active (see ADR 0001). The request middleware activates the acting user's
scope; commands and public intake pages activate one explicitly with
:func:`organisation_scope`. The manager shares django-scopes' state, so
``scopes_disabled()`` marks the few deliberate cross-organisation reads.

Unlike ``django_scopes.ScopedManager``, a scope of ``None`` is an error here
rather than "every organisation".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import models
from django_scopes import ScopeError, get_scope, scope, scopes_disabled
from django_scopes.manager import DisabledQuerySet

__all__ = ["OrganisationScopedManager", "ScopeError", "organisation_scope", "scopes_disabled"]

_M = TypeVar("_M", bound=models.Model)


class OrganisationScopedManager(models.Manager[_M]):
    """Default manager that filters by the active organisation scope, or refuses to query."""

    def __init__(self, field: str = "organisation") -> None:
        super().__init__()
        self.scope_field = field

    def get_queryset(self) -> models.QuerySet[_M]:
        current: dict[str, Any] = get_scope()
        if not current.get("_enabled", True):
            return super().get_queryset()
        if "organisation" not in current:
            disabled: models.QuerySet[_M] = DisabledQuerySet(
                self.model, using=self._db, missing_scopes={"organisation"}
            )
            return disabled
        organisation_id = current["organisation"]
        if organisation_id is None:
            raise ScopeError("The organisation scope is None; use scopes_disabled() for a deliberate global read.")
        return super().get_queryset().filter(**{self.scope_field: organisation_id})

    def all(self) -> models.QuerySet[_M]:
        # DisabledQuerySet raises on .all(); Manager.all() alone would hand it back silently.
        return self.get_queryset().all()


@contextmanager
def organisation_scope(organisation_id: int) -> Iterator[None]:
    if not isinstance(organisation_id, int) or isinstance(organisation_id, bool):
        raise TypeError("organisation_scope needs an organisation id (int)")
    with scope(organisation=organisation_id):
        yield
