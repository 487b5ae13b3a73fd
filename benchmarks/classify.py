"""Point-in-zone lookups: geo's grid index against three exact baselines, same points, same run.

    python benchmarks/classify.py --points 10000000 --json
    python benchmarks/classify.py --points 200000 --near-edges 200000 --json   # exactness at edges
    python benchmarks/classify.py --region world --points 1000000 --json      # the world bundle (~5 GB)

prints one JSON line. The layers are those of the default ``geo.assess.zone_index()``
(``--region world``: the world bundle's), their grid indexes loaded from the cache and the
compiled engine warmed up before the clock starts (``warmup_s``). Points are uniform over
the layers' coverage box (most fall in open sea, as impact points do), plus
``--near-edges`` points within 0.1 mm-10 m of a random edge of a layer, or on a vertex.

* ``geo``: ``GridIndex.query`` of every point in every layer, one core (``geo_s`` wall,
  ``geo_cpu_s`` process CPU; ``zone_index_lookup_s``: the same through
  ``ZoneIndex.lookup``, which adds the antimeridian and pole handling).
* ``reference``: exact, and the ``prepared`` baseline: per feature, ``shapely.prepare`` and
  ``intersects_xy`` on the points inside its bounding box; every geo pair is checked
  against it on the first ``--reference-points`` points (all by default):
  ``mismatches`` counts points whose set of (layer, row) hits differs.
* ``strtree``: ``STRtree(points).query(polygon parts, predicate="intersects")``, the tree
  built on the points (the fast direction), on the first ``--baseline-points`` points.
* ``sjoin``: ``geopandas.sjoin(points, exploded parts, predicate="intersects")``, its tree
  built before the clock, on the first ``--sjoin-points`` points.

Ratios are rates (points/s) over rates, so subsets of different sizes compare; the goal
of issue 14 is ``vs_best_baseline`` (the better of prepared and STRtree) >= 10.
``peak_beyond_points_mb``: the peak RSS while geo ran, less the RSS before the index was
loaded and less the points' own arrays; ``index_mb`` of it is the index as loaded and
warmed up (without the layers' GeoDataFrames where the index reads them lazily: they are
read after geo ran, for the baselines), ``query_peak_beyond_index_mb`` the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from typing import Any

import numpy as np


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _current_rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _near_edges(frames: dict[str, Any], n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points on vertices (a tenth) or 0.1 mm-10 m (1e-9-1e-4 deg) off a random edge."""
    import shapely

    coords = np.concatenate([shapely.get_coordinates(f.geometry.values) for f in frames.values()])
    i = rng.integers(0, coords.shape[0] - 1, n)
    a, b = coords[i], coords[i + 1]
    t = rng.uniform(0, 1, (n, 1))
    normal = np.stack([a[:, 1] - b[:, 1], b[:, 0] - a[:, 0]], axis=1)
    normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-300)
    off = rng.choice([-1.0, 1.0], (n, 1)) * 10.0 ** rng.uniform(-9, -4, (n, 1))
    pts = a + t * (b - a) + off * normal
    on_vertex = rng.uniform(0, 1, n) < 0.1
    pts[on_vertex] = a[on_vertex]
    return pts[:, 0].copy(), pts[:, 1].copy()


def _prepared(frames: dict[str, Any], x: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """Exact pairs per layer as sorted keys point * rows + row: prepared features, bbox first."""
    import shapely

    out = {}
    for name, f in frames.items():
        geoms = f.geometry.values
        shapely.prepare(geoms)
        keys = []
        for row, (g, (x0, y0, x1, y1)) in enumerate(zip(geoms, shapely.bounds(geoms), strict=True)):
            cand = np.flatnonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
            hit = cand[shapely.intersects_xy(g, x[cand], y[cand])]
            keys.append(hit * len(f) + row)
        out[name] = np.sort(np.concatenate(keys)) if keys else np.zeros(0, np.int64)
    return out


def _timed(fn: Any) -> tuple[Any, float, float]:
    w, c = time.perf_counter(), time.process_time()
    r = fn()
    return r, time.perf_counter() - w, time.process_time() - c


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--near-edges", type=int, default=0, help="extra points on or beside edges")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--region", choices=["nwpacific", "world"], default="nwpacific")
    parser.add_argument("--layers", default=None, help="comma-separated (default: every layer of the index)")
    parser.add_argument("--reference-points", type=int, default=None, help="default: all points")
    parser.add_argument("--baseline-points", type=int, default=1_000_000, help="STRtree's subset")
    parser.add_argument("--sjoin-points", type=int, default=10_000, help="sjoin's subset (it runs ~500 points/s)")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args(argv)

    import geopandas as gpd
    import shapely

    from geo.assess import zone_index

    rss0 = _current_rss_mb()
    (zi, load_s, _) = _timed(
        lambda: zone_index(where=(-180.0, -90.0, 180.0, 90.0)) if args.region == "world" else zone_index()
    )
    names = [n.strip() for n in args.layers.split(",")] if args.layers else list(zi.layers)
    indexes = {n: zi._layers[n].index for n in names}  # GridIndex, or a LazyGrid over one
    grids = {n: getattr(i, "index", i) for n, i in indexes.items()}
    minx, miny, maxx, maxy = shapely.bounds(zi.coverage) if zi.coverage is not None else (-180, -90, 180, 90)
    rng = np.random.default_rng(args.seed)
    x = rng.uniform(minx, maxx, args.points)
    y = rng.uniform(miny, maxy, args.points)
    if args.near_edges:
        ex, ey = _near_edges({k: zi.frame(k) for k in names}, args.near_edges, rng)
        x, y = np.concatenate([x, ex]), np.concatenate([y, ey])
    n = x.size
    points_mb = (x.nbytes + y.nbytes) / 2**20

    # warm-up: numba's compiled kernel loaded (or compiled) and each index's tables built
    _, warm_s, _ = _timed(lambda: [indexes[k].query(x[:100_000], y[:100_000], engine="compiled") for k in names])
    rss_index = _current_rss_mb()
    ours, geo_s, geo_cpu = _timed(lambda: {k: indexes[k].query(x, y) for k in names})
    peak_geo = _rss_mb()
    _, lookup_s, _ = _timed(lambda: [zi.lookup(k, x, y) for k in names])
    # the baselines' polygons, read after geo's peak (the index may load them lazily)
    frames = {k: zi.frame(k) for k in names}
    geo_keys = {k: np.sort(p * len(frames[k]) + q) for k, (p, q) in ours.items()}
    pairs = {k: int(v.size) for k, v in geo_keys.items()}
    del ours

    m = n if args.reference_points is None else min(n, args.reference_points)
    ref, prep_s, _ = _timed(lambda: _prepared(frames, x[:m], y[:m]))
    bad = np.zeros(n, dtype=bool)
    examples = []
    for k in names:
        mine = geo_keys[k][geo_keys[k] < m * len(frames[k])]
        diff = np.setxor1d(mine, ref[k], assume_unique=True)
        bad[diff // len(frames[k])] = True
        for d in diff[:3].tolist():
            i, row = divmod(d, len(frames[k]))
            examples.append({"layer": k, "row": row, "lon": float(x[i]), "lat": float(y[i]), "geo": bool(np.isin(d, mine))})
    del ref, geo_keys

    parts = {k: f.explode(index_parts=False).reset_index(names="row") for k, f in frames.items()}
    b = min(n, args.baseline_points)

    def strtree() -> int:
        tree = shapely.STRtree(shapely.points(x[:b], y[:b]))
        return sum(int(tree.query(p.geometry.values, predicate="intersects").shape[1]) for p in parts.values())

    _, str_s, _ = _timed(strtree)

    s = min(n, args.sjoin_points)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x[:s], y[:s]), crs="EPSG:4326")
    for p in parts.values():
        p.sindex  # noqa: B018 - sjoin's tree built outside the timing, as geo's grid is
    _, sjoin_s, _ = _timed(lambda: [gpd.sjoin(pts, p, predicate="intersects", how="inner") for p in parts.values()])

    rate = n / geo_s
    rates = {"prepared": m / prep_s, "strtree": b / str_s, "sjoin": s / sjoin_s}
    result = {
        "points": n,
        "near_edge_points": args.near_edges,
        "region": args.region,
        "layers": names,
        "geo_s": round(geo_s, 3),
        "geo_cpu_s": round(geo_cpu, 3),
        "geo_points_per_s": round(rate),
        "geo_points_per_cpu_s": round(n / geo_cpu),
        "zone_index_lookup_s": round(lookup_s, 3),
        "warmup_s": round(warm_s, 2),
        "mismatches": int(bad.sum()),
        "mismatch_examples": examples[:5],
        "reference_points": m,
        "prepared_s": round(prep_s, 3),
        "strtree_points": b,
        "strtree_s": round(str_s, 3),
        "sjoin_points": s,
        "sjoin_s": round(sjoin_s, 3),
        "baseline_points_per_s": {k: round(v) for k, v in rates.items()},
        "speedup": {k: round(rate / v, 1) for k, v in rates.items()},
        "vs_best_baseline": round(rate / max(rates["prepared"], rates["strtree"]), 1),
        "pairs": pairs,
        "features": {k: len(f) for k, f in frames.items()},
        "boundary_share": {k: round(grids[k].stats["boundary_share"], 4) for k in names},
        "index_load_s": round(load_s, 2),
        "points_mb": round(points_mb),
        "rss_before_index_mb": round(rss0),
        "index_mb": round(rss_index - rss0 - points_mb),
        "peak_beyond_points_mb": round(peak_geo - rss0 - points_mb),
        "query_peak_beyond_index_mb": round(peak_geo - rss_index),
        "max_rss_mb": round(_rss_mb()),
        "load_average": [round(v, 2) for v in os.getloadavg()],
    }
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:>24}: {v}")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
