"""The matching contract (v1, and v2 of ADR 0010): validate a decoded document into arrays.

Validation is strict because the Django side is the only expected producer: anything
unexpected is more likely a bug there than a value to guess at. Every error names the
record (list position and id) and the field, so a coordinator can fix the source data.

A document is v2 when it says ``"version": 2``; otherwise it is v1 and a v2 field in it is
rejected, naming the record and field. Optional fields and their defaults: ``step_free``/
``pets``/``urgent`` false, list fields empty, ``waiting_days`` 0; on homes ``step_free``/
``pets`` false (the conservative reading); v2: ``uncertainty_km``/``tenure_security``/
``min_tenure_security`` 0, ``access``/``access_needs``/``refused`` empty.

Two tiers accept exactly the same documents: the column path (:mod:`.columns`) builds the
arrays for every valid document; when it declines, the detailed path (:mod:`.records`)
names the problem. Internally households and homes are sorted by id, so results never
depend on input order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Final

import numpy as np
import orjson

from . import columns, records
from .model import (
    ACCESS_CODES,
    BoolArray,
    Codes,
    FloatArray,
    Homes,
    Households,
    Instance,
    IntArray,
    Points,
)
from .records import ContractError, Record, is_int, shown

DEFAULT_MAX_EXTRA_BEDROOMS: Final = 1
VERSIONS: Final = (1, 2)
TOP_LEVEL_KEYS: Final = frozenset({"version", "households", "homes", "ledger", "rules"})
RULE_NAMES: Final = frozenset({"max_extra_bedrooms", "same_landlord"})

__all__ = [
    "ACCESS_CODES",
    "BoolArray",
    "ContractError",
    "FloatArray",
    "Homes",
    "Households",
    "Instance",
    "IntArray",
    "Points",
    "loads",
    "parse",
]


def _records(data: Mapping[str, object], kind: str) -> list[object]:
    if kind not in data:
        raise ContractError(f'input: top-level key "{kind}" is required')
    value = data[kind]
    if not isinstance(value, list):
        raise ContractError(f'input: "{kind}" must be a list, got {shown(value)}')
    return value


def _version(data: Mapping[str, object]) -> int:
    value = data.get("version", 1)
    if not is_int(value) or value not in VERSIONS:
        raise ContractError(f'input: "version" must be 1 or 2, got {shown(value)}')
    assert isinstance(value, int)  # noqa: S101 - narrows the type for mypy
    return value


def parse(data: object) -> Instance:
    """Validate a decoded v1 or v2 document; raise :class:`ContractError` naming record and field."""
    if not isinstance(data, dict):
        raise ContractError(f"input: must be a JSON object, got {shown(data)}")
    unknown = sorted(set(data) - TOP_LEVEL_KEYS)
    if unknown:
        raise ContractError(f'input: unknown top-level key "{unknown[0]}"')
    version = _version(data)

    landlords, areas, refused = Codes(), Codes(), Codes()
    max_extra, same_landlord = _parse_rules(data.get("rules", {}))
    household_records = _records(data, "households")
    households = columns.households(household_records, version, landlords, areas, refused)
    if households is None:
        landlords, areas, refused = Codes(), Codes(), Codes()
        households = records.parse_households(household_records, version, landlords, areas, refused)
    home_records = _records(data, "homes")
    saved_landlords, saved_areas = dict(landlords.index), dict(areas.index)
    homes = columns.homes(home_records, version, landlords, areas)
    if homes is None:
        landlords.index, areas.index = saved_landlords, saved_areas
        homes = records.parse_homes(home_records, version, landlords, areas)
    balances = _parse_ledger(data.get("ledger", {}), landlords)
    ledger = np.zeros(len(landlords.index), dtype=np.int64)
    for code, balance in balances.items():
        ledger[code] = balance
    return Instance(
        households=_resolve_refused(households, refused, homes),
        homes=homes,
        landlord_names=landlords.names,
        area_names=areas.names,
        ledger=ledger,
        max_extra_bedrooms=max_extra,
        same_landlord=same_landlord,
        version=version,
    )


def _resolve_refused(households: Households, refused: Codes, homes: Homes) -> Households:
    """Refused home ids (as codes) to home indices; ids not among the homes are dropped."""
    if not len(households.refused):
        return households
    position = {home_id: i for i, home_id in enumerate(homes.ids)}
    home_of_code = np.array([position.get(name, -1) for name in refused.names], dtype=np.int64)
    index = home_of_code[households.refused]
    kept = index >= 0
    owner = np.repeat(np.arange(len(households), dtype=np.int64), np.diff(households.refused_ptr))
    ptr = np.zeros(len(households) + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner[kept], minlength=len(households)), out=ptr[1:])
    return replace(households, refused_ptr=ptr, refused=index[kept])


def _parse_rules(raw: object) -> tuple[int, bool]:
    if not isinstance(raw, dict):
        raise ContractError(f'input: "rules" must be an object, got {shown(raw)}')
    unknown = sorted(set(raw) - RULE_NAMES)
    if unknown:
        raise ContractError(f'rules: unknown rule "{unknown[0]}"')
    rules = Record("rules", raw, RULE_NAMES)
    return (
        rules.count("max_extra_bedrooms", DEFAULT_MAX_EXTRA_BEDROOMS),
        rules.flag("same_landlord", False),
    )


def _parse_ledger(raw: object, landlords: Codes) -> dict[int, int]:
    if not isinstance(raw, dict):
        raise ContractError(f'input: "ledger" must be an object, got {shown(raw)}')
    balances = {}
    for name, balance in raw.items():
        if not name.strip():
            raise ContractError("ledger: landlord names must be non-empty")
        if not is_int(balance):
            raise ContractError(f'ledger: balance of landlord "{name}" must be an integer, got {shown(balance)}')
        balances[landlords.code(name)] = balance
    return balances


def loads(text: str | bytes) -> object:
    """Decode JSON strictly (RFC 8259: NaN and Infinity are not numbers)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ContractError(f"input: not valid JSON ({exc})") from exc
