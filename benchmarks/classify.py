"""Point-in-zone lookups: geo's grid index against geopandas.sjoin, same points, same run.

    python benchmarks/classify.py --points 1000000 --json

prints one JSON line ``{"points", "sjoin_s", "geo_s", "speedup", "mismatches", ...}``.
Both timings cover the query only (the sjoin spatial index and geo's grid are built
before the clock starts; the build time is reported separately). The baseline is sjoin
on the layers' polygon parts (``explode``): on the few huge MultiPolygons a layer holds,
sjoin is a thousand times slower still (``--baseline features``). A mismatch is a point
whose set of (layer, row) matches differs between the two. Points are uniform over the
zones' bounding box, so most of them fall in open sea, as impact points do.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from typing import Any

import numpy as np


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cell-deg", type=float, default=0.1)
    parser.add_argument("--layers", default="eez,territorial_sea,land")
    parser.add_argument("--baseline", choices=["exploded", "features"], default="exploded")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args(argv)

    import geopandas as gpd

    from geo import zones
    from geo.assess import ZoneIndex

    names = [n.strip() for n in args.layers.split(",") if n.strip()]
    layers = {n: zones.load_zones(n) for n in names}
    t0 = time.perf_counter()
    zi = ZoneIndex(layers, cell_deg=args.cell_deg)
    build_s = time.perf_counter() - t0
    rss_after_index = _rss_mb()

    frames = {n: layers[n].reset_index(drop=True) for n in names}
    # The fair baseline: sjoin on the polygons' parts (a layer holds a few huge
    # MultiPolygons; sjoin on those whole is ~1000x slower still, see --baseline features).
    if args.baseline == "exploded":
        frames = {n: f.explode(index_parts=False).reset_index(names="row") for n, f in frames.items()}
    else:
        frames = {n: f.reset_index(names="row") for n, f in frames.items()}
    for f in frames.values():
        f.sindex  # noqa: B018 - build sjoin's tree outside the timing, as geo's grid is
    minx, miny, maxx, maxy = np.array([f.total_bounds for f in frames.values()]).T
    rng = np.random.default_rng(args.seed)
    x = rng.uniform(minx.min(), maxx.max(), args.points)
    y = rng.uniform(miny.min(), maxy.max(), args.points)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs="EPSG:4326")

    t0 = time.perf_counter()
    ours = {n: zi.lookup(n, x, y) for n in names}
    geo_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    theirs = {n: gpd.sjoin(pts, frames[n], predicate="intersects", how="inner") for n in names}
    sjoin_s = time.perf_counter() - t0

    bad = np.zeros(args.points, dtype=bool)
    for n in names:
        a = np.unique(ours[n][0] * 1_000_003 + ours[n][1])
        j = theirs[n]
        b = np.unique(j.index.to_numpy() * 1_000_003 + j["row"].to_numpy())
        diff = np.setxor1d(a, b)
        bad[diff // 1_000_003] = True
    result = {
        "points": args.points,
        "sjoin_s": round(sjoin_s, 3),
        "geo_s": round(geo_s, 3),
        "speedup": round(sjoin_s / geo_s, 1),
        "mismatches": int(bad.sum()),
        "baseline": f"geopandas.sjoin(predicate='intersects') on {args.baseline} polygons",
        "layers": names,
        "features": {n: len(layers[n]) for n in names},
        "sjoin_polygons": {n: len(frames[n]) for n in names},
        "index_build_s": round(build_s, 2),
        "boundary_share": {n: round(zi._layers[n].index.stats["boundary_share"], 4) for n in names},
        "rss_mb_after_index": round(rss_after_index, 0),
        "max_rss_mb": round(_rss_mb(), 0),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for k, v in result.items():
            print(f"{k:>20}: {v}")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
