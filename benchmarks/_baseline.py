"""The code before a change, checked out beside this one, and CLI runs of either: for benchmarks that compare in one run.

``latency.py`` and ``catalogue.py`` import it (run as scripts, their folder is on ``sys.path``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASELINE = "64aa506"  # HEAD when the latency work of issue 14 started


@contextlib.contextmanager
def baseline_worktree(rev: str, *, prefix: str) -> Iterator[tuple[Path, Path]]:
    """(a scratch folder, the code at ``rev`` checked out inside it with ``git worktree``); both removed after."""
    scratch = Path(tempfile.mkdtemp(prefix=prefix))
    base_dir = scratch / "baseline"
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(base_dir), rev], check=True, capture_output=True)
    try:
        yield scratch, base_dir
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(base_dir)], capture_output=True)
        shutil.rmtree(scratch, ignore_errors=True)


def run_cli(code_dir: Path, cache: Path, args: list[str], *, ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """(wall seconds, peak RSS MB) of one ``geo`` run of the code in ``code_dir`` (first on PYTHONPATH), cache ``cache``."""
    env = {**os.environ, "PYTHONPATH": str(code_dir), "GEO_CACHE_DIR": str(cache)}
    env.pop("GEO_BOUNDARIES_DIR", None)
    cmd = ["/usr/bin/time", "-f", "%e %M", sys.executable, "-c", "from geo.cli import main; main()", *args]
    out = subprocess.run(cmd, env=env, cwd=code_dir, capture_output=True, text=True, timeout=7200)
    if out.returncode not in ok:
        raise SystemExit(f"{' '.join(args)} failed in {code_dir}: {out.stderr[-2000:]}")
    wall, rss_kb = out.stderr.strip().splitlines()[-1].split()[-2:]
    return float(wall), float(rss_kb) / 1024.0
