"""Exact geodesic distance from many points to a set of lines (coasts, zone limits).

Method (measured in PITFALLS.md; no planar shortcut):

1. Edges longer than ``max_edge_m`` are cut into equal geodesic pieces (the same curve,
   so the same distances): a short edge lies close to its vertices, which keeps step 3's
   search small wherever the point is.
2. Every distinct vertex goes into a KD-tree in ECEF coordinates (metres), with the edges
   that touch it.
3. For each point the ``k`` nearest vertices give candidate edges. Chord bounds on each
   candidate (below) give an upper bound ``U`` on the distance. An edge none of whose
   ends is among the ``k`` has both ends at least ``r_k`` (the k-th chord) away, so its
   chord distance is at least ``sqrt(r_k**2 - c_max**2 / 4)``; when that bound exceeds
   ``U`` the search is complete, otherwise it is repeated with ``4 k`` for those points.
   The KD-tree search stops at the chord within which an edge nearer than the point's
   current ``U`` must have a vertex: ``U`` from the trees searched before (long edges
   first), or the radius (:meth:`LineDistance.nearest_per_line`), so a point far from a
   line costs one short descent; balls round groups of vertices skip the trees of lines
   farther than the radius altogether.
4. Candidates whose lower bound exceeds ``U`` are dropped. Two stages of exact work: the
   candidate with the smallest lower bound first, whose exact distance replaces ``U``;
   then only the candidates whose lower bound is still below it. On each the foot of the
   perpendicular on the geodesic edge is found by Newton steps along the edge
   (``Geod.fwd``/``Geod.inv``) until the step changes the distance by < 10 um, and the
   distance to that foot is a ``Geod.inv``: exact on the ellipsoid.

Large batches over lines indexed apart (``per_line``, from
:data:`geo._distance_kernel.COMPILED_MIN_POINTS` points) take their candidates (steps 2-3)
from a compiled best-first search over capsules of edges (:mod:`geo._distance_kernel`)
instead; step 4 is the same (:mod:`geo._distance_feet`, which also takes an edge's end
without Newton steps where the distance grows from that end into the edge).

Lines can be indexed apart (``per_line=True``: one KD-tree a line, for a few dozen lines
such as each country's EEZ limit): then one query answers, per point, the nearest
distance to *each* line within a radius, all lines in the same vectorised passes.

Chord -> geodesic bounds: a geodesic of length ``g`` has a chord between those of the arcs
of length ``g`` on spheres of radius ``R_min = b**2 / a`` and ``R_max = a**2 / b`` (the
extremes of the ellipsoid's normal curvature; checked on 2 M random geodesics of 1 m to
9,000 km: both hold to 5e-9 m). A geodesic edge of length ``L`` stays within its sagitta
``L**2 / (8 R_min)`` of the straight 3-D segment between its ends.

Points are processed in chunks (bounded memory); every step is vectorised over
(point, edge) pairs.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from geo._distance_bounds import (
    HALF_EQUATOR,
    R_MAX,
    R_MIN,
    SLACK_M,
    by_space,
    ecef,
    geodesic_above,
    geodesic_below,
    group_starts,
)
from geo._distance_feet import Edges, foot, nearest_of_runs, nearest_on
from geo._distance_kdtree import VertexTree, balls, near_trees, search_bound
from geo._distance_kernel import (
    COMPILED_MIN_POINTS,
    WARM_MIN_POINTS,
    BallTree,
    compiled_candidates,
    compiled_order_pairs,
)
from geo._distance_kernel import morton as _morton
from geo._errors import GeoError, InvalidDistanceError
from geo.geodesy import GEOD

if TYPE_CHECKING:
    from scipy.spatial import cKDTree

__all__ = ["LineDistance", "LineDistanceArraysError"]

FORMAT = "geo-line-distance/1"  # the layout of LineDistance.to_arrays()

_MAX_EDGE_M = 4_000.0  # default: longer edges are cut into geodesic pieces at build time
_FINE_M = 250.0  # edges up to this long get a KD-tree of their own (see VertexTree)
_CHUNK = 1 << 15  # points per chunk: bounds the (point, edge) arrays to some 100 MB
_PAIRS = 1 << 21  # (point, vertex) pairs per KD-tree call when k grows
_SLICE = 2_048  # points per KD-tree call: each call's search bound is its slice's largest
# Nearest vertices tried first, then k times the growth for the points whose search is not
# complete: (k0, growth) for the nearest line of all, and for each line apart. Measured
# 2026-12-05 (1e4 / 1e6 points): the coast 1.12x / 1.10x faster with (2, 3) than (4, 4);
# all limits on the KD-tree path 7% slower with it, so they keep (4, 4).
_K_NEAREST = (2, 3)
_K_PER_LINE = (4, 4)
_SPLIT_SHARE = 0.1  # short edges get their own KD-tree when they are at least this share of a line's
_BALL_M = 300_000.0  # per_line queries: vertices grouped in ECEF cubes this big test which points come near
_BRUTE = 8_192  # trees of up to this many vertices are searched by brute force (no KD-tree) ...
_BRUTE_PAIRS = 1 << 16  # ... when (points x vertices) stays this small
_KERNEL_RAN = False  # set once the compiled search has run in this process
_OUT_ROWS = 1 << 18  # the compiled search's output buffer (rows, ~10 MB); refilled until every point is done

_F = NDArray[np.float64]
_I = NDArray[np.int64]


def _split(ax: _F, ay: _F, bx: _F, by: _F, line: _I, max_edge_m: float) -> tuple[_F, _F, _F, _F, _I]:
    """Cut each edge into ``ceil(L / max_edge_m)`` equal geodesic pieces, in place and in order.

    The pieces' outer ends are the edge's own vertices (bit for bit), so edges still meet
    where they met; the inner ends are ``Geod.fwd`` points of the same geodesic.
    """
    az, _, length = GEOD.inv(ax, ay, bx, by)
    n = np.maximum(np.ceil(np.asarray(length) / max_edge_m), 1).astype(np.int64)
    if (n == 1).all():
        return ax, ay, bx, by, line
    edge = np.repeat(np.arange(ax.size), n)
    k = np.arange(edge.size) - np.repeat(np.cumsum(n) - n, n)  # piece number within its edge
    step = np.asarray(length)[edge] / n[edge]
    inner = k > 0  # piece starts other than the edge's own A
    px, py = ax[edge], ay[edge]
    if inner.any():
        e = edge[inner]
        px[inner], py[inner], _ = GEOD.fwd(ax[e], ay[e], np.asarray(az)[e], k[inner] * step[inner])
    last = np.cumsum(n) - 1  # each edge's final piece ends at the edge's own B
    qx, qy = np.empty_like(px), np.empty_like(py)
    qx[:-1], qy[:-1] = px[1:], py[1:]
    qx[last], qy[last] = bx, by
    return px, py, qx, qy, line[edge]


class LineDistanceArraysError(GeoError):
    """Arrays that are not a saved :class:`LineDistance` (``to_arrays``) of this layout."""


_EDGE_FIELDS = ("ax", "ay", "bx", "by", "edge_line", "az", "length", "sag", "a_ecef", "b_ecef")
_TREE_FIELDS = ("tree_n_vertices", "tree_n_edges", "tree_vx", "tree_vy", "tree_ptr", "tree_edges",
                "tree_chord_max", "tree_sag_max", "tree_group")  # fmt: skip


@dataclass
class LineDistance:
    """Nearest-distance queries from points to a fixed set of (Multi)LineStrings.

    Examples
    --------
    >>> import shapely
    >>> ld = LineDistance.build([shapely.LineString([(130, 30), (130, 40)])])
    >>> d, lon, lat, which = ld.query([131.0], [35.0])
    >>> round(float(d[0]) / 1000, 1), int(which[0])
    (91.3, 0)

    Each line apart, within a radius (one row per point and line, nearest first):

    >>> two = LineDistance.build([shapely.LineString([(130, 30), (130, 40)]),
    ...     shapely.LineString([(133, 30), (133, 40)])], per_line=True)
    >>> point, line, d, _, _ = two.nearest_per_line([131.0, 160.0], [35.0, 35.0], within_m=500e3)
    >>> point.tolist(), line.tolist(), (d / 1000).round(1).tolist()
    ([0, 0], [0, 1], [91.3, 182.6])
    """

    ax: _F
    ay: _F
    bx: _F
    by: _F
    edge_line: _I  # index of the input line each edge belongs to
    az: _F  # forward azimuth of each edge at A
    length: _F  # geodesic length of each edge, metres
    sag: _F  # how far each geodesic edge may stray from its 3-D chord, metres
    a_ecef: _F
    b_ecef: _F
    trees: tuple[VertexTree, ...]  # one per class of edge length (and per line, with per_line)
    per_line: bool = False
    engine: str | None = None  # "kdtree" or "compiled" (numba) candidates; None: compiled for large per_line batches
    az_back: _F | None = None  # each edge's azimuth at B towards A (None: computed on first use)

    @classmethod
    def build(
        cls, lines: ArrayLike, *, max_edge_m: float | None = None, per_line: bool = False
    ) -> LineDistance:
        """Index the edges of ``lines`` (shapely LineStrings/MultiLineStrings or polygons' rings, lon/lat)."""
        geoms = np.asarray(lines, dtype=object)
        parts, owner = shapely.get_parts(geoms, return_index=True)
        coords, ring_of = shapely.get_coordinates(parts, return_index=True)
        a = np.flatnonzero(ring_of[1:] == ring_of[:-1])
        b = a + 1
        return cls.from_segments(
            coords[a, 0], coords[a, 1], coords[b, 0], coords[b, 1], owner[ring_of[a]].astype(np.int64),
            max_edge_m=max_edge_m, per_line=per_line,
        )  # fmt: skip

    @classmethod
    def from_segments(
        cls, ax: ArrayLike, ay: ArrayLike, bx: ArrayLike, by: ArrayLike, line: ArrayLike,
        *, max_edge_m: float | None = None, per_line: bool = False,
    ) -> LineDistance:  # fmt: skip
        """Index loose geodesic segments A->B (lon/lat), each tagged with the index of the line it belongs to.

        ``max_edge_m`` (default 4 km): longer segments are cut into geodesic pieces. The
        answers do not depend on it (the pieces are the same curve), only the speed does.
        ``per_line``: one KD-tree a line (for a few dozen lines), which
        :meth:`nearest_per_line` needs.
        """
        ax_, ay_, bx_, by_ = (np.asarray(v, dtype=float).ravel() for v in (ax, ay, bx, by))
        line_ = np.asarray(line, dtype=np.int64).ravel()
        if ax_.size == 0:
            raise ValueError("LineDistance needs at least one line with two vertices")
        cap = _MAX_EDGE_M if max_edge_m is None else float(max_edge_m)
        if not cap > 0:
            raise ValueError(f"max_edge_m must be positive, got {max_edge_m!r}")
        ax_, ay_, bx_, by_, line_ = _split(ax_, ay_, bx_, by_, line_, cap)
        az, az_back, length = GEOD.inv(ax_, ay_, bx_, by_)
        length = np.asarray(length)
        a3, b3 = ecef(ax_, ay_), ecef(bx_, by_)
        chord = np.linalg.norm(b3 - a3, axis=1)
        sag = length**2 / (8.0 * R_MIN) * (1.0 + 1e-6) + 1e-6
        group = line_ if per_line else np.zeros(line_.size, np.int64)
        trees = []
        fine = length <= _FINE_M
        for g in np.unique(group).tolist():  # one group, or a few dozen lines
            mine = group == g
            # Few short edges do not pay for a tree of their own (one more search per point).
            split = np.count_nonzero(fine & mine) >= _SPLIT_SHARE * np.count_nonzero(mine)
            for cls_ in (fine, ~fine) if split else (np.ones(fine.size, dtype=bool),):
                e = np.flatnonzero(mine & cls_)
                if e.size:
                    ex, ey = np.concatenate([ax_[e], bx_[e]]), np.concatenate([ay_[e], by_[e]])
                    trees.append(VertexTree.build(ex, ey, np.concatenate([e, e]), chord[e], sag[e], g))
        return cls(
            ax_,
            ay_,
            bx_,
            by_,
            line_,
            np.asarray(az),
            length,
            sag,
            a3,
            b3,
            tuple(trees),
            bool(per_line),
            az_back=np.asarray(az_back),
        )

    @property
    def max_edge_m(self) -> float:
        """The longest (geodesic) edge after splitting, metres."""
        return float(self.length.max()) if self.length.size else 0.0

    @functools.cached_property
    def _balls(self) -> tuple[cKDTree, _I, _F]:
        """Balls round groups of nearby vertices, per tree (:func:`geo._distance_kdtree.balls`)."""
        return balls(self.trees)

    @functools.cached_property
    def _chords(self) -> tuple[_F, _F]:
        """Each edge's 3-D chord A->B and its squared length (never 0), metres."""
        ab = self.b_ecef - self.a_ecef
        return ab, np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-300)

    def to_arrays(self) -> dict[str, NDArray[Any]]:
        """The index as plain numpy arrays (for ``numpy.savez``; no pickle, no object arrays).

        :meth:`from_arrays` gives back an index with the same answers; the KD-trees are
        rebuilt from the saved vertices on first use.
        """
        out: dict[str, NDArray[Any]] = {name: getattr(self, name) for name in _EDGE_FIELDS}
        out["format"] = np.array(FORMAT)
        out["az_back"] = self._az_back  # optional in the layout: from_arrays computes it when missing
        out["per_line"] = np.array(self.per_line)
        t = self.trees
        out["tree_n_vertices"] = np.array([vt.vx.size for vt in t], dtype=np.int64)
        out["tree_n_edges"] = np.array([vt.edges.size for vt in t], dtype=np.int64)
        for name in ("vx", "vy", "ptr", "edges"):
            out[f"tree_{name}"] = np.concatenate([getattr(vt, name) for vt in t])
        out["tree_chord_max"] = np.array([vt.chord_max for vt in t])
        out["tree_sag_max"] = np.array([vt.sag_max for vt in t])
        out["tree_group"] = np.array([vt.group for vt in t], dtype=np.int64)
        return out

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, ArrayLike]) -> LineDistance:
        """The index that :meth:`to_arrays` saved (a dict, or a ``numpy.load``-ed ``.npz``)."""
        keys = ("format", "per_line", *_EDGE_FIELDS, *_TREE_FIELDS)
        missing = [k for k in keys if k not in arrays]
        # (a store may keep a 0-d array as one element: numpy.ascontiguousarray makes it 1-d)
        fmt = (
            None
            if "format" in missing or np.asarray(arrays["format"]).size != 1
            else str(np.asarray(arrays["format"]).reshape(-1)[0])
        )
        if missing or fmt != FORMAT:
            raise LineDistanceArraysError(
                f"not a saved LineDistance of layout {FORMAT!r} (layout {fmt!r}, missing {missing}); "
                f"rebuild it with LineDistance.build or from_segments and save it with to_arrays()"
            )
        a = {k: np.asarray(arrays[k]) for k in keys}
        nv, ne = a["tree_n_vertices"].astype(np.int64), a["tree_n_edges"].astype(np.int64)
        sizes = {a[k].shape[0] for k in _EDGE_FIELDS}
        if len(sizes) != 1 or a["tree_vx"].size != nv.sum() or a["tree_ptr"].size != (nv + 1).sum() \
                or a["tree_edges"].size != ne.sum():  # fmt: skip
            raise LineDistanceArraysError(
                "saved LineDistance arrays disagree in length (a truncated or mixed file); rebuild and save it again"
            )
        cut_v, cut_p, cut_e = (np.cumsum(s)[:-1] for s in (nv, nv + 1, ne))
        trees = tuple(
            VertexTree(vx, vy, ptr.astype(np.int64), edges.astype(np.int64), float(c), float(s), int(g))
            for vx, vy, ptr, edges, c, s, g in zip(
                np.split(a["tree_vx"], cut_v), np.split(a["tree_vy"], cut_v), np.split(a["tree_ptr"], cut_p),
                np.split(a["tree_edges"], cut_e), a["tree_chord_max"], a["tree_sag_max"], a["tree_group"],
                strict=True,
            )
        )  # fmt: skip
        edge: dict[str, Any] = {k: a[k] for k in _EDGE_FIELDS}
        back = np.asarray(arrays["az_back"]) if "az_back" in arrays else None
        if back is not None and back.shape != a["az"].shape:
            back = None  # an older or mixed save: computed again on first use
        return cls(**edge, trees=trees, per_line=bool(a["per_line"].reshape(-1)[0]), az_back=back)

    # ------------------------------------------------------------------ queries

    def prepare(self) -> LineDistance:
        """Build now what the first query would build (trees, balls, azimuths; the compiled search
        of a per_line index, with numba): for a server or a benchmark to pay before the clock."""
        for vt in self.trees:
            vt.tree  # noqa: B018 - built on first use
        self._balls, self._chords, self._az_back  # noqa: B018
        self.query(self.ax[:1], self.ay[:1])  # and the rest of the first query's one-time work
        if self.per_line and self.engine != "kdtree" and (kernel := compiled_candidates()) is not None:
            self._compiled(kernel, ecef(self.ax[:1], self.ay[:1]), per_line=True, within_m=1.0)
            self.nearest_per_line(self.ax[:1], self.ay[:1], within_m=1.0)  # loads the compiled order too
        return self

    def query(self, lon: ArrayLike, lat: ArrayLike) -> tuple[_F, _F, _F, _I]:
        """Geodesic distance (m) from each point to the nearest line, the nearest point, and its line index.

        NaN (and line -1) for points with a non-finite coordinate.
        """
        x, y = _flat(lon, lat)
        out_d = np.full(x.size, np.nan)
        out_x = np.full(x.size, np.nan)
        out_y = np.full(x.size, np.nan)
        out_i = np.full(x.size, -1, dtype=np.int64)
        ok = by_space(x, y)
        for start in range(0, ok.size, _CHUNK):  # chunks of points, each vectorised
            rows = ok[start : start + _CHUNK]
            pts, _, d, fx, fy, edge = self._query_chunk(
                x[rows], y[rows], per_line=False, within_m=None, n_points=ok.size
            )
            at = rows[pts]
            out_d[at], out_x[at], out_y[at] = d, fx, fy
            out_i[at] = self.edge_line[edge]
        return out_d, out_x, out_y, out_i

    def nearest_per_line(
        self, lon: ArrayLike, lat: ArrayLike, *, within_m: float
    ) -> tuple[_I, _I, _F, _F, _F]:
        """Per point, the geodesic distance (m) to *each* line that comes within ``within_m``.

        Needs an index built with ``per_line=True``. Returns flat arrays, one row per
        (point, line) pair: ``point`` (index into the input), ``line``, ``distance_m`` and
        the nearest point of that line (``lon``, ``lat``), sorted by point, then distance.
        Points with a non-finite coordinate, and lines farther away, have no row.
        """
        if not self.per_line:
            raise GeoError(
                "this LineDistance indexes its lines together; build it with per_line=True "
                "(LineDistance.from_segments(..., per_line=True)) to measure each line apart"
            )
        radius = float(within_m)
        if not (np.isfinite(radius) and radius > 0):
            raise InvalidDistanceError(f"within_m must be a positive number of metres, got {within_m!r}")
        x, y = _flat(lon, lat)
        ok = by_space(x, y)
        parts = []
        for start in range(0, ok.size, _CHUNK):
            rows = ok[start : start + _CHUNK]
            pts, line, d, fx, fy, _ = self._query_chunk(
                x[rows], y[rows], per_line=True, within_m=radius, n_points=ok.size
            )
            near = d <= radius
            parts.append((rows[pts[near]], line[near], d[near], fx[near], fy[near]))
        if not parts:
            e = np.zeros(0)
            return np.zeros(0, np.int64), np.zeros(0, np.int64), e, e.copy(), e.copy()
        point, line, d, fx, fy = (np.concatenate(v) for v in zip(*parts, strict=True))
        # Once numba is loaded (the compiled search has run), an O(n) order (at 1e5 points,
        # 3.4e5 rows: ~5 ms against the lexsort's ~80 ms); the same order either way.
        sort = compiled_order_pairs() if _KERNEL_RAN else None
        order = sort(point, d, line, x.size) if sort is not None else np.lexsort((line, d, point))
        return point[order], line[order], d[order], fx[order], fy[order]

    # ------------------------------------------------------------------ steps

    def _kernel(self, n_points: int) -> Any:
        """The compiled search for a query of ``n_points`` points, or None for the KD-tree path."""
        # Default: the compiled search for large per_line queries (each line's tree skipped at
        # its root when far; all 21 limits at 1e5 points: 71k points/CPU-s against 42-48k); the
        # KD-tree path for one set of lines such as the coast (there 95k against the compiled 82k).
        # Once the kernel has run in this process (its load, ~0.3-0.5 s, paid), it wins from
        # about 1,000 points (all limits at 2,000 points: 69k points/CPU-s against 31k).
        floor = WARM_MIN_POINTS if _KERNEL_RAN else COMPILED_MIN_POINTS
        if self.engine == "kdtree" or (self.engine is None and (not self.per_line or n_points < floor)):
            return None
        kernel = compiled_candidates()
        if kernel is None and self.engine == "compiled":
            raise GeoError("engine='compiled' needs numba: pip install numba")
        return kernel

    def _query_chunk(
        self, x: _F, y: _F, *, per_line: bool, within_m: float | None, n_points: int = 0
    ) -> tuple[_I, _I, _F, _F, _F, _I]:
        """(point, line group, distance, foot lon, foot lat, edge): one row per point (and per line, per_line)."""
        p = ecef(x, y)
        n_groups = int(self.edge_line.max()) + 1 if per_line else 1
        kernel = self._kernel(n_points) if n_points else None
        if kernel is not None:
            found_c = self._compiled(kernel, p, per_line=per_line, within_m=within_m)
            return self._solve(x, y, *found_c, sorted_runs=True)
        upper = np.full((n_groups, x.size), np.inf if within_m is None else within_m)
        found = []
        near = near_trees(self.trees, self._balls, p, within_m) if within_m is not None else None
        for i in np.argsort([-vt.chord_max for vt in self.trees], kind="stable").tolist():
            vt = self.trees[i]  # long edges first: fewer vertices give each point an upper bound sooner
            g = vt.group if per_line else 0
            todo = near[i] if near is not None else np.arange(x.size)
            pts, edges, t, lower = self._candidates(vt, p, todo, upper[g], _K_PER_LINE if per_line else _K_NEAREST)
            found.append((pts, edges, t, lower, np.full(pts.size, g, np.int64)))
        pts, edges, t, lower, grp = (np.concatenate(v) for v in zip(*found, strict=True))
        # Drop what a later tree's tighter bound rules out, then one row per (point, edge):
        # an edge is found from both of its ends.
        keep = lower <= upper[grp, pts]
        pts, edges, t, lower, grp = pts[keep], edges[keep], t[keep], lower[keep], grp[keep]
        key = pts * np.int64(self.az.size) + edges
        order = np.argsort(key, kind="stable")
        order = order[group_starts(key[order])]
        return self._solve(
            x, y, pts[order], edges[order], t[order], lower[order], grp[order], sorted_runs=False
        )

    def _solve(
        self, x: _F, y: _F, pts: _I, edges: _I, t: _F, lower: _F, grp: _I, *, sorted_runs: bool
    ) -> tuple[_I, _I, _F, _F, _F, _I]:
        """The exact nearest of each (point, group)'s candidates (one row per candidate edge).

        ``sorted_runs``: the rows already come in runs of one (point, group), each run's
        smallest lower bound first (the compiled search's order).
        """
        if not sorted_runs:
            # Runs of one (line group, point), the smallest lower bound first.
            order = np.lexsort((lower, grp * np.int64(x.size) + pts))
            pts, edges, t, lower, grp = pts[order], edges[order], t[order], lower[order], grp[order]
        start = group_starts(grp * np.int64(x.size) + pts)
        run = np.cumsum(start) - 1
        first = np.flatnonzero(start)
        # Stage 1: the likeliest edge of each run, exactly; its distance bounds the others.
        d1, fx1, fy1, az1 = self._nearest_on(x[pts[first]], y[pts[first]], edges[first], t[first])
        rest = np.flatnonzero(~start & (lower <= d1[run]))
        # Stage 2: the others whose lower bound is within it. Most of them are the next edge
        # of the line, whose end is stage 1's nearest point: that point is not measured again
        # (all limits at 1e5 points: 71% of stage 2's ends).
        r1 = run[rest]
        d2, fx2, fy2, _ = self._nearest_on(
            x[pts[rest]], y[pts[rest]], edges[rest], t[rest], seen=(fx1[r1], fy1[r1], az1[r1], d1[r1])
        )
        # The minimum per run, by distance, then edge: stage 1's row unless a stage-2 row of
        # its run is nearer.
        d, fx, fy, e = nearest_of_runs((d1, fx1, fy1, edges[first]), r1, (d2, fx2, fy2, edges[rest]))
        return pts[first], grp[first], d, fx, fy, e

    @functools.cached_property
    def _ball_tree(self) -> BallTree:
        """The compiled search's tree (:mod:`geo._distance_kernel`), built on first use: not saved."""
        group = self.edge_line if self.per_line else np.zeros(self.az.size, np.int64)
        ab, ab2 = self._chords
        return BallTree.build(self.a_ecef, self.b_ecef, ab, ab2, self.sag, group, int(group.max()) + 1)

    def _compiled(
        self, kernel: Any, p: _F, *, per_line: bool, within_m: float | None
    ) -> tuple[_I, _I, _F, _F, _I]:
        """(point, edge, t, lower, group) candidate rows from the compiled search, in runs."""
        bt = self._ball_tree
        # Points in Morton order: neighbours walk the same nodes, which stay in the CPU's cache.
        by_space = np.argsort(_morton(p), kind="stable")
        p = np.ascontiguousarray(p[by_space])
        cap = _OUT_ROWS
        out = []
        start = 0
        while start < p.shape[0]:
            o_pt, o_grp, o_edge = (np.empty(cap, np.int64) for _ in range(3))
            o_t, o_lower = np.empty(cap), np.empty(cap)
            nxt, m = kernel(
                p, start, np.inf if within_m is None else float(within_m), *bt.kernel_args(),
                R_MIN, R_MAX, SLACK_M, HALF_EQUATOR, o_pt, o_grp, o_edge, o_t, o_lower,
            )  # fmt: skip
            out.append(
                (o_pt[:m].copy(), o_edge[:m].copy(), o_t[:m].copy(), o_lower[:m].copy(), o_grp[:m].copy())
            )
            start = nxt
        global _KERNEL_RAN
        _KERNEL_RAN = True
        pts, edges, t, lower, grp = (np.concatenate(v) for v in zip(*out, strict=True))
        pts = by_space[pts]
        return pts, edges, t, lower, grp

    def _candidates(
        self, vt: VertexTree, p: _F, todo: _I, upper: _F, k_grow: tuple[int, int]
    ) -> tuple[_I, _I, _F, _F]:
        """(point, edge, t, lower) rows of ``vt`` that may hold each point's nearest line point.

        ``t`` is the position of the point's foot on the edge's chord, in [0, 1]; ``upper``
        (per point: a radius, or what earlier trees found) is tightened in place, and the
        tree search stops at the chord within which any edge nearer than it has a vertex.
        """
        n_vertices = vt.vx.size
        reach = search_bound(vt, 0.0)
        k0, grow = k_grow
        k = min(k0, n_vertices)
        out: list[tuple[_I, _I, _F, _F]] = []
        while todo.size:
            later: list[_I] = []
            # Slices of points with like upper bounds (from the radius, or an earlier tree):
            # the search stops at the chord within which a nearer edge must have a vertex.
            todo = todo[np.argsort(upper[todo], kind="stable")]
            step = max(1, min(_PAIRS // k, _SLICE))
            for s in range(0, todo.size, step):  # slices also keep k * points bounded
                rows = todo[s : s + step]
                bound = float(upper[rows].max()) + reach
                dist, idx = vt.nearest(p[rows], k, bound)
                found, done = self._bound(vt, p, rows, dist, idx, upper, complete=k >= n_vertices)
                out.append(found)
                later.append(rows[~done])
            todo = np.concatenate(later)
            k = min(grow * k, n_vertices)
        if not out:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
        pts, edges, t, lower = (np.concatenate(v) for v in zip(*out, strict=True))
        return pts, edges, t, lower

    def _bound(
        self, vt: VertexTree, p: _F, rows: _I, dist: _F, idx: _I, upper: _F, *, complete: bool
    ) -> tuple[tuple[_I, _I, _F, _F], NDArray[np.bool_]]:
        """Chord bounds on the edges at each row's k nearest vertices; which rows are complete.

        A vertex beyond the search's bound comes back as index ``n`` (distance inf): it has no edges.
        """
        valid = idx < vt.vx.size
        flat = np.where(valid, idx, 0).ravel()
        start = vt.ptr[flat]
        count = np.where(valid.ravel(), vt.ptr[flat + 1] - start, 0)
        per_row = count.reshape(idx.shape).sum(axis=1)
        row = np.repeat(np.arange(rows.size), per_row)
        edges = vt.edges[np.repeat(start - (np.cumsum(count) - count), count) + np.arange(row.size)]
        pt = rows[row]
        ab, ab2 = self._chords
        ab_e = ab[edges]
        ap = p[pt] - self.a_ecef[edges]
        t = np.clip(np.einsum("ij,ij->i", ap, ab_e) / ab2[edges], 0.0, 1.0)
        off = ap - t[:, None] * ab_e
        chord = np.sqrt(np.einsum("ij,ij->i", off, off))
        sag = self.sag[edges]
        lower = geodesic_below(chord - sag)
        best = upper[rows].copy()
        has = per_row > 0
        if has.any():
            # The bound grows with the chord: the nearest chord gives each row's upper bound.
            first = (np.cumsum(per_row) - per_row)[has]
            best[has] = np.minimum(best[has], geodesic_above(np.minimum.reduceat(chord + sag, first)))
        upper[rows] = best
        if complete:
            done = np.ones(rows.size, dtype=bool)
        else:
            # Edges with neither end among the k nearest: both ends at least r_k away (or
            # beyond the search's bound, when fewer than k vertices lie inside it).
            r_k = dist[:, -1]
            far = np.sqrt(np.maximum(r_k**2 - vt.chord_max**2 / 4.0, 0.0)) - vt.sag_max
            done = ~np.isfinite(r_k) | (geodesic_below(far) > best)
        keep = done[row] & (lower <= best[row])
        return (pt[keep], edges[keep], t[keep], lower[keep]), done

    @functools.cached_property
    def _az_back(self) -> _F:
        """Each edge's azimuth at B towards A (degrees; saved by to_arrays, computed here if an older save lacks it)."""
        if self.az_back is not None:
            return self.az_back
        return np.asarray(GEOD.inv(self.ax, self.ay, self.bx, self.by)[1])

    def _nearest_on(
        self, px: _F, py: _F, e: _I, t: _F, seen: tuple[_F, _F, _F, _F] | None = None
    ) -> tuple[_F, _F, _F, _F]:
        """Distance from P to geodesic edge e, its nearest point and the azimuth there (:func:`geo._distance_feet.nearest_on`)."""
        return nearest_on(self._edges, px, py, e, t, seen)

    def _foot(self, px: _F, py: _F, e: _I, s0: _F) -> tuple[_F, _F, _F, _F]:
        """Newton steps along edge e from ``s0`` (:func:`geo._distance_feet.foot`)."""
        return foot(self._edges, px, py, e, s0)

    @property
    def _edges(self) -> Edges:
        return Edges(self.ax, self.ay, self.bx, self.by, self.az, self._az_back, self.length)


def _flat(lon: ArrayLike, lat: ArrayLike) -> tuple[_F, _F]:
    x = np.atleast_1d(np.asarray(lon, dtype=float)).ravel()
    y = np.atleast_1d(np.asarray(lat, dtype=float)).ravel()
    return x, y

