"""Property tests of DASH scoring, banding, judgement and escalation (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safemoves.risk.scoring import (
    ANSWERS,
    Band,
    EscalationRule,
    JudgementError,
    Thresholds,
    assess,
    band_for,
    final_band,
    is_escalated,
    score,
)

KEYS = tuple(f"q{number}" for number in range(1, 25))
answer_sets = st.fixed_dictionaries({key: st.sampled_from(ANSWERS) for key in KEYS})
bands = st.sampled_from(list(Band))


@st.composite
def thresholds(draw: st.DrawFn) -> Thresholds:
    medium = draw(st.integers(min_value=1, max_value=24))
    high = draw(st.integers(min_value=medium, max_value=24))
    return Thresholds(high=high, medium=medium)


@given(answer_sets)
def test_the_score_is_the_number_of_yes_answers(answers: dict[str, str]) -> None:
    assert score(answers, KEYS) == list(answers.values()).count("yes")


@given(answer_sets, st.sampled_from(KEYS))
def test_turning_an_answer_to_yes_adds_at_most_one(answers: dict[str, str], key: str) -> None:
    before = score(answers, KEYS)
    after = score({**answers, key: "yes"}, KEYS)
    assert after - before == (0 if answers[key] == "yes" else 1)


@given(st.integers(min_value=0, max_value=24))
def test_default_bands(points: int) -> None:
    expected = Band.HIGH if points >= 14 else Band.MEDIUM if points >= 10 else Band.STANDARD
    assert band_for(points, Thresholds()) == expected


def test_default_band_edges() -> None:
    assert [band_for(points, Thresholds()) for points in (0, 9, 10, 13, 14, 24)] == [
        Band.STANDARD,
        Band.STANDARD,
        Band.MEDIUM,
        Band.MEDIUM,
        Band.HIGH,
        Band.HIGH,
    ]


@given(thresholds(), st.integers(min_value=0, max_value=24), st.integers(min_value=0, max_value=24))
def test_banding_never_falls_as_the_score_rises(limits: Thresholds, first: int, second: int) -> None:
    low, high = sorted((first, second))
    assert band_for(low, limits).rank <= band_for(high, limits).rank


@given(thresholds(), st.integers(min_value=0, max_value=24))
def test_band_follows_the_area_thresholds(limits: Thresholds, points: int) -> None:
    band = band_for(points, limits)
    assert (band == Band.HIGH) == (points >= limits.high)
    assert (band == Band.STANDARD) == (points < limits.medium)


@given(bands, bands, st.text(min_size=1).filter(str.strip))
def test_judgement_never_lowers(computed: Band, judgement: Band, reason: str) -> None:
    if judgement.rank < computed.rank:
        with pytest.raises(JudgementError, match="cannot lower"):
            final_band(computed, judgement, reason)
    else:
        result = final_band(computed, judgement, reason)
        assert result == judgement
        assert result.rank >= computed.rank


@given(bands, st.one_of(st.none(), bands))
def test_the_final_band_is_never_below_the_answers(computed: Band, judgement: Band | None) -> None:
    try:
        result = final_band(computed, judgement, "Reason given")
    except JudgementError:
        assert judgement is not None
        assert judgement.rank < computed.rank
    else:
        assert result.rank >= computed.rank


@given(bands, bands)
def test_raising_needs_a_reason(computed: Band, judgement: Band) -> None:
    if judgement.rank > computed.rank:
        with pytest.raises(JudgementError, match="Give the reason"):
            final_band(computed, judgement, "   ")
    elif judgement == computed:
        assert final_band(computed, judgement, "") == computed


@given(st.one_of(st.none(), st.integers(min_value=0, max_value=50)), st.integers(1, 10), st.integers(1, 24))
def test_escalation_counts_call_outs_in_the_window(callouts: int | None, needed: int, months: int) -> None:
    rule = EscalationRule(callouts=needed, window_months=months)
    assert is_escalated(callouts, rule) == (callouts is not None and callouts >= needed)


def test_default_escalation_is_three_call_outs() -> None:
    assert EscalationRule() == EscalationRule(callouts=3, window_months=12)
    assert is_escalated(2, EscalationRule()) is False
    assert is_escalated(3, EscalationRule()) is True
    assert is_escalated(None, EscalationRule()) is False


@given(answer_sets, thresholds(), st.one_of(st.none(), bands), st.one_of(st.none(), st.integers(0, 10)))
def test_assess_requires_marac_for_high_or_escalated(
    answers: dict[str, str], limits: Thresholds, judgement: Band | None, callouts: int | None
) -> None:
    try:
        result = assess(
            answers,
            KEYS,
            thresholds=limits,
            rule=EscalationRule(),
            judgement=judgement,
            judgement_reason="Stalking since the separation",
            police_callouts=callouts,
        )
    except JudgementError:
        assert judgement is not None
        assert judgement.rank < band_for(score(answers, KEYS), limits).rank
        return
    assert result.score == score(answers, KEYS)
    assert result.final_band.rank >= result.computed_band.rank
    assert result.marac_required == (result.final_band == Band.HIGH or (callouts or 0) >= 3)


def test_incomplete_or_invalid_answers_are_refused() -> None:
    answers = dict.fromkeys(KEYS, "no")
    with pytest.raises(ValueError, match="unanswered: q24"):
        score({key: value for key, value in answers.items() if key != "q24"}, KEYS)
    with pytest.raises(ValueError, match="answers must be yes, no or not known: q3"):
        score({**answers, "q3": "maybe"}, KEYS)
    with pytest.raises(ValueError, match="not questions of this set: q25"):
        score({**answers, "q25": "yes"}, KEYS)


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="1 <= medium <= high"):
        Thresholds(high=9, medium=10)
    with pytest.raises(ValueError, match="1 <= medium <= high"):
        Thresholds(high=14, medium=0)
