from __future__ import annotations

from django import forms

from safemoves.cases.forms import DATE_INPUT
from safemoves.emergency.codes import AccommodationKind, Decision, RefusalReason
from safemoves.safety.forms import FieldsetRadios, area_choices


class OfferForm(forms.Form):
    kind = forms.ChoiceField(label="Type of place", choices=AccommodationKind.choices, widget=FieldsetRadios)
    provider = forms.CharField(
        label="Who offered it", max_length=200, help_text="For example: the Women's Aid refuge service."
    )
    postcode = forms.CharField(
        label="Postcode of the place (if known)",
        required=False,
        max_length=12,
        help_text="Kept encrypted; used to work out the distances to the tenant's places.",
    )
    area_code = forms.ChoiceField(
        label="District the place is in",
        choices=lambda: [("", "Not chosen: I entered a postcode"), *area_choices()],
        required=False,
        help_text="Choose the district if the postcode is not known.",
    )
    offered_on = forms.DateField(label="Date offered", widget=DATE_INPUT)
    decision = forms.ChoiceField(label="The tenant's decision", choices=Decision.choices, widget=FieldsetRadios)
    refusal_reason = forms.ChoiceField(
        label="Why the tenant refused",
        choices=[("", "Not refused"), *RefusalReason.choices],
        required=False,
    )
    decision_note = forms.CharField(
        label="Note on the decision",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the reason is 'Other'.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
