"""The compiled engine of :class:`geo._index.GridIndex`: its tables and its numba kernel.

The kernel reads, per point, the code of its block of 8 x 8 cells, then of its cell, then
of its sub-cell (1/8 of a cell): most points end there, by a table lookup. Points in a
sub-cell that a piece's boundary reaches are tested by crossing number over the piece's
edges in the point's horizontal band of the cell, in floating point with an error bound;
points within :data:`TAU_DEG` of an edge are handed back for GEOS to decide.

Why numba: a loop that does per point only what that point needs (one table read for
~99 % of them) cannot be written as whole-array numpy steps, each of which touches every
point; and GEOS' ``intersects_xy`` pays per point what the table read avoids. numba
compiles the loop to machine code with numpy's arithmetic (no fast-math), so its cells
and bands are exactly the build's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

__all__ = ["KERNEL_FORMAT", "NEAR_DEG", "ORIENT_EPS", "TAU_DEG", "KernelTables", "compiled_locate", "locate"]

KERNEL_FORMAT = 1  # the layout of KernelTables.to_arrays(): bump when the tables change

_Int = NDArray[np.int64]
_Obj = NDArray[np.object_]

# Relative error bound of a floating-point 2-D orientation (Shewchuk's ccwerrboundA is
# (3 + 16 eps) eps ~ 3.3e-16); three times larger, so a sign beyond it is certain.
ORIENT_EPS = 1e-15

# Points nearer than this (degrees, ~1 micrometre) to a piece's edge are decided by GEOS on
# the whole polygon: clipping rounds the vertices it makes by ~1e-14 deg, so within a
# hair of such an edge a piece and its polygon may disagree; beyond it they cannot.
TAU_DEG = 1e-11

# A first guess of a point's cell column (or row) whose fraction lies this far (in cells)
# inside the cell is the cell whose box holds the point: the guess and the boxes' sides are
# each within ~1e-12 cells of exact (coordinates < 1e4 cells), so only a guess this near a
# side is snapped against the boxes, as the build computes them.
SNAP_MARGIN = 1e-7

# How near (degrees) an edge may come to a sub-cell before the sub-cell must be tested
# point by point: a thousand times what rounding moves a computed cell edge (~1e-13 deg).
NEAR_DEG = 1e-10


def locate(  # compiled by numba in compiled_locate(); plain Python otherwise (slow, same answers)
    x: Any, y: Any, x0: float, y0: float, cell: float, nx: int, ny: int, block: Any, code: Any, empty: int,
    mixed: int, sub_of: Any, sub: int, sub_code: Any, offsets: Any, cand_poly: Any, cand_full: Any, slot: Any, bands: int, band_h: float,
    band_off: Any, ax: Any, ay: Any, bx: Any, by: Any, eps: float, tau: float,
) -> tuple[Any, Any, Any, Any]:
    """(point, polygon) hits in order, and the positions/candidates of uncertain hits.

    Per point: its cell (snapped to the build's boxes as :meth:`geo._index.GridIndex._snap` does) and
    the cell's code (first that of its block of 8 x 8 cells, when all 64 share one: the
    open sea, the inside of an EEZ): ``empty``, the one polygon that covers the cell (its
    id, written without a branch), or ``mixed``. A mixed cell's ``sub`` x ``sub``
    sub-cells have codes of their own (row ``sub_of[c]`` of ``sub_code``; -1: none yet);
    only in a mixed sub-cell come the cell's candidates: whole, or a crossing-number test
    over the piece's edges in the point's horizontal band of the cell (even-odd over all
    rings, as GEOS' point-in-area locator counts). A point within ``tau`` degrees of an
    edge's line (inside the edge's box widened by ``tau``), or whose orientation the error
    bound ``eps`` cannot certify, makes the pair uncertain: kept as a hit, flagged for GEOS.
    """
    n = x.size
    most = 1
    for c in range(offsets.size - 1):
        most = max(most, offsets[c + 1] - offsets[c])
    # Invariant: cap - m >= (points left) + most, so a cell wholly in one polygon (at most
    # one pair a point) writes without a check; only mixed cells check and grow.
    cap = n + most + 16
    out_pt = np.empty(cap, np.int64)
    out_poly = np.empty(cap, np.int64)
    ucap = 64
    u_pos = np.empty(ucap, np.int64)
    u_cand = np.empty(ucap, np.int64)
    m = 0
    u = 0
    inv = 1.0 / cell
    inv_sub = sub / cell  # a product, not a quotient, per point: either is within rounding
    for i in range(n):
        px = x[i]
        py = y[i]
        # a first guess by multiplication (the snap below puts it right); NaN and inf
        # fail the range test
        fx = (px - x0) * inv
        fy = (py - y0) * inv
        if not (fx > -2.0 and fx < nx + 2.0 and fy > -2.0 and fy < ny + 2.0):
            continue
        # the snap: one cell down or up where the guess was off, and the far edge in the last
        # cell; only for a guess within SNAP_MARGIN of a cell's side (the rest cannot be off)
        ix = int(np.floor(fx))
        rx = fx - ix
        if not (rx > SNAP_MARGIN and rx < 1.0 - SNAP_MARGIN):
            ix += int(px > x0 + (ix + 1) * cell) - int(px < x0 + ix * cell)
            ix -= int(ix == nx and px == x0 + nx * cell)
        iy = int(np.floor(fy))
        ry = fy - iy
        if not (ry > SNAP_MARGIN and ry < 1.0 - SNAP_MARGIN):
            iy += int(py > y0 + (iy + 1) * cell) - int(py < y0 + iy * cell)
            iy -= int(iy == ny and py == y0 + ny * cell)
        if ix < 0 or ix >= nx or iy < 0 or iy >= ny:
            continue
        c = iy * nx + ix
        one = block[(iy >> 3) * ((nx + 7) >> 3) + (ix >> 3)]  # 8 x 8 cells alike: a small table
        if one == mixed:
            one = code[c]
        if one != mixed:
            # a cell in no polygon, or wholly in one: the pair is written either way, kept if not empty
            out_pt[m] = i
            out_poly[m] = one
            m += one != empty
            continue
        row = sub_of[c]
        if row >= 0:
            # No edge of any piece comes within NEAR_DEG of a decided sub-cell (see
            # KernelTables.of), far more than rounding moves a point, so the sub-cell needs no
            # snapping: a clamp into the cell will do.
            jx = min(max(int(np.floor((px - x0) * inv_sub)) - ix * sub, 0), sub - 1)
            jy = min(max(int(np.floor((py - y0) * inv_sub)) - iy * sub, 0), sub - 1)
            one = sub_code[row, jy * sub + jx]
            if one != mixed:
                out_pt[m] = i
                out_poly[m] = one
                m += one != empty
                continue
        if cap - m < (n - i) + 2 * most:
            cap = 2 * cap  # room for every point left plus the candidates of two cells
            out_pt = np.concatenate((out_pt[:m], np.empty(cap - m, np.int64)))
            out_poly = np.concatenate((out_poly[:m], np.empty(cap - m, np.int64)))
        band = -1
        for k in range(offsets[c], offsets[c + 1]):
            state = 1  # 1 inside, 0 outside, 2 uncertain
            if not cand_full[k]:
                if slot[k] < 0:
                    state = 2  # not a polygon (a contact line or point): GEOS decides
                else:
                    if band < 0:
                        band = min(max(int(np.floor((py - y0) / band_h)) - iy * bands, 0), bands - 1)
                    inside = False
                    base = slot[k] * bands + band
                    for e in range(band_off[base], band_off[base + 1]):
                        ya = ay[e]
                        yb = by[e]
                        if (py < ya - tau and py < yb - tau) or (py > ya + tau and py > yb + tau):
                            continue
                        xa = ax[e]
                        xb = bx[e]
                        if px > xa + tau and px > xb + tau:
                            continue  # wholly left: neither crosses the ray to the right nor comes near p
                        dl = (xb - xa) * (py - ya)
                        dr = (yb - ya) * (px - xa)
                        det = dl - dr  # the edge's length times p's distance from its line
                        if abs(det) <= tau * (abs(xb - xa) + abs(yb - ya)) + eps * (abs(dl) + abs(dr)):
                            state = 2
                            break
                        if ((ya > py) != (yb > py)) and ((det > 0.0) == (yb > ya)):
                            inside = not inside
                    if state != 2:
                        state = 1 if inside else 0
            if state == 0:
                continue
            out_pt[m] = i
            out_poly[m] = cand_poly[k]
            if state == 2:
                if u == ucap:
                    ucap *= 2
                    u_pos = np.concatenate((u_pos[:u], np.empty(ucap - u, np.int64)))
                    u_cand = np.concatenate((u_cand[:u], np.empty(ucap - u, np.int64)))
                u_pos[u] = m
                u_cand[u] = k
                u += 1
            m += 1
    return out_pt[:m], out_poly[:m], u_pos[:u], u_cand[:u]


@functools.cache
def compiled_locate() -> Callable[..., tuple[_Int, _Int, _Int, _Int]] | None:
    """:func:`locate` compiled by numba (cached on disk by numba), or None without numba."""
    try:
        import numba
    except ImportError:  # pragma: no cover - numba is a dependency; the numpy engine answers the same
        return None
    # error_model="numpy": no zero-division checks in the loop (no divisor is ever zero)
    return numba.njit(cache=True, nogil=True, error_model="numpy")(locate)


_TABLE_ARRAYS = ("block", "code", "sub_of", "sub_code", "slot", "band_off", "ax", "ay", "bx", "by")


@dataclass(frozen=True)
class KernelTables:
    """The boundary pieces' edges, sorted into horizontal bands of their cell, for the compiled engine.

    Candidate ``k`` of a boundary cell has ``slot[k]`` (-1 for a piece that is not a
    (Multi)Polygon, an edge or corner contact, which GEOS always decides); the edges of
    band ``b`` of slot ``s`` are ``band_off[s * bands + b]:band_off[s * bands + b + 1]``
    of ``ax, ay, bx, by``. Bands are global rows of height ``band_h``
    (``floor((y - y0) / band_h)``, clamped into the cell's rows); an edge is in every band
    its y-range reaches, by the same formula as the query, so a point's band holds every
    edge that can cross its horizontal ray or hold it (the formula is monotonic).
    """

    block: NDArray[Any]
    code: NDArray[Any]
    empty: int
    mixed: int
    sub_of: NDArray[np.int32]
    sub: int
    sub_code: NDArray[Any]
    slot: _Int
    bands: int
    band_h: float
    band_off: _Int
    ax: NDArray[np.float64]
    ay: NDArray[np.float64]
    bx: NDArray[np.float64]
    by: NDArray[np.float64]

    def slot_args(self) -> tuple[Any, ...]:
        return (self.slot, self.bands, self.band_h, self.band_off, self.ax, self.ay, self.bx, self.by)

    def to_arrays(self) -> dict[str, NDArray[Any]]:
        """The tables as plain named arrays (no pickle), for :func:`geo.assess.store.cached_arrays`."""
        out: dict[str, NDArray[Any]] = {f"kernel_{k}": np.asarray(getattr(self, k)) for k in _TABLE_ARRAYS}
        out["kernel_scalars"] = np.array([self.empty, self.mixed, self.sub, self.bands], dtype=np.int64)
        out["kernel_band_h"] = np.array([self.band_h], dtype=np.float64)
        return out

    @classmethod
    def from_arrays(cls, arrays: Any) -> KernelTables:
        """The tables :meth:`to_arrays` gave (memory-mapped arrays are used as they are)."""
        empty, mixed, sub, bands = (int(v) for v in arrays["kernel_scalars"])
        parts = {k: np.asarray(arrays[f"kernel_{k}"]) for k in _TABLE_ARRAYS}
        return cls(empty=empty, mixed=mixed, sub=sub, bands=bands, band_h=float(arrays["kernel_band_h"][0]), **parts)

    @classmethod
    def of(cls, index: Any, *, bands: int = 32) -> KernelTables:
        """The tables of ``index``: cell codes, banded edges, then the mixed cells' sub-cell codes.

        A sub-cell is decided when no edge's bounding box, widened by :data:`NEAR_DEG`,
        reaches it: no piece's boundary comes near it, so every point of it (and within
        rounding of it) is where the sub-cell's centre is, found by the kernel itself
        before the sub-cells exist.
        """
        sub = 8  # 8 x 8 sub-cells: one bit each in a 64-bit mask
        e = cls._cells_and_edges(index, bands)
        mixed_cells = np.flatnonzero(e.code == e.mixed)
        sub_of = np.full(e.code.size, -1, np.int32)
        sub_of[mixed_cells] = np.arange(mixed_cells.size, dtype=np.int32)
        undecided = np.zeros((mixed_cells.size, sub * sub), dtype=bool)
        cell_of = np.repeat(np.arange(index.nx * index.ny), np.diff(index.offsets))
        odd = (e.slot < 0) & ~index.cand_full  # not polygonal: always GEOS
        undecided[sub_of[cell_of[odd]]] = True
        # each edge entry's cell
        entry_slot = np.repeat(np.arange(e.band_off.size - 1) // bands, np.diff(e.band_off))
        slot_cell = np.zeros(max(int(e.slot.max(initial=-1)) + 1, 0), np.int64)
        slot_cell[e.slot[e.slot >= 0]] = cell_of[e.slot >= 0]
        c = slot_cell[entry_slot]
        ix, iy = c % index.nx, c // index.nx
        # Edges along the cell's own sides (made by clipping) are left out: where the piece
        # reaches a side, the sub-cells there are inside it up to the side; where its true
        # boundary meets a side, that boundary's own edge reaches the same sub-cells.
        x_lo, y_lo = index.x0 + ix * index.cell_deg, index.y0 + iy * index.cell_deg
        x_hi, y_hi = index.x0 + (ix + 1) * index.cell_deg, index.y0 + (iy + 1) * index.cell_deg
        side = (
            ((e.ax == e.bx) & ((e.ax == x_lo) | (e.ax == x_hi)))
            | ((e.ay == e.by) & ((e.ay == y_lo) | (e.ay == y_hi)))
        )
        keep = ~side
        c, ix, iy = c[keep], ix[keep], iy[keep]
        eax, eay, ebx, eby = e.ax[keep], e.ay[keep], e.bx[keep], e.by[keep]
        f = index.cell_deg / sub

        def span(lo: NDArray[np.float64], hi: NDArray[np.float64], origin: float, i: _Int) -> tuple[_Int, _Int]:
            a = np.floor((lo - NEAR_DEG - origin) / index.cell_deg * sub) - i * sub
            b = np.floor((hi + NEAR_DEG - origin) / index.cell_deg * sub) - i * sub
            return np.clip(a, 0, sub - 1).astype(np.int64), np.clip(b, 0, sub - 1).astype(np.int64)

        left, right = np.minimum(eax, ebx), np.maximum(eax, ebx)
        xa, xb = span(left, right, index.x0, ix)
        # One row per (entry, sub-cell column it reaches): the segment's y-range over that
        # column (widened by NEAR_DEG on both axes), not its whole bounding box, which for
        # a long diagonal edge would be the whole cell.
        n_cols = xb - xa + 1
        rep = np.repeat(np.arange(xa.size), n_cols)
        col = xa[rep] + (np.arange(rep.size) - np.repeat(np.cumsum(n_cols) - n_cols, n_cols))
        col_x = index.x0 + ix[rep] * index.cell_deg + col * f
        xl = np.maximum(left[rep], col_x - NEAR_DEG)
        xr = np.minimum(right[rep], col_x + f + NEAR_DEG)
        pax, pay, pbx, pby = eax[rep], eay[rep], ebx[rep], eby[rep]
        dx = pbx - pax
        slope = np.divide(pby - pay, dx, out=np.zeros_like(dx), where=dx != 0)
        yl, yr = pay + (xl - pax) * slope, pay + (xr - pax) * slope
        bottom, top = np.minimum(pay, pby), np.maximum(pay, pby)
        vertical = dx == 0
        ylo = np.where(vertical, bottom, np.clip(np.minimum(yl, yr), bottom, top))
        yhi = np.where(vertical, top, np.clip(np.maximum(yl, yr), bottom, top))
        ya, yb = span(ylo, yhi, index.y0, iy[rep])
        c = c[rep]
        # each row's sub-cells as one 64-bit mask (bit 8 * row + column), OR-ed per cell
        cols = np.uint64(1) << col.astype(np.uint64)
        rows = (1 << (yb + 1)) - (1 << ya)
        spread = np.array(
            [sum(1 << (8 * r) for r in range(8) if v >> r & 1) for v in range(256)], dtype=np.uint64
        )
        masks = np.zeros(mixed_cells.size, np.uint64)
        np.bitwise_or.at(masks, sub_of[c], cols * spread[rows])
        bits = np.unpackbits(masks.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
        undecided |= bits.astype(bool)
        r, j = np.nonzero(~undecided)
        cx = index.x0 + (mixed_cells[r] % index.nx) * index.cell_deg + (j % sub + 0.5) * f
        cy = index.y0 + (mixed_cells[r] // index.nx) * index.cell_deg + (j // sub + 0.5) * f
        sub_code = np.full((mixed_cells.size, sub * sub), e.mixed, dtype=e.code.dtype)
        kernel = compiled_locate()
        if kernel is not None and r.size:
            none = np.full(e.code.size, -1, np.int32)
            pts, polys, u_pos, _ = kernel(
                cx, cy, index.x0, index.y0, index.cell_deg, index.nx, index.ny, e.block, e.code, e.empty, e.mixed,
                none, sub, sub_code, index.offsets, index.cand_poly, index.cand_full, *e.slot_args(),
                ORIENT_EPS, TAU_DEG,
            )
            hits = np.bincount(pts, minlength=r.size)
            hits[pts[u_pos]] = 2  # a centre GEOS would have to decide: the sub-cell stays mixed
            one = np.full(r.size, -1, np.int64)
            one[pts] = polys
            sub_code[r[hits == 0], j[hits == 0]] = e.empty
            sub_code[r[hits == 1], j[hits == 1]] = one[hits == 1].astype(e.code.dtype)
        return cls(
            e.block, e.code, e.empty, e.mixed, sub_of, sub, sub_code, e.slot, e.bands, e.band_h, e.band_off,
            e.ax, e.ay, e.bx, e.by,
        )

    @classmethod
    def _cells_and_edges(cls, index: Any, bands: int) -> KernelTables:
        pieces, full = index.cand_piece, index.cand_full
        # Per cell one small integer (a byte for up to 254 polygons, so the table of a
        # region's half-million cells stays in the core's cache): its one covering polygon,
        # or empty / mixed.
        dtype = next(t for t in (np.uint8, np.uint16, np.uint32, np.uint64) if index.n_polygons + 2 <= np.iinfo(t).max)
        empty, mixed = int(np.iinfo(dtype).max), int(np.iinfo(dtype).max) - 1
        count = np.diff(index.offsets)
        first = np.minimum(index.offsets[:-1], max(full.size - 1, 0))
        single = (count == 1) & full[first] if full.size else np.zeros(count.size, dtype=bool)
        code = np.full(count.size, mixed, dtype=dtype)
        code[count == 0] = empty
        code[single] = index.cand_poly[first[single]].astype(dtype)
        slot = np.full(pieces.size, -1, np.int64)
        test = np.flatnonzero(~full)
        kinds = shapely.get_type_id(pieces[test])
        polygonal = test[(kinds == 3) | (kinds == 6)]
        slot[polygonal] = np.arange(polygonal.size)
        parts, part_of = shapely.get_parts(pieces[polygonal], return_index=True)
        rings, ring_of = shapely.get_rings(parts, return_index=True)
        coords, coord_of = shapely.get_coordinates(rings, return_index=True)
        same = coord_of[1:] == coord_of[:-1]  # consecutive vertices of one (closed) ring
        a, b = coords[:-1][same], coords[1:][same]
        e_slot = part_of[ring_of[coord_of[:-1][same]]]
        cell_of = np.repeat(np.arange(index.nx * index.ny), np.diff(index.offsets))
        row0 = (cell_of[polygonal] // index.nx)[e_slot] * bands
        band_h = index.cell_deg / bands

        def row(v: NDArray[np.float64]) -> _Int:
            f = np.floor((v - index.y0) / band_h)
            rows: _Int = np.clip(f, -1.0, (index.ny + 1.0) * bands).astype(np.int64)
            return np.clip(rows, row0, row0 + bands - 1)

        lo = row(np.minimum(a[:, 1], b[:, 1])) - row0
        hi = row(np.maximum(a[:, 1], b[:, 1])) - row0
        count = hi - lo + 1
        rep = np.repeat(np.arange(lo.size), count)
        band = lo[rep] + (np.arange(rep.size) - np.repeat(np.cumsum(count) - count, count))
        key = e_slot[rep] * bands + band
        order = np.argsort(key, kind="stable")
        rep = rep[order]
        band_off = np.concatenate([[0], np.cumsum(np.bincount(key, minlength=polygonal.size * bands))])
        # blocks of 8 x 8 cells (the grid padded with cells of no code) that share one code
        bx, by = (index.nx + 7) // 8, (index.ny + 7) // 8
        grid = np.full((by * 8, bx * 8), mixed, dtype=np.int64)
        grid[: index.ny, : index.nx] = code.reshape(index.ny, index.nx)
        grid[: index.ny, index.nx :] = grid[: index.ny, index.nx - 1 : index.nx]  # padding copies an edge cell
        grid[index.ny :, :] = grid[index.ny - 1 : index.ny, :]
        tiles = grid.reshape(by, 8, bx, 8).transpose(0, 2, 1, 3).reshape(by, bx, 64)
        same = (tiles == tiles[:, :, :1]).all(axis=2)
        block = np.where(same, tiles[:, :, 0], mixed).astype(dtype).ravel()
        return cls(
            block, code, empty, mixed, np.full(code.size, -1, np.int32), 0, np.zeros((0, 0), code.dtype),
            slot, bands, band_h, band_off.astype(np.int64),
            np.ascontiguousarray(a[rep, 0]), np.ascontiguousarray(a[rep, 1]),
            np.ascontiguousarray(b[rep, 0]), np.ascontiguousarray(b[rep, 1]),
        )
