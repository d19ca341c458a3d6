from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from safemoves.accounts.models import User
from safemoves.audit.labels import ACTION_LABELS

ACTION_GROUPS = {
    "auth.": "Any sign-in or sign-out",
    "case.": "Anything on a case",
    "letters.": "Letter templates",
    "reciprocal.": "Anything in the rehousing scheme",
    "risk.": "Risk assessments and MARAC",
    "safety.": "Safety actions and agencies",
    "staff.": "Staff accounts",
    "home.": "Homes",
    "retention.": "Retention",
}


def action_choices() -> list[tuple[str, Any]]:
    exact = sorted(ACTION_LABELS.items(), key=lambda item: item[1])
    return [
        ("", "Any action"),
        ("Groups", list(ACTION_GROUPS.items())),
        ("Actions", exact),
    ]


class AuditFilterForm(forms.Form):
    case = forms.CharField(
        label="Case reference", required=False, max_length=20, widget=forms.TextInput(attrs={"spellcheck": "false"})
    )
    person = forms.ModelChoiceField(
        label="Person",
        queryset=User.objects.none(),
        required=False,
        empty_label="Anyone",
        error_messages={"invalid_choice": "Choose a person from the list."},
    )
    action = forms.ChoiceField(
        label="Action",
        required=False,
        error_messages={"invalid_choice": "Choose an action from the list."},
    )
    date_from = forms.DateField(
        label="From (date)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the from date as a date, for example 2026-11-30."},
    )
    date_to = forms.DateField(
        label="To (date)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the to date as a date, for example 2026-11-30."},
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        action = self.fields["action"]
        assert isinstance(person, forms.ModelChoiceField)  # noqa: S101 - declared above
        assert isinstance(action, forms.ChoiceField)  # noqa: S101 - declared above
        person.queryset = staff
        action.choices = action_choices()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The to date must be on or after the from date.")
        return cleaned
