"""Templates and markup in exports: every text from a user or a file comes back literally.

Event and site names, descriptions, notes and sources carry template syntax, markup, XML
specials, control characters, very long and right-to-left text. Each format either keeps the
text exactly (read back by ``geo.io.read_layers`` and, for KML, by a plain XML parser) or
refuses the export naming the layer, row, column and character -- never evaluates, cuts or
changes it.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import geopandas as gpd
import pytest
import shapely

from geo import io
from geo._errors import GeoError

from .conftest import assert_clear_error, run_cli

FORMATS = [".gpkg", ".geojson", ".kml", ".parquet", ".shp.zip"]
TEXT_COLUMNS = ("name", "description", "note", "source")
KML = "{http://www.opengis.net/kml/2.2}"

#: Text every format must keep exactly.
KEPT = {
    "jinja_expression": "{{7*7}}",
    "jinja_globals": "{{ cycler.__init__.__globals__.os.mkdir(dict(proof=1)|first) }}",
    "jinja_block": "{% if true %}yes{% endif %}",
    "jinja_comment": "{# hidden #}",
    "kml_placemark_injection": "</name></Placemark><Placemark><name>injected",
    "cdata": "<![CDATA[ ]]>",
    "entity_text": "&amp; &lt;b&gt; &#x41;",
    "quotes_and_specials": "\"'<>&",
    "script_tag": "<script>alert(1)</script>",
    "tab_and_newline": "a\tb\nc",
    "carriage_returns": "a\rb\r\nc",
    "right_to_left": "\u202eabc \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
    "emoji_and_combining": "\U0001f680 e\u0301",
    "very_long_ascii": "long " * 1200,
    "very_long_unicode": "\u5317\u671d\u9bae" * 400,
    "edge_spaces": "  lead and trail  ",
    "shell_and_format": "${HOME} $(touch proof) %s %(x)s {0}",
    "backslashes": "C:\\new\\table \\x00",
}

#: Characters some formats cannot hold: those refuse, the others keep the text.
REFUSED_BY = {
    "control_characters": ("a\x01b\x1fc\x0b", {".kml"}),
    "nul": ("a\x00b", {".kml", ".gpkg", ".shp.zip"}),
    "noncharacter_ffff": ("a\uffffb", {".kml"}),
}


def _frame(text: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {c: [text, "plain"] for c in TEXT_COLUMNS},
        geometry=[shapely.Point(135.0, 40.0), shapely.Point(136.0, 41.0)],
        crs="EPSG:4326",
    )


def _kml_texts(path: Path) -> set[str]:
    root = ET.parse(path).getroot()  # well-formed, or this raises
    texts = {el.text or "" for el in root.iter(f"{KML}name")}
    texts |= {el.text or "" for el in root.iter(f"{KML}description")}
    texts |= {el.text or "" for el in root.iter(f"{KML}SimpleData")}
    return texts


@pytest.mark.parametrize("ext", FORMATS)
@pytest.mark.parametrize("text", list(KEPT.values()), ids=list(KEPT))
def test_text_comes_back_literally(tmp_path: Path, text: str, ext: str) -> None:
    path = io.export_layers({"sites": _frame(text)}, tmp_path / f"t{ext}")
    back = io.read_layers(path)["sites"]
    for col in TEXT_COLUMNS:
        assert back[col].tolist() == [text, "plain"], col
    if ext == ".kml":
        assert text in _kml_texts(path)
        assert len(ET.parse(path).getroot().findall(f".//{KML}Placemark")) == 2  # nothing injected


@pytest.mark.parametrize("ext", FORMATS)
@pytest.mark.parametrize("case", list(REFUSED_BY), ids=list(REFUSED_BY))
def test_text_a_format_cannot_hold_is_refused_not_changed(tmp_path: Path, case: str, ext: str) -> None:
    text, refusing = REFUSED_BY[case]
    target = tmp_path / f"t{ext}"
    if ext in refusing:
        with pytest.raises(GeoError, match=r"layer 'sites' row 0 column 'name': .* holds the character U\+"):
            io.export_layers({"sites": _frame(text)}, target)
        assert not target.exists()
        return
    back = io.read_layers(io.export_layers({"sites": _frame(text)}, target))["sites"]
    assert back["name"].tolist() == [text, "plain"]


def test_empty_text_and_missing_stay_apart_in_a_shapefile(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"note": ["", None, "x"]}, geometry=[shapely.Point(0, 0)] * 3, crs="EPSG:4326")
    back = io.read_layers(io.export_layers({"sites": frame}, tmp_path / "t.shp.zip"))["sites"]
    note = back["note"].tolist()
    assert note[0] == "" and note[2] == "x", note
    assert note[1] is None or note[1] != note[1], note  # None or NaN: missing


def test_kml_column_name_with_control_character_refused(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"bad\x01name": ["x"]}, geometry=[shapely.Point(0, 0)], crs="EPSG:4326")
    with pytest.raises(GeoError, match="column name 'bad\\\\x01name'"):
        io.export_layers({"sites": frame}, tmp_path / "t.kml")


# ---------------------------------------------------------------------- through the CLI


EVENT_NAMES = {
    "jinja_globals": KEPT["jinja_globals"],
    "kml_placemark_injection": KEPT["kml_placemark_injection"],
    "quotes_and_specials": KEPT["quotes_and_specials"],
    "cdata": KEPT["cdata"],
}


@pytest.mark.parametrize("ext", [".kml", ".gpkg", ".geojson"])
@pytest.mark.parametrize("name", list(EVENT_NAMES.values()), ids=list(EVENT_NAMES))
def test_event_names_from_a_csv_reach_the_export_literally(tmp_path: Path, name: str, ext: str) -> None:
    events = tmp_path / "events.csv"
    quoted = '"' + name.replace('"', '""') + '"'
    events.write_text(f"name,date,lat,lon\n{quoted},2022-01-27,40.5,135.0\n", encoding="utf-8")
    out = tmp_path / f"x{ext}"
    r = run_cli(["export", "--events", str(events), "--no-zones", "-o", str(out)])
    assert r.code == 0, r.err
    assert not (tmp_path / "proof").exists()  # the template did not run
    impacts = io.read_layers(out)["impacts"]
    assert impacts["name"].tolist() == [name]
    if ext == ".kml":
        assert name in _kml_texts(out)


def test_cli_refusal_is_one_line(tmp_path: Path) -> None:
    events = tmp_path / "events.csv"
    events.write_text("name,date,lat,lon\nbell\x07here,2022-01-27,40.5,135.0\n", encoding="utf-8")
    r = run_cli(["export", "--events", str(events), "--no-zones", "-o", str(tmp_path / "x.kml")])
    assert_clear_error(r, "U+0007", "KML cannot hold", "name")
    assert not (tmp_path / "x.kml").exists()
