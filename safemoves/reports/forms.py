from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from safemoves.reports.core import available_years
from safemoves.reports.tables import Period

LONGEST_PERIOD_DAYS = 366 * 5


class PeriodForm(forms.Form):
    """The date range (and, for the coordinator, a landlord) of a dashboard; both days included."""

    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}), required=False)
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}), required=False)
    landlord = forms.TypedChoiceField(label="Landlord", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, today: date, landlords: list[tuple[int, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.today = today
        if landlords is None:
            del self.fields["landlord"]
        else:
            landlord = self.fields["landlord"]
            assert isinstance(landlord, forms.ChoiceField)  # noqa: S101 - declared above
            landlord.choices = [("", "Every landlord"), *landlords]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start = cleaned.get("start") or self.today - timedelta(days=364)
        end = cleaned.get("end") or self.today
        if "start" in self.errors or "end" in self.errors:
            return cleaned
        if end < start:
            self.add_error("end", "The end date must be on or after the start date.")
        elif (end - start).days > LONGEST_PERIOD_DAYS:
            self.add_error("start", "Choose a period of at most five years.")
        cleaned["period"] = Period(start, end)
        return cleaned

    def period_or_none(self) -> Period | None:
        """The chosen period (the last 365 days when none is given), or None when the input is wrong."""
        if not self.is_valid():
            return None
        period: Period = self.cleaned_data["period"]
        return period


class CoreExportForm(forms.Form):
    year = forms.ChoiceField(label="Collection year")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.ChoiceField)  # noqa: S101 - declared above
        year.choices = [(each, each) for each in available_years()]
