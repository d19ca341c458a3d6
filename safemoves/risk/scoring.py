"""DASH scoring, banding, professional judgement and escalation: pure functions, no Django.

* The score is the number of "yes" answers; "no" and "not known" score nothing.
* The band comes from the score and the MARAC area's thresholds (default 14+ high,
  10-13 medium, below 10 standard).
* Professional judgement may raise the band, never lower it, and must give a reason.
* Escalation: enough police call-outs within the area's window (default 3 in 12 months;
  Kent and Medway count 3 in 6 months) calls for a MARAC referral whatever the score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "ANSWERS",
    "Assessment",
    "Band",
    "EscalationRule",
    "JudgementError",
    "Thresholds",
    "assess",
    "band_for",
    "final_band",
    "is_escalated",
    "score",
]


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_KNOWN = "not_known"


ANSWERS = tuple(answer.value for answer in Answer)


class Band(StrEnum):
    STANDARD = "standard"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Band.STANDARD: 0, Band.MEDIUM: 1, Band.HIGH: 2}


class JudgementError(ValueError):
    """A professional judgement that would lower the band, or that gives no reason."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Lowest score of each band; scores below ``medium`` are standard."""

    high: int = 14
    medium: int = 10

    def __post_init__(self) -> None:
        if not 1 <= self.medium <= self.high:
            raise ValueError(f"thresholds need 1 <= medium <= high, not medium={self.medium}, high={self.high}")


@dataclass(frozen=True, slots=True)
class EscalationRule:
    callouts: int = 3
    window_months: int = 12

    def __post_init__(self) -> None:
        if self.callouts < 1 or self.window_months < 1:
            raise ValueError("an escalation rule needs at least 1 call-out in at least 1 month")


def score(answers: Mapping[str, str], keys: tuple[str, ...]) -> int:
    """The number of "yes" answers among ``keys``; every key needs an answer from :data:`ANSWERS`."""
    missing = [key for key in keys if key not in answers]
    if missing:
        raise ValueError(f"unanswered: {', '.join(missing)}")
    unknown = sorted(set(answers) - set(keys))
    if unknown:
        raise ValueError(f"not questions of this set: {', '.join(unknown)}")
    invalid = [key for key in keys if answers[key] not in ANSWERS]
    if invalid:
        raise ValueError(f"answers must be yes, no or not known: {', '.join(invalid)}")
    return sum(1 for key in keys if answers[key] == Answer.YES)


def band_for(points: int, thresholds: Thresholds) -> Band:
    if points < 0:
        raise ValueError(f"a score cannot be negative ({points})")
    if points >= thresholds.high:
        return Band.HIGH
    if points >= thresholds.medium:
        return Band.MEDIUM
    return Band.STANDARD


def final_band(computed: Band, judgement: Band | None, reason: str) -> Band:
    """The band after professional judgement, which may only raise it and must say why.

    A judgement equal to the computed band changes nothing and needs no reason.
    """
    if judgement is None or judgement == computed:
        return computed
    if judgement.rank < computed.rank:
        raise JudgementError(
            f"Professional judgement cannot lower the risk level: the answers give {computed.value} risk."
        )
    if not reason.strip():
        raise JudgementError("Give the reason for raising the risk level on professional judgement.")
    return judgement


def is_escalated(police_callouts: int | None, rule: EscalationRule) -> bool:
    """``police_callouts`` counts call-outs within ``rule.window_months``; None means not known."""
    if police_callouts is None:
        return False
    if police_callouts < 0:
        raise ValueError("police call-outs cannot be negative")
    return police_callouts >= rule.callouts


@dataclass(frozen=True, slots=True)
class Assessment:
    score: int
    computed_band: Band
    final_band: Band
    escalated: bool

    @property
    def marac_required(self) -> bool:
        return self.final_band == Band.HIGH or self.escalated


def assess(
    answers: Mapping[str, str],
    keys: tuple[str, ...],
    *,
    thresholds: Thresholds,
    rule: EscalationRule,
    judgement: Band | None = None,
    judgement_reason: str = "",
    police_callouts: int | None = None,
) -> Assessment:
    points = score(answers, keys)
    computed = band_for(points, thresholds)
    return Assessment(
        score=points,
        computed_band=computed,
        final_band=final_band(computed, judgement, judgement_reason),
        escalated=is_escalated(police_callouts, rule),
    )
