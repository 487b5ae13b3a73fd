"""Danger areas of a navigational warning placed in maritime zones: shares, coasts, limits.

:func:`assess_warning` takes a :class:`geo.warnings.WarningMessage` (or its text) and
returns one row per area (a GeoDataFrame): its geodesic area; the share of that area in
each country's EEZ, in each territorial sea and on land, and on the high seas (from
:func:`geo.frames.assess_frame` for EEZ/land/high seas, the territorial sea layer cut
here the same way); the geodesic distance from the area to each country's coast within
``coast_within_km``; and to each EEZ limit nearby (negative: the area reaches inside).

Shares are of the area's geodesic area (WGS84, GeographicLib). A share of
``outside_coverage`` means that part lies where the zone layers are incomplete: it is
never read as high seas.

Examples
--------
>>> import geopandas as gpd
>>> from geo import geodesy
>>> from geo.assess import ZoneIndex
>>> eez = gpd.GeoDataFrame({"kind": ["eez"], "sovereign": ["JPN"], "status": ["equidistance"],
...     "claimants": ["JPN"]}, geometry=[geodesy.ring(140.0, 40.0, 370_400)], crs="EPSG:4326")
>>> out = assess_warning("A. 40-00N 140-00E, 40-00N 141-00E, 41-00N 140-30E.", zones=ZoneIndex({"eez": eez}))
>>> out.loc[0, "eez_share"]
{'JPN': 1.0}
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely

from geo import geodesy
from geo.warnings import WarningMessage, parse_warning

__all__ = ["COAST_WITHIN_KM", "assess_warning", "where_of"]

COAST_WITHIN_KM = 500.0
"""Coasts (and EEZ limits) farther than this from an area are not listed."""

_BOUNDARY_STEP_M = 2_000.0  # boundary points of an area for its distances (error <= ~1 km)
_MAX_BOUNDARY_POINTS = 4_000


def assess_warning(
    warning: WarningMessage | str,
    *,
    perspective: str | None = None,
    zones: Any = None,
    coast_within_km: float = COAST_WITHIN_KM,
) -> Any:
    """Zones, coasts and limits of every area of a warning; a GeoDataFrame, one row per area.

    Parameters
    ----------
    warning : WarningMessage or str
        A parsed warning, or its text (parsed with :func:`geo.warnings.parse_warning`).
    perspective : str, optional, keyword-only
        ISO3 code whose claims to adopt (disputed areas it claims count as its own).
    zones : geo.assess.ZoneIndex, optional, keyword-only
        Default: the bundled zones for the areas' extent, under ``perspective``.
    coast_within_km : float, keyword-only
        List coasts and EEZ limits up to this geodesic distance from the area.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``name``, ``kind``, ``vertices``, ``radius_km``, ``area_km2``,
        ``eez_share``, ``territorial_sea_share``, ``land_share`` (dicts ISO3 -> share),
        ``high_seas_share``, ``outside_coverage_share``, ``coasts_km`` (ISO3 -> km,
        nearest first), ``eez_limits_km`` (ISO3 -> km, negative: the area reaches inside
        that EEZ), ``largest`` (the outcome key with the largest share); EPSG:4326.
    """
    import geopandas as gpd

    from geo.assess import zone_index
    from geo.frames import assess_frame

    msg = parse_warning(warning) if isinstance(warning, str) else warning
    geoms = np.array([a.geometry for a in msg.areas], dtype=object)
    zi = zones if zones is not None else zone_index(perspective, where=where_of(geoms))
    base = assess_frame(gpd.GeoSeries(geoms, crs="EPSG:4326"), zones=zi)
    rows = []
    for i, area in enumerate(msg.areas):  # a handful of areas per warning
        shares = dict(base["area_share"].iloc[i])
        eez = {
            k: v
            for k, v in shares.items()
            if not k.startswith("land:") and k not in ("high_seas", "outside_coverage")
        }
        land = {k[5:]: v for k, v in shares.items() if k.startswith("land:")}
        boundary = _boundary_points(area.geometry)
        limits = _limit_lines(zi, _window(area.geometry, coast_within_km))
        rows.append(
            {
                "name": area.name,
                "kind": area.kind,
                "vertices": len(area.lon),
                "radius_km": None if area.radius_m is None else area.radius_m / 1e3,
                "area_km2": float(base["area_km2"].iloc[i]),
                "largest": str(base["zone_owner"].iloc[i]),
                "eez_share": eez,
                "territorial_sea_share": _layer_shares(zi, "territorial_sea", area.geometry),
                "land_share": land,
                "high_seas_share": float(shares.get("high_seas", 0.0)),
                "outside_coverage_share": float(shares.get("outside_coverage", 0.0)),
                "coasts_km": _coasts_km(zi, area.geometry, boundary, coast_within_km),
                "eez_limits_km": _limits_km(zi, limits, boundary, coast_within_km),
            }
        )
    return gpd.GeoDataFrame(rows, geometry=list(geoms), crs="EPSG:4326")


def where_of(geoms: Any) -> tuple[np.ndarray, np.ndarray]:
    """Every vertex of the areas as (lon, lat) arrays: what :func:`geo.assess.zone_index` needs to pick its region.

    Not the bounding box: an area split at 180 deg has bounds -180..180, which says
    nothing of where its pieces lie."""
    xy = shapely.get_coordinates(np.asarray(geoms, dtype=object))
    return xy[:, 0], xy[:, 1]


def _layer_shares(zi: Any, layer: str, polygon: Any) -> dict[str, float]:
    """Share of the polygon's geodesic area inside each row of one zone layer, by outcome key."""
    if layer not in zi.layers:
        return {}
    total = geodesy.geodesic_area_m2(polygon)
    dense = shapely.segmentize(polygon, 0.05)  # read as assess_frame reads it (straight lon/lat edges)
    frame, labels = zi.frame(layer), zi.labels(layer)
    out: dict[str, float] = {}
    for r in frame.sindex.query(dense, predicate="intersects").tolist():  # the few zones it touches
        piece = shapely.intersection(dense, frame.geometry.iloc[r])
        if not piece.is_empty:
            a = geodesy.geodesic_area_m2(piece)
            if a > 0:
                out[str(labels[r])] = out.get(str(labels[r]), 0.0) + a / total
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def _boundary_points(polygon: Any) -> tuple[np.ndarray, np.ndarray]:
    """Points along the area's outline every ~2 km (its distances to lines outside it are taken there)."""
    rings = [p.exterior for p in shapely.get_parts(polygon)]
    coords = np.concatenate([np.asarray(r.coords) for r in rings])
    x, y = coords[:, 0], coords[:, 1]
    _, _, seg = geodesy.GEOD.inv(x[:-1], y[:-1], x[1:], y[1:])
    length = float(np.nansum(seg))
    step = max(_BOUNDARY_STEP_M, length / _MAX_BOUNDARY_POINTS)
    lines = shapely.segmentize(shapely.MultiLineString(rings), step / 111_000.0)
    pts = shapely.get_coordinates(lines)
    return pts[:, 0], pts[:, 1]


def _coasts_km(
    zi: Any, polygon: Any, boundary: tuple[np.ndarray, np.ndarray], within_km: float
) -> dict[str, float]:
    """Geodesic distance from the area to each country's coast within ``within_km`` (0: it reaches land).

    The coast is the land layer's land-sea edge (:func:`geo.assess.limits.coast_lines`),
    taken per country; the distance is the least over the area's outline points.
    """
    from geo.assess.limits import coast_lines

    if "land" not in zi.layers:
        return {}
    frame, labels = zi.frame("land"), zi.labels("land")
    window = _window(polygon, within_km)
    rows = frame.sindex.query(window, predicate="intersects").tolist()
    sea = None
    if "eez" in zi.layers:  # the EEZ vertices near the area (coast_lines keeps edges ending on them)
        sea = shapely.get_coordinates(zi.frame("eez").geometry.values)
        sea = sea[shapely.contains_xy(window, sea[:, 0], sea[:, 1])]
    cut = _cut(zi)
    bx, by = boundary
    out: dict[str, float] = {}
    for country in sorted({str(labels[r]) for r in rows}):  # a few countries
        geoms = frame.geometry.iloc[[r for r in rows if str(labels[r]) == country]].to_numpy()
        if np.asarray(shapely.intersects(geoms, polygon)).any():
            out[country] = 0.0
            continue
        # Only the pieces of that land near the area: a country's whole coast (the USA's in
        # the world layers) would cost seconds for nothing.
        parts = shapely.get_parts(geoms)
        parts = parts[shapely.intersects(parts, window)]
        ld = coast_lines(parts, sea, cut=cut) if parts.size else None
        if ld is None:
            continue
        d, _, _, _ = ld.query(bx, by)
        km = float(np.nanmin(d)) / 1e3
        if km <= within_km:
            out[country] = round(km, 3)
    return dict(sorted(out.items(), key=lambda kv: kv[1]))


def _window(polygon: Any, within_km: float) -> Any:
    """A lon/lat box round the area holding everything within ``within_km`` of it (up to ~75 deg latitude)."""
    pad = within_km / 100.0 + 1.0  # degrees of latitude (1 deg >= 110 km); longitude three times wider
    w, s, e, n = shapely.bounds(polygon)
    return shapely.box(w - pad * 3, max(s - pad, -90), e + pad * 3, min(n + pad, 90))


def _cut(zi: Any) -> tuple[float, float, float, float] | None:
    cov = getattr(zi, "coverage", None)
    if cov is None:
        return None
    w, s, e, n = (float(v) for v in shapely.bounds(cov))
    return w, s, e, n


def _limit_lines(zi: Any, window: Any) -> dict[str, Any]:
    """Each nearby country's EEZ limit as indexed lines (:func:`geo.assess.limits.limit_lines`).

    Only the EEZ pieces that reach into ``window`` and the land vertices inside it are
    used: the world layers' whole limits would cost minutes and gigabytes for one area.
    """
    from geo.assess.limits import limit_lines

    if "eez" not in zi.layers:
        return {}
    frame, labels = zi.frame("eez"), zi.labels("eez")
    rows = frame.sindex.query(window, predicate="intersects")
    if not rows.size:
        return {}
    parts, which = shapely.get_parts(frame.geometry.to_numpy()[rows], return_index=True)
    near = shapely.intersects(parts, window)
    land = np.zeros((0, 2))
    if "land" in zi.layers:
        lrows = zi.frame("land").sindex.query(window, predicate="intersects")
        land = shapely.get_coordinates(zi.frame("land").geometry.to_numpy()[lrows])
        land = land[shapely.contains_xy(window, land[:, 0], land[:, 1])]
    return limit_lines(parts[near], labels[rows][which[near]], land, cut=_cut(zi))


def _limits_km(
    zi: Any, limits: dict[str, Any], boundary: tuple[np.ndarray, np.ndarray], within_km: float
) -> dict[str, float]:
    """Distance from the area's outline to each country's EEZ limit: 0 when it crosses the limit.

    The limits are those of :meth:`ZoneIndex.distance_to_limits_km`
    (:func:`geo.assess.limits.limit_lines`); signed as it signs them: negative when the
    whole outline lies inside that EEZ (then: how far inside its point nearest the limit is).
    """
    bx, by = boundary
    owner = zi.owner(bx, by)
    out: dict[str, float] = {}
    for country, ld in limits.items():  # a few dozen countries, each one vectorised query
        d, _, _, _ = ld.query(bx, by)
        km = np.asarray(d) / 1e3
        inside = owner == country
        if float(np.nanmin(km)) > within_km:
            continue
        if inside.any() and (~inside).any():
            out[country] = 0.0  # the outline crosses the limit
        elif inside.all():
            out[country] = -round(float(np.nanmin(km)), 3)
        else:
            out[country] = round(float(np.nanmin(km)), 3)
    return dict(sorted(out.items(), key=lambda kv: abs(kv[1])))
