"""Output paths: every writer refuses a path it cannot write in one line naming the user's path.

Folders given as ``-o``, a parent that is a file, a missing parent folder, a read-only file
or folder, a name without a known suffix: one ``error:`` line with the path and the fix,
never a traceback or the name of a scratch file. Upper-case suffixes are read as the format.
Tests run as root, which ignores permissions, so read-only paths are simulated by patching
what the operating system answers (``os.access``, and the scratch folder's creation).
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely

from geo import _io, io

from .conftest import assert_clear_error, assert_json_error, run_cli

Args = Callable[[str], list[str]]

#: command -> (arguments given the output path, the output's suffix)
COMMANDS: dict[str, tuple[Args, str]] = {
    "ring": (lambda p: ["ring", "--lat", "40", "--lon", "135", "--radius-km", "100", "-o", p], ".geojson"),
    "export": (
        lambda p: ["export", "--site", "Hamhung", "--rings-km", "100", "--no-zones", "-o", p],
        ".gpkg",
    ),
    "boundaries_export": (lambda p: ["boundaries", "export", "--layer", "territorial_sea", "-o", p], ".gpkg"),
    "map": (lambda p: ["map", "--site", "Hamhung", "--no-zones", "-o", p], ".html"),
    "figure": (
        lambda p: ["figure", "--site", "Hamhung", "--rings-km", "100", "--no-zones", "--dpi", "50", "-o", p],
        ".png",
    ),
}

def _deny_writes(monkeypatch: pytest.MonkeyPatch, *denied: Path) -> None:
    """Answer as the OS would for read-only ``denied`` paths (root is never denied for real)."""
    real_access, real_mkdtemp, real_mkstemp = os.access, tempfile.mkdtemp, tempfile.mkstemp
    denied_str = {str(p) for p in denied}

    def access(path: Any, mode: int, *a: Any, **k: Any) -> bool:
        if str(path) in denied_str and mode & os.W_OK:
            return False
        return real_access(path, mode, *a, **k)

    def refuse(real: Callable[..., Any]) -> Callable[..., Any]:
        def make(*a: Any, dir: Any = None, **k: Any) -> Any:
            if dir is not None and str(dir) in denied_str:
                raise PermissionError(errno.EACCES, "Permission denied", str(Path(dir) / ".scratch.part"))
            return real(*a, dir=dir, **k)

        return make

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(tempfile, "mkdtemp", refuse(real_mkdtemp))
    monkeypatch.setattr(tempfile, "mkstemp", refuse(real_mkstemp))


def _no_scratch(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part")) if folder.is_dir() else []


# ---------------------------------------------------------------------- per command


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_folder_as_output(tmp_path: Path, command: str) -> None:
    args, suffix = COMMANDS[command]
    target = tmp_path / f"out{suffix}"
    target.mkdir()
    assert_clear_error(run_cli(args(str(target))), str(target), "folder")


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_parent_that_is_a_file(tmp_path: Path, command: str) -> None:
    args, suffix = COMMANDS[command]
    (tmp_path / "file.txt").write_text("x")
    assert_clear_error(run_cli(args(str(tmp_path / "file.txt" / f"out{suffix}"))), "file.txt")
    assert (tmp_path / "file.txt").read_text() == "x"


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_missing_parent_folder(tmp_path: Path, command: str) -> None:
    args, suffix = COMMANDS[command]
    assert_clear_error(run_cli(args(str(tmp_path / "nope" / f"out{suffix}"))), "nope", "mkdir -p")
    assert not (tmp_path / "nope").exists()


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_read_only_file_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    args, suffix = COMMANDS[command]
    target = tmp_path / f"out{suffix}"
    target.write_text("earlier version")
    _deny_writes(monkeypatch, target)
    assert_clear_error(run_cli(args(str(target))), str(target), "read-only", "chmod")
    assert target.read_text() == "earlier version"
    assert _no_scratch(tmp_path) == []


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    args, suffix = COMMANDS[command]
    folder = tmp_path / "ro"
    folder.mkdir()
    _deny_writes(monkeypatch, folder)
    r = run_cli(args(str(folder / f"out{suffix}")))
    assert_clear_error(r, str(folder / f"out{suffix}"), "not writable")
    assert ".part" not in r.err
    assert list(folder.iterdir()) == []


UPPER = {"ring": "OUT.GEOJSON", "export": "OUT.GPKG", "boundaries_export": "OUT.GPKG", "map": "OUT.HTML"}


@pytest.mark.parametrize("command", list(UPPER))
def test_an_upper_case_suffix_is_that_format(tmp_path: Path, command: str) -> None:
    args, _ = COMMANDS[command]
    target = tmp_path / UPPER[command]
    r = run_cli(args(str(target)))
    assert r.code == 0, r.err
    head = target.read_bytes()[:16]
    expected = {".GEOJSON": b"{", ".GPKG": b"SQLite format 3\x00", ".HTML": b"<!DOCTYPE html>"}[target.suffix]
    assert head.startswith(expected) or head.lower().startswith(expected.lower()), head
    assert _no_scratch(tmp_path) == []


def test_an_upper_case_figure_suffix_is_png(tmp_path: Path) -> None:
    args, _ = COMMANDS["figure"]
    r = run_cli(args(str(tmp_path / "OUT.PNG")))
    assert r.code == 0, r.err
    assert (tmp_path / "OUT.PNG").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("command", "name", "needles"),
    [
        ("export", "out", ("'", "out", ".gpkg", ".shp.zip")),
        ("export", "out.shp", ("out.shp", "name it NAME.shp.zip")),
        ("export", "out.txt", ("out.txt", ".geojson")),
        ("boundaries_export", "out", ("'", "out", "none", ".gpkg")),
        ("boundaries_export", "out.csv", ("out.csv", ".kmz", ".shp.zip")),
        ("map", "out.htm.txt", ("out.htm.txt", ".html")),
        ("figure", "out.jpeg", ("out.jpeg", ".png")),
    ],
    ids=["export-none", "export-shp", "export-txt", "bexport-none", "bexport-csv", "map-txt", "figure-jpeg"],
)
def test_a_name_without_a_known_suffix(
    tmp_path: Path, command: str, name: str, needles: tuple[str, ...]
) -> None:
    args, _ = COMMANDS[command]
    assert_clear_error(run_cli(args(str(tmp_path / name))), *needles)
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------- scratch and failures


def test_json_error_for_a_folder_as_output(tmp_path: Path) -> None:
    err = assert_json_error(
        run_cli(["boundaries", "export", "--layer", "eez", "-o", str(tmp_path), "--json"]),
        str(tmp_path),
        "folder",
    )
    assert err["type"] == "OutputPathError"


def test_failing_scratch_names_the_users_path_not_the_scratch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*a: Any, **k: Any) -> str:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".out.gpkg.pid1.abc.part"))

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    r = run_cli(COMMANDS["export"][0](str(tmp_path / "out.gpkg")))
    assert_clear_error(r, str(tmp_path / "out.gpkg"), "permission denied", "writable")
    assert ".part" not in r.err


def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(frames: Any, tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp))

    monkeypatch.setitem(io._WRITERS, "geojson", full)
    target = tmp_path / "out.geojson"
    r = run_cli(["export", "--site", "Hamhung", "--no-zones", "-o", str(target)])
    assert_clear_error(r, str(target), "no space left", "free some space")
    assert list(tmp_path.iterdir()) == []


def test_export_shp_is_written_whole_and_stale_parts_go(tmp_path: Path) -> None:
    target = tmp_path / "eez.shp"
    (tmp_path / "eez.qix").write_bytes(b"stale spatial index of another file")
    r = run_cli(
        ["boundaries", "export", "--layer", "territorial_sea", "--perspective", "JPN", "-o", str(target)]
    )
    assert r.code == 0, r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "eez.cpg",
        "eez.dbf",
        "eez.prj",
        "eez.shp",
        "eez.shx",
    ]
    gdf = gpd.read_file(target)
    assert gdf.crs.to_epsg() == 4326 and len(gdf) > 10
    assert "claimed" in set(gdf["status"]) or "JPN" in set(gdf["sovereign"])
    assert {"sovereign", "claimants", "administra"} <= set(gdf.columns)
    assert "administrator -> administra" in r.err


def test_import_into_a_file_instead_of_a_folder(tmp_path: Path) -> None:
    src = tmp_path / "mr.geojson"
    gpd.GeoDataFrame(
        {"MRGID": [1], "GEONAME": ["Palau EEZ"], "POL_TYPE": ["200NM"], "ISO_SOV1": ["PLW"]},
        geometry=[shapely.box(130, 2, 136, 10)],
        crs="EPSG:4326",
    ).to_file(src)
    (tmp_path / "official").write_text("a file")
    assert_clear_error(
        run_cli(["boundaries", "import", str(src), "-o", str(tmp_path / "official")]),
        "official",
        "not a folder",
    )


def test_stale_scratch_of_dead_writers_is_removed_live_ones_kept(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stale = tmp_path / f".out.gpkg.pid{dead_pid}.abcdefgh.part"
        stale.mkdir()
        (stale / "out.gpkg").write_bytes(b"x" * 100_000)
        busy = tmp_path / f".out.gpkg.pid{live.pid}.ijklmnop.part"
        busy.mkdir()
        legacy_old, legacy_new = tmp_path / ".out.gpkg.old_tmp.part", tmp_path / ".out.gpkg.new_tmp.part"
        legacy_old.mkdir()
        legacy_new.mkdir()
        day_ago = time.time() - 2 * 86400
        os.utime(legacy_old, (day_ago, day_ago))
        other = tmp_path / f".out.gpkg.x.pid{dead_pid}.abcdefgh.part"  # scratch of 'out.gpkg.x'
        other.mkdir()
        r = run_cli(COMMANDS["export"][0](str(tmp_path / "out.gpkg")))
        assert r.code == 0, r.err
        assert _no_scratch(tmp_path) == sorted([busy.name, legacy_new.name, other.name])
    finally:
        live.kill()
        live.wait()
    assert [p.name for p in _io.clean_stale_scratch(tmp_path / "out.gpkg")] == [busy.name]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permissions")
def test_a_really_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        r = run_cli(COMMANDS["ring"][0](str(folder / "out.geojson")))
        assert_clear_error(r, str(folder / "out.geojson"), "not writable")
    finally:
        folder.chmod(0o755)


def test_manifest_of_an_import_is_json_with_the_files_box(tmp_path: Path) -> None:
    src = tmp_path / "mr.geojson"
    gpd.GeoDataFrame(
        {"MRGID": [1], "GEONAME": ["Palau EEZ"], "POL_TYPE": ["200NM"], "ISO_SOV1": ["PLW"]},
        geometry=[shapely.box(130, 2, 136, 10)],
        crs="EPSG:4326",
    ).to_file(src)
    r = run_cli(["boundaries", "import", str(src), "-o", str(tmp_path / "official")])
    assert r.code == 0, r.err
    manifest = json.loads((tmp_path / "official" / "manifest.json").read_text())
    assert list(manifest["layers"]) == ["eez"] and manifest["box"] == [130.0, 2.0, 136.0, 10.0]
    assert "mr.geojson" in manifest["source"]
    assert _no_scratch(tmp_path / "official") == []
