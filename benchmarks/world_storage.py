"""Storage check of the world bundle (issue 13, item 4): does the npz encoding move a limit or a verdict?

Inside the NW Pacific box (100-180 E, 0-65 N) the world layers (``data/boundaries/world/*.npz``,
geo._zonefile: vertices quantised to 1e-7 deg) hold the NW Pacific build, which is also shipped
at full float64 precision as ``data/boundaries/*.gpkg``. Three measures, one JSON line each:

1. ``verdicts``: ``--points`` (1e6) seeded random points, uniform by area, at sea inside the box,
   more than 1 km inside its edges (rows are cut there when the world is composited) and more than
   100 m from the full-resolution land's coast; per layer (territorial sea, contiguous zone, EEZ)
   the row (owner code, status) that holds each point by the world layer clipped to the box and by
   the GeoPackage layer; the count of points whose verdicts differ.
2. ``vertex_displacement``: per layer, every boundary vertex of either side more than 1 km inside
   the box, to the other side's boundary of the same owner (Hausdorff-style, both directions,
   geodesic metres; an upper bound: the distance to the nearest vertex, or where that exceeds
   ``--exact-above-m`` to the planar-nearest point of the other boundary).
3. ``file_size``: each world layer as stored (npz) and the same GeoDataFrame written to /tmp as
   GeoPackage and, if pyarrow is installed, as GeoParquet with zstd; bytes measured, read seconds.

The 100 m test is conservative rather than geodesic: within 100 m of a point at latitude phi a
path keeps |latitude| below |phi| + 0.01 deg, where one degree is at least
min(a(1-e^2), a cos(|phi| + 0.01 deg)) * pi/180 metres along either axis; so a planar lon/lat
distance to the coast above 100 m divided by that bound means more than 100 m geodesic (the coast's
edges read as straight lon/lat lines, as geo reads them). It drops a few more points near coasts
at low latitudes than a geodesic test would, and none that are nearer than 100 m.

    python benchmarks/world_storage.py [--points 1000000] [--seed 0] [--skip verdicts,vertices,sizes]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod
from scipy.spatial import cKDTree

from geo._resources import bundle_dir
from geo._zonebuild import sphere
from geo._zonebuild.world import row_codes
from geo._zonefile import QUANTUM_DEG, read_layer

GEOD = Geod(ellps="WGS84")
BOX = (100.0, 0.0, 180.0, 65.0)
LAYERS = ("territorial_sea", "contiguous_zone", "eez")
ALL_LAYERS = ("land", "territorial_sea", "contiguous_zone", "eez", "antarctic")
COAST_M = 100.0
EDGE_M = 1000.0
_A, _F = 6378137.0, 1 / 298.257223563
_E2 = _F * (2 - _F)


def _emit(measure: str, **kw: Any) -> None:
    print(json.dumps({"measure": measure, **kw}), flush=True)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def inner_box(box: tuple[float, ...], metres: float) -> tuple[float, float, float, float]:
    """``box`` shrunk by at least ``metres`` on every side (lon margin taken at the poleward edge)."""
    x0, y0, x1, y1 = box
    dlat = metres / (_A * (1 - _E2)) * 180 / np.pi
    lat_max = max(abs(y0), abs(y1))
    dlon = metres / (_A * np.cos(np.radians(lat_max))) * 180 / np.pi
    return x0 + dlon, y0 + dlat, x1 - dlon, y1 - dlat


def min_metres_per_deg(lat: np.ndarray) -> np.ndarray:
    """A lower bound of the metres in one degree (either axis) within 100 m of latitude ``lat``."""
    phi = np.radians(np.minimum(np.abs(lat) + 0.01, 90.0))
    out: np.ndarray = np.minimum(_A * (1 - _E2), _A * np.cos(phi)) * np.pi / 180
    return out


def _coast_chunks(land: gpd.GeoDataFrame, n: int = 64) -> np.ndarray:
    """The land's rings cut into linestrings of ``n`` edges (small envelopes for the tree)."""
    rings = shapely.get_rings(shapely.get_parts(land.geometry.values))
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    k = np.arange(len(xy)) - np.searchsorted(ring, ring)  # vertex number in its ring
    # every n-th vertex starts a chunk and also ends the previous one
    starts = (k % n == 0)
    chunk = np.cumsum(starts) - 1
    dup = np.flatnonzero(starts & (k > 0))
    xy2 = np.insert(xy, dup, xy[dup], axis=0)
    chunk2 = np.insert(chunk, dup, chunk[dup] - 1)
    keep = np.bincount(chunk2)[chunk2] >= 2  # a ring's closing vertex may start a chunk of its own
    _, ids = np.unique(chunk2[keep], return_inverse=True)
    return np.asarray(shapely.linestrings(xy2[keep], indices=ids))


def sea_points(land: gpd.GeoDataFrame, n: int, seed: int, box: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """``n`` points uniform by area in ``box`` shrunk by 1 km, off ``land`` and > 100 m from its coast."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = inner_box(box, EDGE_M)
    s0, s1 = np.sin(np.radians(y0)), np.sin(np.radians(y1))
    parts = gpd.GeoDataFrame(geometry=shapely.get_parts(land.geometry.values), crs="EPSG:4326")
    tree = shapely.STRtree(_coast_chunks(land))
    xs, ys, drawn = [], [], 0
    got = 0
    while got < n:
        m = int((n - got) * 1.6) + 1000
        x = rng.uniform(x0, x1, m)
        y = np.degrees(np.arcsin(rng.uniform(s0, s1, m)))
        drawn += m
        pts = gpd.GeoDataFrame(geometry=shapely.points(x, y), crs="EPSG:4326")
        on_land = np.zeros(m, bool)
        on_land[gpd.sjoin(pts, parts, predicate="within").index.unique()] = True
        thr = COAST_M / min_metres_per_deg(y)
        near, _ = tree.query(pts.geometry.values, predicate="dwithin", distance=thr)
        near_coast = np.zeros(m, bool)
        near_coast[near] = True
        keep = np.flatnonzero(~on_land & ~near_coast)[: n - got]
        xs.append(x[keep])
        ys.append(y[keep])
        got += len(keep)
    return np.concatenate(xs), np.concatenate(ys), {"drawn": drawn, "inner_box": [round(v, 5) for v in (x0, y0, x1, y1)]}


def verdicts(gdf: gpd.GeoDataFrame, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per point, the ``code|status`` of the rows holding it ('' for none; several joined by ';')."""
    labels = np.array([f"{c}|{s}" for c, s in zip(row_codes(gdf), gdf["status"], strict=True)], dtype=object)
    geoms, row = shapely.get_parts(gdf.geometry.values, return_index=True)
    parts = gpd.GeoDataFrame({"row": row}, geometry=geoms, crs="EPSG:4326")
    pts = gpd.GeoDataFrame(geometry=shapely.points(x, y), crs="EPSG:4326")
    j = gpd.sjoin(pts, parts, predicate="within")
    hits = pd.Series(labels[j["row"].to_numpy()], index=j.index)
    joined = hits.groupby(level=0).agg(lambda s: ";".join(sorted(set(s))))
    out = np.full(len(x), "", dtype=object)
    out[joined.index.to_numpy()] = joined.to_numpy()
    return out


def world_rows(kind: str, world: Path, box: tuple[float, ...]) -> gpd.GeoDataFrame:
    """The world layer's rows that reach into ``box``, not clipped: some of their parts are
    invalid (below), and GEOS' clipping of an invalid polygon can return far more than it holds."""
    g = read_layer(world / f"{kind}.npz")
    return g[shapely.intersects(g.geometry.values, shapely.box(*box))].reset_index(drop=True)


def invalid_parts(gdf: gpd.GeoDataFrame, box: tuple[float, ...]) -> int:
    """Polygon parts of ``gdf`` that touch ``box`` and are invalid."""
    parts = shapely.get_parts(gdf.geometry.values)
    return int((~shapely.is_valid(parts) & shapely.intersects(parts, shapely.box(*box))).sum())


def quantised(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``gdf`` with its vertices rounded as geo._zonefile stores them."""
    return gdf.assign(geometry=shapely.transform(gdf.geometry.values, lambda c: np.round(c / QUANTUM_DEG) * QUANTUM_DEG))


def _boundary_xy(geom: shapely.Geometry, inner: tuple[float, ...]) -> np.ndarray:
    xy = shapely.get_coordinates(shapely.boundary(geom))
    x0, y0, x1, y1 = inner
    ok = (xy[:, 0] > x0) & (xy[:, 0] < x1) & (xy[:, 1] > y0) & (xy[:, 1] < y1)
    out: np.ndarray = xy[ok]
    return out


def one_way_m(a: shapely.Geometry, b: shapely.Geometry, inner: tuple[float, ...], exact_above_m: float
              ) -> tuple[int, float, float]:
    """(vertices, max m, p99 m) from the boundary vertices of ``a`` inside ``inner`` to ``b``'s boundary."""
    pa = _boundary_xy(a, inner)
    pb = shapely.get_coordinates(shapely.boundary(b))
    if not len(pa):
        return 0, 0.0, 0.0
    if not len(pb):
        return len(pa), float("inf"), float("inf")
    _, idx = cKDTree(sphere.to_unit_vectors(pb[:, 0], pb[:, 1])).query(sphere.to_unit_vectors(pa[:, 0], pa[:, 1]))
    d = GEOD.inv(pa[:, 0], pa[:, 1], pb[idx, 0], pb[idx, 1])[2]
    far = np.flatnonzero(d > exact_above_m)
    if len(far):
        # the nearest vertex is not the nearest point of a line: take the line's planar-nearest point
        q = shapely.get_coordinates(shapely.shortest_line(shapely.points(pa[far]), shapely.boundary(b)))[1::2]
        d[far] = np.minimum(d[far], GEOD.inv(pa[far, 0], pa[far, 1], q[:, 0], q[:, 1])[2])
    return len(pa), float(d.max()), float(np.percentile(d, 99))


def vertex_displacement(ours: gpd.GeoDataFrame, full: gpd.GeoDataFrame, inner: tuple[float, ...],
                        exact_above_m: float) -> dict[str, Any]:
    a = dict(zip(row_codes(ours), ours.geometry.values, strict=True))
    b = dict(zip(row_codes(full), full.geometry.values, strict=True))
    worst, vertices, per_owner = 0.0, 0, {}
    for code in sorted(set(a) | set(b)):
        ga, gb = a.get(code, shapely.MultiPolygon()), b.get(code, shapely.MultiPolygon())
        n1, m1, _ = one_way_m(ga, gb, inner, exact_above_m)
        n2, m2, _ = one_way_m(gb, ga, inner, exact_above_m)
        if n1 + n2 == 0:
            continue
        vertices += n1 + n2
        per_owner[code] = round(max(m1, m2), 4)
        worst = max(worst, m1, m2)
    top = sorted(per_owner.items(), key=lambda kv: -kv[1])[:5]
    return {"vertices": vertices, "owners": len(per_owner), "max_m": round(worst, 4), "worst_owners": top,
            "only_world": sorted(set(a) - set(b)), "only_gpkg": sorted(set(b) - set(a))}


def _read_seconds(fn: Any, *args: Any, **kw: Any) -> float:
    t = time.perf_counter()
    fn(*args, **kw)
    return round(time.perf_counter() - t, 2)


def file_sizes(world: Path, out: Path) -> None:
    try:
        import pyarrow  # type: ignore[import-untyped]  # noqa: F401
        have_arrow = True
    except ImportError:
        have_arrow = False
    out.mkdir(parents=True, exist_ok=True)
    total: dict[str, int] = {"npz": 0, "gpkg": 0, "parquet_zstd": 0}
    for kind in ALL_LAYERS:
        npz = world / f"{kind}.npz"
        t = time.perf_counter()
        g = read_layer(npz)
        row: dict[str, Any] = {"layer": kind, "features": len(g), "vertices": int(shapely.get_num_coordinates(g.geometry.values).sum()),
               "npz_bytes": npz.stat().st_size, "npz_read_s": round(time.perf_counter() - t, 2)}
        gpkg = out / f"{kind}.gpkg"
        gpkg.unlink(missing_ok=True)
        g.to_file(gpkg, driver="GPKG", layer=kind)
        row["gpkg_bytes"] = gpkg.stat().st_size
        row["gpkg_read_s"] = _read_seconds(gpd.read_file, gpkg)
        if have_arrow:
            pq = out / f"{kind}.parquet"
            g.to_parquet(pq, compression="zstd")
            row["parquet_zstd_bytes"] = pq.stat().st_size
            row["parquet_read_s"] = _read_seconds(gpd.read_parquet, pq)
        else:
            row["parquet_zstd_bytes"] = None
        for k in total:
            total[k] += row.get(f"{k}_bytes") or 0
        _emit("file_size", **row, peak_rss_mb=round(_rss_mb()))
        del g
    _emit("file_size_total", **{f"{k}_mb": round(v / 1e6, 2) for k, v in total.items()},
          pyarrow=have_arrow, written_to=str(out))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--world", type=Path, default=bundle_dir() / "world")
    ap.add_argument("--full", type=Path, default=bundle_dir(), help="folder of the full-precision NW Pacific GPKGs")
    ap.add_argument("--exact-above-m", type=float, default=0.05,
                    help="measure to the other boundary's line (not only its vertices) above this")
    ap.add_argument("--out", type=Path, default=Path("/tmp/world_storage"), help="scratch folder for the size test")
    ap.add_argument("--skip", default="", help="comma list of measures to skip: verdicts,vertices,sizes")
    args = ap.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    for d, f in ((args.world, "eez.npz"), (args.full, "eez.gpkg")):
        if not (d / f).exists():
            print(f"no {f} in {d}: pass --world / --full", file=sys.stderr)
            return 2
    inner = inner_box(BOX, EDGE_M)
    if not {"verdicts", "vertices"} <= skip:
        land = gpd.read_file(args.full / "land.gpkg")
        if "verdicts" not in skip:
            t = time.perf_counter()
            x, y, info = sea_points(land, args.points, args.seed, BOX)
            _emit("sea_points", points=len(x), seed=args.seed, **info, seconds=round(time.perf_counter() - t, 1))
        for kind in LAYERS:
            ours = world_rows(kind, args.world, BOX)
            full = gpd.read_file(args.full / f"{kind}.gpkg")
            _emit("validity", layer=kind, invalid_parts_world=invalid_parts(ours, BOX),
                  invalid_parts_gpkg=invalid_parts(full, BOX),
                  invalid_parts_gpkg_quantised=invalid_parts(quantised(full), BOX))
            if "verdicts" not in skip:
                t = time.perf_counter()
                va, vb = verdicts(ours, x, y), verdicts(full, x, y)
                diff = np.flatnonzero(va != vb)
                owner_a = np.array([";".join(sorted({v.split("|")[0] for v in s.split(";")})) if s else "" for s in va])
                owner_b = np.array([";".join(sorted({v.split("|")[0] for v in s.split(";")})) if s else "" for s in vb])
                pairs = pd.Series([f"{a} -> {b}" for a, b in zip(va[diff], vb[diff], strict=True)]).value_counts()
                _emit("verdicts", layer=kind, points=len(x), in_a_row=int((vb != "").sum()),
                      owners=len(set(vb) - {""}), differing=len(diff),
                      differing_owner=int((owner_a != owner_b).sum()),
                      by_kind={k: int(v) for k, v in pairs.head(8).items()},
                      examples=[(round(float(x[i]), 5), round(float(y[i]), 5), va[i], vb[i]) for i in diff[:5]],
                      seconds=round(time.perf_counter() - t, 1), peak_rss_mb=round(_rss_mb()))
            if "vertices" not in skip:
                t = time.perf_counter()
                _emit("vertex_displacement", layer=kind, **vertex_displacement(ours, full, inner, args.exact_above_m),
                      seconds=round(time.perf_counter() - t, 1), peak_rss_mb=round(_rss_mb()))
    if "sizes" not in skip:
        file_sizes(args.world, args.out)
        shutil.rmtree(args.out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
