"""The default exact solve: Dulmage-Mendelsohn blocks, each a full assignment problem.

Let M be a maximum-cardinality matching (scipy's Hopcroft-Karp). One alternating search
from the free households (Dulmage-Mendelsohn; see ADR 0011) finds:

* ``D_H``: households reachable from a free household by an even alternating path (those
  some maximum matching leaves unhoused), and ``A_P``, their neighbours (homes reached);
* the rest: households outside ``D_H``, which every maximum matching houses, in homes
  outside ``A_P``.

Every maximum matching houses all of ``A_P`` with households of ``D_H`` and every other
household in a home outside ``A_P``; any such union is a maximum matching. So "most housed,
then highest total score" is two independent problems "highest total score among matchings
that cover the forced side" (the homes ``A_P``; the other households), each exactly
``scipy.sparse.csgraph.min_weight_full_bipartite_matching`` (LAPJVsp) with the forced side
as rows and cost ``MAX_PAIR_SCORE + 1 - score``: no dummy homes, no big-M, and the pairs
no maximum matching can use (other households with ``A_P`` homes) are dropped before the
weighted solve.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, maximum_bipartite_matching, min_weight_full_bipartite_matching

from .model import BoolArray, IndexArray, IntArray
from .scoring import MAX_PAIR_SCORE


def _compact(values: IndexArray) -> tuple[IntArray, npt.NDArray[np.int32]]:
    """Unique values and each input's index into them, as int32 (sparse indices need no more)."""
    present = np.zeros(int(values.max()) + 1, dtype=np.bool_)
    present[values] = True  # a scatter: bincount would first copy int32 values to int64
    position = np.cumsum(present, dtype=np.int32) - 1
    return np.flatnonzero(present), position[values]


def _reached(adjacency: csr_matrix, mate: IntArray, free: IntArray, offset: int, total: int) -> BoolArray:
    """Vertices reached by alternating paths from ``free`` (rows of ``adjacency``).

    ``mate`` gives, for each vertex of the other side, its partner on this side (or -1).

    Nodes: this side 0..n-1, other side offset..offset+k-1, a source at ``total``. Edges: a
    row to each neighbour (non-matching edges suffice; the matching edge leads back), a
    matched neighbour to its mate, and the source to every free vertex.
    """
    # Built straight into int32 indices and float64 data, the types breadth_first_order
    # works in: any other type makes scipy copy and convert the whole graph first (ten
    # times the cost of the search itself at 50,000 x 50,000).
    matched = mate >= 0
    arcs = int(adjacency.indptr[-1])
    indptr = np.empty(total + 2, dtype=np.int32)
    indptr[: offset + 1] = adjacency.indptr
    np.cumsum(matched, out=indptr[offset + 1 : total + 1])
    indptr[offset + 1 : total + 1] += arcs
    indptr[total + 1] = indptr[total] + len(free)
    indices = np.empty(int(indptr[-1]), dtype=np.int32)
    np.add(adjacency.indices, offset, out=indices[:arcs], dtype=np.int32)
    indices[arcs : indptr[total]] = mate[matched]
    indices[indptr[total] :] = free
    graph = csr_matrix((np.ones(len(indices), dtype=np.float64), indices, indptr), shape=(total + 1, total + 1))
    del indices, indptr
    order = breadth_first_order(graph, total, directed=True, return_predecessors=False)
    seen = np.zeros(total + 1, dtype=np.bool_)
    seen[order] = True
    return seen[:total]


def _maximum_matching(by_household: csr_matrix, degree: IntArray) -> IntArray:
    """Each household's home in one maximum-cardinality matching (-1 if unhoused).

    Hopcroft-Karp sees the households with the fewest homes first: on the benchmark's
    realistic 50,000 x 50,000 that is about four times faster than id order (most
    households stay unhoused and every phase searches from all of them; taking the
    constrained ones first leaves fewer augmenting paths to find). Which maximum matching
    comes out does not matter: the Dulmage-Mendelsohn sets it leads to are the same for
    every maximum matching (ADR 0011), and nothing else uses it.
    """
    fewest_first = np.argsort(degree, kind="stable")
    in_order = np.asarray(maximum_bipartite_matching(by_household[fewest_first], perm_type="column"), dtype=np.int64)
    mate_h = np.empty_like(in_order)
    mate_h[fewest_first] = in_order
    return mate_h


ScoreOf = Callable[[IntArray], IndexArray]
"""Scores of the pairs at the given indices (lets the caller score only what the blocks keep)."""


def _positions(indptr: IntArray, home: IndexArray, chosen_h: IntArray, chosen_p: IntArray) -> IntArray:
    """Index of each pair (chosen_h, chosen_p) among pairs sorted by (household, home).

    A vectorised binary search inside each household's run, so no key array as long as
    all the pairs is ever built.
    """
    lo, hi = indptr[chosen_h].copy(), indptr[chosen_h + 1].copy()
    while True:
        open_ = lo < hi
        if not open_.any():
            break
        mid = (lo + hi) // 2
        below = open_ & (home[np.minimum(mid, len(home) - 1)] < chosen_p)
        lo = np.where(below, mid + 1, lo)
        hi = np.where(open_ & ~below, mid, hi)
    return lo


def solve_blocks(household: IndexArray, home: IndexArray, score: IndexArray | ScoreOf) -> IntArray:
    """Indices of the chosen pairs, sorted; pairs sorted by (household, home), unique.

    ``score`` is an array over all pairs, or a function giving the scores of the pairs at
    some indices: then only the pairs inside the two blocks are ever scored (the others,
    outside households with ``A_P`` homes, are used by no maximum matching).
    """
    n, m = int(household[-1]) + 1, int(home.max()) + 1
    # Pairs are sorted by household: each household's run starts where a binary search says.
    indptr = np.searchsorted(household, np.arange(n + 1, dtype=household.dtype)).astype(np.int64)
    by_household = csr_matrix(
        (np.ones(len(home), dtype=np.int8), home.astype(np.int32, copy=False), indptr.astype(np.int32)), shape=(n, m)
    )
    mate_h = _maximum_matching(by_household, np.diff(indptr))
    mate_p = np.full(m, -1, dtype=np.int64)
    housed = np.flatnonzero(mate_h >= 0)
    mate_p[mate_h[housed]] = housed
    from_households = _reached(by_household, mate_p, np.flatnonzero(mate_h < 0), n, n + m)
    del by_household
    d_h, a_p = from_households[:n], from_households[n:]
    # Households outside D_H are housed by every maximum matching, never in A_P: one
    # block, every row forced (ADR 0011 merges A_H x D_P and C_H x C_P this way).
    rest_h, rest_p = ~d_h, ~a_p

    score_of: ScoreOf = score if callable(score) else score.__getitem__
    chosen_h: list[IntArray] = []
    chosen_p: list[IntArray] = []
    for rows_are_homes, row_side, col_side in ((True, a_p, d_h), (False, rest_h, rest_p)):
        row_mask, col_mask = (home, household) if rows_are_homes else (household, home)
        pick = np.flatnonzero(row_side[row_mask] & col_side[col_mask])
        if not len(pick):
            continue
        cost = np.subtract(MAX_PAIR_SCORE + 1, score_of(pick), dtype=np.float64)
        rows, row_index = _compact(row_mask[pick])
        cols, col_index = _compact(col_mask[pick])
        del pick
        if rows_are_homes:
            block = csr_matrix((cost, (row_index, col_index)), shape=(len(rows), len(cols)))
        else:  # already in row order: build the CSR directly
            row_ptr = np.searchsorted(row_index, np.arange(len(rows) + 1, dtype=row_index.dtype)).astype(np.int64)
            block = csr_matrix((cost, col_index, row_ptr), shape=(len(rows), len(cols)))
        del cost, row_index, col_index
        _, col_of_row = min_weight_full_bipartite_matching(block)
        del block
        picked_rows, picked_cols = rows, cols[col_of_row]
        if rows_are_homes:
            chosen_h.append(picked_cols)
            chosen_p.append(picked_rows)
        else:
            chosen_h.append(picked_rows)
            chosen_p.append(picked_cols)
    if not chosen_h:
        return np.zeros(0, dtype=np.int64)
    chosen: IntArray = np.sort(_positions(indptr, home, np.concatenate(chosen_h), np.concatenate(chosen_p)))
    return chosen.astype(np.int64)
