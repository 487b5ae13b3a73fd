"""Antarctica and Svalbard in the world build: claims frozen by treaty, and a treaty regime recorded.

- Zones measured from Antarctica's coasts (geo-maps ``ATA``) are split by the seven claims'
  sectors (``world_facts.ANTARCTIC_CLAIMS``): one row per distinct set of claimants, status
  ``antarctic_treaty``, no sovereign (Article IV of the Antarctic Treaty, 1959: no claim is
  recognised or denied, none may be enlarged). No EEZ verdict goes to a claimant unless a
  perspective opts in (:func:`geo.zones.apply_perspective` with ``antarctic=True``).
- Peter I Island (Norway's island claim) is keyed as its own feature, with the same status.
- The ``antarctic`` layer is the Treaty area itself (south of 60 S, Article VI), land and sea,
  split the same way: the answer for a point on the ice sheet or in the Southern Ocean.
- Svalbard's zones stay Norway's, named with the Spitsbergen Treaty's regime
  (``world_facts.SVALBARD``); Jan Mayen (the same geo-maps code, SJM) is a separate row.

Examples
--------
>>> import shapely
>>> rows = antarctic_rows(shapely.box(-100, -75, -60, -70), "land", "m", "s")
>>> [r["claimants"] for r in rows], {r["status"] for r in rows}
(['ARG;CHL;GBR', 'CHL', 'CHL;GBR', None], {'antarctic_treaty'})
"""

from __future__ import annotations

import itertools
from typing import Any

import shapely

from geo._zonebuild import assemble
from geo._zonebuild.world_facts import ANTARCTIC_CLAIMS, ANTARCTIC_ISLAND_CLAIMS, SVALBARD

__all__ = ["TREATY_AREA_LAT", "antarctic_rows", "mark_antarctic_islands", "mark_svalbard", "treaty_area_layer"]

TREATY_AREA_LAT = -60.0
_ISLAND_KEYS = {d.key: d for d in ANTARCTIC_ISLAND_CLAIMS}
_SOURCE = "Antarctic Treaty (Washington, 1 December 1959), Articles IV and VI; claims: see data/boundaries/WORLD_FACTS.md"


def _covers(west: float, east: float, lon: float) -> bool:
    return west <= lon <= east if west < east else (lon >= west or lon <= east)


def antarctic_rows(geom: shapely.Geometry, kind: str, method: str, source: str) -> list[dict[str, Any]]:
    """Rows in the zone schema for ``geom`` (Antarctic land or sea), one per set of claimants.

    Sectors are cut at every claim's meridians; slices with the same claimants are joined
    (Argentina, Chile and the UK overlap; Marie Byrd Land is claimed by none).
    """
    edges = sorted({-180.0, 180.0, *(c.lon_west for c in ANTARCTIC_CLAIMS), *(c.lon_east for c in ANTARCTIC_CLAIMS)})
    slices: dict[tuple[str, ...], list[tuple[float, float]]] = {}
    names: dict[tuple[str, ...], list[str]] = {}
    for w, e in itertools.pairwise(edges):
        mid = (w + e) / 2
        hit = [c for c in ANTARCTIC_CLAIMS if _covers(c.lon_west, c.lon_east, mid)]
        who = tuple(sorted({c.claimant for c in hit}))
        slices.setdefault(who, []).append((w, e))
        names.setdefault(who, [])
        names[who] = sorted({*names[who], *(c.name for c in hit)})
    out = []
    for who, boxes in sorted(slices.items(), key=lambda kv: (not kv[0], kv[0])):
        # rectangle clips (no overlay: the land's parts are trusted, not re-validated)
        polys = [p for w, e in boxes for p in shapely.get_parts(
            assemble.polygon_parts(shapely.clip_by_rect(geom, w, -90.0, e, 90.0)))]
        if not polys:
            continue
        g = shapely.multipolygons(polys)
        label = "; ".join(names[who]) if who else "Marie Byrd Land (unclaimed)"
        out.append({
            "kind": kind, "sovereign": None, "territory": None, "status": "antarctic_treaty",
            "claimants": ";".join(who) or None, "administrator": None,
            "name": f"Antarctica: {label} (claims frozen by the Antarctic Treaty)",
            "method": method, "source": source, "geometry": g,
        })
    return out


def treaty_area_layer() -> Any:
    """The ``antarctic`` layer: the Treaty area south of 60 S, one feature per set of claimants."""
    import geopandas as gpd

    from geo.zones import COLUMNS

    area = shapely.box(-180.0, -90.0, 180.0, TREATY_AREA_LAT)
    rows = antarctic_rows(area, "antarctic", "sectors of the claims between their meridians, 60 S to the pole",
                          _SOURCE)
    return gpd.GeoDataFrame(rows, columns=[*COLUMNS, "geometry"], geometry="geometry", crs="EPSG:4326")


def mark_antarctic_islands(gdf: Any) -> Any:
    """Island claims south of 60 S (Peter I): status ``antarctic_treaty``, no sovereign."""
    names = {d.name for d in ANTARCTIC_ISLAND_CLAIMS}
    sel = gdf["name"].isin(names)
    out = gdf.copy()
    out.loc[sel, "status"] = "antarctic_treaty"
    return out


def mark_svalbard(gdf: Any) -> Any:
    """Svalbard's rows named with the Spitsbergen Treaty's regime; Jan Mayen split off."""
    import geopandas as gpd
    import pandas as pd

    sel = gdf["territory"] == "SJM"
    if not sel.any():
        return gdf
    box = shapely.box(*SVALBARD.box)
    rows = []
    for rec in gdf[sel].to_dict("records"):
        # whole parts, by where they lie (Jan Mayen's zones are ~900 km from Svalbard's)
        parts = shapely.get_parts(rec["geometry"])
        inside = shapely.intersects(box, shapely.point_on_surface(parts))
        if inside.any():
            rows.append({**rec, "name": SVALBARD.name, "method": f"{rec['method']}; {SVALBARD.status}",
                         "geometry": shapely.multipolygons(parts[inside])})
        if (~inside).any():
            rows.append({**rec, "name": "Jan Mayen", "geometry": shapely.multipolygons(parts[~inside])})
    extra = gpd.GeoDataFrame(rows, columns=gdf.columns, geometry="geometry", crs=gdf.crs)
    return gpd.GeoDataFrame(pd.concat([gdf[~sel], extra], ignore_index=True), geometry="geometry", crs=gdf.crs)
