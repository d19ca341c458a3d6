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
from django.db.models.lookups import Exact
from django.db.models.sql.where import AND
from django_scopes import ScopeError, get_scope, scope, scopes_disabled
from django_scopes.manager import DisabledQuerySet

from safemoves.common.choices import choice_display
from safemoves.common.rows import DirectFromDb

__all__ = [
    "OrganisationScopedManager",
    "ScopeError",
    "check_row_in_scope",
    "organisation_scope",
    "scopes_disabled",
]

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
        queryset = super().get_queryset()
        field = self.model._meta.get_field(self.scope_field)
        if not isinstance(field, models.Field) or field.model is not self.model._meta.concrete_model:
            return queryset.filter(**{self.scope_field: organisation_id})  # a column of another table
        # The same condition ``filter(organisation=...)`` builds, added directly to the new
        # query: every domain query passes here, and the general filter path (lookup
        # parsing, join set-up, a clone) cost as much as a small query's own work (ADR 0030).
        query = queryset.query
        query.where.add(Exact(field.get_col(query.get_initial_alias()), organisation_id), AND)
        return queryset

    def all(self) -> models.QuerySet[_M]:
        queryset = self.get_queryset()
        if isinstance(queryset, DisabledQuerySet):
            # DisabledQuerySet raises on .all(); Manager.all() alone would hand it back silently.
            refused: models.QuerySet[_M] = queryset.all()
            return refused
        # Not ``.all()`` on it: that copies the queryset without its results, and a related
        # manager's queryset holds what ``prefetch_related`` loaded (Django's Manager.all()
        # returns it as it is for the same reason).
        return queryset


@contextmanager
def organisation_scope(organisation_id: int) -> Iterator[None]:
    if not isinstance(organisation_id, int) or isinstance(organisation_id, bool):
        raise TypeError("organisation_scope needs an organisation id (int)")
    with scope(organisation=organisation_id):
        yield


def _owner_id(instance: models.Model) -> int | None:
    """The organisation that owns ``instance``, or None for a model that is not organisation-owned."""
    manager = type(instance)._default_manager
    if not isinstance(manager, OrganisationScopedManager):
        return None
    owner: int | None = getattr(instance, f"{manager.scope_field}_id", None)
    return owner


def check_row_in_scope(instance: models.Model, doing: str) -> None:
    """Refuse to ``doing`` a row of another organisation while an organisation scope is active.

    The scoped manager guards queries, but a row can also arrive by following a foreign key
    (``offer.request.case``) or be handed to ``save()``: this guards those paths too. Outside
    any scope (commands, migrations) and under ``scopes_disabled()`` (the deliberate
    cross-organisation reads) nothing is refused.
    """
    current: dict[str, Any] = get_scope()
    if not current.get("_enabled", True) or "organisation" not in current:
        return
    owner = _owner_id(instance)
    if owner is not None and owner != current["organisation"]:
        raise ScopeError(
            f"refusing to {doing} {instance._meta.label} {instance.pk} of organisation {owner} "
            f"inside the scope of organisation {current['organisation']}"
        )


def _refuse_foreign_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not kwargs.get("raw", False):
        check_row_in_scope(instance, "save")


def _refuse_foreign_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    check_row_in_scope(instance, "delete")


def connect_row_guards() -> None:
    models.signals.pre_save.connect(_refuse_foreign_save, dispatch_uid="safemoves.scope.save")
    models.signals.pre_delete.connect(_refuse_foreign_delete, dispatch_uid="safemoves.scope.delete")


class OrganisationOwned(DirectFromDb, models.Model):
    """A model holding one organisation's rows: declares the owner and the scoped manager once.

    Every model with an ``organisation`` field inherits this (system check safemoves.E001);
    a model whose key needs another ``on_delete``, ``related_name`` or one-to-one shape
    redeclares ``organisation`` and keeps the base. PostgreSQL row-level security covers
    these tables too (common/rls.py, ADR 0020).
    """

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")

    objects = OrganisationScopedManager()

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        # Every get_<field>_display() of these models: the choices' labels kept per field.
        return choice_display(field, getattr(self, field.attname))
