"""Forms for void homes. Values are checked by the shared rules in ``importing``, so a home
typed in and a row of an import get exactly the same messages."""

from __future__ import annotations

from typing import Any

from django import forms

from safemoves.cases.codes import CoreTenancy
from safemoves.geo import AREAS
from safemoves.properties import importing
from safemoves.properties.codes import HomeStatus, ImportMode, WheelchairStandard

_NUMBER = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
_DECIMAL = {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}


def area_choices(*, empty_label: str) -> list[tuple[str, str]]:
    ordered = sorted(AREAS.values(), key=lambda area: (area.group != "Kent and Medway", area.group, area.name))
    return [("", empty_label), *((area.code, f"{area.name} ({area.group})") for area in ordered)]


class HomeForm(forms.Form):
    address = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}))
    postcode = forms.CharField(
        required=False, max_length=16, widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
    )
    uprn = forms.CharField(
        label="UPRN (optional)", required=False, max_length=20, widget=forms.TextInput(attrs=_NUMBER)
    )
    area_code = forms.ChoiceField(
        label="District (optional)",
        required=False,
        help_text="Leave as it is to take the district from the postcode.",
    )
    latitude = forms.CharField(
        label="Latitude (optional)",
        required=False,
        help_text="Decimal degrees, within 1 km of the postcode's centre. Leave empty to use the centre of "
        "the postcode: matching places a home by its postcode either way.",
        widget=forms.TextInput(attrs=_DECIMAL),
    )
    longitude = forms.CharField(label="Longitude (optional)", required=False, widget=forms.TextInput(attrs=_DECIMAL))
    bedrooms = forms.CharField(required=False, max_length=10, widget=forms.TextInput(attrs=_NUMBER))
    floor = forms.CharField(
        required=False, max_length=10, help_text="0 is the ground floor.", widget=forms.TextInput(attrs=_NUMBER)
    )
    has_lift = forms.BooleanField(label="There is a lift to this floor", required=False)
    step_free = forms.BooleanField(label="Step-free from the street to the front door and inside", required=False)
    wheelchair_standard = forms.ChoiceField(
        label="Wheelchair standard", choices=WheelchairStandard.choices, initial=WheelchairStandard.NONE
    )
    pets_allowed = forms.BooleanField(label="Pets allowed", required=False)
    weekly_rent = forms.CharField(
        label="Weekly rent (£)",
        required=False,
        max_length=20,
        help_text="Pounds and pence, e.g. 104.50.",
        widget=forms.TextInput(attrs=_DECIMAL),
    )
    tenancy_offered = forms.ChoiceField(
        label="Tenancy offered", required=False, choices=[("", "Choose a tenancy"), *CoreTenancy.choices]
    )
    available_from = forms.CharField(
        label="Available from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = self.fields["area_code"]
        assert isinstance(area_field, forms.ChoiceField)  # noqa: S101 - declared above
        area_field.choices = area_choices(empty_label="The postcode's district")
        self.home_input: importing.HomeInput | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cells = {
            importing.COLUMN_OF_FIELD[name]: cleaned.get(name) for name in importing.COLUMN_OF_FIELD if name in cleaned
        }
        data, errors = importing.parse_row(cells)
        for name, message in errors:
            if name not in self.errors:
                self.add_error(name, message[:1].upper() + message[1:])
        self.home_input = data
        return cleaned


class HomeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Available or offered"), *HomeStatus.choices]
    )
    area = forms.ChoiceField(label="District", required=False)
    bedrooms = forms.TypedChoiceField(
        label="Bedrooms, at least",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any"), *((str(n), str(n)) for n in range(1, importing.MAX_BEDROOMS + 1))],
    )
    step_free = forms.BooleanField(label="Step-free only", required=False)
    pets = forms.BooleanField(label="Pets allowed only", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ChoiceField)  # noqa: S101 - declared above
        area_field.choices = area_choices(empty_label="Any district")


class ImportForm(forms.Form):
    rows_file = forms.FileField(
        label="File of homes (.csv or .xlsx)",
        help_text=f"At most {importing.MAX_ROWS:,} homes and {importing.MAX_FILE_BYTES // (1024 * 1024)} MB.",
        error_messages={"required": "Choose a .csv or .xlsx file to import.", "empty": "The file is empty."},
    )
    mode = forms.ChoiceField(
        label="If some rows have problems",
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to do if some rows have problems."},
    )
