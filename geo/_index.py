"""A grid index for point-in-polygon lookups that gives exactly the answers of ``sjoin``.

Cells of a regular lon/lat grid are sorted once into three kinds: outside every polygon,
inside polygons they lie wholly within (answered by lookup), and boundary cells, where
each polygon is clipped to the cell and the small pieces are tested exactly. Answers match
``geopandas.sjoin(points, polygons, predicate="intersects")``: a point on a polygon's
boundary counts as in it.

Two engines answer a query, with the same answers:

* ``numpy`` (small queries): points are expanded to (point, candidate) pairs with
  ``numpy.repeat``; boundary pairs go to ``shapely.intersects_xy`` on the prepared pieces.
* ``compiled`` (large queries, numba): one pass over the points, the cell table read per
  point, and in boundary cells a crossing-number test over the piece's edges in floating
  point with Shewchuk's error bound on each orientation: a pair whose sign the bound cannot
  certify (a point on or within ~1e-15 relative of an edge or vertex) goes to
  ``shapely.intersects_xy`` instead, so every answer is GEOS's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from geo._grid_kernel import ORIENT_EPS, TAU_DEG, KernelTables, compiled_locate

__all__ = ["COLD_MIN_POINTS", "COMPILED_MIN_POINTS", "GridIndex", "default_engine"]

_Obj = NDArray[np.object_]


def _clip(
    src: _Obj,
    boxes: _Obj,
    ix: NDArray[np.int64],
    iy: NDArray[np.int64],
    n: int,
    x0: float,
    y0: float,
    cell: float,
    exact: NDArray[np.bool_],
) -> _Obj:
    """The part of each piece inside its block.

    GEOS' rectangle clipping is about 40 times faster than a general intersection on
    detailed coasts, but takes one rectangle per call: a loop over pieces at build time,
    never over query points. Where it fails (a degenerate ring), leaves nothing although
    the two touch (contact along an edge or at a corner only), or ``exact`` says so (see
    the area check in :func:`_quadtree`), the exact intersection is used instead.
    """
    out = np.empty(src.size, dtype=object)
    xa, ya = x0 + ix * cell, y0 + iy * cell
    xb, yb = x0 + (ix + n) * cell, y0 + (iy + n) * cell
    failed = exact.copy()
    for i in np.flatnonzero(~exact).tolist():
        try:
            out[i] = shapely.clip_by_rect(src[i], xa[i], ya[i], xb[i], yb[i])
        except shapely.errors.GEOSException:
            failed[i] = True
    redo = failed
    redo[~failed] = shapely.is_empty(out[~failed])
    if redo.any():
        try:
            out[redo] = shapely.intersection(src[redo], boxes[redo])
        except shapely.errors.GEOSException:
            # an invalid piece (overlapping islands of a layer stored without a dissolve):
            # repaired here, piece by piece, rather than the whole layer on every load
            for j in np.flatnonzero(redo).tolist():
                try:
                    out[j] = shapely.intersection(src[j], boxes[j])
                except shapely.errors.GEOSException:
                    out[j] = shapely.intersection(shapely.make_valid(src[j]), boxes[j])
    return out


def _quadtree(
    geoms: _Obj, x0: float, y0: float, cell: float, nx: int, ny: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], _Obj, NDArray[np.bool_]]:
    """Sort every polygon into grid cells by recursive quartering of aligned blocks.

    Clipping a polygon of a million vertices against each of thousands of cells would
    cost cells x vertices; quartering blocks of 2**k cells cuts each polygon into ever
    smaller pieces, so a level costs about the polygon's size once. A block that a piece
    covers is recorded whole (its cells answer by lookup); the rest goes down a level
    until single cells remain, whose pieces are the exact tests.

    Returns (cell id, polygon id, piece or None, whole) per candidate.
    """
    size = 1 << int(np.ceil(np.log2(max(nx, ny, 1))))
    pieces = geoms.copy()
    pid = np.arange(geoms.size, dtype=np.int64)
    bx = np.zeros(geoms.size, dtype=np.int64)
    by = np.zeros(geoms.size, dtype=np.int64)
    full_parts: list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], int]] = []
    out_cell: list[NDArray[np.int64]] = []
    out_pid: list[NDArray[np.int64]] = []
    out_piece: list[_Obj] = []

    def box(ix: NDArray[np.int64], iy: NDArray[np.int64], n: int) -> _Obj:
        # Cell edges computed exactly as the query computes them (origin + i * cell).
        return np.asarray(
            shapely.box(x0 + ix * cell, y0 + iy * cell, x0 + (ix + n) * cell, y0 + (iy + n) * cell)
        )

    exact = np.zeros(geoms.size, dtype=bool)  # pieces clipped by exact intersection only
    while pieces.size:
        h = size // 2 if size > 1 else 1
        if size > 1:
            dx = np.tile(np.array([0, h, 0, h]), pieces.size)
            dy = np.tile(np.array([0, 0, h, h]), pieces.size)
            parent = np.repeat(np.arange(pieces.size), 4)
            cbx, cby = bx[parent] + dx, by[parent] + dy
            keep = (cbx < nx) & (cby < ny)  # blocks past the grid hold no query point
            parent, cbx, cby = parent[keep], cbx[keep], cby[keep]
            boxes = box(cbx, cby, h)
            src = pieces[parent]
        else:
            parent = np.arange(pieces.size)
            cbx, cby, boxes, src = bx, by, box(bx, by, 1), pieces
        hit = shapely.intersects(src, boxes)
        parent, cbx, cby, boxes, src = parent[hit], cbx[hit], cby[hit], boxes[hit], src[hit]
        shapely.prepare(src)
        whole = shapely.covers(src, boxes)
        if whole.any():
            full_parts.append((pid[parent[whole]], cbx[whole], cby[whole], h))
        rest = ~whole
        child = _clip(src[rest], boxes[rest], cbx[rest], cby[rest], h, x0, y0, cell, exact[parent[rest]])
        # A piece's children must share out its area: where they do not, a clip went wrong
        # (an invalid piece clipped again returns its complement). Such parents are made
        # valid and this level is done again for them with exact intersections.
        shares = np.zeros(pieces.size)
        np.add.at(shares, parent[whole], shapely.area(boxes[whole]))
        np.add.at(shares, parent[rest], shapely.area(child))
        own = shapely.area(pieces)
        wrong = (np.abs(shares - own) > 1e-8 * own + 1e-14) & ~exact
        if wrong.any():
            pieces = pieces.copy()
            pieces[wrong] = shapely.make_valid(pieces[wrong])
            exact = exact | wrong
            if full_parts and whole.any():
                full_parts.pop()
            continue
        if size == 1:
            cells = cby[rest] * nx + cbx[rest]
            out_cell.append(cells)
            out_pid.append(pid[parent[rest]])
            out_piece.append(child)
            break
        pieces, pid, exact = child, pid[parent[rest]], exact[parent[rest]]
        bx, by = cbx[rest], cby[rest]
        size = h

    cells_l, pids_l, pieces_l, whole_l = [], [], [], []
    for p_ids, fx, fy, n in full_parts:
        ox, oy = np.meshgrid(np.arange(n), np.arange(n), indexing="xy")
        ix = (fx[:, None] + ox.ravel()[None, :]).ravel()
        iy = (fy[:, None] + oy.ravel()[None, :]).ravel()
        ids = np.repeat(p_ids, n * n)
        ok = (ix < nx) & (iy < ny)
        cells_l.append(iy[ok] * nx + ix[ok])
        pids_l.append(ids[ok])
        pieces_l.append(np.full(int(ok.sum()), None, dtype=object))
        whole_l.append(np.ones(int(ok.sum()), dtype=bool))
    for c, p_, pc in zip(out_cell, out_pid, out_piece, strict=True):
        cells_l.append(c)
        pids_l.append(p_)
        pieces_l.append(np.asarray(pc, dtype=object))
        whole_l.append(np.zeros(c.size, dtype=bool))
    if not cells_l:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty.astype(object), empty.astype(bool)
    piece_arr = np.concatenate(pieces_l)
    whole_arr = np.concatenate(whole_l)
    shapely.prepare(piece_arr[~whole_arr])
    return np.concatenate(cells_l), np.concatenate(pids_l), piece_arr, whole_arr


_Int = NDArray[np.int64]

# Below this many points a query runs in numpy: importing numba and loading the compiled
# kernel costs ~0.5-0.8 s once per process, which a one-point assessment must not pay.
COMPILED_MIN_POINTS = 100_000
# ... and until the kernel has run in this process, numpy answers until the points it took
# from COMPILED_MIN_POINTS-sized queries reach this many (rent, then buy): it is ~0.06 s per
# 1e6 points slower (NW Pacific EEZ layer, 2-core machine: 0.107 s against 0.044 s at 1e6),
# so a process that asks for fewer points never pays the load, and one that asks for more pays
# at most ~0.25 s extra before it does (import-cns: 272k samples in one call, 2.0-2.3 s in all, 2.9-3.1 s with the load).
COLD_MIN_POINTS = 4_000_000
_numpy_points = 0  # points answered in numpy that the compiled engine would have taken
_compiled_ran = False


def default_engine(n_points: int) -> str:
    """The engine a query of ``n_points`` runs on when none is named: ``"numpy"`` or ``"compiled"``.

    Compiled from :data:`COMPILED_MIN_POINTS` points on once the kernel has run in this
    process, or when this query and the numpy ones before it reach :data:`COLD_MIN_POINTS`;
    numpy otherwise, and always without numba. A numpy answer is counted.
    """
    global _numpy_points
    if n_points < COMPILED_MIN_POINTS:
        return "numpy"
    if (_compiled_ran or n_points + _numpy_points >= COLD_MIN_POINTS) and compiled_locate() is not None:
        return "compiled"
    _numpy_points += n_points
    return "numpy"


@dataclass
class GridIndex:
    """Point-in-polygon index over a sequence of (Multi)Polygons in lon/lat degrees.

    Build with :meth:`build`; query with :meth:`query`.

    Examples
    --------
    >>> import shapely
    >>> idx = GridIndex.build([shapely.box(0, 0, 10, 10), shapely.box(5, 5, 20, 20)], cell_deg=1.0)
    >>> pts, polys = idx.query([1.0, 7.0, 30.0], [1.0, 7.0, 30.0])
    >>> list(zip(pts.tolist(), polys.tolist()))
    [(0, 0), (1, 0), (1, 1)]
    """

    x0: float
    y0: float
    cell_deg: float
    nx: int
    ny: int
    offsets: _Int  # CSR: candidates of cell c are offsets[c]:offsets[c+1]
    cand_poly: _Int
    cand_piece: NDArray[np.object_]  # None where the cell lies wholly inside the polygon
    cand_full: NDArray[np.bool_]  # the cell lies wholly inside the polygon
    n_polygons: int
    polygons: _Obj | None = field(default=None, repr=False, compare=False)
    """The indexed polygons themselves: points within a hair of a piece's edge are tested on them."""
    _edges: KernelTables | None = field(default=None, init=False, repr=False, compare=False)
    decode: Callable[[_Int], None] | None = field(default=None, repr=False, compare=False)
    """Fills ``cand_piece`` for the candidates given (an index whose pieces are read lazily), or None."""
    kernel_store: Callable[[Callable[[], dict[str, Any]]], Any] | None = field(default=None, repr=False, compare=False)
    """Where the compiled engine's tables are kept (``kernel_store(build)`` gives their arrays), or None."""

    @classmethod
    def build(cls, polygons: ArrayLike, *, cell_deg: float = 0.1) -> GridIndex:
        """Index ``polygons`` (shapely geometries, EPSG:4326 degrees) on a grid of ``cell_deg`` cells."""
        geoms = np.asarray(polygons, dtype=object)
        if not (np.isfinite(cell_deg) and cell_deg > 0):
            raise ValueError(f"cell_deg must be a positive number of degrees, got {cell_deg!r}")
        if geoms.size == 0:
            none = np.zeros(0, np.int64)
            return cls(
                0.0,
                0.0,
                cell_deg,
                0,
                0,
                np.zeros(1, np.int64),
                none,
                none.astype(object),
                none.astype(bool),
                0,
            )
        minx, miny, maxx, maxy = shapely.total_bounds(geoms)
        # Snap the grid to multiples of the cell size, so grids of one size line up.
        x0 = float(np.floor(minx / cell_deg) * cell_deg)
        y0 = float(np.floor(miny / cell_deg) * cell_deg)
        nx = max(1, int(np.ceil((maxx - x0) / cell_deg)))
        ny = max(1, int(np.ceil((maxy - y0) / cell_deg)))
        cell, poly, pieces, inside = _quadtree(geoms, x0, y0, cell_deg, nx, ny)
        order = np.lexsort((poly, cell))
        cell, poly, pieces, inside = cell[order], poly[order], pieces[order], inside[order]
        counts = np.bincount(cell, minlength=nx * ny)
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return cls(
            x0,
            y0,
            cell_deg,
            nx,
            ny,
            offsets,
            poly.astype(np.int64),
            pieces,
            inside.astype(bool),
            int(geoms.size),
            geoms,
        )

    @property
    def stats(self) -> dict[str, float]:
        """Counts that explain the speed: cells, candidate pairs, share of boundary pairs."""
        n = self.cand_piece.size
        boundary = int(n - self.cand_full.sum())
        return {
            "cells": self.nx * self.ny,
            "candidates": n,
            "boundary_candidates": boundary,
            "boundary_share": boundary / n if n else 0.0,
        }

    def _snap(self, i: _Int, v: NDArray[np.float64], origin: float, n: int) -> _Int:
        """Put each value in the cell whose box, computed as in :meth:`build`, holds it.

        Division can land a value on a cell edge one cell off; the boxes are the truth. A
        value exactly on the grid's far edge belongs to the last cell.
        """
        i = np.where(v < origin + i * self.cell_deg, i - 1, i)
        i = np.where(v > origin + (i + 1) * self.cell_deg, i + 1, i)
        return np.where((i == n) & (v == origin + n * self.cell_deg), n - 1, i)

    def query(
        self, lon: ArrayLike, lat: ArrayLike, *, engine: str | None = None
    ) -> tuple[_Int, _Int]:
        """Pairs (point index, polygon index) where the point intersects the polygon.

        Sorted by point, then polygon: the rows ``geopandas.sjoin`` would give.
        ``engine`` is ``"numpy"``, ``"compiled"`` (numba) or None: :func:`default_engine`
        chooses (compiled for large queries, when numba is installed). Both give the
        same pairs.
        """
        x = np.ascontiguousarray(lon, dtype=np.float64).ravel()
        y = np.ascontiguousarray(lat, dtype=np.float64).ravel()
        if x.size != y.size:
            raise ValueError(f"lon and lat must have the same size, got {x.size} and {y.size}")
        if engine not in (None, "numpy", "compiled"):
            raise ValueError(f"engine must be 'numpy', 'compiled' or None, got {engine!r}")
        if self.nx == 0 or x.size == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        if engine is None:
            engine = default_engine(x.size)
        kernel = compiled_locate() if engine == "compiled" else None
        if engine == "compiled" and kernel is None:
            raise ValueError("engine='compiled' needs numba: pip install numba")
        if kernel is None:
            return self._query_numpy(x, y)
        if self._edges is None:
            self._edges = self._kernel_tables()
        e = self._edges
        pts, polys, u_pos, u_cand = kernel(
            x, y, self.x0, self.y0, self.cell_deg, self.nx, self.ny, e.block, e.code, e.empty, e.mixed,
            e.sub_of, e.sub, e.sub_code, self.offsets, self.cand_poly, self.cand_full, *e.slot_args(),
            ORIENT_EPS, TAU_DEG,
        )
        global _compiled_ran
        _compiled_ran = True
        if u_pos.size:
            ok = self._exact(u_cand, x[pts[u_pos]], y[pts[u_pos]])
            if not ok.all():
                keep = np.ones(pts.size, dtype=bool)
                keep[u_pos[~ok]] = False
                pts, polys = pts[keep], polys[keep]
        return pts, polys

    def _kernel_tables(self) -> KernelTables:
        """The compiled engine's tables: from :attr:`kernel_store` when there is one (built there once)."""
        if self.kernel_store is None:
            return KernelTables.of(self)

        def build() -> dict[str, Any]:
            if self.decode is not None:
                self.decode(np.arange(self.cand_full.size))
            return KernelTables.of(self).to_arrays()

        return KernelTables.from_arrays(self.kernel_store(build))

    def _query_numpy(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[_Int, _Int]:
        """The vectorised numpy engine: (point, candidate) pairs, boundary pairs to GEOS."""
        finite = np.isfinite(x) & np.isfinite(y)
        fx = np.where(finite, (x - self.x0) / self.cell_deg, -1.0)
        fy = np.where(finite, (y - self.y0) / self.cell_deg, -1.0)
        # clipped before the cast: a huge finite value must not wrap round into the grid
        fx = np.clip(fx, -2.0, self.nx + 2.0)
        fy = np.clip(fy, -2.0, self.ny + 2.0)
        ix = self._snap(np.floor(fx).astype(np.int64), x, self.x0, self.nx)
        iy = self._snap(np.floor(fy).astype(np.int64), y, self.y0, self.ny)
        ok = finite & (ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny)
        pts = np.flatnonzero(ok)
        cells = iy[ok] * self.nx + ix[ok]
        # Points on a cell edge lie in the closed boxes of two (or four) cells; the pieces of
        # the cell they fall in cover them exactly, because every piece is a closed set.
        start = self.offsets[cells]
        count = self.offsets[cells + 1] - start
        pts_rep = np.repeat(pts, count)
        cand = np.repeat(start - np.concatenate([[0], np.cumsum(count)[:-1]]), count) + np.arange(count.sum())
        polys = self.cand_poly[cand]
        full = self.cand_full[cand]
        hit = np.array(full, dtype=bool)
        test = ~full
        if test.any():
            k = cand[test]
            tx, ty = x[pts_rep[test]], y[pts_rep[test]]
            pieces = self.cand_piece[k]
            shapely.prepare(pieces)
            got = np.asarray(shapely.intersects_xy(pieces, tx, ty), dtype=bool)
            if self.polygons is not None:
                near = np.asarray(shapely.dwithin(shapely.boundary(pieces), shapely.points(tx, ty), TAU_DEG))
                if near.any():
                    got[near] = self._exact(k[near], tx[near], ty[near])
            hit[test] = got
        return pts_rep[hit], polys[hit]

    def _exact(self, cand: _Int, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.bool_]:
        """GEOS' answer for (candidate, point) pairs: on the whole polygon when the index has it."""
        if self.polygons is None and self.decode is not None:
            self.decode(cand)
        geoms = self.cand_piece[cand] if self.polygons is None else self.polygons[self.cand_poly[cand]]
        shapely.prepare(geoms)
        return np.asarray(shapely.intersects_xy(geoms, x, y), dtype=bool)
