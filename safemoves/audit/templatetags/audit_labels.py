from __future__ import annotations

from collections.abc import Iterable

from django import template

from safemoves.audit.labels import action_label, field_label

register = template.Library()


@register.filter(name="action_label")
def action_label_filter(action: str) -> str:
    return action_label(action)


@register.filter(name="field_labels")
def field_labels_filter(names: Iterable[str]) -> str:
    return ", ".join(field_label(name) for name in names or ())
