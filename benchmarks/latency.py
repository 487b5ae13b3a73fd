"""What an analyst waits for: ``geo --help``, one point, the seed's first command; warm and cold; the world.

    python benchmarks/latency.py [--baseline REV] [--repeat 3] [--world]

Each case runs as the CLI in a fresh process (``python -c "from geo.cli import main; main()"``)
under ``/usr/bin/time``: wall seconds and peak RSS, median of ``--repeat`` runs. The
**baseline** is the code at ``REV`` (default: the commit before issue 14's latency work),
checked out with ``git worktree`` in a scratch folder and run the same way in the same run
(``PYTHONPATH`` puts it before the installed checkout), with its own cache folder.
*Warm* runs after one run that fills the cache; *cold* starts from an empty
``GEO_CACHE_DIR``. ``--world`` adds one Red Sea point (14.0 N 42.5 E, the world bundle),
cold and warm: slow for the baseline (about a minute and 5 GB per run), so one run each.

One JSON line per case: ``seconds``, ``baseline_seconds``, ``speedup``, ``peak_rss_mb``,
``baseline_peak_rss_mb``, and the modules a heavy import would show (for ``help``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from _baseline import BASELINE, REPO, baseline_worktree, run_cli

CASES = {
    "help": ["--help"],
    "point": ["assess", "--lat", "40", "--lon", "134", "--json"],
    "site": ["assess", "--site", "Hamhung", "--range-km", "190", "--azimuth", "30:150", "--perspective", "JPN"],
}
WORLD = ["assess", "--lat", "14.0", "--lon", "42.5", "--json"]


def _median(code_dir: Path, cache: Path, args: list[str], repeat: int) -> tuple[float, float]:
    runs = [run_cli(code_dir, cache, args) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def _emit(case: str, new: tuple[float, float], base: tuple[float, float], **extra: object) -> None:
    print(json.dumps({
        "benchmark": "latency", "case": case, "seconds": round(new[0], 3), "baseline_seconds": round(base[0], 3),
        "speedup": round(base[0] / new[0], 2) if new[0] else None, "peak_rss_mb": round(new[1]),
        "baseline_peak_rss_mb": round(base[1]), **extra,
    }), flush=True)  # fmt: skip


def _heavy_modules(code_dir: Path) -> list[str]:
    code = (
        "import sys\nsys.argv = ['geo', '--help']\nfrom geo.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'geopandas', 'pandas', 'scipy', 'pyogrio', 'shapely', 'pyproj'}), file=sys.__stderr__)"
    )
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(code_dir)}, cwd=code_dir,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    return list(json.loads(out.stderr.strip().splitlines()[-1].replace("'", '"')))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default=BASELINE)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--world", action="store_true", help="also the Red Sea point on the world bundle (slow baseline)")
    ap.add_argument("--cases", default="help,point,site")
    args = ap.parse_args()
    with baseline_worktree(args.baseline, prefix="geo-latency-") as (scratch, base_dir):
        for who in ("new", "base"):
            (scratch / who).mkdir()
        for case in args.cases.split(","):
            argv = CASES[case]
            if case == "help":
                _emit(case, _median(REPO, scratch / "new", argv, 5), _median(base_dir, scratch / "base", argv, 5),
                      heavy_modules=_heavy_modules(REPO), baseline_heavy_modules=_heavy_modules(base_dir))  # fmt: skip
                continue
            cold = {}
            for code_dir, who in ((REPO, "new"), (base_dir, "base")):
                empty = scratch / f"{who}-cold-{case}"
                cold[who] = run_cli(code_dir, empty, argv)
                shutil.rmtree(empty, ignore_errors=True)
            _emit(f"{case}_cold", cold["new"], cold["base"])
            for code_dir, who in ((REPO, "new"), (base_dir, "base")):
                run_cli(code_dir, scratch / who, argv)  # fills the cache
            _emit(f"{case}_warm", _median(REPO, scratch / "new", argv, args.repeat),
                  _median(base_dir, scratch / "base", argv, args.repeat))  # fmt: skip
        if args.world:
            cold = {}
            for code_dir, who in ((REPO, "new"), (base_dir, "base")):
                cold[who] = run_cli(code_dir, scratch / f"{who}-world", WORLD)
            _emit("world_red_sea_cold", cold["new"], cold["base"])
            _emit("world_red_sea_warm", run_cli(REPO, scratch / "new-world", WORLD), run_cli(base_dir, scratch / "base-world", WORLD))


if __name__ == "__main__":
    main()
