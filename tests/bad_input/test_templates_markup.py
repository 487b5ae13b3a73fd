"""Bad-input corpus, templates and markup: user text in maps and figures appears literally.

branca/folium render element text through Jinja and matplotlib reads ``$...$`` as
mathtext, so every text a user or a file gives (titles, event names and dates, site
names, zone sources, notes, legends, track names) must reach the page as the literal
text: HTML-escaped where it lands in HTML, never evaluated as a template, never run,
never typeset. Each case is one payload in one place.
"""

from __future__ import annotations

import csv
import html
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("folium")
pytest.importorskip("matplotlib")

from bad_input.conftest import assert_clear_error, run_cli
from geo import figures, geodesy, maps
from geo.places import Place

PAYLOADS = {
    "jinja-expression": "{{7*7}}",
    "jinja-loop": "{% for x in range(3) %}X{% endfor %}",
    "jinja-comment": "q{# c #}q",
    "js-template-literal": "${7*7}",
    "script-breakout": "</script><script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "quotes-and-amp": "\"'&<>",
    "rtl-and-unicode": "\u202eRTL \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \ud568\ud765",
    "mathtext": "$\\frac{1}{2}$",
    "lone-dollar": "costs $5",
}
# What each payload would turn into if it were evaluated: none of these may appear.
EVALUATED = {
    "{{7*7}}": "49",
    "{% for x in range(3) %}X{% endfor %}": "XXX",
    "q{# c #}q": "qq",
    "${7*7}": "49",
}

# Code that creates a folder when a Jinja template runs it (no quotes: they are escaped
# to &#x27; before the text reaches a template, which would only break the syntax).
MKDIR_RELATIVE = "{{ cycler.__init__.__globals__.os.mkdir(dict(proof=1)|first) }}"
MKDIR_ABSOLUTE = (
    "{{ cycler.__init__.__globals__.os.mkdir(cycler.__init__.__globals__.os.environ.GEO_PROOF_DIR) }}"
)
CODE = {"mkdir-relative": MKDIR_RELATIVE, "mkdir-absolute": MKDIR_ABSOLUTE}


@pytest.fixture
def proof(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the payloads would create: ``proof`` in the working folder, and $GEO_PROOF_DIR."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "proof_abs"
    monkeypatch.setenv("GEO_PROOF_DIR", str(target))
    return tmp_path


def no_code_ran(folder: Path) -> None:
    assert not (folder / "proof").exists() and not (folder / "proof_abs").exists(), "template code ran"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def events_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    cols = ["name", "date", "lat", "lon", "site", "notes", "source"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in cols})
    return path


# ---------------------------------------------------------------- reading a page


def page_title(text: str) -> str:
    found = re.findall(r"<title>(.*?)</title>", text, flags=re.S)
    assert len(found) == 1, found
    return found[0]


def title_box(text: str) -> str:
    """The HTML of the title box (JSON handed to geoMap.htmlBox)."""
    m = re.search(r"geoMap\.htmlBox\(\w+, (\".*?\"), 'geo-title'", text)
    assert m is not None
    return str(json.loads(m.group(1)))


def legend_box(text: str) -> str:
    m = re.search(r"geoMap\.htmlBox\(\w+, (\".*?\"), 'geo-legend'", text)
    assert m is not None
    return str(json.loads(m.group(1)))


def feature_texts(text: str) -> list[str]:
    """Popups, tooltips and labels of every feature (the GeoJSON handed to each overlay)."""
    found = re.findall(r"geoMap\.layer\(feature_group_\w+, (\{.*?\}), geo_styles\);", text)
    return [
        v
        for fc in found
        for f in json.loads(fc)["features"]
        for k, v in f["properties"].items()
        if k in "ptl"
    ]


def assert_literal_in_html(text: str, payload: str, where: list[str]) -> None:
    """The escaped payload is in each place; no raw markup and no evaluated form anywhere there."""
    for place in where:
        assert esc(payload) in place, (payload, place[:300])
        if payload in EVALUATED:
            assert EVALUATED[payload] not in place.replace(esc(payload), ""), place[:300]
        if "<" in payload:
            assert payload not in place
    if "<" in payload:
        assert payload not in text  # no raw markup anywhere in the page


def map_cli(tmp_path: Path, *args: str) -> str:
    out = tmp_path / "m.html"
    r = run_cli(["map", *args, "-o", str(out)])
    assert r.exception is None and r.code == 0, (r.code, r.err, r.exception)
    return out.read_text(encoding="utf-8")


def figure_texts(fig: Any) -> list[Any]:
    from matplotlib.text import Text

    return list(fig.findobj(Text))


def assert_literal_in_figure(fig: Any, payload: str) -> None:
    """Drawn without error; some text object holds exactly the payload's text, not typeset."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    holding = [t for t in figure_texts(fig) if payload in t.get_text()]
    assert holding, f"{payload!r} in no text of the figure"
    for t in holding:
        assert t._preprocess_math(t.get_text()) == (t.get_text(), False), "would be typeset"
        assert not t.get_usetex()


# ---------------------------------------------------------------- --title in geo map


@pytest.mark.parametrize("payload", list(PAYLOADS.values()), ids=list(PAYLOADS))
def test_map_title_is_literal(tmp_path: Path, payload: str) -> None:
    text = map_cli(tmp_path, "--site", "Hamhung", "--no-zones", "--title", payload)
    assert_literal_in_html(text, payload, [page_title(text), title_box(text)])


@pytest.mark.parametrize("payload", list(CODE.values()), ids=list(CODE))
def test_map_title_runs_no_code(proof: Path, payload: str) -> None:
    text = map_cli(proof, "--site", "Hamhung", "--no-zones", "--title", payload)
    no_code_ran(proof)
    assert esc(payload) in page_title(text)


def test_map_title_with_bundled_zones(tmp_path: Path) -> None:
    """The full page (zones, land, popups with probabilities): the title is still literal."""
    pytest.importorskip("geo.zones")
    text = map_cli(tmp_path, "--site", "Hamhung", "--rings-km", "1000", "--title", "{{7*7}} <b>x</b>")
    assert page_title(text) == "{{7*7}} &lt;b&gt;x&lt;/b&gt;"
    assert title_box(text).startswith("{{7*7}} &lt;b&gt;x&lt;/b&gt;<div")
    assert any(t.startswith("Zones:") for t in re.findall(r'"(Zones: [^"]+)"', text))  # zones are drawn


# ---------------------------------------------------------------- events files in geo map


@pytest.mark.parametrize("column", ["name", "date"])
@pytest.mark.parametrize(
    "payload",
    [
        PAYLOADS[k]
        for k in (
            "jinja-expression",
            "jinja-loop",
            "js-template-literal",
            "script-breakout",
            "quotes-and-amp",
        )
    ],
    ids=["jinja-expression", "jinja-loop", "js-template-literal", "script-breakout", "quotes-and-amp"],
)
def test_map_event_text_is_literal(tmp_path: Path, payload: str, column: str) -> None:
    row = {"name": "event", "date": "2022-01-05", "lat": "40.5", "lon": "135.0", column: payload}
    ev = events_csv(tmp_path / "ev.csv", [row])
    text = map_cli(tmp_path, "--events", str(ev), "--no-zones")
    tips = [t for t in feature_texts(text) if esc(payload) in t]
    assert len(tips) >= 2, feature_texts(text)  # the impact's popup and tooltip
    where = [*tips, page_title(text)] if column == "name" else tips  # the default title is the names
    assert_literal_in_html(text, payload, where)


@pytest.mark.parametrize("column", ["name", "date", "notes", "source"])
@pytest.mark.parametrize("payload", list(CODE.values()), ids=list(CODE))
def test_map_event_runs_no_code(proof: Path, payload: str, column: str) -> None:
    row = {"name": "event", "date": "2022-01-05", "lat": "40.5", "lon": "135.0", column: payload}
    ev = events_csv(proof / "ev.csv", [row])
    text = map_cli(proof, "--events", str(ev), "--no-zones")
    no_code_ran(proof)
    if column in ("name", "date"):
        assert any(esc(payload) in t for t in feature_texts(text))


def test_map_event_site_payload_is_a_clear_error(tmp_path: Path) -> None:
    ev = tmp_path / "ev.csv"
    ev.write_text("name,date,site,range_km\nx,2022-01-05,{{7*7}},500\n", encoding="utf-8")
    r = run_cli(["map", "--events", str(ev), "--no-zones", "-o", str(tmp_path / "m.html")])
    assert_clear_error(r, "{{7*7}}", "line 2")
    assert not (tmp_path / "m.html").exists()


# ---------------------------------------------------------------- library: places, tracks, zones, legend


def _place(name: str, source: str = "test") -> Place:
    return Place(name, (), "launch_site", "PRK", 127.5, 39.9, 1.0, source)


@pytest.mark.parametrize(
    "payload",
    [PAYLOADS[k] for k in ("jinja-expression", "jinja-comment", "img-onerror", "rtl-and-unicode")],
    ids=["jinja-expression", "jinja-comment", "img-onerror", "rtl-and-unicode"],
)
def test_place_name_and_source_are_literal(payload: str) -> None:
    lay = maps.collect_layers(
        sites=[_place(payload, source=payload)], rings_km=[500], zones=False, land=False
    )
    text = maps.map_html(lay)
    shown = [t for t in feature_texts(text) if esc(payload) in t]
    assert len(shown) >= 4, feature_texts(text)  # site popup, tooltip, label; ring popup and tooltip
    assert_literal_in_html(text, payload, [*shown, page_title(text), title_box(text)])


def test_place_name_runs_no_code(proof: Path) -> None:
    lay = maps.collect_layers(sites=[_place(MKDIR_ABSOLUTE)], zones=False, land=False)
    text = maps.map_html(lay, offline=True)
    no_code_ran(proof)
    assert esc(MKDIR_ABSOLUTE) in page_title(text)


def test_track_names_are_literal() -> None:
    import geopandas as gpd

    tracks = gpd.GeoDataFrame(
        {"name": ["{{7*7}}", "${7*7}"]},
        geometry=[geodesy.track([130.0, 135.0], [40.0, 41.0]), geodesy.track([170.0, -170.0], [50.0, 50.0])],
        crs="EPSG:4326",
    )
    text = maps.map_html(maps.collect_layers(tracks=tracks, zones=False, land=False))
    for name in ("{{7*7}}", "${7*7}"):
        assert sum(name in t for t in feature_texts(text)) == 2  # popup title and tooltip


def test_zone_texts_and_legend_are_literal(proof: Path) -> None:
    """Zone name/source/claimants (popups, attribution in the legend) and legend notes."""
    import geopandas as gpd
    import shapely

    zones = gpd.GeoDataFrame(
        {"kind": ["eez"], "sovereign": ["KOR"], "status": ["disputed"], "claimants": ["{{7*7}};KOR"],
         "source": [MKDIR_ABSOLUTE], "name": ["{% for x in range(3) %}X{% endfor %}"]},
        geometry=[shapely.box(131.0, 37.0, 132.0, 38.0)], crs="EPSG:4326",
    )  # fmt: skip
    lay = maps.collect_layers(sites=["Hamhung"], zones=zones, land=False)
    lay = replace(lay, notes=("note {{7*7}} </script>",), attribution=(*lay.attribution, "attr ${7*7}"))
    text = maps.map_html(lay)
    no_code_ran(proof)
    legend = legend_box(text)
    assert "note {{7*7}} &lt;/script&gt;" in legend and "attr ${7*7}" in legend
    assert esc(MKDIR_ABSOLUTE) in legend  # the zone's source is named in the attribution
    popup = next(t for t in feature_texts(text) if "geo-popup" in t and "disputed" in t)
    assert "{% for x in range(3) %}X{% endfor %}" in popup and "{{7*7}}, KOR" in popup


def test_layer_names_in_the_layer_control_are_constant() -> None:
    """Overlay names reach folium's LayerControl (JSON keys); none is built from user text."""
    lay = maps.collect_layers(sites=[_place("{{7*7}}")], rings_km=[500], zones=False, land=False)
    text = maps.map_html(lay)
    block = re.search(r"overlays\s*:\s*\{(.*?)\}", text, flags=re.S)
    assert block is not None
    names = re.findall(r'"([^"]+)"\s*:', block.group(1))
    assert names and not any("{{" in n or "49" in n for n in names), names


# ---------------------------------------------------------------- figures


@pytest.mark.parametrize(
    "payload",
    [PAYLOADS[k] for k in ("mathtext", "lone-dollar", "jinja-expression", "img-onerror")]
    + ["$x^2$ and \\$y\\$", "$"],
    ids=[
        "mathtext",
        "lone-dollar",
        "jinja-expression",
        "img-onerror",
        "math-and-escaped-dollar",
        "only-a-dollar",
    ],
)
def test_figure_title_and_names_are_literal(payload: str) -> None:
    lay = maps.collect_layers(sites=[_place(payload)], rings_km=[500], zones=False, land=False, title=payload)
    fig = figures.build_figure(lay)
    assert_literal_in_figure(fig, payload)
    assert fig._suptitle.get_text() == payload
    assert any(t.get_text() == payload for t in figure_texts(fig) if t is not fig._suptitle)  # the site label


def test_figure_text_is_plain_even_with_usetex_set() -> None:
    """A matplotlibrc with text.usetex would send user text to LaTeX; the figure keeps it plain."""
    import matplotlib

    lay = maps.collect_layers(sites=["Hamhung"], zones=False, land=False, title="$\\frac{1}{2}$ \\input{x}")
    with matplotlib.rc_context({"text.usetex": True}):
        fig = figures.build_figure(lay)
    assert not any(t.get_usetex() for t in figure_texts(fig))
    assert_literal_in_figure(fig, "$\\frac{1}{2}$ \\input{x}")


@pytest.mark.parametrize("payload", ["$\\frac{1}{2}$", "{{7*7}}", "<img src=x onerror=alert(1)>"],
                         ids=["mathtext", "jinja-expression", "img-onerror"])  # fmt: skip
def test_figure_cli_event_names_are_literal(tmp_path: Path, payload: str) -> None:
    ev = events_csv(
        tmp_path / "ev.csv", [{"name": payload, "date": "2022-01-05", "lat": "40.5", "lon": "135.0"}]
    )
    out = tmp_path / "f.svg"
    r = run_cli(["figure", "--events", str(ev), "--no-zones", "--dpi", "72", "-o", str(out)])
    assert r.code == 0 and r.exception is None, r.err
    svg = out.read_text(encoding="utf-8")
    comments = re.findall(r"<!-- (.*?) -->", svg, flags=re.S)
    assert html.escape(payload, quote=False) in comments  # the label, drawn as that very text
    assert "<img" not in svg


def test_figure_cli_runs_no_code(proof: Path) -> None:
    ev = events_csv(proof / "ev.csv", [{"name": MKDIR_ABSOLUTE, "date": MKDIR_RELATIVE, "lat": "40.5",
                                        "lon": "135.0", "notes": MKDIR_RELATIVE}])  # fmt: skip
    r = run_cli(["figure", "--events", str(ev), "--no-zones", "--dpi", "72", "-o", str(proof / "f.png")])
    assert r.code == 0 and r.exception is None, r.err
    no_code_ran(proof)


# ---------------------------------------------------------------- exports


@pytest.mark.parametrize("suffix", [".geojson", ".kml", ".gpkg"])
def test_export_keeps_event_text_literal(proof: Path, suffix: str) -> None:
    """GIS exports carry the names as data: read back, they are the very text given."""
    from geo.io import read_layers

    names = ["{{7*7}}", MKDIR_ABSOLUTE, "</script><img src=x onerror=alert(1)>", "$\\frac{1}{2}$ \u202eRTL"]
    rows = [
        {"name": n, "date": "2022-01-05", "lat": str(40 + i), "lon": "135.0"} for i, n in enumerate(names)
    ]
    out = proof / f"x{suffix}"
    r = run_cli(["export", "--events", str(events_csv(proof / "ev.csv", rows)), "--no-zones", "-o", str(out)])
    assert r.code == 0 and r.exception is None, r.err
    no_code_ran(proof)
    assert sorted(read_layers(out)["impacts"]["name"]) == sorted(names)


# ---------------------------------------------------------------- --events given twice


def _two_files(tmp_path: Path) -> tuple[Path, Path]:
    a = events_csv(
        tmp_path / "a.csv", [{"name": "first file", "date": "2022-01-05", "lat": "40.5", "lon": "135.0"}]
    )
    b = events_csv(
        tmp_path / "b.csv", [{"name": "second file", "date": "2022-01-11", "lat": "41.0", "lon": "136.0"}]
    )
    return a, b


def test_map_draws_every_events_file(tmp_path: Path) -> None:
    a, b = _two_files(tmp_path)
    text = map_cli(tmp_path, "--events", str(a), "--events", str(b), "--no-zones")
    tips = feature_texts(text)
    assert any(t.startswith("first file") for t in tips) and any(t.startswith("second file") for t in tips)


def test_collect_layers_takes_several_events_files(tmp_path: Path) -> None:
    a, b = _two_files(tmp_path)
    lay = maps.collect_layers(events=[a, b], zones=False, land=False)
    assert lay.impacts.name.tolist() == ["first file", "second file"]
    assert [round(g.x, 4) for g in lay.impacts.geometry] == [135.0, 136.0]


def test_export_writes_every_events_file(tmp_path: Path) -> None:
    a, b = _two_files(tmp_path)
    out = tmp_path / "x.geojson"
    r = run_cli(["export", "--events", str(a), "--events", str(b), "--no-zones", "-o", str(out), "--json"])
    assert r.code == 0, r.err
    assert json.loads(r.out)["layers"]["impacts"] == 2


def test_figure_draws_every_events_file(tmp_path: Path) -> None:
    a, b = _two_files(tmp_path)
    out = tmp_path / "f.svg"
    r = run_cli(
        ["figure", "--events", str(a), "--events", str(b), "--no-zones", "--dpi", "72", "-o", str(out)]
    )
    assert r.code == 0, r.err
    comments = re.findall(r"<!-- (.*?) -->", out.read_text(encoding="utf-8"))
    assert "first file" in comments and "second file" in comments


def test_same_events_file_twice_is_a_clear_error(tmp_path: Path) -> None:
    a, _ = _two_files(tmp_path)
    r = run_cli(["map", "--events", str(a), "--events", str(tmp_path / "." / "a.csv"), "--no-zones",
                 "-o", str(tmp_path / "m.html")])  # fmt: skip
    assert_clear_error(r, "--events", "a.csv", "twice")
    assert not (tmp_path / "m.html").exists()
