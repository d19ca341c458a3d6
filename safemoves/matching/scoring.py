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

from .contract import FloatArray, Instance, IntArray
from .feasibility import expand_points
from .geometry import arc_km, unit_xyz
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


def score_pairs(instance: Instance, household: IndexArray, home: IndexArray) -> Scores:
    households, homes = instance.households, instance.homes
    urgent = np.where(households.urgent[household], URGENT_POINTS, 0).astype(np.int64)
    waiting = np.minimum(households.waiting_days[household] // WAITING_DAYS_PER_POINT, WAITING_MAX_POINTS)

    prefer = np.zeros(len(household), dtype=np.int64)
    points = households.prefer
    if len(points.lat) and len(household):
        pair_index, row = expand_points(household, points)
        # Scores need no boundary exactness, so the cheaper chord formula serves.
        km = arc_km(unit_xyz(points.lat, points.lon)[row], unit_xyz(homes.lat, homes.lon)[home[pair_index]])
        weight = points.value[row]
        weighted = np.bincount(pair_index, weights=weight * closeness(km), minlength=len(home))
        total_weight = np.bincount(pair_index, weights=weight, minlength=len(home))
        has_weight = total_weight > 0
        prefer[has_weight] = np.rint(PREFER_MAX_POINTS * weighted[has_weight] / total_weight[has_weight]).astype(
            np.int64
        )

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


def score_totals(instance: Instance, household: IndexArray, home: IndexArray) -> IntArray:
    """``score_pairs(...).total``, computed in chunks so national pools stay within memory."""
    total = np.empty(len(household), dtype=np.int64)
    for start in range(0, len(household), _CHUNK_PAIRS):
        stop = start + _CHUNK_PAIRS
        total[start:stop] = score_pairs(instance, household[start:stop], home[start:stop]).total
    return total
