"""System checks: every organisation-owned model inherits OrganisationOwned and is scoped (ADR 0001, 0020).

A model with an ``organisation`` foreign key holds one landlord's rows. Its default manager
must be :class:`OrganisationScopedManager`, or a query on it would silently return every
landlord's rows, and the row guards (no decrypt, save or delete across organisations) would
not know who owns a row. The few models shared on purpose are named here with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core import checks

from safemoves.common.scoping import OrganisationOwned, OrganisationScopedManager

# Models with an organisation field that are deliberately not scoped, and why.
SHARED_BY_DESIGN: dict[str, str] = {
    "organisations.SchemeMembership": "which landlords belong to which scheme is shared within the scheme",
}


def _owner_field(model: type[Any]) -> bool:
    try:
        field = model._meta.get_field("organisation")
    except Exception:
        return False
    related = getattr(field, "related_model", None)
    to_one = bool(field.many_to_one or field.one_to_one)
    label = related if isinstance(related, str) else getattr(getattr(related, "_meta", None), "label", None)
    return to_one and label == "organisations.Organisation"


def organisation_owned_models(models: Iterable[type[Any]] | None = None) -> list[type[Any]]:
    """Every concrete model holding one organisation's rows (an ``organisation`` key, not shared by design).

    The database's row-level security policies (common/rls.py) cover exactly these tables.
    """
    found = []
    for model in apps.get_models() if models is None else models:
        meta = model._meta
        if meta.abstract or meta.proxy or not meta.managed or meta.label in SHARED_BY_DESIGN:
            continue
        if _owner_field(model):
            found.append(model)
    return found


@checks.register()
def organisation_owned_models_are_scoped(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return scoping_errors(apps.get_models())


def scoping_errors(models: Iterable[type[Any]]) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in models:
        label = model._meta.label
        if label in SHARED_BY_DESIGN or not _owner_field(model):
            continue
        if not issubclass(model, OrganisationOwned):
            errors.append(
                checks.Error(
                    f"{label} has an organisation field but does not inherit OrganisationOwned",
                    hint="Inherit safemoves.common.scoping.OrganisationOwned (it declares the organisation key "
                    "and the scoped manager), or name the model in safemoves.common.checks.SHARED_BY_DESIGN "
                    "with the reason it is shared.",
                    obj=model,
                    id="safemoves.E002",
                )
            )
        if not isinstance(model._default_manager, OrganisationScopedManager):
            errors.append(
                checks.Error(
                    f"{label} has an organisation field but its default manager is not scoped",
                    hint="Keep OrganisationOwned's `objects` (or another OrganisationScopedManager) as the default "
                    "manager, or name it in safemoves.common.checks.SHARED_BY_DESIGN with the reason it is shared.",
                    obj=model,
                    id="safemoves.E001",
                )
            )
    return errors
