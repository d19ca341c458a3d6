"""The column validation and chunked numeric paths give exactly what the simple paths give."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

from safemoves.matching import columns, contract, feasibility, match, records, scoring
from safemoves.matching.contract import Instance, Points
from safemoves.matching.model import Codes

from .test_properties import any_instance


def _assert_same_instance(a: Instance, b: Instance) -> None:
    assert a.landlord_names == b.landlord_names
    assert a.area_names == b.area_names
    np.testing.assert_array_equal(a.ledger, b.ledger)
    for side in ("households", "homes"):
        x, y = getattr(a, side), getattr(b, side)
        for name in x.__dataclass_fields__:
            left, right = getattr(x, name), getattr(y, name)
            if isinstance(left, Points):
                for part in ("ptr", "lat", "lon", "value"):
                    np.testing.assert_array_equal(getattr(left, part), getattr(right, part))
                    assert getattr(left, part).dtype == getattr(right, part).dtype
            elif isinstance(left, list):
                assert left == right
            else:
                np.testing.assert_array_equal(left, right)
                assert left.dtype == right.dtype


def _per_record(doc: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> Instance:
    with monkeypatch.context() as patch:
        patch.setattr(columns, "households", lambda *_args: None)
        patch.setattr(columns, "homes", lambda *_args: None)
        return contract.parse(doc)


@settings(max_examples=80, deadline=None)
@given(any_instance(max_households=8, max_homes=8))
def test_column_validation_matches_per_record_path(doc: dict[str, Any]) -> None:
    """The column path and the detailed path build identical arrays (each really runs)."""
    calls: list[str] = []
    with pytest.MonkeyPatch.context() as monkeypatch:
        for name in ("parse_households", "parse_homes"):
            original = getattr(records, name)

            def counted(*args: Any, _original: Any = original, _name: str = name) -> Any:
                calls.append(_name)
                return _original(*args)

            monkeypatch.setattr(records, name, counted)
        column = contract.parse(doc)
        assert calls == []
        detailed = _per_record(doc, monkeypatch)
        assert calls == ["parse_households", "parse_homes"]
    _assert_same_instance(column, detailed)


def test_valid_documents_take_the_column_path(example: dict[str, Any]) -> None:
    example["households"][0]["areas"] = ["A", "B", "A"]
    landlords, areas = Codes(), Codes()
    households = columns.households(example["households"], 1, landlords, areas, Codes())
    homes = columns.homes(example["homes"], 1, landlords, areas)
    assert households is not None
    assert homes is not None
    assert [areas.names[c] for c in households.areas.tolist()] == ["A", "B"]
    assert [areas.names[c] for c in households.avoid_areas.tolist()] == ["E07000106"]
    assert landlords.names == ["L1", "L2"]


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("homes", "lat", 90.5),
        ("homes", "bedrooms", True),
        ("homes", "pets", 1),
        ("homes", "area", " "),
        ("households", "waiting_days", -1),
        ("households", "waiting_days", 10**30),
        ("households", "areas", ["A", 3]),
        ("households", "avoid", [{"lat": 51.0, "lon": 1.0, "km": float("inf")}]),
        ("households", "near", [{"lat": 51.0, "lon": 1.0, "km": 1, "extra": 1}]),
        ("households", "prefer", [{"lat": float("nan"), "lon": 1.0, "weight": 1}]),
        ("households", "id", "P1 "),
        ("homes", "uncertainty_km", 50.5),
        ("homes", "tenure_security", 5),
        ("homes", "access", ["lift", "lift"]),
        ("homes", "access", ["escalator"]),
        ("households", "min_tenure_security", -1),
        ("households", "access_needs", "lift"),
        ("households", "refused", ["P1", "P1"]),
    ],
)
def test_column_path_declines_what_it_cannot_vouch_for(
    example: dict[str, Any], kind: str, field: str, value: object
) -> None:
    """Doubtful columns go back to the per-record path (which names the problem, if any)."""
    doc = copy.deepcopy(example)
    doc[kind][0][field] = value
    if field == "id":
        doc[kind].append(dict(doc[kind][0], id="P1 "))
    if kind == "households":
        assert columns.households(doc[kind], 2, Codes(), Codes(), Codes()) is None
    else:
        assert columns.homes(doc[kind], 2, Codes(), Codes()) is None


def test_duplicate_ids_still_named_after_column_path(example: dict[str, Any]) -> None:
    example["homes"].append(dict(example["homes"][0]))
    with pytest.raises(contract.ContractError, match=r'^homes\[1\] \(id "P1"\): field "id" duplicates homes\[0\]$'):
        contract.parse(example)


@settings(max_examples=60, deadline=None)
@given(any_instance(max_households=10, max_homes=10))
def test_chunked_candidates_distance_rules_and_scores_match_single_pass(doc: dict[str, Any]) -> None:
    whole = match(doc)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(feasibility, "_CHUNK_ROWS", 3)
        monkeypatch.setattr(feasibility, "_CHUNK_CANDIDATES", 2)
        monkeypatch.setattr(scoring, "_CHUNK_PAIRS", 2)
        chunked = match(doc)
        # Every owner's points (and preferred places) expanded into rows, not one index at a time.
        monkeypatch.setattr(feasibility, "_FEW_POINTS", 0)
        monkeypatch.setattr(scoring, "_FEW_PLACES", 0)
        # Area membership by sorted keys and binary search instead of the owners x areas table.
        monkeypatch.setattr(feasibility, "_MEMBER_TABLE_MAX", 0)
        expanded = match(doc)
    for result in (whole, chunked, expanded):
        result["stats"].pop("timings_ms")
    assert chunked == whole
    assert expanded == whole


def test_score_totals_equal_score_parts(example: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    example["homes"] = [dict(example["homes"][0], id=f"P{i}", bedrooms=2 + i % 2) for i in range(5)]
    parsed = contract.parse(example)
    household = np.zeros(5, dtype=np.int64)
    home = np.arange(5, dtype=np.int64)
    monkeypatch.setattr(scoring, "_CHUNK_PAIRS", 2)
    totals = scoring.score_totals(parsed, household, home)
    assert totals.tolist() == scoring.score_pairs(parsed, household, home).total.tolist()
    # urgent 200, waiting 5, preferred place 12.6 km away 44, size 50 or 25, ledger 20.
    assert totals.tolist() == [319, 294, 319, 294, 319]


@settings(max_examples=60, deadline=None)
@given(any_instance(max_households=10, max_homes=10))
def test_kd_tree_and_plain_generators_give_the_same_pairs(doc: dict[str, Any]) -> None:
    """Small pools skip the KD-tree; forcing it must not change a single pair."""
    parsed = contract.parse(doc)
    plain = feasibility.feasible_pairs(parsed)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(feasibility, "_TREE_MIN_CANDIDATES", -1)
        with_tree = feasibility.feasible_pairs(parsed)
    assert plain.household.tolist() == with_tree.household.tolist()
    assert plain.home.tolist() == with_tree.home.tolist()
    if any(h.get("near") for h in doc["households"]) and doc["homes"]:
        assert plain.generator_counts["near"] == 0
