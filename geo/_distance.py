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
4. Candidates whose lower bound exceeds ``U`` are dropped; on the rest the foot of the
   perpendicular on the geodesic edge is found by Newton steps along the edge
   (``Geod.fwd``/``Geod.inv``) until the step changes the distance by < 10 um, and the
   distance to that foot is a ``Geod.inv``: exact on the ellipsoid.

Chord -> geodesic bounds: a geodesic of length ``g`` has a chord between those of the arcs
of length ``g`` on spheres of radius ``R_min = b**2 / a`` and ``R_max = a**2 / b`` (the
extremes of the ellipsoid's normal curvature; checked on 2 M random geodesics of 1 m to
9,000 km: both hold to 5e-9 m). A geodesic edge of length ``L`` stays within its sagitta
``L**2 / (8 R_min)`` of the straight 3-D segment between its ends.

Points are processed in chunks (bounded memory); every step is vectorised over
(point, edge) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from geo.geodesy import GEOD

__all__ = ["LineDistance"]

_MAX_EDGE_M = 4_000.0  # default: longer edges are cut into geodesic pieces at build time
_FINE_M = 250.0  # edges up to this long get a KD-tree of their own (see _VertexTree)
_CHUNK = 1 << 15  # points per chunk: bounds the (point, edge) arrays to some 100 MB
_PAIRS = 1 << 21  # (point, vertex) pairs per KD-tree call when k grows
_K0 = 8  # nearest vertices tried first
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


@dataclass
class _VertexTree:
    """The distinct vertices of one class of edges (by length), in a KD-tree, with their edges.

    Short and long edges are kept apart because the completeness test (module docstring,
    step 3) widens each search by ``c_max**2 / (8 r)``: long edges in the same tree would
    widen it near dense coasts, and cutting every edge short would fill a far point's
    search shell with vertices.
    """

    tree: cKDTree
    vx: _F  # lon/lat of the vertices
    vy: _F
    ptr: _I  # CSR: the edges touching vertex v are edges[ptr[v]:ptr[v + 1]]
    edges: _I
    chord_max: float  # the longest chord among these edges, metres
    sag_max: float

    @classmethod
    def build(cls, ex: _F, ey: _F, edge: _I, chord: _F, sag: _F) -> _VertexTree:
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
        return cls(
            cKDTree(_ecef(vx, vy), balanced_tree=False, compact_nodes=False), vx, vy, ptr, edge[np.argsort(vertex_of, kind="stable")],
            float(chord.max()), float(sag.max()),
        )  # fmt: skip


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
    trees: tuple[_VertexTree, ...]  # one per class of edge length

    @classmethod
    def build(cls, lines: ArrayLike, *, max_edge_m: float | None = None) -> LineDistance:
        """Index the edges of ``lines`` (shapely LineStrings/MultiLineStrings or polygons' rings, lon/lat)."""
        geoms = np.asarray(lines, dtype=object)
        parts, owner = shapely.get_parts(geoms, return_index=True)
        coords, ring_of = shapely.get_coordinates(parts, return_index=True)
        a = np.flatnonzero(ring_of[1:] == ring_of[:-1])
        b = a + 1
        return cls.from_segments(
            coords[a, 0], coords[a, 1], coords[b, 0], coords[b, 1], owner[ring_of[a]].astype(np.int64),
            max_edge_m=max_edge_m,
        )  # fmt: skip

    @classmethod
    def from_segments(
        cls, ax: ArrayLike, ay: ArrayLike, bx: ArrayLike, by: ArrayLike, line: ArrayLike,
        *, max_edge_m: float | None = None,
    ) -> LineDistance:  # fmt: skip
        """Index loose geodesic segments A->B (lon/lat), each tagged with the index of the line it belongs to.

        ``max_edge_m`` (default 4 km): longer segments are cut into geodesic pieces. The
        answers do not depend on it (the pieces are the same curve), only the speed does.
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
        trees = []
        for fine in (True, False):
            e = np.flatnonzero((length <= _FINE_M) == fine)
            if e.size:
                ex, ey = np.concatenate([ax_[e], bx_[e]]), np.concatenate([ay_[e], by_[e]])
                trees.append(_VertexTree.build(ex, ey, np.concatenate([e, e]), chord[e], sag[e]))
        return cls(ax_, ay_, bx_, by_, line_, np.asarray(az), length, sag, a3, b3, tuple(trees))

    @property
    def max_edge_m(self) -> float:
        """The longest (geodesic) edge after splitting, metres."""
        return float(self.length.max()) if self.length.size else 0.0

    def query(self, lon: ArrayLike, lat: ArrayLike) -> tuple[_F, _F, _F, _I]:
        """Geodesic distance (m) from each point to the nearest line, the nearest point, and its line index.

        NaN (and line -1) for points with a non-finite coordinate.
        """
        x = np.atleast_1d(np.asarray(lon, dtype=float)).ravel()
        y = np.atleast_1d(np.asarray(lat, dtype=float)).ravel()
        out_d = np.full(x.size, np.nan)
        out_x = np.full(x.size, np.nan)
        out_y = np.full(x.size, np.nan)
        out_i = np.full(x.size, -1, dtype=np.int64)
        ok = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
        for start in range(0, ok.size, _CHUNK):  # chunks of points, each vectorised
            rows = ok[start : start + _CHUNK]
            d, fx, fy, edge = self._query_chunk(x[rows], y[rows])
            out_d[rows], out_x[rows], out_y[rows] = d, fx, fy
            out_i[rows] = self.edge_line[edge]
        return out_d, out_x, out_y, out_i

    # ------------------------------------------------------------------ steps

    def _query_chunk(self, x: _F, y: _F) -> tuple[_F, _F, _F, _I]:
        p = _ecef(x, y)
        upper = np.full(x.size, np.inf)
        found = [self._candidates(vt, x, y, p, upper) for vt in self.trees]
        # Drop what a later tree's tighter bound rules out, then one row per (point, edge):
        # an edge is found from both of its ends.
        pts, edges, t, lower = (np.concatenate(v) for v in zip(*found, strict=True))
        keep = lower <= upper[pts]
        pts, edges, t = pts[keep], edges[keep], t[keep]
        key = pts * np.int64(self.az.size) + edges
        order = np.argsort(key, kind="stable")
        order = order[_group_starts(key[order])]
        pts, edges, t = pts[order], edges[order], t[order]
        d, fx, fy = self._foot(x[pts], y[pts], edges, t * self.length[edges])
        # The minimum per point: order by distance within each point, take the first.
        best = np.lexsort((edges, d, pts))
        best = best[_group_starts(pts[best])]
        return d[best], fx[best], fy[best], edges[best]

    def _candidates(self, vt: _VertexTree, x: _F, y: _F, p: _F, upper: _F) -> tuple[_I, _I, _F, _F]:
        """(point, edge, t, lower) rows of ``vt`` that may hold each point's nearest line point.

        ``t`` is the position of the point's foot on the edge's chord, in [0, 1]; ``upper``
        (per point) is tightened in place.
        """
        n_vertices = vt.tree.n
        todo = np.arange(p.shape[0])
        k = min(_K0, n_vertices)
        out: list[tuple[_I, _I, _F, _F]] = []
        while todo.size:
            later: list[_I] = []
            step = max(1, _PAIRS // k)
            for s in range(0, todo.size, step):  # slices keep k * points bounded
                rows = todo[s : s + step]
                dist, idx = vt.tree.query(p[rows], k=k)
                dist, idx = dist.reshape(rows.size, k), idx.reshape(rows.size, k).astype(np.int64)
                if k == min(_K0, n_vertices):
                    # The nearest vertex lies on a line: its exact distance is an upper bound.
                    _, _, g = GEOD.inv(x[rows], y[rows], vt.vx[idx[:, 0]], vt.vy[idx[:, 0]])
                    upper[rows] = np.minimum(upper[rows], np.asarray(g) + 1e-6)
                found, done = self._bound(vt, p, rows, dist, idx, upper, complete=k >= n_vertices)
                out.append(found)
                later.append(rows[~done])
            todo = np.concatenate(later)
            k = min(4 * k, n_vertices)
        pts, edges, t, lower = (np.concatenate(v) for v in zip(*out, strict=True))
        return pts, edges, t, lower

    def _bound(
        self, vt: _VertexTree, p: _F, rows: _I, dist: _F, idx: _I, upper: _F, *, complete: bool
    ) -> tuple[tuple[_I, _I, _F, _F], NDArray[np.bool_]]:
        """Chord bounds on the edges at each row's k nearest vertices; which rows are complete."""
        flat = idx.ravel()
        start, count = vt.ptr[flat], vt.ptr[flat + 1] - vt.ptr[flat]
        per_row = count.reshape(idx.shape).sum(axis=1)
        row = np.repeat(np.arange(rows.size), per_row)
        within = np.arange(row.size) - np.repeat(np.cumsum(count) - count, count)
        edges = vt.edges[np.repeat(start, count) + within]
        pt = rows[row]
        a3 = self.a_ecef[edges]
        ab = self.b_ecef[edges] - a3
        ap = p[pt] - a3
        t = np.clip(
            np.einsum("ij,ij->i", ap, ab) / np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-300), 0.0, 1.0
        )
        chord = np.linalg.norm(ap - t[:, None] * ab, axis=1)
        sag = self.sag[edges]
        lower = _geodesic_below(chord - sag)
        first = np.cumsum(per_row) - per_row  # every vertex has an edge, so no row is empty
        best = np.minimum(upper[rows], np.minimum.reduceat(_geodesic_above(chord + sag), first))
        upper[rows] = best
        if complete:
            done = np.ones(rows.size, dtype=bool)
        else:
            # Edges with neither end among the k nearest: both ends at least r_k away.
            r_k = dist[:, -1]
            far = np.sqrt(np.maximum(r_k**2 - vt.chord_max**2 / 4.0, 0.0)) - vt.sag_max
            done = _geodesic_below(far) > best
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
