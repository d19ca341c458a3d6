from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from django import forms
from django.utils import timezone

from safemoves.accounts.models import User
from safemoves.cases.codes import (
    Answer,
    CaseOutcome,
    CaseSource,
    CaseStatus,
    ConsentBasis,
    ConsentPurpose,
    ContactChannel,
    CoreTenancy,
    CourtOrderType,
    MemberKind,
    Relationship,
)
from safemoves.cases.finding import SearchField
from safemoves.common.widgets import PlainCheckboxInput, PlainSelect, PlainTextInput
from safemoves.geo import PostcodeError, normalise_postcode

# ISO dates: <input type="date"> accepts only YYYY-MM-DD, so a date rendered in the page's
# language (17/05/1990) would show as empty and an unchanged save would wipe it.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.TextInput
PRIVATE = {"autocomplete": "off", "spellcheck": "false"}


def _blank(choices: Any, label: str = "Not known") -> list[tuple[str, str]]:
    return [("", label), *list(choices)]


class CaseDetailsForm(forms.Form):
    lead_name = forms.CharField(label="Tenant's full name", max_length=200, widget=TEXT(attrs=PRIVATE))
    lead_date_of_birth = forms.DateField(label="Date of birth", required=False, widget=DATE_INPUT)
    address = forms.CharField(label="Current tenancy address", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    postcode = forms.CharField(label="Postcode", max_length=10, required=False, widget=TEXT(attrs=PRIVATE))
    tenure = forms.ChoiceField(label="Tenure (CORE code)", choices=_blank(CoreTenancy.choices), required=False)
    tenancy_start = forms.DateField(label="Tenancy start date", required=False, widget=DATE_INPUT)
    introductory_period_ends = forms.DateField(
        label="Introductory or starter period ends",
        required=False,
        widget=DATE_INPUT,
        help_text="Leave empty if the tenancy is not introductory or starter.",
    )
    referral_summary = forms.CharField(
        label="What has happened", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def clean_lead_date_of_birth(self) -> Any:
        value = self.cleaned_data["lead_date_of_birth"]
        if value and value >= timezone.localdate():
            raise forms.ValidationError("The date of birth must be in the past.")
        return value

    def clean_postcode(self) -> str:
        value = str(self.cleaned_data["postcode"]).strip()
        if not value:
            return ""

        try:
            return normalise_postcode(value)
        except PostcodeError as exc:
            raise forms.ValidationError(str(exc)) from None


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CaseEditForm(CaseDetailsForm, VersionedForm):
    pass


class OpenCaseForm(CaseDetailsForm):
    source = forms.ChoiceField(label="Who told us", choices=CaseSource.choices, initial=CaseSource.STAFF)
    perpetrator_at_address = forms.ChoiceField(
        label="Does the perpetrator live at the address?",
        choices=_blank(Answer.choices, "Not asked yet"),
        required=False,
    )
    perpetrator_has_key = forms.ChoiceField(
        label="Does the perpetrator have, or have they had, a key to the home?",
        choices=_blank(Answer.choices, "Not asked yet"),
        required=False,
        help_text="A yes or not known sets the lock change on its 24-hour clock.",
    )

    field_order = [
        "source",
        "lead_name",
        "lead_date_of_birth",
        "address",
        "postcode",
        "tenure",
        "tenancy_start",
        "introductory_period_ends",
        "perpetrator_at_address",
        "perpetrator_has_key",
        "referral_summary",
    ]


class ContactRulesForm(VersionedForm):
    is_safe_to_talk_checked = forms.BooleanField(
        label="We have asked the tenant whether it is safe to talk now and whether this number is safe to call",
        required=False,
    )
    safe_phone = forms.CharField(label="Safe phone number", max_length=40, required=False, widget=TEXT(attrs=PRIVATE))
    safe_email = forms.EmailField(label="Safe e-mail address", required=False, widget=TEXT(attrs=PRIVATE))
    safe_postal_address = forms.CharField(
        label="Safe postal address",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Letters go only here. Leave empty if no address is safe.",
    )
    safe_times = forms.CharField(label="Safe times to contact", max_length=200, required=False)
    code_word = forms.CharField(label="Code word", max_length=60, required=False, widget=TEXT(attrs=PRIVATE))
    phone_ok = forms.BooleanField(label="Phone calls", required=False)
    sms_ok = forms.BooleanField(label="Text messages", required=False)
    voicemail_ok = forms.BooleanField(label="Voicemail", required=False)
    email_ok = forms.BooleanField(label="E-mail", required=False)
    letter_ok = forms.BooleanField(label="Letters", required=False)
    visit_ok = forms.BooleanField(label="Home visits", required=False)

    CHANNELS = ("phone_ok", "sms_ok", "voicemail_ok", "email_ok", "letter_ok", "visit_ok")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        needs_phone = any(cleaned.get(name) for name in ("phone_ok", "sms_ok", "voicemail_ok"))
        if needs_phone and not cleaned.get("safe_phone"):
            self.add_error("safe_phone", "Enter the safe phone number, or untick phone calls, texts and voicemail.")
        if cleaned.get("email_ok") and not cleaned.get("safe_email"):
            self.add_error("safe_email", "Enter the safe e-mail address, or untick e-mail.")
        if cleaned.get("letter_ok") and not cleaned.get("safe_postal_address"):
            self.add_error("safe_postal_address", "Enter the safe postal address, or untick letters.")
        return cleaned


class HouseholdMemberForm(forms.Form):
    kind = forms.ChoiceField(label="Adult or child", choices=MemberKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label="Full name", max_length=200, widget=TEXT(attrs=PRIVATE))
    date_of_birth = forms.DateField(label="Date of birth", required=False, widget=DATE_INPUT)
    relationship = forms.CharField(label="Relationship to the tenant", max_length=100, required=False)
    school = forms.CharField(label="School or nursery", max_length=200, required=False)


class PerpetratorForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, widget=TEXT(attrs=PRIVATE))
    relationship = forms.ChoiceField(label="Relationship to the tenant", choices=Relationship.choices)
    lives_at_address = forms.BooleanField(label="Lives at the address", required=False)
    joint_tenant = forms.BooleanField(label="Is a joint tenant", required=False)
    has_key = forms.BooleanField(
        label="Has a key to the home",
        required=False,
        help_text="Tick if they have ever had one: copies may exist. Cleared when the locks are changed.",
    )
    known_address = forms.CharField(
        label="Their address, if known", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    description = forms.CharField(
        label="Description and risk notes", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CourtOrderForm(forms.Form):
    order_type = forms.ChoiceField(label="Type of order", choices=CourtOrderType.choices)
    made_on = forms.DateField(label="Made on", required=False, widget=DATE_INPUT)
    expires_on = forms.DateField(label="Expires on", required=False, widget=DATE_INPUT)
    conditions = forms.CharField(label="Conditions", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label="Sharing for", choices=ConsentPurpose.choices)
    basis = forms.ChoiceField(label="Decision or lawful basis", choices=ConsentBasis.choices, widget=forms.RadioSelect)
    how_given = forms.CharField(label="How consent was given", max_length=120, required=False)
    expires_on = forms.DateField(label="Consent expires on", required=False, widget=DATE_INPUT)
    notes = forms.CharField(
        label="Notes (required when sharing without consent)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(forms.Form):
    body = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 4}))


class ContactForm(forms.Form):
    channel = forms.ChoiceField(label="How", choices=ContactChannel.choices)
    summary = forms.CharField(label="What was said or agreed", widget=forms.Textarea(attrs={"rows": 3}))


class LetterForm(forms.Form):
    body = forms.CharField(label="Letter text", widget=forms.Textarea(attrs={"rows": 8}))


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label="Officer", queryset=User.objects.none())

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]


class RestrictForm(forms.Form):
    restricted = forms.BooleanField(label="Restrict this case to the named staff", required=False)
    named_staff = forms.ModelMultipleChoiceField(
        label="Named staff", queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["named_staff"].queryset = staff  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=CaseOutcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="Closing note", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CaseFilterForm(forms.Form):
    # On every case list: widgets that write Django's HTML without the template engine (ADR 0030).
    q = forms.CharField(label="Name or reference", required=False, max_length=200, widget=PlainTextInput)
    status = forms.ChoiceField(
        label="Status", choices=_blank(CaseStatus.choices, "Not closed"), required=False, widget=PlainSelect
    )
    overdue = forms.BooleanField(label="Only cases with a clock overdue", required=False, widget=PlainCheckboxInput)


@dataclass(frozen=True)
class ShownField:
    """A form field as a template shows it: its label, the id its label names, its widget's HTML."""

    label: str
    id_for_label: str
    html: str

    def __html__(self) -> str:
        return self.html


@cache
def blank_case_filter_form() -> Mapping[str, ShownField]:
    """The case lists' filter form as a list opens (nothing asked yet), rendered once per
    process: until something is typed in, its fields write the same HTML on every list page,
    and building the form (a deep copy of its fields) and rendering each field was a twelfth
    of an officer's case list."""
    form = CaseFilterForm()
    return MappingProxyType(
        {
            name: ShownField(label=str(form[name].label), id_for_label=form[name].id_for_label, html=str(form[name]))
            for name in form.fields
        }
    )


class FindCasesForm(forms.Form):
    field = forms.ChoiceField(label="Search by", choices=SearchField.choices, widget=forms.RadioSelect)
    query = forms.CharField(
        label="Search for",
        max_length=200,
        help_text="The whole postcode or phone number; for an address or name, every word you enter must match.",
    )
