"""Forms of the reciprocal scheme: only what the case does not already hold is asked."""

from __future__ import annotations

from django import forms

from safemoves.cases.codes import CoreTenancy
from safemoves.properties.importing import MAX_BEDROOMS
from safemoves.reciprocal.codes import AccessNeed, EndReason, RefusalReason
from safemoves.reciprocal.services import POLICY_LIMITS

_NUMBER = {"inputmode": "numeric", "autocomplete": "off"}


class RequestForm(forms.Form):
    bedrooms_needed = forms.IntegerField(
        label="Bedrooms needed", min_value=1, max_value=MAX_BEDROOMS, widget=forms.NumberInput(attrs=_NUMBER)
    )
    access_need = forms.ChoiceField(
        label="Access the household needs (CORE housing needs)", choices=AccessNeed.choices, initial=AccessNeed.NONE
    )
    pets = forms.BooleanField(label="The household has pets that must move with her", required=False)
    urgent = forms.BooleanField(label="Urgent: she cannot stay where she is", required=False)


class EndForm(forms.Form):
    reason = forms.ChoiceField(label="Why the request ends", choices=EndReason.choices)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Her decision",
        choices=[("accept", "She accepts the offer"), ("refuse", "She refuses the offer")],
        widget=forms.RadioSelect,
    )
    refusal_reason = forms.ChoiceField(
        label="Reason for refusing (if she refuses)",
        choices=[("", "Choose a reason"), *RefusalReason.choices],
        required=False,
    )
    reasonable_refusal = forms.ChoiceField(
        label="Was the refusal reasonable? (if she refuses)",
        choices=[("yes", "Yes, reasonable"), ("no", "No, not reasonable")],
        widget=forms.RadioSelect,
        required=False,
    )


class MoveForm(forms.Form):
    move_date = forms.DateField(
        label="Move date", help_text="For example 2027-03-01.", widget=forms.DateInput(attrs={"type": "date"})
    )
    new_tenure = forms.ChoiceField(label="Tenancy given", choices=[("", "Choose the tenancy"), *CoreTenancy.choices])


class OfferForm(forms.Form):
    request = forms.UUIDField(widget=forms.HiddenInput)


class PolicyForm(forms.Form):
    live_offer_limit = forms.IntegerField(label="Live offers per request", widget=forms.NumberInput(attrs=_NUMBER))
    minimum_areas = forms.IntegerField(
        label="Minimum safe areas a request names", widget=forms.NumberInput(attrs=_NUMBER)
    )
    offer_expiry_days = forms.IntegerField(
        label="Days she has to decide on an offer", widget=forms.NumberInput(attrs=_NUMBER)
    )
    circulation_working_days = forms.IntegerField(
        label="Working days from approval to circulation", widget=forms.NumberInput(attrs=_NUMBER)
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, (low, high) in POLICY_LIMITS.items():
            self.fields[name].help_text = f"From {low} to {high}."
