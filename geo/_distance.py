"""Exact geodesic distance from many points to a set of lines (coasts, zone limits).

Method (measured in PITFALLS.md; no planar shortcut):

1. Every line vertex goes into a KD-tree in ECEF coordinates (metres).
2. For each point, the nearest vertex gives an upper bound ``U`` on the distance (a
   vertex lies on the line; its geodesic distance is exact).
3. An edge of length ``L`` can hold a point within ``U`` of P only if one of its end
   vertices lies within ``U + L`` of P; the chord never exceeds the geodesic, so a
   chord search of radius ``U + L_max`` misses no candidate edge.
4. On each (point, candidate edge) pair the foot of the perpendicular on the geodesic
   edge is found by a few Newton steps along the edge (``Geod.fwd``/``Geod.inv``), and
   the distance to it is a ``Geod.inv`` call: exact on the ellipsoid, to well below 1 m.

All steps are vectorised over (point, edge) pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from geo.geodesy import GEOD

__all__ = ["LineDistance"]

_MAX_EDGE_M = 20_000.0  # longer edges are cut into geodesic pieces at build time

_R_MIN = GEOD.b**2 / GEOD.a  # smallest radius of curvature on WGS84 (metres)
_R_MAX = GEOD.a**2 / GEOD.b  # largest

_F = NDArray[np.float64]
_I = NDArray[np.int64]


def _ecef(lon: _F, lat: _F) -> _F:
    """Geocentric coordinates on the WGS84 ellipsoid surface, metres."""
    lam, phi = np.radians(lon), np.radians(lat)
    n = GEOD.a / np.sqrt(1.0 - GEOD.es * np.sin(phi) ** 2)
    return np.column_stack(
        [n * np.cos(phi) * np.cos(lam), n * np.cos(phi) * np.sin(lam), n * (1.0 - GEOD.es) * np.sin(phi)]
    )


def _split_long(
    ax: _F, ay: _F, bx: _F, by: _F, line: _I, az: _F, length: _F, long: NDArray[np.bool_]
) -> tuple[_F, _F, _F, _F, _I]:
    """Replace each long edge by n equal geodesic pieces (vectorised over the pieces)."""
    n = np.ceil(length[long] / _MAX_EDGE_M).astype(np.int64)
    edge = np.repeat(np.flatnonzero(long), n)
    k = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    step = np.repeat(length[long] / n, n)
    x0, y0, _ = GEOD.fwd(ax[edge], ay[edge], az[edge], k * step)
    x1, y1, _ = GEOD.fwd(ax[edge], ay[edge], az[edge], (k + 1) * step)
    keep = ~long
    return (
        np.concatenate([ax[keep], x0]), np.concatenate([ay[keep], y0]),
        np.concatenate([bx[keep], x1]), np.concatenate([by[keep], y1]),
        np.concatenate([line[keep], line[edge]]),
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
    vertex_edges: _I  # (n_vertices, 2): edges that touch each vertex (-1 where none)
    tree: cKDTree
    a_ecef: _F
    b_ecef: _F
    vx: _F  # lon/lat of the KD-tree's vertices
    vy: _F

    @classmethod
    def build(cls, lines: ArrayLike) -> LineDistance:
        """Index the edges of ``lines`` (shapely LineStrings/MultiLineStrings or polygons' rings, lon/lat)."""
        geoms = np.asarray(lines, dtype=object)
        parts, owner = shapely.get_parts(geoms, return_index=True)
        coords, ring_of = shapely.get_coordinates(parts, return_index=True)
        a = np.flatnonzero(ring_of[1:] == ring_of[:-1])
        b = a + 1
        return cls.from_segments(
            coords[a, 0], coords[a, 1], coords[b, 0], coords[b, 1], owner[ring_of[a]].astype(np.int64)
        )

    @classmethod
    def from_segments(cls, ax: _F, ay: _F, bx: _F, by: _F, line: _I) -> LineDistance:
        """Index loose segments A->B (lon/lat), each tagged with the index of the line it belongs to."""
        ax, ay, bx, by = (np.asarray(v, dtype=float) for v in (ax, ay, bx, by))
        line = np.asarray(line, dtype=np.int64)
        if ax.size == 0:
            raise ValueError("LineDistance needs at least one line with two vertices")
        az, _, length = GEOD.inv(ax, ay, bx, by)
        long = np.asarray(length) > _MAX_EDGE_M
        if long.any():
            # Long edges would widen every query's search ball: cut them into geodesic
            # pieces (the same curve, so the same distances).
            ax, ay, bx, by, line = _split_long(ax, ay, bx, by, line, np.asarray(az), np.asarray(length), long)
            az, _, length = GEOD.inv(ax, ay, bx, by)
        # Each segment contributes its two ends as vertices of the KD-tree.
        edge_ids = np.arange(ax.size)
        vertex_edges = np.stack(
            [np.stack([edge_ids, edge_ids], axis=1).ravel(), np.full(2 * ax.size, -1)], axis=1
        )
        vx = np.stack([ax, bx], axis=1).ravel()
        vy = np.stack([ay, by], axis=1).ravel()
        tree = cKDTree(_ecef(vx, vy))
        return cls(
            ax, ay, bx, by, line, np.asarray(az), np.asarray(length),
            vertex_edges.astype(np.int64), tree, _ecef(ax, ay), _ecef(bx, by), vx, vy,
        )  # fmt: skip

    @property
    def max_edge_m(self) -> float:
        return float(self.length.max()) if self.length.size else 0.0

    def query(self, lon: ArrayLike, lat: ArrayLike) -> tuple[_F, _F, _F, _I]:
        """Geodesic distance (m) from each point to the nearest line, the nearest point, and its line index."""
        x = np.atleast_1d(np.asarray(lon, dtype=float)).ravel()
        y = np.atleast_1d(np.asarray(lat, dtype=float)).ravel()
        p = _ecef(x, y)
        _, nearest = self.tree.query(p)
        # Upper bound: geodesic distance to the nearest vertex (exact, it is on a line).
        vlon, vlat = self._vertex_lonlat(nearest)
        _, _, upper = GEOD.inv(x, y, vlon, vlat)
        radius = np.asarray(upper) + self.max_edge_m + 1.0
        pts, verts = self._ball(p, radius)
        edges = self.vertex_edges[verts].ravel()
        pts = np.repeat(pts, 2)
        keep = edges >= 0
        pts, edges = pts[keep], edges[keep]
        # One row per (point, edge): dedupe the edges seen from both of their vertices.
        key = np.unique(pts * np.int64(self.az.size) + edges)
        pts, edges = key // self.az.size, key % self.az.size
        pts, edges = self._prune(p, pts, edges)
        d, fx, fy = self._foot(x[pts], y[pts], edges)
        # The minimum per point: sort by (point, distance) and take each point's first row.
        order = np.lexsort((d, pts))
        first = np.ones(order.size, dtype=bool)
        first[1:] = pts[order][1:] != pts[order][:-1]
        best = order[first]
        out_d = np.full(x.size, np.nan)
        out_x = np.full(x.size, np.nan)
        out_y = np.full(x.size, np.nan)
        out_i = np.full(x.size, -1, dtype=np.int64)
        out_d[pts[best]] = d[best]
        out_x[pts[best]] = fx[best]
        out_y[pts[best]] = fy[best]
        out_i[pts[best]] = self.edge_line[edges[best]]
        return out_d, out_x, out_y, out_i

    def _prune(self, p: _F, pts: _I, edges: _I) -> tuple[_I, _I]:
        """Drop (point, edge) pairs that cannot hold the nearest point, by chord bounds.

        The geodesic edge bulges out of the straight 3-D segment AB by at most its sagitta
        ``L**2 / (8 R_min)``, so the chord from P to the edge lies within ``chord_to_segment
        +/- sagitta``. A geodesic's curvature as a space curve is a normal curvature of the
        ellipsoid, between ``1 / R_max`` (``a**2 / b``) and ``1 / R_min`` (``b**2 / a``): the
        arc of that chord on the sphere of radius R_min bounds the distance from above, and
        on the sphere of radius R_max (less 1 m, for the geodesic's slight torsion) from
        below. The bounds are 20 m apart at 1,000 km, so few pairs survive.
        """
        a3 = self.a_ecef[edges]
        ab = self.b_ecef[edges] - a3
        ap = p[pts] - a3
        t = np.clip(
            np.einsum("ij,ij->i", ap, ab) / np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-300), 0.0, 1.0
        )
        chord = np.linalg.norm(ap - t[:, None] * ab, axis=1)
        sag = self.length[edges] ** 2 / (8.0 * _R_MIN) + 1e-3
        lower = 2.0 * _R_MAX * np.arcsin(np.clip((chord - sag) / (2.0 * _R_MAX), 0.0, 1.0)) - 1.0
        upper = 2.0 * _R_MIN * np.arcsin(np.minimum((chord + sag) / (2.0 * _R_MIN), 1.0)) + 1e-3
        best_upper = np.full(p.shape[0], np.inf)
        np.minimum.at(best_upper, pts, upper)
        keep = lower <= best_upper[pts]
        return pts[keep], edges[keep]

    def _vertex_lonlat(self, idx: _I) -> tuple[_F, _F]:
        return self.vx[idx], self.vy[idx]

    def _ball(self, p: _F, radius: _F) -> tuple[_I, _I]:
        """All (point, vertex) pairs within each point's chord radius, vectorised by doubling k."""
        n_vertices = self.tree.n
        todo = np.arange(p.shape[0])
        k = 16
        pts_out: list[_I] = []
        verts_out: list[_I] = []
        while todo.size:
            kk = min(k, n_vertices)
            dist, idx = self.tree.query(p[todo], k=kk)
            dist = dist.reshape(todo.size, kk)
            idx = idx.reshape(todo.size, kk)
            inside = dist <= radius[todo, None]
            full = inside[:, -1] & (kk < n_vertices)
            done = ~full
            hit = inside[done]
            pts_out.append(np.repeat(todo[done], hit.sum(axis=1)))
            verts_out.append(idx[done][hit].astype(np.int64))
            todo = todo[full]
            k *= 4
        return np.concatenate(pts_out), np.concatenate(verts_out)

    def _foot(self, px: _F, py: _F, e: _I) -> tuple[_F, _F, _F]:
        """Distance from P to geodesic edge e, and the nearest point on it (Newton along the edge)."""
        ax, ay, az, length = self.ax[e], self.ay[e], self.az[e], self.length[e]
        az_ap, _, d_ap = GEOD.inv(ax, ay, px, py)
        s = np.clip(d_ap * np.cos(np.radians(az_ap - az)), 0.0, length)
        for _ in range(2):
            fx, fy, back = GEOD.fwd(ax, ay, az, s)
            heading = np.asarray(back) + 180.0  # direction of travel at the foot
            az_fp, _, d_fp = GEOD.inv(fx, fy, px, py)
            step = d_fp * np.cos(np.radians(np.asarray(az_fp) - heading))
            s = np.clip(s + step, 0.0, length)
        fx, fy, _ = GEOD.fwd(ax, ay, az, s)
        _, _, d = GEOD.inv(fx, fy, px, py)
        return np.asarray(d), np.asarray(fx), np.asarray(fy)
