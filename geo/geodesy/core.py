"""The geodesic primitives on WGS84: checks, direct and inverse problems, densified curves, areas.

See :mod:`geo.geodesy`, which re-exports the public names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from geo._errors import InvalidCoordinateError, InvalidDistanceError, InvalidIntervalError
from geo._shapes import FloatArray, signed_area, wrap180

__all__ = [
    "DEFAULT_TOLERANCE_M",
    "EARTH_AREA_M2",
    "GEOD",
    "AzimuthInterval",
    "antipodal_distance_m",
    "check_distance",
    "check_lonlat",
    "densify",
    "direct",
    "geodesic_area_m2",
    "inverse",
    "normalize_lon",
    "parse_azimuth_interval",
]

GEOD = Geod(ellps="WGS84")
"""The one ellipsoid: WGS84, through GeographicLib."""

DEFAULT_TOLERANCE_M = 100.0
"""Default maximum distance between a straight lon/lat edge and the true curve, in metres."""

_e2 = GEOD.es
_e = np.sqrt(_e2)
EARTH_AREA_M2 = float(2 * np.pi * GEOD.a**2 * (1 + (1 - _e2) / _e * np.arctanh(_e)))
"""Surface area of the WGS84 ellipsoid, in square metres (about 510.066 M km2)."""

_MAX_VERTICES = 2_000_000


# --------------------------------------------------------------------------- checks


def normalize_lon(lon: ArrayLike) -> Any:
    """Return longitudes in [-180, 180), the same meridians.

    Parameters
    ----------
    lon : float or array_like
        Longitudes in degrees, within [-360, 360].

    Returns
    -------
    float or numpy.ndarray
        Scalar in, scalar out.

    Examples
    --------
    >>> float(normalize_lon(200.0))
    -160.0
    >>> normalize_lon([180.0, -180.0, 359.5]).tolist()
    [-180.0, -180.0, -0.5]
    """
    arr = np.asarray(lon, dtype=float)
    out = (arr + 180.0) % 360.0 - 180.0
    return float(out) if out.ndim == 0 else out


def check_lonlat(lon: ArrayLike, lat: ArrayLike, *, what: str = "") -> tuple[FloatArray, FloatArray]:
    """Validated, broadcast (lon, lat) arrays in degrees; longitudes normalised into [-180, 180).

    Raises :class:`~geo.InvalidCoordinateError` naming the first bad value (and its index
    in an array) and the fix.

    Examples
    --------
    >>> lon, lat = check_lonlat([200.0, 10.0], [40.0, -5.0])
    >>> lon.tolist(), lat.tolist()
    ([-160.0, 10.0], [40.0, -5.0])
    """
    label = f"{what} " if what else ""
    lon_a = _degrees_array(lon, f"{label}longitude")
    lat_a = _degrees_array(lat, f"{label}latitude")
    bad = ~np.isfinite(lat_a)
    if bad.any():
        raise InvalidCoordinateError(
            f"{label}latitude must be a finite number of degrees, got {_first(lat_a, bad)!r}{_at(bad)}"
        )
    bad = ~np.isfinite(lon_a)
    if bad.any():
        raise InvalidCoordinateError(
            f"{label}longitude must be a finite number of degrees, got {_first(lon_a, bad)!r}{_at(bad)}"
        )
    bad = np.abs(lat_a) > 90.0
    if bad.any():
        raise InvalidCoordinateError(
            f"{label}latitude must be within [-90, 90] degrees, got {_first(lat_a, bad)!r}{_at(bad)}; "
            "were latitude and longitude swapped?"
        )
    bad = np.abs(lon_a) > 360.0
    if bad.any():
        raise InvalidCoordinateError(
            f"{label}longitude must be within [-360, 360] degrees, got {_first(lon_a, bad)!r}{_at(bad)}; "
            "give degrees east of Greenwich (values beyond 180 are wrapped, e.g. 200 -> -160)"
        )
    lon_a = (lon_a + 180.0) % 360.0 - 180.0
    return np.broadcast_arrays(lon_a, lat_a)  # type: ignore[return-value]


def _degrees_array(values: ArrayLike, what: str) -> FloatArray:
    """Numbers (or numeric strings such as "38.5") as a float array; anything else is refused."""
    try:
        if values is None:
            raise TypeError(values)
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        hint = " (a decimal comma? write 38.5, not 38,5)" if isinstance(values, str) and "," in values else ""
        raise InvalidCoordinateError(
            f"{what} must be a number of degrees (or an array of them), got {values!r}{hint}"
        ) from None


def _at(mask: NDArray[np.bool_]) -> str:
    """Where the first bad element of an array is: ' at index 3' (nothing for a scalar)."""
    if mask.ndim == 0:
        return ""
    idx = tuple(int(i) for i in np.argwhere(mask)[0])
    return f" at index {idx[0] if len(idx) == 1 else idx}"


def _first(values: FloatArray, mask: NDArray[np.bool_]) -> float:
    return float(np.asarray(values)[mask].ravel()[0]) if values.ndim else float(values)


def check_distance(distance_m: ArrayLike, *, name: str = "distance_m", allow_zero: bool = True) -> FloatArray:
    d = np.asarray(distance_m, dtype=float)
    bad = ~np.isfinite(d)
    if bad.any():
        raise InvalidDistanceError(f"{name} must be a finite number of metres, got {_first(d, bad)!r}")
    bad = d < 0 if allow_zero else d <= 0
    if bad.any():
        sign = "non-negative" if allow_zero else "positive"
        raise InvalidDistanceError(
            f"{name} must be {sign}, got {_first(d, bad)!r}; "
            "give a distance in metres (for the opposite direction add 180 deg to the azimuth)"
        )
    return d


def antipodal_distance_m(lon: float, lat: float) -> float:
    """Geodesic distance from a point to its antipode, in metres.

    This is the largest radius a geodesic ring around the point can have
    (about 20,004 km at the poles and 20,004 km on the equator along a meridian).

    Examples
    --------
    >>> round(antipodal_distance_m(127.5, 39.9) / 1000)
    20004
    """
    lon_a, lat_a = check_lonlat(lon, lat)
    _, _, dist = GEOD.inv(float(lon_a), float(lat_a), float(lon_a) + 180.0, -float(lat_a))
    return float(dist)


# --------------------------------------------------------------------------- problems


def direct(
    lon: ArrayLike, lat: ArrayLike, azimuth_deg: ArrayLike, distance_m: ArrayLike
) -> tuple[Any, Any, Any]:
    """Solve the direct geodesic problem: where you arrive from a point, azimuth and distance.

    Parameters
    ----------
    lon, lat : float or array_like
        Start point, degrees.
    azimuth_deg : float or array_like
        Azimuth at the start, degrees clockwise from north.
    distance_m : float or array_like
        Geodesic distance, metres (>= 0).

    Returns
    -------
    lon2, lat2, back_azimuth_deg
        Floats for scalar input, arrays (broadcast) otherwise. Longitudes in [-180, 180].

    Examples
    --------
    >>> lon2, lat2, _ = direct(0.0, 0.0, 90.0, 111_319.49)
    >>> round(lon2, 4), round(lat2, 4)
    (1.0, 0.0)
    """
    lon_a, lat_a = check_lonlat(lon, lat)
    az = np.asarray(azimuth_deg, dtype=float)
    if not np.isfinite(az).all():
        raise InvalidCoordinateError(f"azimuth_deg must be finite, got {_first(az, ~np.isfinite(az))!r}")
    d = check_distance(distance_m)
    lon_b, lat_b, az_b, d_b = np.broadcast_arrays(lon_a, lat_a, az, d)
    lon2, lat2, back = GEOD.fwd(
        lon_b.astype(float).ravel(),
        lat_b.astype(float).ravel(),
        az_b.astype(float).ravel(),
        d_b.astype(float).ravel(),
    )
    return _shape_like(lon_b, lon2, lat2, back)


def inverse(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> tuple[Any, Any, Any]:
    """Solve the inverse geodesic problem: azimuths and distance between two points.

    Returns
    -------
    azimuth_deg, back_azimuth_deg, distance_m
        Forward azimuth at point 1, azimuth at point 2 pointing back to point 1, and the
        geodesic distance in metres. Floats for scalars, arrays otherwise.

    Examples
    --------
    >>> _, _, d = inverse(0.0, 0.0, 0.0, 1.0)
    >>> round(d, 1)
    110574.4
    """
    lo1, la1 = check_lonlat(lon1, lat1, what="first point")
    lo2, la2 = check_lonlat(lon2, lat2, what="second point")
    a, b, c, d = np.broadcast_arrays(lo1, la1, lo2, la2)
    az, back, dist = GEOD.inv(a.ravel(), b.ravel(), c.ravel(), d.ravel())
    return _shape_like(a, az, back, dist)


def _shape_like(template: NDArray[Any], *arrays: Any) -> tuple[Any, ...]:
    if template.ndim == 0:
        return tuple(float(np.asarray(x).ravel()[0]) for x in arrays)
    return tuple(np.asarray(x, dtype=float).reshape(template.shape) for x in arrays)


# --------------------------------------------------------------------------- intervals


@dataclass(frozen=True)
class AzimuthInterval:
    """Azimuths swept clockwise from ``start_deg`` to ``end_deg`` (may cross north).

    ``AzimuthInterval(350, 10)`` is the 20 deg wide interval across north.
    A width of 360 deg is the full circle.

    Examples
    --------
    >>> AzimuthInterval(350, 10).width_deg
    20.0
    >>> AzimuthInterval(350, 10).mid_deg
    0.0
    """

    start_deg: float
    end_deg: float
    full: bool = False

    def __post_init__(self) -> None:
        for name in ("start_deg", "end_deg"):
            v = getattr(self, name)
            if not np.isfinite(v):
                raise InvalidIntervalError(f"azimuth {name} must be finite, got {v!r}")
        if not self.full and (self.end_deg - self.start_deg) % 360.0 == 0.0:
            raise InvalidIntervalError(
                f"azimuth interval {self.start_deg:g}:{self.end_deg:g} is empty; "
                "give two different azimuths swept clockwise (e.g. 350:10), or 0:360 for all"
            )

    @property
    def width_deg(self) -> float:
        """Width swept clockwise, degrees (0, 360]."""
        return 360.0 if self.full else float((self.end_deg - self.start_deg) % 360.0)

    @property
    def mid_deg(self) -> float:
        """The azimuth halfway through the interval, in [0, 360)."""
        return float((self.start_deg + self.width_deg / 2.0) % 360.0)

    def contains(self, azimuth_deg: ArrayLike) -> Any:
        """Whether each azimuth lies in the interval (ends included)."""
        off = (np.asarray(azimuth_deg, dtype=float) - self.start_deg) % 360.0
        return off <= self.width_deg + 1e-12


def parse_azimuth_interval(text: str) -> AzimuthInterval:
    """Read ``"A1:A2"`` (clockwise from A1 to A2, may cross north) as an interval.

    Examples
    --------
    >>> parse_azimuth_interval("350:10").width_deg
    20.0
    >>> parse_azimuth_interval("0:360").width_deg
    360.0
    """
    parts = str(text).split(":")
    if len(parts) != 2:
        raise InvalidIntervalError(
            f"azimuth interval must be 'A1:A2' in degrees clockwise from north, got {text!r}"
        )
    try:
        a1, a2 = (float(p) for p in parts)
    except ValueError:
        raise InvalidIntervalError(
            f"azimuth interval must be 'A1:A2' with numbers in degrees, got {text!r}"
        ) from None
    if a2 - a1 == 360.0:
        return AzimuthInterval(a1, a2, full=True)
    return AzimuthInterval(a1, a2)


# --------------------------------------------------------------------------- densify


def densify(
    curve: Callable[[FloatArray], tuple[FloatArray, FloatArray]],
    t0: float,
    t1: float,
    tolerance_m: float,
    *,
    initial: int = 16,
    relative_to_m: float = 0.0,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Sample a parametric curve so that each edge stays near the curve, however it is read.

    An edge between ``curve(ta)`` and ``curve(tb)`` is split while any of its planar
    (straight lon/lat) points at 1/4, 1/2 and 3/4, or its geodesic midpoint, lies more
    than ``tolerance_m`` (geodesic) from the curve point at the same fraction of the
    parameter: a conservative test, since the distance to the curve is at most the
    distance to that point. GIS software draws edges straight in lon/lat, GeographicLib
    measures them as geodesics: both readings are then within the tolerance.
    """
    if t1 < t0:
        raise ValueError("densify needs t0 <= t1")  # internal contract
    if not (np.isfinite(tolerance_m) and tolerance_m > 0):
        raise InvalidDistanceError(f"tolerance_m must be a positive number of metres, got {tolerance_m!r}")
    t = np.linspace(t0, t1, initial + 1)
    # An absolute tolerance alone would leave a 1 m disc as a 16-gon; keep small shapes
    # within 0.01 % of their own size too.
    tolerance_m = min(tolerance_m, max(relative_to_m, 1e-3) * 1e-4) if relative_to_m else tolerance_m
    lon, lat = curve(t)
    fractions = np.array([0.25, 0.5, 0.75])
    for _ in range(40):
        dlon = wrap180(np.diff(lon))
        # Segment i goes from vertex i to i+1 in unwrapped longitude.
        f = fractions[:, None]
        plon = lon[:-1] + f * dlon
        plat = lat[:-1] + f * np.diff(lat)
        tt = t[:-1] + f * np.diff(t)
        clon, clat = curve(tt.ravel())
        _, _, err = GEOD.inv(wrap180(plon.ravel()), plat.ravel(), clon, clat)
        bad = (np.asarray(err).reshape(plon.shape) > tolerance_m).any(axis=0)
        # The same edge read as a geodesic (GeographicLib, areas) must stay close too.
        az, _, seg = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])
        glon, glat, _ = GEOD.fwd(lon[:-1], lat[:-1], az, np.asarray(seg) / 2.0)
        mlon, mlat = curve(tt[1])
        _, _, gerr = GEOD.inv(glon, glat, mlon, mlat)
        bad |= np.asarray(gerr) > tolerance_m
        if not bad.any():
            return t, lon, lat
        if t.size + 3 * bad.sum() > _MAX_VERTICES:
            raise InvalidDistanceError(
                f"tolerance_m={tolerance_m!r} needs more than {_MAX_VERTICES} vertices; "
                "use a larger tolerance"
            )
        idx = np.flatnonzero(bad)
        new_t = (t[idx, None] + np.array([0.25, 0.5, 0.75]) * (t[idx + 1] - t[idx])[:, None]).ravel()
        t = np.sort(np.concatenate([t, new_t]))
        lon, lat = curve(t)
    raise InvalidDistanceError(  # pragma: no cover - a smooth curve converges long before
        f"could not densify the curve to tolerance_m={tolerance_m!r}"
    )


# --------------------------------------------------------------------------- assembly


def geodesic_area_m2(geom: BaseGeometry) -> float:
    """Area on the WGS84 ellipsoid of a (Multi)Polygon in EPSG:4326, square metres.

    Edges are read as geodesics; pieces split at +/-180 deg add up. A piece closed
    along a pole is handled by GeographicLib's pole-crossing count.
    """
    total = 0.0
    for poly in shapely.get_parts(geom):
        if not isinstance(poly, Polygon):
            continue
        total += _ring_area(np.asarray(poly.exterior.coords))
        for hole in poly.interiors:
            total -= _ring_area(np.asarray(hole.coords))
    return total


def _ring_area(coords: FloatArray) -> float:
    """Unsigned area enclosed by a ring (interior on its planar inside), square metres.

    GeographicLib reports areas wrapped into +/- half the Earth, so a ring enclosing more
    than a hemisphere comes back as its complement; the branch is chosen by a cheap
    equal-area estimate (cylindrical, on the sphere), which is far closer than half the
    Earth to the truth.
    """
    area, _ = GEOD.polygon_area_perimeter(coords[:, 0], coords[:, 1])
    x = np.radians(coords[:, 0])
    y = np.sin(np.radians(coords[:, 1]))
    estimate = abs(signed_area(x, y)) * EARTH_AREA_M2 / (4 * np.pi)
    candidates = np.array([abs(float(area)), EARTH_AREA_M2 - abs(float(area))])
    return float(candidates[np.argmin(np.abs(candidates - estimate))])
