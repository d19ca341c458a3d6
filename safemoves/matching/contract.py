"""The v1 matching contract: validate a decoded JSON document into typed numpy arrays.

Validation is strict because the Django side is the only expected producer: anything
unexpected is more likely a bug there than a value to guess at. Every error names the
record (list position and id) and the field, so a coordinator can fix the source data.

Optional fields and their defaults: ``step_free``/``pets``/``urgent`` false, list fields
empty, ``waiting_days`` 0; on homes ``step_free``/``pets`` false (the conservative reading).
Internally households and homes are sorted by id, so results never depend on input order.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import chain
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import orjson

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

DEFAULT_MAX_EXTRA_BEDROOMS: Final = 1
TOP_LEVEL_KEYS: Final = frozenset({"households", "homes", "ledger", "rules"})
RULE_NAMES: Final = frozenset({"max_extra_bedrooms", "same_landlord"})
HOUSEHOLD_FIELDS: Final = frozenset(
    {
        "id",
        "landlord",
        "bedrooms",
        "step_free",
        "pets",
        "areas",
        "avoid_areas",
        "avoid",
        "near",
        "prefer",
        "waiting_days",
        "urgent",
    }
)
HOME_FIELDS: Final = frozenset({"id", "landlord", "lat", "lon", "area", "bedrooms", "step_free", "pets"})
RADIUS_FIELDS: Final = frozenset({"lat", "lon", "km"})
PREFER_FIELDS: Final = frozenset({"lat", "lon", "weight"})


class ContractError(ValueError):
    """The input document does not follow the v1 matching contract."""


def _shown(value: object) -> str:
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_int(value: object) -> bool:
    return type(value) is int


def _is_number(value: object) -> bool:
    return type(value) in (int, float) and math.isfinite(value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Points:
    """Points owned by households, in CSR form: owner ``i`` has rows ``ptr[i]:ptr[i+1]``."""

    ptr: IntArray
    lat: FloatArray
    lon: FloatArray
    value: FloatArray
    """``km`` for avoid/near points, ``weight`` for prefer points."""

    @property
    def counts(self) -> IntArray:
        return np.diff(self.ptr)

    def take(self, owners: IntArray) -> Points:
        rows, ptr = _csr_rows(self.ptr, owners)
        return Points(ptr, self.lat[rows], self.lon[rows], self.value[rows])


@dataclass(frozen=True)
class Households:
    ids: list[str]
    landlord: IntArray
    bedrooms: IntArray
    step_free: BoolArray
    pets: BoolArray
    waiting_days: IntArray
    urgent: BoolArray
    areas_ptr: IntArray
    areas: IntArray
    avoid_areas_ptr: IntArray
    avoid_areas: IntArray
    avoid: Points
    near: Points
    prefer: Points

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, idx: IntArray) -> Households:
        area_rows, areas_ptr = _csr_rows(self.areas_ptr, idx)
        avoid_rows, avoid_areas_ptr = _csr_rows(self.avoid_areas_ptr, idx)
        return Households(
            ids=[self.ids[i] for i in idx.tolist()],
            landlord=self.landlord[idx],
            bedrooms=self.bedrooms[idx],
            step_free=self.step_free[idx],
            pets=self.pets[idx],
            waiting_days=self.waiting_days[idx],
            urgent=self.urgent[idx],
            areas_ptr=areas_ptr,
            areas=self.areas[area_rows],
            avoid_areas_ptr=avoid_areas_ptr,
            avoid_areas=self.avoid_areas[avoid_rows],
            avoid=self.avoid.take(idx),
            near=self.near.take(idx),
            prefer=self.prefer.take(idx),
        )


@dataclass(frozen=True)
class Homes:
    ids: list[str]
    landlord: IntArray
    lat: FloatArray
    lon: FloatArray
    area: IntArray
    bedrooms: IntArray
    step_free: BoolArray
    pets: BoolArray

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, idx: IntArray) -> Homes:
        return Homes(
            ids=[self.ids[i] for i in idx.tolist()],
            landlord=self.landlord[idx],
            lat=self.lat[idx],
            lon=self.lon[idx],
            area=self.area[idx],
            bedrooms=self.bedrooms[idx],
            step_free=self.step_free[idx],
            pets=self.pets[idx],
        )


@dataclass(frozen=True)
class Instance:
    """A validated matching problem. Landlords and areas are coded as small integers."""

    households: Households
    homes: Homes
    landlord_names: list[str]
    area_names: list[str]
    ledger: IntArray
    """Balance per landlord code (homes given minus homes received; 0 when absent)."""
    max_extra_bedrooms: int
    same_landlord: bool

    def with_households(self, idx: IntArray) -> Instance:
        return replace(self, households=self.households.take(idx))

    def with_homes(self, idx: IntArray) -> Instance:
        return replace(self, homes=self.homes.take(idx))


def _csr_rows(ptr: IntArray, owners: IntArray) -> tuple[IntArray, IntArray]:
    """Row indices of the selected owners, and the CSR pointer of the selection."""
    starts = ptr[owners]
    counts = ptr[owners + 1] - starts
    new_ptr = np.zeros(len(owners) + 1, dtype=np.int64)
    np.cumsum(counts, out=new_ptr[1:])
    rows = np.repeat(starts - new_ptr[:-1], counts) + np.arange(new_ptr[-1], dtype=np.int64)
    return rows, new_ptr


class _Codes:
    """Interns strings (landlords, areas) as dense integer codes in first-seen order."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def code(self, name: str) -> int:
        found = self.index.get(name)
        if found is None:
            found = self.index[name] = len(self.index)
        return found

    @property
    def names(self) -> list[str]:
        return list(self.index)


class _Record:
    """Typed field access on one JSON object, with errors that name the record."""

    def __init__(self, where: str, raw: object, allowed: frozenset[str]) -> None:
        self.where = where
        if not isinstance(raw, dict):
            raise ContractError(f"{where}: must be an object, got {_shown(raw)}")
        self.raw: dict[str, object] = raw
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise self.error(unknown[0], "is not a known field")

    def error(self, field: str, problem: str) -> ContractError:
        return ContractError(f'{self.where}: field "{field}" {problem}')

    def has(self, field: str) -> bool:
        return field in self.raw

    def _get(self, field: str) -> object:
        if field not in self.raw:
            raise self.error(field, "is required")
        return self.raw[field]

    def text(self, field: str) -> str:
        value = self._get(field)
        if not isinstance(value, str) or not value.strip():
            raise self.error(field, f"must be a non-empty string, got {_shown(value)}")
        return value

    def flag(self, field: str, default: bool | None = None) -> bool:
        if default is not None and field not in self.raw:
            return default
        value = self._get(field)
        if not isinstance(value, bool):
            raise self.error(field, f"must be true or false, got {_shown(value)}")
        return value

    def count(self, field: str, default: int | None = None) -> int:
        if default is not None and field not in self.raw:
            return default
        value = self._get(field)
        if not _is_int(value):
            raise self.error(field, f"must be an integer, got {_shown(value)}")
        assert isinstance(value, int)  # noqa: S101 - narrows the type for mypy
        if value < 0:
            raise self.error(field, f"must be 0 or more, got {value}")
        return value

    def number(self, field: str, low: float, high: float) -> float:
        value = self._get(field)
        if not _is_number(value):
            raise self.error(field, f"must be a finite number, got {_shown(value)}")
        assert isinstance(value, int | float)  # noqa: S101 - narrows the type for mypy
        if not low <= value <= high:
            bounds = f"between {low:g} and {high:g}" if high < math.inf else f">= {low:g}"
            raise self.error(field, f"must be {bounds}, got {_shown(value)}")
        return float(value)

    def texts(self, field: str) -> list[str]:
        value = self.raw.get(field, [])
        if not isinstance(value, list):
            raise self.error(field, f"must be a list of strings, got {_shown(value)}")
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error(f"{field}[{i}]", f"must be a non-empty string, got {_shown(item)}")
        return list(dict.fromkeys(value))

    def points(self, field: str, value_field: str) -> list[tuple[float, float, float]]:
        value = self.raw.get(field, [])
        if not isinstance(value, list):
            raise self.error(field, f"must be a list of objects, got {_shown(value)}")
        allowed = frozenset({"lat", "lon", value_field})
        points = []
        for i, raw_point in enumerate(value):
            name = f"{field}[{i}]"
            if not isinstance(raw_point, dict):
                raise self.error(name, f"must be an object, got {_shown(raw_point)}")
            unknown = sorted(set(raw_point) - allowed)
            if unknown:
                raise self.error(f"{name}.{unknown[0]}", "is not a known field")
            renamed = {f"{name}.{k}": v for k, v in raw_point.items()}
            point = _Record(self.where, renamed, frozenset(renamed))
            points.append(
                (
                    point.number(f"{name}.lat", -90.0, 90.0),
                    point.number(f"{name}.lon", -180.0, 180.0),
                    point.number(f"{name}.{value_field}", 0.0, math.inf),
                )
            )
        return points


def _where(kind: str, index: int, raw: object) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f'{kind}[{index}] (id "{raw["id"]}")'
    return f"{kind}[{index}]"


def _records(data: Mapping[str, object], kind: str) -> list[object]:
    if kind not in data:
        raise ContractError(f'input: top-level key "{kind}" is required')
    value = data[kind]
    if not isinstance(value, list):
        raise ContractError(f'input: "{kind}" must be a list, got {_shown(value)}')
    return value


def _check_unique(kind: str, ids: Sequence[str]) -> None:
    seen: dict[str, int] = {}
    for i, record_id in enumerate(ids):
        if record_id in seen:
            raise ContractError(f'{kind}[{i}] (id "{record_id}"): field "id" duplicates {kind}[{seen[record_id]}]')
        seen[record_id] = i


def _csr(lists: Sequence[Sequence[int]]) -> tuple[IntArray, IntArray]:
    counts = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    flat = np.fromiter((v for x in lists for v in x), dtype=np.int64, count=int(ptr[-1]))
    return ptr, flat


def _points(lists: Sequence[Sequence[tuple[float, float, float]]]) -> Points:
    counts = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    flat = np.array([p for x in lists for p in x], dtype=np.float64).reshape(-1, 3)
    return Points(ptr, flat[:, 0].copy(), flat[:, 1].copy(), flat[:, 2].copy())


def parse(data: object) -> Instance:
    """Validate a decoded v1 document; raise :class:`ContractError` naming record and field."""
    if not isinstance(data, dict):
        raise ContractError(f"input: must be a JSON object, got {_shown(data)}")
    unknown = sorted(set(data) - TOP_LEVEL_KEYS)
    if unknown:
        raise ContractError(f'input: unknown top-level key "{unknown[0]}"')

    landlords = _Codes()
    areas = _Codes()
    max_extra, same_landlord = _parse_rules(data.get("rules", {}))
    households = _parse_households(_records(data, "households"), landlords, areas)
    homes = _parse_homes(_records(data, "homes"), landlords, areas)
    balances = _parse_ledger(data.get("ledger", {}), landlords)
    ledger = np.zeros(len(landlords.index), dtype=np.int64)
    for code, balance in balances.items():
        ledger[code] = balance
    return Instance(
        households=households,
        homes=homes,
        landlord_names=landlords.names,
        area_names=areas.names,
        ledger=ledger,
        max_extra_bedrooms=max_extra,
        same_landlord=same_landlord,
    )


def _parse_rules(raw: object) -> tuple[int, bool]:
    if not isinstance(raw, dict):
        raise ContractError(f'input: "rules" must be an object, got {_shown(raw)}')
    unknown = sorted(set(raw) - RULE_NAMES)
    if unknown:
        raise ContractError(f'rules: unknown rule "{unknown[0]}"')
    rules = _Record("rules", raw, RULE_NAMES)
    return (
        rules.count("max_extra_bedrooms", DEFAULT_MAX_EXTRA_BEDROOMS),
        rules.flag("same_landlord", False),
    )


def _parse_ledger(raw: object, landlords: _Codes) -> dict[int, int]:
    if not isinstance(raw, dict):
        raise ContractError(f'input: "ledger" must be an object, got {_shown(raw)}')
    balances = {}
    for name, balance in raw.items():
        if not name.strip():
            raise ContractError("ledger: landlord names must be non-empty")
        if not _is_int(balance):
            raise ContractError(f'ledger: balance of landlord "{name}" must be an integer, got {_shown(balance)}')
        balances[landlords.code(name)] = balance
    return balances


def _sorted_by_id(ids: list[str]) -> list[int]:
    return sorted(range(len(ids)), key=ids.__getitem__)


def _parse_households(raws: list[object], landlords: _Codes, areas: _Codes) -> Households:
    saved_landlords, saved_areas = dict(landlords.index), dict(areas.index)
    columns = _vector_households(raws, landlords, areas)
    if columns is not None:
        return columns
    landlords.index, areas.index = saved_landlords, saved_areas
    rows: list[tuple[Any, ...]] = []
    for i, raw in enumerate(raws):
        fast = _fast_household(raw, landlords, areas)
        if fast is not None:
            rows.append(fast)
            continue
        r = _Record(_where("households", i, raw), raw, HOUSEHOLD_FIELDS)
        rows.append(
            (
                r.text("id"),
                landlords.code(r.text("landlord")),
                r.count("bedrooms"),
                r.flag("step_free", False),
                r.flag("pets", False),
                r.count("waiting_days", 0),
                r.flag("urgent", False),
                [areas.code(a) for a in r.texts("areas")],
                [areas.code(a) for a in r.texts("avoid_areas")],
                r.points("avoid", "km"),
                r.points("near", "km"),
                r.points("prefer", "weight"),
            )
        )
    ids = [row[0] for row in rows]
    _check_unique("households", ids)
    rows = [rows[i] for i in _sorted_by_id(ids)]

    def column(k: int, dtype: type) -> npt.NDArray[Any]:
        return np.array([row[k] for row in rows], dtype=dtype).reshape(len(rows))

    areas_ptr, area_codes = _csr([row[7] for row in rows])
    avoid_areas_ptr, avoid_area_codes = _csr([row[8] for row in rows])
    return Households(
        ids=[row[0] for row in rows],
        landlord=column(1, np.int64),
        bedrooms=column(2, np.int64),
        step_free=column(3, np.bool_),
        pets=column(4, np.bool_),
        waiting_days=column(5, np.int64),
        urgent=column(6, np.bool_),
        areas_ptr=areas_ptr,
        areas=area_codes,
        avoid_areas_ptr=avoid_areas_ptr,
        avoid_areas=avoid_area_codes,
        avoid=_points([row[9] for row in rows]),
        near=_points([row[10] for row in rows]),
        prefer=_points([row[11] for row in rows]),
    )


def _parse_homes(raws: list[object], landlords: _Codes, areas: _Codes) -> Homes:
    saved_landlords, saved_areas = dict(landlords.index), dict(areas.index)
    columns = _vector_homes(raws, landlords, areas)
    if columns is not None:
        return columns
    landlords.index, areas.index = saved_landlords, saved_areas
    rows: list[tuple[Any, ...]] = []
    for i, raw in enumerate(raws):
        fast = _fast_home(raw, landlords, areas)
        if fast is not None:
            rows.append(fast)
            continue
        r = _Record(_where("homes", i, raw), raw, HOME_FIELDS)
        rows.append(
            (
                r.text("id"),
                landlords.code(r.text("landlord")),
                r.number("lat", -90.0, 90.0),
                r.number("lon", -180.0, 180.0),
                areas.code(r.text("area")),
                r.count("bedrooms"),
                r.flag("step_free", False),
                r.flag("pets", False),
            )
        )
    ids = [row[0] for row in rows]
    _check_unique("homes", ids)
    rows = [rows[i] for i in _sorted_by_id(ids)]

    def column(k: int, dtype: type) -> npt.NDArray[Any]:
        return np.array([row[k] for row in rows], dtype=dtype).reshape(len(rows))

    return Homes(
        ids=[row[0] for row in rows],
        landlord=column(1, np.int64),
        lat=column(2, np.float64),
        lon=column(3, np.float64),
        area=column(4, np.int64),
        bedrooms=column(5, np.int64),
        step_free=column(6, np.bool_),
        pets=column(7, np.bool_),
    )


# Fast paths: accept only records that are certainly valid, with inline checks; anything
# else returns None and goes through the _Record path, which names the problem. Together
# they turn validation of a national pool from seconds into a fraction of one.
_NUMBER_TYPES: Final = (int, float)
_NO_ITEMS: Final[list[Any]] = []


def _fast_text(value: object) -> bool:
    return type(value) is str and bool(value.strip())


def _fast_texts(value: object) -> list[str] | None:
    if type(value) is not list or not all(_fast_text(v) for v in value):
        return None
    return list(dict.fromkeys(value))


def _fast_points(value: object, keys: frozenset[str]) -> list[tuple[float, float, float]] | None:
    if type(value) is not list:
        return None
    points = []
    third = "km" if "km" in keys else "weight"
    for point in value:
        if type(point) is not dict or point.keys() != keys:
            return None
        lat, lon, size = point["lat"], point["lon"], point[third]
        if (
            type(lat) not in _NUMBER_TYPES
            or type(lon) not in _NUMBER_TYPES
            or type(size) not in _NUMBER_TYPES
            or not -90.0 <= lat <= 90.0
            or not -180.0 <= lon <= 180.0
            or not 0.0 <= size < math.inf
        ):
            return None
        points.append((float(lat), float(lon), float(size)))
    return points


def _fast_household(raw: object, landlords: _Codes, areas: _Codes) -> tuple[Any, ...] | None:
    if type(raw) is not dict or not raw.keys() <= HOUSEHOLD_FIELDS:
        return None
    record_id, landlord = raw.get("id"), raw.get("landlord")
    bedrooms, waiting = raw.get("bedrooms"), raw.get("waiting_days", 0)
    step_free, pets = raw.get("step_free", False), raw.get("pets", False)
    urgent = raw.get("urgent", False)
    if (
        not _fast_text(record_id)
        or not _fast_text(landlord)
        or type(bedrooms) is not int
        or bedrooms < 0
        or type(waiting) is not int
        or waiting < 0
        or type(step_free) is not bool
        or type(pets) is not bool
        or type(urgent) is not bool
    ):
        return None
    chosen = _fast_texts(raw.get("areas", _NO_ITEMS))
    avoided = _fast_texts(raw.get("avoid_areas", _NO_ITEMS))
    avoid = _fast_points(raw.get("avoid", _NO_ITEMS), RADIUS_FIELDS)
    near = _fast_points(raw.get("near", _NO_ITEMS), RADIUS_FIELDS)
    prefer = _fast_points(raw.get("prefer", _NO_ITEMS), PREFER_FIELDS)
    if chosen is None or avoided is None or avoid is None or near is None or prefer is None:
        return None
    return (
        record_id,
        landlords.code(str(landlord)),
        bedrooms,
        step_free,
        pets,
        waiting,
        urgent,
        [areas.code(a) for a in chosen],
        [areas.code(a) for a in avoided],
        avoid,
        near,
        prefer,
    )


def _fast_home(raw: object, landlords: _Codes, areas: _Codes) -> tuple[Any, ...] | None:
    if type(raw) is not dict or not raw.keys() <= HOME_FIELDS:
        return None
    record_id, landlord, area = raw.get("id"), raw.get("landlord"), raw.get("area")
    lat, lon, bedrooms = raw.get("lat"), raw.get("lon"), raw.get("bedrooms")
    step_free, pets = raw.get("step_free", False), raw.get("pets", False)
    if (
        not _fast_text(record_id)
        or not _fast_text(landlord)
        or not _fast_text(area)
        or type(lat) not in _NUMBER_TYPES
        or type(lon) not in _NUMBER_TYPES
        or not -90.0 <= lat <= 90.0  # type: ignore[operator]
        or not -180.0 <= lon <= 180.0  # type: ignore[operator]
        or type(bedrooms) is not int
        or bedrooms < 0
        or type(step_free) is not bool
        or type(pets) is not bool
    ):
        return None
    return (
        record_id,
        landlords.code(str(landlord)),
        float(lat),  # type: ignore[arg-type]
        float(lon),  # type: ignore[arg-type]
        areas.code(str(area)),
        bedrooms,
        step_free,
        pets,
    )


# Column paths: validate whole columns at once (a type census per column in C, then numpy
# range checks) and build the arrays directly. Any doubt returns None and the per-record
# paths above run instead, which accept the same documents and name the first problem.
_INT: Final = frozenset({int})
_BOOL: Final = frozenset({bool})
_STR: Final = frozenset({str})
_LIST: Final = frozenset({list})
_DICT: Final = frozenset({dict})
_NUMBER: Final = frozenset({int, float})


def _types_within(values: list[Any], allowed: frozenset[type]) -> bool:
    return set(map(type, values)) <= allowed


def _column_texts(values: list[Any]) -> bool:
    """Every value a string with a non-blank character."""
    return _types_within(values, _STR) and all(map(str.strip, values))


def _column_counts(values: list[Any]) -> IntArray | None:
    if not _types_within(values, _INT):
        return None
    try:
        array = np.array(values, dtype=np.int64)
    except OverflowError:
        return None
    return array if not len(array) or int(array.min()) >= 0 else None


def _column_flags(values: list[Any]) -> BoolArray | None:
    return np.array(values, dtype=np.bool_) if _types_within(values, _BOOL) else None


def _column_numbers(values: list[Any], low: float, high: float) -> FloatArray | None:
    if not _types_within(values, _NUMBER):
        return None
    try:
        array = np.array(values, dtype=np.float64)
    except OverflowError:
        return None
    inside = (array >= low) & (array < high) if high == math.inf else (array >= low) & (array <= high)
    return array if bool(inside.all()) else None


def _ptr(lists: list[list[Any]]) -> IntArray:
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, lists), dtype=np.int64, count=len(lists)), out=ptr[1:])
    return ptr


def _column_points(lists: list[Any], keys: frozenset[str], value_field: str) -> Points | None:
    if not _types_within(lists, _LIST):
        return None
    flat = list(chain.from_iterable(lists))
    if not _types_within(flat, _DICT) or (flat and set(map(frozenset, flat)) != {keys}):
        return None
    lat = _column_numbers([point["lat"] for point in flat], -90.0, 90.0)
    lon = _column_numbers([point["lon"] for point in flat], -180.0, 180.0)
    value = _column_numbers([point[value_field] for point in flat], 0.0, math.inf)
    if lat is None or lon is None or value is None:
        return None
    return Points(_ptr(lists), lat, lon, value)


def _column_text_lists(lists: list[Any]) -> list[list[str]] | None:
    """Lists of non-blank strings, each without repeats (first occurrence kept)."""
    if not _types_within(lists, _LIST) or not _column_texts(list(chain.from_iterable(lists))):
        return None
    if any(len(set(x)) != len(x) for x in lists):
        return [list(dict.fromkeys(x)) for x in lists]
    return lists


def _intern(codes: _Codes, names: list[str]) -> IntArray:
    """Codes for ``names`` in first-seen order, as the per-record path assigns them."""
    index = codes.index
    for name in dict.fromkeys(names):
        if name not in index:
            index[name] = len(index)
    return np.fromiter(map(index.__getitem__, names), dtype=np.int64, count=len(names))


def _unique_sorted(ids: list[str]) -> IntArray | None:
    if len(set(ids)) != len(ids):
        return None
    return np.array(_sorted_by_id(ids), dtype=np.int64)


def _vector_households(raws: list[object], landlords: _Codes, areas: _Codes) -> Households | None:
    if not _types_within(raws, _DICT):
        return None
    records: list[dict[str, Any]] = raws  # type: ignore[assignment]
    if not set().union(*records) <= HOUSEHOLD_FIELDS:
        return None
    ids = [r.get("id") for r in records]
    landlord_names = [r.get("landlord") for r in records]
    if not _column_texts(ids) or not _column_texts(landlord_names):
        return None
    bedrooms = _column_counts([r.get("bedrooms") for r in records])
    waiting = _column_counts([r.get("waiting_days", 0) for r in records])
    step_free = _column_flags([r.get("step_free", False) for r in records])
    pets = _column_flags([r.get("pets", False) for r in records])
    urgent = _column_flags([r.get("urgent", False) for r in records])
    chosen = _column_text_lists([r.get("areas", _NO_ITEMS) for r in records])
    avoided = _column_text_lists([r.get("avoid_areas", _NO_ITEMS) for r in records])
    avoid = _column_points([r.get("avoid", _NO_ITEMS) for r in records], RADIUS_FIELDS, "km")
    near = _column_points([r.get("near", _NO_ITEMS) for r in records], RADIUS_FIELDS, "km")
    prefer = _column_points([r.get("prefer", _NO_ITEMS) for r in records], PREFER_FIELDS, "weight")
    if (
        bedrooms is None
        or waiting is None
        or step_free is None
        or pets is None
        or urgent is None
        or chosen is None
        or avoided is None
        or avoid is None
        or near is None
        or prefer is None
    ):
        return None
    order = _unique_sorted(ids)  # type: ignore[arg-type]
    if order is None:
        return None
    landlord = _intern(landlords, landlord_names)  # type: ignore[arg-type]
    # Areas are coded household by household, chosen before avoided, like the per-record path.
    area_codes = _intern(areas, list(chain.from_iterable(chain.from_iterable(zip(chosen, avoided, strict=True)))))
    areas_ptr, avoid_areas_ptr = _ptr(chosen), _ptr(avoided)
    both = areas_ptr + avoid_areas_ptr
    owner_start = np.repeat(both[:-1], np.diff(both))
    position = np.arange(len(area_codes), dtype=np.int64) - owner_start
    owner = np.repeat(np.arange(len(records), dtype=np.int64), np.diff(both))
    is_chosen = position < np.diff(areas_ptr)[owner]
    unsorted = Households(
        ids=ids,  # type: ignore[arg-type]
        landlord=landlord,
        bedrooms=bedrooms,
        step_free=step_free,
        pets=pets,
        waiting_days=waiting,
        urgent=urgent,
        areas_ptr=areas_ptr,
        areas=area_codes[is_chosen],
        avoid_areas_ptr=avoid_areas_ptr,
        avoid_areas=area_codes[~is_chosen],
        avoid=avoid,
        near=near,
        prefer=prefer,
    )
    return unsorted.take(order)


def _vector_homes(raws: list[object], landlords: _Codes, areas: _Codes) -> Homes | None:
    if not _types_within(raws, _DICT):
        return None
    records: list[dict[str, Any]] = raws  # type: ignore[assignment]
    if not set().union(*records) <= HOME_FIELDS:
        return None
    ids = [r.get("id") for r in records]
    landlord_names = [r.get("landlord") for r in records]
    area_names = [r.get("area") for r in records]
    if not _column_texts(ids) or not _column_texts(landlord_names) or not _column_texts(area_names):
        return None
    lat = _column_numbers([r.get("lat") for r in records], -90.0, 90.0)
    lon = _column_numbers([r.get("lon") for r in records], -180.0, 180.0)
    bedrooms = _column_counts([r.get("bedrooms") for r in records])
    step_free = _column_flags([r.get("step_free", False) for r in records])
    pets = _column_flags([r.get("pets", False) for r in records])
    if lat is None or lon is None or bedrooms is None or step_free is None or pets is None:
        return None
    order = _unique_sorted(ids)  # type: ignore[arg-type]
    if order is None:
        return None
    unsorted = Homes(
        ids=ids,  # type: ignore[arg-type]
        landlord=_intern(landlords, landlord_names),  # type: ignore[arg-type]
        lat=lat,
        lon=lon,
        area=_intern(areas, area_names),  # type: ignore[arg-type]
        bedrooms=bedrooms,
        step_free=step_free,
        pets=pets,
    )
    return unsorted.take(order)


def loads(text: str | bytes) -> object:
    """Decode JSON strictly (RFC 8259: NaN and Infinity are not numbers)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ContractError(f"input: not valid JSON ({exc})") from exc
