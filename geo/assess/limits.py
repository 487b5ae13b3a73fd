"""The lines distances are measured to: each country's EEZ limit and the coast, from the zone layers.

The EEZ polygons of a build were cut from its land, so their coastal edges run through the
land layer's own vertices; edges along +/-180 deg, a pole or the layer's box are cuts, not
limits. :func:`limit_lines` (one index a country), :func:`limit_index` (all countries in one index,
measured together) and :func:`coast_lines` turn polygons into the segments
:class:`geo._distance.LineDistance` indexes; :class:`geo.assess.ZoneIndex` caches them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from geo._distance import LineDistance

__all__ = [
    "coast_lines",
    "coast_segments",
    "is_vertex",
    "limit_countries",
    "limit_index",
    "limit_lines",
    "limit_segments",
    "segments",
    "shared_edges",
]

Box = tuple[float, float, float, float]
Segments = tuple[
    NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]
]


def limit_lines(
    polygons: Any, labels: NDArray[np.str_], land_vertices: NDArray[np.float64], *, cut: Box | None = None
) -> dict[str, LineDistance]:
    """Per country, the edges of its EEZ (rows of ``polygons`` labelled ``labels``) that are limits.

    Left out: coast (an edge whose two ends are both land vertices) and cuts at +/-180 deg, the
    poles or the box. (No polygon union: on detailed coasts that takes minutes.) Disputed and
    joint areas (labels with ":") have no single limit. One index a country; :func:`limit_index`
    holds them all in one index, measured together.
    """
    ax, ay, bx, by, row = limit_segments(polygons, land_vertices, cut=cut)
    which, names = limit_countries(row, labels)
    out = {}
    for i, country in enumerate(names):  # a few dozen countries
        m = which == i
        out[country] = LineDistance.from_segments(
            ax[m], ay[m], bx[m], by[m], np.zeros(int(m.sum()), np.int64)
        )
    return out


def limit_index(
    polygons: Any, labels: NDArray[np.str_], land_vertices: NDArray[np.float64], *, cut: Box | None = None
) -> tuple[LineDistance, list[str]] | None:
    """Every country's EEZ limit (as :func:`limit_lines`) in one index, line ``i`` the country ``names[i]``.

    Built with ``per_line=True``: :meth:`LineDistance.nearest_per_line` measures a batch of
    points to each country's limit within a radius in one query. None if no limit is left.
    """
    ax, ay, bx, by, row = limit_segments(polygons, land_vertices, cut=cut)
    which, names = limit_countries(row, labels)
    if not names:
        return None
    m = which >= 0
    return LineDistance.from_segments(ax[m], ay[m], bx[m], by[m], which[m], per_line=True), names


def limit_segments(polygons: Any, land_vertices: NDArray[np.float64], *, cut: Box | None = None) -> Segments:
    """The EEZ edges (ax, ay, bx, by, row) that are limits: not coast, not a cut (see :func:`limit_lines`)."""
    ax, ay, bx, by, row = segments(polygons, cut=cut)
    keep = ~(is_vertex(ax, ay, land_vertices) & is_vertex(bx, by, land_vertices))
    return ax[keep], ay[keep], bx[keep], by[keep], row[keep]


def limit_countries(row: NDArray[np.int64], labels: NDArray[np.str_]) -> tuple[NDArray[np.int64], list[str]]:
    """Per limit edge of EEZ ``row``, its country's index in ``names`` (-1: a disputed or joint area), and ``names``."""
    seg_label = labels[row]
    names = [c for c in np.unique(seg_label).tolist() if ":" not in c]  # no single limit for A:B
    which = np.full(row.size, -1, dtype=np.int64)
    for i, country in enumerate(names):  # a few dozen countries
        which[seg_label == country] = i
    return which, names


def coast_lines(
    polygons: Any, sea_vertices: NDArray[np.float64] | None, *, cut: Box | None = None
) -> LineDistance | None:
    """The land-sea edge of land ``polygons``, as segments named by their row (None if there is none).

    Left out: cuts at +/-180 deg, the poles and the box; edges shared by two land polygons
    (land borders such as PRK-CHN, and a disputed feature's cut from its neighbour), found
    by counting canonical edge keys; and, when the EEZ layer was cut from this land (most
    remaining edges end on EEZ vertices ``sea_vertices``, as in every ``geo boundaries
    build``), edges that do not end on EEZ vertices: borders with land the layer lacks
    (Laos, Mongolia) and shores of enclosed waters.
    """
    ax, ay, bx, by, row = coast_segments(polygons, sea_vertices, cut=cut)
    if not ax.size:
        return None
    return LineDistance.from_segments(ax, ay, bx, by, row)


def coast_segments(
    polygons: Any, sea_vertices: NDArray[np.float64] | None, *, cut: Box | None = None
) -> Segments:
    """The land-sea edges (ax, ay, bx, by, row) of land ``polygons`` (see :func:`coast_lines`); may be empty."""
    ax, ay, bx, by, row = segments(polygons, cut=cut)
    keep = ~shared_edges(ax, ay, bx, by)
    if sea_vertices is not None and keep.any():
        on_sea = is_vertex(ax, ay, sea_vertices) & is_vertex(bx, by, sea_vertices)
        if on_sea[keep].mean() >= 0.5:
            keep &= on_sea
    return ax[keep], ay[keep], bx[keep], by[keep], row[keep]


def is_vertex(
    x: NDArray[np.float64], y: NDArray[np.float64], vertices: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Whether each point (x, y) is exactly one of ``vertices`` (rows of lon, lat).

    One lexicographic sort of both sets, vertices first among equals: a point is a vertex
    when its run of equal coordinates starts with one (faster than sets of complex keys).
    """
    vx, vy = vertices[:, 0], vertices[:, 1]
    ax, ay = np.concatenate([vx, x]), np.concatenate([vy, y])
    query = np.concatenate([np.zeros(vx.size, bool), np.ones(x.size, bool)])
    order = np.lexsort((query, ay, ax))
    sx, sy, sq = ax[order], ay[order], query[order]
    start = np.ones(order.size, dtype=bool)
    start[1:] = (sx[1:] != sx[:-1]) | (sy[1:] != sy[:-1])
    run = np.cumsum(start) - 1
    found = ~sq[start][run]
    out = np.empty(x.size, dtype=bool)
    out[order[sq] - vx.size] = found[sq]
    return out


def shared_edges(
    ax: NDArray[np.float64], ay: NDArray[np.float64], bx: NDArray[np.float64], by: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Edges that occur more than once, in either direction (canonical keys, sorted and compared)."""
    swap = (ax > bx) | ((ax == bx) & (ay > by))
    keys = (np.where(swap, bx, ax), np.where(swap, by, ay), np.where(swap, ax, bx), np.where(swap, ay, by))
    order = np.lexsort(keys[::-1])
    same = np.ones(max(order.size - 1, 0), dtype=bool)
    for k in keys:  # four coordinates
        ks = k[order]
        same &= ks[1:] == ks[:-1]
    dup = np.zeros(order.size, dtype=bool)
    dup[1:] |= same
    dup[:-1] |= same
    out = np.empty_like(dup)
    out[order] = dup
    return out


def segments(
    polygons: Any, *, cut: tuple[float, float, float, float] | None = None
) -> tuple[
    NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]
]:
    """Edges (ax, ay, bx, by, row) of polygons' rings, less cuts: along +/-180 deg, a pole, the layer's box or ``cut``."""
    rings, row_of_ring = shapely.get_parts(shapely.boundary(polygons), return_index=True)
    parts, ring_of_part = shapely.get_parts(rings, return_index=True)
    coords, part_of = shapely.get_coordinates(parts, return_index=True)
    a = np.flatnonzero(part_of[1:] == part_of[:-1])
    b = a + 1
    on_cut = (np.abs(np.abs(coords[:, 0]) - 180.0) < 1e-9) | (np.abs(np.abs(coords[:, 1]) - 90.0) < 1e-9)
    keep = ~(on_cut[a] & on_cut[b])
    # Edges along the layers' own bounding box (or the coverage's) are where a regional
    # build was cut off: not coast, not a limit.
    boxes = [tuple(shapely.total_bounds(polygons))] + ([cut] if cut is not None else [])
    for x0, y0, x1, y1 in boxes:
        for col, edge in ((0, x0), (0, x1), (1, y0), (1, y1)):
            keep &= ~((coords[a, col] == edge) & (coords[b, col] == edge))
    a, b = a[keep], b[keep]
    row = row_of_ring[ring_of_part[part_of[a]]]
    return coords[a, 0], coords[a, 1], coords[b, 0], coords[b, 1], row
