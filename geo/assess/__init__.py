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
import html
import json
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import shapely

from geo import geodesy
from geo._errors import GeoError
from geo._grid_kernel import KERNEL_FORMAT
from geo._io import to_json
from geo.assess.cache import INDEX_FORMAT, cache_dir, cached_index
from geo.assess.index import (
    HIGH_SEAS,
    LAYERS,
    NEAR_LIMIT_KM,
    OUTSIDE_COVERAGE,
    OutsideCoverageError,
    UnknownPerspectiveError,
    ZoneIndex,
    coverage_geometry,
)
from geo.assess.region import LazyGrid, LazyLayer, grid_arrays, read_table, table_arrays, table_of
from geo.assess.store import cached_arrays, content_key, has_entry
from geo.assess.threads import build_threads
from geo.uncertainty import ImpactSamples, probability

__all__ = [
    "HIGH_SEAS",
    "LAYERS",
    "OUTSIDE_COVERAGE",
    "Assessment",
    "OutsideCoverageError",
    "UnknownPerspectiveError",
    "ZoneIndex",
    "assess_point",
    "assess_samples",
    "cache_dir",
    "summarise_samples",
    "zone_index",
]


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
                coverage_geometry(box)
            except GeoError as exc:
                raise BoundaryDataError(
                    f"{str(manifest)!r}: 'box' {box!r} is not a coverage box: {exc}"
                ) from exc
            return [float(v) for v in box], []
    b = np.array([shapely.total_bounds(g.frame.geometry.values) for g in layers.values()])
    w, s, e, n = float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())
    why = "no manifest.json" if not manifest.is_file() else "manifest.json has no 'box'"
    return [w, s, e, n], [
        f"coverage: the layers' extent (lon {w:g} to {e:g}, lat {s:g} to {n:g}; {why} in {folder}): "
        f"a point in that box but in no zone reads as high seas"
    ]


def zone_index(perspective: str | None = None, *, where: Any = None, antarctic_claims: bool = False) -> ZoneIndex:
    """The zone layers of :func:`geo.zones.boundaries_dir`, indexed under ``perspective``.

    ``antarctic_claims`` lets a claimant perspective take the Antarctic areas it claims.
    ``where`` (``(lon, lat)`` arrays or a ``(west, south, east, north)`` box) says what the
    index is for: with the bundle, the detailed NW Pacific layers answer well inside their
    box and the world layers elsewhere (see :func:`geo.zones.boundaries_dir`); ``None``
    keeps the NW Pacific. An explicit folder (``$GEO_BOUNDARIES_DIR``) always wins.

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

    return _folder_index(str(zones.boundaries_dir(where=where)), perspective, antarctic_claims)


def _clear_cache() -> None:
    _folder_index.cache_clear()


zone_index.cache_clear = _clear_cache  # type: ignore[attr-defined]


@functools.cache
def _folder_index(folder_name: str, perspective: str | None, antarctic_claims: bool = False) -> ZoneIndex:
    """The index of one boundary folder under one perspective (cached in memory)."""
    from geo import zones

    folder = Path(folder_name)
    files = {name: file for name in zones.ALL_LAYERS if (file := zones.layer_file(folder, name)) is not None}
    present = list(files)
    if "eez" not in present:
        raise zones.BoundariesNotFoundError(
            f"no eez.gpkg in the boundary folder {str(folder)!r} (found: "
            f"{', '.join(f'{n}.gpkg' for n in present) or 'no layer files'}); point {zones.ENV_VAR} at a "
            f"folder made by 'geo boundaries import FILE -o DIR' or 'geo boundaries build', or unset it "
            f"to use the bundle"
        )
    layers, indexes = {}, {}
    # the files' digests first, here: threads would race on the digest memo
    keys = {name: _layer_key(file, name) for name, file in files.items()}
    cold = [name for name in present if not has_entry(f"layer-{name}", keys[name])]
    # layers to build, on threads as the cores and the memory allow (geo.assess.threads)
    threads = build_threads([files[name] for name in cold])
    if threads > 1:
        # a build is mostly GEOS (clipping the polygons into grid cells), which releases
        # the GIL. What the builds import is imported here first: importing pandas parses
        # signatures with ast, which must not run on two threads at once on CPython 3.11
        # (see geo._io.NUMPY_LOAD_LOCK)
        import geopandas  # noqa: F401
        import pyogrio  # noqa: F401

        with ThreadPoolExecutor(threads) as pool:
            built = dict(zip(present, pool.map(lambda n: _stored_layer(folder, n, files[n], keys[n]), present), strict=True))
    else:  # stored (a warm start maps files: threads would not help) or one layer to build
        built = {name: _stored_layer(folder, name, files[name], keys[name]) for name in present}
    for name in present:
        layers[name], indexes[name] = built[name]
    coverage, notes = _folder_coverage(folder, layers)
    missing = [name for name in LAYERS if name not in present]
    if missing:
        notes.append(
            f"layers: {', '.join(missing)} missing from {folder}: not reported"
            + ("; no land verdict and no nearest coast without land" if "land" in missing else "")
        )
    # the lines distances are measured to, kept on disk keyed on the layers they come from
    sources = [f for f in (zones.layer_file(folder, n) for n in ("eez", "land")) if f is not None]
    key = content_key(sources, extra=f"coverage {coverage!r}")
    return ZoneIndex(
        layers, perspective=perspective, indexes=indexes, coverage=coverage, name=str(folder), notes=notes,
        antarctic_claims=antarctic_claims, line_store=lambda name, build: cached_arrays(f"lines-{name}", key, build),
    )


def _layer_key(file: Path, name: str) -> str:
    """The store key of a layer file's columns and grid index (a new index format is a new entry)."""
    return content_key([file], extra=f"layer {name} index {INDEX_FORMAT}")


def _stored_layer(folder: Path, name: str, file: Path, key: str) -> tuple[LazyLayer, LazyGrid]:
    """One layer of a folder as a query needs it: its columns and its grid index, from the store.

    The store entry (built once from the layer file's content: its GeoDataFrame and grid
    index) holds the columns and the index's arrays; the GeoDataFrame itself is read only
    if something asks for the polygons (a distance build, a map).
    """
    from geo import zones

    load = functools.partial(zones.load_zones, name, path=folder)

    def build() -> dict[str, Any]:
        frame = load()
        return {**grid_arrays(cached_index(file, frame, name)), **table_arrays(table_of(frame))}

    arrays = cached_arrays(f"layer-{name}", key, build)
    # the compiled engine's tables of the same index (large queries), kept beside it
    kernel_key = content_key([file], extra=f"layer {name} index {INDEX_FORMAT} kernel {KERNEL_FORMAT}")
    kernel = functools.partial(cached_arrays, f"kernel-{name}", kernel_key)
    return LazyLayer(read_table(arrays), load), LazyGrid(arrays, kernel_store=kernel)


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
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [self.lon, self.lat]},
            "properties": json.loads(to_json(self.to_dict(), indent=None)),
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
    >>> assess_point(180.0, 51.8).eez == assess_point(-180.0, 51.8).eez == assess_point(179.9999, 51.8).eez
    True
    """
    _check_outside(outside)
    lon_a, lat_a = geodesy.check_lonlat(lon, lat, what="impact")
    x, y = float(lon_a), float(lat_a)
    zi = zones if zones is not None else zone_index(perspective, where=([x], [y]))
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
    reach = max([NEAR_LIMIT_KM, *(abs(v["distance_km"]) for v in limits.values())])
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
    zi = zones if zones is not None else zone_index(perspective, where=(samples.lon, samples.lat))
    prob, se = _shares(zi.owner(samples.lon, samples.lat))
    clon, clat = _centre(samples)
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


def _shares(keys: Any) -> tuple[dict[str, float], dict[str, float]]:
    """Share of the samples per outcome key, and its binomial standard error."""
    prob: dict[str, float] = {}
    se: dict[str, float] = {}
    for v in np.unique(keys).tolist():  # one pass per outcome (a handful), vectorised over samples
        prob[str(v)], se[str(v)] = probability(keys == v)
    return prob, se


def _centre(samples: ImpactSamples) -> tuple[float, float]:
    """A report's central point: the median range along the mean azimuth from its origin."""
    az = np.radians(samples.azimuth_deg)
    mean_az = float(np.degrees(np.arctan2(np.sin(az).mean(), np.cos(az).mean())) % 360.0)
    r = float(np.median(samples.range_km))
    clon, clat, _ = geodesy.direct(samples.origin_lon, samples.origin_lat, mean_az, r * 1e3)
    return float(clon), float(clat)


@dataclass
class SampleSummary:
    """What a catalogue keeps of :func:`assess_samples` (``outside="report"``) for one report."""

    lon: float  # the central point
    lat: float
    eez: str | None  # the centre's outcome (None: high seas or outside the coverage)
    probability: dict[str, float]  # share of the samples per outcome, largest first
    nearest_coast_km: float | None
    nearest_coast_country: str | None


def summarise_samples(sets: list[ImpactSamples], *, zones: ZoneIndex) -> list[SampleSummary]:
    """Many vague reports at once: per report, :func:`assess_samples`' shares, centre, its EEZ and nearest coast.

    The answers of ``assess_samples(s, zones=zones, outside="report")`` for each ``s``, from
    one lookup of every sample and one of the centres (a catalogue of tests), without
    what a catalogue does not keep (the zones listed, the distances to limits).
    """
    if not sets:
        return []
    keys = zones.owner(np.concatenate([s.lon for s in sets]), np.concatenate([s.lat for s in sets]))
    cut = np.cumsum([s.n for s in sets])[:-1]
    x, y = (np.asarray(v, dtype=float) for v in geodesy.check_lonlat(*zip(*(_centre(s) for s in sets), strict=True), what="impact"))
    covered = zones.covers(x, y)
    owner = zones.owner(x, y)
    coast_km, coast_country = zones.nearest_coast(x, y, batch=True)
    out = []
    for i, k in enumerate(np.split(keys, cut)):  # one per report (a catalogue)
        prob, _ = _shares(k)
        key, km = str(owner[i]), float(coast_km[i])
        inside = bool(covered[i])
        out.append(SampleSummary(
            float(x[i]), float(y[i]), None if not inside or key == HIGH_SEAS else key,
            dict(sorted(prob.items(), key=lambda kv: -kv[1])),
            km if inside and np.isfinite(km) else None, (str(coast_country[i]) or None) if inside else None,
        ))  # fmt: skip
    return out
