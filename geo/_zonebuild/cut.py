"""Cut each Voronoi cell by the geodesic disc of its generator: the exact limit at r metres.

Inside a cell the generator is the nearest coast point, so cell ∩ disc(generator, r) is
exactly the part of the cell within r of the coast. The disc polygon has fine vertices
(geodesic, pyproj) only over the azimuths where the cell reaches beyond r; elsewhere a
coarse polygon *outside* the circle closes it, which cannot cut anything off because the
cell lies within r there (a Voronoi cell is convex and contains its generator).
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import Geod

from geo._zonebuild.frame import Frame
from geo._zonebuild.voronoi import Cells, ring_polygons

__all__ = ["VertexGeometry", "cut_cells"]

_GEOD = Geod(ellps="WGS84")
_COARSE_STEP_DEG = 45.0
_COARSE_FACTOR = 1.25


class VertexGeometry:
    """Geodesic azimuth and distance from each cell's generator to each of its vertices."""

    def __init__(self, cells: Cells, lon: np.ndarray, lat: np.ndarray, frame: Frame | None = None) -> None:
        c = cells.cell_of_vertex
        vlon, vlat = (cells.vlon, cells.vlat) if frame is None else frame.to_real(cells.vlon, cells.vlat)
        az, _, dist = _GEOD.inv(lon[c], lat[c], vlon, vlat)
        self.cell = c
        self.az = np.mod(az, 360.0)
        self.dist = dist
        self.maxd = np.maximum.reduceat(dist, cells.offsets[:-1])


def _arc_step_deg(radius_m: float) -> float:
    """Azimuth step giving a chord sagitta of ~3 m: r (1 - cos(step / 2)) = 3 m."""
    return float(np.clip(np.degrees(2 * np.arccos(1 - 3.0 / radius_m)), 0.2, 5.0))


def cut_cells(
    cells: Cells,
    lon: np.ndarray,
    lat: np.ndarray,
    vg: VertexGeometry,
    radius_m: float,
    frame: Frame | None = None,
) -> np.ndarray:
    """Per cell, the part within ``radius_m`` of its generator (shapely polygons, in ``frame``).

    ``lon``/``lat`` are the generators' real coordinates; ``cells`` are in ``frame``
    (default: the lon/lat frame the cells were made in).
    """
    n = len(cells.offsets) - 1
    out = np.empty(n, dtype=object)
    inside = vg.maxd <= radius_m
    out[inside] = cells.polygons(inside)
    cross = np.flatnonzero(~inside)
    if len(cross) == 0:
        return out
    start, end = _beyond_interval(cells, vg, radius_m, cross)
    discs = _disc_polygons(lon[cross], lat[cross], start, end, radius_m, frame)
    polys = cells.polygons(cross)
    out[cross] = shapely.intersection(polys, discs)
    return out


def _beyond_interval(
    cells: Cells, vg: VertexGeometry, radius_m: float, cross: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Smallest azimuth interval [start, end] (deg, end >= start) holding the cell beyond r."""
    off = cells.offsets
    counts = np.diff(off)
    beyond = vg.dist > radius_m
    pos = np.arange(len(vg.dist)) - np.repeat(off[:-1], counts)
    base = np.repeat(off[:-1], counts)
    cnt = np.repeat(counts, counts)
    nxt = base + (pos + 1) % cnt
    prv = base + (pos - 1) % cnt
    rel = beyond | beyond[nxt] | beyond[prv]
    in_cross = np.zeros(len(counts), bool)
    in_cross[cross] = True
    rel &= in_cross[vg.cell]
    c = vg.cell[rel]
    a = vg.az[rel]
    order = np.lexsort((a, c))
    c, a = c[order], a[order]
    first = np.r_[True, c[1:] != c[:-1]]
    grp_start = np.flatnonzero(first)
    grp_id = np.cumsum(first) - 1
    nxt_a = np.r_[a[1:], 0.0]
    last = np.r_[c[1:] != c[:-1], True]
    nxt_a[last] = a[grp_start[grp_id[last]]] + 360.0
    gap = nxt_a - a
    # per group, the largest gap: sort by (group, gap) and take the last of each group
    o2 = np.lexsort((gap, grp_id))
    last2 = np.r_[grp_id[o2][1:] != grp_id[o2][:-1], True]
    k = o2[last2]  # index (in sorted arrays) of the element before the largest gap, per group
    big = gap[k]
    end = a[k]
    start = nxt_a[k]
    start = np.where(start >= 360.0, start - 360.0, start)
    end = np.where(end < start, end + 360.0, end)
    # a largest gap under 180 deg could hide an edge's sweep: use the whole circle then
    full = big < 180.0
    step = _arc_step_deg(radius_m)
    start = np.where(full, 0.0, start - step)
    end = np.where(full, 360.0, end + step)
    # groups are in ascending cell order, which is the order of ``cross``
    return start, end


def _disc_polygons(
    lon: np.ndarray,
    lat: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    radius_m: float,
    frame: Frame | None = None,
) -> np.ndarray:
    step = _arc_step_deg(radius_m)
    span = end - start
    n_fine = np.ceil(span / step).astype(np.int64) + 1
    rest = 360.0 - span
    full = rest <= 1e-9
    n_coarse = np.where(full, 0, np.ceil(rest / _COARSE_STEP_DEG).astype(np.int64) + 1)
    total = n_fine + n_coarse
    owner = np.repeat(np.arange(len(lon)), total)
    k = np.arange(total.sum()) - np.repeat(np.cumsum(total) - total, total)
    nf = n_fine[owner]
    is_fine = k < nf
    kf = np.where(is_fine, k, 0)
    kc = np.where(is_fine, 0, k - nf)
    az_fine = start[owner] + span[owner] * kf / np.maximum(nf - 1, 1)
    nc = np.maximum(n_coarse[owner] - 1, 1)
    az_coarse = end[owner] + rest[owner] * kc / nc
    az = np.where(is_fine, az_fine, az_coarse)
    dist = np.where(is_fine, radius_m, radius_m * _COARSE_FACTOR)
    x, y, _ = _GEOD.fwd(lon[owner], lat[owner], az, dist)
    gx = lon
    if frame is not None and not frame.is_lonlat:
        x, y = frame.from_real(x, y)
        gx = frame.from_real(lon, lat)[0]
    # keep longitudes continuous with the generator's frame (fwd wraps to [-180, 180])
    x = gx[owner] + ((x - gx[owner] + 180.0) % 360.0 - 180.0)
    offsets = np.r_[0, np.cumsum(total)]
    # full circles repeat their first point at 360 deg: harmless, ring_polygons closes again
    return ring_polygons(x, y, offsets, np.arange(len(lon)))
