"""The plain widgets write exactly the HTML of Django's template-rendered widgets (ADR 0030)."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from safemoves.common.widgets import PlainCheckboxInput, PlainSelect, PlainTextInput

CHOICES = [("", "Not closed"), ("new", "New & <triage>"), ("open", "Open"), ("Group", [("a", "A"), ("b", "B")])]


class Django(forms.Form):
    q = forms.CharField(required=False, max_length=200)
    status = forms.ChoiceField(choices=CHOICES, required=False)
    overdue = forms.BooleanField(required=False)
    other = forms.CharField(required=True, widget=forms.TextInput(attrs={"autocomplete": "off", "disabled": True}))


class Plain(forms.Form):
    q = forms.CharField(required=False, max_length=200, widget=PlainTextInput)
    status = forms.ChoiceField(choices=CHOICES, required=False, widget=PlainSelect)
    overdue = forms.BooleanField(required=False, widget=PlainCheckboxInput)
    other = forms.CharField(required=True, widget=PlainTextInput(attrs={"autocomplete": "off", "disabled": True}))


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"q": 'Sam "<b>" & co', "status": "new", "overdue": "on", "other": "x"},
        {"q": "", "status": "b", "overdue": ""},
        {"status": "not a choice"},
    ],
)
def test_plain_widgets_render_as_django_does(data: dict[str, Any] | None) -> None:
    django_form, plain_form = Django(data), Plain(data)
    for name in ("q", "status", "overdue", "other"):
        assert str(plain_form[name]) == str(django_form[name]), name
