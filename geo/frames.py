"""One vectorised entry point, GeoPandas-shaped: zones for many points or polygons at once.

:func:`assess_frame` takes lon/lat arrays, shapely geometries, a GeoSeries or a
GeoDataFrame in any CRS (reprojected to EPSG:4326), and returns a GeoDataFrame with the
same index and one row per input:

``zone_owner``    outcome key: an EEZ's ISO3, ``disputed:A+B``, ``joint:A+B``, ``land:ISO3``,
                  ``high_seas`` or ``outside_coverage`` (for a polygon: the key with the
                  largest share of its area)
``zone_kind``     the innermost layer holding a point (``land``, ``territorial_sea``,
                  ``contiguous_zone``, ``eez``), or ``high_seas`` / ``outside_coverage``
``coast_km``, ``coast_country``   geodesic distance to the nearest coast (points; NaN
                  for polygons and outside coverage)
``area_km2``      geodesic area of a polygon (NaN for points)
``area_share``    ``{outcome key: share of the polygon's area}`` (points: ``{key: 1.0}``)
``zones_touched`` the keys of ``area_share``, ``;``-separated

Geometry without a CRS is read as lon/lat degrees only when every coordinate is a valid
longitude and latitude; anything else (metres, say) is refused with the fix.

Examples
--------
>>> import geopandas as gpd, shapely
>>> from geo import geodesy
>>> eez = gpd.GeoDataFrame({"kind": ["eez"], "sovereign": ["JPN"], "status": ["equidistance"],
...     "claimants": ["JPN"]}, geometry=[geodesy.ring(140.0, 40.0, 370_400)], crs="EPSG:4326")
>>> from geo.assess import ZoneIndex
>>> zi = ZoneIndex({"eez": eez})
>>> out = assess_frame([140.0, 150.0], [40.0, 40.0], zones=zi)
>>> out["zone_owner"].tolist()
['JPN', 'high_seas']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from geo import geodesy
from geo._errors import GeoError, InvalidCoordinateError

__all__ = ["RESULT_COLUMNS", "assess_frame", "to_lonlat"]

RESULT_COLUMNS = (
    "zone_owner",
    "zone_kind",
    "coast_km",
    "coast_country",
    "area_km2",
    "area_share",
    "zones_touched",
)

_POINT_KINDS = ("land", "territorial_sea", "contiguous_zone", "eez")


def to_lonlat(data: Any, lat: ArrayLike | None = None, *, crs: Any = None) -> Any:
    """Any supported input as a GeoSeries in EPSG:4326 (lon, lat), with the input's index.

    Parameters
    ----------
    data : array-like of longitudes (with ``lat``), shapely geometry or sequence of them,
        GeoSeries or GeoDataFrame
    lat : array-like, optional
        Latitudes, when ``data`` holds longitudes.
    crs : optional
        The CRS of ``data`` when it carries none (a GeoSeries/GeoDataFrame's own CRS wins
        unless this is given and it has none).

    Raises
    ------
    GeoError
        Projected-looking coordinates without a CRS, or a CRS mismatch that cannot be read.
    """
    import geopandas as gpd

    if lat is not None:
        lon_a, lat_a = geodesy.check_lonlat(np.ravel(data), np.ravel(lat), what="point")
        return gpd.GeoSeries(shapely.points(lon_a, lat_a), crs="EPSG:4326")
    if isinstance(data, gpd.GeoDataFrame):
        series = data.geometry
    elif isinstance(data, gpd.GeoSeries):
        series = data
    elif isinstance(data, shapely.Geometry):
        series = gpd.GeoSeries([data])
    else:
        try:
            values = np.asarray(data, dtype=object).ravel()
        except Exception as exc:  # pragma: no cover - numpy refuses very few inputs
            raise GeoError(f"cannot read {type(data).__name__} as geometry: {exc}") from None
        if not all(isinstance(v, shapely.Geometry) or v is None for v in values.tolist()):
            raise GeoError(
                f"expected shapely geometries, a GeoSeries or a GeoDataFrame, got {type(data).__name__}; "
                "for coordinate arrays pass assess_frame(lon, lat)"
            )
        series = gpd.GeoSeries(values)
    if series.crs is None:
        if crs is not None:
            series = series.set_crs(crs)
        else:
            _refuse_projected(series)
            series = series.set_crs("EPSG:4326")
    if series.crs.to_epsg() != 4326:
        series = series.to_crs("EPSG:4326")
    return series


def _refuse_projected(series: Any) -> None:
    if not len(series) or series.isna().all():
        return
    x0, y0, x1, y1 = series.total_bounds
    if min(x0, y0) < -360.0 or x1 > 360.0 or abs(y0) > 90.0 or abs(y1) > 90.0:
        raise InvalidCoordinateError(
            f"geometry has no CRS and its coordinates span x {x0:.6g}..{x1:.6g}, y {y0:.6g}..{y1:.6g}, "
            "which are not longitudes and latitudes; set the CRS (gdf.set_crs('EPSG:32652')) or pass crs=..."
        )


def assess_frame(
    data: Any,
    lat: ArrayLike | None = None,
    *,
    crs: Any = None,
    perspective: str | None = None,
    zones: Any = None,
) -> Any:
    """Zones of many points or polygons at once; a GeoDataFrame with the input's index.

    Parameters
    ----------
    data : lon array (with ``lat``), geometries, GeoSeries or GeoDataFrame
        Points and polygons may be mixed. A GeoDataFrame's other columns are kept.
    lat : array-like, optional
        Latitudes, when ``data`` holds longitudes (degrees).
    crs : optional, keyword-only
        CRS of ``data`` when it has none.
    perspective : str, optional, keyword-only
        ISO3 code whose claims to adopt; None is neutral.
    zones : geo.assess.ZoneIndex, optional, keyword-only
        Default: the bundled zones under ``perspective``.

    Returns
    -------
    geopandas.GeoDataFrame
        The columns of :data:`RESULT_COLUMNS` (after any of the input's), geometry in EPSG:4326.
    """
    import geopandas as gpd
    import pandas as pd

    from geo.assess import zone_index

    series = to_lonlat(data, lat, crs=crs)
    if zones is None:
        # the region from every vertex, not the bounds: a shape split at 180 deg has bounds -180..180,
        # which would read as inside the NW Pacific box
        xy = shapely.get_coordinates(series.to_numpy())
        zones = zone_index(perspective, where=(xy[:, 0], xy[:, 1]))
    zi = zones
    geoms = series.to_numpy()
    n = len(geoms)
    owner = np.full(n, "", dtype=object)
    kind = np.full(n, "", dtype=object)
    coast_km = np.full(n, np.nan)
    coast_country = np.full(n, "", dtype=object)
    area_km2 = np.full(n, np.nan)
    share: list[dict[str, float]] = [{} for _ in range(n)]

    type_id = shapely.get_type_id(geoms)
    is_point = type_id == 0
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.any():
        i = int(np.flatnonzero(empty)[0])
        raise GeoError(f"row {series.index[i]!r} has no geometry (empty or missing); drop it or give a point")
    other = ~is_point & ~np.isin(type_id, (3, 6))
    if other.any():
        i = int(np.flatnonzero(other)[0])
        raise GeoError(
            f"row {series.index[i]!r} is a {shapely.get_type_id(geoms[i])} geometry "
            f"({geoms[i].geom_type}); give points or (multi)polygons"
        )
    if is_point.any():
        x, y = shapely.get_x(geoms[is_point]), shapely.get_y(geoms[is_point])
        keys = zi.owner(x, y)
        owner[is_point] = keys
        kind[is_point] = _kinds(zi, x, y, keys)
        d, c = zi.nearest_coast(x, y)
        outside = keys == "outside_coverage"
        coast_km[is_point] = np.where(outside, np.nan, d)
        coast_country[is_point] = np.where(outside, "", c)
        for i, k in zip(np.flatnonzero(is_point).tolist(), keys.tolist(), strict=True):
            share[i] = {str(k): 1.0}
    for i in np.flatnonzero(~is_point).tolist():  # polygons: a handful (warning areas), not points
        shares, total = _area_shares(zi, geoms[i])
        share[i] = shares
        area_km2[i] = total / 1e6
        owner[i] = max(shares, key=lambda k: shares[k]) if shares else ""
        kind[i] = "polygon"
    result = pd.DataFrame(
        {
            "zone_owner": owner.astype(str),
            "zone_kind": kind.astype(str),
            "coast_km": coast_km,
            "coast_country": coast_country.astype(str),
            "area_km2": area_km2,
            "area_share": share,
            "zones_touched": [";".join(s) for s in share],
        },
        index=series.index,
    )
    if isinstance(data, gpd.GeoDataFrame):
        base = data.drop(columns=[c for c in RESULT_COLUMNS if c in data.columns])
        out = pd.concat([base.drop(columns=data.geometry.name), result], axis=1)
        return gpd.GeoDataFrame(out, geometry=series.to_numpy(), crs="EPSG:4326", index=series.index)
    return gpd.GeoDataFrame(result, geometry=series.to_numpy(), crs="EPSG:4326", index=series.index)


def _kinds(zi: Any, x: NDArray[np.float64], y: NDArray[np.float64], keys: NDArray[np.str_]) -> NDArray[Any]:
    """The innermost layer holding each point (land first), else the outcome key."""
    out = np.where(np.isin(keys, ("high_seas", "outside_coverage")), keys, "").astype(object)
    for layer in _POINT_KINDS[::-1]:  # outermost first, so inner layers overwrite
        if layer in zi.layers:
            hit = zi.first(layer, x, y) >= 0
            out[hit & (out != "outside_coverage")] = layer
    return out


def _area_shares(zi: Any, polygon: Any) -> tuple[dict[str, float], float]:
    """Share of a polygon's geodesic area in each outcome (EEZs, land, high seas, outside coverage).

    The polygon is densified to 0.05 deg edges first, so that its pieces and the whole are
    read the same way (straight lon/lat edges, as GIS software draws them); each share is
    a piece's geodesic area over the sum of all pieces, so the shares add up to 1.
    """
    total = geodesy.geodesic_area_m2(polygon)
    if total <= 0:
        raise GeoError(f"polygon {polygon.wkt[:60]!r}... has no area; give a point instead")
    dense = shapely.segmentize(polygon, 0.05)
    areas: dict[str, float] = {}
    pieces = []
    rest = dense
    coverage = getattr(zi, "coverage", None)
    if coverage is not None:
        outside = shapely.difference(dense, coverage)
        if not outside.is_empty:
            areas["outside_coverage"] = geodesy.geodesic_area_m2(outside)
            rest = shapely.intersection(dense, coverage)
    for layer in ("land", "eez"):
        if layer not in zi.layers:
            continue
        frame, labels = zi.frame(layer), zi.labels(layer)
        rows = frame.sindex.query(dense, predicate="intersects")
        prefix = "land:" if layer == "land" else ""
        for r in rows.tolist():  # the zones a polygon touches: a few
            piece = shapely.intersection(rest, frame.geometry.iloc[r])
            a = geodesy.geodesic_area_m2(piece) if not piece.is_empty else 0.0
            if a > 0:
                key = prefix + str(labels[r])
                areas[key] = areas.get(key, 0.0) + a
                pieces.append(piece)
    open_sea = shapely.difference(rest, shapely.union_all(pieces)) if pieces else rest
    sea = geodesy.geodesic_area_m2(open_sea) if not open_sea.is_empty else 0.0
    if sea > 1e-9 * total:
        areas["high_seas"] = sea
    whole = sum(areas.values())
    shares = {k: v / whole for k, v in sorted(areas.items(), key=lambda kv: -kv[1])}
    return shares, total
