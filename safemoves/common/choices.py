"""The label of a field's choice, from a dict built once per field (ADR 0039).

Django's ``Model._get_FIELD_display`` (behind every ``get_<field>_display()``) turns the
field's choices into a fresh dict on every call: a page of 25 cases, each showing its status,
rebuilt the status labels 25 times. The labels here are the same objects Django would look
up (lazy ones stay lazy, so each call still gives the active language's text), and the
answer is Django's: ``force_str`` of the label, or of the value itself when it is not among
the choices. Choices given as a callable may change, so they are read on every call, as
Django reads them.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS = "_safemoves_choice_labels"


def _labels(field: models.Field[Any, Any]) -> dict[Any, Any]:
    return dict(make_hashable(field.flatchoices))


def choice_display(field: models.Field[Any, Any], value: Any) -> Any:
    """What ``instance.get_<field>_display()`` returns for ``value``."""
    labels: dict[Any, Any] | None = field.__dict__.get(_LABELS)
    if labels is None:
        labels = _labels(field)
        if not isinstance(field.choices, CallableChoiceIterator):
            field.__dict__[_LABELS] = labels
    return force_str(labels.get(make_hashable(value), value), strings_only=True)
