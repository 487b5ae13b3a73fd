"""A government's in/out statement as evidence: the impact distribution conditioned on it.

"Japan says it fell outside its EEZ" is information about where it fell. A statement
``"outside JPN eez"`` (or ``inside``/``in``/``within``, ``outside``/``beyond``; zone kinds
``eez``, ``contiguous_zone``/``cz``, ``territorial_sea``/``ts``/``territorial waters``) is
read as true, and the samples of a report (or of several combined, :mod:`geo.reports`) that
contradict it are dropped:

* **inside C's kind** means within the seaward limit of that zone *as C claims it*: the
  rows of the kind and of every zone inside it (EEZ ⊃ contiguous zone ⊃ territorial sea ⊃
  land) whose sovereign is C or that list C among their claimants (disputed and joint
  areas C claims count as C's); **outside** is its complement;
* the **share excluded** is the prior probability mass the statement rules out, with a
  binomial standard error (on the effective sample size of a combined estimate);
* the **conditioned region** is the prior region (a report's region, or the intersection
  of the reports' regions) cut by the zones, and the **azimuths that remain** are those,
  from the (proposal) report's reference point, along which some distance of the region
  is left: tested on a grid of :data:`AZIMUTH_STEP_DEG` x :data:`RANGE_STEP_KM`; an
  interval's ends are given one azimuth step out, so that its true ends lie inside it, with
  the degrees of it on which every distance of the region is left; the reference is the first report that gives a
  range from a launch site, else the proposal of the combined estimate.

A statement that excludes everything is a stated result (``empty``), never a crash.

Examples
--------
>>> st = parse_statement("outside JPN eez")
>>> st.inside, st.country, st.kind
(False, 'JPN', 'eez')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from geo import geodesy
from geo._errors import GeoError, ParseError
from geo.assess import Assessment, ZoneIndex, assess_samples
from geo.reports import Combined, ReportModel
from geo.uncertainty import ImpactSamples

__all__ = [
    "AZIMUTH_STEP_DEG",
    "RANGE_STEP_KM",
    "ZONE_KINDS",
    "Conditioned",
    "Statement",
    "UnknownCountryError",
    "assess_effective",
    "condition",
    "parse_statement",
]

ZONE_KINDS = {
    "territorial_sea": ("land", "territorial_sea"),
    "contiguous_zone": ("land", "territorial_sea", "contiguous_zone"),
    "eez": ("land", "territorial_sea", "contiguous_zone", "eez"),
}
"""Each zone kind a statement names, and the layers inside its seaward limit."""

_KIND_WORDS = {
    "eez": "eez",
    "exclusive economic zone": "eez",
    "exclusive_economic_zone": "eez",
    "ts": "territorial_sea",
    "territorial sea": "territorial_sea",
    "territorial_sea": "territorial_sea",
    "territorial waters": "territorial_sea",
    "cz": "contiguous_zone",
    "contiguous zone": "contiguous_zone",
    "contiguous_zone": "contiguous_zone",
}
_SIDES = {"inside": True, "in": True, "within": True, "outside": False, "beyond": False}
_STATEMENT = re.compile(
    r"^\s*(?P<side>[a-z]+)\s+(?:of\s+)?(?P<country>[a-z]{3})(?:'s)?\s+(?P<kind>.+?)\s*$", re.I
)

AZIMUTH_STEP_DEG = 0.1
"""Azimuth step of the grid on which the remaining azimuths are found, degrees."""
RANGE_STEP_KM = 2.0
"""Distance step of that grid, km."""

_F = NDArray[np.float64]


class UnknownCountryError(GeoError):
    """A statement names a country that no zone of the layers belongs to."""


@dataclass(frozen=True)
class Statement:
    """ "outside JPN eez": the side, the country (ISO3) and the zone kind."""

    inside: bool
    country: str
    kind: str
    text: str

    def holds(self, zones: ZoneIndex, lon: Any, lat: Any) -> NDArray[np.bool_]:
        """Per point, whether the statement is true there."""
        x = np.asarray(lon, dtype=float).ravel()
        hit = np.zeros(x.size, dtype=bool)
        for layer in ZONE_KINDS[self.kind]:  # up to four layers, each vectorised over points
            if layer not in zones.layers:
                continue
            rows = _rows_of(zones.frame(layer), self.country)
            pts, found = zones.lookup(layer, x, np.asarray(lat, dtype=float).ravel())
            hit[pts[rows[found]]] = True
        return hit if self.inside else ~hit

    def zone_geometry(self, zones: ZoneIndex, box: tuple[float, float, float, float]) -> Any:
        """The union of the country's zones inside the kind's limit, clipped to ``box``."""
        parts = []
        for layer in ZONE_KINDS[self.kind]:
            if layer in zones.layers:
                frame = zones.frame(layer)
                geoms = frame.geometry.values[_rows_of(frame, self.country)]
                parts += [shapely.clip_by_rect(g, *box) for g in geoms]
        return shapely.union_all(parts) if parts else shapely.Polygon()

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "inside": self.inside, "country": self.country, "kind": self.kind}


def _rows_of(frame: Any, country: str) -> NDArray[np.bool_]:
    sov = frame["sovereign"].astype(str).to_numpy() == country
    claims = np.array([country in str(c).replace(",", ";").split(";") for c in frame["claimants"].tolist()])
    return np.asarray(sov | claims, dtype=bool)


def parse_statement(text: str, *, zones: ZoneIndex | None = None) -> Statement:
    """Read ``"outside JPN eez"``, ``"inside KOR territorial sea"``, ``"within JPN ts"``.

    With ``zones``, the country must own or claim a zone in them.

    Examples
    --------
    >>> parse_statement("within KOR territorial waters").kind
    'territorial_sea'
    """
    m = _STATEMENT.match(str(text))
    if not m or m["side"].lower() not in _SIDES:
        raise ParseError(
            f"cannot read the statement {text!r}; write SIDE COUNTRY KIND, e.g. 'outside JPN eez', "
            f"'inside KOR territorial_sea' (sides: inside, in, within, outside, beyond)"
        )
    kind = _KIND_WORDS.get(" ".join(m["kind"].lower().split()))
    if kind is None:
        raise ParseError(
            f"unknown zone kind {m['kind']!r} in {text!r}; use eez, contiguous_zone (cz) or territorial_sea (ts)"
        )
    country = m["country"].upper()
    if zones is not None:
        known = _countries(zones)
        if country not in known:
            raise UnknownCountryError(
                f"no zone of {zones.name or 'the zone layers'} belongs to {m['country']!r} (in {text!r}); "
                f"use the ISO3 code of one of: {', '.join(sorted(known))}"
            )
    return Statement(_SIDES[m["side"].lower()], country, kind, str(text).strip())


def _countries(zones: ZoneIndex) -> set[str]:
    known: set[str] = set()
    for layer in zones.layers:
        frame = zones.frame(layer)
        for value in [*frame["sovereign"].tolist(), *frame["claimants"].tolist()]:
            if isinstance(value, str):
                known |= {v for v in value.replace(",", ";").split(";") if v}
    return known


# ---------------------------------------------------------------------- conditioning


@dataclass
class Conditioned:
    """A distribution conditioned on statements: what is left, what was excluded, and where."""

    statements: list[Statement]
    prior: Assessment
    posterior: Assessment | None
    prior_samples: int
    prior_effective: float
    kept_effective: float
    excluded_share: float
    excluded_standard_error: float
    samples: ImpactSamples | None
    region: Any
    prior_region: Any
    azimuths: list[dict[str, Any]] = field(default_factory=list)
    origin: tuple[float, float, str] = (math.nan, math.nan, "")
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """The statements exclude every sample: they cannot be true together with the report(s)."""
        return self.samples is None

    def to_dict(self) -> dict[str, Any]:
        area = _area_km2(self.region)
        return {
            "given": [s.to_dict() for s in self.statements],
            "empty": self.empty,
            "excluded_share": self.excluded_share,
            "excluded_share_standard_error": self.excluded_share_se_or_zero,
            "kept_share": 1.0 - self.excluded_share,
            "prior_samples": self.prior_samples,
            "prior_effective_sample_size": self.prior_effective,
            "kept_effective_sample_size": self.kept_effective,
            "prior": self.prior.to_dict(),
            "posterior": self.posterior.to_dict() if self.posterior is not None else None,
            "region": shapely.geometry.mapping(self.region) if not self.region.is_empty else None,
            "region_area_km2": area,
            "prior_region_area_km2": _area_km2(self.prior_region),
            "azimuth_origin": {"name": self.origin[2], "lon": self.origin[0], "lat": self.origin[1]},
            "azimuths_left": self.azimuths,
            "notes": self.notes,
        }

    @property
    def excluded_share_se_or_zero(self) -> float:
        return self.excluded_standard_error if math.isfinite(self.excluded_standard_error) else 0.0

    def summary(self) -> str:
        given = "; ".join(s.text for s in self.statements)
        lines = [
            f"given {given!r}: excluded {self.excluded_share:.3f} ± {self.excluded_share_se_or_zero:.3f} "
            f"of the prior ({self.prior_effective:.0f} effective samples)"
        ]
        if self.empty:
            lines.append("  NOTHING LEFT: the statement(s) cannot be true together with the report(s)")
            lines += [f"  note: {n}" for n in self.notes]
            return "\n".join(lines)
        lines.append(
            f"  region left: {_area_km2(self.region):,.0f} km2 of {_area_km2(self.prior_region):,.0f} km2"
        )
        for a in self.azimuths:
            lines.append(
                f"  azimuths {a['start_deg']:.1f} to {a['end_deg']:.1f} deg from {self.origin[2]} "
                f"(distances {a['min_km']:.0f}-{a['max_km']:.0f} km; posterior mass {a['mass']:.3f})"
                + "".join(
                    f"\n    every distance left on {b['start_deg']:.1f} to {b['end_deg']:.1f} deg"
                    for b in a["all_distances_left"]
                )
            )
        lines += [f"  note: {n}" for n in self.notes]
        assert self.posterior is not None
        lines.append("  conditioned estimate:")
        lines += ["  " + line for line in self.posterior.summary().splitlines()]
        return "\n".join(lines)


def _area_km2(geom: Any) -> float:
    return 0.0 if geom is None or geom.is_empty else geodesy.geodesic_area_m2(geom) / 1e6


def condition(
    source: ImpactSamples | Combined,
    statements: list[str | Statement],
    *,
    zones: ZoneIndex,
    models: list[ReportModel] | None = None,
) -> Conditioned:
    """Condition a report's samples (or a combined estimate) on in/out statements.

    Parameters
    ----------
    source : ImpactSamples or Combined
        The prior: one report's samples, or :func:`geo.reports.combine`'s result.
    statements : list of str or Statement
        ``"outside JPN eez"`` ...; all are taken as true.
    zones : ZoneIndex
        The zone layers the statements refer to.
    models : list of ReportModel, optional
        The report(s) as parametric regions, for the conditioned region and the azimuths
        left (a Combined brings its own); without them only the distribution is returned.
    """
    parsed = [s if isinstance(s, Statement) else parse_statement(s, zones=zones) for s in statements]
    if not parsed:
        raise ParseError("give at least one statement, e.g. 'outside JPN eez'")
    if isinstance(source, Combined):
        if source.samples is None:
            raise GeoError("the reports cannot all be true at once (see the flags): nothing to condition")
        samples, ess, models, proposal = source.samples, source.ess, source.reports, source.proposal
    else:
        samples, ess, proposal = source, float(source.n), 0
    keep = np.ones(samples.n, dtype=bool)
    for st in parsed:  # a handful of statements, each vectorised over samples
        keep &= st.holds(zones, samples.lon, samples.lat)
    share_kept = float(keep.mean())
    excluded = 1.0 - share_kept
    se = math.sqrt(excluded * share_kept / ess) if ess > 0 else math.nan
    prior = assess_effective(samples, effective=ess, zones=zones)
    region, prior_region, azimuths, origin, notes = _geometry(models, proposal, parsed, zones, samples, keep)
    unknown = ~zones.covers(samples.lon, samples.lat)
    if unknown.any():
        notes.append(
            f"coverage: {unknown.mean():.1%} of the samples lie outside the zone layers' coverage "
            f"({zones.coverage_text}); a statement is read there as if no zone held them"
        )
    if not keep.any():
        notes.append(
            f"the statement(s) exclude all {samples.n} samples: they contradict the report(s) as modelled "
            f"(or the share left is below 1/{samples.n})"
        )
        return Conditioned(parsed, prior, None, samples.n, ess, 0.0, 1.0, se, None, region, prior_region,
                           azimuths, origin, notes)  # fmt: skip
    kept = ImpactSamples(
        samples.lon[keep], samples.lat[keep], samples.origin_lon, samples.origin_lat,
        samples.range_km[keep], samples.azimuth_deg[keep], f"{samples.description} | given " +
        "; ".join(s.text for s in parsed),
        (*samples.assumptions, *(f"given: {s.text!r} taken as true; samples where it is false dropped"
                                 for s in parsed)),
        samples.seed,
    )  # fmt: skip
    kept_ess = ess * share_kept  # the kept share of the effective sample size (exact for plain samples)
    posterior = assess_effective(kept, effective=kept_ess, zones=zones)
    if azimuths:
        # the kept samples' azimuths from the intervals' origin (a launch site when a report gives
        # one), not from their own report's reference place
        az = np.asarray(geodesy.inverse(np.full(kept.n, origin[0]), np.full(kept.n, origin[1]),
                                        kept.lon, kept.lat)[0], dtype=float).ravel() % 360.0  # fmt: skip
        for a in azimuths:
            off = (az - a["start_deg"]) % 360.0
            a["mass"] = float((off <= a["width_deg"] + 1e-9).mean()) if az.size else 0.0
    return Conditioned(parsed, prior, posterior, samples.n, ess, kept_ess, excluded, se, kept, region,
                       prior_region, azimuths, origin, notes)  # fmt: skip


def assess_effective(samples: ImpactSamples, *, effective: float, zones: ZoneIndex) -> Assessment:
    """:func:`geo.assess.assess_samples`, with standard errors on ``effective`` samples.

    Importance-resampled samples (:func:`geo.reports.combine`) repeat points: they carry
    the information of their effective sample size, not of their count.
    """
    return _with_ess(assess_samples(samples, zones=zones, outside="report"), effective)


def _with_ess(result: Assessment, ess: float) -> Assessment:
    """Standard errors on the effective sample size (resampled duplicates are not new draws)."""
    if ess < result.samples:
        result.standard_error = {
            k: math.sqrt(p * (1.0 - p) / ess) if ess > 0 else math.nan for k, p in result.probability.items()
        }
        result.assumptions.append(
            f"standard errors: on the effective sample size {ess:.0f}, not {result.samples}"
        )
    return result


def _geometry(
    models: list[ReportModel] | None,
    proposal: int,
    statements: list[Statement],
    zones: ZoneIndex,
    samples: ImpactSamples,
    keep: NDArray[np.bool_],
) -> tuple[Any, Any, list[dict[str, Any]], tuple[float, float, str], list[str]]:
    """The prior and conditioned regions, and the azimuth intervals left from the proposal's reference."""
    if not models:
        hull = shapely.convex_hull(
            shapely.multipoints(np.column_stack([samples.lon[keep], samples.lat[keep]]))
        )
        return (
            hull,
            shapely.Polygon(),
            [],
            (samples.origin_lon, samples.origin_lat, ""),
            ["region: the convex hull of the samples left (no parametric region given)"],
        )
    prior_region = shapely.intersection_all([m.region() for m in models])
    region = prior_region
    box = tuple(float(v) for v in shapely.bounds(prior_region)) if not prior_region.is_empty else None
    for st in statements:
        if box is None or region.is_empty:
            break
        z = st.zone_geometry(zones, box)  # type: ignore[arg-type]
        region = shapely.intersection(region, z) if st.inside else shapely.difference(region, z)
    # azimuths from a launch site when a report gives one, else from the proposal's reference
    ref = next((m for m in models if m.kind == "site"), models[proposal])
    return region, prior_region, _azimuths_left(models, ref, statements, zones), (
        ref.origin_lon, ref.origin_lat, ref.origin_name), []  # fmt: skip


def _azimuths_left(
    models: list[ReportModel], ref: ReportModel, statements: list[Statement], zones: ZoneIndex
) -> list[dict[str, Any]]:
    """Azimuth intervals (from ``ref``'s reference) along which some point of every region and statement is left."""
    start, width = ref.azimuth_bounds_deg
    lo, hi = ref.range_bounds_km
    az = start + np.arange(0.0, width + 1e-9, AZIMUTH_STEP_DEG)
    r = (
        np.array([ref.range_a])
        if ref.range_kind == "exact"
        else np.linspace(lo, hi, max(int((hi - lo) / RANGE_STEP_KM), 1) + 1)
    )
    aa, rr = np.meshgrid(az % 360.0, r, indexing="ij")
    lon, lat, _ = geodesy.GEOD.fwd(
        np.full(aa.size, ref.origin_lon), np.full(aa.size, ref.origin_lat), aa.ravel(), rr.ravel() * 1e3
    )
    ok = np.ones(aa.size, dtype=bool)
    for m in models:
        if m is not ref:
            ok &= m.contains(lon, lat)
    for st in statements:
        ok &= st.holds(zones, lon, lat)
    ok2 = ok.reshape(aa.shape)
    whole = _intervals(np.asarray(ok2.all(axis=1), dtype=bool), start, width)
    out = []
    for a0, a1, iv in _intervals(np.asarray(ok2.any(axis=1), dtype=bool), start, width):  # a few runs
        idx = np.arange(a0, a1) % az.size
        dist = rr[idx][ok2[idx]]
        inner = [
            {"start_deg": j["start_deg"], "end_deg": j["end_deg"]}
            for b0, _, j in whole
            if b0 % az.size in idx
        ]
        out.append({**iv, "min_km": float(dist.min()), "max_km": float(dist.max()),
                    "all_distances_left": inner, "mass": math.nan})  # fmt: skip
    return out


def _intervals(
    rows: NDArray[np.bool_], start: float, width: float
) -> list[tuple[int, int, dict[str, float]]]:
    """Runs of True rows of an azimuth grid from ``start`` as intervals in degrees.

    A run's true ends lie between its outer grid azimuths and the next ones: those are
    given, inside the prior interval ``(start, width)``.
    """
    out = []
    for a0, a1 in _runs(rows, full=width >= 360.0):
        off_lo = (a0 - 1) * AZIMUTH_STEP_DEG if a0 > 0 or width >= 360.0 else 0.0
        off_hi = min(a1 * AZIMUTH_STEP_DEG, width) if width < 360.0 else a1 * AZIMUTH_STEP_DEG
        if width >= 360.0 and a1 - a0 >= rows.size - 1:  # every azimuth is left
            off_lo, off_hi = 0.0, 360.0
        full = off_hi - off_lo >= 360.0
        iv = {"start_deg": float((start + off_lo) % 360.0),
              "end_deg": float((start + off_lo) % 360.0 + 360.0 if full else (start + off_hi) % 360.0),
              "width_deg": float(min(off_hi - off_lo, 360.0))}  # fmt: skip
        out.append((a0, a1, iv))
    return out


def _runs(rows: NDArray[np.bool_], *, full: bool) -> list[tuple[int, int]]:
    """Half-open index runs of True; on a full circle a run through the last and first rows is one."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], rows.astype(int), [0]])))
    runs = [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    if full and len(runs) > 1 and runs[0][0] == 0 and runs[-1][1] == rows.size:
        runs = [(runs[-1][0], runs[0][1] + rows.size), *runs[1:-1]]
    return runs
