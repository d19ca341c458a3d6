"""The DASH question sets, read from versioned JSON shipped in the package (no Django import).

A new edition of the checklist is a new file in ``data/`` with a new version id; stored
assessments keep the id of the set they were answered on, so old answers stay readable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = ["CURRENT_VERSION", "Question", "QuestionSet", "available_versions", "question_set"]

DATA_DIR = Path(__file__).parent / "data"
CURRENT_VERSION = "dash-2009"
_FILES = {"dash-2009": "dash_v2009.json"}


@dataclass(frozen=True, slots=True)
class Question:
    number: int
    section: str
    text: str
    hint: str

    @property
    def key(self) -> str:
        return f"q{self.number}"


@dataclass(frozen=True, slots=True)
class QuestionSet:
    version: str
    title: str
    questions: tuple[Question, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(question.key for question in self.questions)

    def sections(self) -> list[tuple[str, list[Question]]]:
        grouped: list[tuple[str, list[Question]]] = []
        for question in self.questions:
            if not grouped or grouped[-1][0] != question.section:
                grouped.append((question.section, []))
            grouped[-1][1].append(question)
        return grouped


def available_versions() -> tuple[str, ...]:
    return tuple(_FILES)


@cache
def question_set(version: str = CURRENT_VERSION) -> QuestionSet:
    """The question set ``version``; ``KeyError`` naming it if the product has no such set."""
    try:
        filename = _FILES[version]
    except KeyError:
        raise KeyError(f"{version!r} is not a DASH question set SafeMoves knows") from None
    document = json.loads((DATA_DIR / filename).read_text(encoding="utf-8"))
    if document["version"] != version:
        raise ValueError(f"{filename} declares version {document['version']!r}, expected {version!r}")
    questions = tuple(
        Question(number=int(row["number"]), section=row["section"], text=row["text"], hint=row.get("hint", ""))
        for row in document["questions"]
    )
    numbers = [question.number for question in questions]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"{filename}: questions must be numbered 1 to {len(numbers)} in order")
    return QuestionSet(version=version, title=document["title"], questions=questions)
