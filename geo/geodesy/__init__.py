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

from geo.geodesy.core import (
    DEFAULT_TOLERANCE_M,
    EARTH_AREA_M2,
    GEOD,
    AzimuthInterval,
    antipodal_distance_m,
    check_lonlat,
    direct,
    geodesic_area_m2,
    inverse,
    normalize_lon,
    parse_azimuth_interval,
)
from geo.geodesy.outlines import annulus, ellipse, geodesic_line, ring, ring_vertices, sector, track

__all__ = [
    "DEFAULT_TOLERANCE_M",
    "EARTH_AREA_M2",
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

_check_lonlat = check_lonlat  # the name tests/test_fuzz_parsers.py reaches for
