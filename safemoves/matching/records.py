"""The detailed validation path: one record at a time, naming the first problem.

:mod:`.columns` validates whole columns at once and handles every valid document; when it
has any doubt, this path re-reads the records, raises :class:`ContractError` naming record
and field, and (should the column path ever decline a valid document) builds the same
arrays.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from .model import (
    ACCESS_BIT,
    ACCESS_CODES,
    MAX_TENURE_SECURITY,
    MAX_UNCERTAINTY_KM,
    STEP_FREE_BIT,
    Codes,
    Homes,
    Households,
    IntArray,
    Points,
)

HOUSEHOLD_FIELDS_V1: Final = frozenset(
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
HOME_FIELDS_V1: Final = frozenset({"id", "landlord", "lat", "lon", "area", "bedrooms", "step_free", "pets"})
HOUSEHOLD_FIELDS_V2_ONLY: Final = frozenset({"min_tenure_security", "refused", "access_needs"})
HOME_FIELDS_V2_ONLY: Final = frozenset({"uncertainty_km", "tenure_security", "access"})
HOUSEHOLD_FIELDS: Final = {1: HOUSEHOLD_FIELDS_V1, 2: HOUSEHOLD_FIELDS_V1 | HOUSEHOLD_FIELDS_V2_ONLY}
HOME_FIELDS: Final = {1: HOME_FIELDS_V1, 2: HOME_FIELDS_V1 | HOME_FIELDS_V2_ONLY}
RADIUS_FIELDS: Final = frozenset({"lat", "lon", "km"})
PREFER_FIELDS: Final = frozenset({"lat", "lon", "weight"})
INT64_MAX: Final = np.iinfo(np.int64).max


class ContractError(ValueError):
    """The input document does not follow the matching contract (v1 or v2)."""


def shown(value: object) -> str:
    try:
        text = json.dumps(value)
    except (TypeError, ValueError, OverflowError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def is_int(value: object) -> bool:
    return type(value) is int


def is_number(value: object) -> bool:
    if type(value) is float:
        return math.isfinite(value)
    if type(value) is int:
        return abs(value) <= 2**1023  # converts to a finite float
    return False


class Record:
    """Typed field access on one JSON object, with errors that name the record."""

    def __init__(self, where: str, raw: object, allowed: frozenset[str], v2_only: frozenset[str] = frozenset()) -> None:
        self.where = where
        if not isinstance(raw, dict):
            raise ContractError(f"{where}: must be an object, got {shown(raw)}")
        self.raw: dict[str, object] = raw
        unknown = sorted(set(raw) - allowed)
        if unknown:
            if unknown[0] in v2_only:
                raise self.error(unknown[0], 'is not a known field in contract v1 (it is v2: add "version": 2)')
            raise self.error(unknown[0], "is not a known field")

    def error(self, field: str, problem: str) -> ContractError:
        return ContractError(f'{self.where}: field "{field}" {problem}')

    def _get(self, field: str) -> object:
        if field not in self.raw:
            raise self.error(field, "is required")
        return self.raw[field]

    def text(self, field: str) -> str:
        value = self._get(field)
        if not isinstance(value, str) or not value.strip():
            raise self.error(field, f"must be a non-empty string, got {shown(value)}")
        return value

    def flag(self, field: str, default: bool | None = None) -> bool:
        if default is not None and field not in self.raw:
            return default
        value = self._get(field)
        if not isinstance(value, bool):
            raise self.error(field, f"must be true or false, got {shown(value)}")
        return value

    def count(self, field: str, default: int | None = None, high: int = INT64_MAX) -> int:
        if default is not None and field not in self.raw:
            return default
        value = self._get(field)
        if not is_int(value):
            raise self.error(field, f"must be an integer, got {shown(value)}")
        assert isinstance(value, int)  # noqa: S101 - narrows the type for mypy
        if value < 0:
            raise self.error(field, f"must be 0 or more, got {value}")
        if value > high:
            raise self.error(field, f"must be at most {high}, got {shown(value)}")
        return value

    def number(self, field: str, low: float, high: float, default: float | None = None) -> float:
        if default is not None and field not in self.raw:
            return default
        value = self._get(field)
        if not is_number(value):
            raise self.error(field, f"must be a finite number, got {shown(value)}")
        assert isinstance(value, int | float)  # noqa: S101 - narrows the type for mypy
        if not low <= value <= high:
            bounds = f"between {low:g} and {high:g}" if high < math.inf else f">= {low:g}"
            raise self.error(field, f"must be {bounds}, got {shown(value)}")
        return float(value)

    def texts(self, field: str, *, repeats: bool = True) -> list[str]:
        value = self.raw.get(field, [])
        if not isinstance(value, list):
            raise self.error(field, f"must be a list of strings, got {shown(value)}")
        seen: set[str] = set()
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise self.error(f"{field}[{i}]", f"must be a non-empty string, got {shown(item)}")
            if not repeats and item in seen:
                raise self.error(f"{field}[{i}]", f"repeats {shown(item)}")
            seen.add(item)
        return list(dict.fromkeys(value))

    def access(self, field: str, step_free: bool) -> int:
        """A list of access codes (no repeats) as a mask, with ``step_free`` folded in."""
        mask = STEP_FREE_BIT if step_free else 0
        for i, code in enumerate(self.texts(field, repeats=False)):
            if code not in ACCESS_BIT:
                raise self.error(f"{field}[{i}]", f"must be one of {', '.join(ACCESS_CODES)}, got {shown(code)}")
            mask |= ACCESS_BIT[code]
        return mask

    def points(self, field: str, value_field: str) -> list[tuple[float, float, float]]:
        value = self.raw.get(field, [])
        if not isinstance(value, list):
            raise self.error(field, f"must be a list of objects, got {shown(value)}")
        allowed = frozenset({"lat", "lon", value_field})
        points = []
        for i, raw_point in enumerate(value):
            name = f"{field}[{i}]"
            if not isinstance(raw_point, dict):
                raise self.error(name, f"must be an object, got {shown(raw_point)}")
            unknown = sorted(set(raw_point) - allowed)
            if unknown:
                raise self.error(f"{name}.{unknown[0]}", "is not a known field")
            renamed = {f"{name}.{k}": v for k, v in raw_point.items()}
            point = Record(self.where, renamed, frozenset(renamed))
            points.append(
                (
                    point.number(f"{name}.lat", -90.0, 90.0),
                    point.number(f"{name}.lon", -180.0, 180.0),
                    point.number(f"{name}.{value_field}", 0.0, math.inf),
                )
            )
        return points


def where(kind: str, index: int, raw: object) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f'{kind}[{index}] (id "{raw["id"]}")'
    return f"{kind}[{index}]"


def check_unique(kind: str, ids: Sequence[str]) -> None:
    seen: dict[str, int] = {}
    for i, record_id in enumerate(ids):
        if record_id in seen:
            raise ContractError(f'{kind}[{i}] (id "{record_id}"): field "id" duplicates {kind}[{seen[record_id]}]')
        seen[record_id] = i


def sorted_by_id(ids: list[str]) -> list[int]:
    return sorted(range(len(ids)), key=ids.__getitem__)


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


def parse_households(raws: list[object], version: int, landlords: Codes, areas: Codes, refused: Codes) -> Households:
    """Households record by record; ``refused`` holds refused home *ids* as codes."""
    rows: list[tuple[Any, ...]] = []
    allowed, v2_only = HOUSEHOLD_FIELDS[version], HOUSEHOLD_FIELDS_V2_ONLY
    for i, raw in enumerate(raws):
        r = Record(where("households", i, raw), raw, allowed, v2_only)
        step_free = r.flag("step_free", False)
        rows.append(
            (
                r.text("id"),
                landlords.code(r.text("landlord")),
                r.count("bedrooms"),
                step_free,
                r.flag("pets", False),
                r.count("waiting_days", 0),
                r.flag("urgent", False),
                [areas.code(a) for a in r.texts("areas")],
                [areas.code(a) for a in r.texts("avoid_areas")],
                r.points("avoid", "km"),
                r.points("near", "km"),
                r.points("prefer", "weight"),
                r.count("min_tenure_security", 0, MAX_TENURE_SECURITY),
                r.access("access_needs", step_free),
                [refused.code(p) for p in r.texts("refused", repeats=False)],
            )
        )
    ids = [row[0] for row in rows]
    check_unique("households", ids)
    rows = [rows[i] for i in sorted_by_id(ids)]

    def column(k: int, dtype: type) -> npt.NDArray[Any]:
        return np.array([row[k] for row in rows], dtype=dtype).reshape(len(rows))

    areas_ptr, area_codes = _csr([row[7] for row in rows])
    avoid_areas_ptr, avoid_area_codes = _csr([row[8] for row in rows])
    refused_ptr, refused_codes = _csr([row[14] for row in rows])
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
        min_tenure=column(12, np.int64),
        access_needs=column(13, np.int64),
        refused_ptr=refused_ptr,
        refused=refused_codes,
    )


def parse_homes(raws: list[object], version: int, landlords: Codes, areas: Codes) -> Homes:
    rows: list[tuple[Any, ...]] = []
    allowed, v2_only = HOME_FIELDS[version], HOME_FIELDS_V2_ONLY
    for i, raw in enumerate(raws):
        r = Record(where("homes", i, raw), raw, allowed, v2_only)
        step_free = r.flag("step_free", False)
        rows.append(
            (
                r.text("id"),
                landlords.code(r.text("landlord")),
                r.number("lat", -90.0, 90.0),
                r.number("lon", -180.0, 180.0),
                areas.code(r.text("area")),
                r.count("bedrooms"),
                step_free,
                r.flag("pets", False),
                r.number("uncertainty_km", 0.0, MAX_UNCERTAINTY_KM, 0.0),
                r.count("tenure_security", 0, MAX_TENURE_SECURITY),
                r.access("access", step_free),
            )
        )
    ids = [row[0] for row in rows]
    check_unique("homes", ids)
    rows = [rows[i] for i in sorted_by_id(ids)]

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
        uncertainty_km=column(8, np.float64),
        tenure=column(9, np.int64),
        access=column(10, np.int64),
    )
