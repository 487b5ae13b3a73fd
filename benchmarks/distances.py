"""Exact geodesic distances to the coast and to every EEZ limit: geo against its old algorithm, same run.

    python benchmarks/distances.py --sizes 10000,100000,1000000

prints one JSON line per size (each size runs in a fresh process, so ``peak_rss_mb`` is that
size's own peak). Points are seeded: uniform over the north-west Pacific box (100-180 E,
0-65 N) outside the land layer, 80 %, and 20 % within 0-20 km of a random coast vertex
(also at sea). The indexes: the coast that :func:`geo.assess.zone_index` builds (its private
``_coasts``, read here only) and every limit in one index (:func:`geo.assess.limits.limit_index`
on the same layers), built before the clock starts.

Rates are ``n / CPU seconds`` of this process (``time.process_time``: the machine is
shared, so wall time would measure the neighbours), one thread; each query runs ``--repeat``
times (default 3) on the same points and the rate is the median (every call's rate is
printed too: ``*_each_run``, the first after the build, with cold caches, included).

* ``coast_pts_per_s``: distance to the nearest coast.
* ``limits_pts_per_s``: distance to *every* country's EEZ limit within ``NEAR_LIMIT_KM``
  (1,000 km), all countries in one batched query
  (:func:`geo.assess.limits.limit_index`, ``LineDistance.nearest_per_line``);
  ``limit_pairs_per_point`` is how many (point, country) answers that gives.
* Baselines, on the first ``--baseline-points`` (default 10,000) points, rates per point
  (comparable with ours at any size): one index a country queried with all the points
  (:func:`geo.assess.limits.limit_lines`, what ``ZoneIndex`` did before the batched query;
  its answers within the radius must be the batched ones: the script stops otherwise),
  and the previous ``LineDistance`` (commit 78157dd, copied below as ``OldLineDistance``)
  built from the very same segments (the issue measured 14 minutes and 11.6 GB for the
  coast at 1e5 points with it).
* Error: ``|geo - reference|`` on ``--check`` points (coast) and point-country pairs
  (limits). The reference is independent of the code under test: per point, an
  azimuthal-equidistant projection centred on the point (exact distances from its
  centre, PROJ's ``aeqd`` on WGS84); every edge with an end within ``d + 2.5 km`` chord
  of the point (``d`` the distance under test: a nearer edge is always inside) is
  densified geodesically (``Geod.fwd``) to <= 5 m, projected, and the planar distance
  from the origin to those polylines is the reference.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import cKDTree

from geo.geodesy import GEOD


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# --------------------------------------------------------------------------- baseline

_OLD_MAX_EDGE_M = 20_000.0  # longer edges are cut into geodesic pieces at build time

_OLD_R_MIN = GEOD.b**2 / GEOD.a  # smallest radius of curvature on WGS84 (metres)
_OLD_R_MAX = GEOD.a**2 / GEOD.b  # largest

_F = NDArray[np.float64]
_I = NDArray[np.int64]


def _old_ecef(lon: _F, lat: _F) -> _F:
    """Geocentric coordinates on the WGS84 ellipsoid surface, metres."""
    lam, phi = np.radians(lon), np.radians(lat)
    n = GEOD.a / np.sqrt(1.0 - GEOD.es * np.sin(phi) ** 2)
    return np.column_stack(
        [n * np.cos(phi) * np.cos(lam), n * np.cos(phi) * np.sin(lam), n * (1.0 - GEOD.es) * np.sin(phi)]
    )


def _old_split_long(
    ax: _F, ay: _F, bx: _F, by: _F, line: _I, az: _F, length: _F, long: NDArray[np.bool_]
) -> tuple[_F, _F, _F, _F, _I]:
    """Replace each long edge by n equal geodesic pieces (vectorised over the pieces)."""
    n = np.ceil(length[long] / _OLD_MAX_EDGE_M).astype(np.int64)
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
class OldLineDistance:
    """geo._distance.LineDistance as of commit 78157dd (the baseline), unchanged."""

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
    def build(cls, lines: ArrayLike) -> OldLineDistance:
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
    def from_segments(cls, ax: _F, ay: _F, bx: _F, by: _F, line: _I) -> OldLineDistance:
        """Index loose segments A->B (lon/lat), each tagged with the index of the line it belongs to."""
        ax, ay, bx, by = (np.asarray(v, dtype=float) for v in (ax, ay, bx, by))
        line = np.asarray(line, dtype=np.int64)
        if ax.size == 0:
            raise ValueError("LineDistance needs at least one line with two vertices")
        az, _, length = GEOD.inv(ax, ay, bx, by)
        long = np.asarray(length) > _OLD_MAX_EDGE_M
        if long.any():
            # Long edges would widen every query's search ball: cut them into geodesic
            # pieces (the same curve, so the same distances).
            ax, ay, bx, by, line = _old_split_long(
                ax, ay, bx, by, line, np.asarray(az), np.asarray(length), long
            )
            az, _, length = GEOD.inv(ax, ay, bx, by)
        # Each segment contributes its two ends as vertices of the KD-tree.
        edge_ids = np.arange(ax.size)
        vertex_edges = np.stack(
            [np.stack([edge_ids, edge_ids], axis=1).ravel(), np.full(2 * ax.size, -1)], axis=1
        )
        vx = np.stack([ax, bx], axis=1).ravel()
        vy = np.stack([ay, by], axis=1).ravel()
        tree = cKDTree(_old_ecef(vx, vy))
        return cls(
            ax, ay, bx, by, line, np.asarray(az), np.asarray(length),
            vertex_edges.astype(np.int64), tree, _old_ecef(ax, ay), _old_ecef(bx, by), vx, vy,
        )  # fmt: skip

    @property
    def max_edge_m(self) -> float:
        return float(self.length.max()) if self.length.size else 0.0

    def query(self, lon: ArrayLike, lat: ArrayLike) -> tuple[_F, _F, _F, _I]:
        """Geodesic distance (m) from each point to the nearest line, the nearest point, and its line index."""
        x = np.atleast_1d(np.asarray(lon, dtype=float)).ravel()
        y = np.atleast_1d(np.asarray(lat, dtype=float)).ravel()
        p = _old_ecef(x, y)
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
        sag = self.length[edges] ** 2 / (8.0 * _OLD_R_MIN) + 1e-3
        lower = 2.0 * _OLD_R_MAX * np.arcsin(np.clip((chord - sag) / (2.0 * _OLD_R_MAX), 0.0, 1.0)) - 1.0
        upper = 2.0 * _OLD_R_MIN * np.arcsin(np.minimum((chord + sag) / (2.0 * _OLD_R_MIN), 1.0)) + 1e-3
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


# --------------------------------------------------------------------------- points


def _points(zi: Any, coast: Any, n: int, seed: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """n sea points: 80 % uniform over the box, 20 % within 0-20 km of a coast vertex."""
    rng = np.random.default_rng(seed)
    xs: list[NDArray[np.float64]] = []
    ys: list[NDArray[np.float64]] = []
    need_far, need_near = n - n // 5, n // 5
    while need_far > 0 or need_near > 0:
        m = 2 * max(need_far, need_near) + 100
        x, y = rng.uniform(100, 180, m), rng.uniform(0, 65, m)
        v = rng.integers(0, coast.ax.size, m)
        nx, ny, _ = GEOD.fwd(coast.ax[v], coast.ay[v], rng.uniform(0, 360, m), rng.uniform(0, 20e3, m))
        for px, py, key in ((x, y, "far"), (np.asarray(nx), np.asarray(ny), "near")):
            inbox = (px >= 100) & (px <= 180) & (py >= 0) & (py <= 65)
            px, py = px[inbox], py[inbox]
            hit, _ = zi.lookup("land", px, py)
            sea = np.ones(px.size, dtype=bool)
            sea[hit] = False
            px, py = px[sea], py[sea]
            take = need_far if key == "far" else need_near
            xs.append(px[:take])
            ys.append(py[:take])
            if key == "far":
                need_far -= min(take, px.size)
            else:
                need_near -= min(take, px.size)
    return np.concatenate(xs), np.concatenate(ys)


# --------------------------------------------------------------------------- reference


def _reference(lon: float, lat: float, d: float, ld: Any) -> float:
    """Distance from (lon, lat) to the lines of ``ld`` in the point's own azimuthal equidistant projection."""
    from pyproj import CRS, Transformer

    from geo._distance_bounds import ecef as _ecef

    p = _ecef(np.array([lon]), np.array([lat]))[0]
    near = np.flatnonzero(
        (np.linalg.norm(ld.a_ecef - p, axis=1) <= d + 2_500.0)
        | (np.linalg.norm(ld.b_ecef - p, axis=1) <= d + 2_500.0)
    )
    n = np.maximum(np.ceil(ld.length[near] / 5.0), 1).astype(np.int64)
    edge = np.repeat(near, n + 1)
    k = np.arange(edge.size) - np.repeat(np.cumsum(n + 1) - (n + 1), n + 1)
    s = k * np.repeat(ld.length[near] / n, n + 1)
    x, y, _ = GEOD.fwd(ld.ax[edge], ld.ay[edge], ld.az[edge], s)
    aeqd = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    px, py = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True).transform(x, y)
    xy = np.column_stack([px, py])
    a, b = xy[:-1], xy[1:]
    same = edge[:-1] == edge[1:]
    a, b = a[same], b[same]
    ab = b - a
    t = np.clip(-np.einsum("ij,ij->i", a, ab) / np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-300), 0, 1)
    return float(np.min(np.linalg.norm(a + t[:, None] * ab, axis=1)))


def _errors(
    x: NDArray[np.float64], y: NDArray[np.float64], d: NDArray[np.float64], lds: list[Any]
) -> dict[str, float]:
    err = np.array(
        [
            abs(_reference(float(a), float(b), float(c), ld) - c)
            for a, b, c, ld in zip(x, y, d, lds, strict=True)
        ]
    )
    return {"max_m": float(err.max()), "p99_m": float(np.percentile(err, 99)), "pairs": int(err.size)}


# --------------------------------------------------------------------------- one size


def _timed(ld: Any, x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
    t0 = time.process_time()
    d = ld.query(x, y)[0]
    return time.process_time() - t0, d


def _one_line(ld: Any, i: int) -> SimpleNamespace:
    """The edges of line ``i`` of a per_line index, as the reference reads them."""
    m = ld.edge_line == i
    return SimpleNamespace(**{k: getattr(ld, k)[m] for k in ("ax", "ay", "az", "length", "a_ecef", "b_ecef")})


def run(n: int, *, seed: int, check: int, baseline_points: int, repeat: int = 3) -> dict[str, Any]:
    from geo import assess
    from geo.assess.index import NEAR_LIMIT_KM
    from geo.assess.limits import coast_segments, limit_index, limit_lines, limit_segments

    zi = assess.zone_index(None)
    t0 = time.perf_counter()
    coasts = zi._coasts
    if coasts is None:
        raise SystemExit("the bundled zones have no land layer: no coast to measure")
    coast = coasts[0]
    eez, labels = zi.frame("eez").geometry.values, zi.labels("eez")
    land = shapely.get_coordinates(zi.frame("land").geometry.values)
    built = limit_index(eez, labels, land, cut=zi._cut)
    assert built is not None
    limits, names = built
    # Everything the first query would build (KD-trees, balls, azimuths, the compiled search and
    # its numba kernel, loaded from numba's disk cache), before the clock
    coast.prepare()
    limits.prepare()
    build_s = time.perf_counter() - t0
    x, y = _points(zi, coast, n, seed)
    rss_index = _rss_mb()
    within_m = NEAR_LIMIT_KM * 1e3

    # ``repeat`` timed calls of each, in turn; the rates are the medians, every call is printed
    # (the first one after the build also pays for cold caches).
    coast_runs, limit_runs = [], []
    for _ in range(repeat):
        coast_s, coast_d = _timed(coast, x, y)
        coast_runs.append(coast_s)
        t0 = time.process_time()
        pt, line, lim_d, _, _ = limits.nearest_per_line(x, y, within_m=within_m)
        limit_runs.append(time.process_time() - t0)
    coast_s, limits_s = float(np.median(coast_runs)), float(np.median(limit_runs))
    peak = _rss_mb()

    rng = np.random.default_rng(seed + 1)
    sample = rng.choice(n, size=min(check, n), replace=False)
    pairs = rng.choice(pt.size, size=min(check, pt.size), replace=False)
    errors = {
        "coast": _errors(x[sample], y[sample], coast_d[sample], [coast] * sample.size),
        "limits": _errors(
            x[pt[pairs]], y[pt[pairs]], lim_d[pairs], [_one_line(limits, int(i)) for i in line[pairs]]
        ),
    }

    # Baselines on the first m points: today's one index a country (geo.assess.limits.limit_lines,
    # each queried with all m points), and the old LineDistance (78157dd) on the same segments.
    m = min(n, baseline_points)
    per_country = limit_lines(eez, labels, land, cut=zi._cut)
    for ld in per_country.values():
        for vt in ld.trees:
            vt.tree  # noqa: B018
    head = pt < m
    worst_vs_per_country = 0.0
    per_country_s = 0.0
    for i, name in enumerate(names):
        s, d_one = _timed(per_country[name], x[:m], y[:m])
        per_country_s += s
        mine = head & (line == i)
        near = np.flatnonzero(d_one <= within_m)
        if not np.array_equal(near, pt[mine]):
            raise SystemExit(
                f"{name}: the batched query finds other points within {within_m} m than one index a country"
            )
        worst_vs_per_country = max(
            worst_vs_per_country, float(np.max(np.abs(d_one[near] - lim_d[mine]), initial=0.0))
        )
    ax, ay, bx, by, row = limit_segments(eez, land, cut=zi._cut)
    # The coast's segments as the zone layers give them (before LineDistance cuts them at 4 km).
    coast_raw = coast_segments(zi.frame("land").geometry.values, shapely.get_coordinates(eez), cut=zi._cut)
    old_coast = OldLineDistance.from_segments(*coast_raw)
    old_coast_s, old_coast_d = _timed(old_coast, x[:m], y[:m])
    old_limit_s = 0.0
    worst_vs_old = float(np.max(np.abs(old_coast_d - coast_d[:m])))
    for i, name in enumerate(names):
        e = labels[row] == name
        old = OldLineDistance.from_segments(ax[e], ay[e], bx[e], by[e], np.zeros(int(e.sum()), np.int64))
        s, d_old = _timed(old, x[:m], y[:m])
        old_limit_s += s
        mine = head & (line == i)
        worst_vs_old = max(worst_vs_old, float(np.max(np.abs(d_old[pt[mine]] - lim_d[mine]), initial=0.0)))

    coast_rate = n / coast_s
    limits_rate = n / limits_s
    return {
        "points": n,
        "near_coast_share": 0.2,
        "countries": len(names),
        "within_km": NEAR_LIMIT_KM,
        "coast_pts_per_s": round(coast_rate),
        "limits_pts_per_s": round(limits_rate),
        "repeat": repeat,
        "coast_pts_per_s_each_run": [round(n / t) for t in coast_runs],
        "limits_pts_per_s_each_run": [round(n / t) for t in limit_runs],
        "limit_pairs_per_point": round(pt.size / n, 2),
        "baseline_points": m,
        "baseline_per_country_limits_pts_per_s": round(m / per_country_s),
        "baseline_old_coast_pts_per_s": round(m / old_coast_s),
        "baseline_old_limits_pts_per_s": round(m / old_limit_s),
        "speedup_limits_vs_per_country": round(limits_rate / (m / per_country_s), 1),
        "speedup_coast_vs_old": round(coast_rate / (m / old_coast_s), 1),
        "speedup_limits_vs_old": round(limits_rate / (m / old_limit_s), 1),
        "max_abs_diff_vs_per_country_m": worst_vs_per_country,
        "max_abs_diff_vs_old_m": worst_vs_old,
        "error_vs_aeqd_reference": errors,
        "index_build_s": round(build_s, 1),
        "rss_after_index_mb": round(rss_index),
        "peak_rss_mb_before_baseline": round(peak),
        "peak_rss_mb": round(_rss_mb()),
        "load_avg_1min": os.getloadavg()[0],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated point counts")
    parser.add_argument("--points", type=int, help="run one size in this process (used by --sizes)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check", type=int, default=300, help="points checked against the reference")
    parser.add_argument("--baseline-points", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed calls of each query; the median is reported")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, got {args.repeat}")
    if args.points is not None:
        out = run(
            args.points, seed=args.seed, check=args.check, baseline_points=args.baseline_points, repeat=args.repeat
        )
        print(json.dumps(out), flush=True)
        return
    for size in (int(float(s)) for s in args.sizes.split(",") if s.strip()):
        cmd = [sys.executable, __file__, "--points", str(size), "--seed", str(args.seed)]
        cmd += ["--check", str(args.check), "--baseline-points", str(args.baseline_points), "--repeat", str(args.repeat)]
        subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
