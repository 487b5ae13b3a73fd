"""Assessment: which zones hold an impact and by whose claim, how far from each line, how likely.

The zone layers (``land``, ``territorial_sea``, ``contiguous_zone``, ``eez``: columns
``kind``, ``sovereign``, ``status``, ``claimants``, geometry in EPSG:4326) are indexed
once per perspective by :class:`ZoneIndex`:

* point lookups use a grid index (:class:`geo._index.GridIndex`) that gives exactly the
  answers of ``geopandas.sjoin(predicate="intersects")``, vectorised over millions of points;
* distances are geodesic on WGS84 (:class:`geo._distance.LineDistance`): to each
  country's EEZ limit (the outer edge of its EEZ together with its land, so the coast is
  not a "limit"), signed negative inside, and to the nearest coast.

A *perspective* (ISO3) takes the zones as that country claims them: disputed areas it
claims count as its own. No perspective is neutral: a disputed area is reported as
disputed, with its claimants, and its probability key is ``"disputed:JPN+KOR"``; a
joint regime is ``"joint:JPN+KOR"`` under every perspective.

Examples
--------
>>> import geopandas as gpd
>>> from geo import geodesy
>>> eez = gpd.GeoDataFrame({"kind": ["eez"], "sovereign": ["JPN"], "status": ["equidistance"],
...     "claimants": ["JPN"]}, geometry=[geodesy.ring(140.0, 40.0, 370_400)], crs="EPSG:4326")
>>> zi = ZoneIndex({"eez": eez})
>>> zi.owner([140.0, 150.0], [40.0, 40.0]).tolist()
['JPN', 'high_seas']
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from geo import geodesy
from geo._distance import LineDistance
from geo._errors import GeoError
from geo._index import GridIndex
from geo._io import atomic_path
from geo.uncertainty import ImpactSamples, probability

__all__ = [
    "HIGH_SEAS",
    "LAYERS",
    "OUTSIDE_COVERAGE",
    "Assessment",
    "OutsideCoverageError",
    "ZoneIndex",
    "assess_point",
    "assess_samples",
    "cache_dir",
    "zone_index",
]

LAYERS = ("land", "territorial_sea", "contiguous_zone", "eez")
"""Zone layers, from the coast outward."""

HIGH_SEAS = "high_seas"
"""The outcome key of a point in no EEZ and not on land, inside the layers' coverage."""

OUTSIDE_COVERAGE = "outside_coverage"
"""The outcome key of a point outside the area where the zone layers are complete.

Never read as high seas: the layers say nothing about such a point."""

_NEAR_LIMIT_KM = 1_000.0


class UnknownPerspectiveError(GeoError):
    """A perspective code that no zone in the layers names."""


class OutsideCoverageError(GeoError):
    """A point outside the area the zone layers cover: their answer there would be a guess."""


@dataclass
class _Layer:
    frame: Any  # GeoDataFrame
    index: GridIndex


class ZoneIndex:
    """Zone layers indexed for point lookups and geodesic distances, under one perspective.

    Parameters
    ----------
    layers : mapping of layer name to GeoDataFrame
        Any of :data:`LAYERS`; each with ``sovereign``, ``status``, ``claimants``.
    perspective : str, optional
        ISO3 code; None is neutral.
    cell_deg : float
        Grid cell size of the point index, degrees.
    indexes : mapping of layer name to GridIndex, optional
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
    """

    def __init__(
        self,
        layers: Mapping[str, Any],
        *,
        perspective: str | None = None,
        cell_deg: float = 0.1,
        indexes: Mapping[str, GridIndex] | None = None,
        coverage: Any = None,
        name: str | None = None,
        notes: Sequence[str] = (),
    ) -> None:
        unknown = set(layers) - set(LAYERS)
        if unknown:
            raise GeoError(f"unknown zone layer(s) {sorted(unknown)}; use {list(LAYERS)}")
        self.perspective = _check_perspective(perspective, layers)
        self.coverage = _coverage_geometry(coverage)
        if self.coverage is not None:
            shapely.prepare(self.coverage)
        self.name = name
        self.notes = list(notes)
        self._layers: dict[str, _Layer] = {}
        for name_, gdf in layers.items():
            if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
                raise GeoError(f"layer {name_!r} is in {gdf.crs}, not EPSG:4326; use gdf.to_crs('EPSG:4326')")
            frame = gdf.reset_index(drop=True)
            prebuilt = (indexes or {}).get(name_)
            index = (
                prebuilt
                if prebuilt is not None
                else GridIndex.build(frame.geometry.values, cell_deg=cell_deg)
            )
            if index.n_polygons != len(frame):
                raise GeoError(
                    f"the index of layer {name_!r} holds {index.n_polygons} polygons, the layer {len(frame)}"
                )
            self._layers[name_] = _Layer(frame, index)
        self._labels = {
            name_: _labels(layer.frame, self.perspective) for name_, layer in self._layers.items()
        }
        self._pole_hits: dict[tuple[str, int], NDArray[np.int64]] = {}

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
        n_rows = max(len(self._layers[layer].frame), 1)
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
        for name in LAYERS:
            if name not in self._layers:
                continue
            _, rows = self.lookup(name, [lon], [lat])
            frame = self._layers[name].frame
            for r in rows.tolist():
                rec = frame.iloc[r]
                found.append(
                    {
                        "kind": name,
                        "country": str(self._labels[name][r]),
                        "sovereign": str(rec["sovereign"]),
                        "status": str(rec["status"]),
                        "claimants": _claimants(rec["claimants"]),
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
    def _limits(self) -> dict[str, LineDistance]:
        """Per country, the edges of its EEZ that are limits: not coast, not cuts at +/-180 deg or the box.

        The EEZ polygons were cut from the land, so their coastal edges run through the
        land layer's own vertices: an edge whose two ends are both land vertices is
        coast and left out. (No polygon union: on detailed coasts that takes minutes.)
        """
        if "eez" not in self._layers:
            return {}
        eez = self._layers["eez"].frame
        labels = self._labels["eez"]
        land = self._vertices.get("land", np.zeros((0, 2)))
        ax, ay, bx, by, row = _segments(eez.geometry.values, cut=self._cut)
        keep = ~(_is_vertex(ax, ay, land) & _is_vertex(bx, by, land))
        seg_label = labels[row]
        # Disputed and joint areas have no single limit. LineDistance answers for the nearest
        # line only, so each country's limit gets an index of its own.
        out = {}
        for country in np.unique(seg_label).tolist():  # a few dozen countries
            m = keep & (seg_label == country)
            if ":" not in country and m.any():
                out[country] = LineDistance.from_segments(
                    ax[m], ay[m], bx[m], by[m], np.zeros(int(m.sum()), np.int64)
                )
        return out

    @functools.cached_property
    def _coasts(self) -> tuple[LineDistance, list[str]] | None:
        """The land-sea edge of the land layer, as line segments named by their land's owner.

        Left out: cuts at +/-180 deg, the poles and the box; edges shared by two land
        polygons (land borders such as PRK-CHN, and a disputed feature's cut from its
        neighbour), found by counting canonical edge keys; and, when the EEZ layer was cut
        from this land (most remaining edges end on EEZ vertices, as in every
        ``geo boundaries build``), edges that do not end on EEZ vertices: borders with
        land the layer lacks (Laos, Mongolia) and shores of enclosed waters.
        """
        if "land" not in self._layers:
            return None
        land = self._layers["land"].frame
        ax, ay, bx, by, row = _segments(land.geometry.values, cut=self._cut)
        keep = ~_shared_edges(ax, ay, bx, by)
        sea = self._vertices.get("eez")
        if sea is not None and keep.any():
            on_sea = _is_vertex(ax, ay, sea) & _is_vertex(bx, by, sea)
            if on_sea[keep].mean() >= 0.5:
                keep &= on_sea
        if not keep.any():
            return None
        # A disputed feature's coast is named as its land is (disputed:A+B, or the claimant's).
        ld = LineDistance.from_segments(ax[keep], ay[keep], bx[keep], by[keep], row[keep])
        return ld, self._labels["land"].tolist()

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
        self, lon: float, lat: float, *, within_km: float = _NEAR_LIMIT_KM
    ) -> dict[str, dict[str, float]]:
        """Signed geodesic distance (km, negative inside) to each country's EEZ limit within ``within_km``.

        Returns ``{ISO3: {"distance_km", "nearest_lon", "nearest_lat"}}``, nearest first;
        empty for a point outside the coverage (its side of any limit is unknown). Only
        limits inside the coverage count: near its edge a nearer limit may lie beyond it
        (:func:`assess_point` says so in its assumptions).
        """
        if not self.covers([lon], [lat])[0]:
            return {}
        out: dict[str, dict[str, float]] = {}
        for name, per in self._limits.items():  # a few dozen countries; each a KD-tree look-up
            dd, xx, yy, _ = per.query([lon], [lat])
            d, fx, fy = float(dd[0]), float(xx[0]), float(yy[0])
            if d / 1e3 <= within_km:
                inside = bool(self._inside_country_eez(name, lon, lat))
                out[name] = {
                    "distance_km": round((-d if inside else d) / 1e3, 6),
                    "nearest_lon": fx,
                    "nearest_lat": fy,
                }
        return dict(sorted(out.items(), key=lambda kv: abs(kv[1]["distance_km"])))

    def _inside_country_eez(self, country: str, lon: float, lat: float) -> bool:
        _, rows = self.lookup("eez", [lon], [lat])
        return any(self._labels["eez"][r] == country for r in rows.tolist())

    def nearest_coast(self, lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.str_]]:
        """Geodesic distance (km) to the nearest coast (land-sea edge) and that coast's country, per point.

        NaN and "" where there is no land layer, and for points outside the coverage
        (the nearest coast may lie where the layers have no data).
        """
        coasts = self._coasts
        x, y = _wrap(lon, lat)
        if coasts is None:
            return np.full(x.size, np.nan), np.full(x.size, "", dtype=str)
        ld, names = coasts
        d, _, _, which = ld.query(x, y)
        km = d / 1e3
        country = np.asarray(names, dtype=str)[which]
        out = ~self.covers(x, y)
        km[out] = np.nan
        country[out] = ""
        return km, country


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


def _coverage_geometry(coverage: Any) -> Any:
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


def _is_vertex(
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


def _shared_edges(
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


def _segments(
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


def _claimants(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [c for c in str(value).replace(",", ";").split(";") if c]


def _labels(frame: Any, perspective: str | None) -> NDArray[np.str_]:
    """Whose each row is, as a probability key, under a perspective."""
    sov = frame["sovereign"].astype(object).to_numpy().astype(str)
    status = frame["status"].astype(object).to_numpy().astype(str)
    claim = [_claimants(c) for c in frame["claimants"].tolist()]
    out = sov.astype(object)
    for i in np.flatnonzero(status == "disputed"):  # a loop over a handful of disputed rows
        if perspective is not None and perspective in claim[i]:
            out[i] = perspective
        else:
            out[i] = "disputed:" + "+".join(sorted(claim[i]))
    for i in np.flatnonzero(status == "joint"):  # shared by agreement, under every perspective
        out[i] = "joint:" + "+".join(sorted(claim[i]))
    labels: NDArray[np.str_] = out.astype(str)
    return labels


def _check_perspective(perspective: str | None, layers: Mapping[str, Any]) -> str | None:
    if perspective is None or perspective == "":
        return None
    code = str(perspective).strip().upper()
    known: set[str] = set()
    for gdf in layers.values():
        known |= set(gdf["sovereign"].astype(str))
        for c in gdf["claimants"].tolist():
            known |= set(_claimants(c))
    if code not in known:
        raise UnknownPerspectiveError(
            f"unknown perspective {perspective!r}; use the ISO3 code of a country in the zone layers, "
            f"e.g. {', '.join(sorted(k for k in known if k in {'JPN', 'KOR', 'PRK', 'CHN', 'TWN', 'RUS'}) or sorted(known)[:6])}"
        )
    return code


# ---------------------------------------------------------------------- bundle


_CELL_DEG = 0.1
_INDEX_FORMAT = 2  # bump when GridIndex or the cache layout changes (2: .npz, content-keyed)


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
        with target.open("rb") as fh:
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


def _cached_index(file: Path, frame: Any, layer: str) -> GridIndex:
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
        return index
    index = GridIndex.build(frame.geometry.values, cell_deg=_CELL_DEG)
    with contextlib.suppress(OSError, GeoError):  # unwritable cache: same answers, slower next time
        _save_index(target, index, key)
    return index


def _folder_coverage(folder: Path, layers: Mapping[str, Any]) -> tuple[Any, list[str]]:
    """The coverage box of a boundary folder: its manifest's ``box``, else the layers' extent."""
    from geo.zones import BoundaryDataError

    manifest = folder / "manifest.json"
    if manifest.is_file():
        try:
            meta = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BoundaryDataError(
                f"cannot read {str(manifest)!r} ({exc}); restore it, or delete it to take the layers' "
                f"extent as their coverage"
            ) from exc
        box = meta.get("box") if isinstance(meta, dict) else None
        if box is not None:
            try:
                _coverage_geometry(box)
            except GeoError as exc:
                raise BoundaryDataError(
                    f"{str(manifest)!r}: 'box' {box!r} is not a coverage box: {exc}"
                ) from exc
            return [float(v) for v in box], []
    b = np.array([shapely.total_bounds(g.geometry.values) for g in layers.values()])
    w, s, e, n = float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())
    why = "no manifest.json" if not manifest.is_file() else "manifest.json has no 'box'"
    return [w, s, e, n], [
        f"coverage: the layers' extent (lon {w:g} to {e:g}, lat {s:g} to {n:g}; {why} in {folder}): "
        f"a point in that box but in no zone reads as high seas"
    ]


@functools.cache
def zone_index(perspective: str | None = None) -> ZoneIndex:
    """The zone layers of :func:`geo.zones.boundaries_dir`, indexed under ``perspective``.

    Loads the layers the folder holds (``eez.gpkg`` is required; an import of Marine
    Regions has only that): the missing ones are named in the index's ``notes`` and so in
    every assessment's assumptions (without ``land`` there is no land verdict and no
    nearest coast). The coverage is the ``box`` of the folder's ``manifest.json``; a
    folder without one is taken to cover its layers' total bounds, which says that a point
    inside that box but in no zone is high seas (a note says so).

    Cached in memory per perspective (call ``zone_index.cache_clear()`` after pointing
    ``GEO_BOUNDARIES_DIR`` elsewhere) and on disk per layer content (:func:`cache_dir`).
    """
    from geo import zones

    folder = zones.boundaries_dir()
    present = [name for name in LAYERS if (folder / f"{name}.gpkg").is_file()]
    if "eez" not in present:
        raise zones.BoundariesNotFoundError(
            f"no eez.gpkg in the boundary folder {str(folder)!r} (found: "
            f"{', '.join(f'{n}.gpkg' for n in present) or 'no layer files'}); point {zones.ENV_VAR} at a "
            f"folder made by 'geo boundaries import FILE -o DIR' or 'geo boundaries build', or unset it "
            f"to use the bundle"
        )
    layers, indexes = {}, {}
    for name in present:
        layers[name] = zones.load_zones(name, path=folder)
        indexes[name] = _cached_index(folder / f"{name}.gpkg", layers[name], name)
    coverage, notes = _folder_coverage(folder, layers)
    missing = [name for name in LAYERS if name not in present]
    if missing:
        notes.append(
            f"layers: {', '.join(missing)} missing from {folder}: not reported"
            + ("; no land verdict and no nearest coast without land" if "land" in missing else "")
        )
    return ZoneIndex(
        layers, perspective=perspective, indexes=indexes, coverage=coverage, name=str(folder), notes=notes
    )


# ---------------------------------------------------------------------- results


@dataclass
class Assessment:
    """The answer for one report: verdict, zones, distances, probabilities."""

    lon: float
    lat: float
    perspective: str | None
    zones: list[dict[str, Any]]
    eez: str | None
    probability: dict[str, float]
    standard_error: dict[str, float]
    distance_to_eez_limit_km: dict[str, float]
    nearest_limit_point: dict[str, list[float]]
    nearest_coast: dict[str, Any]
    samples: int = 0
    description: str = ""
    assumptions: list[str] = field(default_factory=list)
    outside_coverage: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with the keys of the CLI."""
        return {
            "location": {"lat": self.lat, "lon": self.lon},
            "perspective": self.perspective,
            "zones": self.zones,
            "eez": self.eez,
            "probability": self.probability,
            "probability_standard_error": self.standard_error,
            "samples": self.samples,
            "distance_to_eez_limit_km": self.distance_to_eez_limit_km,
            "nearest_limit_point": self.nearest_limit_point,
            "nearest_coast": self.nearest_coast,
            "description": self.description,
            "assumptions": self.assumptions,
            "outside_coverage": self.outside_coverage,
        }

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """A GeoJSON Feature: the (central) point, with :meth:`to_dict` as properties (NaN as null)."""
        from geo._io import _finite

        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [self.lon, self.lat]},
            "properties": _finite(self.to_dict()),
        }

    def _verdict(self) -> str:
        """Where the (central) point is, in words."""
        who = self.eez or HIGH_SEAS
        if self.outside_coverage:
            return "outside the zone layers' coverage (not known to be high seas)"
        if who.startswith("land:"):
            return "on land" + who.removeprefix("land")
        return "high seas (no EEZ)" if who == HIGH_SEAS else f"in the EEZ of {who}"

    def _repr_html_(self) -> str:
        """An HTML table for notebooks: verdict, probabilities, distances (every text escaped)."""
        e = html.escape
        label = "central point" if self.samples else "point"
        head = self.description or f"({self.lat:.4f}, {self.lon:.4f})"
        if self.perspective:
            head += f" — zones as {self.perspective} claims them"
        rows = [
            ("location", f"lat {self.lat:.4f}, lon {self.lon:.4f}"),
            (label, self._verdict()),
            *(
                (
                    f"P({k})",
                    f"{v:.3f} ± {self.standard_error.get(k, 0.0):.3f}" if self.samples else f"{v:.3f}",
                )
                for k, v in sorted(self.probability.items(), key=lambda kv: -kv[1])
            ),
            *(
                (f"{k} EEZ limit", f"{abs(d):.1f} km {'inside' if d < 0 else 'outside'}")
                for k, d in self.distance_to_eez_limit_km.items()
            ),
        ]
        if self.nearest_coast.get("country"):
            rows.append(
                (
                    "nearest coast",
                    f"{self.nearest_coast['country']}, {self.nearest_coast['distance_km']:.1f} km",
                )
            )
        rows.append(("samples", f"{self.samples}" if self.samples else "exact point"))
        rows += [("assumed", a) for a in self.assumptions]
        body = "".join(f"<tr><th>{e(str(k))}</th><td>{e(str(v))}</td></tr>" for k, v in rows)
        return f'<table class="geo-assessment"><caption>{e(head)}</caption>{body}</table>'

    def summary(self) -> str:
        """A short human summary: verdict, margin, probabilities."""
        where = self.description or f"({self.lat:.4f}, {self.lon:.4f})"
        lines = [where + (f" — zones as {self.perspective} claims them" if self.perspective else "")]
        if self.samples and self.perspective:
            p = self.probability.get(self.perspective, 0.0)
            se = self.standard_error.get(self.perspective, 0.0)
            lines.append(f"  P(in {self.perspective}'s EEZ) = {p:.3f} ± {se:.3f}")
        label = "central point" if self.samples else "point"
        lines.append(f"  {label}: {self._verdict()}")
        for country, d in list(self.distance_to_eez_limit_km.items())[:3]:
            side = "inside" if d < 0 else "outside"
            lines.append(f"    {abs(d):.1f} km {side} {country}'s EEZ limit")
        if self.nearest_coast.get("country"):
            lines.append(
                f"    nearest coast: {self.nearest_coast['country']}, {self.nearest_coast['distance_km']:.1f} km"
            )
        probs = ", ".join(f"{k} {v:.3f}" for k, v in sorted(self.probability.items(), key=lambda kv: -kv[1]))
        lines.append(
            f"  outcomes: {probs}" + (f" ({self.samples} samples)" if self.samples else " (exact point)")
        )
        return "\n".join(lines)


def _place(lon: float, lat: float) -> str:
    return f"(lat {round(lat, 6)!r}, lon {round(lon, 6)!r})"


def _outside_message(zi: ZoneIndex, lon: float, lat: float, what: str = "impact") -> str:
    return (
        f"{what} {_place(lon, lat)} is outside the area the zone layers cover ({zi.coverage_text}): "
        f"whose zone it is cannot be told there, and it is not known to be high seas; import official "
        f"zones that cover it with 'geo boundaries import FILE -o DIR' and set GEO_BOUNDARIES_DIR=DIR, "
        f"or build a region that covers it"
    )


def _outside_assessment(zi: ZoneIndex, lon: float, lat: float, message: str) -> Assessment:
    return Assessment(
        lon=lon,
        lat=lat,
        perspective=zi.perspective,
        zones=[],
        eez=None,
        probability={OUTSIDE_COVERAGE: 1.0},
        standard_error={OUTSIDE_COVERAGE: 0.0},
        distance_to_eez_limit_km={},
        nearest_limit_point={},
        nearest_coast={"country": None, "distance_km": None},
        assumptions=[*zi.notes, f"coverage: {message}"],
        outside_coverage=True,
    )


def _check_outside(outside: str) -> None:
    if outside not in ("raise", "report"):
        raise GeoError(f"outside must be 'raise' or 'report', got {outside!r}")


def assess_point(
    lon: float,
    lat: float,
    *,
    perspective: str | None = None,
    zones: ZoneIndex | None = None,
    outside: Literal["raise", "report"] = "raise",
) -> Assessment:
    """Assess one exact point: zones, EEZ owner, signed distances to limits, nearest coast.

    Probabilities are 1 for the point's own outcome.

    Parameters
    ----------
    lon, lat : float
        The impact, degrees (WGS84); 180 and -180 are one meridian.
    perspective : str, optional
        ISO3 code whose claims to adopt (used when ``zones`` is not given).
    zones : ZoneIndex, optional
        Default: :func:`zone_index` of ``perspective``.
    outside : {"raise", "report"}
        For a point outside the zones' coverage: raise :class:`OutsideCoverageError`, or
        return an assessment whose only outcome is :data:`OUTSIDE_COVERAGE` (catalogues).

    Raises
    ------
    OutsideCoverageError
        The point lies outside the zone layers' coverage (and ``outside="raise"``).

    Notes
    -----
    Distances count only limits and coasts inside the coverage; when its edge is nearer
    than the farthest distance reported (or than the 1,000 km limit search), an
    assumption says so: a nearer limit or coast may lie beyond it.

    Examples
    --------
    >>> assess_point(2.35, 48.85)  # Paris: outside the bundled north-west Pacific layers
    Traceback (most recent call last):
    ...
    geo.assess.OutsideCoverageError: impact (lat 48.85, lon 2.35) is outside the area the zone layers cover ...
    >>> assess_point(180.0, 51.8).eez == assess_point(-180.0, 51.8).eez == assess_point(179.9999, 51.8).eez
    True
    """
    _check_outside(outside)
    lon_a, lat_a = geodesy.check_lonlat(lon, lat, what="impact")
    x, y = float(lon_a), float(lat_a)
    zi = zones if zones is not None else zone_index(perspective)
    if not zi.covers([x], [y])[0]:
        message = _outside_message(zi, x, y)
        if outside == "raise":
            raise OutsideCoverageError(message)
        return _outside_assessment(zi, x, y, message)
    key = str(zi.owner([x], [y])[0])
    limits = zi.distance_to_limits_km(x, y)
    coast_d, coast_c = zi.nearest_coast([x], [y])
    coast_km = float(coast_d[0])
    assumptions = list(zi.notes)
    edge_km = float(zi.coverage_edge_km([x], [y])[0])
    reach = max([_NEAR_LIMIT_KM, *(abs(v["distance_km"]) for v in limits.values())])
    if np.isfinite(coast_km):
        reach = max(reach, coast_km)
    if edge_km < reach:
        assumptions.append(
            f"coverage: its edge ({zi.coverage_text}) is {edge_km:.1f} km away; limits and coasts beyond "
            f"it are not in the layers, so a nearer one than those reported may lie there"
        )
    return Assessment(
        lon=x,
        lat=y,
        perspective=zi.perspective,
        zones=zi.zones_at(x, y),
        eez=None if key == HIGH_SEAS else key,
        probability={key: 1.0},
        standard_error={key: 0.0},
        distance_to_eez_limit_km={k: v["distance_km"] for k, v in limits.items()},
        nearest_limit_point={k: [v["nearest_lon"], v["nearest_lat"]] for k, v in limits.items()},
        nearest_coast={
            "country": str(coast_c[0]) or None,
            "distance_km": coast_km if np.isfinite(coast_km) else None,
        },
        assumptions=assumptions,
    )


def assess_samples(
    samples: ImpactSamples,
    *,
    perspective: str | None = None,
    zones: ZoneIndex | None = None,
    outside: Literal["raise", "report"] = "raise",
) -> Assessment:
    """Assess a vague report: outcome probabilities over its samples, and the point assessment of its centre.

    The centre is the sample median in range and the circular mean in azimuth, mapped
    back with ``Geod.fwd`` from the report's origin. Samples outside the zones' coverage
    count as the outcome :data:`OUTSIDE_COVERAGE` (never high seas);
    :class:`OutsideCoverageError` is raised only when the centre is outside (with
    ``outside="report"``, the result then carries the sample shares and no zones).
    """
    _check_outside(outside)
    zi = zones if zones is not None else zone_index(perspective)
    keys = zi.owner(samples.lon, samples.lat)
    prob: dict[str, float] = {}
    se: dict[str, float] = {}
    for v in np.unique(keys).tolist():  # one pass per outcome (a handful), vectorised over samples
        prob[str(v)], se[str(v)] = probability(keys == v)
    az = np.radians(samples.azimuth_deg)
    mean_az = float(np.degrees(np.arctan2(np.sin(az).mean(), np.cos(az).mean())) % 360.0)
    r = float(np.median(samples.range_km))
    clon, clat, _ = geodesy.direct(samples.origin_lon, samples.origin_lat, mean_az, r * 1e3)
    try:
        centre = assess_point(clon, clat, zones=zi, outside=outside)
    except OutsideCoverageError:
        share = prob.get(OUTSIDE_COVERAGE, 0.0)
        raise OutsideCoverageError(
            _outside_message(zi, float(clon), float(clat), what="the report's central point")
            + f" ({share:.1%} of its {samples.n} samples are outside too)"
        ) from None
    centre.probability = dict(sorted(prob.items(), key=lambda kv: -kv[1]))
    centre.standard_error = se
    centre.samples = samples.n
    centre.description = samples.description
    outside_note = (
        [
            f"coverage: {prob[OUTSIDE_COVERAGE]:.1%} of the samples fall outside the zone layers' coverage "
            f"({zi.coverage_text}): counted as {OUTSIDE_COVERAGE}, not high seas"
        ]
        if OUTSIDE_COVERAGE in prob
        else []
    )
    centre.assumptions = [
        *list(samples.assumptions),
        "location: the report's central point (median range, mean azimuth); zones and distances are for it",
        f"probabilities: share of {samples.n} samples per outcome, with binomial standard errors",
        *outside_note,
        *centre.assumptions,
    ]
    return centre
