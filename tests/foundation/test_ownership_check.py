"""The system checks refuse an organisation-owned model without the base or with an unscoped manager."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.test.utils import isolate_apps

from safemoves.common.checks import organisation_owned_models, organisation_owned_models_are_scoped, scoping_errors
from safemoves.common.scoping import OrganisationOwned, OrganisationScopedManager
from safemoves.organisations.models import Organisation


def test_every_product_model_passes() -> None:
    assert organisation_owned_models_are_scoped() == []


@isolate_apps("tests.testapp")
def test_a_model_with_an_organisation_and_a_plain_manager_fails() -> None:
    class Leaky(models.Model):  # noqa: DJ008
        organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

        class Meta:
            app_label = "testapp"

    class Owned(models.Model):  # noqa: DJ008
        organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
        objects: ClassVar[models.Manager[Owned]] = OrganisationScopedManager()

        class Meta:
            app_label = "testapp"

    class Declared(OrganisationOwned):
        class Meta:
            app_label = "testapp"

    class Keyed(OrganisationOwned):
        organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "testapp"

    errors = scoping_errors(Leaky._meta.apps.get_models())
    assert {Owned, Declared, Keyed} <= set(Leaky._meta.apps.get_models())
    assert [(error.id, error.obj) for error in errors] == [
        ("safemoves.E002", Leaky),
        ("safemoves.E001", Leaky),
        ("safemoves.E002", Owned),
    ]
    assert errors[0].msg == "testapp.Leaky has an organisation field but does not inherit OrganisationOwned"
    assert errors[1].msg == "testapp.Leaky has an organisation field but its default manager is not scoped"
    assert isinstance(Declared._default_manager, OrganisationScopedManager)
    assert Declared._meta.get_field("organisation").many_to_one


def test_every_organisation_owned_product_model_inherits_the_base() -> None:
    owned = organisation_owned_models()
    assert len(owned) >= 25
    assert all(issubclass(model, OrganisationOwned) for model in owned)
