"""Great-circle distances, and the rounded figures shown to other organisations."""

from __future__ import annotations

import math

__all__ = ["EARTH_RADIUS_KM", "haversine_km", "round_distance_km"]

# IUGG mean Earth radius (2a + b) / 3 of WGS84; the error against the ellipsoid is
# under 0.5 %, far finer than any distance the product shows.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half_dphi = math.radians(lat2 - lat1) / 2
    half_dlambda = math.radians(lon2 - lon1) / 2
    h = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    # Rounding can push h a hair outside [0, 1] for antipodal points.
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, h))))


def round_distance_km(distance_km: float) -> int:
    """A distance as shown to another organisation: whole kilometres, never below 1.

    Halves round up (2.5 -> 3). Anything under 1.5 km shows as 1, so a short distance
    never reveals how close a home is to a point the survivor must avoid.
    """
    if not math.isfinite(distance_km) or distance_km < 0:
        raise ValueError(f"a distance must be a finite number of km >= 0, not {distance_km!r}")
    return max(1, math.floor(distance_km + 0.5))
