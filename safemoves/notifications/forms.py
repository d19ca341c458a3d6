from __future__ import annotations

from django import forms

from safemoves.notifications.codes import NotificationKind


class PreferencesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label="Send me an e-mail for",
        choices=NotificationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Every notification also shows in SafeMoves. E-mails carry only a reference and a link.",
    )
