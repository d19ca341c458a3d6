"""The validated matching problem as typed numpy arrays (what :mod:`.contract` produces).

Households and homes are sorted by id; landlords, areas and refused home ids are coded as
small integers. Lists per household are CSR: owner ``i`` has rows ``ptr[i]:ptr[i+1]``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Final

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
IndexArray = npt.NDArray[np.integer[Any]]
"""Pair indices as stored (int32) or computed (int64)."""
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

ACCESS_CODES: Final = ("step_free", "level_access", "lift", "wheelchair_essential_rooms", "wheelchair_full")
"""Contract v2 access codes; code ``k`` is bit ``1 << k`` of an access mask."""
ACCESS_BIT: Final = {code: 1 << k for k, code in enumerate(ACCESS_CODES)}
STEP_FREE_BIT: Final = ACCESS_BIT["step_free"]
MAX_TENURE_SECURITY: Final = 4
MAX_UNCERTAINTY_KM: Final = 50.0


def access_names(mask: int) -> list[str]:
    """The access codes set in ``mask``, in contract order."""
    return [code for code in ACCESS_CODES if mask & ACCESS_BIT[code]]


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
        rows, ptr = csr_rows(self.ptr, owners)
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
    min_tenure: IntArray
    """v2 ``min_tenure_security`` (0 in v1)."""
    access_needs: IntArray
    """v2 ``access_needs`` as a mask of :data:`ACCESS_BIT`, ``step_free`` folded in."""
    refused_ptr: IntArray
    refused: IntArray
    """v2 ``refused``: home indices once resolved (homes absent from the document dropped)."""

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, idx: IntArray) -> Households:
        area_rows, areas_ptr = csr_rows(self.areas_ptr, idx)
        avoid_rows, avoid_areas_ptr = csr_rows(self.avoid_areas_ptr, idx)
        refused_rows, refused_ptr = csr_rows(self.refused_ptr, idx)
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
            min_tenure=self.min_tenure[idx],
            access_needs=self.access_needs[idx],
            refused_ptr=refused_ptr,
            refused=self.refused[refused_rows],
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
    uncertainty_km: FloatArray
    """v2: the home lies somewhere within this many km of (lat, lon) (0 in v1)."""
    tenure: IntArray
    """v2 ``tenure_security`` (0 in v1)."""
    access: IntArray
    """v2 ``access`` as a mask of :data:`ACCESS_BIT`, ``step_free`` folded in."""

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
            uncertainty_km=self.uncertainty_km[idx],
            tenure=self.tenure[idx],
            access=self.access[idx],
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
    version: int = 1
    """The contract version the document was read as (1 or 2)."""

    def with_households(self, idx: IntArray) -> Instance:
        return replace(self, households=self.households.take(idx))

    def with_homes(self, idx: IntArray) -> Instance:
        """Keep only homes ``idx``; refused home indices follow the new numbering."""
        households = self.households
        new_index = np.full(len(self.homes) + 1, -1, dtype=np.int64)
        new_index[idx] = np.arange(len(idx), dtype=np.int64)
        renumbered = new_index[households.refused]
        kept = renumbered >= 0
        owner = np.repeat(np.arange(len(households), dtype=np.int64), np.diff(households.refused_ptr))
        refused_ptr = np.zeros(len(households) + 1, dtype=np.int64)
        np.cumsum(np.bincount(owner[kept], minlength=len(households)), out=refused_ptr[1:])
        households = replace(households, refused_ptr=refused_ptr, refused=renumbered[kept])
        return replace(self, households=households, homes=self.homes.take(idx))


def csr_rows(ptr: IntArray, owners: IntArray) -> tuple[IntArray, IntArray]:
    """Row indices of the selected owners, and the CSR pointer of the selection."""
    starts = ptr[owners]
    counts = ptr[owners + 1] - starts
    new_ptr = np.zeros(len(owners) + 1, dtype=np.int64)
    np.cumsum(counts, out=new_ptr[1:])
    rows = np.repeat(starts - new_ptr[:-1], counts) + np.arange(new_ptr[-1], dtype=np.int64)
    return rows, new_ptr


class Codes:
    """Interns strings (landlords, areas) as dense integer codes in first-seen order."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def code(self, name: str) -> int:
        found = self.index.get(name)
        if found is None:
            found = self.index[name] = len(self.index)
        return found

    def intern(self, names: list[str]) -> IntArray:
        """Codes for ``names``, assigned in first-seen order like :meth:`code`."""
        index = self.index
        for name in dict.fromkeys(names):
            if name not in index:
                index[name] = len(index)
        return np.fromiter(map(index.__getitem__, names), dtype=np.int64, count=len(names))

    @property
    def names(self) -> list[str]:
        return list(self.index)
