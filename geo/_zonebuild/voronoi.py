"""Voronoi cells of coast points on the conformal sphere, as lon/lat polygons."""

from __future__ import annotations

import numpy as np
import shapely

from geo._zonebuild import sphere
from geo._zonebuild.frame import Frame

__all__ = ["Cells", "voronoi_cells"]

# Cell edges between two owner-boundary vertices longer than this chord (radians, ~5 km)
# get intermediate great-circle points, so median lines follow the sphere, not lon/lat lines.
_DENSIFY_RAD = 5.0 / 6371.0
_LONG_EDGE_RAD = 20.0 / 6371.0


class Cells:
    """Voronoi cells of generators ``lon``/``lat``: flat vertex arrays with per-cell offsets."""

    def __init__(self, vlon: np.ndarray, vlat: np.ndarray, offsets: np.ndarray) -> None:
        self.vlon = vlon
        self.vlat = vlat
        self.offsets = offsets  # cell k owns vertices offsets[k]:offsets[k+1] (ring not closed)

    @property
    def cell_of_vertex(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.offsets) - 1), np.diff(self.offsets))

    def polygons(self, which: np.ndarray | None = None) -> np.ndarray:
        """Shapely polygons of the cells (all, or the boolean/int selection ``which``)."""
        counts = np.diff(self.offsets)
        cells = np.arange(len(counts)) if which is None else np.arange(len(counts))[which]
        return ring_polygons(self.vlon, self.vlat, self.offsets, cells)


def ring_polygons(x: np.ndarray, y: np.ndarray, offsets: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """Polygons from open rings stored flat (vertices offsets[k]:offsets[k+1]) for ``cells``."""
    counts = np.diff(offsets)[cells]
    starts = offsets[:-1][cells]
    # index of every vertex of the selected rings, plus the first vertex again to close
    closed = counts + 1
    pos = np.arange(closed.sum()) - np.repeat(np.cumsum(closed) - closed, closed)
    idx = np.repeat(starts, closed) + pos % np.repeat(counts, closed)
    coords = np.column_stack([x[idx], y[idx]])
    ring_off = np.r_[0, np.cumsum(closed)]
    geom_off = np.arange(len(cells) + 1)
    polys = shapely.from_ragged_array(shapely.GeometryType.POLYGON, coords, (ring_off, geom_off))
    # a few slivers (near-coincident vertices, long high-latitude edges) self-intersect
    bad = ~shapely.is_valid(polys)
    if bad.any():
        polys[bad] = shapely.make_valid(polys[bad], method="structure", keep_collapsed=False)
    out: np.ndarray = polys
    return out


def voronoi_cells(
    lon: np.ndarray,
    lat: np.ndarray,
    owner: np.ndarray,
    *,
    coast_box: tuple[float, float, float, float],
    lon_west: float,
    frame: Frame | None = None,
) -> Cells:
    """Voronoi cells of coast points, bounded by sentinel points >= ~890 km outside ``coast_box``.

    Sentinels keep every real cell bounded and away from the frame's seam at ``lon_west``;
    their own cells are discarded. Edges between two vertices that lie on an owner
    boundary are densified along great circles (``_DENSIFY_RAD``).

    With a polar ``frame``, ``coast_box`` is in frame coordinates and the cells come out in
    them too (see :mod:`geo._zonebuild.frame`); by default the frame is lon/lat from ``lon_west``.
    """
    from geo._zonebuild.land import scipy_spatial

    SphericalVoronoi = scipy_spatial().SphericalVoronoi  # noqa: N806
    frame = frame or Frame(lon_west)
    n = len(lon)
    sent_lon, sent_lat = frame.to_real(*_sentinels(coast_box))
    xyz = sphere.to_unit_vectors(np.r_[lon, sent_lon], np.r_[lat, sent_lat])
    sv = SphericalVoronoi(xyz, radius=1.0, center=np.zeros(3))
    sv.sort_vertices_of_regions()
    own_all = np.r_[owner, np.full(len(sent_lon), -1)]
    tri_owner = own_all[sv._simplices]  # vertex k of the diagram is the circumcentre of simplex k
    mixed = ~((tri_owner[:, 0] == tri_owner[:, 1]) & (tri_owner[:, 1] == tri_owner[:, 2]))
    regions = sv.regions[:n]
    counts = np.fromiter(map(len, regions), dtype=np.int64, count=n)
    flat = np.fromiter((v for r in regions for v in r), dtype=np.int64, count=int(counts.sum()))
    del regions
    offsets = np.r_[0, np.cumsum(counts)]
    vx = sv.vertices
    # next vertex in the same ring
    pos = np.arange(len(flat)) - np.repeat(offsets[:-1], counts)
    nxt = np.repeat(offsets[:-1], counts) + (pos + 1) % np.repeat(counts, counts)
    a, b = vx[flat], vx[flat[nxt]]
    chord = np.linalg.norm(b - a, axis=1)
    # owner-boundary edges become median lines; other long edges meet the disc arcs, where a
    # straight lon/lat chord would put the two neighbours' arc ends apart (notches of ~1 km)
    long_edge = chord > _LONG_EDGE_RAD
    extra = np.where((mixed[flat] & mixed[flat[nxt]]) | long_edge, np.ceil(chord / _DENSIFY_RAD) - 1, 0)
    extra = np.maximum(extra, 0).astype(np.int64)
    per_edge = extra + 1
    t_rep = np.repeat(np.arange(len(flat)), per_edge)
    k = np.arange(per_edge.sum()) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
    t = k / per_edge[t_rep]
    pts = a[t_rep] + (b[t_rep] - a[t_rep]) * t[:, None]
    vlon, vlat = frame.from_vectors(pts)
    cell_counts = np.bincount(np.repeat(np.arange(n), counts), weights=per_edge, minlength=n)
    new_offsets = np.r_[0, np.cumsum(cell_counts.astype(np.int64))]
    return Cells(vlon, vlat, new_offsets)


def _sentinels(coast_box: tuple[float, float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    """Fibonacci-lattice points (~1.1 deg apart) outside ``coast_box`` grown by ~890 km."""
    m = 40_000
    i = np.arange(m) + 0.5
    lat = np.degrees(np.arcsin(1 - 2 * i / m))
    lon = (np.degrees(np.pi * (1 + 5**0.5) * i) + 180.0) % 360.0 - 180.0
    x0, y0, x1, y1 = coast_box
    pad_lat = 8.0
    top = min(max(abs(y0), abs(y1)) + pad_lat, 89.0)
    pad_lon = min(pad_lat / np.cos(np.radians(top)), 180.0)
    rel = (lon - (x0 - pad_lon)) % 360.0
    near = (rel <= (x1 - x0) + 2 * pad_lon) & (lat >= y0 - pad_lat) & (lat <= y1 + pad_lat)
    return lon[~near], lat[~near]
