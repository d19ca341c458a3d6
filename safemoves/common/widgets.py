"""Form widgets that write Django's own widget HTML without the template engine (ADR 0030).

Django renders every widget through templates (``input.html`` including ``attrs.html``, a
select one included template per option): about a thousand Python calls a field, more than
the rest of a list page's row work. These build the same HTML, byte for byte, from the same
``get_context()``; ``tests/common/test_widgets.py`` compares them with Django's rendering.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``: False leaves the attribute out, True writes its name."""
    return "".join(
        "" if value is False else format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
    )


def _input(widget: dict[str, Any]) -> str:
    """``django/forms/widgets/input.html``."""
    value = "" if widget["value"] is None else format_html(' value="{}"', widget["value"])
    return (
        format_html('<input type="{}" name="{}"', widget["type"], widget["name"])
        + value
        + _attrs(widget["attrs"])
        + ">"
    )


class PlainTextInput(forms.TextInput):
    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        return mark_safe(_input(self.get_context(name, value, attrs)["widget"]))  # noqa: S308 - every value escaped above


class PlainCheckboxInput(forms.CheckboxInput):
    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        return mark_safe(_input(self.get_context(name, value, attrs)["widget"]))  # noqa: S308 - every value escaped above


class PlainSelect(forms.Select):
    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: BaseRenderer | None = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in group_choices:
                parts.append(
                    format_html('\n  <option value="{}"', option["value"])
                    + _attrs(option["attrs"])
                    + format_html(">{}</option>\n", option["label"])
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts).strip())  # noqa: S308 - every value escaped above
