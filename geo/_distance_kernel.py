"""The compiled search of :class:`geo._distance.LineDistance`: a tree of balls over runs of edges, and its numba kernel.

For a large batch, the candidates of each (point, line) pair come from one pass in compiled
code instead of KD-tree searches of vertices and whole-array bounds:

* **The tree** (built once per index, in numpy, not saved): each line's edges in their
  order, cut into runs of :data:`LEAF` consecutive edges (a run of a coast or of a limit is
  a short stretch of it); each run gets a ball in ECEF metres holding its vertices, widened
  by its edges' sagittas (a geodesic edge stays within its sagitta of its chord); pairs of
  neighbouring balls are wrapped in a parent ball, level by level, up to one root per line.
* **The kernel** walks each line's tree depth first, the nearer child first. A ball whose
  chord lower bound exceeds the pair's current upper bound (the radius, or the nearest
  edge's chord upper bound found so far) is skipped with everything in it. At a leaf,
  each edge gets the same chord bounds as the numpy path (:mod:`geo._distance`: the point's
  chord to the 3-D segment, minus or plus the sagitta, turned into geodesic bounds with the
  ellipsoid's extreme radii of curvature), and the edges whose lower bound stays within
  the final upper bound are the candidates, the smallest lower bound first.
* **Neighbours help each other:** the points come in Morton order, so each (point, line)
  walk starts with the upper bound of the edge nearest the previous point, and a line that
  the previous point found wholly beyond the radius is skipped while the point has moved
  less than the margin (chord bounds change by at most the chord the point moved).
* :func:`order_pairs` puts the final rows in (point, distance, line) order in O(n).

The exact work (Newton feet with ``Geod.fwd``/``Geod.inv``) stays in
:class:`~geo._distance.LineDistance`, so both paths give the same distances.

Why numba: the walk does per point only what that point needs (a far point skips a line at
its root ball), which whole-array numpy steps cannot do; the KD-tree path spends half its
time in per-slice searches and in bounds over every (point, vertex) pair it finds.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "COMPILED_MIN_POINTS",
    "LEAF",
    "WARM_MIN_POINTS",
    "BallTree",
    "candidates",
    "compiled_candidates",
    "compiled_order_pairs",
    "morton",
    "order_pairs",
]

# From this many points a per_line query uses the compiled search: importing numba and
# loading the kernel costs ~0.5 s once per process, which a small query must not pay.
COMPILED_MIN_POINTS = 20_000
WARM_MIN_POINTS = 1_000  # the threshold once the kernel has run in this process (geo._distance)
LEAF = 8  # consecutive edges per leaf (measured 8, 16 and 32 on all limits at 1e5 points: 8 the fastest)

_F = NDArray[np.float64]
_I = NDArray[np.int64]


@dataclass(frozen=True)
class BallTree:
    """Balls over runs of consecutive edges, per line group: node arrays and each group's root."""

    start: _F  # (nodes, 3) ECEF metres: each node's chord, from its first vertex ...
    stop: _F  # ... to its last
    radius: _F  # every edge of the node lies within this of its chord (vertices, plus sagittas)
    left: _I  # children (-1 at a leaf)
    right: _I
    lo: _I  # a leaf's edges: order[lo:hi] (-1 elsewhere)
    hi: _I
    order: _I  # edge ids, each group's in its own order
    root: _I  # per group (-1: no edges)
    a3: _F  # the edges' A ends, chords B - A, squared chords and sagittas, in ``order`` (contiguous reads)
    ab: _F
    ab2: _F
    sag: _F
    # The kernel's packed copies, a row per node or edge (one or two cache lines a visit):
    node_f: _F  # (nodes, 8): chord start (3), chord vector (3), 1 / its squared length (0 if none), radius
    node_i: _I  # (nodes, 2): children, or at a leaf (-1 - lo, hi)
    edge_f: _F  # (edges, 8), in ``order``: A end (3), chord B - A (3), squared chord, sagitta

    @classmethod
    def build(cls, a3: _F, b3: _F, ab: _F, ab2: _F, sag: _F, group: _I, n_groups: int) -> BallTree:
        """From the edges' ECEF ends, chords, squared chords, sagittas and line groups (one tree a group)."""
        # Each group's edges in Morton order of their midpoints: neighbours in space are
        # neighbours in the order, so a run of LEAF edges is a compact piece of the line.
        # Chains: runs of edges, in their input order, each starting where the last ended.
        # Each group's chains in Morton order of their first vertex: neighbours in space are
        # neighbours in the order; a leaf is at most LEAF consecutive edges of one chain.
        n = a3.shape[0]
        joined = np.zeros(n, dtype=bool)
        joined[1:] = (group[1:] == group[:-1]) & np.all(a3[1:] == b3[:-1], axis=1)
        chain = np.cumsum(~joined) - 1
        chain_first = np.flatnonzero(~joined)
        key = morton(a3[chain_first])[chain]
        order = np.lexsort((np.arange(n), key, group))
        g_sorted = group[order]
        c_sorted = chain[order]
        new_chain = np.ones(n, dtype=bool)
        new_chain[1:] = c_sorted[1:] != c_sorted[:-1]
        pos = np.arange(n) - np.maximum.accumulate(np.where(new_chain, np.arange(n), 0))
        leaf_first = np.flatnonzero((pos % LEAF) == 0)
        n_leaves = leaf_first.size
        leaf_hi = np.append(leaf_first[1:], order.size)
        leaf_of = np.repeat(np.arange(n_leaves), np.diff(np.append(leaf_first, order.size)))
        # A leaf's capsule: the chord between its two extreme vertices along the longest
        # side of its box, and the farthest vertex from that chord, plus the largest sagitta.
        ends = np.concatenate([a3[order], b3[order]])
        end_leaf = np.concatenate([leaf_of, leaf_of])
        lo3 = np.full((n_leaves, 3), np.inf)
        hi3 = np.full((n_leaves, 3), -np.inf)
        np.minimum.at(lo3, end_leaf, ends)
        np.maximum.at(hi3, end_leaf, ends)
        axis = np.argmax(hi3 - lo3, axis=1)
        along = ends[np.arange(ends.shape[0]), axis[end_leaf]]
        by_leaf = np.lexsort((along, end_leaf))
        cut = np.searchsorted(end_leaf[by_leaf], np.arange(n_leaves))
        c0 = ends[by_leaf[cut]]
        c1 = ends[by_leaf[np.append(cut[1:], by_leaf.size) - 1]]
        reach = _to_segment(ends, c0[end_leaf], c1[end_leaf])
        radius = np.zeros(n_leaves)
        np.maximum.at(radius, end_leaf, reach)
        sag_max = np.zeros(n_leaves)
        np.maximum.at(sag_max, leaf_of, sag[order])
        radius = (radius + sag_max) * (1.0 + 1e-9) + 1e-3

        starts, stops, radii = [c0], [c1], [radius]
        left, right = [np.full(n_leaves, -1, np.int64)], [np.full(n_leaves, -1, np.int64)]
        los, his = [leaf_first.astype(np.int64)], [leaf_hi.astype(np.int64)]
        level = np.arange(n_leaves)  # node ids of the current level, in group order
        level_g = g_sorted[leaf_first]
        n_nodes = n_leaves
        while True:
            first = np.ones(level.size, dtype=bool)
            first[1:] = level_g[1:] != level_g[:-1]
            k = np.arange(level.size) - np.maximum.accumulate(np.where(first, np.arange(level.size), 0))
            has_pair = ((k % 2) == 0) & np.append(level_g[1:] == level_g[:-1], False)
            if not has_pair.any():
                break
            i = np.flatnonzero(has_pair)
            a, b = level[i], level[i + 1]
            s_all, e_all, r_all = np.concatenate(starts), np.concatenate(stops), np.concatenate(radii)
            # The parent's chord: the two farthest apart of its children's chord ends.
            # Distance to a segment is convex, so each child's capsule lies within the
            # farther of its chord's ends from the parent's chord, plus its own radius.
            four = np.stack([s_all[a], e_all[a], s_all[b], e_all[b]], axis=1)
            pair_i, pair_j = np.array([0, 0, 0, 1, 1, 2]), np.array([1, 2, 3, 2, 3, 3])
            span = np.linalg.norm(four[:, pair_i] - four[:, pair_j], axis=2)
            pick = np.argmax(span, axis=1)
            rows = np.arange(i.size)
            p0, p1 = four[rows, pair_i[pick]], four[rows, pair_j[pick]]
            r = (
                np.maximum.reduce(
                    [
                        _to_segment(s_all[a], p0, p1),
                        _to_segment(e_all[a], p0, p1),
                    ]
                )
                + r_all[a]
            )
            r = np.maximum(
                r, np.maximum(_to_segment(s_all[b], p0, p1), _to_segment(e_all[b], p0, p1)) + r_all[b]
            )
            new = n_nodes + np.arange(i.size)
            n_nodes += i.size
            starts.append(p0)
            stops.append(p1)
            radii.append(r * (1.0 + 1e-9) + 1e-3)
            left.append(a.astype(np.int64))
            right.append(b.astype(np.int64))
            los.append(np.full(i.size, -1, np.int64))
            his.append(np.full(i.size, -1, np.int64))
            # The next level: each pair's parent, and the nodes left without a partner.
            alone = ~has_pair & ~np.append(False, has_pair[:-1])
            nxt = np.full(level.size, -1, np.int64)
            nxt[i] = new
            nxt[alone] = level[alone]
            keep = nxt >= 0
            level, level_g = nxt[keep], level_g[keep]
        root = np.full(n_groups, -1, np.int64)
        root[level_g] = level
        c0_all, c1_all, r_all = np.concatenate(starts), np.concatenate(stops), np.concatenate(radii)
        left_all, right_all, lo_all, hi_all = (np.concatenate(v) for v in (left, right, los, his))
        d = c1_all - c0_all
        d2 = np.einsum("ij,ij->i", d, d)
        inv_d2 = np.divide(1.0, d2, out=np.zeros_like(d2), where=d2 > 0)
        node_f = np.ascontiguousarray(np.column_stack([c0_all, d, inv_d2, r_all]))
        is_leaf = left_all < 0
        node_i = np.ascontiguousarray(
            np.column_stack([np.where(is_leaf, -1 - lo_all, left_all), np.where(is_leaf, hi_all, right_all)])
        )
        edge_f = np.ascontiguousarray(np.column_stack([a3[order], ab[order], ab2[order], sag[order]]))
        return cls(
            np.ascontiguousarray(c0_all), np.ascontiguousarray(c1_all), r_all, left_all, right_all, lo_all, hi_all,
            order.astype(np.int64), root,
            np.ascontiguousarray(a3[order]), np.ascontiguousarray(ab[order]), ab2[order], sag[order],
            node_f, node_i.astype(np.int64), edge_f,
        )  # fmt: skip

    def kernel_args(self) -> tuple[Any, ...]:
        """The tree's arguments of :func:`candidates`, after ``p, start, upper0``."""
        return (self.root, self.node_f, self.node_i, self.order, self.edge_f)


def morton(v: _F) -> NDArray[np.uint64]:
    """Morton (Z-order) codes of ECEF points, 21 bits an axis."""
    q = np.clip((v + 6.5e6) / 13e6 * (1 << 21), 0, (1 << 21) - 1).astype(np.uint64)

    def spread(w: NDArray[np.uint64]) -> NDArray[np.uint64]:
        w = w & np.uint64(0x1FFFFF)
        for shift, mask in ((32, 0x1F00000000FFFF), (16, 0x1F0000FF0000FF), (8, 0x100F00F00F00F00F),
                            (4, 0x10C30C30C30C30C3), (2, 0x1249249249249249)):  # fmt: skip
            w = (w | (w << np.uint64(shift))) & np.uint64(mask)
        return w

    out: NDArray[np.uint64] = (
        spread(q[:, 0]) | (spread(q[:, 1]) << np.uint64(1)) | (spread(q[:, 2]) << np.uint64(2))
    )
    return out


def _to_segment(v: _F, s0: _F, s1: _F) -> _F:
    """Distance from each row of ``v`` to the 3-D segment ``s0``-``s1`` (rows), metres."""
    d = s1 - s0
    d2 = np.einsum("ij,ij->i", d, d)
    t = np.clip(np.einsum("ij,ij->i", v - s0, d) / np.where(d2 > 0, d2, 1.0), 0.0, 1.0)
    off = v - s0 - t[:, None] * d
    out: _F = np.sqrt(np.einsum("ij,ij->i", off, off))
    return out


def candidates(  # compiled by numba in compiled_candidates(); as plain Python, the same answers slowly (a test compares)
    p: Any, start: int, upper0: float, root: Any, node_f: Any, node_i: Any, order: Any, edge_f: Any,
    r_min: float, r_max: float, slack: float, half_equator: float,
    out_pt: Any, out_grp: Any, out_edge: Any, out_t: Any, out_lower: Any,
) -> tuple[int, int]:  # fmt: skip
    """Candidate edges of each (point, group) pair, from row ``start`` of ``p`` on, until the output is full.

    Returns (the first row not done, the number of output rows). Rows come by point, then
    group; in each (point, group) run the smallest lower bound comes first. A pair with no
    edge within ``upper0`` has no row.
    """
    n_out = 0
    cap = out_pt.size
    n_groups = root.size
    heap_node = np.empty(1024, np.int64)
    heap_lb = np.empty(1024)
    buf_e = np.empty(256, np.int64)
    buf_t = np.empty(256)
    buf_l = np.empty(256)
    # Per group, the edge (row of the tree-ordered arrays) nearest the previous point: points
    # come in Morton order, so it bounds this point's distance before the walk starts.
    warm = np.full(n_groups, -1, np.int64)
    # Per group where the last search found nothing: that point, and a chord lower bound on
    # all of the group from it (chord bounds are 1-Lipschitz: a nearby point is ruled out too).
    clear_at = np.zeros((n_groups, 3))
    clear = np.full(n_groups, -np.inf)
    reach0 = _below_inverse(upper0, r_max, slack)
    i = start
    while i < p.shape[0]:
        x, y, z = p[i, 0], p[i, 1], p[i, 2]
        row_start = n_out
        for g in range(n_groups):
            node = root[g]
            if node < 0:
                continue
            # Compared in chord space (the bounds grow with the chord): a node or edge is out
            # when its chord lower bound exceeds ``reach``, the chord whose lower bound is upper.
            if clear[g] > reach0:
                dx, dy, dz = x - clear_at[g, 0], y - clear_at[g, 1], z - clear_at[g, 2]
                if clear[g] - math.sqrt(dx * dx + dy * dy + dz * dz) > reach0 + 1e-3:
                    continue
            c_root = _capsule_chord(x, y, z, node_f, node)
            if c_root > reach0:  # the whole line is out of the radius
                clear[g] = c_root
                clear_at[g, 0], clear_at[g, 1], clear_at[g, 2] = x, y, z
                continue
            low = math.inf  # the smallest chord bound ruled out
            upper = upper0
            reach = reach0
            e = warm[g]
            if e >= 0:  # any edge of the line bounds the distance: the previous point's nearest
                above = _above(_chord_to(x, y, z, edge_f, e) + edge_f[e, 7], r_min, slack, half_equator)
                if above < upper:
                    upper = above
                    reach = _below_inverse(upper, r_max, slack)
            nearest = e
            n_buf = 0
            # Best first: the node with the smallest chord bound next, until none is within reach.
            size = _push(heap_node, heap_lb, 0, node, c_root)
            while size > 0:
                if heap_lb[0] > reach:
                    low = min(low, heap_lb[0])
                    break
                node = heap_node[0]
                size = _pop(heap_node, heap_lb, size)
                first_child = node_i[node, 0]
                if first_child < 0:  # a leaf: chord bounds on each edge
                    for e in range(-1 - first_child, node_i[node, 1]):  # rows of the tree-ordered edges
                        apx, apy, apz = x - edge_f[e, 0], y - edge_f[e, 1], z - edge_f[e, 2]
                        abx, aby, abz = edge_f[e, 3], edge_f[e, 4], edge_f[e, 5]
                        t = (apx * abx + apy * aby + apz * abz) / edge_f[e, 6]
                        t = min(max(t, 0.0), 1.0)
                        ox, oy, oz = apx - t * abx, apy - t * aby, apz - t * abz
                        chord = math.sqrt(ox * ox + oy * oy + oz * oz)
                        sag_e = edge_f[e, 7]
                        if chord - sag_e > reach:
                            low = min(low, chord - sag_e)
                            continue
                        above = _above(chord + sag_e, r_min, slack, half_equator)
                        if above < upper:
                            upper = above
                            reach = _below_inverse(upper, r_max, slack)
                            nearest = e
                        if n_buf == buf_e.size:  # grow the pair's buffer
                            buf_e = np.concatenate((buf_e, np.empty(buf_e.size, np.int64)))
                            buf_t = np.concatenate((buf_t, np.empty(buf_t.size)))
                            buf_l = np.concatenate((buf_l, np.empty(buf_l.size)))
                        buf_e[n_buf] = order[e]
                        buf_t[n_buf] = t
                        buf_l[n_buf] = chord - sag_e
                        n_buf += 1
                    continue
                if size + 2 > heap_node.size:  # grow the heap
                    heap_node = np.concatenate((heap_node, np.empty(heap_node.size, np.int64)))
                    heap_lb = np.concatenate((heap_lb, np.empty(heap_lb.size)))
                for child in (first_child, node_i[node, 1]):
                    c_child = _capsule_chord(x, y, z, node_f, child)
                    if c_child <= reach:
                        size = _push(heap_node, heap_lb, size, child, c_child)
                    else:
                        low = min(low, c_child)
            warm[g] = nearest
            if n_buf == 0:  # nothing within the radius (so upper and reach never moved)
                clear[g] = low
                clear_at[g, 0], clear_at[g, 1], clear_at[g, 2] = x, y, z
                continue
            clear[g] = -math.inf
            # The geodesic lower bounds of the edges found, as the numpy path computes them.
            for j in range(n_buf):
                buf_l[j] = _below(buf_l[j], r_max, slack)
            # The pair's candidates: lower bound within the final upper bound, smallest first.
            kept = 0
            best = -1
            for j in range(n_buf):
                if buf_l[j] <= upper:
                    kept += 1
                    if best < 0 or buf_l[j] < buf_l[best]:
                        best = j
            if kept == 0:
                continue
            if n_out + kept > cap:  # the output is full: this point again in the next call
                if row_start == 0:
                    raise ValueError("output buffer smaller than one point's candidates")
                return i, row_start
            out_pt[n_out], out_grp[n_out], out_edge[n_out] = i, g, buf_e[best]
            out_t[n_out], out_lower[n_out] = buf_t[best], buf_l[best]
            n_out += 1
            for j in range(n_buf):
                if j != best and buf_l[j] <= upper:
                    out_pt[n_out], out_grp[n_out], out_edge[n_out] = i, g, buf_e[j]
                    out_t[n_out], out_lower[n_out] = buf_t[j], buf_l[j]
                    n_out += 1
        i += 1
    return i, n_out


def _push(node: Any, key: Any, size: int, item: int, k: float) -> int:
    """Push ``item`` with key ``k`` on the binary min-heap in ``node``/``key`` (``size`` items); the new size."""
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        if key[parent] <= k:
            break
        node[i], key[i] = node[parent], key[parent]
        i = parent
    node[i], key[i] = item, k
    return size + 1


def _pop(node: Any, key: Any, size: int) -> int:
    """Remove the smallest item of the heap; the new size."""
    size -= 1
    item, k = node[size], key[size]
    i = 0
    while True:
        c = 2 * i + 1
        if c >= size:
            break
        if c + 1 < size and key[c + 1] < key[c]:
            c += 1
        if key[c] >= k:
            break
        node[i], key[i] = node[c], key[c]
        i = c
    if size > 0:
        node[i], key[i] = item, k
    return size


def _below(chord: float, r_max: float, slack: float) -> float:
    """As :func:`geo._distance._geodesic_below`, for one chord."""
    c = min(max(chord, 0.0), 2.0 * r_max)
    return 2.0 * r_max * math.asin(c / (2.0 * r_max)) * (1.0 - 1e-8) - slack


def _above(chord: float, r_min: float, slack: float, half_equator: float) -> float:
    """As :func:`geo._distance._geodesic_above`, for one chord."""
    if not chord < 1e7:
        return half_equator
    ratio = max(chord, 0.0) / (2.0 * r_min)
    return 2.0 * r_min * math.asin(ratio) * (1.0 + 1e-8) + slack


def _below_inverse(geodesic: float, r_max: float, slack: float) -> float:
    """The largest chord ``c`` with ``_below(c) <= geodesic`` (a hair more: never prunes what _below keeps)."""
    if not geodesic < math.pi * r_max:
        return math.inf
    g = max(geodesic, -slack)
    return 2.0 * r_max * math.sin((g + slack) / (1.0 - 1e-8) / (2.0 * r_max)) * (1.0 + 1e-12) + 1e-9


def _chord_to(x: float, y: float, z: float, edge_f: Any, e: int) -> float:
    """The chord from the point to edge row ``e``'s 3-D segment (the leaf test's chord)."""
    apx, apy, apz = x - edge_f[e, 0], y - edge_f[e, 1], z - edge_f[e, 2]
    abx, aby, abz = edge_f[e, 3], edge_f[e, 4], edge_f[e, 5]
    t = (apx * abx + apy * aby + apz * abz) / edge_f[e, 6]
    t = min(max(t, 0.0), 1.0)
    ox, oy, oz = apx - t * abx, apy - t * aby, apz - t * abz
    return math.sqrt(ox * ox + oy * oy + oz * oz)


def _capsule_chord(x: float, y: float, z: float, node_f: Any, node: int) -> float:
    """A lower bound on the chord from the point to anything in capsule ``node``."""
    px, py, pz = x - node_f[node, 0], y - node_f[node, 1], z - node_f[node, 2]
    dx, dy, dz = node_f[node, 3], node_f[node, 4], node_f[node, 5]
    t = (px * dx + py * dy + pz * dz) * node_f[node, 6]
    t = min(max(t, 0.0), 1.0)
    ox, oy, oz = px - t * dx, py - t * dy, pz - t * dz
    return float(math.sqrt(ox * ox + oy * oy + oz * oz) - node_f[node, 7])


def order_pairs(point: Any, d: Any, line: Any, n_points: int) -> Any:  # compiled in compiled_order_pairs()
    """The order of (point, line) rows by point, then distance, then line: ``np.lexsort((line, d, point))`` in O(n).

    A counting sort by point, then insertion within each point's few rows; (point, line) is
    unique, so the order is total and the same as the lexsort's.
    """
    start = np.zeros(n_points + 1, np.int64)
    for i in range(point.size):
        start[point[i] + 1] += 1
    for q in range(n_points):
        start[q + 1] += start[q]
    fill = start[:n_points].copy()
    out = np.empty(point.size, np.int64)
    for i in range(point.size):
        q = point[i]
        k = fill[q]
        fill[q] = k + 1
        while k > start[q]:
            j = out[k - 1]
            if d[j] < d[i] or (d[j] == d[i] and line[j] < line[i]):
                break
            out[k] = j
            k -= 1
        out[k] = i
    return out


@functools.cache
def compiled_order_pairs() -> Callable[..., Any] | None:
    """:func:`order_pairs` compiled by numba, or None without numba."""
    try:
        import numba
    except ImportError:  # pragma: no cover - numba is a dependency
        return None
    return numba.njit(cache=True, nogil=True)(order_pairs)  # type: ignore[no-any-return,unused-ignore]


@functools.cache
def compiled_candidates() -> Callable[..., tuple[int, int]] | None:
    """:func:`candidates` compiled by numba (cached on disk by numba), or None without numba."""
    try:
        import numba
    except ImportError:  # pragma: no cover - numba is a dependency; the KD-tree path answers the same
        return None
    jit = numba.njit(cache=True, nogil=True, error_model="numpy")
    global _below, _above, _below_inverse, _capsule_chord, _chord_to, _push, _pop  # compiled first, for the kernel to call
    _below, _above, _below_inverse = jit(_below), jit(_above), jit(_below_inverse)
    _capsule_chord, _chord_to, _push, _pop = jit(_capsule_chord), jit(_chord_to), jit(_push), jit(_pop)
    return jit(candidates)  # type: ignore[no-any-return,unused-ignore]
