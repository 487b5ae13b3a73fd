"""The zone index: which zones hold a point, under whose claim, and how far from each limit.

:class:`ZoneIndex` indexes the zone layers once per perspective: point lookups through a
grid index (:class:`geo._index.GridIndex`), geodesic distances to each country's EEZ limit
and to the coast (:class:`geo._distance.LineDistance`); perspectives: see :mod:`geo.assess`.

Examples
--------
>>> import geopandas as gpd, shapely
>>> box = gpd.GeoDataFrame({"kind": ["eez"], "sovereign": ["JPN"], "status": ["claimed"], "claimants": ["JPN"]},
...     geometry=[shapely.box(130.0, 30.0, 150.0, 45.0)], crs="EPSG:4326")
>>> ZoneIndex({"eez": box}).owner([145.0, 160.0], [40.0, 40.0]).tolist()
['JPN', 'high_seas']
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from geo._distance import LineDistance
from geo._errors import GeoError
from geo._index import GridIndex
from geo.assess.labels import UnknownPerspectiveError, check_perspective, claimants, labels
from geo.assess.limits import coast_lines, coast_segments, limit_segments
from geo.assess.region import LazyLayer, table_of
from geo.assess.store import TiledLines, query_few_or_many, tile_of, tiles_near, use_whole

__all__ = [
    "HIGH_SEAS",
    "LAYERS",
    "NEAR_LIMIT_KM",
    "OUTSIDE_COVERAGE",
    "OutsideCoverageError",
    "UnknownPerspectiveError",
    "ZoneIndex",
    "coverage_geometry",
]

LAYERS = ("land", "territorial_sea", "contiguous_zone", "eez")
# the world bundle's Antarctic Treaty area (as geo.zones.EXTRA_LAYERS: the index does not import zones)
ALL_LAYERS = (*LAYERS, "antarctic")
"""Zone layers, from the coast outward."""

HIGH_SEAS = "high_seas"
"""The outcome key of a point in no EEZ and not on land, inside the layers' coverage."""

OUTSIDE_COVERAGE = "outside_coverage"
"""The outcome key of a point outside the area where the zone layers are complete.

Never read as high seas: the layers say nothing about such a point."""

NEAR_LIMIT_KM = 1_000.0


class OutsideCoverageError(GeoError):
    """A point outside the area the zone layers cover: their answer there would be a guess."""


@dataclass
class _Layer:
    source: LazyLayer  # the columns now, the GeoDataFrame when asked
    index: Any  # GridIndex, or a LazyGrid over a stored one

    @property
    def frame(self) -> Any:
        return self.source.frame


class ZoneIndex:
    """Zone layers indexed for point lookups and geodesic distances, under one perspective.

    Parameters
    ----------
    layers : mapping of layer name to GeoDataFrame or LazyLayer
        Any of :data:`LAYERS`; each with ``sovereign``, ``status``, ``claimants``. A
        :class:`geo.assess.region.LazyLayer` gives its columns at once and its polygons
        only when they are needed (with a prebuilt index, never for a lookup).
    perspective : str, optional
        ISO3 code; None is neutral.
    cell_deg : float
        Grid cell size of the point index, degrees.
    indexes : mapping of layer name to GridIndex or LazyGrid, optional
        Prebuilt point indexes (from the cache), one per layer.
    coverage : shapely (Multi)Polygon or (west, south, east, north), optional
        Where the layers are complete, lon/lat degrees (a box's east may pass 180, and
        west > east crosses it). Outside it :meth:`owner` answers
        :data:`OUTSIDE_COVERAGE` and :func:`assess_point` refuses the point. None: the
        caller vouches that the layers cover the whole Earth.
    name : str, optional
        Where the layers come from (a folder), for messages.
    notes : sequence of str
        Caveats about the layers (missing layers, how the coverage was found), copied
        into every assessment's ``assumptions``.
    antarctic_claims : bool
        Give a claimant perspective the Antarctic areas it claims (status
        ``antarctic_treaty``); by default they answer ``antarctic:<claimants>``, since the
        Antarctic Treaty freezes every claim.
    line_store : callable, optional
        ``line_store(name, build)`` returns the arrays ``build()`` makes for the lines
        ``"limits"`` and ``"coast"`` (:class:`geo.assess.store.TiledLines`), kept on disk
        (:func:`geo.assess.store.cached_arrays`); None builds them in memory when needed.
    """

    def __init__(
        self,
        layers: Mapping[str, Any],
        *,
        perspective: str | None = None,
        cell_deg: float = 0.1,
        indexes: Mapping[str, Any] | None = None,
        coverage: Any = None,
        name: str | None = None,
        notes: Sequence[str] = (),
        antarctic_claims: bool = False,
        line_store: Callable[[str, Callable[[], Mapping[str, NDArray[Any]]]], Mapping[str, NDArray[Any]]] | None = None,
    ) -> None:
        unknown = set(layers) - set(ALL_LAYERS)
        if unknown:
            raise GeoError(f"unknown zone layer(s) {sorted(unknown)}; use {list(ALL_LAYERS)}")
        sources = {name_: _source(name_, gdf) for name_, gdf in layers.items()}
        self.perspective = check_perspective(perspective, sources)
        self.coverage = coverage_geometry(coverage)
        if self.coverage is not None:
            shapely.prepare(self.coverage)
        self.name = name
        self.notes = list(notes)
        self._layers: dict[str, _Layer] = {}
        for name_, source in sources.items():
            prebuilt = (indexes or {}).get(name_)
            index = (
                prebuilt
                if prebuilt is not None
                else GridIndex.build(source.frame.geometry.values, cell_deg=cell_deg)
            )
            if index.n_polygons != source.n_rows:
                raise GeoError(
                    f"the index of layer {name_!r} holds {index.n_polygons} polygons, the layer {source.n_rows}"
                )
            self._layers[name_] = _Layer(source, index)
        self.antarctic_claims = bool(antarctic_claims)
        self._labels = {
            name_: labels(layer.source.columns, self.perspective, self.antarctic_claims)
            for name_, layer in self._layers.items()
        }
        self._pole_hits: dict[tuple[str, int], NDArray[np.int64]] = {}
        self._line_store = line_store
        self._wholes: dict[str, LineDistance] = {}

    @property
    def layers(self) -> tuple[str, ...]:
        return tuple(self._layers)

    def frame(self, layer: str) -> Any:
        """The GeoDataFrame of one indexed layer (rows in index order; do not modify)."""
        if layer not in self._layers:
            raise GeoError(f"layer {layer!r} is not indexed; indexed layers: {list(self._layers)}")
        return self._layers[layer].frame

    def labels(self, layer: str) -> NDArray[np.str_]:
        """Per row of :meth:`frame`, its outcome key under this index's perspective."""
        if layer not in self._labels:
            raise GeoError(f"layer {layer!r} is not indexed; indexed layers: {list(self._layers)}")
        return self._labels[layer]

    # ------------------------------------------------------------------ coverage

    @property
    def coverage_text(self) -> str:
        """The coverage in words: its bounding box, and where the layers come from."""
        if self.coverage is None:
            return "the whole Earth"
        w, s, e, n = (float(v) for v in shapely.bounds(self.coverage))
        shape = "" if shapely.equals(self.coverage, shapely.envelope(self.coverage)) else "within "
        where = f" of {self.name}" if self.name else ""
        return f"{shape}lon {w:g} to {e:g}, lat {s:g} to {n:g}{where}"

    def covers(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
        """Per point, whether it lies in the layers' coverage (its edge included).

        Longitude 180 and -180 are one meridian; every longitude at a pole is one point,
        covered when the coverage reaches that pole anywhere.

        Examples
        --------
        >>> import geopandas as gpd, shapely
        >>> eez = gpd.GeoDataFrame({"kind": ["eez"], "sovereign": ["USA"], "status": ["claimed"],
        ...     "claimants": ["USA"]}, geometry=[shapely.box(170, 50, 180, 55)], crs="EPSG:4326")
        >>> zi = ZoneIndex({"eez": eez}, coverage=(100, 0, 180, 65))
        >>> zi.covers([180.0, -180.0, 2.35, 0.0], [51.8, 51.8, 48.85, 90.0]).tolist()
        [True, True, False, False]
        >>> zi.owner([180.0, -180.0, 179.9999, 2.35], [51.8, 51.8, 51.8, 48.85]).tolist()
        ['USA', 'USA', 'USA', 'outside_coverage']
        """
        x, y = _wrap(lon, lat)
        if self.coverage is None:
            return np.isfinite(x) & np.isfinite(y)
        inside = np.asarray(shapely.intersects_xy(self.coverage, x, y), dtype=bool)
        seam = x == -180.0
        if seam.any():
            inside[seam] |= np.asarray(shapely.intersects_xy(self.coverage, 180.0, y[seam]), dtype=bool)
        for sign in (1, -1):
            pole = y == 90.0 * sign
            if pole.any():
                inside[pole] = bool(shapely.intersects(self.coverage, _pole_line(sign)))
        return inside

    # ------------------------------------------------------------------ lookups

    def lookup(
        self, layer: str, lon: ArrayLike, lat: ArrayLike
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """(point, row) pairs of ``layer`` rows that hold each point (boundary included).

        Sorted by point, then row. Longitudes are wrapped into [-180, 180); a point on
        the 180th meridian is looked up at both -180 and 180, and a pole is in every row
        that reaches it.
        """
        if layer not in self._layers:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        x, y = _wrap(lon, lat)
        pole = np.abs(y) == 90.0
        seam = np.flatnonzero((x == -180.0) & ~pole)
        qx = np.concatenate([np.where(pole, np.nan, x), np.full(seam.size, 180.0)])
        qy = np.concatenate([y, y[seam]])
        qid = np.concatenate([np.arange(x.size), seam])
        pts, rows = self._layers[layer].index.query(qx, qy)
        pts = qid[pts]
        if not (seam.size or pole.any()):
            return pts, rows
        parts = [(pts, rows)]
        for sign in (1, -1):
            at = np.flatnonzero(y == 90.0 * sign)
            hit = self._pole_rows(layer, sign)
            if at.size and hit.size:
                parts.append((np.repeat(at, hit.size), np.tile(hit, at.size)))
        n_rows = max(self._layers[layer].source.n_rows, 1)
        key = np.unique(np.concatenate([p * n_rows + r for p, r in parts]))
        return key // n_rows, key % n_rows

    def _pole_rows(self, layer: str, sign: int) -> NDArray[np.int64]:
        if (layer, sign) not in self._pole_hits:
            geoms = self._layers[layer].frame.geometry.values
            self._pole_hits[layer, sign] = np.flatnonzero(shapely.intersects(geoms, _pole_line(sign)))
        return self._pole_hits[layer, sign]

    def first(self, layer: str, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.int64]:
        """For each point the row of ``layer`` that holds it (the first, by row order), or -1."""
        n = np.asarray(lon, dtype=float).size
        out = np.full(n, -1, dtype=np.int64)
        pts, rows = self.lookup(layer, lon, lat)
        # Reverse so that, for points on a shared boundary, the lowest row wins.
        out[pts[::-1]] = rows[::-1]
        return out

    def owner(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.str_]:
        """Outcome key per point: land:ISO3, an EEZ's ISO3 (or disputed:A+B), high_seas, or outside_coverage.

        Vectorised; this is what probabilities count. A point outside :attr:`coverage`
        is :data:`OUTSIDE_COVERAGE` whatever the layers hold there.
        """
        x, y = _wrap(lon, lat)
        out = np.full(x.size, HIGH_SEAS, dtype=object)
        eez = self.first("eez", x, y)
        hit = eez >= 0
        out[hit] = self._labels["eez"][eez[hit]] if "eez" in self._labels else HIGH_SEAS
        land = self.first("land", x, y)
        on_land = land >= 0
        if on_land.any():
            # Land of a disputed feature is "land:disputed:A+B", or the claimant's under its perspective.
            out[on_land] = np.char.add("land:", self._labels["land"][land[on_land]])
        out[~self.covers(x, y)] = OUTSIDE_COVERAGE
        return out.astype(str)

    def zones_at(self, lon: float, lat: float) -> list[dict[str, Any]]:
        """Every zone holding one point: kind, country, status, claimants (and territory, source)."""
        found = []
        for name in ALL_LAYERS:
            if name not in self._layers:
                continue
            _, rows = self.lookup(name, [lon], [lat])
            columns = self._layers[name].source.columns
            for r in rows.tolist():
                rec = {k: v[r] for k, v in columns.items()}
                found.append(
                    {
                        "kind": name,
                        "country": str(self._labels[name][r]),
                        "sovereign": str(rec["sovereign"]),
                        "status": str(rec["status"]),
                        "claimants": claimants(rec["claimants"]),
                        "territory": str(rec.get("territory", "") or ""),
                        "source": str(rec.get("source", "") or ""),
                    }
                )
        return found

    # ------------------------------------------------------------------ distances

    @property
    def _cut(self) -> tuple[float, float, float, float] | None:
        """The coverage's bounds: edges along them are where a regional build was cut off."""
        if self.coverage is None:
            return None
        w, s, e, n = (float(v) for v in shapely.bounds(self.coverage))
        return w, s, e, n

    @functools.cached_property
    def _vertices(self) -> dict[str, NDArray[np.float64]]:
        """Every vertex (lon, lat) of the land and EEZ layers, one row each."""
        return {
            name: shapely.get_coordinates(self._layers[name].frame.geometry.values)
            for name in ("land", "eez")
            if name in self._layers
        }

    @functools.cached_property
    def _coasts(self) -> tuple[LineDistance, list[str]] | None:
        """The land-sea edge, as segments named by their land's owner (:func:`geo.assess.limits.coast_lines`)."""
        if "land" not in self._layers:
            return None
        ld = coast_lines(self._layers["land"].frame.geometry.values, self._vertices.get("eez"), cut=self._cut)
        if ld is None:
            return None
        return ld, self._labels["land"].tolist()

    @functools.cached_property
    def _tiled(self) -> dict[str, TiledLines | None]:
        """The EEZ limits (rows of ``eez``) and the coast (rows of ``land``) as tiled segments, for one-region queries."""

        def build(name: str) -> dict[str, NDArray[Any]]:
            if name == "limits":
                land = self._vertices.get("land", np.zeros((0, 2)))
                segs = limit_segments(self._layers["eez"].frame.geometry.values, land, cut=self._cut)
            else:
                segs = coast_segments(self._layers["land"].frame.geometry.values, self._vertices.get("eez"), cut=self._cut)
            return TiledLines.from_segments(*segs).to_arrays() if segs[0].size else {"empty": np.zeros(0)}

        out: dict[str, TiledLines | None] = {}
        for name, layer in (("limits", "eez"), ("coast", "land")):
            if layer not in self._layers:
                out[name] = None
                continue
            arrays = self._line_store(name, functools.partial(build, name)) if self._line_store else build(name)
            out[name] = TiledLines.from_arrays(arrays) if "ax" in arrays else None
        return out

    @functools.cached_property
    def _limit_names(self) -> list[str]:
        """The countries that have a limit (labels of the EEZ rows without ":"), line ``i`` of ``_whole("limits")``."""
        return sorted({c for c in self._labels["eez"].tolist() if ":" not in c}) if "eez" in self._labels else []

    @functools.cached_property
    def _limit_line(self) -> NDArray[np.int64]:
        """Per EEZ row, its country's line in ``_whole("limits")`` (-1: a disputed or joint area, no single limit)."""
        code = {n: i for i, n in enumerate(self._limit_names)}
        return np.array([code.get(c, -1) for c in self._labels["eez"].tolist()], dtype=np.int64)  # one per row

    def _whole(self, name: str) -> LineDistance:
        """Every segment of the limits (one line a country, ``_limit_names``) or of the coast (line: land row), stored."""
        if name not in self._wholes:
            self._wholes[name] = self._build_whole(name)
        return self._wholes[name]

    def _build_whole(self, name: str) -> LineDistance:
        lines = self._tiled[name]
        assert lines is not None
        row = lines.row[lines.unique()]
        if name == "coast":
            line, tag = row, "coast-whole"
        else:  # lines by country: which depends on the perspective, so the entry does too
            line = self._limit_line[row]
            tag = "limits-whole-" + hashlib.sha256("|".join(self._labels["eez"].tolist()).encode()).hexdigest()[:12]
        store = functools.partial(self._line_store, tag) if self._line_store else None
        return lines.whole(line, per_line=name != "coast", store=store)

    @functools.cached_property
    def _coverage_edge(self) -> LineDistance | None:
        """The coverage's edge (less the 180th meridian where the coverage goes on across it)."""
        if self.coverage is None:
            return None
        lines = shapely.segmentize(shapely.boundary(self.coverage), 0.1)  # follow parallels, not geodesics
        coords, part = shapely.get_coordinates(shapely.get_parts(lines), return_index=True)
        a = np.flatnonzero(part[1:] == part[:-1])
        b = a + 1
        x, y = coords[:, 0], coords[:, 1]
        drop = (np.abs(y[a]) == 90.0) & (y[a] == y[b])
        both_sides = bool(
            shapely.intersects(self.coverage, shapely.LineString([(180, -90), (180, 90)]))
        ) and bool(shapely.intersects(self.coverage, shapely.LineString([(-180, -90), (-180, 90)])))
        if both_sides:
            drop |= (np.abs(x[a]) == 180.0) & (x[a] == x[b])
        a, b = a[~drop], b[~drop]
        if a.size == 0:
            return None
        return LineDistance.from_segments(x[a], y[a], x[b], y[b], np.zeros(a.size, np.int64))

    def coverage_edge_km(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.float64]:
        """Geodesic distance (km) from each point to the edge of the coverage (inf without one)."""
        x, y = _wrap(lon, lat)
        edge = self._coverage_edge
        if edge is None:
            return np.full(x.size, np.inf)
        d, _, _, _ = edge.query(x, y)
        return np.asarray(d / 1e3, dtype=float)

    def distance_to_limits_km(
        self, lon: float, lat: float, *, within_km: float = NEAR_LIMIT_KM
    ) -> dict[str, dict[str, float]]:
        """Signed geodesic distance (km, negative inside) to each country's EEZ limit within ``within_km``.

        One point (numbers): ``{ISO3: {"distance_km", "nearest_lon", "nearest_lat"}}``, nearest
        first; empty for a point outside the coverage (its side of any limit is unknown). Only
        limits inside the coverage count: near its edge a nearer limit may lie beyond it
        (:func:`assess_point` says so in its assumptions).

        Many points: :meth:`distances_to_limits_km`.
        """
        lines = self._tiled["limits"]
        if lines is None or not self.covers([lon], [lat])[0]:
            return {}
        lon, lat = float(_wrap(lon, lat)[0][0]), float(lat)
        seg = lines.near([lon], [lat], within_km * 1e3)  # the tiles within reach only
        country = self._labels["eez"][lines.row[seg]]
        single = np.char.find(country, ":") < 0  # disputed and joint areas have no single limit
        near = lines.nearest_by_group(lon, lat, seg[single], country[single], within_m=within_km * 1e3)
        out: dict[str, dict[str, float]] = {}
        for name, (d, fx, fy, _) in near.items():  # a few dozen countries
            inside = bool(self._inside_country_eez(name, lon, lat))
            out[name] = {
                "distance_km": round((-d if inside else d) / 1e3, 6),
                "nearest_lon": fx,
                "nearest_lat": fy,
            }
        return dict(sorted(out.items(), key=lambda kv: abs(kv[1]["distance_km"])))

    def distances_to_limits_km(
        self, lon: ArrayLike, lat: ArrayLike, *, within_km: float = NEAR_LIMIT_KM
    ) -> list[dict[str, dict[str, float]]]:
        """:meth:`distance_to_limits_km` for many points at once, one dict per point.

        One LineDistance per country over the limits in the tiles near the points, each
        queried with every point (not a loop over points); a few points take the one-point path.
        """
        x, y = _wrap(lon, lat)
        lines = self._tiled["limits"]
        if x.size <= 16 or lines is None:
            return [self.distance_to_limits_km(float(a), float(b), within_km=within_km) for a, b in zip(x.tolist(), y.tolist(), strict=True)]  # fmt: skip
        out: list[dict[str, dict[str, float]]] = [{} for _ in range(x.size)]
        covered = self.covers(x, y)
        if not covered.any():
            return out
        seg = lines.near(x[covered], y[covered], within_km * 1e3)
        pts, rows = self.lookup("eez", x, y)  # whose EEZ holds each point: the sign of its distance
        holder = self._labels["eez"][rows]
        if use_whole(x.size, seg.size, lines.size):  # a catalogue: every limit at once, one stored index
            ld, names = self._whole("limits"), self._limit_names
            at = np.flatnonzero(covered)
            p, li, d, fx, fy = ld.nearest_per_line(x[at], y[at], within_m=within_km * 1e3)
            keep = d / 1e3 <= within_km
            p, li, d, fx, fy = at[p[keep]], li[keep], d[keep], fx[keep], fy[keep]
            # inside (negative) where the point's own EEZ rows include that country's
            held = self._limit_line[rows]
            inside = np.isin(p * len(names) + li, pts[held >= 0] * len(names) + held[held >= 0])
            km = np.where(inside, -d, d) / 1e3
            for i, c, k, a, b in zip(p.tolist(), li.tolist(), km.tolist(), fx.tolist(), fy.tolist(), strict=True):  # one dict per point
                out[i][names[c]] = {"distance_km": round(k, 6), "nearest_lon": a, "nearest_lat": b}
            return [dict(sorted(o.items(), key=lambda kv: abs(kv[1]["distance_km"]))) for o in out]
        country = self._labels["eez"][lines.row[seg]]
        point_tile = tile_of(x, y)
        for name in np.unique(country).tolist():  # a few dozen countries, each one query for its points
            if ":" in name:
                continue
            mine = seg[country == name]
            # only the points in tiles within reach of this country's limit
            reach = np.isin(point_tile, tiles_near(lines.ax[mine], lines.ay[mine], within_km * 1e3 + lines.max_length_m))
            at = np.flatnonzero(covered & reach)
            if at.size == 0:
                continue
            d, fx, fy, _ = lines.distance(mine).query(x[at], y[at])
            inside = np.zeros(x.size, dtype=bool)
            inside[pts[holder == name]] = True
            km = np.where(inside[at], -d, d) / 1e3
            for j in np.flatnonzero(d / 1e3 <= within_km).tolist():  # the output is one dict per point
                out[int(at[j])][name] = {"distance_km": round(float(km[j]), 6), "nearest_lon": float(fx[j]), "nearest_lat": float(fy[j])}
        return [dict(sorted(o.items(), key=lambda kv: abs(kv[1]["distance_km"]))) for o in out]

    def _inside_country_eez(self, country: str, lon: float, lat: float) -> bool:
        _, rows = self.lookup("eez", [lon], [lat])
        return any(self._labels["eez"][r] == country for r in rows.tolist())

    def nearest_coast(
        self, lon: ArrayLike, lat: ArrayLike, *, batch: bool = False
    ) -> tuple[NDArray[np.float64], NDArray[np.str_]]:
        """Geodesic distance (km) to the nearest coast (land-sea edge) and that coast's country, per point.

        NaN and "" where there is no land layer, and for points outside the coverage
        (the nearest coast may lie where the layers have no data). ``batch``: the points
        are one step of a catalogue, measured on the whole stored coast even when few (its
        KD-tree costs ~0.15 s once, a few points in the tiles ~5 ms each).
        """
        lines = self._tiled["coast"]
        x, y = _wrap(lon, lat)
        if lines is None:
            return np.full(x.size, np.nan), np.full(x.size, "", dtype=str)
        # the tiles near the points, widened as needed; a batch over most of them, the whole stored index
        d, _, _, row = query_few_or_many(lines, x, y, whole=lambda: self._whole("coast"), batch=batch)
        km = d / 1e3
        country = np.where(row >= 0, self._labels["land"][np.maximum(row, 0)], "")
        out = ~self.covers(x, y)
        km[out] = np.nan
        country[out] = ""
        return km, country


# Shown in tracebacks, pickled and documented as geo.assess.<name>, where they were defined.
for _public in (UnknownPerspectiveError, OutsideCoverageError, ZoneIndex):
    _public.__module__ = "geo.assess"
__test__ = {
    "ZoneIndex.covers": ZoneIndex.covers
}  # doctest skips methods of a class shown as another module's


def _wrap(lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Flat float arrays, longitudes outside [-180, 180) wrapped into it (180 becomes -180)."""
    x = np.atleast_1d(np.asarray(lon, dtype=float)).ravel()
    y = np.atleast_1d(np.asarray(lat, dtype=float)).ravel()
    far = (x < -180.0) | (x >= 180.0)
    if far.any():
        x = np.where(far, (x + 180.0) % 360.0 - 180.0, x)
    return x, y


def _pole_line(sign: int) -> Any:
    return shapely.LineString([(-180.0, 90.0 * sign), (180.0, 90.0 * sign)])


def coverage_geometry(coverage: Any) -> Any:
    """A coverage as a valid (Multi)Polygon within [-180, 180] lon; None stays None."""
    if coverage is None:
        return None
    if isinstance(coverage, shapely.Geometry):
        if shapely.get_type_id(coverage) not in (3, 6) or coverage.is_empty:
            raise GeoError(
                f"coverage must be a non-empty (Multi)Polygon in lon/lat degrees or a (west, south, east, "
                f"north) box, got {coverage.geom_type}"
            )
        return coverage if coverage.is_valid else shapely.make_valid(coverage)
    try:
        w, s, e, n = (float(v) for v in coverage)
    except (TypeError, ValueError):
        raise GeoError(
            f"coverage must be a (west, south, east, north) box in lon/lat degrees or a shapely polygon, "
            f"got {coverage!r}"
        ) from None
    ok = np.all(np.isfinite([w, s, e, n])) and -90.0 <= s < n <= 90.0 and max(abs(w), abs(e)) <= 360.0
    if not ok or w == e:
        raise GeoError(
            f"coverage box must be (west, south, east, north) degrees with -90 <= south < north <= 90 "
            f"and west != east (east past 180, or west > east, crosses the antimeridian), got {coverage!r}"
        )
    if e < w:
        e += 360.0
    shift = 360.0 * np.floor((w + 180.0) / 360.0)
    w, e = w - shift, e - shift  # west now in [-180, 180)
    if e - w >= 360.0:
        return shapely.box(-180.0, s, 180.0, n)
    if e <= 180.0:
        return shapely.box(w, s, e, n)
    return shapely.multipolygons([shapely.box(w, s, 180.0, n), shapely.box(-180.0, s, e - 360.0, n)])


def _source(name: str, layer: Any) -> LazyLayer:
    """A layer as the index keeps it: a LazyLayer as it is, a GeoDataFrame (checked: EPSG:4326) wrapped."""
    if isinstance(layer, LazyLayer):
        return layer
    if layer.crs is not None and layer.crs.to_epsg() != 4326:
        raise GeoError(f"layer {name!r} is in {layer.crs}, not EPSG:4326; use gdf.to_crs('EPSG:4326')")
    frame = layer.reset_index(drop=True)
    return LazyLayer(table_of(frame), lambda: frame)


# ---------------------------------------------------------------------- bundle
