"""The six rules one at a time, and the exact distance boundaries."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from safemoves.matching import match, parse
from safemoves.matching.feasibility import feasible_pairs
from safemoves.matching.geometry import EARTH_RADIUS_KM, haversine_km

from .reference import distance_km, is_feasible


def _household(**fields: Any) -> dict[str, Any]:
    return {"id": "H1", "landlord": "L1", "bedrooms": 2, **fields}


def _home(**fields: Any) -> dict[str, Any]:
    base = {"id": "P1", "landlord": "L2", "lat": 52.0, "lon": -1.0, "area": "A1", "bedrooms": 2}
    return {**base, **fields}


def _feasible(household: dict[str, Any], home: dict[str, Any], **rules: Any) -> bool:
    doc = {"households": [household], "homes": [home], "rules": rules}
    return len(feasible_pairs(parse(doc))) == 1


@pytest.mark.parametrize(
    ("needed", "offered", "extra", "expected"),
    [
        (2, 1, 1, False),
        (2, 2, 1, True),
        (2, 3, 1, True),
        (2, 4, 1, False),
        (2, 4, 2, True),
        (2, 3, 0, False),
        (0, 0, 0, True),
    ],
)
def test_bedrooms_window(needed: int, offered: int, extra: int, expected: bool) -> None:
    assert _feasible(_household(bedrooms=needed), _home(bedrooms=offered), max_extra_bedrooms=extra) is expected


@pytest.mark.parametrize("field", ["step_free", "pets"])
def test_needs_imply_home_attribute(field: str) -> None:
    assert _feasible(_household(**{field: True}), _home(**{field: True}))
    assert not _feasible(_household(**{field: True}), _home(**{field: False}))
    assert _feasible(_household(**{field: False}), _home(**{field: False}))


def test_areas_and_avoid_areas() -> None:
    assert _feasible(_household(areas=["A1", "A2"]), _home(area="A1"))
    assert not _feasible(_household(areas=["A2"]), _home(area="A1"))
    assert not _feasible(_household(avoid_areas=["A1"]), _home(area="A1"))
    assert not _feasible(_household(areas=["A1"], avoid_areas=["A1"]), _home(area="A1"))
    assert _feasible(_household(avoid_areas=["A2"]), _home(area="A1"))


def test_same_landlord_rule() -> None:
    assert not _feasible(_household(landlord="L2"), _home(landlord="L2"))
    assert _feasible(_household(landlord="L2"), _home(landlord="L2"), same_landlord=True)


def _point(lat: float, lon: float, km: float) -> dict[str, float]:
    return {"lat": lat, "lon": lon, "km": km}


def test_zero_distance_boundaries() -> None:
    """Distance 0 is exact: an avoid radius of 0 excludes the point itself, near includes it."""
    assert not _feasible(_household(avoid=[_point(52.0, -1.0, 0)]), _home())
    assert _feasible(_household(near=[_point(52.0, -1.0, 0)]), _home())


@pytest.mark.parametrize(("lat", "lon"), [(52.09, -1.0), (51.5, -0.12), (52.0, -0.93)])
def test_exact_radius_boundaries(lat: float, lon: float) -> None:
    """A home exactly ``km`` away: unsafe for avoid (needs >), fine for near (needs <=)."""
    d = float(haversine_km(lat, lon, 52.0, -1.0))
    just_less = math.nextafter(d, 0.0)
    assert not _feasible(_household(avoid=[_point(lat, lon, d)]), _home())
    assert _feasible(_household(avoid=[_point(lat, lon, just_less)]), _home())
    assert _feasible(_household(near=[_point(lat, lon, d)]), _home())
    assert not _feasible(_household(near=[_point(lat, lon, just_less)]), _home())


def test_haversine_agrees_with_scalar_formula() -> None:
    rng = np.random.default_rng(7)
    lat1, lat2 = rng.uniform(-89, 89, 200), rng.uniform(-89, 89, 200)
    lon1, lon2 = rng.uniform(-180, 180, 200), rng.uniform(-180, 180, 200)
    vectorised = haversine_km(lat1, lon1, lat2, lon2)
    scalar = [distance_km(*row) for row in zip(lat1, lon1, lat2, lon2, strict=True)]
    np.testing.assert_allclose(vectorised, scalar, rtol=1e-12, atol=1e-9)
    assert float(haversine_km(0, 0, 0, 180)) == pytest.approx(math.pi * EARTH_RADIUS_KM)


def test_every_avoid_point_counts() -> None:
    household = _household(avoid=[_point(10.0, 10.0, 1), _point(52.0, -1.01, 5)])
    assert not _feasible(household, _home())


def test_every_near_point_counts_and_huge_radius() -> None:
    far = _point(-52.0, 179.0, 5)
    assert not _feasible(_household(near=[_point(52.0, -1.0, 1), far]), _home())
    assert _feasible(_household(near=[_point(-52.0, 179.0, 30000)]), _home())


def test_generators_agree() -> None:
    """The same households found through areas, a near place, or with no restriction."""
    homes = [_home(id=f"P{i}", lat=52.0 + i * 0.01, area=f"A{i % 3}", bedrooms=1 + i % 3) for i in range(30)]
    near = [_point(52.1, -1.0, 2.5)]
    households = [
        _household(id="Hareas", areas=["A0", "A1"], near=near),
        _household(id="Hnear", near=near),
        _household(id="Hnone"),
        _household(id="Hwide", areas=["A0", "A1"], near=[_point(52.1, -1.0, 500)]),
    ]
    doc = {"households": households, "homes": homes}
    graph = feasible_pairs(parse(doc))
    got = sorted(zip(graph.household.tolist(), graph.home.tolist(), strict=True))
    instance = parse(doc)
    expected = sorted(
        (instance.households.ids.index(h["id"]), instance.homes.ids.index(p["id"]))
        for h in households
        for p in homes
        if is_feasible(h, p, doc)
    )
    assert got == expected
    assert graph.generator_counts == {"area": 1, "near": 2, "anywhere": 1}


def test_empty_sides() -> None:
    assert match({"households": [], "homes": [_home()]})["stats"]["housed"] == 0
    result = match({"households": [_household()], "homes": []})
    assert result["unmatched"] == ["H1"]
    assert result["assignments"] == []
