from __future__ import annotations

from typing import Any

from django import forms

from safemoves.letters.standard import MERGE_FIELDS

MERGE_HELP = "Merge fields: " + ", ".join("{" + name + "} (" + text + ")" for name, text in MERGE_FIELDS.items()) + "."


class ChooseTemplateForm(forms.Form):
    template = forms.ChoiceField(label="Letter template", error_messages={"required": "Choose a letter template."})

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = choices
        field.error_messages["invalid_choice"] = "Choose one of the letter templates listed."


class LetterForm(forms.Form):
    template = forms.CharField(widget=forms.HiddenInput)
    subject = forms.CharField(label="Subject", max_length=200, error_messages={"required": "Enter the subject."})
    body = forms.CharField(
        label="Letter",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=MERGE_HELP,
        error_messages={"required": "Write the letter."},
    )


class TemplateForm(forms.Form):
    name = forms.CharField(label="Template name", max_length=120)
    letterhead = forms.CharField(
        label="Letterhead",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The landlord's name on the first line, then its address and phone.",
    )
    sender_name = forms.CharField(label="Signed by", max_length=120, help_text=MERGE_HELP)
    sender_role = forms.CharField(label="Job title under the signature", max_length=120, required=False)
    subject = forms.CharField(label="Subject", max_length=200)
    body = forms.CharField(label="Letter", widget=forms.Textarea(attrs={"rows": 14}), help_text=MERGE_HELP)
    is_active = forms.BooleanField(label="Offer this template to officers", required=False)
