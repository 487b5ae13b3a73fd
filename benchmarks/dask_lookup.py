"""The lookup of benchmarks/classify.py over many points on a dask.distributed cluster.

    python benchmarks/dask_lookup.py --points 100000000 --workers 1,2 --json
    python benchmarks/dask_lookup.py --scheduler tcp://scheduler:8786 --parquet /shared/points/ --json

prints one JSON line per cluster size: wall time, points/s, points/s per worker, and the
pairs found per layer (the same for every size: a check that each run did the same work).
Each task looks up one partition's points in every layer of the default
``geo.assess.zone_index()`` (``GridIndex.query``, as ``classify.py`` times it), on one
thread; each worker loads the index and the compiled engine once, before the clock
(``warmup_s``).

Points are generated inside the workers, seeded per partition (``--seed``, partition
number), uniform over the index's coverage box, so nothing but a few numbers travels; or,
with ``--parquet``, read from a (partitioned) GeoParquet dataset of points that every
worker can reach (shared storage: NFS, S3 with ``s3fs``), one task per partition.
``--scheduler`` runs on an existing cluster (its workers must have ``geo`` installed, with
the ``dask`` extra, and the same bundle); without it a ``LocalCluster`` of 1 thread per
worker process is started for each ``--workers`` size.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

import numpy as np


def _lookup(x: np.ndarray, y: np.ndarray, engine: str | None = None) -> dict[str, Any]:
    """Every layer's (point, row) pairs for these points, counted; the task's CPU time."""
    from geo.assess import zone_index

    zi = zone_index()  # cached per process: loaded once per worker
    c = time.process_time()
    pairs = {name: int(zi._layers[name].index.query(x, y, engine=engine)[0].size) for name in zi.layers}
    return {"points": int(x.size), "pairs": pairs, "cpu_s": time.process_time() - c}


def _generated(part: int, n: int, seed: int, engine: str | None = None) -> dict[str, Any]:
    import shapely

    from geo.assess import zone_index

    zi = zone_index()
    w, s, e, nth = shapely.bounds(zi.coverage) if zi.coverage is not None else (-180.0, -90.0, 180.0, 90.0)
    rng = np.random.default_rng([seed, part])
    return _lookup(rng.uniform(w, e, n), rng.uniform(s, nth, n), engine)


def _from_frame(frame: Any) -> dict[str, Any]:
    from geo.frames import to_lonlat

    g = to_lonlat(frame).geometry
    return _lookup(g.x.to_numpy(), g.y.to_numpy())


def _warm() -> float:
    t = time.perf_counter()
    _generated(0, 200_000, 2**31, "compiled")  # the index, its tables and the compiled kernel, in this worker
    return time.perf_counter() - t


def _run(client: Any, args: argparse.Namespace, workers: int) -> dict[str, Any]:
    import dask

    warm = client.run(_warm)
    t = time.perf_counter()
    if args.parquet:
        import dask_geopandas

        parts = dask_geopandas.read_parquet(args.parquet).to_delayed()
        futures = client.compute([dask.delayed(_from_frame)(p) for p in parts])
        source = f"parquet:{args.parquet}"
    else:
        sizes = np.diff(np.linspace(0, args.points, args.partitions + 1).astype(np.int64))
        futures = [
            client.submit(_generated, i, int(n), args.seed, pure=False) for i, n in enumerate(sizes.tolist())
        ]
        source = f"generated, seed {args.seed}"
    results = client.gather(futures)
    wall = time.perf_counter() - t
    n = sum(r["points"] for r in results)
    cpu = sum(r["cpu_s"] for r in results)
    pairs: dict[str, int] = {}
    for r in results:
        for k, v in r["pairs"].items():
            pairs[k] = pairs.get(k, 0) + v
    return {
        "workers": workers,
        "threads_per_worker": 1,
        "points": n,
        "partitions": len(results),
        "source": source,
        "wall_s": round(wall, 2),
        "points_per_s": round(n / wall),
        "points_per_s_per_worker": round(n / wall / workers),
        "task_cpu_s": round(cpu, 2),
        "points_per_task_cpu_s": round(n / cpu),
        "warmup_s": round(max(warm.values()), 1),
        "pairs": pairs,
        "load_average": [round(v, 2) for v in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000_000)
    parser.add_argument("--partitions", type=int, default=100)
    parser.add_argument("--workers", default="1,2", help="LocalCluster sizes to run, comma-separated")
    parser.add_argument("--scheduler", default=None, help="address of a running scheduler, e.g. tcp://host:8786")
    parser.add_argument("--parquet", default=None, help="GeoParquet dataset of points every worker can read")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true", help="print JSON lines")
    args = parser.parse_args(argv)

    from distributed import Client, LocalCluster

    out = []
    if args.scheduler:
        with Client(args.scheduler) as client:
            workers = len(client.scheduler_info()["workers"])
            out.append(_run(client, args, workers))
    else:
        for w in [int(v) for v in args.workers.split(",")]:
            with (
                LocalCluster(n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
                Client(cluster) as client,
            ):
                out.append(_run(client, args, w))
    for r in out:
        print(json.dumps(r) if args.json else r, flush=True)
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
