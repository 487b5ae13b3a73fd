"""Geodesy on the WGS84 ellipsoid: direct and inverse problems, and geodesic shapes.

Every distance is ellipsoidal (``pyproj.Geod(ellps="WGS84")``, i.e. GeographicLib);
shapely is used only to assemble and split the result. Longitude comes first,
degrees in, metres out, as in pyproj.

Shapes (:func:`ring`, :func:`annulus`, :func:`sector`, :func:`ellipse`,
:func:`geodesic_line`, :func:`track`) are returned as shapely geometry in EPSG:4326
that is

* valid, with exteriors counter-clockwise (the GeoJSON right-hand rule);
* split at +/-180 deg, so no edge crosses the antimeridian;
* closed along the pole when the shape encloses a pole (the edge runs along
  latitude +/-90, where every longitude is the same point);
* densified so that every straight lon/lat edge stays within ``tolerance_m`` of the
  true curve (default 100 m).

Longitudes outside [-180, 180] are normalised (200 -> -160: the same meridian);
longitudes beyond +/-360 and latitudes beyond +/-90 are refused, as are NaN and
infinities.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo._errors import InvalidCoordinateError, InvalidDistanceError, InvalidIntervalError

__all__ = [
    "DEFAULT_TOLERANCE_M",
    "GEOD",
    "AzimuthInterval",
    "annulus",
    "antipodal_distance_m",
    "check_lonlat",
    "direct",
    "ellipse",
    "geodesic_area_m2",
    "geodesic_line",
    "inverse",
    "normalize_lon",
    "parse_azimuth_interval",
    "ring",
    "ring_vertices",
    "sector",
    "track",
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
_FloatArray = NDArray[np.float64]


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


def check_lonlat(lon: ArrayLike, lat: ArrayLike, *, what: str = "") -> tuple[_FloatArray, _FloatArray]:
    """Validated, broadcast (lon, lat) arrays in degrees; longitudes normalised into [-180, 180).

    Raises :class:`~geo.InvalidCoordinateError` naming the first bad value (and its index
    in an array) and the fix.

    Examples
    --------
    >>> lon, lat = check_lonlat([200.0, 10.0], [40.0, -5.0])
    >>> lon.tolist(), lat.tolist()
    ([-160.0, 10.0], [40.0, -5.0])
    """
    return _check_lonlat(lon, lat, what=what)


def _check_lonlat(lon: ArrayLike, lat: ArrayLike, *, what: str = "") -> tuple[_FloatArray, _FloatArray]:
    """Validate and broadcast coordinates; longitudes are normalised into [-180, 180)."""
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


def _degrees_array(values: ArrayLike, what: str) -> _FloatArray:
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


def _first(values: _FloatArray, mask: NDArray[np.bool_]) -> float:
    return float(np.asarray(values)[mask].ravel()[0]) if values.ndim else float(values)


def _check_distance(
    distance_m: ArrayLike, *, name: str = "distance_m", allow_zero: bool = True
) -> _FloatArray:
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
    lon_a, lat_a = _check_lonlat(lon, lat)
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
    lon_a, lat_a = _check_lonlat(lon, lat)
    az = np.asarray(azimuth_deg, dtype=float)
    if not np.isfinite(az).all():
        raise InvalidCoordinateError(f"azimuth_deg must be finite, got {_first(az, ~np.isfinite(az))!r}")
    d = _check_distance(distance_m)
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
    lo1, la1 = _check_lonlat(lon1, lat1, what="first point")
    lo2, la2 = _check_lonlat(lon2, lat2, what="second point")
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


def _wrap180(x: _FloatArray) -> _FloatArray:
    return (x + 180.0) % 360.0 - 180.0


def _densify(
    curve: Callable[[_FloatArray], tuple[_FloatArray, _FloatArray]],
    t0: float,
    t1: float,
    tolerance_m: float,
    *,
    initial: int = 16,
    relative_to_m: float = 0.0,
) -> tuple[_FloatArray, _FloatArray, _FloatArray]:
    """Sample a parametric curve so that each edge stays near the curve, however it is read.

    An edge between ``curve(ta)`` and ``curve(tb)`` is split while any of its planar
    (straight lon/lat) points at 1/4, 1/2 and 3/4, or its geodesic midpoint, lies more
    than ``tolerance_m`` (geodesic) from the curve point at the same fraction of the
    parameter: a conservative test, since the distance to the curve is at most the
    distance to that point. GIS software draws edges straight in lon/lat, GeographicLib
    measures them as geodesics: both readings are then within the tolerance.
    """
    if t1 < t0:
        raise ValueError("_densify needs t0 <= t1")  # internal contract
    if not (np.isfinite(tolerance_m) and tolerance_m > 0):
        raise InvalidDistanceError(f"tolerance_m must be a positive number of metres, got {tolerance_m!r}")
    t = np.linspace(t0, t1, initial + 1)
    # An absolute tolerance alone would leave a 1 m disc as a 16-gon; keep small shapes
    # within 0.01 % of their own size too.
    tolerance_m = min(tolerance_m, max(relative_to_m, 1e-3) * 1e-4) if relative_to_m else tolerance_m
    lon, lat = curve(t)
    fractions = np.array([0.25, 0.5, 0.75])
    for _ in range(40):
        dlon = _wrap180(np.diff(lon))
        # Segment i goes from vertex i to i+1 in unwrapped longitude.
        f = fractions[:, None]
        plon = lon[:-1] + f * dlon
        plat = lat[:-1] + f * np.diff(lat)
        tt = t[:-1] + f * np.diff(t)
        clon, clat = curve(tt.ravel())
        _, _, err = GEOD.inv(_wrap180(plon.ravel()), plat.ravel(), clon, clat)
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


_WORLD = shapely.box(-180.0, -90.0, 180.0, 90.0)


def _fold(poly: BaseGeometry) -> BaseGeometry:
    """Cut a polygon drawn in unwrapped longitude into 360 deg windows, shifted into [-180, 180]."""
    minx, _, maxx, _ = poly.bounds
    pieces = []
    for k in range(int(np.floor((minx + 180.0) / 360.0)), int(np.floor((maxx + 180.0) / 360.0)) + 1):
        window = shapely.box(k * 360.0 - 180.0, -90.0, k * 360.0 + 180.0, 90.0)
        piece = poly.intersection(window)
        if not piece.is_empty:
            pieces.append(shapely.affinity.translate(piece, xoff=-k * 360.0))
    return shapely.union_all(pieces)


def _ring_to_geometry(lon: _FloatArray, lat: _FloatArray) -> BaseGeometry:
    """Turn a closed ring with its interior on the LEFT (counter-clockwise on the globe).

    The ring is unwrapped in longitude. A net turn of +/-360 deg means it winds round a
    pole: the interior holds the North Pole when the ring runs east (+360) and the South
    Pole when it runs west; it is closed along that pole. With no net turn, a ring whose
    unwrapped outline is clockwise has its interior outside that outline (a disc larger
    than the rest of the globe, e.g. one that holds both poles).
    """
    if lon[0] != lon[-1] or lat[0] != lat[-1]:
        lon = np.append(lon, lon[0])
        lat = np.append(lat, lat[0])
    turn = float(np.sum(_wrap180(np.diff(lon))))
    winding = int(np.round(turn / 360.0))
    if winding not in (-1, 0, 1):
        raise InvalidCoordinateError(f"ring winds {winding} times round a pole; it is not simple")
    if winding:
        # Start at the vertex nearest the enclosed pole, so the closing meridians
        # (from that vertex to the pole) cross no other edge.
        start = int(np.argmax(lat[:-1] * winding))
        lon = np.concatenate([lon[start:-1], lon[: start + 1]])
        lat = np.concatenate([lat[start:-1], lat[: start + 1]])
    ulon = lon[0] + np.concatenate([[0.0], np.cumsum(_wrap180(np.diff(lon)))])
    if winding:
        pole = 90.0 * winding
        ulon = np.concatenate([ulon, [ulon[-1], ulon[0]]])
        lat = np.concatenate([lat, [pole, pole]])
    outline = shapely.make_valid(Polygon(np.column_stack([ulon, lat])))
    signed = _signed_area(ulon, lat)
    folded = _fold(outline)
    if winding == 0 and signed < 0:
        return _WORLD.difference(folded)
    return folded


def _signed_area(x: _FloatArray, y: _FloatArray) -> float:
    return float(0.5 * np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]) + 0.5 * (x[-1] * y[0] - x[0] * y[-1]))


def _finish(geom: BaseGeometry) -> BaseGeometry:
    """Valid, oriented per the right-hand rule, a Polygon or MultiPolygon with no slivers."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    polys = [g for g in shapely.get_parts(geom) if isinstance(g, Polygon) and g.area > 0]
    if not polys:
        raise InvalidDistanceError("the shape is empty at this size; use a larger radius or tolerance")
    out: BaseGeometry = polys[0] if len(polys) == 1 else MultiPolygon(polys)
    return shapely.orient_polygons(out)


# --------------------------------------------------------------------------- shapes


def _check_center(lon: float, lat: float) -> tuple[float, float]:
    lon_a, lat_a = _check_lonlat(lon, lat, what="centre")
    if lon_a.ndim and lon_a.size != 1:
        raise InvalidCoordinateError(
            f"a shape takes one centre, got {lon_a.size}; build one shape per centre"
        )
    return float(lon_a.ravel()[0]), float(lat_a.ravel()[0])


def _check_radius(lon: float, lat: float, radius_m: float, name: str = "radius_m") -> float:
    r = float(_check_distance(radius_m, name=name, allow_zero=False))
    limit = antipodal_distance_m(lon, lat)
    if r >= limit:
        raise InvalidDistanceError(
            f"{name}={r:.0f} reaches beyond the antipode of ({lon:g}, {lat:g}), "
            f"which is {limit:.0f} m away; give a radius below that"
        )
    return r


def _circle_curve(
    lon: float, lat: float, radius: Callable[[_FloatArray], _FloatArray]
) -> Callable[[_FloatArray], tuple[_FloatArray, _FloatArray]]:
    def curve(az: _FloatArray) -> tuple[_FloatArray, _FloatArray]:
        az = np.asarray(az, dtype=float)
        x, y, _ = GEOD.fwd(np.full(az.shape, lon), np.full(az.shape, lat), az, radius(az))
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    return curve


def _verify_on_circle(
    lon: float, lat: float, vlon: _FloatArray, vlat: _FloatArray, radius_m: _FloatArray
) -> None:
    """Near the antipode fwd can pass the cut locus; then a vertex is nearer than asked."""
    _, _, d = GEOD.inv(np.full(vlon.shape, lon), np.full(vlon.shape, lat), vlon, vlat)
    worst = float(np.max(np.abs(np.asarray(d) - radius_m)))
    if worst > 1e-3:
        raise InvalidDistanceError(
            f"a radius of {float(np.max(radius_m)):.0f} m from ({lon:g}, {lat:g}) passes the cut locus "
            f"near the antipode (a vertex came out {worst:.0f} m nearer); give a smaller radius"
        )


def _disc_ring(
    lon: float, lat: float, radius_m: float, tolerance_m: float
) -> tuple[_FloatArray, _FloatArray]:
    """Closed counter-clockwise vertex ring of a geodesic circle (interior on the left)."""
    curve = _circle_curve(lon, lat, lambda az: np.full(np.shape(az), radius_m))
    _, vlon, vlat = _densify(curve, 0.0, 360.0, tolerance_m, relative_to_m=radius_m)
    _verify_on_circle(lon, lat, vlon, vlat, np.full(vlon.shape, radius_m))
    vlon[-1], vlat[-1] = vlon[0], vlat[0]
    return vlon[::-1].copy(), vlat[::-1].copy()


def ring_vertices(
    lon: float, lat: float, radius_m: float, *, tolerance_m: float = DEFAULT_TOLERANCE_M
) -> tuple[_FloatArray, _FloatArray]:
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
    >>> round(geodesic_area_m2(disc) / 1e12, 3)  # million km2
    3.135
    """
    clon, clat = _check_center(lon, lat)
    r = _check_radius(clon, clat, radius_m)
    vlon, vlat = _disc_ring(clon, clat, r, tolerance_m)
    return _finish(_ring_to_geometry(vlon, vlat))


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
    inner = float(_check_distance(inner_m, name="inner_m"))
    outer = _check_radius(clon, clat, outer_m, name="outer_m")
    if inner >= outer:
        raise InvalidIntervalError(
            f"inner_m={inner:g} must be smaller than outer_m={outer:g}; swap them or drop inner_m"
        )
    disc = _ring_to_geometry(*_disc_ring(clon, clat, outer, tolerance_m))
    if inner == 0:
        return _finish(disc)
    hole = _ring_to_geometry(*_disc_ring(clon, clat, inner, tolerance_m))
    return _finish(disc.difference(hole))


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
    inner = float(_check_distance(inner_m, name="inner_m"))
    if inner >= outer:
        raise InvalidIntervalError(
            f"inner_m={inner:g} must be smaller than radius_m={outer:g}; swap them or drop inner_m"
        )
    if interval.full:
        return annulus(clon, clat, inner, outer, tolerance_m=tolerance_m)
    a0, a1 = interval.start_deg, interval.start_deg + interval.width_deg
    arc = _circle_curve(clon, clat, lambda az: np.full(np.shape(az), outer))
    _, olon, olat = _densify(arc, a0, a1, tolerance_m, relative_to_m=outer)
    _verify_on_circle(clon, clat, olon, olat, np.full(olon.shape, outer))
    parts_lon = [olon]
    parts_lat = [olat]
    if inner > 0:
        inner_arc = _circle_curve(clon, clat, lambda az: np.full(np.shape(az), inner))
        _, ilon, ilat = _densify(inner_arc, a0, a1, tolerance_m, relative_to_m=inner)
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
    return _finish(_ring_to_geometry(vlon[::-1].copy(), vlat[::-1].copy()))


def _radial(
    lon: float, lat: float, az: float, d0: float, d1: float, tolerance_m: float
) -> tuple[_FloatArray, _FloatArray]:
    """Densified geodesic from distance d0 to d1 along azimuth az from the centre."""

    def curve(s: _FloatArray) -> tuple[_FloatArray, _FloatArray]:
        s = np.asarray(s, dtype=float)
        x, y, _ = GEOD.fwd(np.full(s.shape, lon), np.full(s.shape, lat), np.full(s.shape, az), s)
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    _, x, y = _densify(curve, min(d0, d1), max(d0, d1), tolerance_m, initial=4)
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
    b = float(_check_distance(semi_minor_m, name="semi_minor_m", allow_zero=False))
    if b > a:
        raise InvalidIntervalError(
            f"semi_minor_m={b:g} exceeds semi_major_m={a:g}; swap them and turn orientation_deg by 90"
        )
    orient = float(orientation_deg)

    def radius(az: _FloatArray) -> _FloatArray:
        phi = np.radians(np.asarray(az) - orient)
        return np.asarray(a * b / np.hypot(b * np.cos(phi), a * np.sin(phi)), dtype=float)

    curve = _circle_curve(clon, clat, radius)
    t, vlon, vlat = _densify(curve, 0.0, 360.0, tolerance_m, relative_to_m=b)
    _verify_on_circle(clon, clat, vlon, vlat, radius(t))
    vlon[-1], vlat[-1] = vlon[0], vlat[0]
    return _finish(_ring_to_geometry(vlon[::-1].copy(), vlat[::-1].copy()))


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
    lon_a, lat_a = _check_lonlat(lons, lats)
    lon_a, lat_a = np.atleast_1d(lon_a).astype(float), np.atleast_1d(lat_a).astype(float)
    if lon_a.size < 2:
        raise InvalidCoordinateError(f"a track needs at least two vertices, got {lon_a.size}")
    out_lon: list[_FloatArray] = [lon_a[:1]]
    out_lat: list[_FloatArray] = [lat_a[:1]]
    for i in range(lon_a.size - 1):  # one iteration per leg, not per point
        az, _, dist = GEOD.inv(lon_a[i], lat_a[i], lon_a[i + 1], lat_a[i + 1])
        if dist == 0:
            continue
        x, y = _radial(float(lon_a[i]), float(lat_a[i]), float(az), 0.0, float(dist), tolerance_m)
        x[-1], y[-1] = lon_a[i + 1], lat_a[i + 1]
        out_lon.append(x[1:])
        out_lat.append(y[1:])
    return _split_line(np.concatenate(out_lon), np.concatenate(out_lat))


def _split_line(lon: _FloatArray, lat: _FloatArray) -> BaseGeometry:
    """Cut a densified line where it crosses +/-180 deg (or passes over a pole)."""
    pieces: list[list[tuple[float, float]]] = [[(float(lon[0]), float(lat[0]))]]
    dlon = _wrap180(np.diff(lon))
    over_pole = np.abs(dlon) > 90.0  # only possible next to a pole once densified
    cur = pieces[0]
    # A loop over the (few) cut points would be enough; this walks vertices but only for
    # output assembly of one track, never over analysed points.
    for i in range(lon.size - 1):
        x0, y0, x1, y1 = float(lon[i]), float(lat[i]), float(lon[i + 1]), float(lat[i + 1])
        if over_pole[i]:
            pole = 90.0 if (y0 + y1) > 0 else -90.0
            cur.append((x0, pole))
            cur = [(x1, pole)]
            pieces.append(cur)
        elif abs(x1 - x0) > 180.0:
            xe = 180.0 if x0 > 0 else -180.0
            x1u = x0 + float(dlon[i])
            f = (xe - x0) / (x1u - x0)
            yc = y0 + f * (y1 - y0)
            cur.append((xe, yc))
            cur = [(-xe, yc)]
            pieces.append(cur)
        cur.append((x1, y1))
    lines = [LineString(p) for p in pieces if len(p) >= 2 and LineString(p).length > 0]
    return lines[0] if len(lines) == 1 else MultiLineString(lines)


# --------------------------------------------------------------------------- area


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


def _ring_area(coords: _FloatArray) -> float:
    """Unsigned area enclosed by a ring (interior on its planar inside), square metres.

    GeographicLib reports areas wrapped into +/- half the Earth, so a ring enclosing more
    than a hemisphere comes back as its complement; the branch is chosen by a cheap
    equal-area estimate (cylindrical, on the sphere), which is far closer than half the
    Earth to the truth.
    """
    area, _ = GEOD.polygon_area_perimeter(coords[:, 0], coords[:, 1])
    x = np.radians(coords[:, 0])
    y = np.sin(np.radians(coords[:, 1]))
    estimate = abs(_signed_area(x, y)) * EARTH_AREA_M2 / (4 * np.pi)
    candidates = np.array([abs(float(area)), EARTH_AREA_M2 - abs(float(area))])
    return float(candidates[np.argmin(np.abs(candidates - estimate))])
