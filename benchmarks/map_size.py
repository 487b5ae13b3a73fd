"""HTML size and time to first render of a North-West Pacific map, geo.maps vs GeoDataFrame.explore().

Both maps hold the same layers (every bundled zone layer, land, range rings and the
launch site; synthetic zones when the bundle is absent) and are opened in the same run
in headless Chromium with the network blocked. explore() links Leaflet and its plugins
on CDNs; for a fair, offline comparison its Leaflet tags are replaced by the same inlined
Leaflet 1.9.4 (its jQuery/Bootstrap/icon links are dropped: GeoJSON does not use them).

Prints one JSON line. Run: ``.venv/bin/python benchmarks/map_size.py``
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd


def _layers():  # type: ignore[no-untyped-def]
    from geo import maps

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", maps.NoZonesWarning)
        return maps.collect_layers(sites=["Hamhung"], rings_km=[1000, 3000])


def _explore_html(layers, path: Path) -> float:  # type: ignore[no-untyped-def]
    import geopandas as gpd

    from geo.maps._leaflet import leaflet_css, leaflet_js

    t0 = time.perf_counter()
    frames = []
    if layers.zones is not None:
        frames.append(layers.zones[["kind", "sovereign", "status", "claimants", "geometry"]])
    if layers.land is not None:
        frames.append(layers.land[["geometry"]].assign(kind="land"))
    frames.append(layers.rings.assign(kind="ring")[["kind", "geometry"]])
    frames.append(layers.sites.assign(kind="site")[["kind", "geometry"]])
    gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    m = gdf.explore(column="kind", tiles=None)
    html = m.get_root().render()
    t1 = time.perf_counter() - t0
    html = re.sub(
        r'<script src="[^"]*leaflet[^"]*\.js"></script>',
        lambda _: f"<script>{leaflet_js()}</script>",
        html,
        count=1,
    )
    html = re.sub(
        r'<link rel="stylesheet" href="[^"]*leaflet\.css"/>',
        lambda _: f"<style>{leaflet_css()}</style>",
        html,
        count=1,
    )
    html = re.sub(
        r'<script src="https?://[^"]*"></script>|<link rel="stylesheet" href="https?://[^"]*"/>', "", html
    )
    path.write_text(html, encoding="utf-8")
    return t1


def _render(driver, path: Path) -> dict[str, float]:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    driver.get(path.resolve().as_uri())
    wall = time.perf_counter() - t0
    timing = driver.execute_script(
        "var n = performance.getEntriesByType('navigation')[0];"
        "var p = performance.getEntriesByType('paint').filter(function (e) { return e.name === 'first-contentful-paint'; });"
        "return [n.loadEventEnd, p.length ? p[0].startTime : null,"
        " document.querySelectorAll('.leaflet-overlay-pane path').length];"
    )
    severe = [e["message"][:200] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    return {"load_ms": round(timing[0], 1), "first_paint_ms": timing[1] and round(timing[1], 1),
            "wall_s": round(wall, 3), "svg_paths": timing[2], "severe_errors": len(severe)}  # fmt: skip


def main() -> int:
    from geo import maps
    from geo.maps._leaflet.chromium import headless_chromium

    layers = _layers()
    out = Path(tempfile.mkdtemp(prefix="geo-bench-"))
    t0 = time.perf_counter()
    ours = maps.write_map(layers, out / "geo_offline.html", offline=True)
    build_ours = time.perf_counter() - t0
    theirs = out / "explore.html"
    build_theirs = _explore_html(layers, theirs)
    result: dict[str, object] = {
        "benchmark": "map_size",
        "zones": "bundled" if layers.zones is not None else "none",
        "zone_vertices": int(sum(len(g.exterior.coords) for g in []) if layers.zones is None else
                             __import__("shapely").get_num_coordinates(layers.zones.geometry.to_numpy()).sum()),
        "geo": {"html_mb": round(ours.stat().st_size / 1e6, 3), "build_s": round(build_ours, 2)},
        "explore": {"html_mb": round(theirs.stat().st_size / 1e6, 3), "build_s": round(build_theirs, 2)},
    }  # fmt: skip
    try:
        with headless_chromium() as driver:
            result["geo"].update(_render(driver, ours))  # type: ignore[union-attr]
            result["explore"].update(_render(driver, theirs))  # type: ignore[union-attr]
    except RuntimeError as exc:
        result["browser"] = f"skipped: {exc}"
    result["files"] = str(out)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
