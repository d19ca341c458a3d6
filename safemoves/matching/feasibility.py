"""The sparse graph of feasible household-home pairs (rules 1-6 of v1, 1-9 of v2).

No all-pairs loop: each household draws candidate homes from the cheapest of three
generators, then vectorised filters apply every rule to the candidates.

* **area**: homes sorted by (area, bedrooms), so each (household, chosen area) is one
  contiguous slice of that order, already inside the bedrooms window;
* **near**: homes within the radius of one required place, from a KD-tree over unit-sphere
  coordinates (the place with the fewest homes around it is the anchor);
* **anywhere**: households with neither restriction take the bedrooms slice of all homes.

Avoid zones never generate candidates; they are checked exactly on the candidates, whose
count is bounded by the graph we must build anyway. The index only prunes: every rule is
decided by :func:`~safemoves.matching.geometry.haversine_km` on the candidate pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from .contract import BoolArray, FloatArray, Homes, Instance, IntArray, Points
from .geometry import chord_band, haversine_km, km_to_chord, squared_chord, squared_gap, unit_xyz
from .model import IndexArray, Int32Array

GENERATOR_AREA = 0
GENERATOR_NEAR = 1
GENERATOR_ANYWHERE = 2


@dataclass(frozen=True)
class PairGraph:
    """Feasible pairs sorted by (household, home); ``indptr`` is CSR over households."""

    household: Int32Array
    home: Int32Array
    indptr: IntArray
    generator_counts: dict[str, int]
    candidates: int
    """Pairs produced by the generators before the rules filtered them."""

    def __len__(self) -> int:
        return len(self.household)


def _expand_ranges(owner: IntArray, lo: IntArray, hi: IntArray) -> tuple[IntArray, IntArray]:
    """All (owner, position) for position in [lo, hi), without a Python loop."""
    counts = np.maximum(hi - lo, 0)
    total = int(counts.sum())
    starts = np.zeros(len(counts), dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    position = np.repeat(lo - starts, counts) + np.arange(total, dtype=np.int64)
    return np.repeat(owner, counts), position


def _owners(ptr: IntArray) -> IntArray:
    return np.repeat(np.arange(len(ptr) - 1, dtype=np.int64), np.diff(ptr))


_MEMBER_TABLE_MAX = 1 << 25
"""Largest owners x values membership table (bytes) :func:`pair_in_owner_sets` builds."""


def pair_in_owner_sets(
    pair_owner: npt.NDArray[np.integer[Any]], pair_value: IntArray, ptr: IntArray, values: IntArray
) -> BoolArray:
    """For each pair, whether ``pair_value`` is in the owner's set ``values[ptr[o]:ptr[o+1]]``."""
    if len(values) == 0 or len(pair_owner) == 0:
        return np.zeros(len(pair_owner), dtype=np.bool_)
    sizes = np.diff(ptr)
    if int(sizes.max()) == 1:
        # At most one value per owner (e.g. the old district to avoid): a direct comparison.
        only = np.full(len(sizes), -1, dtype=np.int64)
        only[sizes == 1] = values
        single: BoolArray = only[pair_owner] == pair_value
        return single
    width = int(max(values.max(), pair_value.max())) + 1
    if len(sizes) * width <= _MEMBER_TABLE_MAX:
        # Few owners times few values (areas): a membership table and one gather per pair.
        table = np.zeros(len(sizes) * width, dtype=np.bool_)
        table[_owners(ptr) * width + values] = True
        member: BoolArray = table[pair_owner.astype(np.int64) * width + pair_value]
        return member
    member_keys = np.sort(_owners(ptr) * width + values)
    query = pair_owner.astype(np.int64) * width + pair_value
    pos = np.minimum(np.searchsorted(member_keys, query), len(member_keys) - 1)
    found: BoolArray = member_keys[pos] == query
    return found


def expand_points(pair_owner: IndexArray, points: Points) -> tuple[IntArray, IntArray]:
    """Pairs times the owner's points: (pair index, point row) for every combination."""
    counts = points.counts[pair_owner]
    starts = points.ptr[pair_owner]
    return _expand_ranges(np.arange(len(pair_owner), dtype=np.int64), starts, starts + counts)


def point_distances(
    pair_owner: IndexArray, pair_home: IndexArray, points: Points, homes: Homes
) -> tuple[IntArray, IntArray, FloatArray]:
    """Expand pairs by the owner's points: (pair index, point row, haversine km) per row."""
    pair_index, row = expand_points(pair_owner, points)
    home = pair_home[pair_index]
    km = haversine_km(points.lat[row], points.lon[row], homes.lat[home], homes.lon[home])
    return pair_index, row, km


_FEW_POINTS = 4
"""Owners with at most this many points are checked one point index at a time."""
_CHUNK_ROWS = 1 << 21
"""Pair x point rows handled at once by the distance rules, to bound temporary memory."""


_Z_SLACK = 1e-7
"""Relative widening of the outside chord in the one-axis test, far above float rounding
(and any non-monotonic rounding of ``sin`` between a row's reach and the widest reach)."""


def _rows_break(
    row: IntArray,
    home: npt.NDArray[np.integer[Any]],
    points: Points,
    homes: Homes,
    point_axes: FloatArray,
    home_axes: FloatArray,
    *,
    avoid: bool,
) -> BoolArray:
    """:func:`_rows_break_exact`, with the rows an axis bound settles skipped first.

    The squared chord is summed from non-negative squares, so in floats it is at least its
    z term alone (rounding is monotonic). A row whose z term already exceeds the squared
    outside chord of its point's widest reach (``km`` plus the largest uncertainty disc,
    widened by :data:`_Z_SLACK`) is *outside* in :func:`_rows_break_exact` too: never
    broken for an avoid zone, always broken for a required place. Only the other rows pay
    for the three-axis chord (and, near the boundary, the haversine), computed by the very
    same function on the very same values, so every row is decided identically.
    """
    widest = points.value + float(homes.uncertainty_km.max()) if avoid else points.value
    outside_chord, _ = chord_band(widest)
    bound2 = (outside_chord * (1.0 + _Z_SLACK)) ** 2
    dz2 = squared_gap(home_axes, point_axes, home, row, 2)
    settled = dz2 > bound2[row]
    del dz2
    rest = np.flatnonzero(~settled)
    broken = settled if not avoid else np.zeros(len(row), dtype=np.bool_)
    del settled
    broken[rest] = _rows_break_exact(row[rest], home[rest], points, homes, point_axes, home_axes, avoid=avoid)
    return broken


def _rows_break_exact(
    row: IntArray,
    home: npt.NDArray[np.integer[Any]],
    points: Points,
    homes: Homes,
    point_axes: FloatArray,
    home_axes: FloatArray,
    *,
    avoid: bool,
) -> BoolArray:
    """Whether each (point row, home) breaks rule 3 (``avoid``) or rule 4.

    Over the home's uncertainty disc of radius ``u`` (contract v2): avoid needs
    ``d - u > km``, near needs ``d + u <= km``, each evaluated literally on the haversine
    ``d``. A chord comparison on unit-sphere vectors against the radius ``km + u`` (avoid)
    or ``km - u`` (near) settles every row that is clearly inside or outside; only rows
    within a hair of it pay for the exact haversine.
    """
    chord2 = squared_chord(home_axes, point_axes, home, row)
    if bool(homes.uncertainty_km.any()):
        u = homes.uncertainty_km[home]
        reach = points.value[row] + u if avoid else np.maximum(points.value[row] - u, 0.0)
        outside_chord, inside_chord = chord_band(reach)
        outside = chord2 > outside_chord**2
        inside = chord2 < inside_chord**2
    else:
        outside_chord, inside_chord = chord_band(points.value)
        outside = chord2 > (outside_chord**2)[row]
        inside = chord2 < (inside_chord**2)[row]
    unsure = np.flatnonzero(~(outside | inside))
    radius = points.value[row[unsure]]
    unsure_home, unsure_row = home[unsure], row[unsure]
    km = haversine_km(points.lat[unsure_row], points.lon[unsure_row], homes.lat[unsure_home], homes.lon[unsure_home])
    unsure_u = homes.uncertainty_km[unsure_home]
    # Contract: avoid needs d - u > km (so == km is unsafe); near needs d + u <= km.
    if avoid:
        broken = inside
        broken[unsure] = ~(km - unsure_u > radius)
    else:
        broken = outside
        broken[unsure] = ~(km + unsure_u <= radius)
    return broken


def _violates_points(
    pair_owner: npt.NDArray[np.integer[Any]],
    pair_home: npt.NDArray[np.integer[Any]],
    points: Points,
    homes: Homes,
    home_xyz: FloatArray,
    *,
    avoid: bool,
) -> BoolArray:
    """Whether each pair breaks rule 3 (``avoid``) or rule 4 for some point of its owner.

    Rows are decided by :func:`_rows_break`. Pairs are taken in chunks so the per-row
    temporaries stay small at national scale; pairs whose owner has one point (the common
    case) need no expansion.
    """
    violated = np.zeros(len(pair_owner), dtype=np.bool_)
    # One contiguous array per axis: 1-D gathers are much cheaper than rows of (n, 3).
    point_axes = np.ascontiguousarray(unit_xyz(points.lat, points.lon).T)
    home_axes = np.ascontiguousarray(home_xyz.T)
    per_pair = points.counts[pair_owner]
    rows_before = np.cumsum(per_pair)
    start = 0
    while start < len(pair_owner):
        limit = (rows_before[start - 1] if start else 0) + _CHUNK_ROWS
        stop = max(int(np.searchsorted(rows_before, limit, side="right")), start + 1)
        owner = pair_owner[start:stop]
        counts = per_pair[start:stop]
        most = int(counts.max())
        if most <= _FEW_POINTS:
            # Few points per owner (the common case): the k-th point of every pair that has
            # one, k = 0, 1, ..., with no expansion of pairs into rows.
            hit = np.zeros(stop - start, dtype=np.bool_)
            for k in range(most):
                has_kth = counts > k
                if bool(has_kth.all()):  # every pair has a k-th point: no index to go through
                    row = points.ptr[owner] + k
                    hit |= _rows_break(row, pair_home[start:stop], points, homes, point_axes, home_axes, avoid=avoid)
                    continue
                pair_index = np.flatnonzero(has_kth)
                row = points.ptr[owner[pair_index]] + k
                home = pair_home[start:stop][pair_index]
                hit[pair_index[_rows_break(row, home, points, homes, point_axes, home_axes, avoid=avoid)]] = True
            violated[start:stop] = hit
        else:
            pair_index, row = expand_points(owner.astype(np.int64), points)
            home = pair_home[start:stop][pair_index]
            broken = _rows_break(row, home, points, homes, point_axes, home_axes, avoid=avoid)
            violated[start:stop] = np.bincount(pair_index[broken], minlength=stop - start) > 0
        start = stop
    return violated


_TREE_MIN_CANDIDATES = 1 << 22
"""Below this many candidates for households with a required place, no KD-tree is built."""
_CHUNK_CANDIDATES = 1 << 22
"""Candidate pairs generated and filtered at once (households in contiguous chunks), so
temporary memory stays bounded whatever the density; only the feasible pairs are kept."""


def feasible_pairs(instance: Instance) -> PairGraph:
    """Build the feasible-pair graph for every household and home of ``instance``."""
    households, homes = instance.households, instance.homes
    n, m = len(households), len(homes)
    empty = np.zeros(0, dtype=np.int32)
    if n == 0 or m == 0:
        return PairGraph(empty, empty, np.zeros(n + 1, dtype=np.int64), {}, 0)

    extra = instance.max_extra_bedrooms
    want_lo = households.bedrooms
    max_beds = int(homes.bedrooms.max())
    # One stride per area leaves room for the exclusive upper bound max_beds + 1.
    stride = max_beds + 2
    want_lo_clipped = np.minimum(want_lo, max_beds + 1)
    want_hi_clipped = np.minimum(want_lo + extra + 1, max_beds + 1)

    by_area = np.lexsort((homes.bedrooms, homes.area))
    area_keys = (homes.area * stride + homes.bedrooms)[by_area]

    area_owner = _owners(households.areas_ptr)
    area_rows = households.areas
    area_lo = np.searchsorted(area_keys, area_rows * stride + want_lo_clipped[area_owner])
    area_hi = np.searchsorted(area_keys, area_rows * stride + want_hi_clipped[area_owner])
    area_cost = np.bincount(area_owner, weights=area_hi - area_lo, minlength=n)
    has_areas = np.diff(households.areas_ptr) > 0

    by_beds = np.argsort(homes.bedrooms, kind="stable")
    sorted_beds = homes.bedrooms[by_beds]
    anywhere_lo = np.searchsorted(sorted_beds, want_lo_clipped)
    anywhere_hi = np.searchsorted(sorted_beds, want_hi_clipped)

    near = households.near
    has_near = near.counts > 0
    near_cost = np.full(n, np.inf)
    anchor = np.zeros(n, dtype=np.int64)
    tree = None
    home_xyz = unit_xyz(homes.lat, homes.lon)
    # Without the KD-tree, households with a required place draw from their areas or the
    # bedrooms slice and the near rule filters them. On small pools that is cheaper than
    # importing scipy.spatial (about a second on a loaded 2-core machine).
    without_tree = np.where(has_areas, area_cost, anywhere_hi - anywhere_lo)[has_near].sum()
    if without_tree <= _TREE_MIN_CANDIDATES:
        has_near = np.zeros(n, dtype=np.bool_)
    if has_near.any():
        # Imported here: scipy.spatial costs a noticeable part of a run's start-up.
        from scipy.spatial import cKDTree  # noqa: PLC0415 - costly import, see above

        tree = cKDTree(home_xyz)
        near_xyz = unit_xyz(near.lat, near.lon)
        near_chord = km_to_chord(near.value)
        inside = np.asarray(
            tree.query_ball_point(near_xyz, near_chord, return_length=True, workers=-1),
            dtype=np.int64,
        )
        near_owner = _owners(near.ptr)
        fewest_first = np.lexsort((inside, near_owner))
        first_rows = fewest_first[near.ptr[:-1][has_near]]
        anchor[has_near] = first_rows
        near_cost[has_near] = inside[first_rows]

    generator = np.full(n, GENERATOR_ANYWHERE, dtype=np.int64)
    generator[has_areas] = GENERATOR_AREA
    generator[has_near & (~has_areas | (near_cost < area_cost))] = GENERATOR_NEAR
    cost = np.where(
        generator == GENERATOR_AREA,
        area_cost,
        np.where(generator == GENERATOR_NEAR, near_cost, anywhere_hi - anywhere_lo),
    )

    shared = _Shared(
        instance,
        by_area,
        area_owner,
        area_lo,
        area_hi,
        by_beds,
        anywhere_lo,
        anywhere_hi,
        generator,
        anchor,
        has_areas,
        tree,
        home_xyz,
        *_attribute_bits(instance),
        instance.households.landlord.astype(np.int32),
        instance.homes.landlord.astype(np.int32),
    )
    # Contiguous household chunks of about _CHUNK_CANDIDATES candidates each.
    bounds = np.searchsorted(
        np.cumsum(cost), np.arange(1, int(cost.sum() // _CHUNK_CANDIDATES) + 1) * _CHUNK_CANDIDATES
    )
    edges = np.unique(np.concatenate([[0], bounds + 1, [n]]).clip(0, n))
    homes_found: list[Int32Array] = []
    counts = np.zeros(n, dtype=np.int64)
    candidates = 0
    for first, last in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
        ph, pp, generated = _chunk_pairs(shared, first, last)
        candidates += generated
        homes_found.append(pp)
        # ph is sorted: each household's pair count is a difference of run starts.
        counts[first:last] = np.diff(np.searchsorted(ph, np.arange(first, last + 1)))
    home = np.concatenate(homes_found) if homes_found else empty
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    household = np.repeat(np.arange(n, dtype=np.int32), counts)
    generator_counts = np.bincount(generator, minlength=3)
    return PairGraph(
        household=household,
        home=home,
        indptr=indptr,
        generator_counts={
            "area": int(generator_counts[GENERATOR_AREA]),
            "near": int(generator_counts[GENERATOR_NEAR]),
            "anywhere": int(generator_counts[GENERATOR_ANYWHERE]),
        },
        candidates=candidates,
    )


_PETS_BIT = 1 << 8
_TENURE_SHIFT = 9


def _attribute_bits(instance: Instance) -> tuple[npt.NDArray[np.uint16], npt.NDArray[np.uint16]]:
    """Per-household needs and per-home lacks (the complement of its offers) as bit sets.

    One test ``needs & lacks == 0`` (``needs & ~offers == 0``) decides access (v2 rule 9,
    step-free folded in: bits 0-4), pets (rule 6) and minimum tenure (v2 rule 7, a
    thermometer code: a home of tenure ``t`` offers the levels ``0..t``, a household
    needing ``k`` asks for level ``k``).
    """
    households, homes = instance.households, instance.homes
    needs = households.access_needs | np.where(households.pets, _PETS_BIT, 0)
    needs |= np.left_shift(1, households.min_tenure + _TENURE_SHIFT) * (households.min_tenure > 0)
    offers = homes.access | np.where(homes.pets, _PETS_BIT, 0)
    offers |= np.left_shift(np.left_shift(1, homes.tenure + 1) - 1, _TENURE_SHIFT)
    lacks = ~offers.astype(np.uint16)  # inverted once here rather than once per pair
    return needs.astype(np.uint16), lacks


@dataclass(frozen=True)
class _Shared:
    """What every household chunk needs: home orders, generator choice, the KD-tree."""

    instance: Instance
    by_area: IntArray
    area_owner: IntArray
    area_lo: IntArray
    area_hi: IntArray
    by_beds: IntArray
    anywhere_lo: IntArray
    anywhere_hi: IntArray
    generator: IntArray
    anchor: IntArray
    has_areas: BoolArray
    tree: Any
    home_xyz: FloatArray
    household_needs: npt.NDArray[np.uint16]
    home_lacks: npt.NDArray[np.uint16]
    """Rules 2, 6-pets and v2's 7 and 9 as bit sets: a pair passes iff needs & lacks == 0."""
    household_landlord: Int32Array
    home_landlord: Int32Array
    """Landlord codes as int32 (codes index the landlords), so rule 6's gathers move half the bytes."""


def _chunk_pairs(shared: _Shared, first: int, last: int) -> tuple[IndexArray, Int32Array, int]:
    """Feasible pairs of households ``first:last``, sorted by (household, home)."""
    instance = shared.instance
    households, homes = instance.households, instance.homes
    m = len(homes)
    generator = shared.generator
    parts_h: list[IntArray] = []
    parts_p: list[IntArray] = []

    row_lo, row_hi = int(households.areas_ptr[first]), int(households.areas_ptr[last])
    owner = shared.area_owner[row_lo:row_hi]
    use_area = generator[owner] == GENERATOR_AREA
    h, pos = _expand_ranges(
        owner[use_area], shared.area_lo[row_lo:row_hi][use_area], shared.area_hi[row_lo:row_hi][use_area]
    )
    parts_h.append(h)
    parts_p.append(shared.by_area[pos])

    anywhere = first + np.flatnonzero(generator[first:last] == GENERATOR_ANYWHERE)
    if len(anywhere):
        h, pos = _expand_ranges(anywhere, shared.anywhere_lo[anywhere], shared.anywhere_hi[anywhere])
        parts_h.append(h)
        parts_p.append(shared.by_beds[pos])

    near = households.near
    by_near = first + np.flatnonzero(generator[first:last] == GENERATOR_NEAR)
    unfit = 0
    if len(by_near) and shared.tree is not None:
        rows = shared.anchor[by_near]
        found = shared.tree.query_ball_point(
            unit_xyz(near.lat[rows], near.lon[rows]),
            km_to_chord(near.value[rows]),
            workers=-1,
            return_sorted=False,
        )
        lengths = np.fromiter((len(x) for x in found), dtype=np.int64, count=len(found))
        h = np.repeat(by_near, lengths)
        p = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=int(lengths.sum()))
        del found
        # Rule 1 for near candidates (the other generators draw inside the bedrooms window).
        beds, want = homes.bedrooms[p], households.bedrooms[h]
        fits = (beds >= want) & (beds <= want + instance.max_extra_bedrooms)
        parts_h.append(h[fits])
        parts_p.append(p[fits])
        unfit = len(fits) - len(parts_h[-1])

    ph = np.concatenate(parts_h, dtype=np.int32)  # cast while copying: no int64 temporary
    pp = np.concatenate(parts_p, dtype=np.int32)
    del parts_h, parts_p
    candidates = len(ph) + unfit

    def keep(mask: BoolArray) -> None:
        nonlocal ph, pp
        ph, pp = ph[mask], pp[mask]

    # Rules 2 and 6 (and v2's 7 and 9): cheap attribute tests first, so the distance rules
    # see fewer pairs. Rule 1 (bedrooms) holds by construction for area and anywhere
    # candidates (their slices are the bedrooms window); near candidates were tested above.
    ok = (shared.household_needs[ph] & shared.home_lacks[pp]) == 0
    if not instance.same_landlord:
        ok &= shared.home_landlord[pp] != shared.household_landlord[ph]
    keep(ok)

    # v2 rule 8: homes the household has refused.
    if len(households.refused):
        keep(~pair_in_owner_sets(ph, pp.astype(np.int64), households.refused_ptr, households.refused))

    # The remaining rules each remove few pairs (about 8 % together on the dense family),
    # so they share one mask and one compaction instead of one each; each rule is decided
    # per pair, so the pairs kept are the same as filtering rule by rule.
    passes = np.ones(len(ph), dtype=np.bool_)
    unchecked = shared.has_areas[ph] & (generator[ph] != GENERATOR_AREA)
    any_unchecked = bool(unchecked.any())
    home_area = homes.area[pp] if len(households.avoid_areas) or any_unchecked else homes.area[:0]

    # Rule 5.
    if len(households.avoid_areas):
        passes &= ~pair_in_owner_sets(ph, home_area, households.avoid_areas_ptr, households.avoid_areas)
    if any_unchecked:
        in_area = pair_in_owner_sets(ph, home_area, households.areas_ptr, households.areas)
        passes &= in_area | ~unchecked
        del in_area
    del unchecked, home_area

    # Rules 4 and 3, decided by the exact haversine distance.
    if len(near.lat):
        passes &= ~_violates_points(ph, pp, near, homes, shared.home_xyz, avoid=False)
    if len(households.avoid.lat):
        passes &= ~_violates_points(ph, pp, households.avoid, homes, shared.home_xyz, avoid=True)
    keep(passes)
    del passes

    # Local keys fit in int32 on most chunks, which halves the sort's memory traffic.
    wide = (last - first) * m >= np.iinfo(np.int32).max
    keys: npt.NDArray[np.signedinteger[Any]] = (ph - first).astype(np.int64 if wide else np.int32)
    keys *= m
    keys += pp
    del ph, pp
    keys.sort()
    local = keys // m
    # keys - local * m rather than keys % m: numpy divides by a scalar quickly, but its
    # integer remainder is several times slower (the same integers either way).
    home = (keys - local * m).astype(np.int32)
    household: IndexArray = local + first
    return household, home, candidates
