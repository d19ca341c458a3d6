"""Integer scores for feasible pairs.

Scores are small non-negative integers so the solver works in exact integer arithmetic.
Household terms (urgency, waiting) do not change which home a household gets, but they
decide *who* is housed when households compete for too few homes. Home terms (closeness to
preferred places, size fit, ledger) decide *which* home.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from .contract import FloatArray, Instance, IntArray
from .feasibility import expand_points
from .geometry import chord_to_km, squared_chord, unit_xyz
from .model import IndexArray

URGENT_POINTS: Final = 200
WAITING_DAYS_PER_POINT: Final = 7
WAITING_MAX_POINTS: Final = 104
"""Two years of waiting; past that, waiting longer no longer adds."""
PREFER_MAX_POINTS: Final = 100
PREFER_HALF_KM: Final = 10.0
"""A preferred place this far away earns half the closeness points."""
SIZE_EXACT_POINTS: Final = 50
SIZE_POINTS_LOST_PER_EXTRA_BEDROOM: Final = 25
LEDGER_POINTS_PER_HOME_OWED: Final = 10
LEDGER_MAX_HOMES_COUNTED: Final = 5

MAX_PAIR_SCORE: Final = (
    URGENT_POINTS
    + WAITING_MAX_POINTS
    + PREFER_MAX_POINTS
    + SIZE_EXACT_POINTS
    + LEDGER_POINTS_PER_HOME_OWED * LEDGER_MAX_HOMES_COUNTED
)


@dataclass(frozen=True)
class Scores:
    """Score parts per pair; ``total`` is their sum."""

    urgent: IntArray
    waiting: IntArray
    prefer: IntArray
    size: IntArray
    ledger: IntArray

    @property
    def total(self) -> IntArray:
        total: IntArray = self.urgent + self.waiting + self.prefer + self.size + self.ledger
        return total


def closeness(km: FloatArray) -> FloatArray:
    """1 at the place, 1/2 at PREFER_HALF_KM, falling smoothly towards 0."""
    result: FloatArray = PREFER_HALF_KM / (PREFER_HALF_KM + km)
    return result


def _prefer(
    instance: Instance, household: IndexArray, home: IndexArray, point_xyz: FloatArray, home_xyz: FloatArray
) -> IntArray:
    """Preferred-places points per pair (0 for households without a weighted place).

    Only pairs whose household names a place are expanded; coordinates are gathered one
    axis at a time (1-D gathers are much cheaper than gathering rows of an (n, 3) array).
    """
    prefer = np.zeros(len(household), dtype=np.int64)
    points = instance.households.prefer
    if not len(points.lat) or not len(household):
        return prefer
    counts = points.counts[household]
    most = int(counts.max())
    if not most:
        return prefer
    if most > _FEW_PLACES:
        pair_index, row = expand_points(household, points)
        pair_home = home[pair_index]
        # Scores need no boundary exactness: the chord serves, not the haversine.
        km = chord_to_km(np.sqrt(squared_chord(point_xyz, home_xyz, row, pair_home)))
        weight = points.value[row]
        sums = np.asarray(np.bincount(pair_index, weights=weight * closeness(km), minlength=len(home)), np.float64)
        weights = np.asarray(np.bincount(pair_index, weights=weight, minlength=len(home)), np.float64)
        return _prefer_points(prefer, sums, weights)
    weighted: FloatArray = np.zeros(len(household))
    total_weight: FloatArray = np.zeros(len(household))
    # The k-th place of every pair whose household has one, k = 0, 1, ...: each pair's sums
    # are accumulated in place order, exactly as a per-pair loop would.
    for k in range(most):
        has_kth = counts > k
        if bool(has_kth.all()):  # every pair: no index to gather and scatter through
            row = points.ptr[household] + k
            km = chord_to_km(np.sqrt(squared_chord(point_xyz, home_xyz, row, home)))
            weight = points.value[row]
            weighted += weight * closeness(km)
            total_weight += weight
            continue
        pair_index = np.flatnonzero(has_kth)
        row = points.ptr[household[pair_index]] + k
        pair_home = home[pair_index]
        km = chord_to_km(np.sqrt(squared_chord(point_xyz, home_xyz, row, pair_home)))
        weight = points.value[row]
        weighted[pair_index] += weight * closeness(km)
        total_weight[pair_index] += weight
    return _prefer_points(prefer, weighted, total_weight)


_FEW_PLACES = 4
"""Households with at most this many preferred places are scored one place index at a time."""


def _prefer_points(prefer: IntArray, weighted: FloatArray, total_weight: FloatArray) -> IntArray:
    has_weight = total_weight > 0
    prefer[has_weight] = np.rint(PREFER_MAX_POINTS * weighted[has_weight] / total_weight[has_weight]).astype(np.int64)
    return prefer


def _axes(lat: FloatArray, lon: FloatArray) -> FloatArray:
    """Unit-sphere coordinates as three contiguous rows (x, y, z)."""
    return np.ascontiguousarray(unit_xyz(lat, lon).T)


def score_pairs(instance: Instance, household: IndexArray, home: IndexArray) -> Scores:
    households, homes = instance.households, instance.homes
    urgent = np.where(households.urgent[household], URGENT_POINTS, 0).astype(np.int64)
    waiting = np.minimum(households.waiting_days[household] // WAITING_DAYS_PER_POINT, WAITING_MAX_POINTS)
    points = households.prefer
    prefer = _prefer(instance, household, home, _axes(points.lat, points.lon), _axes(homes.lat, homes.lon))

    extra = homes.bedrooms[home] - households.bedrooms[household]
    size = np.maximum(SIZE_EXACT_POINTS - SIZE_POINTS_LOST_PER_EXTRA_BEDROOM * extra, 0)

    owed = np.clip(-instance.ledger[homes.landlord[home]], 0, LEDGER_MAX_HOMES_COUNTED)
    ledger = LEDGER_POINTS_PER_HOME_OWED * owed
    return Scores(
        urgent=urgent,
        waiting=waiting.astype(np.int64),
        prefer=prefer,
        size=size.astype(np.int64),
        ledger=ledger.astype(np.int64),
    )


_CHUNK_PAIRS = 1 << 20


def score_totals(instance: Instance, household: IndexArray, home: IndexArray) -> npt.NDArray[np.int16]:
    """``score_pairs(...).total``, in chunks so national pools stay within memory.

    Per-household and per-home parts are computed once and gathered; only the preferred
    places need a per-pair distance, and only for households that name one.
    """
    households, homes = instance.households, instance.homes
    per_household = np.where(households.urgent, URGENT_POINTS, 0) + np.minimum(
        households.waiting_days // WAITING_DAYS_PER_POINT, WAITING_MAX_POINTS
    )
    per_home = LEDGER_POINTS_PER_HOME_OWED * np.clip(-instance.ledger[homes.landlord], 0, LEDGER_MAX_HOMES_COUNTED)
    points = households.prefer
    point_xyz, home_xyz = _axes(points.lat, points.lon), _axes(homes.lat, homes.lon)
    # int16 holds every score (at most MAX_PAIR_SCORE): a quarter of the memory of int64.
    total = np.empty(len(household), dtype=np.int16)
    for start in range(0, len(household), _CHUNK_PAIRS):
        stop = start + _CHUNK_PAIRS
        h, p = household[start:stop], home[start:stop]
        extra = homes.bedrooms[p] - households.bedrooms[h]
        part = per_household[h] + per_home[p]
        part += np.maximum(SIZE_EXACT_POINTS - SIZE_POINTS_LOST_PER_EXTRA_BEDROOM * extra, 0)
        part += _prefer(instance, h, p, point_xyz, home_xyz)
        total[start:stop] = part
    return total
