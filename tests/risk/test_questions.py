from __future__ import annotations

import pytest

from safemoves.risk.questions import CURRENT_VERSION, available_versions, question_set


def test_the_2009_checklist_has_24_numbered_questions() -> None:
    questions = question_set()
    assert questions.version == CURRENT_VERSION == "dash-2009"
    assert [question.number for question in questions.questions] == list(range(1, 25))
    assert questions.keys[0] == "q1"
    assert questions.keys[-1] == "q24"
    assert questions.questions[0].text == "Has the current incident resulted in injury?"
    assert questions.questions[1].text == "Are you very frightened?"
    assert questions.questions[23].text == (
        "Do you know if the abuser has ever been in trouble with the police or has a criminal history?"
    )


def test_questions_are_grouped_by_section_in_order() -> None:
    sections = question_set().sections()
    assert [name for name, _ in sections] == [
        "The current situation",
        "Children and pregnancy",
        "The abuse",
        "The abuser",
    ]
    assert sum(len(items) for _, items in sections) == 24


def test_an_unknown_version_is_refused_by_name() -> None:
    assert available_versions() == ("dash-2009",)
    with pytest.raises(KeyError, match="'dash-1999' is not a DASH question set"):
        question_set("dash-1999")
