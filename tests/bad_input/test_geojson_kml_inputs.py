"""GeoJSON, KML, GeoPackage, Shapefile and Marine Regions files that ``geo`` reads.

``geo.io.read_layers`` (GIS files back) and ``geo boundaries import`` (Marine Regions World
EEZ): empty collections, broken JSON or XML, a CRS that lies or is missing, metres where
degrees belong, geometries past 180 deg. Each ends in a clear error naming the file and the
fix, or the right answer.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from geo import io, zones
from geo._errors import GeoError

from .conftest import assert_clear_error, run_cli

KML_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _fc(*features: dict, **extra: object) -> str:
    return json.dumps({"type": "FeatureCollection", **extra, "features": list(features)})


def _point(x: float, y: float, **props: object) -> dict:
    return {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": [x, y]}}


# ---------------------------------------------------------------------- geo.io.read_layers: clear errors


BAD_FILES = {
    "empty_feature_collection": ("x.geojson", _fc(), "holds no layers with features"),
    "invalid_json": ("x.geojson", '{"type": "FeatureCollection", "features": [', "cannot read .* as GeoJSON"),
    "a_lone_feature": ("x.geojson", json.dumps(_point(135, 40)), "not a GeoJSON FeatureCollection"),
    "metres_without_crs": ("x.geojson", _fc(_point(15028131.26, 4865942.28)), "are not lon/lat degrees"),
    "crs_member_naming_nothing": (
        "x.geojson",
        _fc(_point(135, 40), crs={"type": "name", "properties": {"name": "EPSG:nonsense"}}),
        "names no CRS",
    ),
    "latitude_beyond_90": ("x.geojson", _fc(_point(135, 95)), "are not lon/lat degrees"),
    "zero_bytes": ("x.geojson", "", r"is empty \(0 bytes\)"),
    "kml_without_placemarks": (
        "x.kml",
        KML_HEAD + "<name>empty</name></Document></kml>",
        "holds no placemarks",
    ),
    "kml_truncated": (
        "x.kml",
        KML_HEAD + "<Folder><name>sites</name><Placemark><na",
        "cannot read .* as KML",
    ),
    "kml_point_without_coordinates": (
        "x.kml",
        KML_HEAD
        + "<Placemark><name>a</name><Point><coordinates></coordinates></Point></Placemark></Document></kml>",
        "Point has 0 coordinate pairs",
    ),
    "gpkg_that_is_text": ("x.gpkg", "not a database", "cannot read .* as GeoPackage"),
    "unknown_extension": ("x.gml", "<gml/>", "cannot tell the format"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_a_clear_error(tmp_path: Path, case: str) -> None:
    name, text, message = BAD_FILES[case]
    path = _write(tmp_path / name, text)
    with pytest.raises(GeoError, match=message):
        io.read_layers(path)


def test_shapefile_zip_without_prj_is_refused(tmp_path: Path) -> None:
    shp = tmp_path / "parts"
    shp.mkdir()
    gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(135, 40)], crs="EPSG:4326").to_file(
        shp / "sites.shp"
    )
    (shp / "sites.prj").unlink()
    target = tmp_path / "sites.shp.zip"
    with zipfile.ZipFile(target, "w") as zf:
        for part in shp.iterdir():
            zf.write(part, part.name)
    with pytest.raises(GeoError, match=r"sites.shp has no \.prj"):
        io.read_layers(target)


# ---------------------------------------------------------------------- geo.io.read_layers: right answers


def test_geojson_crs_member_in_metres_is_reprojected(tmp_path: Path) -> None:
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    path = _write(
        tmp_path / "x.geojson", _fc(_point(15028131.257091932, 4865942.279503176, name="a"), crs=crs)
    )
    point = io.read_layers(path)["features"].geometry.iloc[0]
    assert (round(point.x, 9), round(point.y, 9)) == (135.0, 40.0)


def test_geojson_split_at_180_reads_back_as_given(tmp_path: Path) -> None:
    parts = shapely.MultiPolygon([shapely.box(179, 50, 180, 51), shapely.box(-180, 50, -179, 51)])
    feature = {
        "type": "Feature",
        "properties": {"layer": "rings"},
        "geometry": shapely.geometry.mapping(parts),
    }
    path = _write(tmp_path / "x.geojson", _fc(feature))
    back = io.read_layers(path)["rings"].geometry.iloc[0]
    assert back.equals(parts) and back.bounds == (-180.0, 50.0, 180.0, 51.0)


def test_plain_kml_placemark_reads_name_and_description(tmp_path: Path) -> None:
    text = (
        KML_HEAD + "<Placemark><name>Hamhung &amp; &lt;b&gt;</name><description>{{7*7}}</description>"
        "<Point><coordinates>127.5,39.9,0</coordinates></Point></Placemark></Document></kml>"
    )
    gdf = io.read_layers(_write(tmp_path / "x.kml", text))["features"]
    assert gdf[["name", "description"]].values.tolist() == [["Hamhung & <b>", "{{7*7}}"]]
    assert gdf.geometry.iloc[0].coords[0] == (127.5, 39.9)


# ---------------------------------------------------------------------- geo boundaries import


def _mr(
    tmp_path: Path, geometry: object, name: str = "mr.geojson", crs: str | None = "EPSG:4326", **cols: list
) -> Path:
    data = {"MRGID": [1], "GEONAME": ["Test EEZ"], "POL_TYPE": ["200NM"], "ISO_SOV1": ["PLW"], **cols}
    gdf = gpd.GeoDataFrame(data, geometry=[geometry], crs=crs)
    path = tmp_path / name
    gdf.to_file(path)
    return path


def test_import_empty_feature_collection(tmp_path: Path) -> None:
    path = _write(tmp_path / "mr.geojson", _fc())
    assert_clear_error(
        run_cli(["boundaries", "import", str(path), "-o", str(tmp_path / "o")]), "mr.geojson", "no features"
    )


def test_import_invalid_json(tmp_path: Path) -> None:
    path = _write(tmp_path / "mr.geojson", '{"type": "FeatureCollection", "features": [')
    assert_clear_error(
        run_cli(["boundaries", "import", str(path), "-o", str(tmp_path / "o")]),
        "mr.geojson",
        "cannot read",
        "GeoPackage",
    )
    assert not (tmp_path / "o").exists()


def test_import_missing_columns_named(tmp_path: Path) -> None:
    path = tmp_path / "mr.geojson"
    gpd.GeoDataFrame({"NAME": ["x"]}, geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:4326").to_file(path)
    assert_clear_error(
        run_cli(["boundaries", "import", str(path), "-o", str(tmp_path / "o")]), "MRGID", "POL_TYPE"
    )


def test_import_missing_file(tmp_path: Path) -> None:
    r = run_cli(["boundaries", "import", str(tmp_path / "nope.shp"), "-o", str(tmp_path / "o")])
    assert_clear_error(r, "nope.shp", "check the path")


def test_import_shapefile_zip_without_prj_then_with_assume_crs(tmp_path: Path) -> None:
    shp = _mr(tmp_path, shapely.box(130, 2, 136, 10), name="eez.shp")
    (tmp_path / "eez.prj").unlink()
    target = tmp_path / "eez.zip"
    with zipfile.ZipFile(target, "w") as zf:
        for part in tmp_path.glob("eez.*"):
            if part != target:
                zf.write(part, part.name)
    out = tmp_path / "o"
    r = run_cli(["boundaries", "import", str(target), "-o", str(out)])
    assert_clear_error(r, "eez.zip", "declares no CRS", "--assume-crs EPSG:4326")
    assert shp.exists() and not out.exists()
    r = run_cli(["boundaries", "import", str(target), "-o", str(out), "--assume-crs", "EPSG:4326"])
    assert r.code == 0, r.err
    assert zones.zones_at(134.0, 7.0, path=out).sovereign.tolist() == ["PLW"]


def test_import_geojson_crs_member_in_metres(tmp_path: Path) -> None:
    box = gpd.GeoSeries([shapely.box(130, 2, 136, 10)], crs="EPSG:4326").to_crs("EPSG:3857").iloc[0]
    path = _mr(tmp_path, box, crs="EPSG:3857")
    assert '"EPSG::3857"' in path.read_text() or "3857" in path.read_text()  # a crs member in the file
    out = tmp_path / "o"
    r = run_cli(["boundaries", "import", str(path), "-o", str(out)])
    assert r.code == 0, r.err
    assert "transformed to EPSG:4326" in r.err
    assert zones.zones_at(134.0, 7.0, path=out).sovereign.tolist() == ["PLW"]
    box_deg = json.loads((out / "manifest.json").read_text())["box"]
    assert [round(v, 6) for v in box_deg] == [130.0, 2.0, 136.0, 10.0]


def test_import_polygon_past_180_is_split_at_the_antimeridian(tmp_path: Path) -> None:
    path = _mr(tmp_path, shapely.box(175, 40, 185, 45))
    out = tmp_path / "o"
    r = run_cli(["boundaries", "import", str(path), "-o", str(out)])
    assert r.code == 0, r.err
    assert "split at the antimeridian" in r.err
    hits = zones.zones_at([-178.0, 176.0, 170.0], [42.0, 42.0, 42.0], path=out)
    assert hits.point.tolist() == [0, 1]
    geom = zones.load_zones("eez", path=out).geometry.iloc[0]
    assert geom.bounds == (-180.0, 40.0, 180.0, 45.0) and geom.is_valid


def test_import_metres_declared_as_degrees_is_refused(tmp_path: Path) -> None:
    path = _mr(tmp_path, shapely.box(1.4e7, 2e5, 1.5e7, 1.1e6))
    r = run_cli(["boundaries", "import", str(path), "-o", str(tmp_path / "o")])
    assert_clear_error(r, "mr.geojson", "beyond lon/lat degrees", "true CRS")


def test_import_unknown_pol_type_names_the_row(tmp_path: Path) -> None:
    path = _mr(tmp_path, shapely.box(130, 2, 136, 10), POL_TYPE=["12NM"])
    assert_clear_error(
        run_cli(["boundaries", "import", str(path), "-o", str(tmp_path / "o")]), "row 0", "'12NM'"
    )


def test_import_point_rows_are_refused(tmp_path: Path) -> None:
    path = _mr(tmp_path, shapely.Point(134, 7))
    assert_clear_error(
        run_cli(["boundaries", "import", str(path), "-o", str(tmp_path / "o")]), "rows [0]", "Polygon"
    )
