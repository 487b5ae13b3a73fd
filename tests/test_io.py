"""GIS export and import: round trips, QGIS styles, RFC 7946, KML, atomic writes, bad files."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner

from geo import geodesy, io, maps, style
from geo._errors import GeoError
from geo.cli import main

EXTENSIONS = [".gpkg", ".geojson", ".kml", ".kmz", ".parquet", ".shp.zip"]
HOSTILE = "Launch <b>\"A\"</b> & 'B'"
STYLE_COLUMNS = [
    "id", "f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName",
    "styleQML", "styleSLD", "useAsDefault", "description", "owner", "ui", "update_time",
]  # fmt: skip


@pytest.fixture(scope="module")
def analysis(synthetic_zones: dict[str, gpd.GeoDataFrame], tmp_path_factory: pytest.TempPathFactory) -> dict:
    events = tmp_path_factory.mktemp("events") / "events.csv"
    events.write_text(
        "Name,Date,Lat,Lon,Site,Range_km,Azimuth_deg\n"
        f'"{HOSTILE.replace(chr(34), chr(34) * 2)}",2022-01-27,,,Hamhung,190+/-10,60:120\n'
        "unknown azimuth,2022-03-24,,,Sunan,1000-1100,\n",
        encoding="utf-8",
    )
    zones = pd.concat([synthetic_zones["eez"], synthetic_zones["land"]], ignore_index=True)
    lay = maps.collect_layers(
        sites=["Hamhung"], rings_km=[1000.0], impacts=[(179.95, 40.5)], events=events, zones=zones, land=False
    )
    frames = io._frames(lay)
    # Crosses 180 deg and encloses the pole; every attribute type; a missing value.
    polar = geodesy.ring(179.5, 85.0, 600_000)
    frames["extra"] = gpd.GeoDataFrame(
        {"count": [1, 2, 3], "ratio": [0.1, 1 / 3, 2.5], "flag": [True, False, True], "label": ["x  y", "z", None],
         "a_very_long_column_name": ["one", "two", "three"], "a_very_long_column_name_2": [3.5, 4.5, 5.5]},
        geometry=[polar, shapely.LineString([(179.0, 50.0), (180.0, 50.5)]), shapely.LineString([(0, 0), (1, 1)])],
        crs="EPSG:4326",
    )  # fmt: skip
    return io._frames(frames)  # a polygon and two lines: split into "extra" and "extra_lines"


def _coords(geoms: object) -> np.ndarray:
    return shapely.get_coordinates(shapely.normalize(np.asarray(geoms)))


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_round_trip_keeps_coordinates_names_and_types(analysis: dict, tmp_path: Path, ext: str) -> None:
    path = io.export_layers(analysis, tmp_path / f"out{ext}")
    back = io.read_layers(path)
    assert list(back) == list(analysis)
    for name, orig in analysis.items():
        got = back[name]
        assert got.crs.equals("EPSG:4326")
        assert list(got.columns) == list(orig.columns), name
        want = orig.drop(columns="geometry")
        have = got.drop(columns="geometry")
        if ext in (".gpkg", ".shp.zip"):  # pyogrio reads text as object; the values are the same
            want = want.astype({c: object for c in want.columns if want[c].dtype == "str"})
            have = have.astype({c: object for c in have.columns if have[c].dtype == "str"})
        pd.testing.assert_frame_equal(have, want, check_dtype=True, obj=name)
        a, b = _coords(orig.geometry), _coords(got.geometry)
        assert a.shape == b.shape, name
        # GeoJSON: GDAL rounds to io.GEOJSON_DECIMALS (1e-7 deg, 1.1 cm); the others are exact.
        atol = 0.5 * 10.0**-io.GEOJSON_DECIMALS + 1e-12 if ext == ".geojson" else 1e-9
        np.testing.assert_allclose(b, a, rtol=0, atol=atol, err_msg=name)


def test_a_layer_of_polygons_and_lines_is_split_by_geometry_type(analysis: dict) -> None:
    """QGIS gives a layer one geometry type and silently does not draw the others."""
    assert analysis["extra"].geom_type.tolist() == ["Polygon"]
    assert analysis["extra_lines"].geom_type.tolist() == ["LineString", "LineString"]
    assert analysis["extra_lines"]["count"].tolist() == [2, 3]  # the lines' rows, with their attributes
    assert set(analysis["regions"].geom_type) <= {"Polygon", "MultiPolygon"}
    assert list(analysis).index("extra_lines") == list(analysis).index("extra") + 1


def test_export_of_map_layers_takes_the_zones_they_touch(synthetic_zones: dict, tmp_path: Path) -> None:
    zones = pd.concat([synthetic_zones["eez"], synthetic_zones["land"]], ignore_index=True)
    lay = maps.collect_layers(impacts=[(140.0, 40.0)], zones=zones, land=False)
    back = io.read_layers(io.export_layers(lay, tmp_path / "a.gpkg"))
    assert list(back) == ["impacts", "zones"]
    assert set(back["zones"].sovereign) == {"JPN"}  # the impact is on island A


def test_geopackage_holds_qgis_styles(analysis: dict, tmp_path: Path) -> None:
    path = io.export_layers(analysis, tmp_path / "out.gpkg")
    with sqlite3.connect(path) as con:
        cols = [r[1] for r in con.execute("PRAGMA table_info(layer_styles)")]
        rows = con.execute(
            "SELECT f_table_name, f_geometry_column, styleQML, useAsDefault FROM layer_styles"
        ).fetchall()
        geom_cols = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))
        registered = con.execute(
            "SELECT data_type FROM gpkg_contents WHERE table_name='layer_styles'"
        ).fetchone()
    assert cols == STYLE_COLUMNS
    assert registered == ("attributes",)
    assert [r[0] for r in rows] == list(analysis)
    for table, geom_col, qml, default in rows:
        assert geom_col == geom_cols[table] and default == 1
        root = ET.fromstring(qml.split("\n", 1)[1])
        assert root.tag == "qgis"
        assert root.find("renderer-v2/symbols/symbol") is not None
    assert io.read_styles(path).keys() == analysis.keys()
    zones_qml = io.read_styles(path)["zones"]
    assert 'attr="sovereign"' in zones_qml and 'value="JPN"' in zones_qml
    assert "layer_styles" not in io.read_layers(path)


def test_geojson_is_rfc7946(analysis: dict, tmp_path: Path) -> None:
    doc = json.loads(io.export_layers(analysis, tmp_path / "out.geojson").read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert {f["properties"]["layer"] for f in doc["features"]} == set(analysis)
    geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in doc["features"]])
    xy = shapely.get_coordinates(geoms)
    assert (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all()
    polys = shapely.get_parts(geoms[shapely.get_type_id(geoms) >= 3])
    polys = polys[shapely.get_type_id(polys) == 3]
    assert len(polys) > 3
    assert all(shapely.is_ccw(p.exterior) and not any(shapely.is_ccw(r) for r in p.interiors) for p in polys)


def test_kml_has_folders_styles_and_escaped_text(analysis: dict, tmp_path: Path) -> None:
    path = io.export_layers(analysis, tmp_path / "out.kml")
    text = path.read_text(encoding="utf-8")
    assert "<b>" not in text and "&lt;b&gt;" in text
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ET.parse(path).getroot()
    assert [f.findtext("k:name", namespaces=ns) for f in root.iterfind(".//k:Folder", ns)] == list(analysis)
    zones = analysis["zones"]
    keys = {f"zone_{k}_{s if s in style.SOVEREIGN_COLOUR else 'other'}_{t}"
            for k, s, t in zip(zones.kind, zones.sovereign, zones.status, strict=True)}  # fmt: skip
    ids = [s.get("id") for s in root.findall(".//k:Document/k:Style", ns)]
    assert sorted(ids) == sorted({f"style_{n}" for n in analysis if n != "zones"} | keys)
    assert len(root.findall(".//k:Placemark", ns)) == sum(len(g) for g in analysis.values())
    assert HOSTILE in {p.findtext("k:name", namespaces=ns) for p in root.iterfind(".//k:Placemark", ns)}


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_failed_export_leaves_nothing(
    analysis: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ext: str
) -> None:
    import pyogrio

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    target = {".gpkg": (io.gpkg, "_write_styles"), ".geojson": (json, "dumps"), ".kml": (io.kml, "_kml_geometry"),
              ".kmz": (io.kml, "_kml_geometry"), ".parquet": (gpd.GeoDataFrame, "to_parquet"),
              ".shp.zip": (zipfile.ZipFile, "writestr")}[ext]  # fmt: skip
    calls = {"n": 0}
    real = pyogrio.write_dataframe

    def second_fails(*args: object, **kwargs: object) -> None:  # the first layer is written, then failure
        calls["n"] += 1
        if calls["n"] > 1:
            raise RuntimeError("disk full")
        real(*args, **kwargs)

    monkeypatch.setattr(pyogrio, "write_dataframe", second_fails if ext in (".gpkg", ".geojson") else real)
    monkeypatch.setattr(*target, boom)
    with pytest.raises(RuntimeError, match="disk full"):
        io.export_layers(analysis, tmp_path / f"out{ext}")
    assert list(tmp_path.iterdir()) == []


def test_failed_export_keeps_the_old_file(
    analysis: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "out.geojson"
    old.write_text("old", encoding="utf-8")
    real = io._WRITERS["geojson"]

    def interrupted(frames: dict, tmp: Path) -> None:
        real(frames, tmp)
        raise KeyboardInterrupt

    monkeypatch.setitem(io._WRITERS, "geojson", interrupted)
    with pytest.raises(KeyboardInterrupt):
        io.export_layers(analysis, old)
    assert old.read_text(encoding="utf-8") == "old" and list(tmp_path.iterdir()) == [old]


def _kml_colour(hex_colour: str) -> str:
    return f"ff{hex_colour[5:7]}{hex_colour[3:5]}{hex_colour[1:3]}"


def test_kml_zones_have_their_sovereigns_colours_as_in_the_geopackage(analysis: dict, tmp_path: Path) -> None:
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ET.parse(io.export_layers(analysis, tmp_path / "out.kml")).getroot()
    line_colour = {s.get("id"): s.findtext("k:LineStyle/k:color", namespaces=ns)
                   for s in root.iterfind(".//k:Document/k:Style", ns)}  # fmt: skip
    folder = next(
        f for f in root.iterfind(".//k:Folder", ns) if f.findtext("k:name", namespaces=ns) == "zones"
    )
    seen = {}
    for mark in folder.iterfind("k:Placemark", ns):
        sov = mark.findtext("k:ExtendedData/k:SchemaData/k:SimpleData[@name='sovereign']", namespaces=ns)
        status = mark.findtext("k:ExtendedData/k:SchemaData/k:SimpleData[@name='status']", namespaces=ns)
        if status in ("disputed", "joint"):
            continue  # those take the status's own colour
        seen[sov] = line_colour[mark.findtext("k:styleUrl", namespaces=ns).lstrip("#")]
    gpkg_qml = io.read_styles(io.export_layers(analysis, tmp_path / "out.gpkg"))["zones"]
    assert len(set(seen.values())) == len(seen) >= 2, seen  # not every zone the same grey
    for sov, colour in seen.items():
        assert colour == _kml_colour(style.sovereign_colour(sov)), sov
        r, g, b = (int(style.sovereign_colour(sov)[i : i + 2], 16) for i in (1, 3, 5))
        assert f"{r},{g},{b},255" in gpkg_qml, sov


def test_kml_lines_and_polygons_tessellate_and_dated_events_have_timestamps(tmp_path: Path) -> None:
    events = tmp_path / "events.csv"
    events.write_text("name,date,lat,lon\na,2022-01-27,40.5,135.0\nb,,41.0,136.0\n", encoding="utf-8")
    lay = maps.collect_layers(sites=["Hamhung"], rings_km=[500.0], events=events, zones=False)
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    root = ET.parse(io.export_layers(lay, tmp_path / "out.kml")).getroot()
    polys_and_lines = root.findall(".//k:Polygon", ns) + root.findall(".//k:LineString", ns)
    assert polys_and_lines and all(g.findtext("k:tessellate", namespaces=ns) == "1" for g in polys_and_lines)
    stamps = {m.findtext("k:name", namespaces=ns): m.findtext("k:TimeStamp/k:when", namespaces=ns)
              for m in root.iterfind(".//k:Placemark", ns)}  # fmt: skip
    assert stamps["a"] == "2022-01-27" and stamps["b"] is None


def test_kmz_is_a_zip_with_doc_kml(analysis: dict, tmp_path: Path) -> None:
    kmz = io.export_layers(analysis, tmp_path / "out.kmz")
    kml = io.export_layers(analysis, tmp_path / "out.kml")
    with zipfile.ZipFile(kmz) as zf:
        assert zf.namelist() == ["doc.kml"]
        doc = zf.read("doc.kml")
    assert doc.replace(b"<name>out</name>", b"") == kml.read_bytes().replace(b"<name>out</name>", b"")
    assert kmz.stat().st_size < kml.stat().st_size / 2


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("name", ["out.txt", "out.csv", "out"])
def test_unknown_extension_is_refused(analysis: dict, tmp_path: Path, name: str) -> None:
    with pytest.raises(
        GeoError, match=r"extension.*\.gpkg, \.geojson, \.kml, \.kmz, \.parquet, \.shp\.zip, \.shp"
    ):
        io.export_layers(analysis, tmp_path / name)
    (tmp_path / name).write_text("x", encoding="utf-8")
    with pytest.raises(GeoError, match="extension"):
        io.read_layers(tmp_path / name)


def test_a_shapefile_set_takes_one_layer(analysis: dict, tmp_path: Path) -> None:
    with pytest.raises(GeoError, match=r"one layer .* would get \d+: sites, rings.*NAME\.shp\.zip"):
        io.export_layers(analysis, tmp_path / "out.shp")
    assert list(tmp_path.iterdir()) == []
    path = io.export_layers({"rings": analysis["rings"]}, tmp_path / "out.shp")
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".cpg", ".dbf", ".prj", ".shp", ".shx"]
    back = io.read_layers(path)["out"]
    assert back["site"].tolist() == analysis["rings"]["site"].tolist()


def test_geopackage_with_missing_layer(analysis: dict, tmp_path: Path) -> None:
    path = io.export_layers({"sites": analysis["sites"]}, tmp_path / "out.gpkg")
    with pytest.raises(GeoError, match=r"no layer\(s\) \['tracks'\].*\['sites'\]"):
        io.read_layers(path, layers=["tracks"])
    assert list(io.read_layers(path, layers="sites")) == ["sites"]


def test_kml_with_no_placemarks(tmp_path: Path) -> None:
    path = tmp_path / "empty.kml"
    path.write_text(
        '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder>'
        "<name>sites</name></Folder></Document></kml>",
        encoding="utf-8",
    )
    with pytest.raises(GeoError, match="no placemarks"):
        io.read_layers(path)


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_zero_byte_file(tmp_path: Path, ext: str) -> None:
    path = tmp_path / f"empty{ext}"
    path.touch()
    with pytest.raises(GeoError, match=r"empty \(0 bytes\)"):
        io.read_layers(path)


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_truncated_file(analysis: dict, tmp_path: Path, ext: str) -> None:
    path = io.export_layers(analysis, tmp_path / f"out{ext}")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(GeoError, match="damaged"):
        io.read_layers(path)


def test_missing_file_and_nothing_to_export(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no file"):
        io.read_layers(tmp_path / "nope.gpkg")
    empty = gpd.GeoDataFrame({"name": []}, geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    with pytest.raises(GeoError, match="nothing to export"):
        io.export_layers({"sites": empty}, tmp_path / "out.gpkg")


def test_wrong_crs_is_refused(analysis: dict, tmp_path: Path) -> None:
    with pytest.raises(GeoError, match="to_crs"):
        io.export_layers({"sites": analysis["sites"].to_crs(3857)}, tmp_path / "out.gpkg")
    assert list(tmp_path.iterdir()) == []


def test_shapefile_field_names_are_mapped_without_collisions(analysis: dict, tmp_path: Path) -> None:
    path = io.export_layers({"extra": analysis["extra"]}, tmp_path / "out.shp.zip")
    with zipfile.ZipFile(path) as zf:
        rows = list(pd.read_csv(zf.open("fields.csv")).itertuples())
    rows = [r for r in rows if r.file == rows[0].file]
    fields = [r.field for r in rows]
    assert len(set(fields)) == len(fields) and all(len(f.encode()) <= 10 for f in fields)
    assert {r.column for r in rows} == set(analysis["extra"].columns) - {"geometry"}


# ------------------------------------------------------------------ CLI


def test_cli_export_takes_the_map_selection(tmp_path: Path) -> None:
    out = tmp_path / "launch.geojson"
    result = CliRunner().invoke(
        main, ["export", "--site", "Hamhung", "--rings-km", "1000", "--impact", "40.5,135", "--no-zones",
               "-o", str(out), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["format"] == "geojson" and report["layers"] == {"sites": 1, "rings": 1, "impacts": 1}
    assert list(io.read_layers(out)) == ["sites", "rings", "impacts"]
    bad = CliRunner().invoke(main, ["export", "--site", "Hamhung", "-o", str(tmp_path / "x.txt")])
    assert bad.exit_code == 2 and "extension" in bad.output


def test_failed_shapefile_write_keeps_the_earlier_set(tmp_path: Path) -> None:
    from geo import _io

    target = tmp_path / "z.shp"
    gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(0, 0)], crs="EPSG:4326").to_file(target)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with (
        pytest.raises(RuntimeError, match="writer broke"),
        _io.atomic_path(target, sidecars=_io.SHAPEFILE_PARTS) as tmp,
    ):
        gpd.GeoDataFrame({"a": [2, 3]}, geometry=[shapely.Point(1, 1)] * 2, crs="EPSG:4326").to_file(tmp)
        raise RuntimeError("writer broke")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_zombie_writer_counts_as_dead() -> None:
    import os
    import subprocess
    import sys
    import time

    from geo import _io

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        deadline = time.time() + 30
        while _io._alive(proc.pid) and time.time() < deadline:  # exited but not reaped: a zombie
            time.sleep(0.05)
        os.kill(proc.pid, 0)  # the pid still exists ...
        assert not _io._alive(proc.pid)  # ... but cannot write any more
    finally:
        proc.wait()
    assert not _io._alive(proc.pid) and _io._alive(os.getpid())


def test_a_zipped_shapefile_named_like_its_layer_holds_only_the_layers_parts(
    analysis: dict, tmp_path: Path
) -> None:
    """eez.shp.zip of layer eez zipped itself (11 GB and growing): its scratch matched eez.*."""
    path = io.export_layers({"sites": analysis["sites"]}, tmp_path / "sites.shp.zip")
    with zipfile.ZipFile(path) as zf:
        names = sorted(zf.namelist())
    assert names == [
        "README.txt",
        "fields.csv",
        "sites.cpg",
        "sites.dbf",
        "sites.prj",
        "sites.shp",
        "sites.shx",
    ]
    assert path.stat().st_size < 100_000


def test_geojson_rounding_does_not_turn_a_sliver_into_a_line_beside_the_polygon(tmp_path: Path) -> None:
    """GDAL's rounding to 1e-7 deg made the seed's CHN contiguous zone a GeometryCollection
    (MultiPolygon and LineString): a polygon layer of mixed types."""
    sliver = shapely.MultiPolygon(
        [shapely.box(119.0, 24.0, 119.5, 24.5), shapely.box(119.6, 24.0, 119.60000001, 24.1)]
    )
    frame = gpd.GeoDataFrame({"name": ["z"]}, geometry=[sliver], crs="EPSG:4326")
    doc = json.loads(io.export_layers({"zones": frame}, tmp_path / "z.geojson").read_text(encoding="utf-8"))
    geom = doc["features"][0]["geometry"]
    assert geom["type"] in ("Polygon", "MultiPolygon"), geom["type"]
    assert shapely.from_geojson(json.dumps(geom)).area == pytest.approx(0.25, rel=1e-6)
