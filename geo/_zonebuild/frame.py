"""Frames the build computes in: lon/lat with a seam far away, or a rotated frame for the polar caps.

A Voronoi cell or a cut disc is a polygon in *frame* coordinates (x, y) in degrees:

- the **lon/lat frame** (``Frame(lon_west)``) is geodetic (lon, lat) with longitudes kept in
  ``[lon_west, lon_west + 360)``, so a tile across 180 deg is one continuous plane; frame
  coordinates are real coordinates (lon may exceed 180);
- a **polar frame** (``Frame.polar("north")``) rotates the conformal sphere so that the pole lies on
  the frame's equator at (0, 0): a polar cap is then a patch round the origin with no seam and no
  pole in it. Frame coordinates are spherical (lon, lat) of the rotated conformal unit vector.

Geodesy (``pyproj.Geod``) always runs on real (lon, lat); only topology (shapely) runs in the frame.

Examples
--------
>>> import numpy as np
>>> f = Frame.polar("north")
>>> x, y = f.from_real(np.array([0.0, 120.0]), np.array([90.0, 80.0]))
>>> bool(abs(x[0]) < 1e-9 and abs(y[0]) < 1e-9)
True
>>> lon, lat = f.to_real(x, y)
>>> [round(float(v), 9) for v in lat]
[90.0, 80.0]
>>> round(float(lon[1]), 9)
120.0
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from geo._zonebuild import sphere

__all__ = ["Frame", "polygons_to_real"]

Array = np.ndarray

# rotations taking the north (south) pole to the frame's (1, 0, 0)
_ROT = {
    "north": np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [-1.0, 0.0, 0.0]]),
    "south": np.array([[0.0, 0.0, -1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]),
}


@dataclass(frozen=True)
class Frame:
    """Where the build's planar topology runs (see the module docstring)."""

    lon_west: float = -180.0
    pole: str | None = None
    _rot: Array | None = field(default=None, compare=False, repr=False)

    @classmethod
    def polar(cls, pole: str) -> Frame:
        if pole not in _ROT:
            raise ValueError(f"pole must be 'north' or 'south', got {pole!r}")
        return cls(-180.0, pole, _ROT[pole])

    @property
    def is_lonlat(self) -> bool:
        return self.pole is None

    def from_vectors(self, xyz: Array) -> tuple[Array, Array]:
        """Frame (x, y) of unit vectors on the conformal sphere."""
        if self._rot is None:
            return sphere.from_unit_vectors(xyz, lon_west=self.lon_west)
        v = xyz @ self._rot.T
        v = v / np.linalg.norm(v, axis=1)[:, None]
        x = np.degrees(np.arctan2(v[:, 1], v[:, 0]))
        y = np.degrees(np.arcsin(np.clip(v[:, 2], -1.0, 1.0)))
        return x, y

    def from_real(self, lon: Array, lat: Array) -> tuple[Array, Array]:
        """Frame (x, y) of real (lon, lat); the lon/lat frame returns them unchanged."""
        if self._rot is None:
            return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        return self.from_vectors(sphere.to_unit_vectors(np.asarray(lon, float), np.asarray(lat, float)))

    def to_real(self, x: Array, y: Array) -> tuple[Array, Array]:
        """Real (lon, lat) of frame (x, y): lon in [-180, 180) for a polar frame."""
        if self._rot is None:
            return np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        lam, phi = np.radians(np.asarray(x, float)), np.radians(np.asarray(y, float))
        c = np.cos(phi)
        v = np.column_stack([c * np.cos(lam), c * np.sin(lam), np.sin(phi)]) @ self._rot
        lon = np.degrees(np.arctan2(v[:, 1], v[:, 0]))
        lat = sphere.geodetic_lat(np.arcsin(np.clip(v[:, 2], -1.0, 1.0)))
        return lon, lat


def polygons_to_real(geoms: Array, frame: Frame) -> tuple[Array, Array]:
    """Polygons in a polar frame as real lon/lat polygons, with the index of the input each came from.

    Every ring is unwrapped along its vertices so longitudes stay continuous (a piece round
    Svalbard may run from 170 to 190); callers split at 180 afterwards. A ring that winds
    round the pole would have no lon/lat polygon: the build never makes one (every piece lies
    within 200 nm of a coast, and no coast lies within 400 nm of either pole), and one raises.
    """
    parts, src = shapely.get_parts(geoms, return_index=True)
    keep = (shapely.get_type_id(parts) == 3) & ~shapely.is_empty(parts)
    parts, src = parts[keep], src[keep]
    if len(parts) == 0:
        return np.empty(0, dtype=object), np.empty(0, dtype=np.int64)
    _, coords, (ring_off, geom_off) = shapely.to_ragged_array(parts)
    lon, lat = frame.to_real(coords[:, 0], coords[:, 1])
    ring_len = np.diff(ring_off)
    first = ring_off[:-1]
    d = np.diff(lon, prepend=lon[0])
    d = (d + 180.0) % 360.0 - 180.0
    d[first] = 0.0
    cum = np.cumsum(d)
    cum -= np.repeat(cum[first], ring_len)
    # each ring starts within 180 deg of its polygon's exterior start
    poly_of_ring = np.repeat(np.arange(len(geom_off) - 1), np.diff(geom_off))
    ext_start = lon[first[geom_off[:-1]]]
    start = lon[first]
    start = ext_start[poly_of_ring] + (start - ext_start[poly_of_ring] + 180.0) % 360.0 - 180.0
    ulon = np.repeat(start, ring_len) + cum
    last = ring_off[1:] - 1
    wind = np.abs(ulon[last] - ulon[first])
    if (wind > 1e-6).any():
        raise ValueError(f"{int((wind > 1e-6).sum())} rings wind round the pole in {frame}")
    out = shapely.from_ragged_array(
        shapely.GeometryType.POLYGON, np.column_stack([ulon, lat]), (ring_off, geom_off)
    )
    bad = ~shapely.is_valid(out)
    if bad.any():
        out[bad] = shapely.make_valid(out[bad], method="structure", keep_collapsed=False)
    return out, src
