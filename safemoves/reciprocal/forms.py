"""Forms of the reciprocal scheme: only what the case does not already hold is asked."""

from __future__ import annotations

from django import forms

from safemoves.properties.importing import MAX_BEDROOMS
from safemoves.reciprocal.codes import (
    AccessNeed,
    CheckInOutcome,
    EndReason,
    RefusalReason,
    UnreasonableRefusal,
    ViewingOutcome,
)
from safemoves.reciprocal.pool.services.policy import POLICY_LIMITS

_NUMBER = {"inputmode": "numeric", "autocomplete": "off"}


class RequestForm(forms.Form):
    bedrooms_needed = forms.IntegerField(
        label="Bedrooms needed", min_value=1, max_value=MAX_BEDROOMS, widget=forms.NumberInput(attrs=_NUMBER)
    )
    access_need = forms.ChoiceField(
        label="Access the household needs (CORE housing needs)", choices=AccessNeed.choices, initial=AccessNeed.NONE
    )
    pets = forms.BooleanField(label="The household has pets that must move with it", required=False)
    urgent = forms.BooleanField(label="Urgent: the household cannot stay where it is", required=False)


class EndForm(forms.Form):
    # "The case was closed" is set by closing the case, never chosen here.
    reason = forms.ChoiceField(
        label="Why the request ends",
        choices=[(value, label) for value, label in EndReason.choices if value != EndReason.CASE_CLOSED],
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="The tenant's decision",
        choices=[("accept", "The tenant accepts the offer"), ("refuse", "The tenant refuses the offer")],
        widget=forms.RadioSelect,
    )
    refusal_reason = forms.ChoiceField(
        label="Reason for refusing (if refused)",
        choices=[("", "Choose a reason"), *RefusalReason.choices],
        required=False,
    )
    reasonable_refusal = forms.ChoiceField(
        label="Was the refusal reasonable? (if refused)",
        choices=[("yes", "Yes, reasonable"), ("no", "No, not reasonable")],
        widget=forms.RadioSelect,
        required=False,
    )


class MoveForm(forms.Form):
    # The tenancy is the one the offer was made on; it is shown, not asked again.
    move_date = forms.DateField(
        label="Move date",
        help_text="For example 2027-03-01. A future move is posted to the ledger on its date.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class CheckInForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What the check-in found", choices=[("", "Choose what was found"), *CheckInOutcome.choices]
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Kept encrypted. Do not write the new address here.",
    )


class ProposalDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", "Confirm and make the offer"), ("decline", "Decline")])


class OfferForm(forms.Form):
    request = forms.UUIDField(widget=forms.HiddenInput)


class PolicyForm(forms.Form):
    live_offer_limit = forms.IntegerField(label="Live offers per request", widget=forms.NumberInput(attrs=_NUMBER))
    minimum_areas = forms.IntegerField(
        label="Minimum safe areas a request names", widget=forms.NumberInput(attrs=_NUMBER)
    )
    offer_expiry_days = forms.IntegerField(
        label="Days the tenant has to decide on an offer", widget=forms.NumberInput(attrs=_NUMBER)
    )
    circulation_working_days = forms.IntegerField(
        label="Working days from approval to circulation", widget=forms.NumberInput(attrs=_NUMBER)
    )
    max_offers = forms.IntegerField(label="Offers per request in total", widget=forms.NumberInput(attrs=_NUMBER))
    waiting_alert_days = forms.IntegerField(
        label="Days a circulated request waits with no offer before the coordinator is alerted",
        widget=forms.NumberInput(attrs=_NUMBER),
    )
    unreasonable_refusal = forms.ChoiceField(
        label="After a refusal judged unreasonable", choices=UnreasonableRefusal.choices
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, (low, high) in POLICY_LIMITS.items():
            self.fields[name].help_text = f"From {low} to {high}."


# --- the move itself (ADR 0028) -------------------------------------------------------------


class ViewingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label="Date and time of the viewing",
        help_text="For example 2027-03-01 14:30.",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place_note = forms.CharField(
        label="Where to meet (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept encrypted and seen only by your landlord's lettings staff.",
    )


class ViewingOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What happened",
        choices=[(value, label) for value, label in ViewingOutcome.choices if value != ViewingOutcome.ARRANGED],
    )


class SignUpForm(forms.Form):
    sign_up_on = forms.DateField(
        label="Sign-up date of the new tenancy",
        help_text="For example 2027-03-01.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class HandoverConsentForm(forms.Form):
    given_by = forms.CharField(
        label="Who gave the consent", max_length=500, help_text="For example: the tenant, in person."
    )
    given_on = forms.DateField(
        label="Date the consent was given",
        help_text="For example 2027-03-01.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    how_given = forms.CharField(
        label="How the consent was given", max_length=500, help_text="For example a signed form."
    )
    support_needs = forms.CharField(
        label="Support needs to pass on (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only what the new landlord needs to support the household. Kept encrypted.",
    )


class SafeContactForm(forms.Form):
    safe_address = forms.CharField(
        label="Safe address for letters",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Never shown to the household's previous landlord.",
    )
    safe_postcode = forms.CharField(label="Postcode of the safe address", required=False, max_length=10)
    safe_phone = forms.CharField(label="Safe phone number", required=False, max_length=500)
    safe_email = forms.CharField(label="Safe e-mail address", required=False, max_length=500)
    safe_times = forms.CharField(label="Safe times to make contact", required=False, max_length=500)
    phone_ok = forms.BooleanField(label="Phone calls are safe", required=False)
    sms_ok = forms.BooleanField(label="Text messages are safe", required=False)
    voicemail_ok = forms.BooleanField(label="Voicemail is safe", required=False)
    email_ok = forms.BooleanField(label="E-mail is safe", required=False)
    letter_ok = forms.BooleanField(label="Letters to the safe address are safe", required=False)
    visit_ok = forms.BooleanField(label="Home visits are safe", required=False)
