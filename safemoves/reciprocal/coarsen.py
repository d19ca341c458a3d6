"""Coarse, stable geometry for every cross-landlord fit answer (ADR 0012).

A yes/no "fits" answer for homes a landlord places itself is a membership oracle for the
household's circles: enough answers around a circle locate its centre, however the radius
is padded (a constant margin moves the edge, not the centre). So before a place reaches the
engine its circle is replaced by a *shifted* one that is safe by construction:

* an unsafe circle (c, r) becomes (c', r + d) with c' at distance d from c: every point
  within r of c is within r + d of c', so whatever the shifted circle keeps out, the true one
  is kept out too;
* a required circle (c, r) becomes (c', r - d): every point within r - d of c' is within r of
  c, so a home that reaches the shifted circle reaches the true place. When r <= d nothing
  can reach it through the scheme (the officer is warned when the request is made).

The bearing and d (``SHIFT_MIN_KM``..``SHIFT_MAX_KM``) come from a keyed hash of the case and
the place, so they are the same in every query, for every landlord and in every request of
the same case: answers never sharpen with repetition or nearby homes, and a located centre is
at least ``SHIFT_MIN_KM`` from the true place. The key is the server's secret; nothing
derived from it is stored or shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.utils.crypto import salted_hmac

from safemoves.geo import EARTH_RADIUS_KM

SHIFT_MIN_KM = 1.25
SHIFT_MAX_KM = 2.5
_SALT = "safemoves.reciprocal.coarsen.place-shift"


@dataclass(frozen=True)
class Shift:
    bearing_rad: float
    km: float


def place_shift(*, case_id: Any, kind: str, lat: float, lon: float) -> Shift:
    """The stable secret shift of one place of one case."""
    digest = salted_hmac(_SALT, f"{case_id}|{kind}|{lat:.6f}|{lon:.6f}", algorithm="sha256").digest()
    first = int.from_bytes(digest[:8], "big") / 2**64
    second = int.from_bytes(digest[8:16], "big") / 2**64
    return Shift(bearing_rad=2 * math.pi * first, km=SHIFT_MIN_KM + (SHIFT_MAX_KM - SHIFT_MIN_KM) * second)


def destination(lat: float, lon: float, *, bearing_rad: float, km: float) -> tuple[float, float]:
    """The point ``km`` along the great circle from (lat, lon) at ``bearing_rad``."""
    angular = km / EARTH_RADIUS_KM
    phi1, lambda1 = math.radians(lat), math.radians(lon)
    phi2 = math.asin(math.sin(phi1) * math.cos(angular) + math.cos(phi1) * math.sin(angular) * math.cos(bearing_rad))
    lambda2 = lambda1 + math.atan2(
        math.sin(bearing_rad) * math.sin(angular) * math.cos(phi1),
        math.cos(angular) - math.sin(phi1) * math.sin(phi2),
    )
    return math.degrees(phi2), (math.degrees(lambda2) + 540.0) % 360.0 - 180.0


def coarse_avoid(*, case_id: Any, point: dict[str, float]) -> dict[str, float]:
    """A shifted unsafe circle that contains the true one."""
    shift = place_shift(case_id=case_id, kind="avoid", lat=point["lat"], lon=point["lon"])
    lat, lon = destination(point["lat"], point["lon"], bearing_rad=shift.bearing_rad, km=shift.km)
    return {"lat": lat, "lon": lon, "km": float(point["km"]) + shift.km}


def coarse_near(*, case_id: Any, point: dict[str, float]) -> dict[str, float]:
    """A shifted required circle inside the true one (radius 0 when none fits inside)."""
    shift = place_shift(case_id=case_id, kind="near", lat=point["lat"], lon=point["lon"])
    lat, lon = destination(point["lat"], point["lon"], bearing_rad=shift.bearing_rad, km=shift.km)
    return {"lat": lat, "lon": lon, "km": max(0.0, float(point["km"]) - shift.km)}
