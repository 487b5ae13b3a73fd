"""Shared by the distance searches (:mod:`geo._distance`, :mod:`geo._distance_kdtree`): ECEF and chord -> geodesic bounds.

A geodesic of length ``g`` has a chord between those of the arcs of length ``g`` on spheres
of radius ``R_MIN = b**2 / a`` and ``R_MAX = a**2 / b`` (the extremes of the ellipsoid's
normal curvature; checked on 2 M random geodesics of 1 m to 9,000 km: both hold to 5e-9 m).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from geo._distance_kernel import morton
from geo.geodesy import GEOD

__all__ = [
    "HALF_EQUATOR",
    "R_MAX",
    "R_MIN",
    "SLACK_M",
    "by_space",
    "ecef",
    "geodesic_above",
    "geodesic_below",
    "group_starts",
]

R_MIN = GEOD.b**2 / GEOD.a  # smallest radius of curvature on WGS84 (metres)
R_MAX = GEOD.a**2 / GEOD.b  # largest
HALF_EQUATOR = np.pi * GEOD.a  # longer than any shortest geodesic
SLACK_M = 1e-4  # added to every chord -> geodesic bound (measured error: 5e-9 m)

_F = NDArray[np.float64]
_I = NDArray[np.int64]


def ecef(lon: _F, lat: _F) -> _F:
    """Geocentric coordinates on the WGS84 ellipsoid surface, metres."""
    lam, phi = np.radians(lon), np.radians(lat)
    n = GEOD.a / np.sqrt(1.0 - GEOD.es * np.sin(phi) ** 2)
    return np.column_stack(
        [n * np.cos(phi) * np.cos(lam), n * np.cos(phi) * np.sin(lam), n * (1.0 - GEOD.es) * np.sin(phi)]
    )


def geodesic_below(chord: _F) -> _F:
    """A lower bound on the geodesic distance between two surface points ``chord`` apart."""
    c = np.clip(chord, 0.0, 2.0 * R_MAX)
    return np.asarray(2.0 * R_MAX * np.arcsin(c / (2.0 * R_MAX)) * (1.0 - 1e-8) - SLACK_M)


def geodesic_above(chord: _F) -> _F:
    """An upper bound on the geodesic distance between two surface points ``chord`` apart."""
    ratio = np.maximum(chord, 0.0) / (2.0 * R_MIN)
    # Beyond 10,000 km (never near the layers' edges) fall back to the longest geodesic.
    near = chord < 1e7
    arc = 2.0 * R_MIN * np.arcsin(np.where(near, ratio, 0.0)) * (1.0 + 1e-8) + SLACK_M
    return np.where(near, arc, HALF_EQUATOR)


def group_starts(keys: _I) -> NDArray[np.bool_]:
    """True at the first row of each run of equal (sorted) keys: sort-and-mask, no np.unique."""
    first = np.ones(keys.size, dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return first


def by_space(x: _F, y: _F) -> _I:
    """The indices of the points with finite coordinates, in Morton order of their ECEF position.

    Neighbours in space are neighbours in the queries: the KD-tree walks of a slice touch
    the same nodes, which stay in the CPU's caches (the coast at 1e4 points: see benchmarks/README.md).
    """
    ok = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    return ok[np.argsort(morton(ecef(x[ok], y[ok])), kind="stable")]
