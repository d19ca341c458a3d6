"""The six rules one at a time, and the exact distance boundaries."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from safemoves.matching import feasibility, match, parse
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


def test_generators_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same households found through areas, a near place, or with no restriction."""
    monkeypatch.setattr(feasibility, "_TREE_MIN_CANDIDATES", -1)
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


# Contract v2 rules (ADR 0010): one at a time, and the uncertainty disc's exact boundaries.


def _feasible_v2(household: dict[str, Any], home: dict[str, Any]) -> bool:
    doc = {"version": 2, "households": [household], "homes": [home]}
    found = len(feasible_pairs(parse(doc))) == 1
    assert found is is_feasible(household, home, doc)
    return found


@pytest.mark.parametrize(("lat", "lon"), [(52.09, -1.0), (51.5, -0.12), (52.0, -0.93)])
@pytest.mark.parametrize("u", [0.37, 1.0, 2.5])
def test_uncertainty_disc_boundaries(lat: float, lon: float, u: float) -> None:
    """Avoid needs d - u > km (equality is unsafe); near needs d + u <= km (equality fits)."""
    d = float(haversine_km(lat, lon, 52.0, -1.0))
    home = _home(uncertainty_km=u)
    at_avoid, at_near = d - u, d + u
    assert not _feasible_v2(_household(avoid=[_point(lat, lon, at_avoid)]), home)
    assert _feasible_v2(_household(avoid=[_point(lat, lon, math.nextafter(at_avoid, 0.0))]), home)
    assert _feasible_v2(_household(near=[_point(lat, lon, at_near)]), home)
    assert not _feasible_v2(_household(near=[_point(lat, lon, math.nextafter(at_near, 0.0))]), home)
    # Without the disc the same home is safe from a zone reaching only just past d - u.
    assert _feasible_v2(_household(avoid=[_point(lat, lon, at_avoid)]), _home())


def test_uncertainty_disc_around_the_point_itself() -> None:
    """A zone at the home's own position: the disc always meets it; near needs km >= u."""
    home = _home(uncertainty_km=3.0)
    assert not _feasible_v2(_household(avoid=[_point(52.0, -1.0, 0)]), home)
    assert _feasible_v2(_household(near=[_point(52.0, -1.0, 3.0)]), home)
    assert not _feasible_v2(_household(near=[_point(52.0, -1.0, 2.999)]), home)


def test_uncertainty_reaches_into_a_zone_the_point_is_outside() -> None:
    d = float(haversine_km(52.05, -1.0, 52.0, -1.0))  # about 5.56 km
    avoid = [_point(52.05, -1.0, 5.0)]
    assert _feasible_v2(_household(avoid=avoid), _home(uncertainty_km=0.5))
    assert not _feasible_v2(_household(avoid=avoid), _home(uncertainty_km=d - 5.0))
    assert not _feasible_v2(_household(avoid=avoid), _home(uncertainty_km=1.0))


@pytest.mark.parametrize(("needed", "offered", "expected"), [(0, 0, True), (2, 1, False), (2, 2, True), (2, 4, True)])
def test_tenure_security(needed: int, offered: int, expected: bool) -> None:
    assert _feasible_v2(_household(min_tenure_security=needed), _home(tenure_security=offered)) is expected


def test_refused_homes() -> None:
    assert not _feasible_v2(_household(refused=["P1"]), _home())
    assert _feasible_v2(_household(refused=["P2", "never-listed"]), _home())


@pytest.mark.parametrize(
    ("step_free", "needs", "home_step_free", "access", "expected"),
    [
        (False, ["lift"], False, ["lift", "level_access"], True),
        (False, ["lift", "level_access"], False, ["lift"], False),
        (False, ["wheelchair_full"], False, ["level_access", "wheelchair_essential_rooms"], False),
        (True, [], False, ["step_free"], True),
        (False, ["step_free"], True, [], True),
        (True, ["lift"], False, ["lift"], False),
        (True, ["lift"], True, ["lift"], True),
    ],
)
def test_access_needs_subset_with_step_free_folded_in(
    step_free: bool, needs: list[str], home_step_free: bool, access: list[str], expected: bool
) -> None:
    household = _household(step_free=step_free, access_needs=needs)
    home = _home(step_free=home_step_free, access=access)
    assert _feasible_v2(household, home) is expected


def test_v2_rules_also_hold_through_the_near_generator(monkeypatch: pytest.MonkeyPatch) -> None:
    """Candidates found by the KD-tree (near) and by areas meet the same v2 rules."""
    monkeypatch.setattr(feasibility, "_TREE_MIN_CANDIDATES", -1)
    homes = [
        _home(id=f"P{i}", lat=52.0 + i * 0.01, uncertainty_km=0.5 * (i % 4), tenure_security=i % 5) for i in range(30)
    ]
    households = [
        _household(id="Hnear", near=[_point(52.1, -1.0, 6.0)], min_tenure_security=2, refused=["P10"]),
        _household(id="Harea", areas=["A1"], avoid=[_point(52.15, -1.0, 4.0)], refused=["P3"]),
    ]
    doc = {"version": 2, "households": households, "homes": homes}
    instance = parse(doc)
    graph = feasible_pairs(instance)
    got = sorted(zip(graph.household.tolist(), graph.home.tolist(), strict=True))
    expected = sorted(
        (instance.households.ids.index(h["id"]), instance.homes.ids.index(p["id"]))
        for h in households
        for p in homes
        if is_feasible(h, p, doc)
    )
    assert got == expected
    assert 0 < len(got) < 60


def test_rank_by_home_keeps_refusals_of_other_numbering() -> None:
    """Ranking one home renumbers homes; a refusal must still point at the right one."""
    from safemoves.matching import rank

    homes = [_home(id="P1"), _home(id="P2"), _home(id="P3")]
    households = [_household(id="H1", refused=["P2"]), _household(id="H2", refused=["P1", "P3"])]
    doc = {"version": 2, "households": households, "homes": homes}
    assert [c["household"] for c in rank(doc, home="P2")["candidates"]] == ["H2"]
    assert [c["household"] for c in rank(doc, home="P3")["candidates"]] == ["H1"]
    assert [c["home"] for c in rank(doc, household="H2")["candidates"]] == ["P2"]
