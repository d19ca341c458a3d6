"""``get_<field>_display()`` of the organisations' models: Django's answer, from labels kept
per field (ADR 0039)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.utils.choices import CallableChoiceIterator

from safemoves.common.choices import _LABELS, choice_display
from safemoves.common.scoping import OrganisationOwned


def _choice_fields() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    return [
        (model, field)
        for model in apps.get_models()
        if issubclass(model, OrganisationOwned)
        for field in model._meta.concrete_fields
        if field.choices
    ]


def test_every_choice_and_an_unknown_value_read_as_django_reads_them() -> None:
    fields = _choice_fields()
    assert len(fields) >= 30  # the case, its records, the scheme's requests, memberships ...
    for model, field in fields:
        display = getattr(model, f"get_{field.name}_display")
        values = [value for value, _label in field.flatchoices] + ["not-a-choice", None]
        for value in values:
            instance = model(**{field.attname: value})
            ours = display(instance)
            django = models.Model._get_FIELD_display(instance, field)  # type: ignore[attr-defined]  # Django's, unannotated
            assert (ours, type(ours)) == (django, type(django)), (model, field.name, value)


def test_the_labels_are_built_once_per_field() -> None:
    from safemoves.cases.models import Case

    field = Case._meta.get_field("status")
    field.__dict__.pop(_LABELS, None)
    assert Case(status="open").get_status_display() == "Open"
    kept = field.__dict__[_LABELS]
    assert Case(status="closed").get_status_display() == dict(field.flatchoices)["closed"]
    assert field.__dict__[_LABELS] is kept


def test_choices_given_by_a_callable_are_read_on_every_call() -> None:
    offered = [("a", "First")]

    field: models.CharField[str, str] = models.CharField(max_length=5, choices=lambda: list(offered))
    assert isinstance(field.choices, CallableChoiceIterator)
    assert choice_display(field, "a") == "First"
    offered[:] = [("a", "Changed")]
    assert choice_display(field, "a") == "Changed"
    assert _LABELS not in field.__dict__
