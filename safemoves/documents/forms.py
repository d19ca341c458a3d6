from __future__ import annotations

from django import forms

from safemoves.documents.models import DocumentKind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is the document?",
        choices=DocumentKind.choices,
        error_messages={"required": "Choose what the document is."},
    )
    file = forms.FileField(
        label="File",
        help_text="A PDF, PNG or JPEG file of up to 10 MB. Photos of paper copies are fine.",
        error_messages={"required": "Choose the file to upload.", "empty": "The file is empty."},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: Kent Police report, 3 November.",
    )
