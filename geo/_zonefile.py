"""A compact file for one zone layer: quantised, delta-coded coordinates in an LZMA-compressed npz.

The world bundle is too big as GeoPackage (float64 WKB: 16 bytes per vertex and ~20 M
vertices); this encoding stores the same polygons at about 4 bytes per vertex, with no
dependency beyond numpy and shapely, and reads faster than a GeoPackage (no WKB parsing):

- ``coords``: every vertex as integer units of ``QUANTUM_DEG`` (1e-7 deg, about 1 cm, below
  the build's own 1 cm tolerance), delta-coded over the whole flat vertex sequence and kept
  as 8 byte planes (all first bytes, then all second bytes ...), which the compressor packs
  to almost nothing for the high planes;
- ``ring_offsets``, ``polygon_offsets``, ``geometry_offsets``: the structure of
  :func:`shapely.to_ragged_array` for MultiPolygons, delta-coded as counts;
- ``attributes.json``: the columns, one list per column (UTF-8 JSON), and ``format``.

The file is a zip (``numpy.load`` reads it with ``allow_pickle=False``); members are LZMA
compressed by :mod:`zipfile`. It is written to a scratch name and renamed, so a reader
never sees half a file.

Examples
--------
>>> import geopandas as gpd, shapely, tempfile, pathlib
>>> g = gpd.GeoDataFrame({"name": ["a", None]}, geometry=[shapely.box(179.5, 10, 180, 11),
...     shapely.box(-10, -80, 10, -60)], crs="EPSG:4326")
>>> with tempfile.TemporaryDirectory() as d:
...     f = pathlib.Path(d) / "x.npz"
...     _ = write_layer(g, f)
...     back = read_layer(f)
>>> back["name"].tolist(), bool(shapely.equals(back.geometry[0], g.geometry[0]))
(['a', None], True)
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geo._errors import GeoError
from geo._io import NUMPY_LOAD_LOCK

__all__ = ["FORMAT", "QUANTUM_DEG", "ZoneFileError", "read_layer", "write_layer"]

FORMAT = "geo-zone-layer/1"
QUANTUM_DEG = 1e-7
_ARRAYS = ("x", "y", "ring_counts", "polygon_counts", "geometry_counts")


class ZoneFileError(GeoError):
    """A zone-layer file that is not one, or is damaged."""


def _planes(a: np.ndarray) -> np.ndarray:
    """int64 array -> (8, n) uint8 byte planes (little-endian)."""
    out: np.ndarray = np.ascontiguousarray(a.astype("<i8")).view(np.uint8).reshape(-1, 8).T.copy()
    return out


def _unplanes(p: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.ascontiguousarray(p.T).view("<i8").ravel()
    return out


def _npy(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.ascontiguousarray(arr), allow_pickle=False)
    return buf.getvalue()


def _from_npy(data: bytes) -> np.ndarray:
    """The array a ``.npy`` member's bytes hold, viewed in place (read-only), no pickles.

    Only the header is parsed under :data:`geo._io.NUMPY_LOAD_LOCK`; the data is not copied.
    """
    fh = io.BytesIO(data)
    version = np.lib.format.read_magic(fh)
    with NUMPY_LOAD_LOCK:
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
        else:
            raise ValueError(f"a member is .npy format {version[0]}.{version[1]}; this reader knows 1.0 and 2.0")
    if dtype.hasobject:
        raise ValueError(f"a member holds Python objects ({dtype}), which are never read")
    count = int(np.prod(shape, dtype=np.int64))
    arr = np.frombuffer(data, dtype=dtype, count=count, offset=fh.tell())
    return arr.reshape(shape, order="F" if fortran else "C")


def write_layer(gdf: Any, path: str | os.PathLike[str]) -> Path:
    """Write a GeoDataFrame of (multi)polygons in EPSG:4326 to ``path`` (atomically)."""
    path = Path(path)
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    types = shapely.get_type_id(geoms)
    if not np.isin(types, [3, 6]).all():
        raise ZoneFileError(f"{path}: only Polygon and MultiPolygon geometries can be stored, got types {sorted(set(types))}")
    # one MultiPolygon per row (a loop over features, not points: a layer has hundreds)
    multi = np.array(
        [g if t == 6 else shapely.MultiPolygon([g]) if not g.is_empty else shapely.MultiPolygon()
         for g, t in zip(geoms, types, strict=True)],
        dtype=object,
    )
    _, coords, (ring_off, poly_off, geom_off) = shapely.to_ragged_array(multi)
    q = np.round(coords / QUANTUM_DEG).astype(np.int64)
    deltas = np.diff(q, axis=0, prepend=np.zeros((1, 2), np.int64))
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    attrs = {
        "format": FORMAT,
        "quantum_deg": QUANTUM_DEG,
        "crs": "EPSG:4326",
        "columns": cols,
        "values": {c: [None if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in gdf[c].tolist()] for c in cols},
    }
    members = {
        "x.npy": _npy(_planes(deltas[:, 0])),
        "y.npy": _npy(_planes(deltas[:, 1])),
        "ring_counts.npy": _npy(np.diff(ring_off).astype(np.int32)),
        "polygon_counts.npy": _npy(np.diff(poly_off).astype(np.int32)),
        "geometry_counts.npy": _npy(np.diff(geom_off).astype(np.int32)),
        "attributes.json": json.dumps(attrs, ensure_ascii=False).encode("utf-8"),
    }
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_LZMA) as z:
            for name, data in members.items():
                z.writestr(name, data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def read_layer(path: str | os.PathLike[str]) -> Any:
    """The GeoDataFrame stored by :func:`write_layer` (EPSG:4326, MultiPolygons)."""
    import geopandas as gpd

    path = Path(path)
    try:
        # the members decompressed first (LZMA releases the GIL: layers read on threads
        # overlap here), their headers parsed under the lock numpy's header parser needs
        with zipfile.ZipFile(path) as zf:
            attrs = json.loads(zf.read("attributes.json").decode("utf-8"))
            if attrs.get("format") != FORMAT:
                raise ZoneFileError(f"{str(path)!r} is format {attrs.get('format')!r}, expected {FORMAT!r}")
            raw = {name: zf.read(f"{name}.npy") for name in _ARRAYS}
        z = {name: _from_npy(data) for name, data in raw.items()}
        x = np.cumsum(_unplanes(z["x"]))
        y = np.cumsum(_unplanes(z["y"]))
        ring_off = np.r_[0, np.cumsum(z["ring_counts"], dtype=np.int64)]
        poly_off = np.r_[0, np.cumsum(z["polygon_counts"], dtype=np.int64)]
        geom_off = np.r_[0, np.cumsum(z["geometry_counts"], dtype=np.int64)]
    except ZoneFileError:
        raise
    except Exception as exc:  # zipfile/numpy raise many kinds for a damaged file
        raise ZoneFileError(
            f"cannot read the zone layer {str(path)!r} ({type(exc).__name__}: {exc}); restore it "
            f"(the bundle: reinstall geo-maritime, or 'git checkout data/boundaries')"
        ) from exc
    quantum = float(attrs["quantum_deg"])
    coords = np.column_stack([x * quantum, y * quantum])
    geoms = shapely.from_ragged_array(shapely.GeometryType.MULTIPOLYGON, coords, (ring_off, poly_off, geom_off))
    import pandas as pd

    data = {c: pd.Series(attrs["values"][c], dtype=object) for c in attrs["columns"]}
    gdf = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geoms), crs=attrs.get("crs", "EPSG:4326"))
    return gdf
