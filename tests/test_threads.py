"""The zone index reads a folder's layers on threads: no Python AST is built on two at once.

numpy parses a ``.npy`` header with ``ast.literal_eval``; on CPython 3.11 two threads
converting ASTs at once can fail with ``SystemError: AST constructor recursion depth
mismatch`` (CI saw it once, on the world bundle). So every AST a worker thread builds must be
built under ``geo._io.NUMPY_LOAD_LOCK``, and the modules a build imports (pandas parses
signatures at import) are imported before the threads start. These tests watch every
``compile(..., PyCF_ONLY_AST)`` (what ``ast.parse`` and ``ast.literal_eval`` call) made off the
main thread.
"""

from __future__ import annotations

import ast
import builtins
import json
import os
import subprocess
import sys
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo import zones
from geo._io import NUMPY_LOAD_LOCK
from geo._zonefile import read_layer, write_layer

_WATCH = r'''
import ast, builtins, json, sys, threading, traceback
from geo._io import NUMPY_LOAD_LOCK
seen = {"locked": 0, "unlocked": []}
_compile = builtins.compile
def compile(source, filename, mode, flags=0, *args, **kwargs):
    if flags & ast.PyCF_ONLY_AST and threading.current_thread() is not threading.main_thread():
        if NUMPY_LOAD_LOCK.held():
            seen["locked"] += 1
        else:
            seen["unlocked"].append("".join(traceback.format_stack(limit=8)))
    return _compile(source, filename, mode, flags, *args, **kwargs)
builtins.compile = compile
'''


def test_a_cold_folder_build_on_threads_builds_asts_only_under_the_lock(tmp_path: Path) -> None:
    # a new process (nothing imported yet) and an empty cache: every layer is built, 4 threads
    script = _WATCH + r'''
from geo import assess
assess.build_threads = lambda files: 4
index = assess._folder_index(sys.argv[1], None)
cold = sorted(index.layers)
assess._folder_index.cache_clear()
warm = assess._folder_index(sys.argv[1], None)
a = assess.assess_point(134.0, 40.0, zones=warm)
print(json.dumps({**seen, "layers": cold, "eez": a.eez}))
'''
    env = {**os.environ, "GEO_CACHE_DIR": str(tmp_path / "cache"), "PYTHONDONTWRITEBYTECODE": "1"}
    r = subprocess.run(
        [sys.executable, "-c", script, str(zones.boundaries_dir())],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert {"eez", "territorial_sea", "contiguous_zone", "land"} <= set(out["layers"])
    assert out["eez"] == "RUS"  # 40 N 134 E: the Sea of Japan, Russia's EEZ (the bundled answer)
    assert out["unlocked"] == [], "ASTs built on a worker thread outside the lock:\n" + "\n".join(out["unlocked"][:3])
    # the store's headers were read on the threads (under the lock): the watch saw them
    assert out["locked"] > 0


def test_zone_layer_files_read_on_threads_parse_headers_under_the_lock(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame(
        {"sovereign": ["AAA", "BBB"]},
        geometry=[shapely.box(0, 0, 1, 1), shapely.MultiPolygon([shapely.box(2, 0, 3, 1), shapely.box(4, 0, 5, 2)])],
        crs="EPSG:4326",
    )
    files = [write_layer(gdf, tmp_path / f"layer{i}.zones") for i in range(4)]
    seen: dict[str, list[str]] = {"locked": [], "unlocked": []}
    original = builtins.compile

    def watched(source, filename, mode, flags=0, *args, **kwargs):  # type: ignore[no-untyped-def]
        if flags & ast.PyCF_ONLY_AST and threading.current_thread() is not threading.main_thread():
            seen["locked" if NUMPY_LOAD_LOCK.held() else "unlocked"].append("".join(traceback.format_stack(limit=8)))
        return original(source, filename, mode, flags, *args, **kwargs)

    builtins.compile = watched
    try:
        with ThreadPoolExecutor(4) as pool:
            frames = list(pool.map(read_layer, files))
    finally:
        builtins.compile = original
    assert seen["unlocked"] == [], seen["unlocked"][:1]
    assert len(seen["locked"]) == 4 * 5  # five arrays a file, each header parsed under the lock
    for frame in frames:
        assert frame["sovereign"].tolist() == ["AAA", "BBB"]
        assert np.allclose(shapely.area(np.asarray(frame.geometry.values)), [1.0, 3.0])


def test_the_lock_knows_its_holder() -> None:
    assert not NUMPY_LOAD_LOCK.held()
    with NUMPY_LOAD_LOCK:
        assert NUMPY_LOAD_LOCK.held()
        with ThreadPoolExecutor(1) as pool:  # another thread does not hold it
            assert pool.submit(NUMPY_LOAD_LOCK.held).result() is False
    assert not NUMPY_LOAD_LOCK.held()


def test_a_zone_file_member_of_an_unknown_npy_version_is_a_clear_error(tmp_path: Path) -> None:
    import zipfile

    from geo._zonefile import ZoneFileError

    gdf = gpd.GeoDataFrame({"sovereign": ["AAA"]}, geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:4326")
    path = write_layer(gdf, tmp_path / "a.zones")
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["x.npy"] = members["x.npy"][:6] + bytes((3, 0)) + members["x.npy"][8:]
    bad = tmp_path / "bad.zones"
    with zipfile.ZipFile(bad, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)
    with pytest.raises(ZoneFileError, match=r"bad\.zones.*format 3\.0"):
        read_layer(bad)


def _sized(folder: Path, sizes_mb: dict[str, float], suffix: str) -> list[Path]:
    files = []
    for name, mb in sizes_mb.items():
        f = folder / f"{name}{suffix}"
        with open(f, "wb") as fh:  # sparse: only the size counts
            fh.truncate(int(mb * 1e6))
        files.append(f)
    return files


def test_world_layers_are_built_one_at_a_time_when_two_would_not_fit(tmp_path: Path) -> None:
    from geo.assess.threads import build_memory, build_threads

    # the world bundle's four largest layers (MB on disk) and what one build needs (~160 x)
    world = _sized(tmp_path, {"land": 24.6, "territorial_sea": 22.9, "eez": 20.2, "contiguous_zone": 5.4}, ".npz")
    assert 3.5e9 < build_memory(world[0]) < 4.5e9  # measured: 3.96 GB peak for the whole serial build
    gib = 2**30
    assert build_threads(world, available=24 * gib, n_cores=2) == 2  # this CI machine: 7.8 GB at once fits in 12
    assert build_threads(world, available=21 * gib, n_cores=4) == 3  # all four (11.7 GB) would pass half of 21 GiB
    assert build_threads(world, available=8 * gib, n_cores=4) == 1  # a laptop: one at a time (~4 GB peak)
    # the region's GeoPackages are small: the cores decide
    region = _sized(tmp_path, {"land": 12.0, "territorial_sea": 12.0, "eez": 8.9, "contiguous_zone": 4.3}, ".gpkg")
    assert build_threads(region, available=8 * gib, n_cores=4) == 4
    assert build_threads(region, available=8 * gib, n_cores=1) == 1
    assert build_threads(region[:1], available=8 * gib, n_cores=4) == 1  # one layer: no thread needed
    assert build_threads([], available=8 * gib, n_cores=4) == 1


def test_the_memory_available_is_asked_when_not_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.assess import threads

    world = _sized(tmp_path, {"land": 24.6, "eez": 20.2}, ".npz")
    monkeypatch.setattr(threads, "available_memory", lambda: 24 * 2**30)
    assert threads.build_threads(world, n_cores=2) == 2
    monkeypatch.setattr(threads, "available_memory", lambda: 8 * 2**30)
    assert threads.build_threads(world, n_cores=2) == 1
    monkeypatch.setattr(threads, "available_memory", lambda: None)  # unknown: one at a time
    assert threads.build_threads(world, n_cores=2) == 1


def test_available_memory_reads_this_machine() -> None:
    from geo.assess.threads import available_memory

    avail = available_memory()
    assert avail is None or 2**20 < avail < 2**50
