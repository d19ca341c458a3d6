from __future__ import annotations

from typing import Any

from django import forms

from safemoves.letters.models import LetterTemplate
from safemoves.letters.standard import MERGE_FIELDS

MERGE_HELP = "Merge fields: " + ", ".join("{" + name + "} (" + text + ")" for name, text in MERGE_FIELDS.items()) + "."


class ChooseTemplateForm(forms.Form):
    template = forms.ChoiceField(label="Letter template", error_messages={"required": "Choose a letter template."})

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = choices
        self.fields["template"].error_messages["invalid_choice"] = "Choose one of the letter templates listed."


class LetterForm(forms.Form):
    template = forms.CharField(widget=forms.HiddenInput)
    subject = forms.CharField(label="Subject", max_length=200, error_messages={"required": "Enter the subject."})
    body = forms.CharField(
        label="Letter",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=MERGE_HELP,
        error_messages={"required": "Write the letter."},
    )


class TemplateForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = LetterTemplate
        fields = ["name", "letterhead", "sender_name", "sender_role", "subject", "body", "is_active"]
        labels = {
            "name": "Template name",
            "letterhead": "Letterhead",
            "sender_name": "Signed by",
            "sender_role": "Job title under the signature",
            "subject": "Subject",
            "body": "Letter",
            "is_active": "Offer this template to officers",
        }
        help_texts = {"sender_name": MERGE_HELP, "body": MERGE_HELP}
        widgets = {"letterhead": forms.Textarea(attrs={"rows": 4}), "body": forms.Textarea(attrs={"rows": 14})}
