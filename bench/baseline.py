"""Reference engines for the benchmark, run as ``python -m bench.baseline IN OUT [--dense]``.

* baseline: a per-household numpy scan over *all* homes (no spatial index, no buckets),
  then the same scoring and the same exact solver as the engine;
* dense: the same scan into a full household x home matrix solved by
  ``scipy.optimize.linear_sum_assignment`` (only sensible up to a few thousand a side);
* cardinality (``--cardinality``): the same scan, then scipy's Hopcroft-Karp
  (``maximum_bipartite_matching``) on the same pairs: no scoring, no weighted solve. It
  answers only "how many can be housed", the floor an exact engine is measured against.

Exit code 3 (and a ``skipped`` note in OUT) when the scan would run past ``--cap`` seconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from safemoves.matching.contract import Instance, IntArray, loads, parse
from safemoves.matching.geometry import haversine_km
from safemoves.matching.scoring import MAX_PAIR_SCORE, score_pairs
from safemoves.matching.solve import solve

SAMPLE = 200


def _scan_one(instance: Instance, i: int) -> IntArray:
    h, p = instance.households, instance.homes
    wanted = int(h.bedrooms[i])
    ok = (p.bedrooms >= wanted) & (p.bedrooms <= wanted + instance.max_extra_bedrooms)
    if h.step_free[i]:
        ok &= p.step_free
    if h.pets[i]:
        ok &= p.pets
    if not instance.same_landlord:
        ok &= p.landlord != h.landlord[i]
    areas = h.areas[h.areas_ptr[i] : h.areas_ptr[i + 1]]
    if len(areas):
        ok &= np.isin(p.area, areas)
    avoided = h.avoid_areas[h.avoid_areas_ptr[i] : h.avoid_areas_ptr[i + 1]]
    if len(avoided):
        ok &= ~np.isin(p.area, avoided)
    for k in range(h.near.ptr[i], h.near.ptr[i + 1]):
        ok &= haversine_km(h.near.lat[k], h.near.lon[k], p.lat, p.lon) <= h.near.value[k]
    for k in range(h.avoid.ptr[i], h.avoid.ptr[i + 1]):
        ok &= haversine_km(h.avoid.lat[k], h.avoid.lon[k], p.lat, p.lon) > h.avoid.value[k]
    found: IntArray = np.flatnonzero(ok)
    return found


def scan(instance: Instance, cap_seconds: float) -> tuple[IntArray, IntArray] | float:
    """All feasible pairs, or the estimated scan time when it would exceed the cap."""
    n = len(instance.households)
    started = time.perf_counter()
    found = []
    for i in range(n):
        found.append(_scan_one(instance, i))
        if i + 1 == SAMPLE and n > SAMPLE:
            estimate = (time.perf_counter() - started) * n / SAMPLE
            if estimate > cap_seconds:
                return estimate
    counts = np.array([len(f) for f in found], dtype=np.int64)
    household = np.repeat(np.arange(n, dtype=np.int64), counts)
    home = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
    return household, home.astype(np.int64)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.baseline")
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--dense", action="store_true")
    parser.add_argument("--cardinality", action="store_true")
    parser.add_argument("--cap", type=float, default=120.0)
    args = parser.parse_args(argv)

    instance = parse(loads(Path(args.input).read_bytes()))
    scanned = scan(instance, args.cap)
    result: dict[str, Any]
    if isinstance(scanned, float):
        result = {"skipped": f">{args.cap:.0f} s estimated ({scanned:.0f} s)"}
        Path(args.output).write_text(json.dumps(result), encoding="utf-8")
        return 3
    household, home = scanned
    if args.cardinality:
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import maximum_bipartite_matching

        n, m = len(instance.households), len(instance.homes)
        graph = csr_matrix((np.ones(len(home), dtype=np.int8), (household, home)), shape=(n, m))
        mate = maximum_bipartite_matching(graph, perm_type="column")
        result = {"stats": {"housed": int(np.count_nonzero(mate >= 0)), "feasible_pairs": len(household)}}
        Path(args.output).write_text(json.dumps(result), encoding="utf-8")
        return 0
    total = score_pairs(instance, household, home).total
    if args.dense:
        from scipy.optimize import linear_sum_assignment

        n, m = len(instance.households), len(instance.homes)
        bonus = MAX_PAIR_SCORE * min(n, m) + 1
        # Maximising sum(bonus + score) houses the most first (see ADR 0004); a zero
        # entry is a non-edge and contributes nothing.
        weight = np.zeros((n, m))
        weight[household, home] = bonus + total
        rows, cols = linear_sum_assignment(weight, maximize=True)
        chosen = weight[rows, cols] > 0
        housed = int(chosen.sum())
        total_score = int((weight[rows, cols][chosen] - bonus).sum())
    else:
        picked = solve(household, home, total)
        housed, total_score = len(picked), int(total[picked].sum())
    result = {"stats": {"housed": housed, "total_score": total_score, "feasible_pairs": len(household)}}
    Path(args.output).write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
