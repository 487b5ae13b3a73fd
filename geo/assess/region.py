"""A zone layer as one query needs it: its attribute columns at once, its polygons only near the query.

:class:`LazyLayer` holds a layer's attribute columns (what verdicts and labels need) and
reads its GeoDataFrame only when something asks for the polygons themselves.
:class:`LazyGrid` answers as :class:`geo._index.GridIndex` does, from the stored arrays of
one (memory-mapped by :func:`geo.assess.store.cached_arrays`), decoding the WKB of the
clipped pieces only for the cells the points fall in (and their neighbours): a one-point
query in a region reads a few cells, not the world.

Examples
--------
>>> import shapely
>>> from geo._index import GridIndex
>>> g = LazyGrid.from_arrays(grid_arrays(GridIndex.build([shapely.box(0, 0, 10, 10)], cell_deg=1.0)))
>>> [a.tolist() for a in g.query([5.0, 5.5, 20.0], [5.0, 10.0, 5.0])]
[[0, 1], [0, 0]]
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from geo._index import GridIndex, default_engine

__all__ = ["LazyGrid", "LazyLayer", "grid_arrays", "read_table", "table_arrays", "table_of"]

_ALL_AT_ONCE = 50_000  # from this many points on, every piece is decoded (and the grid's fast engine may run)


class LazyLayer:
    """A layer's attribute columns, and its GeoDataFrame read on first use (``load()``)."""

    def __init__(self, columns: Mapping[str, list[Any]], load: Callable[[], Any]) -> None:
        self.columns = {k: list(v) for k, v in columns.items()}
        self._load = load
        sizes = {len(v) for v in self.columns.values()}
        if len(sizes) > 1:
            raise ValueError(f"columns of different lengths: {sorted(sizes)}")
        self.n_rows = sizes.pop() if sizes else 0

    @functools.cached_property
    def frame(self) -> Any:
        frame = self._load()
        if len(frame) != self.n_rows:
            raise ValueError(f"the layer has {len(frame)} rows, its stored columns {self.n_rows}")
        return frame


def table_of(frame: Any) -> dict[str, list[Any]]:
    """A GeoDataFrame's attribute columns as lists, in row order."""
    out: dict[str, list[Any]] = {}
    for c in frame.columns:
        if c == frame.geometry.name:
            continue
        out[str(c)] = frame[c].astype(object).tolist()  # NaN stays NaN (JSON allows it), as the frame has it
    return out


def table_arrays(columns: Mapping[str, list[Any]]) -> dict[str, NDArray[np.uint8]]:
    """Attribute columns as one array of UTF-8 JSON bytes (a store keeps arrays only)."""
    text = json.dumps(columns, ensure_ascii=False, default=str)
    return {"table": np.frombuffer(text.encode("utf-8"), dtype=np.uint8)}


def read_table(arrays: Mapping[str, NDArray[Any]]) -> dict[str, list[Any]]:
    """The columns :func:`table_arrays` stored."""
    columns = json.loads(np.asarray(arrays["table"]).tobytes().decode("utf-8"))
    if not isinstance(columns, dict) or not all(isinstance(v, list) for v in columns.values()):
        raise ValueError("a stored table is not a mapping of columns to lists")
    return columns


def grid_arrays(index: GridIndex) -> dict[str, NDArray[Any]]:
    """A GridIndex as plain arrays: its CSR cells and each boundary piece's WKB (full cells have none)."""
    full = np.asarray(index.cand_full, dtype=bool)
    wkb = [b"" if f else shapely.to_wkb(p) for p, f in zip(index.cand_piece.tolist(), full.tolist(), strict=True)]
    sizes = np.fromiter((len(w) for w in wkb), dtype=np.int64, count=len(wkb))
    return {
        "grid": np.array([index.x0, index.y0, index.cell_deg], dtype=np.float64),
        "shape": np.array([index.nx, index.ny, index.n_polygons], dtype=np.int64),
        "offsets": np.asarray(index.offsets, dtype=np.int64),
        "cand_poly": np.asarray(index.cand_poly, dtype=np.int64),
        "cand_full": full,
        "wkb_offsets": np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
        "wkb": np.frombuffer(b"".join(wkb), dtype=np.uint8),
    }


class LazyGrid:
    """The GridIndex stored by :func:`grid_arrays`, its pieces decoded cell by cell as queries need them."""

    def __init__(
        self, arrays: Mapping[str, NDArray[Any]], *, kernel_store: Callable[[Callable[[], dict[str, Any]]], Any] | None = None
    ) -> None:
        x0, y0, cell = (float(v) for v in arrays["grid"])
        nx, ny, n_poly = (int(v) for v in arrays["shape"])
        self._wkb_offsets = arrays["wkb_offsets"]
        self._wkb = arrays["wkb"]
        full = np.asarray(arrays["cand_full"], dtype=bool)
        offsets = np.asarray(arrays["offsets"], dtype=np.int64)
        if offsets.shape != (nx * ny + 1,) or int(offsets[-1]) != full.size or self._wkb_offsets.shape != (full.size + 1,):
            raise ValueError("a stored grid index is not whole")
        pieces = np.full(full.size, None, dtype=object)
        self.index = GridIndex(x0, y0, cell, nx, ny, offsets, np.asarray(arrays["cand_poly"], np.int64), pieces, full, n_poly,
                               decode=self._decode, kernel_store=kernel_store)  # fmt: skip
        self._decoded = full.copy()  # full cells have no piece to decode
        self.n_polygons = n_poly

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, NDArray[Any]]) -> LazyGrid:
        return cls(arrays)

    def _decode(self, cand: NDArray[np.int64]) -> None:
        cand = cand[~self._decoded[cand]]
        if cand.size == 0:
            return
        lo, hi = self._wkb_offsets[cand], self._wkb_offsets[cand + 1]
        blob = np.asarray(self._wkb).data  # a plain memoryview: slicing a memmap costs ~2 us a piece
        geoms = shapely.from_wkb([blob[a:b].tobytes() for a, b in zip(lo.tolist(), hi.tolist(), strict=True)])
        shapely.prepare(geoms)
        self.index.cand_piece[cand] = geoms
        self._decoded[cand] = True

    def _cells(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.int64]:
        """The cells of the points and their eight neighbours (a point on an edge may be put in either)."""
        g = self.index
        ok = np.isfinite(x) & np.isfinite(y)
        ix = np.clip(np.floor((x[ok] - g.x0) / g.cell_deg), -1, g.nx).astype(np.int64) + 1
        iy = np.clip(np.floor((y[ok] - g.y0) / g.cell_deg), -1, g.ny).astype(np.int64) + 1
        cells = np.unique(iy * (g.nx + 2) + ix)  # one entry per distinct cell before the neighbours
        cy, cx = np.divmod(cells, g.nx + 2)
        cy, cx = cy - 1, cx - 1
        dx, dy = np.meshgrid([-1, 0, 1], [-1, 0, 1])
        ax, ay = (cx[:, None] + dx.ravel()).ravel(), (cy[:, None] + dy.ravel()).ravel()
        inside = (ax >= 0) & (ax < g.nx) & (ay >= 0) & (ay < g.ny)
        return np.unique(ay[inside] * g.nx + ax[inside])

    def query(
        self, lon: ArrayLike, lat: ArrayLike, *, engine: str | None = None
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """(point, polygon) pairs, as :meth:`geo._index.GridIndex.query` gives them (``engine`` as there)."""
        x = np.ascontiguousarray(lon, dtype=np.float64).ravel()
        y = np.ascontiguousarray(lat, dtype=np.float64).ravel()
        g = self.index
        if engine is None and x.size == y.size:
            engine = default_engine(x.size)
        if g.kernel_store is not None and engine == "compiled":
            pass  # the compiled engine's stored tables need no piece but the few it hands back to GEOS
        elif x.size >= _ALL_AT_ONCE:
            self._decode(np.arange(g.cand_full.size))
        elif x.size and g.nx:
            cells = self._cells(x, y)
            lo, hi = g.offsets[cells], g.offsets[cells + 1]
            n = hi - lo
            self._decode(np.repeat(lo - np.cumsum(n) + n, n) + np.arange(int(n.sum())))
        return g.query(x, y, engine=engine)
