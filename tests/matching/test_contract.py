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


# Contract v2 (ADR 0010).


def _v2(example: dict[str, Any]) -> dict[str, Any]:
    example["version"] = 2
    return example


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("homes", "uncertainty_km", 0.2),
        ("homes", "tenure_security", 3),
        ("homes", "access", ["lift"]),
        ("households", "min_tenure_security", 2),
        ("households", "refused", ["P9"]),
        ("households", "access_needs", ["lift"]),
    ],
)
def test_v1_document_with_a_v2_field_is_rejected_naming_it(
    example: dict[str, Any], kind: str, field: str, value: object
) -> None:
    example[kind][0][field] = value
    record = 'homes[0] (id "P1")' if kind == "homes" else 'households[0] (id "H1")'
    for version in ({}, {"version": 1}):
        with pytest.raises(ContractError) as caught:
            parse({**example, **version})
        assert str(caught.value) == (
            f'{record}: field "{field}" is not a known field in contract v1 (it is v2: add "version": 2)'
        )
    assert parse(_v2(example)).version == 2


@pytest.mark.parametrize("version", [0, 3, "2", 2.0, True, None])
def test_version_must_be_1_or_2(example: dict[str, Any], version: object) -> None:
    example["version"] = version
    with pytest.raises(ContractError, match=r'^input: "version" must be 1 or 2, got '):
        parse(example)


@pytest.mark.parametrize(
    ("kind", "field", "value", "problem"),
    [
        ("homes", "uncertainty_km", -0.1, "must be between 0 and 50, got -0.1"),
        ("homes", "uncertainty_km", 50.01, "must be between 0 and 50, got 50.01"),
        ("homes", "uncertainty_km", "1", 'must be a finite number, got "1"'),
        ("homes", "tenure_security", 5, "must be at most 4, got 5"),
        ("homes", "tenure_security", 1.0, "must be an integer, got 1.0"),
        ("homes", "access", "lift", 'must be a list of strings, got "lift"'),
        ("households", "min_tenure_security", -1, "must be 0 or more, got -1"),
        ("households", "refused", "P1", 'must be a list of strings, got "P1"'),
        ("households", "access_needs", None, "must be a list of strings, got null"),
    ],
)
def test_bad_v2_field_is_named(example: dict[str, Any], kind: str, field: str, value: object, problem: str) -> None:
    example[kind][0][field] = value
    record = 'homes[0] (id "P1")' if kind == "homes" else 'households[0] (id "H1")'
    with pytest.raises(ContractError) as caught:
        parse(_v2(example))
    assert str(caught.value) == f'{record}: field "{field}" {problem}'


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [
        ("homes", "access", ["lift", "lift"], 'homes[0] (id "P1"): field "access[1]" repeats "lift"'),
        (
            "homes",
            "access",
            ["lift", "ramp"],
            'homes[0] (id "P1"): field "access[1]" must be one of step_free, level_access, lift, '
            'wheelchair_essential_rooms, wheelchair_full, got "ramp"',
        ),
        ("households", "refused", ["P1", "P1"], 'households[0] (id "H1"): field "refused[1]" repeats "P1"'),
        (
            "households",
            "refused",
            [""],
            'households[0] (id "H1"): field "refused[0]" must be a non-empty string, got ""',
        ),
    ],
)
def test_v2_lists_name_the_bad_item(
    example: dict[str, Any], kind: str, field: str, value: object, message: str
) -> None:
    example[kind][0][field] = value
    with pytest.raises(ContractError) as caught:
        parse(_v2(example))
    assert str(caught.value) == message


def test_v2_fields_parse_with_step_free_folded_in(example: dict[str, Any]) -> None:
    _two_homes(_v2(example))
    example["homes"][0].update(uncertainty_km=0.3, tenure_security=3, access=["lift"])
    example["households"][0].update(
        step_free=True, min_tenure_security=2, access_needs=["wheelchair_full"], refused=["P2", "gone"]
    )
    instance = parse(example)
    assert instance.version == 2
    assert instance.homes.uncertainty_km.tolist() == [0.3, 0.0]
    assert instance.homes.tenure.tolist() == [3, 0]
    # step_free (bit 1) + lift (bit 4); the second home is step-free by its boolean only.
    assert instance.homes.access.tolist() == [1 | 4, 1]
    assert instance.households.min_tenure.tolist() == [2]
    assert instance.households.access_needs.tolist() == [1 | 16]
    # "gone" is not in the document: allowed, and dropped.
    assert instance.households.refused.tolist() == [1]
    assert instance.households.refused_ptr.tolist() == [0, 1]


def test_huge_integer_is_refused_not_crashed(example: dict[str, Any]) -> None:
    example["households"][0]["waiting_days"] = 2**70
    with pytest.raises(ContractError, match=r'field "waiting_days" must be at most 9223372036854775807'):
        parse(example)
