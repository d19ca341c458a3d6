from __future__ import annotations

from typing import Any

from django import forms

from safemoves.geo import AREA_NAMES
from safemoves.risk.models import RiskBand
from safemoves.risk.questions import QuestionSet
from safemoves.risk.scoring import Answer

# ISO dates, as <input type="date"> requires whatever the language of the page.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FieldsetRadios(forms.RadioSelect):
    """Radios whose group id is the fieldset's, so the error summary can link to the question."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return id_ if index is None else super().id_for_label(id_, index)


ANSWER_CHOICES = [(Answer.YES.value, "Yes"), (Answer.NO.value, "No"), (Answer.NOT_KNOWN.value, "Not known")]


def area_choices() -> list[tuple[str, str]]:
    return [("", "Choose an area"), *sorted(AREA_NAMES.items(), key=lambda item: item[1])]


class DashForm(forms.Form):
    """The checklist: one yes / no / not known group and one comment box per question."""

    police_callouts = forms.IntegerField(
        label="Police call-outs to the household",
        min_value=0,
        max_value=999,
        required=False,
        help_text="Leave empty if not known.",
    )
    judgement_band = forms.ChoiceField(
        label="Professional judgement: raise the risk level to",
        choices=[("", "No change"), *RiskBand.choices],
        required=False,
    )
    judgement_reason = forms.CharField(
        label="Reason for the professional judgement",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, questions: QuestionSet, window_months: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.fields["police_callouts"].label = f"Police call-outs to the household in the last {window_months} months"
        for question in questions.questions:
            self.fields[question.key] = forms.ChoiceField(
                label=f"{question.number}. {question.text}",
                choices=ANSWER_CHOICES,
                widget=FieldsetRadios,
                error_messages={"required": f"Answer question {question.number}: yes, no or not known."},
            )
            self.fields[f"comment_{question.key}"] = forms.CharField(
                label=f"Comments on question {question.number} (optional)",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=4000,
            )

    def rows(self) -> list[tuple[str, list[dict[str, Any]]]]:
        """Questions grouped by section, each with its answer field and comment field."""
        return [
            (
                section,
                [
                    {"question": question, "answer": self[question.key], "comment": self[f"comment_{question.key}"]}
                    for question in questions
                ],
            )
            for section, questions in self.questions.sections()
        ]

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in self.questions.keys}

    def comments(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"comment_{key}", "") for key in self.questions.keys}


class MaracReferralForm(forms.Form):
    area_code = forms.ChoiceField(label="MARAC area", choices=area_choices)
    referred_on = forms.DateField(label="Date referred", widget=DATE_INPUT)
    meeting_on = forms.DateField(label="MARAC meeting date", required=False, widget=DATE_INPUT)
    actions_agreed = forms.CharField(
        label="Actions agreed at the MARAC", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class MaracUpdateForm(forms.Form):
    meeting_on = forms.DateField(label="MARAC meeting date", required=False, widget=DATE_INPUT)
    actions_agreed = forms.CharField(
        label="Actions agreed at the MARAC", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class MaracTransferForm(forms.Form):
    to_area_code = forms.ChoiceField(label="New MARAC area", choices=area_choices)
    transferred_on = forms.DateField(label="Date transferred", widget=DATE_INPUT)


def settings_area_choices() -> list[tuple[str, str]]:
    return [("", "Our default (every area without its own setting)"), *area_choices()[1:]]


class RiskSettingsForm(forms.Form):
    area_code = forms.ChoiceField(label="MARAC area", choices=settings_area_choices, required=False)
    high_threshold = forms.IntegerField(
        label="High risk from this many yes answers",
        min_value=1,
        help_text="14 is the default; it can be lowered, never raised.",
    )
    medium_threshold = forms.IntegerField(
        label="Medium risk from this many yes answers",
        min_value=1,
        help_text="10 is the default; it can be lowered, never raised.",
    )
    escalation_callouts = forms.IntegerField(
        label="Escalate to MARAC after this many police call-outs",
        min_value=1,
        help_text="3 is the default; it can be lowered, never raised.",
    )
    escalation_window_months = forms.IntegerField(
        label="Counting call-outs over this many months",
        min_value=1,
        help_text="12 months by default (6 in Kent and Medway); it can be lengthened, never shortened.",
    )
