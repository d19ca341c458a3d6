"""System check: every organisation-owned model is scoped by its default manager (ADR 0001).

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

from safemoves.common.scoping import OrganisationScopedManager

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
    return bool(field.many_to_one) and related is not None and related._meta.label == "organisations.Organisation"


@checks.register()
def organisation_owned_models_are_scoped(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return scoping_errors(apps.get_models())


def scoping_errors(models: Iterable[type[Any]]) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in models:
        label = model._meta.label
        if label in SHARED_BY_DESIGN or not _owner_field(model):
            continue
        if not isinstance(model._default_manager, OrganisationScopedManager):
            errors.append(
                checks.Error(
                    f"{label} has an organisation field but its default manager is not scoped",
                    hint="Declare `objects = OrganisationScopedManager()` first on the model, or name it in "
                    "safemoves.common.checks.SHARED_BY_DESIGN with the reason it is shared.",
                    obj=model,
                    id="safemoves.E001",
                )
            )
    return errors
