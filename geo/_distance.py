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

from geo._errors import GeoError, InvalidDistanceError
from geo.geodesy import GEOD

if TYPE_CHECKING:
    from scipy.spatial import cKDTree

__all__ = ["LineDistance", "LineDistanceArraysError"]

FORMAT = "geo-line-distance/1"  # the layout of LineDistance.to_arrays()

_MAX_EDGE_M = 4_000.0  # default: longer edges are cut into geodesic pieces at build time
_FINE_M = 250.0  # edges up to this long get a KD-tree of their own (see _VertexTree)
_CHUNK = 1 << 15  # points per chunk: bounds the (point, edge) arrays to some 100 MB
_PAIRS = 1 << 21  # (point, vertex) pairs per KD-tree call when k grows
_SLICE = 2_048  # points per KD-tree call: each call's search bound is its slice's largest
_K0 = 4  # nearest vertices tried first (measured: 4 beats 2, 8 and 16 on the bundled coast)
_GROW = 4  # then k times this, for the points whose search is not complete
_SPLIT_SHARE = 0.1  # short edges get their own KD-tree when they are at least this share of a line's
_BALL_M = 300_000.0  # per_line queries: vertices grouped in ECEF cubes this big test which points come near
_BRUTE = 8_192  # trees of up to this many vertices are searched by brute force (no KD-tree) ...
_BRUTE_PAIRS = 1 << 16  # ... when (points x vertices) stays this small
_TOL_M = 1e-5  # Newton stops when the next step would shorten the distance by less

_R_MIN = GEOD.b**2 / GEOD.a  # smallest radius of curvature on WGS84 (metres)
_R_MAX = GEOD.a**2 / GEOD.b  # largest
_R_MEAN = 6_371_008.8
_HALF_EQUATOR = np.pi * GEOD.a  # longer than any shortest geodesic
_SLACK_M = 1e-4  # added to every chord -> geodesic bound (measured error: 5e-9 m)

_F = NDArray[np.float64]
_I = NDArray[np.int64]


def _ecef(lon: _F, lat: _F) -> _F:
    """Geocentric coordinates on the WGS84 ellipsoid surface, metres."""
    lam, phi = np.radians(lon), np.radians(lat)
    n = GEOD.a / np.sqrt(1.0 - GEOD.es * np.sin(phi) ** 2)
    return np.column_stack(
        [n * np.cos(phi) * np.cos(lam), n * np.cos(phi) * np.sin(lam), n * (1.0 - GEOD.es) * np.sin(phi)]
    )


def _geodesic_below(chord: _F) -> _F:
    """A lower bound on the geodesic distance between two surface points ``chord`` apart."""
    c = np.clip(chord, 0.0, 2.0 * _R_MAX)
    return np.asarray(2.0 * _R_MAX * np.arcsin(c / (2.0 * _R_MAX)) * (1.0 - 1e-8) - _SLACK_M)


def _geodesic_above(chord: _F) -> _F:
    """An upper bound on the geodesic distance between two surface points ``chord`` apart."""
    ratio = np.maximum(chord, 0.0) / (2.0 * _R_MIN)
    # Beyond 10,000 km (never near the layers' edges) fall back to the longest geodesic.
    near = chord < 1e7
    arc = 2.0 * _R_MIN * np.arcsin(np.where(near, ratio, 0.0)) * (1.0 + 1e-8) + _SLACK_M
    return np.where(near, arc, _HALF_EQUATOR)


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


def _group_starts(keys: _I) -> NDArray[np.bool_]:
    """True at the first row of each run of equal (sorted) keys: sort-and-mask, no np.unique."""
    first = np.ones(keys.size, dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return first


class LineDistanceArraysError(GeoError):
    """Arrays that are not a saved :class:`LineDistance` (``to_arrays``) of this layout."""


@dataclass
class _VertexTree:
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

        return cKDTree(_ecef(self.vx, self.vy), balanced_tree=False, compact_nodes=False)

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
        return _ecef(self.vx, self.vy)

    @classmethod
    def build(cls, ex: _F, ey: _F, edge: _I, chord: _F, sag: _F, group: int) -> _VertexTree:
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


# Per-edge arrays of a LineDistance, saved by to_arrays under these names.
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
    trees: tuple[_VertexTree, ...]  # one per class of edge length (and per line, with per_line)
    per_line: bool = False

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
        az, _, length = GEOD.inv(ax_, ay_, bx_, by_)
        length = np.asarray(length)
        a3, b3 = _ecef(ax_, ay_), _ecef(bx_, by_)
        chord = np.linalg.norm(b3 - a3, axis=1)
        sag = length**2 / (8.0 * _R_MIN) * (1.0 + 1e-6) + 1e-6
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
                    trees.append(_VertexTree.build(ex, ey, np.concatenate([e, e]), chord[e], sag[e], g))
        return cls(
            ax_, ay_, bx_, by_, line_, np.asarray(az), length, sag, a3, b3, tuple(trees), bool(per_line)
        )

    @property
    def max_edge_m(self) -> float:
        """The longest (geodesic) edge after splitting, metres."""
        return float(self.length.max()) if self.length.size else 0.0

    @functools.cached_property
    def _balls(self) -> tuple[cKDTree, _I, _F]:
        """Balls round groups of nearby vertices (one ECEF cube of ``_BALL_M`` each): tree of centres, tree id, radius.

        A point whose chord to every ball of a tree exceeds that ball's radius plus the
        tree's search bound has no edge of that tree within the radius (triangle inequality).
        """
        centres, owner, radius = [], [], []
        for i, vt in enumerate(self.trees):  # a few dozen trees
            v = _ecef(vt.vx, vt.vy)
            cell = np.floor(v / _BALL_M).astype(np.int64) + 1_000
            key = (cell[:, 0] * 4_096 + cell[:, 1]) * 4_096 + cell[:, 2]
            order = np.argsort(key, kind="stable")
            first = np.flatnonzero(_group_starts(key[order]))
            count = np.diff(np.append(first, order.size))
            c = np.add.reduceat(v[order], first, axis=0) / count[:, None]
            r = np.maximum.reduceat(np.linalg.norm(v[order] - np.repeat(c, count, axis=0), axis=1), first)
            centres.append(c)
            owner.append(np.full(first.size, i, np.int64))
            radius.append(r * (1.0 + 1e-9) + 1e-3)
        from scipy.spatial import cKDTree

        return cKDTree(np.concatenate(centres)), np.concatenate(owner), np.concatenate(radius)

    @functools.cached_property
    def _chords(self) -> tuple[_F, _F]:
        """Each edge's 3-D chord A->B and its squared length (never 0), metres."""
        ab = self.b_ecef - self.a_ecef
        return ab, np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-300)

    def _near_trees(self, p: _F, within_m: float) -> list[_I]:
        """Per tree, the points (rows of ``p``) that may have one of its edges within ``within_m``."""
        balls, owner, radius = self._balls
        reach = np.array([_search_bound(vt, within_m) for vt in self.trees])[owner] + radius
        from scipy.spatial import cKDTree

        pairs = cKDTree(p).sparse_distance_matrix(
            balls, max_distance=float(reach.max()), output_type="ndarray"
        )
        i, j = pairs["i"].astype(np.int64), pairs["j"].astype(np.int64)
        ok = pairs["v"] <= reach[j]
        hit = np.zeros((len(self.trees), p.shape[0]), dtype=bool)  # a few dozen trees x a chunk of points
        hit[owner[j[ok]], i[ok]] = True
        return [np.flatnonzero(row) for row in hit]

    # ------------------------------------------------------------------ saving

    def to_arrays(self) -> dict[str, NDArray[Any]]:
        """The index as plain numpy arrays (for ``numpy.savez``; no pickle, no object arrays).

        :meth:`from_arrays` gives back an index with the same answers; the KD-trees are
        rebuilt from the saved vertices on first use.
        """
        out: dict[str, NDArray[Any]] = {name: getattr(self, name) for name in _EDGE_FIELDS}
        out["format"] = np.array(FORMAT)
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
        fmt = None if "format" in missing or np.asarray(arrays["format"]).size != 1 else str(np.asarray(arrays["format"]).reshape(-1)[0])
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
            _VertexTree(vx, vy, ptr.astype(np.int64), edges.astype(np.int64), float(c), float(s), int(g))
            for vx, vy, ptr, edges, c, s, g in zip(
                np.split(a["tree_vx"], cut_v), np.split(a["tree_vy"], cut_v), np.split(a["tree_ptr"], cut_p),
                np.split(a["tree_edges"], cut_e), a["tree_chord_max"], a["tree_sag_max"], a["tree_group"],
                strict=True,
            )
        )  # fmt: skip
        edge = {k: a[k] for k in _EDGE_FIELDS}
        return cls(**edge, trees=trees, per_line=bool(a["per_line"].reshape(-1)[0]))

    # ------------------------------------------------------------------ queries

    def query(self, lon: ArrayLike, lat: ArrayLike) -> tuple[_F, _F, _F, _I]:
        """Geodesic distance (m) from each point to the nearest line, the nearest point, and its line index.

        NaN (and line -1) for points with a non-finite coordinate.
        """
        x, y = _flat(lon, lat)
        out_d = np.full(x.size, np.nan)
        out_x = np.full(x.size, np.nan)
        out_y = np.full(x.size, np.nan)
        out_i = np.full(x.size, -1, dtype=np.int64)
        ok = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
        for start in range(0, ok.size, _CHUNK):  # chunks of points, each vectorised
            rows = ok[start : start + _CHUNK]
            pts, _, d, fx, fy, edge = self._query_chunk(x[rows], y[rows], per_line=False, within_m=None)
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
        ok = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
        parts = []
        for start in range(0, ok.size, _CHUNK):
            rows = ok[start : start + _CHUNK]
            pts, line, d, fx, fy, _ = self._query_chunk(x[rows], y[rows], per_line=True, within_m=radius)
            near = d <= radius
            parts.append((rows[pts[near]], line[near], d[near], fx[near], fy[near]))
        if not parts:
            e = np.zeros(0)
            return np.zeros(0, np.int64), np.zeros(0, np.int64), e, e.copy(), e.copy()
        point, line, d, fx, fy = (np.concatenate(v) for v in zip(*parts, strict=True))
        order = np.lexsort((line, d, point))
        return point[order], line[order], d[order], fx[order], fy[order]

    # ------------------------------------------------------------------ steps

    def _query_chunk(
        self, x: _F, y: _F, *, per_line: bool, within_m: float | None
    ) -> tuple[_I, _I, _F, _F, _F, _I]:
        """(point, line group, distance, foot lon, foot lat, edge): one row per point (and per line, per_line)."""
        p = _ecef(x, y)
        n_groups = int(self.edge_line.max()) + 1 if per_line else 1
        upper = np.full((n_groups, x.size), np.inf if within_m is None else within_m)
        found = []
        near = self._near_trees(p, within_m) if within_m is not None else None
        for i in np.argsort([-vt.chord_max for vt in self.trees], kind="stable").tolist():
            vt = self.trees[i]  # long edges first: fewer vertices give each point an upper bound sooner
            g = vt.group if per_line else 0
            todo = near[i] if near is not None else np.arange(x.size)
            pts, edges, t, lower = self._candidates(vt, p, todo, upper[g])
            found.append((pts, edges, t, lower, np.full(pts.size, g, np.int64)))
        pts, edges, t, lower, grp = (np.concatenate(v) for v in zip(*found, strict=True))
        # Drop what a later tree's tighter bound rules out, then one row per (point, edge):
        # an edge is found from both of its ends.
        keep = lower <= upper[grp, pts]
        pts, edges, t, lower, grp = pts[keep], edges[keep], t[keep], lower[keep], grp[keep]
        key = pts * np.int64(self.az.size) + edges
        order = np.argsort(key, kind="stable")
        order = order[_group_starts(key[order])]
        # Runs of one (line group, point), the smallest lower bound first.
        run_key = grp[order] * np.int64(x.size) + pts[order]
        order = order[np.lexsort((lower[order], run_key))]
        pts, edges, t, lower, grp = pts[order], edges[order], t[order], lower[order], grp[order]
        start = _group_starts(grp * np.int64(x.size) + pts)
        run = np.cumsum(start) - 1
        first = np.flatnonzero(start)
        # Stage 1: the likeliest edge of each run, exactly; its distance bounds the others.
        d1, fx1, fy1 = self._foot(
            x[pts[first]], y[pts[first]], edges[first], t[first] * self.length[edges[first]]
        )
        rest = np.flatnonzero(~start & (lower <= d1[run]))
        d2, fx2, fy2 = self._foot(x[pts[rest]], y[pts[rest]], edges[rest], t[rest] * self.length[edges[rest]])
        c_run = np.concatenate([np.arange(first.size), run[rest]])
        c_d, c_x, c_y = np.concatenate([d1, d2]), np.concatenate([fx1, fx2]), np.concatenate([fy1, fy2])
        c_edge = np.concatenate([edges[first], edges[rest]])
        # The minimum per run: order by distance within each run, take the first.
        best = np.lexsort((c_edge, c_d, c_run))
        best = best[_group_starts(c_run[best])]
        head = first[c_run[best]]
        return pts[head], grp[head], c_d[best], c_x[best], c_y[best], c_edge[best]

    def _candidates(self, vt: _VertexTree, p: _F, todo: _I, upper: _F) -> tuple[_I, _I, _F, _F]:
        """(point, edge, t, lower) rows of ``vt`` that may hold each point's nearest line point.

        ``t`` is the position of the point's foot on the edge's chord, in [0, 1]; ``upper``
        (per point: a radius, or what earlier trees found) is tightened in place, and the
        tree search stops at the chord within which any edge nearer than it has a vertex.
        """
        n_vertices = vt.vx.size
        reach = _search_bound(vt, 0.0)
        k = min(_K0, n_vertices)
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
            k = min(_GROW * k, n_vertices)
        if not out:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
        pts, edges, t, lower = (np.concatenate(v) for v in zip(*out, strict=True))
        return pts, edges, t, lower

    def _bound(
        self, vt: _VertexTree, p: _F, rows: _I, dist: _F, idx: _I, upper: _F, *, complete: bool
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
        lower = _geodesic_below(chord - sag)
        best = upper[rows].copy()
        has = per_row > 0
        if has.any():
            # The bound grows with the chord: the nearest chord gives each row's upper bound.
            first = (np.cumsum(per_row) - per_row)[has]
            best[has] = np.minimum(best[has], _geodesic_above(np.minimum.reduceat(chord + sag, first)))
        upper[rows] = best
        if complete:
            done = np.ones(rows.size, dtype=bool)
        else:
            # Edges with neither end among the k nearest: both ends at least r_k away (or
            # beyond the search's bound, when fewer than k vertices lie inside it).
            r_k = dist[:, -1]
            far = np.sqrt(np.maximum(r_k**2 - vt.chord_max**2 / 4.0, 0.0)) - vt.sag_max
            done = ~np.isfinite(r_k) | (_geodesic_below(far) > best)
        keep = done[row] & (lower <= best[row])
        return (pt[keep], edges[keep], t[keep], lower[keep]), done

    def _foot(self, px: _F, py: _F, e: _I, s0: _F) -> tuple[_F, _F, _F]:
        """Distance from P to geodesic edge e and the nearest point on it (Newton along the edge from s0).

        The returned distance is the exact ``Geod.inv`` distance to the returned point; it
        stops when one more step would shorten it by less than ``_TOL_M``.
        """
        ax, ay, az, length = self.ax[e], self.ay[e], self.az[e], self.length[e]
        s = np.clip(s0, 0.0, length)
        d = np.empty(e.size)
        fx = np.empty(e.size)
        fy = np.empty(e.size)
        act = np.arange(e.size)
        for _ in range(10):
            x1, y1, back = GEOD.fwd(ax[act], ay[act], az[act], s[act])
            az_fp, _, d_fp = GEOD.inv(x1, y1, px[act], py[act])
            d[act], fx[act], fy[act] = d_fp, x1, y1
            theta = np.radians(np.asarray(az_fp) - (np.asarray(back) + 180.0))
            # Along-track distance to the foot, spherical: exact on a plane, close on the ellipsoid.
            ang = np.asarray(d_fp) / _R_MEAN
            along = _R_MEAN * np.arctan2(np.sin(ang) * np.cos(theta), np.cos(ang))
            s_new = np.clip(s[act] + along, 0.0, length[act])
            moved = s_new - s[act]
            s[act] = s_new
            act = act[moved**2 > 2.0 * _TOL_M * np.asarray(d_fp)]
            if not act.size:
                break
        return d, fx, fy


def _search_bound(vt: _VertexTree, within_m: float) -> float:
    """The chord within which every edge of ``vt`` that comes within ``within_m`` has a vertex."""
    return within_m + 1.001 * vt.chord_max + vt.sag_max + 1.0


def _flat(lon: ArrayLike, lat: ArrayLike) -> tuple[_F, _F]:
    x = np.atleast_1d(np.asarray(lon, dtype=float)).ravel()
    y = np.atleast_1d(np.asarray(lat, dtype=float)).ravel()
    return x, y
