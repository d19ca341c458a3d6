from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from safemoves.accounts.models import User
from safemoves.common.forms import offer_people
from safemoves.geo import AREA_NAMES
from safemoves.safety.codes import AgencyKind, Option, PlaceKind, Priority, ReferralStatus
from safemoves.safety.models import Agency, SafetyActionType


class FieldsetRadios(forms.RadioSelect):
    """Radios whose group id is the fieldset's, so the error summary can link to the group."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index is None else super().id_for_label(id_, index)


class FieldsetCheckboxes(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index is None else super().id_for_label(id_, index)


def area_choices() -> list[tuple[str, str]]:
    return sorted(AREA_NAMES.items(), key=lambda item: item[1])


class ActionForm(forms.Form):
    action_type = forms.ChoiceField(label="Safety action")
    starts_at = forms.DateTimeField(
        label="Clock starts at",
        required=False,
        help_text="Only for actions timed from the survey or the move; others start at the referral.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, action_types: list[SafetyActionType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["action_type"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [
            (action_type.code, f"{action_type.label} ({action_type.clock_label})") for action_type in action_types
        ]


class CompleteForm(forms.Form):
    done_at = forms.DateTimeField(
        label="Done at",
        help_text="Date and time, UK time.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    evidence_note = forms.CharField(
        label="Evidence: what was done",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: locks changed by the contractor, job number 4471.",
    )


class OwnerForm(forms.Form):
    """Who holds an open safety action from now on (an officer or manager who can read the case)."""

    owner = forms.ModelChoiceField(
        label="Who should hold this action now?",
        queryset=User.objects.none(),
        help_text="They see it in their work and answer for its deadline.",
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_people(self, "owner", owners)


class CancelForm(forms.Form):
    reason = forms.CharField(label="Why is this action no longer needed?", widget=forms.Textarea(attrs={"rows": 3}))


class SanctuaryAgreementForm(forms.Form):
    tenant_chooses_to_stay = forms.BooleanField(
        label="The tenant chooses to stay at home with sanctuary measures", required=False
    )
    tenant_choice_note = forms.CharField(
        label="How and when the tenant told us",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: in person at the office on 3 March, with their IDVA.",
    )
    landlord_agrees = forms.BooleanField(label="We, the landlord, agree to sanctuary at this home", required=False)
    landlord_agreement_note = forms.CharField(
        label="Reasons for agreeing",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: the perpetrator has left, the home can be made safe, joint tenancy considered.",
    )


class AgencyForm(forms.Form):
    name = forms.CharField(label="Name of the service", max_length=200)
    kind = forms.ChoiceField(label="Kind of service", choices=AgencyKind.choices)
    area_codes = forms.MultipleChoiceField(
        label="Areas covered",
        choices=area_choices,
        required=False,
        help_text="Leave empty if the service covers every area.",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    phone = forms.CharField(label="Service phone number", max_length=40, required=False)
    email = forms.EmailField(label="Service e-mail address", required=False)
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    notes = forms.CharField(label="Notes (opening hours, how to refer)", max_length=500, required=False)


if TYPE_CHECKING:
    _AgencyChoiceBase = forms.ModelChoiceField[Agency]
else:
    _AgencyChoiceBase = forms.ModelChoiceField


class AgencyChoiceField(_AgencyChoiceBase):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class ReferralForm(forms.Form):
    agency = AgencyChoiceField(label="Agency", queryset=Agency.objects.none(), empty_label="Choose an agency")
    purpose = forms.CharField(
        label="What the referral is for", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, AgencyChoiceField)  # noqa: S101 - declared above
        field.queryset = agencies


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(label="What happened", widget=FieldsetRadios)
    reason = forms.CharField(
        label="Reason (required if declined)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [(code, ReferralStatus(code).label) for code in allowed]


class AppraisalForm(forms.Form):
    options_considered = forms.MultipleChoiceField(
        label="Options considered", choices=Option.choices, widget=FieldsetCheckboxes, required=False
    )
    own_stock_unsuitable = forms.BooleanField(label="A transfer within our own stock is not suitable", required=False)
    own_stock_reason = forms.CharField(
        label="Why a transfer within our own stock is not suitable",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    priorities = forms.MultipleChoiceField(
        label="The tenant's priorities", choices=Priority.choices, widget=FieldsetCheckboxes, required=False
    )
    priorities_other = forms.CharField(label="Other priority", required=False, max_length=500)
    tenant_wishes = forms.CharField(
        label="The tenant's own wishes, in their words", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    decision = forms.ChoiceField(
        label="Decision", choices=[("", "No decision yet"), *Option.choices], required=False, widget=FieldsetRadios
    )
    decision_reason = forms.CharField(
        label="Reasons for the decision", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class PlaceForm(forms.Form):
    kind = forms.ChoiceField(label="This place is", choices=PlaceKind.choices, widget=FieldsetRadios)
    label = forms.CharField(
        label="What it is (for example: a parent's home, the children's school)", required=False, max_length=200
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=12, help_text="For a single place.")
    radius_km = forms.DecimalField(
        label="Distance around the postcode, in km", required=False, min_value=0.1, max_value=100, decimal_places=1
    )
    area_code = forms.ChoiceField(
        label="Or a whole council area",
        choices=lambda: [("", "No area: I entered a postcode"), *area_choices()],
        required=False,
    )
