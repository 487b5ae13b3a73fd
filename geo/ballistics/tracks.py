"""Tracks of a flight: the 3-D trajectory as points or a line, and the ground track.

Each is split at +/-180 deg; positions are carried from the sphere of the model onto
the WGS84 ellipsoid with :func:`geo.geodesy.direct`.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any, Required, TypedDict, Unpack

import numpy as np
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from geo import geodesy
from geo._errors import InvalidCoordinateError, InvalidDistanceError
from geo.ballistics.kepler import (
    DEFAULT_ASSUMPTIONS,
    EARTH_RADIUS_KM,
    Assumptions,
    FloatArray,
    Path3D,
    burnout_state,
)

__all__ = ["FlightOptions", "TrackOptions", "ground_track", "resolve_site", "trajectory", "trajectory_line"]

# --------------------------------------------------------------------------- tracks


class FlightOptions(TypedDict, total=False):
    """The keyword options of a flight after its site and azimuth; see :func:`trajectory`."""

    apogee_km: Required[float]
    range_km: Required[float]
    assumptions: Assumptions | None
    rotating: bool


class TrackOptions(FlightOptions, total=False):
    """:class:`FlightOptions` and the number of points along the free flight."""

    n_points: int


def resolve_site(site: str | tuple[float, float]) -> tuple[float, float, str | None]:
    if isinstance(site, str):
        from geo.places import lookup

        p = lookup(site)
        return p.lon, p.lat, p.name
    try:
        lon, lat = (float(x) for x in site)
    except (TypeError, ValueError):
        raise InvalidCoordinateError(
            f"site must be a place name or a (lon, lat) pair in degrees, got {site!r}"
        ) from None
    lon_n, lat_n = geodesy.normalize_lon(lon), lat
    if not (math.isfinite(lat_n) and abs(lat_n) <= 90 and math.isfinite(lon_n)):
        raise InvalidCoordinateError(f"site must be (lon, lat) in degrees, got {site!r}")
    return float(lon_n), float(lat_n), None


def _track_points(
    site: str | tuple[float, float],
    azimuth_deg: float,
    apogee_km: float,
    range_km: float,
    assumptions: Assumptions | None = None,
    rotating: bool = False,
    n_points: int = 200,
) -> tuple[dict[str, FloatArray], str | None]:
    asm = assumptions or DEFAULT_ASSUMPTIONS
    lon0, lat0, name = resolve_site(site)
    if not math.isfinite(azimuth_deg):
        raise InvalidCoordinateError(f"azimuth_deg must be finite, got {azimuth_deg!r}")
    if n_points < 8:
        raise InvalidDistanceError(f"n_points must be at least 8, got {n_points!r}")
    b = burnout_state(apogee_km, range_km, assumptions=replace(asm, lat_deg=None, azimuth_deg=None))
    fly_asm = replace(asm, lat_deg=lat0 if rotating else None, azimuth_deg=azimuth_deg if rotating else None)
    path = Path3D(lon0, lat0, azimuth_deg, b.speed_km_s, math.radians(b.flight_path_angle_deg), fly_asm)
    big_e = np.linspace(float(path.big_e0), float(path.big_e1), n_points)
    pos, t_free = path.position(big_e)
    angle, az = path.polar(pos)
    # Powered flight is schematic: altitude and ground distance grow with the square of time.
    tau = np.linspace(0.0, 1.0, 9)[:-1]
    ground_km = np.concatenate([asm.powered_range_km * tau**2, EARTH_RADIUS_KM * angle])
    az_all = np.concatenate([np.full(tau.shape, azimuth_deg % 360.0), az])
    alt_km = np.concatenate([asm.burnout_alt_km * tau**2, np.linalg.norm(pos, axis=-1) - EARTH_RADIUS_KM])
    t_s = np.concatenate([asm.powered_time_s * tau, asm.powered_time_s + t_free])
    alt_km[-1] = 0.0
    # Carry distance and azimuth from the site over to the ellipsoid.
    lon, lat, _ = geodesy.direct(lon0, lat0, az_all, ground_km * 1000.0)
    phase = np.where(np.arange(t_s.size) < tau.size, "powered", "free flight")
    return {
        "t_s": t_s,
        "lon": lon,
        "lat": lat,
        "alt_km": alt_km,
        "ground_km": ground_km,
        "phase": phase,
    }, name


def trajectory(site: str | tuple[float, float], azimuth_deg: float, **flight: Unpack[TrackOptions]) -> Any:
    """The 3-D track of a flight as points: time, lon, lat, altitude.

    The burnout state is found from (apogee, range) on a non-rotating Earth
    (:func:`burnout_state`); with ``rotating=True`` that state is flown over the rotating
    Earth from ``site`` (its latitude) along ``azimuth_deg``, so the impact moves (mostly
    west for a lofted flight: the ground turns east under the missile). Distances and
    azimuths from the site computed on the sphere are carried onto the WGS84 ellipsoid
    with :func:`geo.geodesy.direct`, so a non-rotating track follows the geodesic.

    Parameters
    ----------
    site : str or (lon, lat)
        A gazetteer place or a point in degrees.
    azimuth_deg : float
        Launch azimuth, degrees clockwise from north.
    apogee_km, range_km : float, keyword-only
        Flight parameters, km.
    assumptions : Assumptions, keyword-only, optional
        Burnout altitude, powered time and range (its latitude and azimuth are not used).
    rotating : bool, keyword-only
        Fly over a rotating Earth.
    n_points : int, keyword-only
        Points along the free flight (the powered phase adds 8).

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``t_s``, ``lon``, ``lat``, ``alt_km``, ``ground_km`` (from the site, km),
        ``phase`` and Point Z geometry (height in metres, as GeoJSON has it), EPSG:4326.

    Examples
    --------
    >>> gdf = trajectory("Sunan", 90.0, apogee_km=4475.0, range_km=950.0)
    >>> round(gdf.alt_km.max()), round(gdf.ground_km.iloc[-1]), round(float(gdf.t_s.iloc[-1]) / 60, 1)
    (4475, 950, 52.8)
    """
    import geopandas as gpd

    cols, _ = _track_points(site, azimuth_deg, **flight)
    geometry = gpd.points_from_xy(cols["lon"], cols["lat"], cols["alt_km"] * 1000.0)
    return gpd.GeoDataFrame(cols, geometry=geometry, crs="EPSG:4326")


def trajectory_line(
    site: str | tuple[float, float], azimuth_deg: float, **flight: Unpack[TrackOptions]
) -> BaseGeometry:
    """The 3-D track as a LineString Z (height in metres), split at +/-180 deg.

    Parameters are those of :func:`trajectory` (:class:`TrackOptions`).

    Examples
    --------
    >>> line = trajectory_line((179.0, 40.0), 90.0, apogee_km=1000.0, range_km=900.0)
    >>> line.geom_type, line.has_z, all(abs(x) <= 180 for x, _, _ in line.geoms[0].coords)
    ('MultiLineString', True, True)
    """
    cols, _ = _track_points(site, azimuth_deg, **flight)
    return _split_z(cols["lon"], cols["lat"], cols["alt_km"] * 1000.0)


def ground_track(
    site: str | tuple[float, float],
    azimuth_deg: float,
    *,
    tolerance_m: float = geodesy.DEFAULT_TOLERANCE_M,
    **flight: Unpack[FlightOptions],
) -> BaseGeometry:
    """The ground track (the sub-missile points) as a 2-D line, split at +/-180 deg.

    Consecutive track points are joined by geodesics densified to ``tolerance_m``
    (:func:`geo.geodesy.track`); the other options are those of :func:`trajectory`
    (:class:`FlightOptions`).

    Examples
    --------
    >>> g = ground_track("Sunan", 90.0, apogee_km=4475.0, range_km=950.0)
    >>> g.geom_type
    'LineString'
    """
    cols, _ = _track_points(site, azimuth_deg, **flight)
    return geodesy.track(cols["lon"], cols["lat"], tolerance_m=tolerance_m)


def _split_z(lon: FloatArray, lat: FloatArray, z: FloatArray) -> BaseGeometry:
    """LineString Z cut where consecutive points cross +/-180 deg (z interpolated)."""
    jumps = np.flatnonzero(np.abs(np.diff(lon)) > 180.0)
    if jumps.size == 0:
        return LineString(np.column_stack([lon, lat, z]))
    x0, x1 = lon[jumps], lon[jumps + 1]
    edge = np.where(x0 > 0, 180.0, -180.0)
    x1u = x1 + np.where(x0 > 0, 360.0, -360.0)
    f = (edge - x0) / (x1u - x0)
    yc = lat[jumps] + f * (lat[jumps + 1] - lat[jumps])
    zc = z[jumps] + f * (z[jumps + 1] - z[jumps])
    pieces = []
    start = 0
    for k, j in enumerate(jumps.tolist()):  # one iteration per crossing, not per point
        head = [(-edge[k - 1], yc[k - 1], zc[k - 1])] if k else []
        body = list(zip(lon[start : j + 1], lat[start : j + 1], z[start : j + 1], strict=True))
        pieces.append([*head, *body, (edge[k], yc[k], zc[k])])
        start = j + 1
    last = [(-edge[-1], yc[-1], zc[-1])]
    pieces.append(last + list(zip(lon[start:], lat[start:], z[start:], strict=True)))
    return MultiLineString([LineString(p) for p in pieces if len(p) >= 2])
