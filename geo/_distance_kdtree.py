"""The KD-tree candidate search of :class:`geo._distance.LineDistance` (small batches): trees of vertices.

Every distinct vertex of a class of edges (short or long, and per line with ``per_line``)
goes into a KD-tree in ECEF metres, with the edges that touch it; a point's ``k`` nearest
vertices give its candidate edges, and balls round groups of vertices tell which points
come near a line at all (see :mod:`geo._distance`, steps 2-3). Small vertex sets are
searched by brute force, with no KD-tree to build or import.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from geo._distance_bounds import ecef, group_starts

if TYPE_CHECKING:
    from scipy.spatial import cKDTree

__all__ = ["VertexTree", "balls", "near_trees", "search_bound"]

_BALL_M = 300_000.0  # per_line queries: vertices grouped in ECEF cubes this big test which points come near
_BRUTE = 8_192  # trees of up to this many vertices are searched by brute force (no KD-tree) ...
_BRUTE_PAIRS = 1 << 16  # ... when (points x vertices) stays this small

_F = NDArray[np.float64]
_I = NDArray[np.int64]


@dataclass
class VertexTree:
    """The distinct vertices of one class of edges (by length, and by line), in a KD-tree, with their edges.

    Short and long edges are kept apart because the completeness test (module docstring,
    step 3) widens each search by ``c_max**2 / (8 r)``: long edges in the same tree would
    widen it near dense coasts, and cutting every edge short would fill a far point's
    search shell with vertices.
    """

    vx: _F  # lon/lat of the vertices
    vy: _F
    ptr: _I  # CSR: the edges touching vertex v are edges[ptr[v]:ptr[v + 1]]
    edges: _I
    chord_max: float  # the longest chord among these edges, metres
    sag_max: float
    group: int  # the line all these edges belong to (per_line), else 0

    @functools.cached_property
    def tree(self) -> cKDTree:
        """The KD-tree of the vertices in ECEF metres (built on first use: not saved by ``to_arrays``)."""
        from scipy.spatial import cKDTree  # scipy.spatial takes ~0.3 s to import: only for trees worth one

        return cKDTree(ecef(self.vx, self.vy), balanced_tree=False, compact_nodes=False)

    def nearest(self, p: _F, k: int, bound: float) -> tuple[_F, _I]:
        """The ``k`` nearest vertices to each row of ``p`` within ``bound`` (as ``cKDTree.query``: inf and n past it).

        A few vertices (one point's candidate segments) are searched by brute force, with
        no KD-tree to build or import.
        """
        n = self.vx.size
        if n > _BRUTE or p.shape[0] * n > _BRUTE_PAIRS:
            dist, idx = self.tree.query(p, k=k, distance_upper_bound=bound)
            return dist.reshape(p.shape[0], k), idx.reshape(p.shape[0], k).astype(np.int64)
        d = np.linalg.norm(p[:, None, :] - self._v3[None, :, :], axis=2)
        idx = np.argsort(d, axis=1, kind="stable")[:, :k]
        dist = np.take_along_axis(d, idx, axis=1)
        far = dist > bound
        return np.where(far, np.inf, dist), np.where(far, n, idx).astype(np.int64)

    @functools.cached_property
    def _v3(self) -> _F:
        return ecef(self.vx, self.vy)

    @classmethod
    def build(cls, ex: _F, ey: _F, edge: _I, chord: _F, sag: _F, group: int) -> VertexTree:
        """From the edges' ends (lon ``ex``, lat ``ey``, edge ids ``edge``, A ends then B ends)."""
        order = np.lexsort((ey, ex))
        first = np.ones(order.size, dtype=bool)  # distinct vertices by sort-and-mask
        first[1:] = (ex[order][1:] != ex[order][:-1]) | (ey[order][1:] != ey[order][:-1])
        vertex_of = np.empty(order.size, dtype=np.int64)
        vertex_of[order] = np.cumsum(first) - 1
        n_vertices = int(first.sum())
        ptr = np.zeros(n_vertices + 1, dtype=np.int64)
        np.cumsum(np.bincount(vertex_of, minlength=n_vertices), out=ptr[1:])
        vx, vy = ex[order][first], ey[order][first]
        edges = edge[np.argsort(vertex_of, kind="stable")]
        return cls(vx, vy, ptr, edges, float(chord.max()), float(sag.max()), int(group))


def balls(trees: Sequence[VertexTree]) -> tuple[cKDTree, _I, _F]:
    """Balls round groups of nearby vertices (one ECEF cube of ``_BALL_M`` each): tree of centres, tree id, radius.

    A point whose chord to every ball of a tree exceeds that ball's radius plus the
    tree's search bound has no edge of that tree within the radius (triangle inequality).
    """
    centres, owner, radius = [], [], []
    for i, vt in enumerate(trees):  # a few dozen trees
        v = ecef(vt.vx, vt.vy)
        cell = np.floor(v / _BALL_M).astype(np.int64) + 1_000
        key = (cell[:, 0] * 4_096 + cell[:, 1]) * 4_096 + cell[:, 2]
        order = np.argsort(key, kind="stable")
        first = np.flatnonzero(group_starts(key[order]))
        count = np.diff(np.append(first, order.size))
        c = np.add.reduceat(v[order], first, axis=0) / count[:, None]
        r = np.maximum.reduceat(np.linalg.norm(v[order] - np.repeat(c, count, axis=0), axis=1), first)
        centres.append(c)
        owner.append(np.full(first.size, i, np.int64))
        radius.append(r * (1.0 + 1e-9) + 1e-3)
    from scipy.spatial import cKDTree

    return cKDTree(np.concatenate(centres)), np.concatenate(owner), np.concatenate(radius)


def near_trees(
    trees: Sequence[VertexTree], ball_index: tuple[cKDTree, _I, _F], p: _F, within_m: float
) -> list[_I]:
    """Per tree, the points (rows of ``p``) that may have one of its edges within ``within_m``."""
    balls, owner, radius = ball_index
    reach = np.array([search_bound(vt, within_m) for vt in trees])[owner] + radius
    from scipy.spatial import cKDTree

    pairs = cKDTree(p).sparse_distance_matrix(balls, max_distance=float(reach.max()), output_type="ndarray")
    i, j = pairs["i"].astype(np.int64), pairs["j"].astype(np.int64)
    ok = pairs["v"] <= reach[j]
    hit = np.zeros((len(trees), p.shape[0]), dtype=bool)  # a few dozen trees x a chunk of points
    hit[owner[j[ok]], i[ok]] = True
    return [np.flatnonzero(row) for row in hit]


# ------------------------------------------------------------------ saving


def search_bound(vt: VertexTree, within_m: float) -> float:
    """The chord within which every edge of ``vt`` that comes within ``within_m`` has a vertex."""
    return within_m + 1.001 * vt.chord_max + vt.sag_max + 1.0
