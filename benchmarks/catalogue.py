"""Catalogues: ``geo assess-events`` on lat/lon rows, and ``geo import-cns`` on the CNS database.

    python benchmarks/catalogue.py [--rows 10000,100000] [--baseline REV] [--baseline-rows 1000] [--cns PATH] [--repeat 3]

Rows: seeded exact points, uniform over 125-150 E, 30-45 N (the Sea of Japan and the
Pacific off Japan, inside the NW Pacific box), written as a ``name,date,lat,lon`` CSV.
Each run is the CLI in a fresh process under ``/usr/bin/time`` (wall, peak RSS), output to
a CSV file (``-o``), with the zone cache already filled (one warm-up run first).
**Baseline:** the code at ``REV`` (default: the commit before issue 14's latency work) from
a ``git worktree``, in the same run, on ``--baseline-rows`` rows (about 80 rows/s: a large
catalogue would take hours); rates are rows per second of the whole command.
``import-cns``: the 245-row database that tests/test_cns.py reads from ../shared/reference.

One JSON line per measure: ``rows``, ``seconds``, ``rows_per_s``, ``peak_rss_mb`` and the
baseline's on its rows.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from _baseline import BASELINE, REPO, baseline_worktree, run_cli

CNS = REPO.parent / "shared" / "reference" / "cns_missile_tests" / "north_korea_missile_test_database.csv"


def _csv(path: Path, n: int, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    lon, lat = rng.uniform(125.0, 150.0, n), rng.uniform(30.0, 45.0, n)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("name,date,lat,lon\n")
        fh.writelines(f"e{i},2022-01-01,{a:.5f},{o:.5f}\n" for i, (a, o) in enumerate(zip(lat, lon, strict=True)))
    return path


def _emit(case: str, rows: int, new: tuple[float, float], base_rows: int, base: tuple[float, float]) -> None:
    rate, base_rate = rows / new[0], base_rows / base[0]
    print(json.dumps({
        "benchmark": "catalogue", "case": case, "rows": rows, "seconds": round(new[0], 2), "rows_per_s": round(rate),
        "peak_rss_mb": round(new[1]), "baseline_rows": base_rows, "baseline_seconds": round(base[0], 2),
        "baseline_rows_per_s": round(base_rate, 1), "baseline_peak_rss_mb": round(base[1]),
        "speedup": round(rate / base_rate, 1),
    }), flush=True)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", default="10000,100000")
    ap.add_argument("--baseline", default=BASELINE)
    ap.add_argument("--baseline-rows", type=int, default=1000)
    ap.add_argument("--cns", type=Path, default=CNS)
    ap.add_argument("--repeat", type=int, default=3, help="import-cns runs of each side; the median is printed")
    args = ap.parse_args()
    with baseline_worktree(args.baseline, prefix="geo-catalogue-") as (scratch, base_dir):
        caches = {"new": scratch / "cache-new", "base": scratch / "cache-base"}
        small = _csv(scratch / "warm.csv", 50)
        for code_dir, who in ((REPO, "new"), (base_dir, "base")):
            run_cli(code_dir, caches[who], ["assess-events", str(small), "-o", str(scratch / "warm-out.csv")])
        base_csv = _csv(scratch / "base.csv", args.baseline_rows)
        base = run_cli(base_dir, caches["base"], ["assess-events", str(base_csv), "-o", str(scratch / "base-out.csv")])
        for n in (int(v) for v in args.rows.split(",") if v.strip()):  # --rows "": import-cns only
            rows = _csv(scratch / f"rows-{n}.csv", n)
            new = run_cli(REPO, caches["new"], ["assess-events", str(rows), "-o", str(scratch / f"out-{n}.csv")])
            _emit("assess_events_latlon", n, new, args.baseline_rows, base)
        if args.cns.is_file():
            cns = [["import-cns", str(args.cns), "-o", str(scratch / f"cns-{who}.gpkg")] for who in ("new", "base")]
            run_cli(REPO, caches["new"], cns[0], ok=(0, 1))  # the zone index cached for both
            run_cli(base_dir, caches["base"], cns[1], ok=(0, 1))
            runs = {who: sorted(run_cli(d, caches[who], c, ok=(0, 1)) for _ in range(max(args.repeat, 1)))
                    for who, d, c in (("new", REPO, cns[0]), ("base", base_dir, cns[1]))}  # fmt: skip
            _emit("import_cns", 245, runs["new"][len(runs["new"]) // 2], 245, runs["base"][len(runs["base"]) // 2])
        else:
            print(json.dumps({"benchmark": "catalogue", "case": "import_cns", "skipped": f"no {args.cns}"}))


if __name__ == "__main__":
    main()
