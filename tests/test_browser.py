"""Offline maps in headless Chromium with the network blocked (Debian chromium + chromium-driver).

Skipped, with the reason, when chromium, chromedriver or selenium is absent; CI installs them.
Screenshots are kept under pytest's tmp folder (the path is printed) for a person to look at.
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("folium")

from geo import geodesy, maps
from geo.maps._leaflet.chromium import chromium_paths, headless_chromium, network_requests

HOSTILE = '<img src=x onerror="window.__pwned=1">'

if chromium_paths() is None:
    pytest.skip("chromium and chromedriver are not installed (apt-get install chromium chromium-driver)",
                allow_module_level=True)  # fmt: skip
pytest.importorskip("selenium", reason="selenium is not installed (pip install selenium)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with headless_chromium(width=1280, height=900) as driver:
        yield driver


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("maps")
    events = folder / "events.csv"
    events.write_text(
        "name,date,site,range_km,azimuth_deg\n"
        f'"{HOSTILE.replace(chr(34), chr(34) * 2)}",2022-01-27,Hamhung,190+/-10,60:120\n',
        encoding="utf-8",
    )
    layers = maps.collect_layers(
        sites=["Hamhung"], rings_km=[1000, 13_000], impacts=[(135.0, 40.5)], events=events,
        tracks=[geodesy.track([150.0, -150.0], [45.0, 50.0])], zones=_zones(), title=HOSTILE,
    )  # fmt: skip
    return maps.write_map(layers, folder / "offline.html", offline=True)


def _zones() -> Any:
    import geopandas as gpd
    import shapely

    return gpd.GeoDataFrame(
        {"kind": ["eez", "eez"], "sovereign": ["KOR", "USA"], "status": ["disputed", "claimed"],
         "claimants": ["JPN;KOR", "USA"], "source": [HOSTILE, "synthetic"]},
        geometry=[shapely.box(131.0, 37.0, 132.5, 38.0), geodesy.annulus(179.5, 50.0, 20_000, 370_400)],
        crs="EPSG:4326",
    )  # fmt: skip


@pytest.fixture(scope="module")
def opened(browser: Any, page: Path) -> Any:
    browser.get_log("browser")
    network_requests(browser)
    browser.get(page.resolve().as_uri())
    browser.execute_script("return document.readyState")
    return browser


def set_view(driver: Any, lat: float, lon: float, zoom: int) -> None:
    """Move the map and wait until Leaflet has redrawn its vector layers for the new view."""
    driver.set_script_timeout(10)
    driver.execute_async_script(
        """
        var done = arguments[arguments.length - 1];
        map_geo.once('moveend', function () { setTimeout(done, 300); });
        map_geo.setView([arguments[0], arguments[1]], arguments[2], {animate: false});
        """,
        lat,
        lon,
        zoom,
    )


def expected_paths(text: str) -> int:
    """One SVG path per drawn feature (labels are HTML markers, not paths)."""
    found = re.findall(r"geoMap\.layer\(feature_group_\w+, (\{.*?\}), geo_styles\);", text)
    return sum(1 for fc in found for f in json.loads(fc)["features"] if f["properties"]["s"] != "label")


def test_opens_offline_without_errors_or_requests(opened: Any, page: Path) -> None:
    severe = [e for e in opened.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []
    fetched = [u for u in network_requests(opened) if not u.startswith(("file:", "data:"))]
    assert fetched == []


def test_draws_the_expected_layers(opened: Any, page: Path) -> None:
    n = opened.execute_script("return document.querySelectorAll('.leaflet-overlay-pane svg path').length")
    assert n == expected_paths(page.read_text(encoding="utf-8")) and n >= 10
    labels = opened.execute_script(
        "return document.querySelectorAll('.leaflet-control-layers-overlays label').length"
    )
    assert labels == 8  # land, graticule, EEZ, rings, regions, tracks, sites, impacts
    assert opened.execute_script("return document.querySelectorAll('.leaflet-tile').length") == 0
    assert "Measure" in opened.find_element("css selector", ".geo-measure").text


def test_hostile_name_runs_nothing(opened: Any) -> None:
    shown = opened.execute_script(
        """
        var texts = [];
        map_geo.eachLayer(function (l) {
          if (l.getPopup && l.getPopup()) { l.openPopup(); texts.push(l.getPopup().getElement().textContent); l.closePopup(); }
          if (l.getTooltip && l.getTooltip()) { l.openTooltip(); texts.push(l.getTooltip().getElement().textContent); l.closeTooltip(); }
        });
        return texts;
        """
    )
    assert any(HOSTILE in t for t in shown)  # shown as text ...
    assert opened.execute_script("return typeof window.__pwned") == "undefined"  # ... and run nowhere
    assert opened.execute_script("return document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert HOSTILE in opened.find_element("css selector", ".geo-title").text
    assert HOSTILE in opened.title


def test_13000_km_ring_fills_the_pole_side_not_the_antipode(opened: Any) -> None:
    set_view(opened, 20.0, 127.5, 1)

    def ring_at(lat: float, lon: float) -> bool:
        return bool(
            opened.execute_script(
                """
                var p = map_geo.latLngToContainerPoint([arguments[0], arguments[1]]);
                var r = map_geo.getContainer().getBoundingClientRect();
                var els = document.elementsFromPoint(r.left + p.x, r.top + p.y);
                return els.some(function (e) { return e.tagName === 'path' && e.getAttribute('stroke') === 'none'
                                               && e.getAttribute('fill') === '#b2182b'; });
                """,
                lat,
                lon,
            )
        )

    assert ring_at(80.0, 127.5) and ring_at(60.0, 300.0) and ring_at(60.0, -40.0)
    assert not ring_at(-40.0, -50.0) and not ring_at(-40.0, 305.0)  # round the antipode


def test_measuring_tool_is_geodesic(opened: Any) -> None:
    set_view(opened, 40.0, 150.0, 3)
    pairs = [((39.9, 127.5), (40.5, 135.0)), ((35.0, 140.0), (50.0, -170.0)), ((0.0, 0.0), (0.5, 179.7))]
    for (la1, lo1), (la2, lo2) in pairs:
        js = opened.execute_script("return geoMap.vincenty(arguments[0], arguments[1], arguments[2], arguments[3]);",
                                   la1, lo1, la2, lo2)  # fmt: skip
        _, _, ref = geodesy.inverse(lo1, la1, lo2, la2)
        assert js is None or abs(js[0] - ref) < 0.01  # Vincenty vs GeographicLib: under a centimetre
    opened.find_element("css selector", ".geo-measure a").click()
    opened.execute_script(
        "map_geo.fire('click', {latlng: L.latLng(35, 140)}); map_geo.fire('click', {latlng: L.latLng(50, 190)});"
    )
    text = opened.find_element("css selector", ".geo-measure-result").text
    _, _, ref = geodesy.inverse(140.0, 35.0, -170.0, 50.0)
    km = float(re.match(r"([\d,.]+) km", text).group(1).replace(",", ""))
    assert km == pytest.approx(ref / 1e3, abs=0.06)
    opened.find_element("css selector", ".geo-measure a").click()


def test_screenshot_is_not_blank(opened: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    from PIL import Image

    set_view(opened, 38.0, 140.0, 3)
    png = opened.get_screenshot_as_png()
    out = tmp_path_factory.mktemp("screens") / "offline_map.png"
    out.write_bytes(png)
    print(f"screenshot: {out}")
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)
    colours = len({tuple(c) for c in img[::7, ::7].reshape(-1, 3).astype(int)})
    assert img.std() > 20 and colours > 30
    # A good part of the frame is land, sea and shapes, not one flat colour.
    values, counts = np.unique(img[::5, ::5].reshape(-1, 3), axis=0, return_counts=True)
    assert counts.max() / counts.sum() < 0.8 and math.isfinite(float(values.mean()))


TEMPLATE_PAYLOADS = [
    "{{7*7}}",
    "${7*7}",
    "{% for x in range(3) %}X{% endfor %}",
    "</script><script>window.__pwned=2</script>",
    "$\\frac{1}{2}$ \u202eRTL \u05e9\u05dc\u05d5\u05dd",
]


def test_template_and_markup_payloads_show_literally(tmp_path: Path) -> None:
    """Title and event names that look like Jinja, JS template literals or a script end:
    the page loads without a severe console error and shows each text as typed."""
    events = tmp_path / "events.csv"
    rows = [f'"{p.replace(chr(34), chr(34) * 2)}",2022-01-0{i + 1},{40 + i * 0.5},135.0' for i, p in
            enumerate(TEMPLATE_PAYLOADS)]  # fmt: skip
    events.write_text("name,date,lat,lon\n" + "\n".join(rows) + "\n", encoding="utf-8")
    title = " | ".join(TEMPLATE_PAYLOADS)
    layers = maps.collect_layers(events=events, zones=_zones(), title=title)
    page = maps.write_map(layers, tmp_path / "payloads.html", offline=True)
    with headless_chromium(width=1000, height=700) as driver:  # its own browser: `opened` keeps its page
        driver.get(page.resolve().as_uri())
        driver.execute_script("return document.readyState")
        assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
        assert driver.title == title
        assert title in driver.find_element("css selector", ".geo-title").text
        tips = driver.execute_script(
            """
            var texts = [];
            map_geo.eachLayer(function (l) {
              if (l.getTooltip && l.getTooltip()) { l.openTooltip(); texts.push(l.getTooltip().getElement().textContent); l.closeTooltip(); }
            });
            return texts;
            """
        )
        for p in TEMPLATE_PAYLOADS:
            assert any(t.startswith(p) for t in tips), (p, tips)
        assert driver.execute_script("return typeof window.__pwned") == "undefined"
