"""``geo boundaries import -`` (issue 12: ``-`` for stdin on every file argument): a Marine Regions
file piped in as GeoPackage, GeoJSON or zipped Shapefile bytes, its format told from its first
bytes or by ``--format``; anything else is a clear error naming the value and the fix.

The Marine Regions file is test_zones_cli's made-up one (Palau's EEZ as a box), in each format.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from bad_input.conftest import assert_clear_error, assert_json_error, run_cli
from test_zones_cli import _palau

from geo import zones

GEO = Path(sys.executable).with_name("geo")


def _bytes(folder: Path, fmt: str) -> bytes:
    """The made-up Marine Regions file in ``fmt`` (``gpkg``, ``geojson`` or ``shp.zip``), as bytes."""
    palau = gpd.read_file(_palau(folder / "palau.gpkg"))
    if fmt == "shp.zip":
        parts = folder / "shp"
        parts.mkdir()
        palau.to_file(parts / "eez_v12.shp")
        with zipfile.ZipFile(folder / "eez.zip", "w") as z:
            for p in sorted(parts.iterdir()):
                z.write(p, p.name)
        return (folder / "eez.zip").read_bytes()
    path = folder / f"eez.{fmt}"
    palau.to_file(path)
    return path.read_bytes()


@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "shp.zip"])
def test_stdin_is_imported_in_every_format(tmp_path, fmt):
    data = _bytes(tmp_path, fmt)
    out = tmp_path / "official"
    r = run_cli(["boundaries", "import", "-", "-o", str(out)], stdin=data)
    assert r.code == 0 and r.exception is None, r.err
    assert zones.zones_at(134.0, 7.0, path=out).sovereign.tolist() == ["PLW"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["source"] == f"Marine Regions World EEZ (stdin.{fmt})"
    assert manifest["inputs"]["marine_regions"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["layers"]["eez"]["features"] == 1


def test_format_names_what_the_bytes_do_not_tell(tmp_path):
    data = b"  \n" + _bytes(tmp_path, "geojson")  # leading space: still told as GeoJSON
    r = run_cli(["boundaries", "import", "-", "--format", "geojson", "-o", str(tmp_path / "o")], stdin=data)
    assert r.code == 0, r.err


def test_a_real_pipe_through_the_command(tmp_path):
    data = _bytes(tmp_path, "gpkg")
    r = subprocess.run(
        [str(GEO), "boundaries", "import", "-", "-o", "official", "--json"],
        input=data,
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["output"] == str(Path("official") / "eez.gpkg")


def test_unknown_bytes_name_the_bytes_and_the_fix(tmp_path):
    r = run_cli(["boundaries", "import", "-", "-o", str(tmp_path / "o")], stdin=b"MRGID;GEONAME\n1;Palau\n")
    assert_clear_error(r, "b'MRGID;GEONAME", "--format (gpkg, geojson, shp.zip)")
    assert not (tmp_path / "o").exists()


def test_empty_stdin_is_refused(tmp_path):
    assert_json_error(
        run_cli(["boundaries", "import", "-", "-o", str(tmp_path / "o"), "--json"], stdin=b""), "empty"
    )


def test_format_that_contradicts_the_bytes_is_refused(tmp_path):
    data = _bytes(tmp_path, "gpkg")
    r = run_cli(["boundaries", "import", "-", "--format", "geojson", "-o", str(tmp_path / "o")], stdin=data)
    assert_clear_error(r, "holds a gpkg file", "--format gpkg")


def test_format_with_a_file_is_refused(tmp_path):
    path = _palau(tmp_path / "eez.gpkg")
    r = run_cli(["boundaries", "import", str(path), "--format", "gpkg", "-o", str(tmp_path / "o")])
    assert_clear_error(r, "--format gpkg is for stdin", "eez.gpkg")


def test_bad_content_on_stdin_is_the_file_error(tmp_path):
    data = b'{"type": "FeatureCollection", "features": []}'
    r = run_cli(["boundaries", "import", "-", "-o", str(tmp_path / "o")], stdin=data)
    assert_clear_error(r, "stdin.geojson")
