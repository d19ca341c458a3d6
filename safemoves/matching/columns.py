"""The column validation path: whole columns at once, for every valid document.

A census of Python types per column (``set(map(type, column))``, in C), then numpy range
checks, and the arrays are built directly. Any doubt returns ``None`` and the detailed path
(:mod:`.records`) re-reads the records and names the first problem; the two accept exactly
the same documents and build the same arrays (property-tested).
"""

from __future__ import annotations

import math
from itertools import chain
from operator import itemgetter
from typing import Any, Final

import numpy as np

from .model import (
    ACCESS_BIT,
    MAX_TENURE_SECURITY,
    MAX_UNCERTAINTY_KM,
    STEP_FREE_BIT,
    BoolArray,
    Codes,
    FloatArray,
    Homes,
    Households,
    IntArray,
    Points,
)
from .records import (
    HOME_FIELDS,
    HOME_FIELDS_V2_ONLY,
    HOUSEHOLD_FIELDS,
    HOUSEHOLD_FIELDS_V2_ONLY,
    PREFER_FIELDS,
    RADIUS_FIELDS,
    sorted_by_id,
)

_INT: Final = frozenset({int})
_BOOL: Final = frozenset({bool})
_STR: Final = frozenset({str})
_LIST: Final = frozenset({list})
_DICT: Final = frozenset({dict})
_NUMBER: Final = frozenset({int, float})
_NO_ITEMS: Final[list[Any]] = []


def _column(records: list[dict[str, Any]], field: str, default: Any = None) -> list[Any]:
    """``[r.get(field, default) for r in records]``, in C when every record has the field."""
    try:
        return list(map(itemgetter(field), records))
    except KeyError:
        return [r.get(field, default) for r in records]


def _types_within(values: list[Any], allowed: frozenset[type]) -> bool:
    return set(map(type, values)) <= allowed


def _texts(values: list[Any]) -> bool:
    """Every value a string with a non-blank character."""
    return _types_within(values, _STR) and all(map(str.strip, values))


def _counts(values: list[Any], high: int | None = None) -> IntArray | None:
    if not _types_within(values, _INT):
        return None
    try:
        array = np.array(values, dtype=np.int64)
    except OverflowError:
        return None
    if len(array) and (int(array.min()) < 0 or (high is not None and int(array.max()) > high)):
        return None
    return array


def _flags(values: list[Any]) -> BoolArray | None:
    return np.array(values, dtype=np.bool_) if _types_within(values, _BOOL) else None


def _numbers(values: list[Any], low: float, high: float) -> FloatArray | None:
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


def _points(lists: list[Any], keys: frozenset[str], value_field: str) -> Points | None:
    if not _types_within(lists, _LIST):
        return None
    flat = list(chain.from_iterable(lists))
    # Every point has exactly ``keys``: as many entries as ``keys``, each of them present.
    if not _types_within(flat, _DICT) or (flat and set(map(len, flat)) != {len(keys)}):
        return None
    try:
        lat = _numbers(list(map(itemgetter("lat"), flat)), -90.0, 90.0)
        lon = _numbers(list(map(itemgetter("lon"), flat)), -180.0, 180.0)
        value = _numbers(list(map(itemgetter(value_field), flat)), 0.0, math.inf)
    except KeyError:
        return None
    if lat is None or lon is None or value is None:
        return None
    return Points(_ptr(lists), lat, lon, value)


def _text_lists(lists: list[Any], *, repeats: bool = True) -> list[list[str]] | None:
    """Lists of non-blank strings; repeats merged (first kept) or, if not allowed, declined."""
    if not _types_within(lists, _LIST):
        return None
    flat = list(chain.from_iterable(lists))
    if not _texts(flat):
        return None
    if sum(map(len, map(set, lists))) != len(flat):
        return [list(dict.fromkeys(x)) for x in lists] if repeats else None
    return lists


def _access(lists: list[Any], step_free: BoolArray) -> IntArray | None:
    """Access code lists (known codes, no repeats) as masks with ``step_free`` folded in."""
    checked = _text_lists(lists, repeats=False)
    if checked is None:
        return None
    flat = list(chain.from_iterable(checked))
    if not set(flat) <= ACCESS_BIT.keys():
        return None
    owner = np.repeat(np.arange(len(checked), dtype=np.int64), np.diff(_ptr(checked)))
    bits = np.fromiter(map(ACCESS_BIT.__getitem__, flat), dtype=np.int64, count=len(flat))
    mask = np.where(step_free, STEP_FREE_BIT, 0).astype(np.int64)
    np.bitwise_or.at(mask, owner, bits)
    return mask


def _unique_sorted(ids: list[str]) -> IntArray | None:
    if len(set(ids)) != len(ids):
        return None
    return np.array(sorted_by_id(ids), dtype=np.int64)


def households(raws: list[object], version: int, landlords: Codes, areas: Codes, refused: Codes) -> Households | None:
    if not _types_within(raws, _DICT):
        return None
    records: list[dict[str, Any]] = raws  # type: ignore[assignment]
    fields = set().union(*records)
    if not fields <= HOUSEHOLD_FIELDS[version]:
        return None
    ids = _column(records, "id")
    landlord_names = _column(records, "landlord")
    if not _texts(ids) or not _texts(landlord_names):
        return None
    bedrooms = _counts(_column(records, "bedrooms"))
    waiting = _counts(_column(records, "waiting_days", 0))
    step_free = _flags(_column(records, "step_free", False))
    pets = _flags(_column(records, "pets", False))
    urgent = _flags(_column(records, "urgent", False))
    chosen = _text_lists(_column(records, "areas", _NO_ITEMS))
    avoided = _text_lists(_column(records, "avoid_areas", _NO_ITEMS))
    avoid = _points(_column(records, "avoid", _NO_ITEMS), RADIUS_FIELDS, "km")
    near = _points(_column(records, "near", _NO_ITEMS), RADIUS_FIELDS, "km")
    prefer = _points(_column(records, "prefer", _NO_ITEMS), PREFER_FIELDS, "weight")
    v2_columns = not fields.isdisjoint(HOUSEHOLD_FIELDS_V2_ONLY)
    if v2_columns:
        min_tenure = _counts(_column(records, "min_tenure_security", 0), MAX_TENURE_SECURITY)
        refused_ids = _text_lists(_column(records, "refused", _NO_ITEMS), repeats=False)
    else:  # no v2 field anywhere: every default, without a pass over the records
        min_tenure = np.zeros(len(records), dtype=np.int64)
        refused_ids = [_NO_ITEMS] * len(records)
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
        or min_tenure is None
        or refused_ids is None
    ):
        return None
    if v2_columns:
        needs = _access(_column(records, "access_needs", _NO_ITEMS), step_free)
    else:
        needs = np.where(step_free, STEP_FREE_BIT, 0).astype(np.int64)
    order = _unique_sorted(ids)
    if needs is None or order is None:
        return None
    landlord = landlords.intern(landlord_names)
    # Areas are coded household by household, chosen before avoided, like the detailed path.
    area_codes = areas.intern(list(chain.from_iterable(chain.from_iterable(zip(chosen, avoided, strict=True)))))
    areas_ptr, avoid_areas_ptr = _ptr(chosen), _ptr(avoided)
    both = areas_ptr + avoid_areas_ptr
    owner_start = np.repeat(both[:-1], np.diff(both))
    position = np.arange(len(area_codes), dtype=np.int64) - owner_start
    owner = np.repeat(np.arange(len(records), dtype=np.int64), np.diff(both))
    is_chosen = position < np.diff(areas_ptr)[owner]
    unsorted = Households(
        ids=ids,
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
        min_tenure=min_tenure,
        access_needs=needs,
        refused_ptr=_ptr(refused_ids),
        refused=refused.intern(list(chain.from_iterable(refused_ids))),
    )
    return unsorted.take(order)


def homes(raws: list[object], version: int, landlords: Codes, areas: Codes) -> Homes | None:
    if not _types_within(raws, _DICT):
        return None
    records: list[dict[str, Any]] = raws  # type: ignore[assignment]
    fields = set().union(*records)
    if not fields <= HOME_FIELDS[version]:
        return None
    ids = _column(records, "id")
    landlord_names = _column(records, "landlord")
    area_names = _column(records, "area")
    if not _texts(ids) or not _texts(landlord_names) or not _texts(area_names):
        return None
    lat = _numbers(_column(records, "lat"), -90.0, 90.0)
    lon = _numbers(_column(records, "lon"), -180.0, 180.0)
    bedrooms = _counts(_column(records, "bedrooms"))
    step_free = _flags(_column(records, "step_free", False))
    pets = _flags(_column(records, "pets", False))
    v2_columns = not fields.isdisjoint(HOME_FIELDS_V2_ONLY)
    if v2_columns:
        uncertainty = _numbers(_column(records, "uncertainty_km", 0.0), 0.0, MAX_UNCERTAINTY_KM)
        tenure = _counts(_column(records, "tenure_security", 0), MAX_TENURE_SECURITY)
    else:  # no v2 field anywhere: every default, without a pass over the records
        uncertainty = np.zeros(len(records), dtype=np.float64)
        tenure = np.zeros(len(records), dtype=np.int64)
    if (
        lat is None
        or lon is None
        or bedrooms is None
        or step_free is None
        or pets is None
        or uncertainty is None
        or tenure is None
    ):
        return None
    if v2_columns:
        access = _access(_column(records, "access", _NO_ITEMS), step_free)
    else:
        access = np.where(step_free, STEP_FREE_BIT, 0).astype(np.int64)
    order = _unique_sorted(ids)
    if access is None or order is None:
        return None
    unsorted = Homes(
        ids=ids,
        landlord=landlords.intern(landlord_names),
        lat=lat,
        lon=lon,
        area=areas.intern(area_names),
        bedrooms=bedrooms,
        step_free=step_free,
        pets=pets,
        uncertainty_km=uncertainty,
        tenure=tenure,
        access=access,
    )
    return unsorted.take(order)
