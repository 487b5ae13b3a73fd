"""``geo export`` and ``geo boundaries export`` with ``-o -``: the file itself on stdout."""

from __future__ import annotations

import json
from pathlib import Path

import pyogrio
from click.testing import CliRunner

from geo.cli import main

SEED = ["export", "--site", "Hamhung", "--rings-km", "190", "--no-zones"]


def test_export_geojson_to_stdout_is_the_file() -> None:
    r = CliRunner().invoke(main, [*SEED, "-o", "-", "--format", "geojson"])
    assert r.exit_code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert "wrote stdout" in r.stderr


def test_export_gpkg_to_stdout_opens(tmp_path: Path) -> None:
    r = CliRunner().invoke(main, [*SEED, "-o", "-", "--format", "gpkg"])
    assert r.exit_code == 0, r.stderr
    path = tmp_path / "x.gpkg"
    path.write_bytes(r.stdout_bytes)
    names = {str(n) for n, _ in pyogrio.list_layers(path)}
    assert {"sites", "rings"} <= names


def test_boundaries_export_to_stdout() -> None:
    r = CliRunner().invoke(
        main, ["boundaries", "export", "--layer", "territorial_sea", "--perspective", "JPN", "-o", "-", "--format", "kml"]
    )
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("<?xml") and "<kml" in r.stdout[:400]


def test_stdout_needs_a_format_and_no_json() -> None:
    r = CliRunner().invoke(main, [*SEED, "-o", "-"])
    assert r.exit_code == 2 and "needs --format" in r.stderr and r.stdout == ""
    r = CliRunner().invoke(main, [*SEED, "-o", "-", "--format", "kml", "--json"])
    assert r.exit_code == 2 and "leave out --json" in r.stderr
