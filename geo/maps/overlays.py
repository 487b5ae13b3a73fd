"""The overlays of a map, bottom first: land, graticule, zones, range rings, regions, tracks, sites, impacts.

Each layer of :class:`geo.maps.MapLayers` becomes one :class:`geo.maps.features.Overlay`
(the zones one per kind, widest first, so the narrower zones lie on top), in display
coordinates round the map's centre (:mod:`geo.maps.display`), with its popups and
tooltips (:mod:`geo.maps.popups`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from geo import geodesy, style
from geo.maps.display import display_geometry, display_window
from geo.maps.features import Overlay, round_coords, zone_style_key
from geo.maps.popups import (
    esc,
    impact_popup,
    impact_tooltip,
    region_popup,
    region_tooltip,
    ring_label,
    ring_popup,
    ring_tooltip,
    site_popup,
    track_popup,
    zone_popup,
    zone_tooltip,
)
from geo.maps.zone_layers import ZONE_KINDS, simplify_zones, sovereign_of

if TYPE_CHECKING:
    from geo.maps.layers import MapLayers

__all__ = ["overlays"]

_DECIMALS = 5  # 1 m: coordinates written to the page for rings, tracks, regions
_ZONE_DECIMALS = 3  # 110 m: zone and land outlines already simplified to ~1 km


def overlays(layers: MapLayers, *, offline: bool) -> list[Overlay]:
    """Every overlay of the map, bottom first; an empty layer has none."""
    c = layers.centre[0]
    out = [
        *_land(layers.land, c, offline=offline),
        _graticule(c),
        *_zones(layers.zones, layers.perspective, c),
    ]
    if len(layers.rings):
        out.append(_rings(layers.rings, layers.sites, c))
    if len(layers.regions):
        out.append(_regions(layers.regions, c))
    if len(layers.tracks):
        out.append(
            _marks(
                "Flight tracks",
                layers.tracks,
                "track",
                c,
                track_popup,
                lambda r: esc(r.name),
                decimals=_DECIMALS,
            )
        )
    if len(layers.sites):
        out.append(
            _marks("Launch sites", layers.sites, "site", c, site_popup, lambda r: esc(r.name), labelled=True)
        )
    if len(layers.impacts):
        out.append(_marks("Impacts (best points)", layers.impacts, "impact", c, impact_popup, impact_tooltip))
    return out


def _land(land: Any, c: float, *, offline: bool) -> list[Overlay]:
    if land is None or not len(land):
        return []
    land = simplify_zones(land.assign(kind="land"))
    ov = Overlay("Land (basemap)" if offline else "Land (bundled layer)", show=offline)
    n = len(land)
    ov.add_polygons(
        land.geometry.to_numpy(), ["land"] * n, [""] * n, [""] * n, centre_lon=c, decimals=_ZONE_DECIMALS
    )
    return [ov]


def _graticule(c: float) -> Overlay:
    lo, hi = display_window(c)
    ov = Overlay("Graticule (10 deg)")
    lons = np.arange(math.ceil(lo / 10) * 10, hi + 1e-9, 10.0)
    lats = np.arange(-80.0, 80.0 + 1e-9, 10.0)
    mer = [shapely.LineString([(x, -80.0), (x, 80.0)]) for x in lons]
    par = [shapely.LineString(np.column_stack([np.linspace(lo, hi, 73), np.full(73, y)])) for y in lats]
    ov.add(shapely.MultiLineString([*mer, *par]), "graticule")
    return ov


def _zones(zones: Any, perspective: str | None, c: float) -> list[Overlay]:
    if zones is None or not len(zones):
        return []
    zones = simplify_zones(zones[zones["kind"] != "land"])
    out = []
    for kind in ZONE_KINDS[:3][::-1]:  # widest first, so the narrower zones lie on top
        sub = zones[zones["kind"] == kind]
        if not len(sub):
            continue
        rows = list(sub.itertuples(index=False))  # one row per zone: a handful
        ov = Overlay(f"Zones: {style.KIND_LABEL[kind]}")
        ov.add_polygons(
            sub.geometry.to_numpy(),
            [_zone_style(kind, r, perspective) for r in rows],
            [zone_popup(kind, r) for r in rows],
            [zone_tooltip(kind, r) for r in rows],
            centre_lon=c,
            decimals=_ZONE_DECIMALS,
        )
        out.append(ov)
    return out


def _zone_style(kind: str, row: Any, perspective: str | None) -> str:
    """A disputed area that ``perspective`` claims is drawn in its colour, as claimed."""
    p = perspective
    if p and row.status == "disputed" and isinstance(row.claimants, str) and p in row.claimants.split(";"):
        return zone_style_key(kind, p, "claimed")
    return zone_style_key(kind, sovereign_of(row.sovereign), str(row.status))


def _rings(rings: Any, sites: Any, c: float) -> Overlay:
    ov = Overlay("Range rings (geodesic)")
    rows = list(rings.itertuples(index=False))
    ov.add_polygons(
        rings.geometry.to_numpy(),
        ["ring"] * len(rows),
        [ring_popup(r) for r in rows],
        [ring_tooltip(r) for r in rows],
        centre_lon=c,
        decimals=_DECIMALS,
    )
    centres = sites.set_index("name").geometry
    many = rings["site"].nunique() > 1
    for r in rows:  # each label on its ring's east side
        centre = centres[r.site]
        x, y, _ = geodesy.direct(centre.x, centre.y, 90.0, r.range_km * 1e3)
        ov.add(
            display_geometry(shapely.Point(x, y), centre_lon=c), "label", label=ring_label(r, with_site=many)
        )
    return ov


def _regions(regions: Any, c: float) -> Overlay:
    """Areas as polygons; a region that is a line (an exact range or azimuth) as a thick line."""
    ov = Overlay("Impact regions (uncertainty)")
    rows = list(regions.itertuples(index=False))
    popups, tips = [region_popup(r) for r in rows], [region_tooltip(r) for r in rows]
    geoms = regions.geometry.to_numpy()
    poly = np.isin(shapely.get_type_id(geoms), [3, 6])
    idx = np.flatnonzero(poly)
    if idx.size:
        ov.add_polygons(geoms[idx], ["region"] * idx.size, [popups[i] for i in idx], [tips[i] for i in idx],
                        centre_lon=c, decimals=_DECIMALS)  # fmt: skip
    for i in np.flatnonzero(~poly):
        shown = round_coords(display_geometry(geoms[i], centre_lon=c), _DECIMALS)
        ov.add(shown, "region_line", popup=popups[i], tooltip=tips[i])
    return ov


def _marks(
    name: str,
    gdf: Any,
    style_key: str,
    c: float,
    popup: Callable[[Any], str],
    tooltip: Callable[[Any], str],
    *,
    decimals: int | None = None,
    labelled: bool = False,
) -> Overlay:
    """One feature a row (points or lines), with its popup and tooltip; ``labelled`` adds the name as a label."""
    ov = Overlay(name)
    shown = display_geometry(gdf.geometry.to_numpy(), centre_lon=c)
    if decimals is not None:
        shown = round_coords(shown, decimals)
    for r, g in zip(gdf.itertuples(index=False), shown, strict=True):
        ov.add(g, style_key, popup=popup(r), tooltip=tooltip(r))
        if labelled:
            ov.add(g, "label", label=esc(r.name))
    return ov
