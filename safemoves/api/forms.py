from __future__ import annotations

from typing import Any

from django import forms

from safemoves.api.models import TokenPurpose
from safemoves.api.services import MAX_DAYS, MAX_RATE
from safemoves.intake.models import ReferralLink
from safemoves.organisations.models import Membership


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, help_text="Which system will use it, for example: Kent Police case system"
    )
    purpose = forms.ChoiceField(label="What the token is for", choices=TokenPurpose.choices)
    referral_link = forms.ModelChoiceField(
        label="Agency (for an agency token)",
        queryset=ReferralLink.objects.none(),
        required=False,
        help_text="The agency's referral link: referrals through the API come from this agency.",
    )
    acting_member = forms.ModelChoiceField(
        label="Acts for (for a housing-system or staff token)",
        queryset=Membership.objects.none(),
        required=False,
        help_text="The token can do only what this member of staff can do.",
    )
    days = forms.IntegerField(
        label="Days until it expires",
        min_value=1,
        max_value=MAX_DAYS,
        initial=90,
        error_messages={"invalid": f"Enter a whole number of days from 1 to {MAX_DAYS}."},
    )
    rate_per_minute = forms.IntegerField(
        label="Requests allowed a minute",
        min_value=1,
        max_value=MAX_RATE,
        initial=120,
        error_messages={"invalid": f"Enter a whole number from 1 to {MAX_RATE}."},
    )

    def __init__(self, *args: Any, links: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referral_link"].queryset = links  # type: ignore[attr-defined]
        self.fields["acting_member"].queryset = members  # type: ignore[attr-defined]
        self.fields["acting_member"].label_from_instance = (  # type: ignore[attr-defined]
            lambda member: f"{member.user.full_name} ({member.get_role_display()})"
        )
