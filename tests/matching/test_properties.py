"""Random small instances: the engine against brute force and exhaustive search.

Three families: v1 documents as the Django side sends them, v2 documents (uncertainty
discs, tenure, refused homes, access needs), and dense ones where most households accept
most homes (no area list, no required place), the shape that stresses the solver.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from safemoves.matching import blocks, match
from safemoves.matching.contract import parse
from safemoves.matching.feasibility import feasible_pairs as engine_feasible_pairs
from safemoves.matching.model import BoolArray, IntArray

from .reference import best_matching_value, feasible_pairs, is_feasible, score

# A coarse grid keeps brute force and engine away from float ties at a radius, except at
# distance 0, which both compute exactly.
lats = st.integers(0, 30).map(lambda i: 51.0 + i * 0.01)
lons = st.integers(0, 30).map(lambda i: -1.0 + i * 0.01)
radius = st.integers(0, 25)
areas = st.sampled_from(["A1", "A2", "A3"])
landlords = st.sampled_from(["L1", "L2", "L3"])


@st.composite
def circle(draw: st.DrawFn) -> dict[str, Any]:
    return {"lat": draw(lats), "lon": draw(lons), "km": draw(radius)}


@st.composite
def preferred(draw: st.DrawFn) -> dict[str, Any]:
    return {"lat": draw(lats), "lon": draw(lons), "weight": draw(st.integers(0, 3))}


access_codes = st.sampled_from(["step_free", "level_access", "lift", "wheelchair_essential_rooms", "wheelchair_full"])
# Half-kilometre steps keep d - u and d + u away from float ties at a radius too.
uncertainty = st.integers(0, 8).map(lambda i: i * 0.5)


@st.composite
def household(draw: st.DrawFn, index: int, *, v2: bool = False, dense: bool = False, homes: int = 0) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": f"H{index}",
        "landlord": draw(landlords),
        "bedrooms": draw(st.integers(0, 3)),
        "step_free": draw(st.booleans()),
        "pets": draw(st.booleans()),
        "areas": draw(st.lists(areas, max_size=2, unique=True)),
        "avoid_areas": draw(st.lists(areas, max_size=1)),
        "avoid": draw(st.lists(circle(), max_size=2)),
        "near": draw(st.lists(circle(), max_size=1)),
        "prefer": draw(st.lists(preferred(), max_size=2)),
        "waiting_days": draw(st.integers(0, 800)),
        "urgent": draw(st.booleans()),
    }
    if dense:
        # Mostly unrestricted: every home of a fitting size is a candidate.
        record["step_free"] = record["pets"] = False
        if draw(st.integers(0, 4)):
            record["areas"], record["avoid_areas"], record["near"] = [], [], []
            record["avoid"] = record["avoid"][:1]
    if v2:
        record["min_tenure_security"] = draw(st.integers(0, 4))
        record["access_needs"] = draw(st.lists(access_codes, max_size=2, unique=True))
        ids = st.integers(0, homes + 1).map(lambda j: f"P{j}")
        record["refused"] = draw(st.lists(ids, max_size=3, unique=True))
    return record


@st.composite
def home(draw: st.DrawFn, index: int, *, v2: bool = False) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": f"P{index}",
        "landlord": draw(landlords),
        "lat": draw(lats),
        "lon": draw(lons),
        "area": draw(areas),
        "bedrooms": draw(st.integers(0, 4)),
        "step_free": draw(st.booleans()),
        "pets": draw(st.booleans()),
    }
    if v2:
        record["uncertainty_km"] = draw(uncertainty)
        record["tenure_security"] = draw(st.integers(0, 4))
        record["access"] = draw(st.lists(access_codes, max_size=4, unique=True))
    return record


@st.composite
def instance(
    draw: st.DrawFn, max_households: int, max_homes: int, *, v2: bool = False, dense: bool = False
) -> dict[str, Any]:
    n = draw(st.integers(0, max_households))
    m = draw(st.integers(0, max_homes))
    doc: dict[str, Any] = {
        "households": [draw(household(i, v2=v2, dense=dense, homes=m)) for i in range(n)],
        "homes": [draw(home(j, v2=v2)) for j in range(m)],
        "ledger": {name: draw(st.integers(-7, 7)) for name in ("L1", "L2")},
        "rules": {
            "max_extra_bedrooms": draw(st.integers(0, 2)),
            "same_landlord": draw(st.booleans()),
        },
    }
    if v2:
        doc["version"] = 2
    return doc


def any_instance(max_households: int, max_homes: int) -> st.SearchStrategy[dict[str, Any]]:
    """v1, v2 and dense (v1 or v2) documents."""
    return st.one_of(
        instance(max_households, max_homes),
        instance(max_households, max_homes, v2=True),
        instance(max_households, max_homes, dense=True),
        instance(max_households, max_homes, v2=True, dense=True),
    )


def _by_id(doc: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {record["id"]: record for record in doc[kind]}


def _maximum_cardinality(doc: dict[str, Any]) -> int:
    n, m = len(doc["households"]), len(doc["homes"])
    pairs = feasible_pairs(doc)
    if not pairs:
        return 0
    rows, cols = zip(*pairs, strict=True)
    graph = csr_matrix((np.ones(len(pairs)), (rows, cols)), shape=(n, m))
    return int(np.count_nonzero(maximum_bipartite_matching(graph, perm_type="column") >= 0))


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(any_instance(max_households=12, max_homes=12))
def test_assignments_feasible_and_cardinality_maximum(doc: dict[str, Any]) -> None:
    result = match(doc)
    households, homes = _by_id(doc, "households"), _by_id(doc, "homes")
    used_homes = [a["home"] for a in result["assignments"]]
    used_households = [a["household"] for a in result["assignments"]]
    assert len(set(used_homes)) == len(used_homes)
    assert sorted(used_households + result["unmatched"]) == sorted(households)
    for a in result["assignments"]:
        h, p = households[a["household"]], homes[a["home"]]
        assert is_feasible(h, p, doc)
        assert a["score"] == score(h, p, doc)
        assert a["reasons"]
    assert result["stats"]["housed"] == _maximum_cardinality(doc)
    assert result["stats"]["feasible_pairs"] == len(feasible_pairs(doc))
    assert result["stats"]["total_score"] == sum(a["score"] for a in result["assignments"])


@FAST
@given(any_instance(max_households=6, max_homes=6))
def test_total_score_best_among_maximum_matchings(doc: dict[str, Any]) -> None:
    best = best_matching_value(doc)
    for solver in ("blocks", "ortools", "scipy"):
        stats = match(doc, solver=solver)["stats"]
        assert (stats["housed"], stats["total_score"]) == best


def _without_timings(result: dict[str, Any]) -> dict[str, Any]:
    stats = dict(result["stats"])
    stats.pop("timings_ms")
    return {**result, "stats": stats}


@settings(max_examples=60, deadline=None)
@given(any_instance(max_households=10, max_homes=10), st.randoms(use_true_random=False))
def test_output_ignores_input_order(doc: dict[str, Any], shuffler: random.Random) -> None:
    shuffled = {**doc, "households": list(doc["households"]), "homes": list(doc["homes"])}
    shuffler.shuffle(shuffled["households"])
    shuffler.shuffle(shuffled["homes"])
    assert _without_timings(match(shuffled)) == _without_timings(match(doc))


@settings(max_examples=60, deadline=None)
@given(instance(max_households=10, max_homes=10))
def test_v2_with_every_default_equals_v1(doc: dict[str, Any]) -> None:
    """A v1 document read as v2 (no v2 field, or every one at its default) means the same."""
    v1 = _without_timings(match(doc))
    as_v2 = _without_timings(match({**doc, "version": 2}))
    defaults = {
        "version": 2,
        "households": [dict(h, min_tenure_security=0, refused=[], access_needs=[]) for h in doc["households"]],
        "homes": [dict(p, uncertainty_km=0, tenure_security=0, access=[]) for p in doc["homes"]],
    }
    spelled_out = _without_timings(match({**doc, **defaults}))
    assert v1["stats"].pop("contract") == 1
    for other in (as_v2, spelled_out):
        assert other["stats"].pop("contract") == 2
        assert other == v1


def test_housing_more_beats_a_higher_score_for_every_solver() -> None:
    """H1 (urgent) scores best on P1, but only P1 fits H2: both are housed, H1 in P2."""
    home = {"landlord": "L2", "lat": 51.0, "area": "A", "bedrooms": 2}
    doc = {
        "households": [
            {
                "id": "H1",
                "landlord": "L1",
                "bedrooms": 1,
                "urgent": True,
                "prefer": [{"lat": 51.0, "lon": 0.0, "weight": 1}],
            },
            {"id": "H2", "landlord": "L1", "bedrooms": 2},
        ],
        "homes": [dict(home, id="P1", lon=0.0), dict(home, id="P2", lon=0.5, bedrooms=1)],
    }
    for solver in ("blocks", "ortools", "scipy"):
        result = match(doc, solver=solver)
        assert [(a["household"], a["home"]) for a in result["assignments"]] == [("H1", "P2"), ("H2", "P1")]
        assert result["stats"]["housed"] == 2


def _maximum_matching_size(pairs: list[tuple[int, int]]) -> int:
    """Scalar reference: Kuhn's augmenting paths, one household at a time."""
    options: dict[int, list[int]] = {}
    for h, p in pairs:
        options.setdefault(h, []).append(p)
    owner: dict[int, int] = {}

    def augment(h: int, seen: set[int]) -> bool:
        for p in options[h]:
            if p not in seen:
                seen.add(p)
                if p not in owner or augment(owner[p], seen):
                    owner[p] = h
                    return True
        return False

    return sum(augment(h, set()) for h in options)


def _check_unscored_pairs(doc: dict[str, Any]) -> int:
    """Solve with scores on demand; every pair never scored must be in no maximum matching.

    Checked independently: forcing a skipped pair (removing both ends, counting it) must
    lose a household against the maximum. Returns how many pairs were skipped.
    """
    from safemoves.matching.contract import parse
    from safemoves.matching.feasibility import feasible_pairs as engine_pairs
    from safemoves.matching.scoring import score_totals
    from safemoves.matching.solve import solve

    instance = parse(doc)
    graph = engine_pairs(instance)
    asked: list[int] = []

    def score_of(index: np.ndarray[Any, np.dtype[np.int64]]) -> np.ndarray[Any, np.dtype[np.int16]]:
        asked.extend(index.tolist())
        return score_totals(instance, graph.household[index], graph.home[index])

    by_function = solve(graph.household, graph.home, score_of)
    by_array = solve(graph.household, graph.home, score_totals(instance, graph.household, graph.home))
    assert by_function.tolist() == by_array.tolist()
    assert len(asked) == len(set(asked))
    pairs = list(zip(graph.household.tolist(), graph.home.tolist(), strict=True))
    best = _maximum_matching_size(pairs)
    for index in sorted(set(range(len(pairs))) - set(asked)):
        h, p = pairs[index]
        rest = [(a, b) for a, b in pairs if a != h and b != p]
        assert 1 + _maximum_matching_size(rest) < best
    return len(pairs) - len(asked)


@FAST
@given(any_instance(max_households=8, max_homes=8))
def test_blocks_score_only_pairs_some_maximum_matching_uses(doc: dict[str, Any]) -> None:
    _check_unscored_pairs(doc)


def test_blocks_skip_a_pair_no_maximum_matching_uses() -> None:
    """H1 fits P1 and P2, H2 and H3 fit P1 only: P1 must go to H2 or H3, so (H1, P1) is never scored."""
    home = {"landlord": "L2", "lat": 51.0, "lon": 0.0, "area": "A"}
    doc = {
        "households": [
            {"id": "H1", "landlord": "L1", "bedrooms": 1},
            {"id": "H2", "landlord": "L1", "bedrooms": 2},
            {"id": "H3", "landlord": "L1", "bedrooms": 2},
        ],
        "homes": [dict(home, id="P1", bedrooms=2), dict(home, id="P2", bedrooms=1)],
        "rules": {"max_extra_bedrooms": 1, "same_landlord": False},
    }
    assert _check_unscored_pairs(doc) == 1


@settings(max_examples=60, deadline=None)
@given(any_instance(max_households=10, max_homes=10))
def test_fewest_homes_first_matching_is_maximum_and_gives_the_same_blocks(doc: dict[str, Any]) -> None:
    """Hopcroft-Karp in degree order finds a maximum matching; the reached sets do not depend on which."""
    instance = parse(doc)
    graph = engine_feasible_pairs(instance)
    if not len(graph):
        return
    n, m = len(instance.households), len(instance.homes)
    by_household = csr_matrix(
        (np.ones(len(graph), dtype=np.int8), graph.home, graph.indptr.astype(np.int32)), shape=(n, m)
    )
    in_id_order = np.asarray(maximum_bipartite_matching(by_household, perm_type="column"), dtype=np.int64)
    fewest_first = blocks._maximum_matching(by_household, np.diff(graph.indptr))
    housed = np.flatnonzero(fewest_first >= 0)
    pairs = set(zip(graph.household.tolist(), graph.home.tolist(), strict=True))
    assert all((h, int(fewest_first[h])) in pairs for h in housed.tolist())
    assert len(set(fewest_first[housed].tolist())) == len(housed)
    assert len(housed) == int(np.count_nonzero(in_id_order >= 0))

    def reached(mate_h: IntArray) -> BoolArray:
        mate_p = np.full(m, -1, dtype=np.int64)
        matched = np.flatnonzero(mate_h >= 0)
        mate_p[mate_h[matched]] = matched
        return blocks._reached(by_household, mate_p, np.flatnonzero(mate_h < 0), n, n + m)

    assert np.array_equal(reached(fewest_first), reached(in_id_order))
