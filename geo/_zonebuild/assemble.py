"""From per-owner zones to layers: treaty lines, land, region clip, antimeridian, schema."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
import shapely.errors

from geo._zonebuild.facts import DISPUTES, TREATIES, Treaty, sovereign_of
from geo.zones import COLUMNS

__all__ = ["COLUMNS", "apply_treaty", "clean", "layer_frame", "polygon_parts", "polygonal", "split_antimeridian", "subtract_land"]

_DISPUTE = {d.key: d for d in DISPUTES}


def clean(geom: shapely.Geometry) -> shapely.Geometry:
    """Remove the zero-width spikes and slivers that cell cuts leave (a 1e-7 deg ~ 1 cm close)."""
    g = shapely.buffer(shapely.buffer(geom, 1e-7, join_style="mitre"), -1e-7, join_style="mitre")
    return shapely.make_valid(g, method="structure", keep_collapsed=False)


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygons of ``geom`` as one (multi)polygon: the lines and points that overlays leave, dropped."""
    parts = shapely.get_parts(geom)
    while np.isin(shapely.get_type_id(parts), [4, 5, 6, 7]).any():
        parts = shapely.get_parts(parts)
    polys = parts[shapely.get_type_id(parts) == 3]
    return shapely.union_all(polys) if len(polys) else shapely.Polygon()


def polygon_parts(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygons of ``geom`` as one MultiPolygon, without a union (see ``layer_frame``)."""
    parts = shapely.get_parts(geom)
    while np.isin(shapely.get_type_id(parts), [4, 5, 6, 7]).any():
        parts = shapely.get_parts(parts)
    return shapely.multipolygons(parts[shapely.get_type_id(parts) == 3])


def _treaty_sides(
    treaty: Treaty, sources: Path, shift: float = 0.0
) -> tuple[shapely.Geometry, shapely.Geometry]:
    """The treaty corridor cut in two by the line: (side of party 0, side of party 1).

    ``shift`` moves both by that many degrees of longitude (a tile whose frame puts the
    line 360 deg away)."""
    region, line = treaty.region(sources), treaty.extended_line(sources)
    if shift:
        region = shapely.transform(region, lambda c: c + np.array([shift, 0.0]))
        line = shapely.transform(line, lambda c: c + np.array([shift, 0.0]))
    halves = shapely.get_parts(shapely.ops.split(region, line))
    if len(halves) != 2:
        raise ValueError(f"treaty {treaty.key}: its line cuts its area into {len(halves)} parts, not 2")
    return halves[0], halves[1]


def apply_treaty(
    zones: dict[str, shapely.Geometry],
    treaty: Treaty,
    sources: Path,
    side_owner: tuple[str, str] | None = None,
    *,
    shift: float = 0.0,
) -> tuple[str, str]:
    """Reassign the two parties' zones inside the treaty corridor by side of the treaty line.

    Outside the corridor the median line stands. Returns the party owning each half, so
    every radius uses the same assignment (decided on the first call by overlap area).
    """
    import shapely.ops

    a, b = treaty.parties
    h0, h1 = _treaty_sides(treaty, sources, shift)
    if side_owner is None:
        side_owner = (
            (a, b)
            if (
                shapely.area(shapely.intersection(h0, zones[a]))
                >= shapely.area(shapely.intersection(h0, zones[b]))
            )
            else (b, a)
        )
    # areas of features disputed only between the parties (Liancourt Rocks) are settled by
    # the treaty too where it runs: the parties drew the line without regard to them
    shared = [k for k, d in _DISPUTE.items() if k in zones and set(d.claimants) <= {a, b}]
    union = shapely.union_all([zones[a], zones[b], *(zones[k] for k in shared)])
    corridor = shapely.union(h0, h1)
    for k in shared:
        zones[k] = polygonal(shapely.difference(zones[k], corridor))
    for half, owner in ((h0, side_owner[0]), (h1, side_owner[1])):
        # the two pieces meet along the area's edge with rounding cracks: close them
        zones[owner] = polygonal(clean(shapely.union(
            shapely.difference(zones[owner], corridor), shapely.intersection(union, half)
        )))
    return side_owner


def subtract_land(
    geom: shapely.Geometry, land_tree: shapely.STRtree, land_parts: np.ndarray
) -> shapely.Geometry:
    """``geom`` minus the (disjoint) land polygons that touch it."""
    idx = land_tree.query(geom, predicate="intersects")
    if len(idx) == 0:
        return geom
    parts = land_parts[np.sort(idx)]
    try:
        return shapely.difference(geom, shapely.multipolygons(parts))
    except shapely.errors.GEOSException:
        # simplified neighbours that overlap make the MultiPolygon invalid: unite them first
        return shapely.difference(geom, shapely.union_all(parts))


def split_antimeridian(geom: shapely.Geometry, lon_west: float) -> shapely.Geometry:
    """Geometry in a frame [lon_west, lon_west + 360) as valid parts inside [-180, 180]."""
    if shapely.is_empty(geom):
        return geom
    parts = []
    for lo in (-540.0, -180.0, 180.0):
        piece = shapely.clip_by_rect(geom, lo, -90.0, lo + 360.0, 90.0)
        if not shapely.is_empty(piece):
            shift = -(lo + 180.0)
            parts.append(shapely.transform(piece, lambda c, s=shift: c + np.array([s, 0.0])))
    out = shapely.union_all(parts) if len(parts) > 1 else parts[0]
    return shapely.make_valid(out, method="structure", keep_collapsed=False)


def layer_frame(
    kind: str,
    zones: dict[str, shapely.Geometry],
    *,
    method: str,
    source: str,
    treaty_parties: set[str],
    dissolve: bool = True,
) -> gpd.GeoDataFrame:
    """One row per owner (territory or disputed feature) in the layer's schema.

    ``dissolve=False`` trusts the parts of each geometry to be disjoint already (the world's
    land: tens of thousands of islands per country) and skips their union.
    """
    rows = []
    for code in sorted(zones):
        geom = zones[code]
        if geom is None or shapely.is_empty(geom):
            continue
        if code in _DISPUTE:
            d = _DISPUTE[code]
            rows.append(
                {
                    "kind": kind,
                    "sovereign": None,
                    "territory": None,
                    "status": "disputed",
                    "claimants": ";".join(d.claimants),
                    "administrator": d.administrator or None,
                    "name": d.name,
                    "method": method,
                    "source": source,
                    "geometry": geom,
                }
            )
        else:
            sov = sovereign_of(code)
            status = "treaty" if code in treaty_parties and kind != "land" else "equidistance"
            if kind == "land":
                status = "claimed"
            rows.append(
                {
                    "kind": kind,
                    "sovereign": sov,
                    "territory": code,
                    "status": status,
                    "claimants": sov,
                    "administrator": sov,
                    "name": code,
                    "method": method,
                    "source": source,
                    "geometry": geom,
                }
            )
    gdf = gpd.GeoDataFrame(rows, columns=[*COLUMNS, "geometry"], geometry="geometry", crs="EPSG:4326")
    # without a dissolve the parts are valid and disjoint already: validity of a MultiPolygon of
    # tens of thousands of islands is not checked again (make_valid would take minutes)
    geoms = (
        shapely.make_valid(gdf.geometry.values, method="structure", keep_collapsed=False)
        if dissolve
        else gdf.geometry.values
    )
    if dissolve:
        geoms = np.array([shapely.multipolygons(shapely.get_parts(polygonal(g))) for g in geoms], dtype=object)
    else:
        geoms = np.array([polygon_parts(g) for g in geoms], dtype=object)
    gdf["geometry"] = geoms
    return gdf


TREATY_LIST = TREATIES
