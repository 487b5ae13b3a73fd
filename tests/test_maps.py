"""geo.maps and `geo map`: layers, large shapes, offline pages, hostile text, bad input."""

from __future__ import annotations

import html
import importlib.util
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from click.testing import CliRunner

pytest.importorskip("folium")

from geo import geodesy, maps
from geo._errors import GeoError, InvalidDistanceError, PlaceNotFoundError
from geo.cli import main
from geo.maps import zone_layers

HOSTILE = '<img src=x onerror="window.__pwned=1">'
REPO = Path(__file__).resolve().parents[1]
HAS_ZONES = importlib.util.find_spec("geo.zones") is not None


def layers(**kw):
    kw.setdefault("zones", False)
    kw.setdefault("land", False)
    return maps.collect_layers(**kw)


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def zones() -> gpd.GeoDataFrame:
    """Small synthetic zone layers: two neighbours sharing an edge, a disputed square and
    a zone across 180 deg (an annulus round an island at 179.5E)."""
    tsa = geodesy.annulus(134.0, 40.0, 20_000, 22_224)
    eez_w = shapely.box(128.0, 36.0, 134.0, 42.0).difference(geodesy.ring(134.0, 40.0, 20_000))
    eez_e = shapely.box(134.0, 36.0, 140.0, 42.0).difference(geodesy.ring(134.0, 40.0, 20_000))
    dispute = shapely.box(131.8, 37.2, 131.9, 37.3)
    across = geodesy.annulus(179.5, 50.0, 20_000, 370_400)
    return gpd.GeoDataFrame(
        {
            "kind": ["territorial_sea", "eez", "eez", "eez", "eez"],
            "sovereign": ["KOR", "KOR", "JPN", "KOR", "USA"],
            "status": ["equidistance", "equidistance", "equidistance", "disputed", "claimed"],
            "claimants": ["KOR", "KOR", "JPN", "JPN;KOR", "USA"],
            "source": ["synthetic", "synthetic", "synthetic", HOSTILE, "synthetic"],
        },
        geometry=[tsa, eez_w.difference(dispute), eez_e, dispute, across],
        crs="EPSG:4326",
    )


@pytest.fixture
def events_csv(tmp_path: Path) -> Path:
    p = tmp_path / "events.csv"
    p.write_text(
        "Name,Date,Lat,Lon,Site,Range_km,Azimuth_deg\n"
        f'"{HOSTILE.replace(chr(34), chr(34) * 2)}",2022-01-27,,,Hamhung,190+/-10,60:120\n'
        "point report,2022-01-30,40.5,135.0,,,\n"
        "unknown azimuth,2022-03-24,,,Sunan,1000-1100,\n",
        encoding="utf-8",
    )
    return p


# ---------------------------------------------------------------- helpers


class _Fetches(HTMLParser):
    """Collects what a browser would fetch: script src, link href, img/iframe src, CSS url()."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for key in ("src", "href", "data", "poster"):
            if a.get(key) and tag in (
                "script",
                "link",
                "img",
                "iframe",
                "embed",
                "object",
                "source",
                "video",
                "audio",
            ):
                self.urls.append(a[key] or "")
        self._in_style = tag == "style"

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += [
                u for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", data) if not u.startswith(("data:", "#"))
            ]


def fetched_urls(text: str) -> list[str]:
    p = _Fetches()
    p.feed(text)
    urls = [u for u in p.urls if re.match(r"(https?:)?//", u)]
    if re.search(r"L\.tileLayer\(|\{z\}/\{x\}/\{y\}", text):
        urls.append("tile layer")
    return urls


def layer_payloads(text: str) -> list[dict]:
    """The GeoJSON handed to each overlay (JSON inside the page's script)."""
    found = re.findall(r"geoMap\.layer\(feature_group_\w+, (\{.*?\}), geo_styles\);", text)
    return [json.loads(f) for f in found]


def texts(payloads: list[dict]) -> list[str]:
    return [v for fc in payloads for f in fc["features"] for k, v in f["properties"].items() if k in "ptl"]


# ---------------------------------------------------------------- layers


def test_layers_from_sites_rings_impacts() -> None:
    lay = layers(sites=["Hamhung"], rings_km=[1000, 3000], impacts=[(135.0, 40.5)])
    assert lay.sites.name.tolist() == ["Hamhung"]
    assert lay.rings.range_km.tolist() == [1000.0, 3000.0]
    assert lay.impacts.geometry.iloc[0].coords[0] == (135.0, 40.5)
    assert lay.rings.crs.to_epsg() == 4326
    assert lay.rings.geometry.is_valid.all()


def test_events_give_regions_best_points_tracks_and_probabilities(events_csv: Path) -> None:
    lay = layers(events=events_csv)
    assert set(lay.sites.name) == {"Hamhung", "Pyongyang Sunan International Airport"}
    assert lay.impacts.name.tolist() == [HOSTILE, "point report"]  # no best point for an unknown azimuth
    assert lay.regions.name.tolist() == [HOSTILE, "unknown azimuth"]
    assert (
        lay.regions.geometry.iloc[1].geom_type == "Polygon"
        and len(lay.regions.geometry.iloc[1].interiors) == 1
    )
    assert "holds" in lay.regions.probability_text.iloc[0]
    share = float(re.search(r"holds ([\d.]+)%", lay.regions.probability_text.iloc[0]).group(1))
    assert 93.0 < share <= 100.0  # +/-2 sigma in range, the whole azimuth interval
    assert lay.tracks.name.tolist() == [HOSTILE]


def test_impact_popup_names_the_zone(zones: gpd.GeoDataFrame) -> None:
    lay = maps.collect_layers(impacts=[(131.85, 37.25), (150.0, 10.0)], zones=zones, land=False)
    assert lay.impacts.zone_text.iloc[0] == "KOR eez (disputed, claimed by JPN, KOR)"
    assert lay.impacts.zone_text.iloc[1] == "outside every zone drawn"


# ---------------------------------------------------------------- large shapes


def test_13000_km_ring_displays_without_seams_or_inversion() -> None:
    c_lon, c_lat = 127.5364, 39.9183
    disc = geodesy.ring(c_lon, c_lat, 13_000e3)
    shown = maps.display_geometry(disc, centre_lon=c_lon)
    lo, hi = c_lon - 180, c_lon + 180
    assert shown.is_valid and shown.geom_type == "Polygon"  # the 180 deg split is joined again
    assert shown.bounds[3] == pytest.approx(maps.MAX_DISPLAY_LAT)  # clipped to Web Mercator's limit
    # Fill inside: the centre, the pole side and the far Pacific are in; the antipode is out.
    for lon, lat in [(c_lon, c_lat), (c_lon, 84.0), (200.0, 40.0), (-40.0, 60.0), (300.0, 60.0)]:
        assert shown.contains(shapely.Point(lon, lat)), (lon, lat)
    for lon, lat in [(-50.0, -40.0), (305.0, -40.0)]:  # near the antipode (-52.46, -39.92)
        assert not shown.contains(shapely.Point(lon, lat)), (lon, lat)
    line = maps.outline(shown, centre_lon=c_lon)
    xy = shapely.get_coordinates(line)
    _, _, d = geodesy.inverse(np.full(len(xy), c_lon), np.full(len(xy), c_lat), xy[:, 0], xy[:, 1])
    assert np.allclose(d, 13_000e3, atol=200.0)  # every outline vertex is on the circle: no cut edges
    assert xy[:, 1].max() < 30.0 and lo <= xy[:, 0].min() and xy[:, 0].max() <= hi


@pytest.mark.parametrize("centre_lon", [127.5, 180.0, -170.0])
def test_track_across_180_is_continuous_on_the_map(centre_lon: float) -> None:
    track = geodesy.track([150.0, -150.0], [45.0, 50.0])
    assert track.geom_type == "MultiLineString"  # split in EPSG:4326 ...
    shown = maps.display_geometry(track, centre_lon=centre_lon)
    assert shown.geom_type == "LineString"  # ... and whole on a Pacific map
    x = shapely.get_coordinates(shown)[:, 0]
    assert np.abs(np.diff(x)).max() < 1.0  # no smear across the map


def test_zone_across_180_draws_whole(zones: gpd.GeoDataFrame) -> None:
    across = zones.geometry.iloc[4]
    assert across.geom_type == "MultiPolygon"
    shown = maps.display_geometry(across, centre_lon=127.5)
    assert shown.geom_type == "Polygon" and shown.bounds[2] > 180.0
    assert maps.outline(shown, centre_lon=127.5).geom_type == "MultiLineString"  # outer and inner circle
    assert shapely.get_coordinates(maps.outline(shown, centre_lon=127.5))[:, 0].min() > 170.0


def test_display_keeps_points_and_is_scalar_in_scalar_out() -> None:
    p = maps.display_geometry(shapely.Point(-170.0, 50.0), centre_lon=150.0)
    assert p.coords[0] == (190.0, 50.0)
    arr = maps.display_geometry([shapely.Point(10.0, 0.0)], centre_lon=0.0)
    assert isinstance(arr, np.ndarray) and arr[0].coords[0] == (10.0, 0.0)


# ---------------------------------------------------------------- simplification


def test_simplify_keeps_shared_edges(zones: gpd.GeoDataFrame) -> None:
    dense = zones.copy()
    dense["geometry"] = shapely.segmentize(dense.geometry.to_numpy(), 0.002)
    s = maps.simplify_zones(dense, tolerance_deg=0.05)
    w, e = s.geometry.iloc[1], s.geometry.iloc[2]
    assert (
        shapely.get_num_coordinates(s.geometry.to_numpy()).sum()
        < shapely.get_num_coordinates(dense.geometry.to_numpy()).sum() / 5
    )
    assert w.intersection(e).area == pytest.approx(0.0, abs=1e-12)  # no overlap
    shared = w.boundary.intersection(e.boundary)
    assert shared.length == pytest.approx(6.0 - 2 * 20_000 / 111_000, rel=0.05)  # still one common edge
    again = maps.simplify_zones(s, tolerance_deg=0.05)
    assert all(a.equals(b) for a, b in zip(again.geometry, s.geometry, strict=True))  # twice changes nothing


# ---------------------------------------------------------------- html


def test_offline_html_fetches_nothing_and_inlines_leaflet() -> None:
    text = maps.map_html(layers(sites=["Hamhung"], rings_km=[1000]), offline=True)
    assert fetched_urls(text) == []
    assert "L.map(" in text and "L.control.layers(" in text and "L.control.scale(" in text
    assert "geoMap.measure(" in text and "geoMap.readout(" in text
    assert "Leaflet 1.9.4" in text or "1.9.4" in text


def test_online_html_uses_tiles_and_cdn() -> None:
    text = maps.map_html(layers(sites=["Hamhung"]), offline=False)
    urls = fetched_urls(text)
    assert "tile layer" in urls and any("leaflet@1.9.4" in u for u in urls)


def test_hostile_text_is_escaped_everywhere(events_csv: Path, zones: gpd.GeoDataFrame) -> None:
    lay = maps.collect_layers(events=events_csv, zones=zones, land=False, title=HOSTILE)
    text = maps.map_html(lay, offline=True)
    assert HOSTILE not in text and "<img" not in text
    assert f"<title>{html.escape(HOSTILE)}</title>" in text
    found = texts(layer_payloads(text))
    assert any(
        html.escape(HOSTILE) in t for t in found
    )  # popups and tooltips of the event and the zone source
    assert not any("<img" in t for t in found)
    legend = re.search(r"geoMap\.htmlBox\(\w+, (\".*?\"), 'geo-title'", text).group(1)
    assert "<img" not in json.loads(legend) and html.escape(HOSTILE) in json.loads(legend)


def test_zone_popups_and_disputed_style(zones: gpd.GeoDataFrame) -> None:
    lay = maps.collect_layers(sites=["Hamhung"], zones=zones, land=False)
    text = maps.map_html(lay, offline=True)
    feats = [f for fc in layer_payloads(text) for f in fc["features"]]
    disputed = [f for f in feats if "JPN, KOR" in f["properties"].get("p", "")]
    assert disputed and all(f["properties"]["s"].endswith(":disputed") for f in disputed)
    pop = disputed[0]["properties"]["p"]
    for word in ("country", "kind", "status", "disputed", "claimants", "source"):
        assert word in pop
    styles = json.loads(re.search(r"var geo_styles = (\{.*?\});\n", text).group(1))
    assert (
        styles["z:eez:KOR:disputed"]["dashArray"]
        and styles["z:eez:KOR:disputed"]["color"] != styles["z:eez:KOR:equidistance"]["color"]
    )


def test_perspective_draws_claimed_disputes_as_its_own(zones: gpd.GeoDataFrame) -> None:
    lay = maps.collect_layers(sites=["Hamhung"], zones=zones, land=False, perspective="jpn")
    text = maps.map_html(lay, offline=True)
    styles = {f["properties"]["s"] for fc in layer_payloads(text) for f in fc["features"]}
    assert "z:eez:JPN:claimed" in styles and "z:eez:KOR:disputed" not in styles
    with pytest.raises(GeoError, match="ISO 3166"):
        maps.collect_layers(sites=["Hamhung"], zones=zones, perspective="Japan")


def test_output_is_deterministic() -> None:
    lay = layers(sites=["Hamhung"], rings_km=[1000])
    assert maps.map_html(lay, offline=True) == maps.map_html(lay, offline=True)


def test_no_zones_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zone_layers, "_bundled_zones", lambda perspective, where=None: (None, "geo.zones is not installed"))
    with pytest.warns(maps.NoZonesWarning, match="not installed"):
        lay = maps.collect_layers(sites=["Hamhung"], land=False)
    assert any("Maritime zones not shown" in n for n in lay.notes)
    assert "Maritime zones not shown" in maps.map_html(lay, offline=True)


# ---------------------------------------------------------------- bad input


def test_empty_selection() -> None:
    with pytest.raises(GeoError, match="nothing to draw"):
        layers()


def test_unknown_site() -> None:
    with pytest.raises(PlaceNotFoundError, match="Hamhong"):
        layers(sites=["Hamhong"])


@pytest.mark.parametrize("ring", [0.0, -5.0, float("nan"), 25_000.0, 20_004.0])
def test_bad_rings(ring: float) -> None:
    with pytest.raises(InvalidDistanceError):
        layers(sites=["Hamhung"], rings_km=[ring])


def test_rings_need_a_site() -> None:
    with pytest.raises(GeoError, match="give a site"):
        layers(impacts=[(135.0, 40.0)], rings_km=[1000])


def test_bad_event_row_is_named(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text("name,date,lat,lon\nok,2022,40,135\nbad,2022,95,135\n", encoding="utf-8")
    with pytest.raises(GeoError, match="line 3"):
        layers(events=p)


def test_missing_folder_and_no_partial_file(tmp_path: Path) -> None:
    lay = layers(sites=["Hamhung"])
    with pytest.raises(FileNotFoundError, match="does not exist"):
        maps.write_map(lay, tmp_path / "missing" / "map.html")
    assert not (tmp_path / "missing").exists()


def test_read_only_destination_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def refuse(*_a: object, **_k: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    # geo._io reports it as an OutputPathError (a GeoError) naming the user's path.
    with pytest.raises((PermissionError, GeoError), match=r"map\.html.*choose a writable folder"):
        maps.write_map(layers(sites=["Hamhung"]), tmp_path / "map.html")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os_root := (__import__("os").geteuid() == 0), reason="root ignores folder permissions")
def test_read_only_folder(tmp_path: Path) -> None:  # pragma: no cover - not run as root
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o555)
    with pytest.raises(PermissionError):
        maps.write_map(layers(sites=["Hamhung"]), ro / "map.html")
    assert list(ro.iterdir()) == []


# ---------------------------------------------------------------- CLI


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_cli_map_offline(tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    code, _, err = run("map", "--site", "Hamhung", "--rings-km", "1000,13000", "--impact", "40.5,135",
                       "--no-zones", "--offline", "-o", str(out))  # fmt: skip
    assert code == 0, err
    assert fetched_urls(out.read_text(encoding="utf-8")) == []
    assert "offline" in err


def test_cli_map_events(tmp_path: Path, events_csv: Path) -> None:
    out = tmp_path / "m.html"
    code, _, err = run("map", "--events", str(events_csv), "--no-zones", "--offline", "-o", str(out))
    assert code == 0, err
    assert HOSTILE not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "nothing to draw"),
        (("--site", "Hamhong"), "unknown place"),
        (("--site", "Hamhung", "--rings-km", "0"), "positive"),
        (("--site", "Hamhung", "--rings-km", "30000"), "antipode"),
        (("--site", "Hamhung", "--rings-km", "abc"), "cannot read range"),
        (("--impact", "95,135"), "latitude"),
        (("--impact", "north"), "LAT,LON"),
    ],
)
def test_cli_map_bad_input(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    out = tmp_path / "m.html"
    code, _, err = run("map", *args, "--no-zones", "-o", str(out))
    assert code == 2 and message in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_cli_map_missing_folder(tmp_path: Path) -> None:
    code, _, err = run("map", "--site", "Hamhung", "--no-zones", "-o", str(tmp_path / "nope" / "m.html"))
    assert code == 2 and "does not exist" in err


def test_cli_map_wrong_suffix(tmp_path: Path) -> None:
    code, _, err = run("map", "--site", "Hamhung", "--no-zones", "-o", str(tmp_path / "m.png"))
    assert code == 2 and ".html" in err


# ---------------------------------------------------------------- real zones


@pytest.mark.skipif(not HAS_ZONES, reason="geo.zones is not installed yet")
def test_real_zones_north_west_pacific_under_5_mb(tmp_path: Path) -> None:
    if not any((REPO / "data" / "boundaries").glob("*.*")):
        pytest.skip("data/boundaries holds no bundled zone layers yet")
    lay = maps.collect_layers(sites=["Hamhung"], rings_km=[1000, 3000])
    assert lay.zones is not None and {"territorial_sea", "eez"} <= set(lay.zones["kind"])
    path = maps.write_map(lay, tmp_path / "nwp.html", offline=True)
    assert path.stat().st_size <= 5_000_000
    assert fetched_urls(path.read_text(encoding="utf-8")) == []


def test_popup_probabilities_are_those_of_geo_assess(tmp_path: Path) -> None:
    """With the bundled zones, a region's popup gives the outcomes `geo assess` gives."""
    from geo import assess, uncertainty
    from geo import maps as m
    from geo.maps.event_layers import SAMPLES

    events = tmp_path / "e.csv"
    events.write_text(
        "name,date,site,range_km,azimuth_deg\nseed,2022-01-27,Hamhung,190,30:150\n", encoding="utf-8"
    )
    layers = m.collect_layers(events=events, perspective="JPN")
    text = layers.regions["probability_text"].iloc[0]
    s = uncertainty.from_site("Hamhung", range_km="190", azimuth="30:150", n=SAMPLES, seed=0)
    a = assess.assess_samples(s, zones=assess.zone_index("JPN"))
    for key, p in a.probability.items():
        assert f"P({key}) = {p:.1%}" in text
