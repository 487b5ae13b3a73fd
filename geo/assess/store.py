"""What a query needs, built once and kept on disk: content-keyed, memory-mapped arrays; lines by tile.

:func:`cached_arrays` keeps named numpy arrays in a folder of ``.npy`` files under
:func:`geo.assess.cache.cache_dir` (no pickle), keyed on the bytes of the files they were
built from (:func:`content_key`), and opens them memory-mapped: a query reads only the
pages it touches. Each file is written atomically and ``key.json`` last, so a torn, stale
or foreign entry is rebuilt, never trusted.

:class:`TiledLines` holds the segments distances are measured to (EEZ limits, coasts),
sorted by 1 deg tile: a query loads only the tiles within its search radius, and the exact
distances (:class:`geo._distance.LineDistance`) are computed on the few segments that can
be nearest, chosen by chord bounds (below). Answers are those of one LineDistance over all
the segments.

Bounds: a segment S (a geodesic from A to B of length L) has every point P within L of A
and of B, so by the triangle inequality in 3-D, ``chord(q, P) >= max(chord(q, A), chord(q, B)) - L``,
and a geodesic is never shorter than its chord. Any exact distance from q to an end of a
segment is an upper bound U on q's nearest distance; only segments whose lower bound is
at most U can be nearest.

Examples
--------
>>> import numpy as np
>>> t = TiledLines.from_segments([130.0, 130.0], [30.0, 35.0], [130.0, 130.0], [35.0, 40.0], [0, 1])
>>> d, fx, fy, row = t.nearest(131.0, 37.0)
>>> row, round(d / 1e3, 1)
(1, 89.0)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from geo._distance import LineDistance
from geo._errors import GeoError
from geo._io import NUMPY_LOAD_LOCK, atomic_path
from geo.geodesy import GEOD

__all__ = ["STORE_FORMAT", "TILE_DEG", "WHOLE_MAX", "WHOLE_POINTS", "WHOLE_SHARE", "TiledLines", "cached_arrays", "content_key", "file_digest", "has_entry", "query_few_or_many", "tile_of", "tiles_near", "use_whole"]

STORE_FORMAT = 2  # bump when what a store entry holds changes (2: 1 deg tiles)
TILE_DEG = 1.0
_NX, _NY = int(360 / TILE_DEG), int(180 / TILE_DEG)
_R_MIN = GEOD.b**2 / GEOD.a  # smallest radius of curvature on WGS84: the widest angle for a distance
_MAX_EDGE_M = 4_000.0  # segments are cut to this length at build time (short ones keep tiles local)
_FEW = 16  # up to this many points, one chord-bounded search each; beyond, one LineDistance for all
WHOLE_SHARE = 0.5  # a batch whose tiles hold this share of the segments is measured on the whole (stored) index,
WHOLE_POINTS = 5_000  # and so is a batch this big (a catalogue): building it once beats a subset in every process,
WHOLE_MAX = 2_000_000  # over lines of up to this many segments (a region's coast: 0.43 M; the world's are more)

_F = NDArray[np.float64]
_I = NDArray[np.int64]


def content_key(files: Sequence[Path], *, extra: str = "") -> str:
    """sha256 of the files' bytes, ``extra`` (what else the entry depends on), geo's version and the format."""
    import geo

    h = hashlib.sha256()
    for file in files:
        h.update(file_digest(Path(file)).encode() + b"|")
    h.update(f"|{extra}|geo {geo.__version__}|store {STORE_FORMAT}".encode())
    return h.hexdigest()


def file_digest(file: Path) -> str:
    """sha256 of a file's bytes, remembered in the cache folder against what tells its versions apart.

    The stamp is (size, mtime, ctime, inode) of the resolved path: ``ctime`` changes on every
    write or rename and cannot be set back, so a file changed in place is hashed again; a
    new clone has new stamps, is hashed once, and finds the entries its content keys name.
    """
    from geo.assess.cache import cache_dir

    path = file.resolve()
    st = path.stat()
    stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    memo_file = cache_dir() / "digests.json"
    try:
        memo = json.loads(memo_file.read_text(encoding="utf-8"))
        if not isinstance(memo, dict):
            memo = {}
    except (OSError, ValueError):
        memo = {}
    seen = memo.get(str(path))
    if isinstance(seen, dict) and seen.get("stamp") == stamp and isinstance(seen.get("sha256"), str):
        return str(seen["sha256"])
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    memo[str(path)] = {"stamp": stamp, "sha256": h.hexdigest()}
    with contextlib.suppress(OSError, GeoError), atomic_path(memo_file) as tmp:
        tmp.write_text(json.dumps(memo), encoding="utf-8")
    return h.hexdigest()


def _entry(name: str, key: str) -> Path:
    from geo.assess.cache import cache_dir

    return cache_dir() / f"{name}-{key[:16]}"


def _meta(folder: Path, key: str) -> dict[str, Any] | None:
    """An entry's ``key.json`` if it names ``key`` and lists its arrays; else None."""
    try:
        meta = json.loads((folder / "key.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(meta, dict) and meta.get("key") == key and isinstance(meta.get("arrays"), dict)
    return meta if ok else None


def _load(folder: Path, key: str) -> dict[str, NDArray[np.generic]] | None:
    """The arrays of an entry, memory-mapped, if its ``key.json`` names ``key`` and every array matches it."""
    meta = _meta(folder, key)
    if meta is None:
        return None
    try:
        out: dict[str, NDArray[np.generic]] = {}
        for name, (dtype, shape) in meta["arrays"].items():
            with NUMPY_LOAD_LOCK:  # layers are read on threads (see the lock)
                arr = np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            if str(arr.dtype) != dtype or list(arr.shape) != list(shape):
                return None
            out[str(name)] = arr
        return out
    except (OSError, ValueError, TypeError, KeyError):
        return None


def has_entry(name: str, key: str) -> bool:
    """Whether entry ``name`` is stored for ``key`` (its ``key.json`` names it; the arrays are not opened)."""
    return _meta(_entry(name, key), key) is not None


def _save(folder: Path, key: str, arrays: Mapping[str, NDArray[np.generic]]) -> None:
    meta = {"key": key, "arrays": {}}
    for name, arr in arrays.items():
        a = np.ascontiguousarray(arr)
        with atomic_path(folder / f"{name}.npy") as tmp, tmp.open("wb") as fh:
            np.save(fh, a, allow_pickle=False)
        meta["arrays"][name] = [str(a.dtype), list(a.shape)]  # type: ignore[index]
    with atomic_path(folder / "key.json") as tmp:  # last: the entry is whole once this exists
        tmp.write_text(json.dumps(meta), encoding="utf-8")


def cached_arrays(
    name: str, key: str, build: Callable[[], Mapping[str, NDArray[np.generic]]]
) -> Mapping[str, NDArray[np.generic]]:
    """The arrays ``build()`` returns, kept as entry ``name`` under ``key`` and read back memory-mapped.

    A missing, stale or damaged entry is built and written (atomically, file by file); an
    unwritable cache folder only costs the build next time.
    """
    folder = _entry(name, key)
    found = _load(folder, key)
    if found is not None:
        return found
    arrays = {k: np.asarray(v) for k, v in build().items()}
    with contextlib.suppress(OSError, GeoError):
        _save(folder, key, arrays)
        found = _load(folder, key)
    return found if found is not None else arrays


def _ecef(lon: _F, lat: _F) -> _F:
    """(n, 3) geocentric metres of surface points (WGS84)."""
    lam, phi = np.radians(lon), np.radians(lat)
    sin_phi = np.sin(phi)
    nu = GEOD.a / np.sqrt(1.0 - GEOD.es * sin_phi**2)
    return np.column_stack([nu * np.cos(phi) * np.cos(lam), nu * np.cos(phi) * np.sin(lam), nu * (1.0 - GEOD.es) * sin_phi])


def tile_of(lon: _F, lat: _F) -> _I:
    """The 1 deg tile of each point (lon in [-180, 180)), as one index: column * 180 + row."""
    i = np.clip(np.floor((np.asarray(lon) + 180.0) / TILE_DEG), 0, _NX - 1).astype(np.int64)
    j = np.clip(np.floor((np.asarray(lat) + 90.0) / TILE_DEG), 0, _NY - 1).astype(np.int64)
    return i * _NY + j


def tiles_near(lon: ArrayLike, lat: ArrayLike, radius_m: float) -> _I:
    """Tiles that hold every surface point within ``radius_m`` (geodesic) of any of the points, sorted.

    Worked per row of tiles (180 at most) with the row's own latitude extent: conservative
    (a sphere of the smallest radius of curvature, 2 % and 0.1 deg of slack), never
    missing a tile.
    """
    x, y = (np.atleast_1d(np.asarray(v, dtype=float)).ravel() for v in (lon, lat))
    ok = np.isfinite(x) & np.isfinite(y)
    grid = np.zeros((_NX, _NY), dtype=bool)
    if not ok.any():
        return np.zeros(0, np.int64)
    occupied = np.zeros((_NX, _NY), dtype=bool)
    t = tile_of((x[ok] + 180.0) % 360.0 - 180.0, y[ok])
    occupied[t // _NY, t % _NY] = True
    r = min(radius_m * 1.02 / _R_MIN, np.pi)
    dlat = np.degrees(r) + 0.1
    for j in np.flatnonzero(occupied.any(axis=0)).tolist():  # rows of tiles (at most 180)
        s, n = j * TILE_DEG - 90.0 - dlat, (j + 1) * TILE_DEG - 90.0 + dlat
        j0, j1 = max(int(np.floor((s + 90.0) / TILE_DEG)), 0), min(int(np.floor((n + 90.0) / TILE_DEG)), _NY - 1)
        far = max(abs(j * TILE_DEG - 90.0), abs((j + 1) * TILE_DEG - 90.0))  # the row's latitude farthest from the equator
        if s <= -90.0 or n >= 90.0 or r > np.pi / 2 or np.sin(r) >= np.cos(np.radians(far)):
            grid[:, j0 : j1 + 1] = True  # reaches a pole, or wraps in longitude
            continue
        dlon = np.degrees(np.arcsin(np.sin(r) / np.cos(np.radians(far)))) + 0.1
        if dlon >= 180.0:
            grid[:, j0 : j1 + 1] = True
            continue
        cols = occupied[:, j]
        near = np.zeros(_NX, dtype=bool)
        for shift in range(-int(np.ceil(dlon / TILE_DEG)), int(np.floor(dlon / TILE_DEG)) + 2):  # west to east of the tile
            near |= np.roll(cols, shift)
        grid[:, j0 : j1 + 1] |= near[:, None]
    return np.flatnonzero(grid.ravel())


@dataclass
class TiledLines:
    """Geodesic segments (lon/lat, each at most 4 km) sorted by the tiles of their two ends.

    A segment whose ends lie in two tiles is kept in both. ``row`` tags each segment with
    the input row (polygon) it came from.
    """

    ax: _F
    ay: _F
    bx: _F
    by: _F
    row: _I
    length: _F  # geodesic length, metres
    a3: _F  # (n, 3) ECEF of A, metres
    b3: _F
    offsets: _I  # segments of tile t are offsets[t]:offsets[t + 1]

    @classmethod
    def from_segments(cls, ax: ArrayLike, ay: ArrayLike, bx: ArrayLike, by: ArrayLike, row: ArrayLike) -> TiledLines:
        """Tile loose segments A->B tagged by ``row`` (longer ones cut into 4 km geodesic pieces)."""
        ld = LineDistance.from_segments(ax, ay, bx, by, row, max_edge_m=_MAX_EDGE_M)  # cuts, measures
        ta, tb = tile_of(ld.ax, ld.ay), tile_of(ld.bx, ld.by)
        seg = np.concatenate([np.arange(ta.size), np.flatnonzero(tb != ta)])
        tile = np.concatenate([ta, tb[tb != ta]])
        order = np.lexsort((seg, tile))
        seg, tile = seg[order], tile[order]
        offsets = np.searchsorted(tile, np.arange(_NX * _NY + 1)).astype(np.int64)
        return cls(ld.ax[seg], ld.ay[seg], ld.bx[seg], ld.by[seg], ld.edge_line[seg].astype(np.int64),
                   ld.length[seg], ld.a_ecef[seg], ld.b_ecef[seg], offsets)  # fmt: skip

    def to_arrays(self) -> dict[str, NDArray[np.generic]]:
        return {k: getattr(self, k) for k in ("ax", "ay", "bx", "by", "row", "length", "a3", "b3", "offsets")}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, NDArray[Any]]) -> TiledLines:
        # plain ndarray views of the memory maps: the same pages, without memmap's per-index overhead
        return cls(**{k: np.asarray(arrays[k]) for k in ("ax", "ay", "bx", "by", "row", "length", "a3", "b3", "offsets")})

    @property
    def size(self) -> int:
        return int(self.ax.shape[0])

    @property
    def max_length_m(self) -> float:
        return float(np.max(self.length)) if self.size else 0.0

    def unique(self) -> _I:
        """Each segment once (the copy kept in the tile of its A end), in tile order."""
        tile = np.repeat(np.arange(self.offsets.size - 1), np.diff(self.offsets))
        return np.flatnonzero(tile == tile_of(self.ax, self.ay))

    def whole(self, line: _I, *, per_line: bool, store: Callable[[Callable[[], Mapping[str, NDArray[Any]]]], Mapping[str, NDArray[Any]]] | None = None) -> LineDistance:
        """One LineDistance over every segment (each once), segment ``i`` of :meth:`unique` on line ``line[i]``.

        For a batch whose search reaches most tiles anyway (a catalogue over the region): one
        index, built once and kept by ``store(build)`` (its arrays), instead of one over the
        tiles near the points in every process. Segments with ``line < 0`` are left out.
        """

        def build() -> dict[str, NDArray[Any]]:
            seg = self.unique()
            keep = line >= 0
            s = seg[keep]
            return LineDistance.from_segments(
                self.ax[s], self.ay[s], self.bx[s], self.by[s], line[keep], max_edge_m=_MAX_EDGE_M * 1.01, per_line=per_line
            ).to_arrays()

        return LineDistance.from_arrays(store(build) if store is not None else build())

    def in_tiles(self, tiles: _I) -> _I:
        """Indices of the segments kept in ``tiles`` (contiguous runs: a memory map reads only those)."""
        if tiles.size == 0:
            return np.zeros(0, np.int64)
        lo, hi = self.offsets[tiles], self.offsets[tiles + 1]
        n = hi - lo
        return np.repeat(lo - np.cumsum(n) + n, n) + np.arange(int(n.sum()))

    def near(self, lon: ArrayLike, lat: ArrayLike, radius_m: float) -> _I:
        """Segments that may come within ``radius_m`` of any of the points (a superset)."""
        return self.in_tiles(tiles_near(lon, lat, radius_m + self.max_length_m))

    def distance(self, seg: _I) -> LineDistance:
        """A LineDistance over the segments ``seg`` (its line index is the position in ``seg``)."""
        s = np.asarray(seg)
        return LineDistance.from_segments(self.ax[s], self.ay[s], self.bx[s], self.by[s], np.arange(s.size), max_edge_m=_MAX_EDGE_M * 1.01)

    def nearest(self, lon: float, lat: float, *, seg: _I | None = None) -> tuple[float, float, float, int]:
        """The nearest of the segments ``seg`` (default: all) to one point: distance (m), its nearest point, row.

        NaN and row -1 when ``seg`` is empty.
        """
        keep, _ = self._candidates(lon, lat, np.arange(self.size) if seg is None else seg, None, np.inf)
        if keep.size == 0:
            return np.nan, np.nan, np.nan, -1
        d, fx, fy, which = self.distance(keep).query([lon], [lat])
        return float(d[0]), float(fx[0]), float(fy[0]), int(self.row[keep[which[0]]])

    def nearest_by_group(
        self, lon: float, lat: float, seg: _I, group: NDArray[np.str_], *, within_m: float = np.inf
    ) -> dict[str, tuple[float, float, float, int]]:
        """Per group (``group`` labels each of ``seg``, e.g. its country), the nearest segment to one point.

        ``{group: (distance_m, lon, lat, row)}`` for the groups whose nearest segment lies
        within ``within_m``.
        """
        keep, labels = self._candidates(lon, lat, seg, group, within_m)
        out: dict[str, tuple[float, float, float, int]] = {}
        if keep.size == 0:
            return out
        order = np.argsort(labels, kind="stable")
        keep, labels = keep[order], labels[order]
        starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])
        for a, b in zip(starts.tolist(), [*starts[1:].tolist(), labels.size], strict=True):  # a few dozen groups
            d, fx, fy, which = self.distance(keep[a:b]).query([lon], [lat])
            if d[0] <= within_m:
                out[str(labels[a])] = (float(d[0]), float(fx[0]), float(fy[0]), int(self.row[keep[a:b][which[0]]]))
        return out

    def _candidates(
        self, lon: float, lat: float, seg: _I, group: NDArray[np.generic] | None, within_m: float
    ) -> tuple[_I, NDArray[np.generic]]:
        """The segments of ``seg`` whose chord lower bound is within their group's upper bound (and ``within_m``)."""
        labels = np.zeros(seg.size, np.int64) if group is None else np.asarray(group)
        if seg.size == 0:
            return seg, labels
        q = _ecef(np.array([lon]), np.array([lat]))[0]
        ca = np.linalg.norm(np.asarray(self.a3[seg]) - q, axis=1)
        cb = np.linalg.norm(np.asarray(self.b3[seg]) - q, axis=1)
        lower = np.maximum(ca, cb) - np.asarray(self.length[seg])
        # per group, the end nearest by chord; its exact distance bounds the group's nearest from above
        near_end = np.minimum(ca, cb)
        order = np.lexsort((near_end, labels))
        first = order[np.r_[True, labels[order][1:] != labels[order][:-1]]]
        fx = np.where(ca[first] <= cb[first], self.ax[seg[first]], self.bx[seg[first]])
        fy = np.where(ca[first] <= cb[first], self.ay[seg[first]], self.by[seg[first]])
        _, _, upper = GEOD.inv(np.full(first.size, lon), np.full(first.size, lat), fx, fy)
        bound = np.minimum(np.asarray(upper) * (1.0 + 1e-9) + 1e-3, within_m)
        # the group's bound for each segment: groups are runs in `order`
        run = np.cumsum(np.r_[True, labels[order][1:] != labels[order][:-1]]) - 1
        per_seg = np.empty(seg.size)
        per_seg[order] = bound[run]
        m = lower <= per_seg
        return seg[m], labels[m]


def use_whole(n_points: int, n_near: int, n_segments: int, *, batch: bool = False) -> bool:
    """Whether a batch of ``n_points`` whose tiles hold ``n_near`` of ``n_segments`` goes to the whole index.

    ``batch``: the points are a step of a larger batch (a catalogue), so even a few go there.
    """
    if batch and n_points and n_segments <= WHOLE_MAX:
        return True
    return n_points > _FEW and (
        (n_points >= WHOLE_POINTS and n_segments <= WHOLE_MAX) or n_near >= WHOLE_SHARE * n_segments
    )


def query_few_or_many(
    lines: TiledLines, lon: _F, lat: _F, *, start_m: float = 62_500.0, whole: Callable[[], LineDistance] | None = None,
    batch: bool = False,
) -> tuple[_F, _F, _F, _I]:  # fmt: skip
    """Nearest segment of ``lines`` to each point, anywhere: (distance m, lon, lat, row); NaN/-1 for no coordinate.

    Few points: one chord-bounded search each. Many: one LineDistance over the tiles near
    them, its search radius growing (x4) for the points whose answer lies beyond it; or,
    for a batch :func:`use_whole` sends there, ``whole()`` (an index of every segment
    whose line is its row, :meth:`TiledLines.whole`) for them all.
    """
    n = lon.size
    d, fx, fy, row = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan), np.full(n, -1, np.int64)
    pending = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
    radius = start_m
    while pending.size and lines.size:
        px, py = lon[pending], lat[pending]
        whole_earth = radius >= np.pi * GEOD.a
        seg = np.arange(lines.size) if whole_earth else lines.near(px, py, radius)
        if whole is not None and use_whole(pending.size, seg.size, lines.size, batch=batch):
            dd, xx, yy, rr = whole().query(px, py)
            d[pending], fx[pending], fy[pending], row[pending] = dd, xx, yy, rr
            break
        if pending.size <= _FEW:
            got = [lines.nearest(float(a), float(b), seg=seg) for a, b in zip(px.tolist(), py.tolist(), strict=True)]  # few points
            dd, xx, yy = (np.array([g[k] for g in got], dtype=float) for k in range(3))
            rr = np.array([g[3] for g in got], dtype=np.int64)
        elif seg.size:
            dd, xx, yy, which = lines.distance(seg).query(px, py)
            rr = np.where(which >= 0, lines.row[seg[np.maximum(which, 0)]], -1)
        else:
            dd = np.full(pending.size, np.nan)
            xx, yy, rr = dd.copy(), dd.copy(), np.full(pending.size, -1)
        done = whole_earth | (np.isfinite(dd) & (dd <= radius))
        i = pending[done]
        d[i], fx[i], fy[i], row[i] = dd[done], xx[done], yy[done], rr[done]
        pending = pending[~done]
        radius *= 4.0
    return d, fx, fy, row
