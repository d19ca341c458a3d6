"""Instances from rows without ``Model.__init__``'s general path (ADR 0039): the instance
Django's ``from_db`` makes, for every organisation-owned model, the user and the organisation,
every field selected or some deferred; Django's own path wherever a receiver or an
``__init__`` could see the difference."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.db.models.signals import post_init, pre_init

from safemoves.common import rows
from safemoves.common.rows import DirectFromDb
from safemoves.common.scoping import OrganisationOwned, organisation_scope
from tests.cases.factories import make_case
from tests.factories import World


def _models() -> list[type[models.Model]]:
    return [model for model in apps.get_models() if issubclass(model, DirectFromDb)]


def test_the_organisations_models_their_staff_and_the_landlords_are_made_so() -> None:
    from safemoves.accounts.models import User
    from safemoves.organisations.models import Organisation

    made = set(_models())
    assert {User, Organisation} <= made
    assert {model for model in apps.get_models() if issubclass(model, OrganisationOwned)} <= made


def _state(instance: models.Model) -> dict[str, Any]:
    attributes = dict(instance.__dict__)
    state = attributes.pop("_state")
    return {"attributes": attributes, "adding": state.adding, "db": state.db, "cache": dict(state.fields_cache)}


def _django(model: type[models.Model], names: list[str], values: list[Any]) -> models.Model:
    made: models.Model = models.Model.from_db.__func__(model, "default", names, values)  # type: ignore[attr-defined]
    return made


@pytest.mark.parametrize("model", _models(), ids=lambda model: model._meta.label)
def test_an_instance_is_the_one_djangos_from_db_makes(model: type[models.Model]) -> None:
    fields = model._meta.concrete_fields
    names = [field.attname for field in fields]
    values = [f"value {index}" for index in range(len(fields))]
    ours = model.from_db("default", names, values)
    assert ours is not None
    assert type(ours) is model
    assert _state(ours) == _state(_django(model, names, values))
    # Some fields deferred (every other one, the key kept), as .only() reads them.
    kept = [name for index, name in enumerate(names) if index % 2 == 0 or name == model._meta.pk.attname]
    some = [f"value {index}" for index in range(len(kept))]
    ours = model.from_db("default", kept, some)
    assert _state(ours) == _state(_django(model, kept, some))
    assert ours.get_deferred_fields() == _django(model, kept, some).get_deferred_fields()


def test_rows_read_from_the_database_are_djangos_instances(world: World) -> None:
    from safemoves.cases.models import Case

    made = make_case(world.a, full=True)
    with organisation_scope(world.a.organisation.pk):
        read = Case.objects.get(pk=made.pk)
        partial = Case.objects.only("reference", "lead_name", "status").get(pk=made.pk)
        assert (read.lead_name, read.address, read.lead_date_of_birth) == (
            "Jane Example",
            made.address,
            made.lead_date_of_birth,
        )
        assert (partial.reference, partial.lead_name, partial.status) == (made.reference, "Jane Example", made.status)
        deferred = {field.attname for field in Case._meta.concrete_fields} - {
            "id",
            "organisation_id",
            "reference",
            "lead_name",
            "status",
        }
        assert partial.get_deferred_fields() == deferred
        assert partial.address == made.address  # a deferred field still loads on first use
        assert (read._state.adding, read._state.db) == (False, "default")
        assert read.organisation_id == world.a.organisation.pk


def test_a_receiver_of_post_init_gets_djangos_path() -> None:
    from safemoves.cases.models import Case

    seen: list[object] = []

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(instance)

    names = [field.attname for field in Case._meta.concrete_fields]
    values = [f"value {index}" for index in range(len(names))]
    post_init.connect(receiver, sender=Case)
    try:
        assert rows.from_db(Case, "default", names, values) is None
        instance = Case.from_db("default", names, values)
    finally:
        post_init.disconnect(receiver, sender=Case)
    assert seen == [instance]
    pre_init.connect(receiver, sender=Case)
    try:
        assert rows.from_db(Case, "default", names, values) is None
    finally:
        pre_init.disconnect(receiver, sender=Case)
    assert rows.from_db(Case, "default", names, values) is not None


def test_a_model_with_its_own_init_gets_djangos_path() -> None:
    from safemoves.cases.models import Case

    class WithInit(Case):
        class Meta:
            proxy = True
            app_label = "cases"

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.touched = True

    names = [field.attname for field in Case._meta.concrete_fields]
    values = [f"value {index}" for index in range(len(names))]
    assert rows.from_db(WithInit, "default", names, values) is None
    assert WithInit.from_db("default", names, values).touched is True
