"""Conformal sphere: the sphere on which the Voronoi diagram of coast points is computed.

Mapping geodetic latitude to conformal latitude keeps small shapes (angles and distance
ratios) of the WGS84 ellipsoid, so a perpendicular bisector on this sphere is the
ellipsoidal equidistance line to within metres over the distances that matter (< 400 km).
Using geodetic latitude directly as a spherical latitude would bend median lines by
up to ~1 km where the two coasts lie in different directions.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["from_unit_vectors", "to_unit_vectors"]

_F = 1 / 298.257223563
_E = np.sqrt(_F * (2 - _F))

Array = NDArray[np.float64]


def conformal_lat(lat_deg: Array) -> Array:
    """Conformal latitude (radians) of geodetic latitude ``lat_deg`` (degrees)."""
    phi = np.radians(lat_deg)
    es = _E * np.sin(phi)
    chi: Array = 2 * np.arctan(np.tan(np.pi / 4 + phi / 2) * ((1 - es) / (1 + es)) ** (_E / 2))
    return chi - np.pi / 2


def geodetic_lat(chi: Array) -> Array:
    """Geodetic latitude (degrees) of conformal latitude ``chi`` (radians); fixed-point iteration."""
    phi = np.array(chi, dtype=float, copy=True)
    t = np.tan(np.pi / 4 + chi / 2)
    for _ in range(8):
        es = _E * np.sin(phi)
        phi = 2 * np.arctan(t * ((1 + es) / (1 - es)) ** (_E / 2)) - np.pi / 2
    out: Array = np.degrees(phi)
    return out


def to_unit_vectors(lon_deg: Array, lat_deg: Array) -> Array:
    """(n, 3) unit vectors on the conformal sphere for geodetic (lon, lat) in degrees."""
    lam = np.radians(lon_deg)
    chi = conformal_lat(np.asarray(lat_deg, dtype=float))
    c = np.cos(chi)
    return np.column_stack([c * np.cos(lam), c * np.sin(lam), np.sin(chi)])


def from_unit_vectors(xyz: Array, *, lon_west: float) -> tuple[Array, Array]:
    """Geodetic (lon, lat) in degrees of unit vectors, lon in [lon_west, lon_west + 360)."""
    xyz = xyz / np.linalg.norm(xyz, axis=1)[:, None]
    lon = np.degrees(np.arctan2(xyz[:, 1], xyz[:, 0]))
    lon = (lon - lon_west) % 360.0 + lon_west
    lat = geodetic_lat(np.arcsin(np.clip(xyz[:, 2], -1.0, 1.0)))
    return lon, lat
