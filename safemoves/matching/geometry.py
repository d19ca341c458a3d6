"""Great-circle geometry shared by the feasibility rules, scoring and reasons.

Every distance that decides feasibility goes through :func:`haversine_km`, so a boundary case
(a home exactly ``km`` from a point) is judged by one formula only. The spatial index works on
chords of the unit sphere and is only ever used to find a *superset* of candidates.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), the R the v1 contract fixes."""

FloatArray = npt.NDArray[np.float64]

# A relative margin far above float64 rounding in the chord/arc conversions, so the
# index never loses a pair that the exact haversine test would accept.
_INDEX_SLACK = 1e-9


def haversine_km(lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike) -> FloatArray:
    """Haversine distance in km between points given in degrees (broadcasts)."""
    phi1 = np.radians(np.asarray(lat1, dtype=np.float64))
    phi2 = np.radians(np.asarray(lat2, dtype=np.float64))
    dphi = phi2 - phi1
    dlmb = np.radians(np.asarray(lon2, dtype=np.float64)) - np.radians(np.asarray(lon1, dtype=np.float64))
    a = np.sin(dphi * 0.5) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlmb * 0.5) ** 2
    result: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return result


def unit_xyz(lat: npt.ArrayLike, lon: npt.ArrayLike) -> FloatArray:
    """Points on the unit sphere, shape (n, 3), for the Euclidean spatial index."""
    phi = np.radians(np.asarray(lat, dtype=np.float64))
    lmb = np.radians(np.asarray(lon, dtype=np.float64))
    cos_phi = np.cos(phi)
    return np.column_stack((cos_phi * np.cos(lmb), cos_phi * np.sin(lmb), np.sin(phi)))


def km_to_chord(km: npt.ArrayLike) -> FloatArray:
    """Unit-sphere chord for an arc of ``km``, widened slightly so index queries over-cover."""
    angle = np.minimum(np.asarray(km, dtype=np.float64) / EARTH_RADIUS_KM, math.pi)
    chord: FloatArray = 2.0 * np.sin(angle * 0.5) * (1.0 + _INDEX_SLACK) + _INDEX_SLACK
    return chord


def chord_to_km(chord: npt.ArrayLike) -> FloatArray:
    """Arc length in km for a unit-sphere chord (inverse of :func:`km_to_chord` sans slack)."""
    half = np.clip(np.asarray(chord, dtype=np.float64) * 0.5, 0.0, 1.0)
    result: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(half)
    return result


def chord_band(km: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Chords beyond which a point is surely farther / nearer than ``km`` (haversine).

    Between the two, float rounding in either formula could matter, so callers decide
    those rare cases with :func:`haversine_km` itself.
    """
    angle = np.minimum(np.asarray(km, dtype=np.float64) / EARTH_RADIUS_KM, math.pi)
    chord = 2.0 * np.sin(angle * 0.5)
    outside: FloatArray = chord * (1.0 + _INDEX_SLACK) + _INDEX_SLACK
    inside: FloatArray = np.maximum(chord * (1.0 - _INDEX_SLACK) - _INDEX_SLACK, 0.0)
    return outside, inside


def squared_gap(
    a_xyz: FloatArray, b_xyz: FloatArray, a: npt.NDArray[np.integer], b: npt.NDArray[np.integer], axis: int
) -> FloatArray:
    """``(a_xyz[axis][a] - b_xyz[axis][b]) ** 2`` per row, in the one array the gather makes
    (large temporaries cost page faults, a good part of a dense run's system time). Exact
    whichever side comes first: a negated difference squares to the same float."""
    gap: FloatArray = a_xyz[axis][a]
    gap -= b_xyz[axis][b]
    gap *= gap
    return gap


def squared_chord(
    a_xyz: FloatArray, b_xyz: FloatArray, a: npt.NDArray[np.integer], b: npt.NDArray[np.integer]
) -> FloatArray:
    """The squared chord between unit vectors per row: the axes' squared gaps summed x, y, z,
    the same operations in the same order as ``sum((a - b) ** 2)``. Its z term is
    :func:`squared_gap` of axis 2 to the bit, and summing non-negative floats never
    decreases, so the chord is at least that term (feasibility's one-axis bound rests on it)."""
    chord2 = squared_gap(a_xyz, b_xyz, a, b, 0)
    for axis in (1, 2):
        chord2 += squared_gap(a_xyz, b_xyz, a, b, axis)
    return chord2
