from __future__ import annotations

from typing import Any

from django import forms

from safemoves.accounts.models import User
from safemoves.common.forms import offer_people
from safemoves.tasks.codes import TaskKind


class TaskForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=TaskKind.choices)
    title = forms.CharField(label="What needs doing", max_length=500)
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ModelChoiceField(label="Owner", queryset=User.objects.none())
    due_on = forms.DateField(
        label="Due on",
        help_text="A working day (not a weekend or bank holiday); due by 17:00.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    repeat_every_months = forms.IntegerField(
        label="Review every (months)",
        required=False,
        min_value=1,
        max_value=12,
        help_text="Support plan reviews only: completing one sets the next.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_people(self, "owner", owners)
