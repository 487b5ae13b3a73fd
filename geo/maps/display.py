"""Display geometry: shapes moved into the 360 deg window centred on the map, clipped to Web Mercator.

Geometry from :mod:`geo.geodesy` is already split at +/-180 deg and closed along the
pole. For display each geometry is moved into the window centred on the map (pieces
split at 180 deg are joined again, so a Pacific map has no seam), clipped to the Web
Mercator latitude limit (+/-85.05 deg, where Leaflet stops anyway), and its outline is
drawn without the cut edges (window edges, the clipped polar edge): a ring round the
North Pole shows as a ring with no line along the pole or the antimeridian.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo import geodesy

__all__ = ["MAX_DISPLAY_LAT", "cut_lines", "cut_outline", "display_geometry", "display_window", "outline"]

MAX_DISPLAY_LAT = 85.0511287798
"""Web Mercator's latitude limit: Leaflet draws nothing beyond it, so display geometry is clipped here."""


def display_window(centre_lon: float) -> tuple[float, float]:
    """(west, east) edges of the 360 deg window centred on ``centre_lon``, degrees."""
    c = float(geodesy.normalize_lon(centre_lon))
    # The shifted cut edge (lo + 360 or hi - 360) must equal the other edge bit for bit.
    if c >= 0:
        return c - 180.0, (c - 180.0) + 360.0
    return (c + 180.0) - 360.0, c + 180.0


def display_geometry(geoms: Any, *, centre_lon: float, max_lat: float = MAX_DISPLAY_LAT) -> Any:
    """Geometry as a map centred on ``centre_lon`` shows it: in [c-180, c+180], clipped to +/-``max_lat``.

    Pieces that :mod:`geo.geodesy` split at +/-180 deg are joined again when the window
    spans the antimeridian; the cut moves to the far side of the Earth.

    Parameters
    ----------
    geoms : shapely geometry or array_like of them
        EPSG:4326, longitudes in [-180, 180].
    centre_lon : float
        Degrees.

    Returns
    -------
    shapely geometry or numpy.ndarray
        Scalar in, scalar out.

    Examples
    --------
    >>> split = geodesy.track([170.0, -170.0], [50.0, 50.0])
    >>> split.geom_type, display_geometry(split, centre_lon=180.0).geom_type
    ('MultiLineString', 'LineString')
    """
    arr = np.asarray(geoms, dtype=object)
    scalar = arr.ndim == 0
    arr = np.atleast_1d(arr)
    lo, hi = display_window(centre_lon)
    lat = float(max_lat)
    if lo >= -180.0:  # window [lo, hi] with hi >= 180: shift the part west of lo by +360
        keep, moved, shift = shapely.box(lo, -lat, 180.0, lat), shapely.box(-180.0, -lat, lo, lat), 360.0
    else:
        keep, moved, shift = shapely.box(-180.0, -lat, hi, lat), shapely.box(hi, -lat, 180.0, lat), -360.0
    a = shapely.intersection(arr, keep)
    b = shapely.transform(shapely.intersection(arr, moved), lambda c: c + np.array([shift, 0.0]))
    out = shapely.union(a, b)
    # The overlay puts cut vertices within ~1e-12 deg of the cut; snap them onto it exactly,
    # so that outline() can tell the cut's edges from the shape's own.
    out = shapely.transform(out, lambda c: _snap(c, lo, hi, lat))
    lines = np.isin(shapely.get_type_id(out), [1, 5])
    if lines.any():
        out[lines] = shapely.line_merge(out[lines])
    # Drop zero-area leftovers of the cut (a polygon touching the window edge).
    out = np.array([_polygonal_or_same(g, a_) for g, a_ in zip(out, arr, strict=True)], dtype=object)
    return out[0] if scalar else out


def _snap(coords: Any, lo: float, hi: float, lat: float, eps: float = 1e-9) -> Any:
    x, y = coords[:, 0], coords[:, 1]
    x = np.where(np.abs(x - lo) < eps, lo, np.where(np.abs(x - hi) < eps, hi, x))
    y = np.where(np.abs(y - lat) < eps, lat, np.where(np.abs(y + lat) < eps, -lat, y))
    return np.column_stack([x, y])


def _polygonal_or_same(g: BaseGeometry, original: BaseGeometry) -> BaseGeometry:
    if original.geom_type in ("Polygon", "MultiPolygon") and g.geom_type == "GeometryCollection":
        parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(parts) if parts else shapely.Polygon()
    return g


def cut_lines(centre_lon: float, max_lat: float) -> BaseGeometry:
    """The lines a display cut runs along: the window's two edges and the clipped latitudes."""
    lo, hi = display_window(centre_lon)
    return shapely.MultiLineString(
        [
            [(lo, -90), (lo, 90)],
            [(hi, -90), (hi, 90)],
            [(lo, max_lat), (hi, max_lat)],
            [(lo, -max_lat), (hi, -max_lat)],
        ]
    )


def outline(geoms: Any, *, centre_lon: float, max_lat: float = MAX_DISPLAY_LAT) -> Any:
    """The boundary of display polygons without the edges the cut made.

    ``geoms`` come from :func:`display_geometry` with the same ``centre_lon``; the
    edges along the window's sides and along the clipped latitude are not part of the
    shape's true boundary and are left out.

    Examples
    --------
    >>> disc = display_geometry(geodesy.ring(127.5364, 39.9183, 13_000e3), centre_lon=127.5364)
    >>> line = outline(disc, centre_lon=127.5364)
    >>> line.geom_type, round(line.bounds[3], 1) < MAX_DISPLAY_LAT
    ('LineString', True)
    """
    lo, hi = display_window(centre_lon)
    out = cut_outline(np.atleast_1d(np.asarray(geoms, dtype=object)), lons=(lo, hi), max_lat=max_lat)
    return out[0] if np.ndim(geoms) == 0 else out


def cut_outline(polys: Any, *, lons: Sequence[float], max_lat: float) -> Any:
    """Boundaries of ``polys`` without the edges that are cuts, not coastlines or limits.

    An edge is a cut when it runs along one of the meridians ``lons`` (the antimeridian,
    a display window's edges), along the latitude +/-``max_lat`` (a display clip), or
    touches a pole (the closure :mod:`geo.geodesy` adds to shapes round a pole).
    Vertices within 1e-9 deg of a cut count as on it (overlays leave them a few ulps off).

    Parameters
    ----------
    polys : array_like of shapely (Multi)Polygons
    lons : sequence of float
        Meridians that are cuts, degrees.
    max_lat : float
        Latitude of a clip, degrees (90 for none).

    Returns
    -------
    numpy.ndarray of shapely (Multi)LineStrings
        One per polygon, empty where nothing is left.

    Examples
    --------
    >>> disc = geodesy.ring(127.5, 39.9, 13_000e3)
    >>> line = cut_outline([disc], lons=(-180.0, 180.0), max_lat=90.0)[0]
    >>> line.bounds[3] < 89.0  # no edge along the pole or down the antimeridian
    True
    """
    polys = np.atleast_1d(np.asarray(polys, dtype=object))
    parts, owner = shapely.get_parts(shapely.boundary(polys), return_index=True)
    lines, line_owner = shapely.get_parts(parts, return_index=True)  # rings of MultiLineStrings
    line_owner = owner[line_owner]
    xy, index = shapely.get_coordinates(lines, return_index=True)
    eps = 1e-9
    x, y = xy[:, 0], xy[:, 1]
    on_meridian = np.zeros((len(lons), x.size), dtype=bool)
    for j, m in enumerate(lons):  # two to four meridians
        on_meridian[j] = np.abs(x - m) < eps
    same = index[:-1] == index[1:]
    cut = (on_meridian[:, :-1] & on_meridian[:, 1:]).any(axis=0)
    cut |= (np.abs(y[:-1]) > 90.0 - eps) | (np.abs(y[1:]) > 90.0 - eps)
    cut |= (np.abs(np.abs(y[:-1]) - max_lat) < eps) & (np.abs(np.abs(y[1:]) - max_lat) < eps)
    keep = same & ~cut
    out = np.array([shapely.MultiLineString() for _ in polys], dtype=object)
    if not keep.any():
        return out
    # A run of kept edges becomes one line; a new run starts after a dropped edge or a new ring.
    starts = keep & ~np.concatenate([[False], keep[:-1] & same[:-1]])
    run_of_edge = np.cumsum(starts) - 1
    k = np.flatnonzero(keep)
    vertex_run = np.concatenate([run_of_edge[k], run_of_edge[k]])
    vertices = np.concatenate([xy[k], xy[k + 1]])
    order = np.lexsort((np.concatenate([k, k + 1]), vertex_run))
    segs = shapely.remove_repeated_points(shapely.linestrings(vertices[order], indices=vertex_run[order]))
    seg_owner = line_owner[index[k][np.searchsorted(run_of_edge[k], np.arange(segs.size))]]
    for i in np.unique(seg_owner):  # one merge per polygon that kept any edge
        out[i] = shapely.line_merge(shapely.multilinestrings(segs[seg_owner == i]))
    return out
