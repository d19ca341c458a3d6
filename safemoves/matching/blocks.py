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

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import breadth_first_order, maximum_bipartite_matching, min_weight_full_bipartite_matching

from .model import BoolArray, IndexArray, IntArray
from .scoring import MAX_PAIR_SCORE


def _compact(values: IndexArray) -> tuple[IntArray, IntArray]:
    present = np.bincount(values) > 0
    position = np.cumsum(present, dtype=np.int64) - 1
    return np.flatnonzero(present), position[values]


def _reached(adjacency: csr_matrix, mate: IntArray, free: IntArray, offset: int, total: int) -> BoolArray:
    """Vertices reached by alternating paths from ``free`` (rows of ``adjacency``).

    ``mate`` gives, for each vertex of the other side, its partner on this side (or -1).

    Nodes: this side 0..n-1, other side offset..offset+k-1, a source at ``total``. Edges: a
    row to each neighbour (non-matching edges suffice; the matching edge leads back), a
    matched neighbour to its mate, and the source to every free vertex.
    """
    k = adjacency.shape[1]
    other_ptr = np.zeros(k + 1, dtype=np.int64)
    np.cumsum(mate >= 0, out=other_ptr[1:])
    other_targets = mate[mate >= 0]
    indptr = np.concatenate(
        [
            adjacency.indptr.astype(np.int64),
            adjacency.indptr[-1] + other_ptr[1:],
            [adjacency.indptr[-1] + other_ptr[-1] + len(free)],
        ]
    )
    indices = np.concatenate([adjacency.indices.astype(np.int64) + offset, other_targets, free])
    graph = csr_matrix((np.ones(len(indices), dtype=np.int8), indices, indptr), shape=(total + 1, total + 1))
    order = breadth_first_order(graph, total, directed=True, return_predecessors=False)
    seen = np.zeros(total + 1, dtype=np.bool_)
    seen[order] = True
    return seen[:total]


def solve_blocks(household: IndexArray, home: IndexArray, score: IndexArray) -> IntArray:
    """Indices of the chosen pairs, sorted; pairs sorted by (household, home), unique."""
    _, h = _compact(household)
    _, p = _compact(home)
    n, m = int(h[-1]) + 1, int(p.max()) + 1
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(h, minlength=n), out=indptr[1:])
    by_household = csr_matrix(
        (np.ones(len(h), dtype=np.int8), p.astype(np.int32), indptr.astype(np.int32)), shape=(n, m)
    )
    mate_h = np.asarray(maximum_bipartite_matching(by_household, perm_type="column"), dtype=np.int64)
    mate_p = np.full(m, -1, dtype=np.int64)
    housed = np.flatnonzero(mate_h >= 0)
    mate_p[mate_h[housed]] = housed
    from_households = _reached(by_household, mate_p, np.flatnonzero(mate_h < 0), n, n + m)
    d_h, a_p = from_households[:n], from_households[n:]
    # Households outside D_H are housed by every maximum matching, never in A_P: one
    # block, every row forced (ADR 0011 merges A_H x D_P and C_H x C_P this way).
    rest_h, rest_p = ~d_h, ~a_p

    cost = (MAX_PAIR_SCORE + 1 - score).astype(np.float64)
    chosen_h: list[IntArray] = []
    chosen_p: list[IntArray] = []
    for rows_are_homes, row_side, col_side in ((True, a_p, d_h), (False, rest_h, rest_p)):
        row_mask, col_mask = (p, h) if rows_are_homes else (h, p)
        pick = row_side[row_mask] & col_side[col_mask]
        if not pick.any():
            continue
        rows, row_index = _compact(row_mask[pick])
        cols, col_index = _compact(col_mask[pick])
        if rows_are_homes:
            block = csr_matrix((cost[pick], (row_index, col_index)), shape=(len(rows), len(cols)))
        else:  # already in row order: build the CSR directly
            row_ptr = np.zeros(len(rows) + 1, dtype=np.int64)
            np.cumsum(np.bincount(row_index, minlength=len(rows)), out=row_ptr[1:])
            block = csr_matrix((cost[pick], col_index, row_ptr), shape=(len(rows), len(cols)))
        _, col_of_row = min_weight_full_bipartite_matching(block)
        picked_rows, picked_cols = rows, cols[col_of_row]
        if rows_are_homes:
            chosen_h.append(picked_cols)
            chosen_p.append(picked_rows)
        else:
            chosen_h.append(picked_rows)
            chosen_p.append(picked_cols)
    if not chosen_h:
        return np.zeros(0, dtype=np.int64)
    wanted = np.concatenate(chosen_h) * m + np.concatenate(chosen_p)
    # Pairs are sorted by (household, home), so their keys are already in order.
    chosen: IntArray = np.sort(np.searchsorted(h * m + p, wanted))
    return chosen.astype(np.int64)
