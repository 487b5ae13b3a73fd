"""The ``geo boundaries`` command group (info, export, import; build is run by CI with --check)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

from geo import zones
from geo.cli import main
from geo.cli.boundaries import boundaries

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
    assert {"key": "XKM", "name": "Kinmen (Quemoy) and Wuqiu", "claimants": ["CHN", "TWN"]} in info[
        "disputes"
    ]


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
    gdf = gpd.read_file(out, layer="eez")  # a GeoPackage also holds its layer_styles table
    assert {"sovereign", "status"} <= set(gdf.columns)
    lr = gdf[gdf["name"].str.contains("Liancourt")]
    assert lr.sovereign.tolist() == ["KOR"]
    assert lr.status.tolist() == ["claimed"]


def test_export_rejects_unknown_extension(tmp_path):
    result = CliRunner().invoke(
        main, ["boundaries", "export", "--layer", "eez", "-o", str(tmp_path / "x.xyz")]
    )
    assert result.exit_code == 2
    assert "cannot tell the format of" in result.stderr and ".xyz" in result.stderr


@needs_bundle
@pytest.mark.parametrize("code", ["XXX", "jpx", "ZZZ"])
def test_export_refuses_an_unknown_perspective_as_assess_does(tmp_path, code):
    out = tmp_path / "eez.gpkg"
    result = CliRunner().invoke(
        main, ["boundaries", "export", "--layer", "eez", "--perspective", code, "-o", str(out)]
    )
    assert result.exit_code == 2
    assert f"unknown perspective {code!r}" in result.stderr
    assert "JPN" in result.stderr and "KOR" in result.stderr  # the known codes are named
    assert not out.exists()


@needs_bundle
def test_export_perspective_is_case_blind_and_reported(tmp_path):
    out = tmp_path / "eez.geojson"
    result = CliRunner().invoke(
        main, ["boundaries", "export", "--layer", "eez", "--perspective", "jpn", "-o", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["perspective"] == "JPN"
    senkaku = gpd.read_file(out).query("name.str.contains('Senkaku')", engine="python")
    assert senkaku.sovereign.tolist() == ["JPN"]


@needs_bundle
def test_export_shapefile_has_every_part(tmp_path):
    out = tmp_path / "ts.shp"
    result = CliRunner().invoke(main, ["boundaries", "export", "--layer", "territorial_sea", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert {p.suffix for p in tmp_path.iterdir()} == {".shp", ".shx", ".dbf", ".prj", ".cpg"}
    gdf = gpd.read_file(out)
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == len(zones.load_zones("territorial_sea"))


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
    result = CliRunner().invoke(main, ["boundaries", "import", str(src), "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "MRGID" in result.stderr


def _palau(path, *, name="Palau EEZ"):
    gpd.GeoDataFrame(
        {"MRGID": [1], "GEONAME": [name], "POL_TYPE": ["200NM"], "ISO_SOV1": ["PLW"], "ISO_TER1": ["PLW"]},
        geometry=[shapely.box(130, 2, 136, 10)],
        crs="EPSG:4326",
    ).to_file(path)
    return path


def test_import_that_fails_to_write_keeps_the_earlier_layer(tmp_path, monkeypatch):
    out = tmp_path / "official"
    zones.import_marine_regions(_palau(tmp_path / "a.gpkg"), out)
    before = (out / "eez.gpkg").read_bytes()
    other = _palau(tmp_path / "b.gpkg", name="other")

    def broken(self, *args, **kwargs):
        Path(args[0]).write_bytes(b"half a GeoPackage")
        raise OSError("disk unplugged")

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", broken)
    with pytest.raises(OSError, match="disk unplugged"):
        zones.import_marine_regions(other, out)
    assert (out / "eez.gpkg").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["eez.gpkg", "manifest.json"]


def test_import_writes_a_manifest_with_source_layers_and_box(tmp_path):
    out = tmp_path / "official"
    zones.import_marine_regions(_palau(tmp_path / "mr.gpkg"), out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["layers"] == {"eez": {"file": "eez.gpkg", "features": 1}}
    assert manifest["box"] == [130.0, 2.0, 136.0, 10.0]
    assert manifest["source"] == "Marine Regions World EEZ (mr.gpkg)"


def test_imported_folder_answers_geo_assess(tmp_path, monkeypatch):
    out = tmp_path / "official"
    zones.import_marine_regions(_palau(tmp_path / "mr.gpkg"), out)
    monkeypatch.setenv("GEO_BOUNDARIES_DIR", str(out))
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path / "cache"))
    from geo import assess

    assess.zone_index.cache_clear()
    try:
        result = CliRunner().invoke(main, ["assess", "--lat", "7", "--lon", "134", "--json"])
    finally:
        assess.zone_index.cache_clear()
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["eez"] == "PLW"


@needs_bundle
@pytest.mark.parametrize("ext", [".gpkg", ".geojson", ".kml", ".kmz", ".parquet", ".shp.zip", ".shp"])
def test_export_writes_every_format_of_geo_export(tmp_path, ext):
    """One writer path: boundaries export takes what geo export takes (it refused .kml and .shp.zip)."""
    from geo import io

    out = tmp_path / f"ts{ext}"
    result = CliRunner().invoke(main, ["boundaries", "export", "--layer", "territorial_sea", "-o", str(out)])
    assert result.exit_code == 0, result.output
    back = io.read_layers(out)
    assert list(back) == ["ts" if ext == ".shp" else "territorial_sea"]
    got = next(iter(back.values()))
    assert len(got) == len(zones.load_zones("territorial_sea"))
    assert set(got["sovereign"].dropna()) >= {"JPN", "KOR", "CHN"}


@pytest.mark.parametrize("name", ["x.csv", "x.fgb", "x.json", "x"])
def test_export_refuses_other_extensions_naming_the_formats(tmp_path, name):
    """x.csv raised pandas' 'Geometry column does not contain geometry' UserWarning (an error here)."""
    result = CliRunner().invoke(
        main, ["boundaries", "export", "--layer", "eez", "-o", str(tmp_path / name), "--json"]
    )
    assert result.exit_code == 2, result.output
    message = json.loads(result.stdout)["error"]["message"]
    assert "cannot tell the format of" in message and name in message
    assert ".gpkg, .geojson, .kml, .kmz, .parquet, .shp.zip, .shp" in message
    assert list(tmp_path.iterdir()) == []


@needs_bundle
def test_info_json_is_valid_json_with_sorted_keys():
    result = CliRunner().invoke(main, ["boundaries", "info", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert list(info) == sorted(info)
    assert "NaN" not in result.stdout
