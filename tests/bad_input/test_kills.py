"""Kills mid-write: every writer leaves its target absent or whole, and no scratch behind.

Each writer runs in a subprocess that is SIGKILLed at three seeded random moments spread over
its measured duration. After each kill the target is either absent (only if there was none
before) or whole: it opens and holds the expected layers and rows -- an earlier version,
if there was one, or the new one. A dead writer's scratch (``.NAME.pidPID.XXXXXXXX.part``,
planted as a kill leaves it, besides whatever the kills left) is gone after one more
normal run.
"""

from __future__ import annotations

import csv
import io as _stdio
import json
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from _cns_header import CNS_HEADER

from geo import io

RUN = "import sys; from geo.cli import main; sys.argv[0] = 'geo'; main()"
KILLS = 3


@dataclass
class Writer:
    args: Callable[[Path], list[str]]
    target: str
    check: Callable[[Path], Any]  # a summary of a whole target; raises on a broken one
    inputs: Callable[[Path], None] = lambda folder: None
    marks: list[Any] = field(default_factory=list)


# ---------------------------------------------------------------------- what "whole" means


def _layers(path: Path) -> dict[str, int]:
    return {name: len(gdf) for name, gdf in io.read_layers(path).items()}


def _gis(path: Path) -> int:
    import pyogrio

    # A GeoPackage also holds QGIS's layer_styles table: read its first feature layer.
    layer = next((n for n, g in pyogrio.list_layers(path) if g), None) if path.suffix == ".gpkg" else None
    gdf = gpd.read_file(path, layer=layer)
    assert gdf.crs is not None and gdf.crs.to_epsg() == 4326
    return len(gdf)


def _shapefile(path: Path) -> int:
    for suffix in (".shx", ".dbf", ".prj", ".cpg"):
        assert path.with_suffix(suffix).exists(), suffix
    return _gis(path)


def _html(path: Path) -> int:
    text = path.read_text(encoding="utf-8")
    assert text.lstrip().lower().startswith("<!doctype html>") and text.rstrip().endswith("</html>")
    return len(text)


def _png(path: Path) -> bool:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[-8:-4] == b"IEND"
    return True


def _feature(path: Path) -> str:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "Feature"
    return str(shapely.geometry.shape(doc["geometry"]).geom_type)


def _csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {"lat", "lon"} <= set(rows[0])
    return len(rows)


def _import(path: Path) -> tuple[int, list[str]]:
    manifest = json.loads((path.parent / "manifest.json").read_text())
    return _gis(path), list(manifest["layers"])


# ---------------------------------------------------------------------- inputs


def _events(folder: Path) -> None:
    (folder / "events.csv").write_text(
        "name,date,lat,lon\nfirst,2022-01-27,40.5,135.0\nsecond,2022-01-28,41.0,136.0\n", encoding="utf-8"
    )


def _marine_regions(folder: Path) -> None:
    gpd.GeoDataFrame(
        {
            "MRGID": [1, 2],
            "GEONAME": ["Palau EEZ", "Guam"],
            "POL_TYPE": ["200NM", "200NM"],
            "ISO_SOV1": ["PLW", "USA"],
        },
        geometry=[shapely.box(130, 2, 136, 10), shapely.box(141, 10, 148, 17)],
        crs="EPSG:4326",
    ).to_file(folder / "mr.gpkg")


def _cns(folder: Path) -> None:
    row = ["1", "3-Mar-99", "", "", "Test-1", "SRBM", "", "Range 1", "Nowhere", "", "39.31", "127.21",
           "Sea of Japan or East Sea", "55 km", "610 km", "Confirmed", "Success", "note", "https://example.org"]  # fmt: skip
    buf = _stdio.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([CNS_HEADER, row])
    (folder / "cns.csv").write_text(buf.getvalue(), encoding="utf-8")


SITE = ["--site", "Hamhung", "--rings-km", "190"]
SLOW = [pytest.mark.slow]

WRITERS: dict[str, Writer] = {
    "export_gpkg": Writer(
        lambda d: ["export", *SITE, "--perspective", "JPN", "-o", str(d / "x.gpkg")], "x.gpkg", _layers
    ),
    "export_kml": Writer(
        lambda d: ["export", *SITE, "--perspective", "JPN", "-o", str(d / "x.kml")], "x.kml", _layers
    ),
    "export_geojson": Writer(
        lambda d: ["export", *SITE, "--no-zones", "-o", str(d / "x.geojson")], "x.geojson", _layers
    ),
    "export_parquet": Writer(
        lambda d: ["export", *SITE, "--no-zones", "-o", str(d / "x.parquet")], "x.parquet", _layers
    ),
    "export_shp_zip": Writer(
        lambda d: ["export", *SITE, "--no-zones", "-o", str(d / "x.shp.zip")], "x.shp.zip", _layers
    ),
    "boundaries_export_gpkg": Writer(
        lambda d: [
            "boundaries",
            "export",
            "--layer",
            "territorial_sea",
            "--perspective",
            "JPN",
            "-o",
            str(d / "ts.gpkg"),
        ],
        "ts.gpkg",
        _gis,
    ),
    "boundaries_export_shp": Writer(
        lambda d: ["boundaries", "export", "--layer", "territorial_sea", "-o", str(d / "ts.shp")],
        "ts.shp",
        _shapefile,
    ),
    "boundaries_import": Writer(
        lambda d: ["boundaries", "import", str(d / "mr.gpkg"), "-o", str(d / "official")],
        "official/eez.gpkg",
        _import,
        _marine_regions,
    ),
    "map_html": Writer(lambda d: ["map", *SITE, "--no-zones", "-o", str(d / "x.html")], "x.html", _html),
    "figure_png": Writer(
        lambda d: ["figure", *SITE, "--no-zones", "--dpi", "60", "-o", str(d / "x.png")],
        "x.png",
        _png,
    ),
    "ring_geojson": Writer(
        lambda d: ["ring", "--lat", "40", "--lon", "135", "--radius-km", "1000", "-o", str(d / "r.geojson")],
        "r.geojson",
        _feature,
    ),
    "assess_events_gpkg": Writer(
        lambda d: ["assess-events", str(d / "events.csv"), "-o", str(d / "a.gpkg")],
        "a.gpkg",
        _gis,
        _events,
        SLOW,
    ),
    "import_cns_csv": Writer(
        lambda d: ["import-cns", str(d / "cns.csv"), "--samples", "200", "-o", str(d / "c.csv")],
        "c.csv",
        _csv_rows,
        _cns,
        SLOW,
    ),
}


def _start(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", RUN, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _run(args: list[str]) -> float:
    start = time.perf_counter()
    proc = _start(args)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode(errors="replace")
    return time.perf_counter() - start


def _scratch(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".part"))


def _dead_pid() -> int:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(proc.stdout)


@pytest.mark.parametrize("name", [pytest.param(n, marks=w.marks, id=n) for n, w in WRITERS.items()])
def test_killed_writer_leaves_target_absent_or_whole(tmp_path: Path, name: str) -> None:
    writer = WRITERS[name]
    writer.inputs(tmp_path)
    args = writer.args(tmp_path)
    target = tmp_path / writer.target
    folder = target.parent
    duration = _run(args)
    expected = writer.check(target)
    target.unlink()  # the first kill has no earlier version to keep
    rng = random.Random(f"{name}-kill")
    for moment in sorted(rng.uniform(0.2, 1.0) * duration for _ in range(KILLS)):
        earlier = target.exists()
        proc = _start(args)
        time.sleep(moment)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        if target.exists():
            assert writer.check(target) == expected, f"killed at {moment:.2f} s of {duration:.2f} s"
        else:
            assert not earlier, f"killed at {moment:.2f} s: the earlier version is gone"
    stale = folder / f".{target.name}.pid{_dead_pid()}.abcdefgh.part"
    stale.mkdir()
    (stale / target.name).write_bytes(b"half written" * 1000)
    _run(args)
    assert writer.check(target) == expected
    assert _scratch(folder) == []


def test_kill_during_shapefile_parts_move_leaves_no_mixed_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old .shp goes first and the new one comes last: between, the target reads as absent."""
    from geo import _io

    target = tmp_path / "ts.shp"
    gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(0, 0)], crs="EPSG:4326").to_file(target)
    seen: list[bool] = []
    real_replace = os.replace

    def watching_replace(src: Any, dst: Any) -> None:
        seen.append(target.exists())
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", watching_replace)
    new = gpd.GeoDataFrame({"a": [1, 2]}, geometry=[shapely.Point(0, 0)] * 2, crs="EPSG:4326")
    with _io.atomic_path(target, sidecars=_io.SHAPEFILE_PARTS) as tmp:
        new.to_file(tmp)
    assert seen == [False] * 5  # .shx .dbf .prj .cpg, then the .shp: never an old .shp with new parts
    assert len(gpd.read_file(target)) == 2


def test_zip_check_sees_a_cut_zip(tmp_path: Path) -> None:
    """The 'whole' check for .shp.zip is real: a cut archive does not pass it."""
    path = tmp_path / "x.shp.zip"
    frame = gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.Point(0, 0)], crs="EPSG:4326")
    io.export_layers({"sites": frame}, path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises((ValueError, zipfile.BadZipFile)):
        _layers(path)
