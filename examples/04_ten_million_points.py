"""Ten million points classified on a dask LocalCluster, with GeoParquet in and out.

Random points over the bundled zones' box are written as partitioned GeoParquet, each
partition is classified by the same grid index as in-process work (:mod:`geo.parallel`),
and the result is checked against the in-process answer on every point. On a real cluster
replace the LocalCluster by ``Client("tcp://scheduler:8786")`` (see ``geo/parallel.py``).

    python examples/04_ten_million_points.py [--points 10000000] [--workers 2] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path


def run(points: int, workers: int, partitions: int, folder: Path) -> dict[str, object]:
    import dask_geopandas
    import geopandas as gpd
    import numpy as np
    from distributed import Client, LocalCluster

    from geo import assess, parallel

    zi = assess.zone_index(None)  # built (or loaded from the cache) once, here and on each worker
    rng = np.random.default_rng(0)
    x = rng.uniform(100.0, 180.0, points)
    y = rng.uniform(0.0, 65.0, points)
    pts = gpd.GeoDataFrame({"id": np.arange(points)}, geometry=gpd.points_from_xy(x, y), crs="EPSG:4326")
    src, dst = folder / "points.parquet", folder / "classified.parquet"
    dask_geopandas.from_geopandas(pts, npartitions=partitions).to_parquet(src)
    del pts
    t0 = time.perf_counter()
    expected = zi.owner(x, y)
    in_process_s = time.perf_counter() - t0
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster),
    ):
        t0 = time.perf_counter()
        parallel.classify_parquet(str(src), str(dst))
        dask_s = time.perf_counter() - t0
    got = (
        dask_geopandas.read_parquet(dst)
        .compute()
        .sort_values("id")[parallel.OWNER_COLUMN]
        .to_numpy(dtype=object)
    )
    mismatches = int((got.astype(str) != expected).sum())
    values, counts = np.unique(expected, return_counts=True)
    top = dict(
        sorted(zip(values.tolist(), (counts / points).round(4).tolist(), strict=True), key=lambda kv: -kv[1])[
            :6
        ]
    )
    return {"points": points, "workers": workers, "partitions": partitions, "in_process_s": round(in_process_s, 2),
            "dask_s_with_io": round(dask_s, 2), "mismatches": mismatches, "shares": top}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--out", type=Path, default=None, help="keep the parquet folders here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.out or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        result = run(args.points, args.workers, args.partitions, folder)
    print(json.dumps(result))
    return 0 if result["mismatches"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
