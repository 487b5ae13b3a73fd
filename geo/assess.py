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

import functools
import hashlib
import os
import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    "Assessment",
    "ZoneIndex",
    "assess_point",
    "assess_samples",
    "cache_dir",
    "zone_index",
]

LAYERS = ("land", "territorial_sea", "contiguous_zone", "eez")
"""Zone layers, from the coast outward."""

HIGH_SEAS = "high_seas"
"""The outcome key of a point in no EEZ and not on land."""

_NEAR_LIMIT_KM = 1_000.0


class UnknownPerspectiveError(GeoError):
    """A perspective code that no zone in the layers names."""


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
    """

    def __init__(
        self,
        layers: Mapping[str, Any],
        *,
        perspective: str | None = None,
        cell_deg: float = 0.1,
        indexes: Mapping[str, GridIndex] | None = None,
    ) -> None:
        unknown = set(layers) - set(LAYERS)
        if unknown:
            raise GeoError(f"unknown zone layer(s) {sorted(unknown)}; use {list(LAYERS)}")
        self.perspective = _check_perspective(perspective, layers)
        self._layers: dict[str, _Layer] = {}
        for name, gdf in layers.items():
            if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
                raise GeoError(f"layer {name!r} is in {gdf.crs}, not EPSG:4326; use gdf.to_crs('EPSG:4326')")
            frame = gdf.reset_index(drop=True)
            prebuilt = (indexes or {}).get(name)
            index = (
                prebuilt
                if prebuilt is not None
                else GridIndex.build(frame.geometry.values, cell_deg=cell_deg)
            )
            if index.n_polygons != len(frame):
                raise GeoError(
                    f"the index of layer {name!r} holds {index.n_polygons} polygons, the layer {len(frame)}"
                )
            self._layers[name] = _Layer(frame, index)
        self._labels = {name: _labels(layer.frame, self.perspective) for name, layer in self._layers.items()}

    @property
    def layers(self) -> tuple[str, ...]:
        return tuple(self._layers)

    # ------------------------------------------------------------------ lookups

    def lookup(
        self, layer: str, lon: ArrayLike, lat: ArrayLike
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """(point, row) pairs of ``layer`` rows that hold each point (boundary included)."""
        if layer not in self._layers:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return self._layers[layer].index.query(lon, lat)

    def first(self, layer: str, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.int64]:
        """For each point the row of ``layer`` that holds it (the first, by row order), or -1."""
        n = np.asarray(lon, dtype=float).size
        out = np.full(n, -1, dtype=np.int64)
        pts, rows = self.lookup(layer, lon, lat)
        # Reverse so that, for points on a shared boundary, the lowest row wins.
        out[pts[::-1]] = rows[::-1]
        return out

    def owner(self, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.str_]:
        """Outcome key per point: land:ISO3, an EEZ's ISO3 (or disputed:A+B), or high_seas.

        Vectorised; this is what probabilities count.
        """
        x = np.asarray(lon, dtype=float).ravel()
        y = np.asarray(lat, dtype=float).ravel()
        out = np.full(x.size, HIGH_SEAS, dtype=object)
        eez = self.first("eez", x, y)
        hit = eez >= 0
        out[hit] = self._labels["eez"][eez[hit]] if "eez" in self._labels else HIGH_SEAS
        land = self.first("land", x, y)
        on_land = land >= 0
        if on_land.any():
            # Land of a disputed feature is "land:disputed:A+B", or the claimant's under its perspective.
            out[on_land] = np.char.add("land:", self._labels["land"][land[on_land]])
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

    @functools.cached_property
    def _limits(self) -> dict[str, LineDistance]:
        """Per country, the edges of its EEZ that are limits: not coast, not cuts at +/-180 deg.

        The EEZ polygons were cut from the land, so their coastal edges run through the
        land layer's own vertices: an edge whose two ends are both land vertices is
        coast and left out. (No polygon union: on detailed coasts that takes minutes.)
        """
        if "eez" not in self._layers:
            return {}
        eez = self._layers["eez"].frame
        labels = self._labels["eez"]
        coast_keys = np.zeros(0, dtype=complex)
        if "land" in self._layers:
            xy = shapely.get_coordinates(self._layers["land"].frame.geometry.values)
            coast_keys = np.unique(xy[:, 0] + 1j * xy[:, 1])
        ax, ay, bx, by, row = _segments(eez.geometry.values)
        keep = ~(np.isin(ax + 1j * ay, coast_keys) & np.isin(bx + 1j * by, coast_keys))
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
        """Coast segments of the land layer (its boundary less the cuts at +/-180 deg and the poles)."""
        if "land" not in self._layers:
            return None
        land = self._layers["land"].frame
        ax, ay, bx, by, row = _segments(land.geometry.values)
        if ax.size == 0:
            return None
        # A disputed feature's coast is named as its land is (disputed:A+B, or the claimant's).
        return LineDistance.from_segments(ax, ay, bx, by, row), self._labels["land"].tolist()

    def distance_to_limits_km(
        self, lon: float, lat: float, *, within_km: float = _NEAR_LIMIT_KM
    ) -> dict[str, dict[str, float]]:
        """Signed geodesic distance (km, negative inside) to each country's EEZ limit within ``within_km``.

        Returns ``{ISO3: {"distance_km", "nearest_lon", "nearest_lat"}}``, nearest first.
        """
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
        """Geodesic distance (km) to the nearest coast and that coast's country, per point."""
        coasts = self._coasts
        x = np.atleast_1d(np.asarray(lon, dtype=float))
        if coasts is None:
            return np.full(x.size, np.nan), np.full(x.size, "", dtype=str)
        ld, names = coasts
        d, _, _, which = ld.query(lon, lat)
        return d / 1e3, np.asarray(names, dtype=str)[which]


def _segments(
    polygons: Any,
) -> tuple[
    NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]
]:
    """Edges (ax, ay, bx, by, row) of polygons' rings, less cuts: along +/-180 deg, a pole, or the layer's box."""
    rings, row_of_ring = shapely.get_parts(shapely.boundary(polygons), return_index=True)
    parts, ring_of_part = shapely.get_parts(rings, return_index=True)
    coords, part_of = shapely.get_coordinates(parts, return_index=True)
    a = np.flatnonzero(part_of[1:] == part_of[:-1])
    b = a + 1
    on_cut = (np.abs(np.abs(coords[:, 0]) - 180.0) < 1e-9) | (np.abs(np.abs(coords[:, 1]) - 90.0) < 1e-9)
    keep = ~(on_cut[a] & on_cut[b])
    # Edges along the layers' own bounding box are where a regional build was cut off:
    # not coast, not a limit.
    x0, y0, x1, y1 = shapely.total_bounds(polygons)
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
_INDEX_FORMAT = 1  # bump when GridIndex changes shape


def cache_dir() -> Path:
    """Where built indexes are kept: ``$GEO_CACHE_DIR``, else ``$XDG_CACHE_HOME/geo`` or ``~/.cache/geo``."""
    if os.environ.get("GEO_CACHE_DIR"):
        return Path(os.environ["GEO_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "geo"


def _cached_index(file: Path, frame: Any, layer: str) -> GridIndex:
    """Build a layer's grid index once per version of its file; later runs load it."""
    st = file.stat()
    key = hashlib.sha256(
        f"{file.resolve()}|{st.st_size}|{st.st_mtime_ns}|{_CELL_DEG}|{_INDEX_FORMAT}".encode()
    ).hexdigest()[:16]
    target = cache_dir() / f"{layer}-{key}.pickle"
    if target.exists():
        try:
            with target.open("rb") as fh:
                index: GridIndex = pickle.load(fh)
            shapely.prepare(index.cand_piece[~index.cand_full])
            if index.n_polygons == len(frame):
                return index
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a stale or broken cache entry is rebuilt
    index = GridIndex.build(frame.geometry.values, cell_deg=_CELL_DEG)
    try:
        with atomic_path(target) as tmp, tmp.open("wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        pass  # no writable cache: the answers are the same, only slower next time
    return index


@functools.cache
def zone_index(perspective: str | None = None) -> ZoneIndex:
    """The bundled zone layers, indexed under ``perspective`` (cached in memory and on disk)."""
    from geo import zones

    folder = zones.boundaries_dir()
    layers, indexes = {}, {}
    for name in LAYERS:
        layers[name] = zones.load_zones(name)
        indexes[name] = _cached_index(folder / f"{name}.gpkg", layers[name], name)
    return ZoneIndex(layers, perspective=perspective, indexes=indexes)


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
        }

    def summary(self) -> str:
        """A short human summary: verdict, margin, probabilities."""
        where = self.description or f"({self.lat:.4f}, {self.lon:.4f})"
        lines = [where + (f" — zones as {self.perspective} claims them" if self.perspective else "")]
        if self.samples and self.perspective:
            p = self.probability.get(self.perspective, 0.0)
            se = self.standard_error.get(self.perspective, 0.0)
            lines.append(f"  P(in {self.perspective}'s EEZ) = {p:.3f} ± {se:.3f}")
        label = "central point" if self.samples else "point"
        who = self.eez or HIGH_SEAS
        verdict = (
            "on land" + who.removeprefix("land")
            if who.startswith("land:")
            else "high seas (no EEZ)"
            if who == HIGH_SEAS
            else f"in the EEZ of {who}"
        )
        lines.append(f"  {label}: {verdict}")
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


def assess_point(
    lon: float, lat: float, *, perspective: str | None = None, zones: ZoneIndex | None = None
) -> Assessment:
    """Assess one exact point: zones, EEZ owner, signed distances to limits, nearest coast.

    Probabilities are 1 for the point's own outcome.
    """
    lon_a, lat_a = geodesy._check_lonlat(lon, lat, what="impact")
    x, y = float(lon_a), float(lat_a)
    zi = zones if zones is not None else zone_index(perspective)
    key = str(zi.owner([x], [y])[0])
    limits = zi.distance_to_limits_km(x, y)
    coast_d, coast_c = zi.nearest_coast([x], [y])
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
        nearest_coast={"country": str(coast_c[0]) or None, "distance_km": float(coast_d[0])},
    )


def assess_samples(
    samples: ImpactSamples, *, perspective: str | None = None, zones: ZoneIndex | None = None
) -> Assessment:
    """Assess a vague report: outcome probabilities over its samples, and the point assessment of its centre.

    The centre is the sample median in range and the circular mean in azimuth, mapped
    back with ``Geod.fwd`` from the report's origin.
    """
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
    centre = assess_point(clon, clat, zones=zi)
    centre.probability = dict(sorted(prob.items(), key=lambda kv: -kv[1]))
    centre.standard_error = se
    centre.samples = samples.n
    centre.description = samples.description
    centre.assumptions = [
        *list(samples.assumptions),
        "location: the report's central point (median range, mean azimuth); zones and distances are for it",
        f"probabilities: share of {samples.n} samples per outcome, with binomial standard errors",
    ]
    return centre
