"""Every export checked by a validator that is not geo: GDAL's validate_gpkg.py and ogrinfo,
an RFC 7946 check written from the RFC (json + shapely), the OGC KML 2.2 schema (the XSDs
fastkml ships, validated by lxml), and GeoParquet 1.1 metadata read with pyarrow.

The files are the seed analysis (``geo export --site Hamhung --rings-km 190,500 --events
examples/data/january_2022.csv -o seed.EXT``) and ``geo boundaries export --layer eez
--perspective JPN -o eez.EXT``, in every format. Validators that are not installed skip.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest
import shapely
from click.testing import CliRunner

from geo import io, zones
from geo.cli import main

REPO = Path(__file__).resolve().parents[1]
SEED_EVENTS = REPO / "examples" / "data" / "january_2022.csv"
FORMATS = [".gpkg", ".geojson", ".kml", ".kmz", ".parquet", ".shp.zip"]
SYSTEM_PYTHON = Path("/usr/bin/python3")
needs_bundle = pytest.mark.skipif(
    not (REPO / "data" / "boundaries" / "eez.gpkg").exists(), reason="no built layers"
)
FAMILY = {"Point": "point", "MultiPoint": "point", "LineString": "line", "MultiLineString": "line",
          "Polygon": "polygon", "MultiPolygon": "polygon"}  # fmt: skip


def _cli(args: list[str]) -> None:
    r = CliRunner().invoke(main, args)
    assert r.exit_code == 0, r.output


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("seed")
    out = {}
    for ext in FORMATS:
        out[ext] = folder / f"seed{ext}"
        _cli(["export", "--site", "Hamhung", "--rings-km", "190,500", "--events", str(SEED_EVENTS),
              "-o", str(out[ext])])  # fmt: skip
    return out


@pytest.fixture(scope="module")
def eez(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not (REPO / "data" / "boundaries" / "eez.gpkg").exists():
        pytest.skip("no built layers")
    folder = tmp_path_factory.mktemp("eez")
    out = {}
    for ext in [*FORMATS, ".shp"]:
        out[ext] = folder / f"eez{ext}"
        _cli(["boundaries", "export", "--layer", "eez", "--perspective", "JPN", "-o", str(out[ext])])
    return out


def _files(request: pytest.FixtureRequest, which: str, ext: str) -> Path:
    files: dict[str, Path] = request.getfixturevalue(which)
    if ext not in files:
        pytest.skip(f"{which} has no {ext} export")
    return files[ext]


BOTH = [pytest.param(w, e, id=f"{w}{e}") for w in ("seed", "eez") for e in FORMATS] + [
    pytest.param("eez", ".shp", id="eez.shp")
]


# --------------------------------------------------------------------------- GeoPackage


def _validate_gpkg() -> list[str]:
    """GDAL's own GeoPackage validator, run by the system Python that has python3-gdal."""
    script = Path("/usr/share/doc/python3-gdal/examples/validate_gpkg.py")
    if SYSTEM_PYTHON.exists():
        probe = [str(SYSTEM_PYTHON), "-c", "import osgeo_utils.samples.validate_gpkg"]
        if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
            return [str(SYSTEM_PYTHON), "-m", "osgeo_utils.samples.validate_gpkg"]
        if script.exists():
            return [str(SYSTEM_PYTHON), str(script)]
    pytest.skip("GDAL's validate_gpkg.py not installed (apt-get install python3-gdal)")


@pytest.mark.parametrize("which", ["seed", "eez"])
def test_geopackage_passes_gdal_validate_gpkg(request: pytest.FixtureRequest, which: str) -> None:
    """It failed with 'Req 75: rtree_sites_geom_update1 trigger missing' (GeoPackage 1.4)."""
    path = _files(request, which, ".gpkg")
    r = subprocess.run([*_validate_gpkg(), str(path)], capture_output=True, text=True, check=False)
    assert r.returncode == 0 and not r.stdout.strip() and not r.stderr.strip(), r.stdout + r.stderr


@pytest.mark.parametrize("which", ["seed", "eez"])
def test_geopackage_is_version_1_2_with_conformant_style_timestamps(
    request: pytest.FixtureRequest, which: str
) -> None:
    path = _files(request, which, ".gpkg")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        (user_version,) = con.execute("PRAGMA user_version").fetchone()
        times = [t for (t,) in con.execute("SELECT update_time FROM layer_styles")]
        types = dict(con.execute("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns"))
    assert user_version == 10200
    assert times and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", t) for t in times), times
    assert "GEOMETRY" not in types.values() and "GEOMETRYCOLLECTION" not in types.values(), types


# --------------------------------------------------------------------------- ogrinfo


def _ogr_formats() -> str:
    if shutil.which("ogrinfo") is None:
        pytest.skip("ogrinfo (gdal-bin) not installed")
    return subprocess.run(["ogrinfo", "--formats"], capture_output=True, text=True, check=False).stdout


@pytest.mark.parametrize(("which", "ext"), BOTH)
def test_ogrinfo_opens_it_without_a_warning(request: pytest.FixtureRequest, which: str, ext: str) -> None:
    formats = _ogr_formats()
    if ext == ".parquet" and "Parquet" not in formats:
        pytest.skip("this ogrinfo has no Parquet driver")
    path = _files(request, which, ext)
    r = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", str(path)], capture_output=True, text=True, check=False
    )
    assert r.returncode == 0, r.stderr
    assert "Warning" not in r.stderr and "ERROR" not in r.stderr, r.stderr
    assert "Feature Count" in r.stdout


# --------------------------------------------------------------------------- GeoJSON (RFC 7946)


def _rfc7946_problems(doc: Any) -> list[str]:
    """RFC 7946 as written (sections 3, 3.1.6, 3.1.9, 4), with json and shapely only."""
    problems = []
    if doc.get("type") != "FeatureCollection":
        problems.append("not a FeatureCollection")
    if "crs" in doc:
        problems.append("has a crs member (RFC 7946 section 4 removed it)")
    for i, f in enumerate(doc.get("features", [])):
        if f.get("type") != "Feature" or "properties" not in f or "geometry" not in f:
            problems.append(f"feature {i} is not a Feature with properties and geometry")
            continue
        g = shapely.from_geojson(json.dumps(f["geometry"]))
        xy = shapely.get_coordinates(g)
        if (np.abs(xy[:, 0]) > 180).any() or (np.abs(xy[:, 1]) > 90).any():
            problems.append(f"feature {i}: coordinates beyond +-180/+-90")
        lines = [p for p in shapely.get_parts(g) if p.geom_type != "Point"]
        for part in lines:
            rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
            for ring in rings:
                dx = np.abs(np.diff(np.asarray(ring.coords)[:, 0]))
                if (dx > 180).any():
                    problems.append(f"feature {i}: a segment crosses the antimeridian unsplit (3.1.9)")
            if part.geom_type == "Polygon":
                if not part.exterior.is_ccw:
                    problems.append(f"feature {i}: exterior ring clockwise (3.1.6)")
                if any(r.is_ccw for r in part.interiors):
                    problems.append(f"feature {i}: hole counter-clockwise (3.1.6)")
                if not part.is_valid:
                    problems.append(f"feature {i}: invalid polygon {shapely.is_valid_reason(part)}")
    return problems


@pytest.mark.parametrize("which", ["seed", "eez"])
def test_geojson_is_rfc7946_by_an_independent_check(request: pytest.FixtureRequest, which: str) -> None:
    """The boundaries export had a crs member and clockwise outer rings."""
    doc = json.loads(_files(request, which, ".geojson").read_text(encoding="utf-8"))
    assert _rfc7946_problems(doc) == []
    assert len(doc["features"]) > 10


def test_the_rfc7946_check_finds_what_it_looks_for() -> None:
    cw = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    unsplit = {"type": "LineString", "coordinates": [[179, 0], [-179, 0]]}
    doc = {"type": "FeatureCollection", "crs": {}, "features": [
        {"type": "Feature", "properties": {}, "geometry": cw},
        {"type": "Feature", "properties": {}, "geometry": unsplit},
    ]}  # fmt: skip
    found = " ".join(_rfc7946_problems(doc))
    assert "crs member" in found and "clockwise" in found and "antimeridian" in found


@needs_bundle
@pytest.mark.parametrize("layer", zones.LAYERS)
def test_load_zones_gives_counter_clockwise_exteriors(layer: str) -> None:
    """The README promises RFC 7946 winding; the bundle is stored clockwise."""
    polys = shapely.get_parts(zones.load_zones(layer).geometry.to_numpy())
    assert shapely.is_ccw(shapely.get_exterior_ring(polys)).all()
    holes = [r for p in polys for r in p.interiors]
    assert not any(r.is_ccw for r in holes)


# --------------------------------------------------------------------------- KML 2.2 schema


def _kml_schema() -> Any:
    etree = pytest.importorskip("lxml.etree")
    fastkml = pytest.importorskip("fastkml")
    xsd = Path(fastkml.__file__).parent / "schema" / "ogckml22.xsd"  # with atom, xAL and gx beside it
    return etree.XMLSchema(etree.parse(str(xsd)))


def _kml_bytes(path: Path) -> bytes:
    if path.suffix == ".kmz":
        with zipfile.ZipFile(path) as zf:
            assert zf.namelist() == ["doc.kml"]
            return zf.read("doc.kml")
    return path.read_bytes()


@pytest.mark.parametrize(("which", "ext"), [(w, e) for w in ("seed", "eez") for e in (".kml", ".kmz")])
def test_kml_validates_against_the_ogc_kml_2_2_schema(
    request: pytest.FixtureRequest, which: str, ext: str
) -> None:
    from lxml import etree

    schema = _kml_schema()
    doc = etree.fromstring(_kml_bytes(_files(request, which, ext)), parser=etree.XMLParser(huge_tree=True))
    assert schema.validate(doc), str(schema.error_log)[:3000]


def test_the_kml_schema_refuses_a_misplaced_element() -> None:
    from lxml import etree

    bad = (b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><styleUrl>#a</styleUrl>'
           b"<name>late</name></Placemark></Document></kml>")  # fmt: skip
    assert not _kml_schema().validate(etree.fromstring(bad))


@pytest.mark.parametrize("which", ["seed", "eez"])
def test_kmz_is_much_smaller_than_kml(request: pytest.FixtureRequest, which: str) -> None:
    kml, kmz = _files(request, which, ".kml"), _files(request, which, ".kmz")
    assert kmz.stat().st_size < kml.stat().st_size / 3


# --------------------------------------------------------------------------- GeoParquet 1.1


@pytest.mark.parametrize("which", ["seed", "eez"])
def test_geoparquet_1_1_with_a_bbox_covering_column(request: pytest.FixtureRequest, which: str) -> None:
    path = _files(request, which, ".parquet")
    table = pq.read_table(path)
    geo = json.loads(table.schema.metadata[b"geo"])
    assert geo["version"] == "1.1.0"
    column = geo["columns"][geo["primary_column"]]
    assert column["encoding"] == "WKB"
    assert column["covering"] == {
        "bbox": {
            "xmin": ["bbox", "xmin"],
            "ymin": ["bbox", "ymin"],
            "xmax": ["bbox", "xmax"],
            "ymax": ["bbox", "ymax"],
        }
    }
    bbox = table.column("bbox").combine_chunks()
    got = np.column_stack([bbox.field(k).to_numpy() for k in ("xmin", "ymin", "xmax", "ymax")])
    geoms = shapely.from_wkb(table.column(geo["primary_column"]).to_numpy(zero_copy_only=False))
    np.testing.assert_allclose(got, shapely.bounds(geoms), rtol=0, atol=1e-6)
    assert np.allclose(column["bbox"], [*got[:, :2].min(axis=0), *got[:, 2:].max(axis=0)])


# --------------------------------------------------------------------------- every layer one type


@pytest.mark.parametrize(("which", "ext"), BOTH)
def test_every_layer_holds_one_geometry_family(request: pytest.FixtureRequest, which: str, ext: str) -> None:
    """The seed's regions mixed polygons and lines; QGIS drew the polygons and dropped the lines
    (27 and 30 January 2022)."""
    layers = io.read_layers(_files(request, which, ext))
    for name, gdf in layers.items():
        families = {FAMILY[t] for t in gdf.geometry.dropna().geom_type}
        assert len(families) == 1, (name, families)
    if which == "seed":
        assert layers["regions"].geom_type.isin(["Polygon", "MultiPolygon"]).all()
        dates = set(layers["region_lines"]["date"])
        assert {"2022-01-27", "2022-01-30"} <= dates


# --------------------------------------------------------------------------- Shapefile text


def test_shapefile_says_where_it_cuts_text_and_the_other_formats_keep_it(seed: dict[str, Path]) -> None:
    import pyogrio

    whole = io.read_layers(seed[".gpkg"])["regions"]["probability_text"]
    longest = int(whole.map(lambda v: len(v.encode("utf-8"))).max())
    assert longest > 254  # the seed has text a DBF field cannot hold
    for ext in (".geojson", ".kml", ".kmz", ".parquet"):
        assert io.read_layers(seed[ext])["regions"]["probability_text"].tolist() == whole.tolist(), ext
    with zipfile.ZipFile(seed[".shp.zip"]) as zf:
        readme = zf.read("README.txt").decode("utf-8")
    assert "regions.shp: probability_text: field probabilit shows the text cut to 254 bytes" in readme
    # What any Shapefile client shows: the first 254 bytes in one field, not five 63-character pieces.
    raw = pyogrio.read_dataframe(f"/vsizip/{seed['.shp.zip']}/regions.shp", encoding="UTF-8")
    heads = raw.sort_values("geo_row")["probabilit"].tolist()
    for head, text in zip(heads, whole, strict=True):
        assert text.startswith(head.rstrip()) and len(head.encode("utf-8")) <= 254
        if len(text.encode("utf-8")) > 254:  # cut at a character boundary, as near 254 bytes as it goes
            assert len(head.rstrip().encode("utf-8")) >= 250 or not text[len(head) :].strip()
    assert io.read_layers(seed[".shp.zip"])["regions"]["probability_text"].tolist() == whole.tolist()
