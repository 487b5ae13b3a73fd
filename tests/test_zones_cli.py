"""The ``geo boundaries`` command group (info, export, import; build is run by CI with --check)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

from geo import zones
from geo._cli_boundaries import boundaries

BUNDLE = Path(zones.__file__).resolve().parents[1] / "data" / "boundaries"
needs_bundle = pytest.mark.skipif(not (BUNDLE / "eez.gpkg").exists(), reason="no built layers")


@needs_bundle
def test_info_json():
    result = CliRunner().invoke(boundaries, ["info", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert set(info["layers"]) == set(zones.LAYERS)
    assert info["region"] == "nwpacific"
    assert "ODbL" in info["licence"]
    assert info["inputs"]["osm_land"]["version"] == "0.11.0"
    assert [t["key"] for t in info["treaties"]] == ["JPN-KOR-1974", "CHN-VNM-2000"]
    assert [b["key"] for b in info["baselines"]] == ["CHN-1996"]
    assert {"key": "XKM", "name": "Kinmen (Quemoy) and Wuqiu", "claimants": ["CHN", "TWN"]} in info["disputes"]


@needs_bundle
def test_info_text_names_treaties_baselines_and_disputes():
    result = CliRunner().invoke(boundaries, ["info"])
    assert result.exit_code == 0, result.output
    assert "treaty line: Japan-Republic of Korea northern continental shelf boundary (1974)" in result.output
    assert "baselines: PRC mainland territorial-sea baselines, points 1-18" in result.output
    assert "disputed: Matsu Islands (CHN, TWN)" in result.output


@needs_bundle
@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_export_with_perspective(tmp_path, suffix):
    out = tmp_path / f"eez{suffix}"
    result = CliRunner().invoke(
        boundaries, ["export", "--layer", "eez", "--perspective", "KOR", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    gdf = gpd.read_file(out)
    assert {"sovereign", "status"} <= set(gdf.columns)
    lr = gdf[gdf["name"].str.contains("Liancourt")]
    assert lr.sovereign.tolist() == ["KOR"]
    assert lr.status.tolist() == ["claimed"]


def test_export_rejects_unknown_extension(tmp_path):
    result = CliRunner().invoke(boundaries, ["export", "--layer", "eez", "-o", str(tmp_path / "x.xyz")])
    assert result.exit_code != 0
    assert "unknown extension" in result.output


def test_import_then_query(tmp_path):
    src = tmp_path / "mr.gpkg"
    gpd.GeoDataFrame(
        {
            "MRGID": [1],
            "GEONAME": ["Palau EEZ"],
            "POL_TYPE": ["200NM"],
            "ISO_SOV1": ["PLW"],
            "ISO_TER1": ["PLW"],
        },
        geometry=[shapely.box(130, 2, 136, 10)],
        crs="EPSG:4326",
    ).to_file(src)
    out = tmp_path / "official"
    result = CliRunner().invoke(boundaries, ["import", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    hits = zones.zones_at(134.0, 7.0, path=out)
    assert hits.sovereign.tolist() == ["PLW"]


def test_import_reports_missing_columns(tmp_path):
    src = tmp_path / "bad.gpkg"
    gpd.GeoDataFrame({"NAME": ["x"]}, geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:4326").to_file(src)
    result = CliRunner().invoke(boundaries, ["import", str(src), "-o", str(tmp_path / "o")])
    assert result.exit_code != 0
    assert "MRGID" in result.output
