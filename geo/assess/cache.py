"""The on-disk cache of the zone layers' grid indexes, keyed by the layers' bytes.

An entry is a ``.npz`` of plain arrays (no pickle), checked against its key on load and
written atomically; a stale, foreign or truncated entry is rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geo._errors import GeoError
from geo._index import GridIndex
from geo._io import NUMPY_LOAD_LOCK, atomic_path

__all__ = ["INDEX_FORMAT", "cache_dir", "cached_index"]

_CELL_DEG = 0.1
INDEX_FORMAT = 3
"""Bump when GridIndex's build or the cache layout changes; part of every cache key.

2: .npz, content-keyed; 3: clipped pieces re-validated (format 2 could hold wrong pieces)."""
_INDEX_FORMAT = INDEX_FORMAT


def cache_dir() -> Path:
    """Where built indexes are kept: ``$GEO_CACHE_DIR``, else ``$XDG_CACHE_HOME/geo`` or ``~/.cache/geo``."""
    if os.environ.get("GEO_CACHE_DIR"):
        return Path(os.environ["GEO_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "geo"


def _content_key(file: Path) -> str:
    """sha256 of the layer file's bytes, the code version, the index format and the cell size."""
    import geo

    h = hashlib.sha256()
    with file.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    h.update(f"|geo {geo.__version__}|format {_INDEX_FORMAT}|cell {_CELL_DEG!r}".encode())
    return h.hexdigest()


def _save_index(target: Path, index: GridIndex, key: str) -> None:
    """Write ``index`` as a .npz of plain arrays (pieces as WKB bytes), atomically; no pickle."""
    pieces = index.cand_piece[~index.cand_full]
    wkb = shapely.to_wkb(pieces) if pieces.size else np.zeros(0, dtype=object)
    sizes = np.fromiter((len(w) for w in wkb), dtype=np.int64, count=len(wkb))
    blob = np.frombuffer(b"".join(wkb), dtype=np.uint8)
    with atomic_path(target) as tmp, tmp.open("wb") as fh:
        np.savez(
            fh,
            key=np.array(key),
            format=np.array(_INDEX_FORMAT, dtype=np.int64),
            grid=np.array([index.x0, index.y0, index.cell_deg], dtype=np.float64),
            shape=np.array([index.nx, index.ny, index.n_polygons], dtype=np.int64),
            offsets=index.offsets,
            cand_poly=index.cand_poly,
            cand_full=index.cand_full,
            wkb_offsets=np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64),
            wkb=blob,
        )


def _load_index(target: Path, key: str, n_polygons: int) -> GridIndex | None:
    """The index stored at ``target`` if it is whole and was built for ``key``; else None.

    ``allow_pickle=False``: a planted file can hold only arrays, never code. Every array's
    shape is checked against the others before use, so a truncated or foreign file is
    rebuilt rather than trusted.
    """
    import zipfile

    try:
        with NUMPY_LOAD_LOCK, target.open("rb") as fh:  # layers are read on threads (see the lock)
            z = np.load(fh, allow_pickle=False)
            if not isinstance(z, np.lib.npyio.NpzFile):
                return None
            with z:
                if str(z["key"]) != key or int(z["format"]) != _INDEX_FORMAT:
                    return None
                x0, y0, cell = (float(v) for v in z["grid"])
                nx, ny, n_poly = (int(v) for v in z["shape"])
                offsets, cand_poly, cand_full = z["offsets"], z["cand_poly"], z["cand_full"]
                wkb_offsets, blob = z["wkb_offsets"], z["wkb"]
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile):
        return None
    n_cand = cand_poly.size
    n_pieces = int(n_cand - cand_full.sum()) if cand_full.dtype == np.bool_ else -1
    ok = (
        n_poly == n_polygons
        and offsets.dtype == np.int64
        and cand_poly.dtype == np.int64
        and offsets.shape == (nx * ny + 1,)
        and cand_full.shape == (n_cand,)
        and n_pieces >= 0
        and int(offsets[-1]) == n_cand
        and wkb_offsets.shape == (n_pieces + 1,)
        and int(wkb_offsets[-1]) == blob.size
        and bool(np.all(np.diff(offsets) >= 0))
        and bool(np.all(np.diff(wkb_offsets) > 0))
        and (n_cand == 0 or (cand_poly.min() >= 0 and cand_poly.max() < n_polygons))
    )
    if not ok:
        return None
    buf = blob.tobytes()
    try:
        geoms = shapely.from_wkb(
            [buf[i:j] for i, j in zip(wkb_offsets[:-1].tolist(), wkb_offsets[1:].tolist(), strict=True)]
        )
    except shapely.errors.GEOSException:
        return None
    pieces = np.full(n_cand, None, dtype=object)
    pieces[~cand_full] = geoms
    shapely.prepare(pieces[~cand_full])
    return GridIndex(x0, y0, cell, nx, ny, offsets, cand_poly, pieces, cand_full, n_poly)


def cached_index(file: Path, frame: Any, layer: str) -> GridIndex:
    """A layer's grid index, loaded from the cache when it was built from these very bytes.

    The cache entry is ``{layer}-{key[:16]}.npz`` in :func:`cache_dir`, ``key`` being
    :func:`_content_key`; it holds the whole key and is checked on load. A missing,
    foreign, stale, truncated or unreadable entry is rebuilt and replaced atomically;
    an unwritable cache folder only costs the rebuild next time.
    """
    key = _content_key(file)
    target = cache_dir() / f"{layer}-{key[:16]}.npz"
    index = _load_index(target, key, len(frame)) if target.is_file() else None
    if index is not None:
        # the layer's own polygons decide points within a hair of a piece's edge
        index.polygons = np.asarray(frame.geometry.values, dtype=object)
        return index
    index = GridIndex.build(frame.geometry.values, cell_deg=_CELL_DEG)
    with contextlib.suppress(OSError, GeoError):  # unwritable cache: same answers, slower next time
        _save_index(target, index, key)
    return index
