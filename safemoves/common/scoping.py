"""Organisation scoping of domain queries.

Every domain model uses :func:`OrganisationScopedManager`; a query on one
raises ``django_scopes.ScopeError`` unless an organisation scope is active
(see ADR 0001). The request middleware activates the acting user's scope;
commands and public intake pages activate one explicitly with
:func:`organisation_scope`. ``django_scopes.scope(organisation=None)`` would
silently mean "every organisation", so code here never passes ``None``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models
from django_scopes import ScopedManager, scope, scopes_disabled

__all__ = ["OrganisationScopedManager", "organisation_scope", "scopes_disabled"]


def OrganisationScopedManager(  # noqa: N802 - mirrors django_scopes.ScopedManager
    field: str = "organisation",
    manager_class: type[models.Manager[Any]] = models.Manager,
) -> Any:
    return ScopedManager(_manager_class=manager_class, organisation=field)


@contextmanager
def organisation_scope(organisation_id: int) -> Iterator[None]:
    if not isinstance(organisation_id, int) or isinstance(organisation_id, bool):
        raise TypeError("organisation_scope needs an organisation id (int)")
    with scope(organisation=organisation_id):
        yield
