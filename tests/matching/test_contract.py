from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from safemoves.matching import ContractError, parse
from safemoves.matching.contract import loads


def _two_homes(example: dict[str, Any]) -> dict[str, Any]:
    example["homes"].append(dict(example["homes"][0], id="P2"))
    return example


def test_example_parses_with_defaults(example: dict[str, Any]) -> None:
    del example["rules"], example["ledger"]
    del example["households"][0]["urgent"], example["households"][0]["waiting_days"]
    instance = parse(example)
    assert instance.max_extra_bedrooms == 1
    assert instance.same_landlord is False
    assert instance.ledger.tolist() == [0, 0]
    assert instance.households.urgent.tolist() == [False]
    assert instance.households.waiting_days.tolist() == [0]


def test_records_are_sorted_by_id(example: dict[str, Any]) -> None:
    example["homes"].insert(0, dict(example["homes"][0], id="P9"))
    example["homes"].append(dict(example["homes"][0], id="P0"))
    assert parse(example).homes.ids == ["P0", "P1", "P9"]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ("homes", 1, "lat"),
            123.0,
            'homes[1] (id "P2"): field "lat" must be between -90 and 90, got 123.0',
        ),
        (
            ("homes", 1, "lon"),
            -180.5,
            'homes[1] (id "P2"): field "lon" must be between -180 and 180, got -180.5',
        ),
        (
            ("homes", 1, "bedrooms"),
            2.5,
            'homes[1] (id "P2"): field "bedrooms" must be an integer, got 2.5',
        ),
        (
            ("homes", 1, "bedrooms"),
            True,
            'homes[1] (id "P2"): field "bedrooms" must be an integer, got true',
        ),
        (
            ("homes", 1, "pets"),
            "true",
            'homes[1] (id "P2"): field "pets" must be true or false, got "true"',
        ),
        (
            ("homes", 1, "lat"),
            "51.2",
            'homes[1] (id "P2"): field "lat" must be a finite number, got "51.2"',
        ),
        (
            ("homes", 1, "id"),
            7,
            'homes[1]: field "id" must be a non-empty string, got 7',
        ),
        (
            ("homes", 1, "colour"),
            "red",
            'homes[1] (id "P2"): field "colour" is not a known field',
        ),
        (
            ("households", 0, "bedrooms"),
            -1,
            'households[0] (id "H1"): field "bedrooms" must be 0 or more, got -1',
        ),
        (
            ("households", 0, "urgent"),
            "yes",
            'households[0] (id "H1"): field "urgent" must be true or false, got "yes"',
        ),
        (
            ("households", 0, "areas"),
            "E07000110",
            'households[0] (id "H1"): field "areas" must be a list of strings, got "E07000110"',
        ),
        (
            ("households", 0, "avoid"),
            [{"lat": 51.0, "lon": 1.0, "km": -3}],
            'households[0] (id "H1"): field "avoid[0].km" must be >= 0, got -3',
        ),
        (
            ("households", 0, "near"),
            [{"lat": 91, "lon": 1.0, "km": 3}],
            'households[0] (id "H1"): field "near[0].lat" must be between -90 and 90, got 91',
        ),
        (
            ("households", 0, "prefer"),
            [{"lat": 51.0, "lon": 1.0, "km": 3}],
            'households[0] (id "H1"): field "prefer[0].km" is not a known field',
        ),
        (
            ("households", 0, "avoid"),
            [{"lat": 51.0, "lon": 1.0}],
            'households[0] (id "H1"): field "avoid[0].km" is required',
        ),
    ],
)
def test_bad_field_is_named(example: dict[str, Any], path: tuple[str, int, str], value: object, message: str) -> None:
    doc = _two_homes(example)
    kind, index, field = path
    doc[kind][index][field] = value
    with pytest.raises(ContractError) as caught:
        parse(doc)
    assert str(caught.value) == message


def test_missing_id(example: dict[str, Any]) -> None:
    del example["households"][0]["id"]
    with pytest.raises(ContractError, match=r'^households\[0\]: field "id" is required$'):
        parse(example)


def test_duplicate_id(example: dict[str, Any]) -> None:
    doc = _two_homes(example)
    doc["homes"][1]["id"] = "P1"
    with pytest.raises(ContractError) as caught:
        parse(doc)
    assert str(caught.value) == 'homes[1] (id "P1"): field "id" duplicates homes[0]'


def test_unknown_rule(example: dict[str, Any]) -> None:
    example["rules"]["max_distance"] = 3
    with pytest.raises(ContractError, match=r'^rules: unknown rule "max_distance"$'):
        parse(example)


def test_rule_types(example: dict[str, Any]) -> None:
    example["rules"]["same_landlord"] = "false"
    with pytest.raises(ContractError, match=r'^rules: field "same_landlord" must be true or'):
        parse(example)


def test_unknown_top_level_key(example: dict[str, Any]) -> None:
    example["matches"] = []
    with pytest.raises(ContractError, match=r'^input: unknown top-level key "matches"$'):
        parse(example)


@pytest.mark.parametrize("key", ["households", "homes"])
def test_required_top_level_lists(example: dict[str, Any], key: str) -> None:
    del example[key]
    with pytest.raises(ContractError, match=rf'^input: top-level key "{key}" is required$'):
        parse(example)


def test_ledger_balance_must_be_integer(example: dict[str, Any]) -> None:
    example["ledger"]["L2"] = 1.5
    with pytest.raises(ContractError, match=r'^ledger: balance of landlord "L2" must be an'):
        parse(example)


def test_record_must_be_object(example: dict[str, Any]) -> None:
    example["homes"].append("P3")
    with pytest.raises(ContractError, match=r'^homes\[1\]: must be an object, got "P3"$'):
        parse(example)


@pytest.mark.parametrize("text", ['{"homes": NaN}', '{"homes": -Infinity}', "{"])
def test_strict_json(text: str) -> None:
    with pytest.raises(ContractError, match=r"^input: "):
        loads(text)


def test_repeated_areas_are_merged(example: dict[str, Any]) -> None:
    example["households"][0]["areas"] = ["A", "A", "B"]
    instance = parse(example)
    assert [instance.area_names[c] for c in instance.households.areas.tolist()] == ["A", "B"]
    assert np.diff(instance.households.areas_ptr).tolist() == [2]
