"""Exact lexicographic assignment: most households housed, then the largest total score.

The default solver is OR-Tools' min-cost flow run as *maximum flow with minimum cost*
(source -> household -> home -> sink, unit capacities, cost = -score). Integral flows on
this network are exactly the matchings, the flow value is the number housed, so the solver
returns a maximum-cardinality matching and, among those, one of minimum cost, i.e. maximum
total score. No big-M constant is needed. The ``scipy`` solver is kept as an independent
cross-check (LAPJVsp with one private dummy home per household and a big-M penalty).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Literal

import numpy as np

from .contract import IntArray
from .model import IndexArray
from .scoring import MAX_PAIR_SCORE

Solver = Literal["blocks", "ortools", "scipy"]
SOLVERS: Final = ("blocks", "ortools", "scipy")


class SolverError(RuntimeError):
    """The solver did not report an optimal solution (a bug, never an input problem)."""


def _compact(values: IndexArray) -> tuple[IntArray, IntArray]:
    """Unique values and each input's index into them (indices are small non-negative ints)."""
    present = np.bincount(values) > 0
    unique: IntArray = np.flatnonzero(present)
    position = np.cumsum(present, dtype=np.int64) - 1
    inverse: IntArray = position[values]
    return unique, inverse


def solve(
    household: IndexArray,
    home: IndexArray,
    score: IndexArray | Callable[[IntArray], IndexArray],
    solver: Solver = "blocks",
) -> IntArray:
    """Indices of the chosen pairs, sorted. Pairs must be unique and sorted by (household, home); scores >= 0.

    ``score`` is an array over all pairs or a function scoring the pairs at given indices
    (the ``blocks`` solver then scores only the pairs a maximum matching can use).
    """
    if len(household) == 0:
        return np.zeros(0, dtype=np.int64)
    if solver == "blocks":
        from .blocks import solve_blocks  # noqa: PLC0415 - one solver of several

        return solve_blocks(household, home, score)
    scores = score(np.arange(len(household), dtype=np.int64)) if callable(score) else score
    if solver == "scipy":
        return _solve_scipy(household, home, scores)
    return _solve_ortools(household, home, scores)


def _solve_ortools(household: IndexArray, home: IndexArray, score: IndexArray) -> IntArray:
    from ortools.graph.python import min_cost_flow  # noqa: PLC0415 - one solver of several, costly import

    households, h = _compact(household)
    homes, p = _compact(home)
    n, m = len(households), len(homes)
    source, sink = n + m, n + m + 1
    tails = np.concatenate([np.full(n, source, np.int32), h.astype(np.int32), np.arange(n, n + m, dtype=np.int32)])
    del h
    heads = np.concatenate([np.arange(n, dtype=np.int32), (p + n).astype(np.int32), np.full(m, sink, np.int32)])
    del p
    costs = np.zeros(len(tails), np.int64)
    costs[n : n + len(score)] = -score

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, np.ones(len(tails), np.int64), costs)
    del tails, heads, costs
    flow.set_nodes_supplies(np.array([source, sink], dtype=np.int32), np.array([n, -n], dtype=np.int64))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise SolverError(f"min-cost flow ended with status {status}")
    pair_arcs = np.asarray(arcs[n : n + len(household)], dtype=np.int32)
    chosen: IntArray = np.flatnonzero(np.asarray(flow.flows(pair_arcs)) > 0).astype(np.int64)
    return chosen


def _solve_scipy(household: IndexArray, home: IndexArray, score: IndexArray) -> IntArray:
    from scipy.sparse import csr_matrix  # noqa: PLC0415 - one solver of several, costly import
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching  # noqa: PLC0415 - one solver of several

    households, h = _compact(household)
    homes, p = _compact(home)
    n, m = len(households), len(homes)
    # Real arcs cost in [1, MAX_PAIR_SCORE + 1]; leaving a household unhoused costs more
    # than any score total can recover, so fewer dummies always wins (see ADR 0004).
    real_cost = (MAX_PAIR_SCORE + 1 - score).astype(np.float64)
    dummy_cost = float((MAX_PAIR_SCORE + 1) * (n + 1) + 1)
    rows = np.concatenate([h, np.arange(n)])
    cols = np.concatenate([p, m + np.arange(n)])
    data = np.concatenate([real_cost, np.full(n, dummy_cost)])
    graph = csr_matrix((data, (rows, cols)), shape=(n, m + n))
    _, col_of_row = min_weight_full_bipartite_matching(graph)
    matched_real = col_of_row < m
    chosen_h = np.flatnonzero(matched_real)
    chosen_p = col_of_row[matched_real]
    pair_key = h * m + p
    order = np.argsort(pair_key)
    wanted = chosen_h * m + chosen_p
    chosen: IntArray = np.sort(order[np.searchsorted(pair_key, wanted, sorter=order)])
    return chosen.astype(np.int64)
