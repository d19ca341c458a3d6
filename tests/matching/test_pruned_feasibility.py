"""The one-axis bound of the distance rules decides every pair as the full test does.

Avoid zones (rule 3) and required places (rule 4) skip the three-axis chord and the
haversine for rows whose z difference alone proves them outside the circle. These tests
put homes on and a hair either side of circle boundaries, due north or south of the centre
(where the z term is almost the whole chord, the bound's tightest case) as well as in other
directions, with and without v2 uncertainty discs, and compare the pruned feasibility with
the unpruned one pair by pair.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safemoves.matching import feasibility, parse
from safemoves.matching.geometry import haversine_km, unit_xyz
from safemoves.matching.model import Points

BASE_LON = -1.0
# On the equator a due-north offset is almost all z, so the bound is at its tightest there;
# at 52 degrees (England) z is about 0.62 of a north-south chord.
base_lats = st.sampled_from([0.0, 0.0005, -0.0005, 52.0, -45.0])

# Offsets of homes from the circle centres: due north / south (dlon = 0) is where the
# z term alone is nearly the chord; the other offsets cover every other direction.
offsets = st.tuples(st.integers(-40, 40).map(lambda i: i * 0.003), st.sampled_from([0.0, 0.0, 0.004, -0.011, 0.05]))
uncertainty = st.sampled_from([0.0, 0.0, 0.5, 0.37, 1.5])
nudge = st.sampled_from([-2, -1, 0, 0, 0, 1, 2])
"""Radius moved this many floats from a home's exact distance (0: exactly on the circle)."""


def _nudged(value: float, steps: int) -> float:
    for _ in range(abs(steps)):
        value = math.nextafter(value, math.inf if steps > 0 else -math.inf)
    return max(value, 0.0)


@st.composite
def borderline_instance(draw: st.DrawFn) -> dict[str, Any]:
    """A dense v2 (or v1) document whose circles pass exactly through (or next to) homes."""
    v2 = draw(st.booleans())
    base_lat = draw(base_lats)
    homes: list[dict[str, Any]] = []
    for j in range(draw(st.integers(1, 8))):
        dlat, dlon = draw(offsets)
        home: dict[str, Any] = {
            "id": f"P{j}",
            "landlord": "L2",
            "lat": base_lat + dlat,
            "lon": BASE_LON + dlon,
            "area": "A1",
            "bedrooms": 1,
        }
        if v2:
            home["uncertainty_km"] = draw(uncertainty)
        homes.append(home)
    households: list[dict[str, Any]] = []
    for i in range(draw(st.integers(1, 6))):
        circles: dict[str, list[dict[str, Any]]] = {"avoid": [], "near": []}
        for kind in ("avoid", "near"):
            for _ in range(draw(st.integers(0, 2 if kind == "avoid" else 1))):
                dlat, dlon = draw(offsets)
                lat, lon = base_lat + dlat, BASE_LON + dlon
                # The radius is a home's exact haversine distance (minus / plus its disc, the
                # contract's boundary), nudged by a few floats, or a plain kilometre count.
                target = draw(st.sampled_from(homes))
                d = float(haversine_km(lat, lon, target["lat"], target["lon"]))
                u = float(target.get("uncertainty_km", 0.0))
                edge = d - u if kind == "avoid" else d + u
                km = _nudged(edge, draw(nudge)) if draw(st.integers(0, 3)) else float(draw(st.integers(0, 6)))
                circles[kind].append({"lat": lat, "lon": lon, "km": max(km, 0.0)})
        households.append(
            {"id": f"H{i}", "landlord": "L1", "bedrooms": 1, "avoid": circles["avoid"], "near": circles["near"]}
        )
    doc: dict[str, Any] = {"households": households, "homes": homes, "rules": {"max_extra_bedrooms": 0}}
    if v2:
        doc["version"] = 2
    return doc


def _pairs(doc: dict[str, Any]) -> tuple[list[int], list[int]]:
    graph = feasibility.feasible_pairs(parse(doc))
    return graph.household.tolist(), graph.home.tolist()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(borderline_instance(), st.booleans(), st.booleans())
def test_pruned_feasibility_equals_unpruned(doc: dict[str, Any], tree: bool, few_points: bool) -> None:
    pruned = _pairs(doc)
    with pytest.MonkeyPatch.context() as monkeypatch:
        if tree:
            monkeypatch.setattr(feasibility, "_TREE_MIN_CANDIDATES", -1)
        if not few_points:
            monkeypatch.setattr(feasibility, "_FEW_POINTS", 0)
        monkeypatch.setattr(feasibility, "_CHUNK_ROWS", 3)
        pruned_variant = _pairs(doc)
        monkeypatch.setattr(feasibility, "_rows_break", feasibility._rows_break_exact)
        unpruned = _pairs(doc)
    assert pruned == unpruned
    assert pruned_variant == unpruned


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(offsets, uncertainty, nudge), min_size=1, max_size=30),
    base_lats,
    st.booleans(),
    st.booleans(),
)
def test_rows_pruned_equal_rows_exact(rows: list[Any], base_lat: float, avoid: bool, with_discs: bool) -> None:
    """Row level: each (circle, home) row at the boundary decided exactly as unpruned."""
    lat = np.array([base_lat + dlat for (dlat, _), _, _ in rows])
    lon = np.array([BASE_LON + dlon for (_, dlon), _, _ in rows])
    u = np.array([disc if with_discs else 0.0 for _, disc, _ in rows])
    # One circle per home, centred on the base point, through the home (nudged).
    d = haversine_km(base_lat, BASE_LON, lat, lon)
    edge = d - u if avoid else d + u
    km = np.array([_nudged(float(e), step) for e, (_, _, step) in zip(edge, rows, strict=True)])
    n = len(rows)
    points = Points(np.arange(n + 1, dtype=np.int64), np.full(n, base_lat), np.full(n, BASE_LON), km)
    homes = parse(
        {
            "version": 2,
            "households": [],
            "homes": [
                {
                    "id": f"P{j:03d}",
                    "landlord": "L",
                    "lat": float(lat[j]),
                    "lon": float(lon[j]),
                    "area": "A",
                    "bedrooms": 1,
                    "uncertainty_km": float(u[j]),
                }
                for j in range(n)
            ],
        }
    ).homes
    point_axes = np.ascontiguousarray(unit_xyz(points.lat, points.lon).T)
    home_axes = np.ascontiguousarray(unit_xyz(homes.lat, homes.lon).T)
    row = np.arange(n, dtype=np.int64)
    args = (row, row, points, homes, point_axes, home_axes)
    pruned = feasibility._rows_break(*args, avoid=avoid)
    exact = feasibility._rows_break_exact(*args, avoid=avoid)
    assert pruned.tolist() == exact.tolist()
