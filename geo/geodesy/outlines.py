"""Geodesic shapes: rings, annuli, sectors, ellipses, geodesic lines and tracks.

Each is densified to ``tolerance_m`` and assembled by :mod:`geo._shapes` (split at
+/-180 deg, closed along a pole); see :mod:`geo.geodesy`, which re-exports them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike
from shapely.geometry.base import BaseGeometry

from geo._errors import InvalidCoordinateError, InvalidDistanceError, InvalidIntervalError
from geo._shapes import FloatArray, finish, ring_to_geometry, split_line
from geo.geodesy.core import (
    DEFAULT_TOLERANCE_M,
    GEOD,
    AzimuthInterval,
    antipodal_distance_m,
    check_distance,
    check_lonlat,
    densify,
    parse_azimuth_interval,
)

__all__ = ["annulus", "ellipse", "geodesic_line", "ring", "ring_vertices", "sector", "track"]

# --------------------------------------------------------------------------- shapes


def _check_center(lon: float, lat: float) -> tuple[float, float]:
    lon_a, lat_a = check_lonlat(lon, lat, what="centre")
    if lon_a.ndim and lon_a.size != 1:
        raise InvalidCoordinateError(
            f"a shape takes one centre, got {lon_a.size}; build one shape per centre"
        )
    return float(lon_a.ravel()[0]), float(lat_a.ravel()[0])


def _check_radius(lon: float, lat: float, radius_m: float, name: str = "radius_m") -> float:
    r = float(check_distance(radius_m, name=name, allow_zero=False))
    limit = antipodal_distance_m(lon, lat)
    if r >= limit:
        raise InvalidDistanceError(
            f"{name}={r:.0f} reaches beyond the antipode of ({lon:g}, {lat:g}), "
            f"which is {limit:.0f} m away; give a radius below that"
        )
    return r


def _circle_curve(
    lon: float, lat: float, radius: Callable[[FloatArray], FloatArray]
) -> Callable[[FloatArray], tuple[FloatArray, FloatArray]]:
    def curve(az: FloatArray) -> tuple[FloatArray, FloatArray]:
        az = np.asarray(az, dtype=float)
        x, y, _ = GEOD.fwd(np.full(az.shape, lon), np.full(az.shape, lat), az, radius(az))
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    return curve


def _verify_on_circle(
    lon: float, lat: float, vlon: FloatArray, vlat: FloatArray, radius_m: FloatArray
) -> None:
    """Near the antipode fwd can pass the cut locus; then a vertex is nearer than asked."""
    _, _, d = GEOD.inv(np.full(vlon.shape, lon), np.full(vlon.shape, lat), vlon, vlat)
    worst = float(np.max(np.abs(np.asarray(d) - radius_m)))
    if worst > 1e-3:
        raise InvalidDistanceError(
            f"a radius of {float(np.max(radius_m)):.0f} m from ({lon:g}, {lat:g}) passes the cut locus "
            f"near the antipode (a vertex came out {worst:.0f} m nearer); give a smaller radius"
        )


def _disc_ring(lon: float, lat: float, radius_m: float, tolerance_m: float) -> tuple[FloatArray, FloatArray]:
    """Closed counter-clockwise vertex ring of a geodesic circle (interior on the left)."""
    curve = _circle_curve(lon, lat, lambda az: np.full(np.shape(az), radius_m))
    _, vlon, vlat = densify(curve, 0.0, 360.0, tolerance_m, relative_to_m=radius_m)
    _verify_on_circle(lon, lat, vlon, vlat, np.full(vlon.shape, radius_m))
    vlon[-1], vlat[-1] = vlon[0], vlat[0]
    return vlon[::-1].copy(), vlat[::-1].copy()


def ring_vertices(
    lon: float, lat: float, radius_m: float, *, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> tuple[FloatArray, FloatArray]:
    """The closed, counter-clockwise vertex ring of a geodesic circle, before any splitting.

    These are the vertices :func:`ring` assembles; with GeographicLib's polygon area
    (``GEOD.polygon_area_perimeter``, adding the Earth's area when it comes back
    negative) they give the disc's area independently of the split geometry.

    Examples
    --------
    >>> x, y = ring_vertices(127.5, 39.9, 1_000_000)
    >>> bool(x[0] == x[-1] and y[0] == y[-1])
    True
    """
    clon, clat = _check_center(lon, lat)
    r = _check_radius(clon, clat, radius_m)
    return _disc_ring(clon, clat, r, tolerance_m)


def ring(
    lon: float, lat: float, radius_m: float, *, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> BaseGeometry:
    """Geodesic disc: every point within ``radius_m`` of the centre.

    Parameters
    ----------
    lon, lat : float
        Centre, degrees.
    radius_m : float
        Geodesic radius, metres: from a metre up to (not including) the antipode.
    tolerance_m : float, keyword-only
        Largest allowed distance between an output edge and the true circle, metres.

    Returns
    -------
    shapely.Polygon or shapely.MultiPolygon
        Valid, split at +/-180 deg, closed along the pole when it encloses one.

    Examples
    --------
    >>> disc = ring(179.5, 40.0, 1_000_000)
    >>> disc.geom_type, disc.is_valid
    ('MultiPolygon', True)
    >>> from geo.geodesy import geodesic_area_m2
    >>> round(geodesic_area_m2(disc) / 1e12, 3)  # million km2
    3.135
    """
    clon, clat = _check_center(lon, lat)
    r = _check_radius(clon, clat, radius_m)
    vlon, vlat = _disc_ring(clon, clat, r, tolerance_m)
    return finish(ring_to_geometry(vlon, vlat))


def annulus(
    lon: float,
    lat: float,
    inner_m: float,
    outer_m: float,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> BaseGeometry:
    """Geodesic annulus: points whose distance from the centre lies in [inner_m, outer_m].

    Examples
    --------
    >>> a = annulus(127.5, 39.9, 500_000, 1_000_000)
    >>> a.is_valid, len(a.interiors)
    (True, 1)
    """
    clon, clat = _check_center(lon, lat)
    inner = float(check_distance(inner_m, name="inner_m"))
    outer = _check_radius(clon, clat, outer_m, name="outer_m")
    if inner >= outer:
        raise InvalidIntervalError(
            f"inner_m={inner:g} must be smaller than outer_m={outer:g}; swap them or drop inner_m"
        )
    disc = ring_to_geometry(*_disc_ring(clon, clat, outer, tolerance_m))
    if inner == 0:
        return finish(disc)
    hole = ring_to_geometry(*_disc_ring(clon, clat, inner, tolerance_m))
    return finish(disc.difference(hole))


def sector(
    lon: float,
    lat: float,
    radius_m: float,
    azimuths: AzimuthInterval | tuple[float, float] | str,
    *,
    inner_m: float = 0.0,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> BaseGeometry:
    """Geodesic sector: azimuths swept clockwise through ``azimuths``, ranges in [inner_m, radius_m].

    Parameters
    ----------
    azimuths : AzimuthInterval, (start_deg, end_deg) or "A1:A2"
        Clockwise from start to end; may cross north (350:10). 0:360 gives the full annulus.

    Examples
    --------
    >>> s = sector(127.5, 39.9, 1_000_000, "60:120", inner_m=500_000)
    >>> s.is_valid
    True
    """
    clon, clat = _check_center(lon, lat)
    interval = _as_interval(azimuths)
    outer = _check_radius(clon, clat, radius_m)
    inner = float(check_distance(inner_m, name="inner_m"))
    if inner >= outer:
        raise InvalidIntervalError(
            f"inner_m={inner:g} must be smaller than radius_m={outer:g}; swap them or drop inner_m"
        )
    if interval.full:
        return annulus(clon, clat, inner, outer, tolerance_m=tolerance_m)
    a0, a1 = interval.start_deg, interval.start_deg + interval.width_deg
    arc = _circle_curve(clon, clat, lambda az: np.full(np.shape(az), outer))
    _, olon, olat = densify(arc, a0, a1, tolerance_m, relative_to_m=outer)
    _verify_on_circle(clon, clat, olon, olat, np.full(olon.shape, outer))
    parts_lon = [olon]
    parts_lat = [olat]
    if inner > 0:
        inner_arc = _circle_curve(clon, clat, lambda az: np.full(np.shape(az), inner))
        _, ilon, ilat = densify(inner_arc, a0, a1, tolerance_m, relative_to_m=inner)
        # Radial edge at the end azimuth, outer -> inner, then the inner arc backwards.
        rlon, rlat = _radial(clon, clat, a1, outer, inner, tolerance_m)
        parts_lon += [rlon[1:-1], ilon[::-1]]
        parts_lat += [rlat[1:-1], ilat[::-1]]
        rlon, rlat = _radial(clon, clat, a0, inner, outer, tolerance_m)
        parts_lon.append(rlon[1:])
        parts_lat.append(rlat[1:])
    else:
        rlon, rlat = _radial(clon, clat, a1, outer, 0.0, tolerance_m)
        parts_lon.append(rlon[1:])
        parts_lat.append(rlat[1:])
        rlon, rlat = _radial(clon, clat, a0, 0.0, outer, tolerance_m)
        parts_lon.append(rlon[1:])
        parts_lat.append(rlat[1:])
    vlon = np.concatenate(parts_lon)
    vlat = np.concatenate(parts_lat)
    vlon[-1], vlat[-1] = vlon[0], vlat[0]
    # Increasing azimuth runs clockwise round the centre: reverse for interior-on-the-left.
    return finish(ring_to_geometry(vlon[::-1].copy(), vlat[::-1].copy()))


def _radial(
    lon: float, lat: float, az: float, d0: float, d1: float, tolerance_m: float
) -> tuple[FloatArray, FloatArray]:
    """Densified geodesic from distance d0 to d1 along azimuth az from the centre."""

    def curve(s: FloatArray) -> tuple[FloatArray, FloatArray]:
        s = np.asarray(s, dtype=float)
        x, y, _ = GEOD.fwd(np.full(s.shape, lon), np.full(s.shape, lat), np.full(s.shape, az), s)
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    _, x, y = densify(curve, min(d0, d1), max(d0, d1), tolerance_m, initial=4)
    return (x, y) if d1 >= d0 else (x[::-1].copy(), y[::-1].copy())


def _as_interval(azimuths: AzimuthInterval | tuple[float, float] | str) -> AzimuthInterval:
    if isinstance(azimuths, AzimuthInterval):
        return azimuths
    if isinstance(azimuths, str):
        return parse_azimuth_interval(azimuths)
    a0, a1 = (float(a) for a in azimuths)
    if a1 - a0 == 360.0:
        return AzimuthInterval(a0, a1, full=True)
    return AzimuthInterval(a0, a1)


def ellipse(
    lon: float,
    lat: float,
    semi_major_m: float,
    semi_minor_m: float,
    orientation_deg: float = 0.0,
    *,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
) -> BaseGeometry:
    """Geodesic ellipse: an ellipse in the azimuthal equidistant frame of the centre.

    The point at azimuth ``theta`` lies at geodesic distance
    ``a*b / sqrt((b*cos(phi))**2 + (a*sin(phi))**2)`` with ``phi = theta - orientation_deg``,
    so the semi-major axis points along ``orientation_deg`` (clockwise from north).

    Examples
    --------
    >>> e = ellipse(135.0, 40.0, 50_000, 20_000, 45.0)
    >>> e.is_valid
    True
    """
    clon, clat = _check_center(lon, lat)
    a = _check_radius(clon, clat, semi_major_m, name="semi_major_m")
    b = float(check_distance(semi_minor_m, name="semi_minor_m", allow_zero=False))
    if b > a:
        raise InvalidIntervalError(
            f"semi_minor_m={b:g} exceeds semi_major_m={a:g}; swap them and turn orientation_deg by 90"
        )
    orient = float(orientation_deg)

    def radius(az: FloatArray) -> FloatArray:
        phi = np.radians(np.asarray(az) - orient)
        return np.asarray(a * b / np.hypot(b * np.cos(phi), a * np.sin(phi)), dtype=float)

    curve = _circle_curve(clon, clat, radius)
    t, vlon, vlat = densify(curve, 0.0, 360.0, tolerance_m, relative_to_m=b)
    _verify_on_circle(clon, clat, vlon, vlat, radius(t))
    vlon[-1], vlat[-1] = vlon[0], vlat[0]
    return finish(ring_to_geometry(vlon[::-1].copy(), vlat[::-1].copy()))


# --------------------------------------------------------------------------- lines


def geodesic_line(
    lon1: float, lat1: float, lon2: float, lat2: float, *, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> BaseGeometry:
    """The shortest path between two points, densified and split at +/-180 deg.

    Examples
    --------
    >>> line = geodesic_line(170.0, 50.0, -170.0, 50.0)
    >>> line.geom_type
    'MultiLineString'
    """
    return track([lon1, lon2], [lat1, lat2], tolerance_m=tolerance_m)


def track(lons: ArrayLike, lats: ArrayLike, *, tolerance_m: float = DEFAULT_TOLERANCE_M) -> BaseGeometry:
    """A polyline whose legs are geodesics, densified and split at +/-180 deg.

    Parameters
    ----------
    lons, lats : array_like
        Two or more vertices, degrees.

    Returns
    -------
    shapely.LineString or shapely.MultiLineString
    """
    lon_a, lat_a = check_lonlat(lons, lats)
    lon_a, lat_a = np.atleast_1d(lon_a).astype(float), np.atleast_1d(lat_a).astype(float)
    if lon_a.size < 2:
        raise InvalidCoordinateError(f"a track needs at least two vertices, got {lon_a.size}")
    out_lon: list[FloatArray] = [lon_a[:1]]
    out_lat: list[FloatArray] = [lat_a[:1]]
    for i in range(lon_a.size - 1):  # one iteration per leg, not per point
        az, _, dist = GEOD.inv(lon_a[i], lat_a[i], lon_a[i + 1], lat_a[i + 1])
        if dist == 0:
            continue
        x, y = _radial(float(lon_a[i]), float(lat_a[i]), float(az), 0.0, float(dist), tolerance_m)
        x[-1], y[-1] = lon_a[i + 1], lat_a[i + 1]
        out_lon.append(x[1:])
        out_lat.append(y[1:])
    return split_line(np.concatenate(out_lon), np.concatenate(out_lat))
