from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from safemoves.cases.codes import AGENCY_SOURCES, CourtOrderType, Relationship
from safemoves.cases.services import MAX_CHILD_AGE
from safemoves.intake.services import DASH_LEVELS, NO, NOT_KNOWN, PHONE_ERROR, YES, clean_postcode, phone_is_valid

YES_NO = [(YES, "Yes"), (NO, "No")]
YES_NO_NOT_KNOWN = [(YES, "Yes"), (NO, "No"), (NOT_KNOWN, "Not known")]


class Radios(forms.RadioSelect):
    """Radios whose field id is the first radio's, so an error summary link lands on it."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


def _phone(value: str) -> str:
    if not phone_is_valid(value):
        raise ValidationError(PHONE_ERROR)
    return value.strip()


AGES_ERROR = f"Enter each child's age in whole years from 0 to {MAX_CHILD_AGE}, separated by commas, like 4, 9."


def parse_ages(text: str) -> tuple[int, ...]:
    parts = [part.strip() for part in re.split(r"[,;\s]+", text) if part.strip()]
    if not all(part.isascii() and part.isdigit() and len(part) <= 2 for part in parts):
        raise ValidationError(AGES_ERROR)
    ages = tuple(int(part) for part in parts)
    if any(age > MAX_CHILD_AGE for age in ages):
        raise ValidationError(AGES_ERROR)
    return ages


class PublicForm(forms.Form):
    """A form on a public page: nothing the visitor types may be kept by the browser."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["autocomplete"] = "off"


class AgencyReferralForm(PublicForm):
    referrer_name = forms.CharField(label="Your name", max_length=200)
    referrer_role = forms.CharField(
        label="Your role and organisation", max_length=200, help_text="For example: IDVA, Kent Domestic Abuse Service"
    )
    referrer_phone = forms.CharField(label="Your phone number", max_length=40, required=False)
    referrer_email = forms.EmailField(label="Your e-mail address", max_length=254, required=False)
    tenant_name = forms.CharField(label="Tenant's full name", max_length=200)
    tenant_date_of_birth = forms.DateField(
        label="Tenant's date of birth (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the date of birth as a real date, like 27 3 1990."},
    )
    address = forms.CharField(label="The tenant's current address (optional)", required=False, widget=forms.Textarea)
    postcode = forms.CharField(label="Postcode (optional)", max_length=10, required=False)
    children = forms.IntegerField(
        label="How many children live in the household?",
        min_value=0,
        max_value=20,
        initial=0,
        error_messages={"invalid": "Enter the number of children, 0 if none."},
    )
    children_ages = forms.CharField(
        label="The children's ages (optional)",
        max_length=100,
        required=False,
        help_text="In years, separated by commas, for example: 4, 9",
    )
    perpetrator_name = forms.CharField(label="The perpetrator's name (optional)", max_length=200, required=False)
    perpetrator_relationship = forms.ChoiceField(
        label="The perpetrator's relationship to the tenant (optional)",
        choices=[("", "Not known"), *Relationship.choices],
        required=False,
    )
    perpetrator_at_address = forms.ChoiceField(
        label="Is the perpetrator still living at the address?", choices=YES_NO_NOT_KNOWN, widget=Radios
    )
    perpetrator_has_key = forms.ChoiceField(
        label="Does the perpetrator have, or have they had, a key to the home?",
        choices=YES_NO_NOT_KNOWN,
        widget=Radios,
    )
    court_orders = forms.MultipleChoiceField(
        label="Court orders or bail conditions against the perpetrator (optional)",
        choices=CourtOrderType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    crime_reference = forms.CharField(label="Crime reference (police only, optional)", max_length=40, required=False)
    police_officer = forms.CharField(
        label="Police officer in the case (optional)",
        max_length=200,
        required=False,
        help_text="Name and collar number",
    )
    police_station = forms.CharField(label="Police station (optional)", max_length=200, required=False)
    police_dash_level = forms.ChoiceField(
        label="Risk level from a DASH assessment already made (optional)",
        choices=[(value, label) for value, label in DASH_LEVELS.items() if value] + [("", "No DASH assessment made")],
        required=False,
        widget=Radios,
    )
    marac_referred = forms.ChoiceField(
        label="Has a MARAC referral already been made? (optional)",
        choices=YES_NO_NOT_KNOWN,
        required=False,
        widget=Radios,
    )
    what_happened = forms.CharField(
        label="What happened?",
        widget=forms.Textarea,
        max_length=5000,
        help_text="What happened, when, and the risk now as you understand it.",
    )
    contact_directly = forms.ChoiceField(
        label="Is it safe for us to contact the tenant directly?",
        choices=[(YES, "Yes"), (NO, "No, only through me")],
        widget=Radios,
    )
    safe_phone = forms.CharField(
        label="A phone number that is safe to call the tenant on", max_length=40, required=False
    )
    safe_times = forms.CharField(
        label="When is it safe to call?",
        max_length=200,
        required=False,
        help_text="For example: weekdays 10am to 2pm",
    )
    voicemail_ok = forms.ChoiceField(label="Is it safe to leave a voicemail?", choices=YES_NO_NOT_KNOWN, widget=Radios)
    letter_ok = forms.ChoiceField(
        label="Is it safe to send the tenant a letter?", choices=YES_NO_NOT_KNOWN, widget=Radios
    )

    def clean_referrer_phone(self) -> str:
        return _phone(self.cleaned_data["referrer_phone"])

    def clean_safe_phone(self) -> str:
        return _phone(self.cleaned_data["safe_phone"])

    def clean_children_ages(self) -> tuple[int, ...]:
        return parse_ages(self.cleaned_data["children_ages"])

    def clean_court_orders(self) -> tuple[str, ...]:
        return tuple(self.cleaned_data["court_orders"])

    def clean_postcode(self) -> str:
        try:
            return clean_postcode(self.cleaned_data["postcode"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["postcode"]) from None

    def clean_tenant_date_of_birth(self) -> Any:
        born = self.cleaned_data["tenant_date_of_birth"]
        if born is not None and born > timezone.localdate():
            raise ValidationError("The date of birth must be in the past.")
        return born


class ContactRequestForm(PublicForm):
    name = forms.CharField(label="Your name", max_length=200)
    contact_method = forms.ChoiceField(
        label="How may we contact you?", choices=[("phone", "Phone"), ("email", "E-mail")], widget=Radios
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=40,
        required=False,
        help_text="Only if you chose phone. A number that is safe to call.",
    )
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        required=False,
        help_text="Only if you chose e-mail. An address only you can read.",
        error_messages={"invalid": "Enter an e-mail address, like name@example.com."},
    )
    safe_times = forms.CharField(
        label="When is it safe to contact you?",
        max_length=200,
        required=False,
        help_text="For example: weekdays between 10am and 2pm",
    )
    voicemail_ok = forms.ChoiceField(
        label="Is it safe to leave a voicemail?",
        choices=YES_NO,
        widget=Radios,
        required=False,
        help_text="If you do not answer, we will not leave one.",
    )
    letter_ok = forms.ChoiceField(
        label="Is it safe for us to send a letter?",
        choices=YES_NO,
        widget=Radios,
        required=False,
        help_text="If you do not answer, we will not send one.",
    )
    message = forms.CharField(
        label="Anything you want to tell us (optional)",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Keep it short: we will talk to you about it.",
    )

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data["phone"])


class ReferralLinkForm(forms.Form):
    agency_name = forms.CharField(
        label="Agency name", max_length=200, help_text="For example: Kent Police, Medway IDVA service"
    )
    source = forms.ChoiceField(
        label="Kind of agency", choices=[(source.value, source.label) for source in AGENCY_SOURCES]
    )
