"""Several reports of one event combined into one impact estimate, with their consistency.

Model
-----
Each report is a **likelihood over the impact point**: its own parametric region in
distance and bearing from its reference point (a launch site, or the place of a relative
statement), on the WGS84 ellipsoid:

* distance: uniform on a stated interval ``R1-R2`` (a relative statement's single value is
  :mod:`geo.relative`'s +/-10 %), normal for ``R+/-E``, and an exact ``R`` smoothed by a
  normal kernel of standard deviation :data:`KERNEL_RANGE_FRACTION` of R (at least
  :data:`KERNEL_RANGE_MIN_KM`);
* bearing: uniform on a stated interval (a compass word is +/- 11.25 deg), uniform on
  [0, 360) when unknown, and an exact azimuth smoothed by a normal kernel of
  :data:`KERNEL_AZIMUTH_DEG`.

Its density per km2 at a point at distance r and azimuth a from the reference is
``f_r(r) f_a(a) / J(r)``, with ``J(r) = R sin(r / R)`` the length of a unit radian of arc at
distance r (spherical, R = 6371.0088 km: within 0.5 % of the ellipsoid's reduced length,
and only ratios across the cloud matter). The reports are taken as independent: the
joint density is the **product of the reports' likelihoods**. It is sampled by
**importance resampling**: each report's own samples are weighted by the product of the
other reports' densities there; the proposal with the largest effective sample size
``ESS = (sum w)^2 / sum w^2`` is kept, and ``n`` points are drawn from its samples with
probabilities ``w / sum w``.

Consistency
-----------
* ``overlap[i][j]``: the share of report i's own samples inside report j's region (its
  support; a normal's mean +/- :data:`REGION_SIGMAS` sd);
* ``joint_mass_inside[i]``: the probability mass of the joint estimate inside report i's region;
* a **flag** whenever two reports cannot both be true (no sample of either inside the
  other's region, or the product is zero everywhere) or the joint rests on too few
  samples (ESS below ``min_ess``): never a silent answer.

Examples
--------
>>> c = combine(["Chonchon County: 700-1000 km, azimuth 45:135",
...              "Chonchon County: 500-800 km, azimuth 30:150"], n=4000, seed=0)
>>> c.consistent, bool(700.0 <= c.samples.range_km.min() <= c.samples.range_km.max() <= 800.0)
(True, True)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from geo import geodesy
from geo._errors import GeoError
from geo.relative import DEFAULT_DISTANCE_FRACTION, locate, parse_range
from geo.uncertainty import DEFAULT_SAMPLES, ImpactSamples, read_azimuth

__all__ = [
    "DEFAULT_MIN_ESS",
    "KERNEL_AZIMUTH_DEG",
    "KERNEL_RANGE_FRACTION",
    "KERNEL_RANGE_MIN_KM",
    "REGION_SIGMAS",
    "Combined",
    "ReportError",
    "ReportModel",
    "combine",
    "event_reports",
    "parse_report",
    "relative_report",
    "site_report",
]

KERNEL_RANGE_FRACTION = 0.01
"""An exact range R is read, when combined, as normal with this fraction of R as sd."""
KERNEL_RANGE_MIN_KM = 1.0
"""The smallest kernel sd for an exact range, km."""
KERNEL_AZIMUTH_DEG = 0.5
"""An exact azimuth is read, when combined, as normal with this sd, degrees."""
REGION_SIGMAS = 2.0
"""A normal's region (for overlaps and maps) is its mean +/- this many sd."""
DEFAULT_MIN_ESS = 200.0
"""Below this effective sample size the joint estimate is flagged as resting on too little."""

EARTH_RADIUS_KM = 6371.0088
_F = NDArray[np.float64]
_ABOUT = re.compile(r"\s*(?:about|approximately|approx\.?|around|roughly|some|~)\s*", re.IGNORECASE)
_SITE_FORM = re.compile(
    r"^\s*(?P<site>[^:]+?)\s*:\s*(?P<range>[^,;]+?)\s*(?:km)?\s*"
    r"(?:[,;]\s*(?:azimuth|bearing)\s+(?P<az>\S+)\s*)?$",
    re.IGNORECASE,
)


class ReportError(GeoError):
    """A report that cannot be read or combined (named by its number and text)."""


@dataclass(frozen=True)
class ReportModel:
    """One report as a parametric likelihood in distance and bearing from a reference point.

    ``range_kind`` is ``uniform`` (``range_a``-``range_b`` km), ``normal`` (mean ``range_a``,
    sd ``range_b``) or ``exact`` (``range_a``; sd ``range_b`` is its kernel);
    ``azimuth_kind`` is ``uniform`` (clockwise from ``azimuth_a`` over ``azimuth_b``
    degrees; 360 when unknown) or ``exact`` (``azimuth_a``; ``azimuth_b`` its kernel sd).
    """

    text: str
    origin_lon: float
    origin_lat: float
    origin_name: str
    range_kind: str
    range_a: float
    range_b: float
    azimuth_kind: str
    azimuth_a: float
    azimuth_b: float
    assumptions: tuple[str, ...] = field(default_factory=tuple)
    kind: str = "relative"
    """``site`` (a range from a launch site) or ``relative`` (a distance and bearing from a place)."""

    # ---------------------------------------------------------------- intervals

    @property
    def range_bounds_km(self) -> tuple[float, float]:
        """The distance interval of the region, km (a normal's mean +/- REGION_SIGMAS sd)."""
        if self.range_kind == "uniform":
            return self.range_a, self.range_b
        return max(
            self.range_a - REGION_SIGMAS * self.range_b, 0.0
        ), self.range_a + REGION_SIGMAS * self.range_b

    @property
    def azimuth_bounds_deg(self) -> tuple[float, float]:
        """(start, width) of the region's bearing interval, clockwise, degrees."""
        if self.azimuth_kind == "uniform":
            return self.azimuth_a % 360.0, self.azimuth_b
        return (self.azimuth_a - REGION_SIGMAS * self.azimuth_b) % 360.0, 2 * REGION_SIGMAS * self.azimuth_b

    # ---------------------------------------------------------------- the likelihood

    def polar(self, lon: Any, lat: Any) -> tuple[_F, _F]:
        """Distance (km) and azimuth (deg) of points from the reference point."""
        x = np.asarray(lon, dtype=float)
        az, _, d = geodesy.GEOD.inv(
            np.full(x.size, self.origin_lon), np.full(x.size, self.origin_lat), x.ravel(),
            np.asarray(lat, dtype=float).ravel(),
        )  # fmt: skip
        return np.asarray(d, dtype=float) / 1e3, np.asarray(az, dtype=float) % 360.0

    def density(self, lon: Any, lat: Any) -> _F:
        """The report's density at each point, per km2 (0 outside a uniform's support)."""
        r, az = self.polar(lon, lat)
        if self.range_kind == "uniform":
            width = self.range_b - self.range_a
            f_r = ((r >= self.range_a) & (r <= self.range_b)) / width
        else:
            f_r = np.exp(-0.5 * ((r - self.range_a) / self.range_b) ** 2) / (
                self.range_b * math.sqrt(2 * math.pi)
            )
        if self.azimuth_kind == "uniform":
            off = (az - self.azimuth_a) % 360.0
            f_a = (off <= self.azimuth_b + 1e-9) / self.azimuth_b
        else:
            off = (az - self.azimuth_a + 180.0) % 360.0 - 180.0
            f_a = np.exp(-0.5 * (off / self.azimuth_b) ** 2) / (self.azimuth_b * math.sqrt(2 * math.pi))
        jac = EARTH_RADIUS_KM * np.sin(np.maximum(r, 1e-6) / EARTH_RADIUS_KM) * (math.pi / 180.0)
        return np.asarray(f_r * f_a / jac, dtype=float)

    def contains(self, lon: Any, lat: Any) -> NDArray[np.bool_]:
        """Whether each point lies in the report's region (see :attr:`range_bounds_km`)."""
        r, az = self.polar(lon, lat)
        lo, hi = self.range_bounds_km
        start, width = self.azimuth_bounds_deg
        return np.asarray((r >= lo - 1e-6) & (r <= hi + 1e-6) & ((az - start) % 360.0 <= width + 1e-9))

    def sample(self, n: int, rng: np.random.Generator) -> ImpactSamples:
        """``n`` points drawn from the likelihood (the kernels included)."""
        if self.range_kind == "uniform":
            r = rng.uniform(self.range_a, self.range_b, n)
        else:
            r = np.abs(rng.normal(self.range_a, self.range_b, n))
        if self.azimuth_kind == "uniform":
            az = (self.azimuth_a + rng.uniform(0.0, self.azimuth_b, n)) % 360.0
        else:
            az = rng.normal(self.azimuth_a, self.azimuth_b, n) % 360.0
        lon, lat, _ = geodesy.GEOD.fwd(np.full(n, self.origin_lon), np.full(n, self.origin_lat), az, r * 1e3)
        return ImpactSamples(
            np.asarray(lon),
            np.asarray(lat),
            self.origin_lon,
            self.origin_lat,
            r,
            az,
            self.text,
            self.assumptions,
        )

    def region(self) -> Any:
        """The region as a geodesic annular sector (shapely, split at 180 deg)."""
        lo, hi = self.range_bounds_km
        start, width = self.azimuth_bounds_deg
        azimuths = (0.0, 360.0) if width >= 360.0 else (start, (start + width) % 360.0)
        return geodesy.sector(self.origin_lon, self.origin_lat, hi * 1e3, azimuths, inner_m=lo * 1e3)

    def to_dict(self) -> dict[str, Any]:
        lo, hi = self.range_bounds_km
        start, width = self.azimuth_bounds_deg
        return {
            "text": self.text,
            "kind": self.kind,
            "origin": {"name": self.origin_name, "lat": self.origin_lat, "lon": self.origin_lon},
            "range": {
                "kind": self.range_kind,
                "a_km": self.range_a,
                "b_km": self.range_b,
                "region_km": [lo, hi],
            },
            "azimuth": {
                "kind": self.azimuth_kind,
                "a_deg": self.azimuth_a,
                "b_deg": self.azimuth_b,
                "region_deg": [start, (start + width) % 360.0 if width < 360.0 else start + 360.0],
            },
            "assumptions": list(self.assumptions),
        }


def site_report(
    site: str | tuple[float, float],
    *,
    range_km: str | float,
    azimuth: str | float | None = None,
    text: str | None = None,
) -> ReportModel:
    """A report of a range (R, "about R", R+/-E, R1-R2 km) and an azimuth (A, A1:A2 or None) from a site.

    "about R" is read as +/-10 % (uniform), as :mod:`geo.relative` reads a single distance;
    an exact R is smoothed by the range kernel.

    Examples
    --------
    >>> m = site_report("Hamhung", range_km="190", azimuth="20:75")
    >>> m.range_kind, round(m.range_b, 3), m.azimuth_bounds_deg
    ('exact', 1.9, (20.0, 55.0))
    """
    from geo.places import Place, default_gazetteer

    if isinstance(site, tuple):
        x, y = (float(v) for v in geodesy.check_lonlat(site[0], site[1], what="site"))
        place = Place(f"({y:.4f}, {x:.4f})", (), "point", "", x, y, 0.0, "given coordinates")
    else:
        place = default_gazetteer().lookup(site)
    about = isinstance(range_km, str) and _ABOUT.match(range_km)
    kind, a, b = parse_range(range_km[about.end() :] if about else range_km)  # type: ignore[index]
    assumptions = []
    if about and kind == "exact":
        kind, a, b = "uniform", a * (1 - DEFAULT_DISTANCE_FRACTION), a * (1 + DEFAULT_DISTANCE_FRACTION)
        assumptions.append(
            f"range: 'about' read as +/-{DEFAULT_DISTANCE_FRACTION:.0%}, uniform on [{a:g}, {b:g}] km"
        )
    elif kind == "exact":
        b = max(KERNEL_RANGE_FRACTION * a, KERNEL_RANGE_MIN_KM)
        assumptions.append(f"range: {a:g} km, smoothed by a normal kernel of sd {b:g} km to be combined")
    elif kind == "normal":
        assumptions.append(f"range: normal, mean {a:g} km, sd {b:g} km")
    else:
        assumptions.append(f"range: uniform on [{a:g}, {b:g}] km")
    az_kind, az_a, az_b, az_text = _azimuth(azimuth)
    assumptions.append(az_text)
    label = text or f"{place.name}: {range_km} km, azimuth {azimuth if azimuth is not None else 'unknown'}"
    return ReportModel(
        label, place.lon, place.lat, place.name, kind, a, b, az_kind, az_a, az_b, tuple(assumptions), "site"
    )


def _azimuth(azimuth: str | float | None) -> tuple[str, float, float, str]:
    kind, a, width = read_azimuth(azimuth)
    if kind == "unknown":
        return "uniform", 0.0, 360.0, "azimuth: unknown, uniform on [0, 360)"
    if kind == "interval" and width > 0.0:
        return "uniform", a % 360.0, width, f"azimuth: uniform on the clockwise interval {azimuth}"
    return "exact", a % 360.0, KERNEL_AZIMUTH_DEG, (
        f"azimuth: {a % 360.0:g} deg, smoothed by a normal kernel of sd {KERNEL_AZIMUTH_DEG:g} deg to be combined"
    )  # fmt: skip


def parse_report(text: str) -> ReportModel:
    """Read one report: ``"SITE: RANGE km[, azimuth A1:A2]"`` or a relative statement.

    A relative statement is what :func:`geo.relative.locate` reads ("about 250 km west of
    Okushiri Island", Japanese and Korean releases included).

    Examples
    --------
    >>> m = parse_report("about 250 km west of Okushiri Island")
    >>> m.range_bounds_km, m.kind
    ((225.0, 275.0), 'relative')
    >>> parse_report("Mupyong-ni: 800 km, azimuth 45:135").range_kind
    'exact'
    """
    raw = str(text).strip()
    m = _SITE_FORM.match(raw)
    if m and re.search(r"\d", m["range"]):
        return site_report(m["site"], range_km=m["range"].strip(), azimuth=m["az"], text=raw)
    return _from_location(locate(raw), raw)


def relative_report(place: str, distance_km: str | float, bearing: str | float) -> ReportModel:
    """A report of a place, a distance (D or D1-D2) and a bearing, read as :func:`geo.relative.relative_place` reads them."""
    from geo.relative import relative_place

    loc = relative_place(place, distance_km, bearing)
    return _from_location(loc, loc.statement)


def _from_location(loc: Any, text: str) -> ReportModel:
    """A relative location's distance and bearing intervals as a report (exact values get the kernels)."""
    lo, hi = loc.distance_km
    b0, b1 = loc.bearing_deg
    width = (b1 - b0) % 360.0
    assumptions = list(loc.assumptions)
    if hi > lo:
        kind, a, b = "uniform", lo, hi
    else:
        kind, a, b = "exact", lo, max(KERNEL_RANGE_FRACTION * lo, KERNEL_RANGE_MIN_KM)
        assumptions.append(f"distance: {lo:g} km smoothed by a normal kernel of sd {b:g} km to be combined")
    if width > 0:
        az_kind, az_a, az_b = "uniform", b0 % 360.0, width
    else:
        az_kind, az_a, az_b = "exact", b0 % 360.0, KERNEL_AZIMUTH_DEG
        assumptions.append(
            f"bearing: {b0:g} deg smoothed by a normal kernel of sd {KERNEL_AZIMUTH_DEG:g} deg"
        )
    p = loc.place
    return ReportModel(text, p.lon, p.lat, p.name, kind, a, b, az_kind, az_a, az_b, tuple(assumptions))


def event_reports(events: list[Any], event: str, *, source: str = "the catalogue") -> list[ReportModel]:
    """The rows of one event in a catalogue (:func:`geo.events.read_events`) as reports.

    A row belongs to ``event`` when its date or its name equals it (ignoring case); each
    must give a site and a range (a row with an exact impact point is refused: give it as
    a report of its own).
    """
    key = str(event).strip().lower()
    rows = [e for e in events if key in {str(e.date).strip().lower(), str(e.name).strip().lower()}]
    if not rows:
        known = sorted({str(e.date) for e in events})[:8]
        raise ReportError(
            f"no row of {source} has the date or name {event!r}; dates there: {', '.join(known) or 'none'}"
        )
    out = []
    for e in rows:  # a handful of rows: one report each
        if e.site is None or e.range_km is None:
            raise ReportError(
                f"{source}: row {e.row} ({e.name!r}) gives no site and range to combine; "
                f"give an exact point as --lat/--lon, or a report of its own"
            )
        label = f"row {e.row}: {e.name} ({e.site}: {e.range_km} km, azimuth {e.azimuth or 'unknown'})"
        out.append(site_report(e.site, range_km=e.range_km, azimuth=e.azimuth, text=label))
    return out


# ---------------------------------------------------------------------- combining


@dataclass
class Combined:
    """The joint estimate of several reports, and how well they agree."""

    reports: list[ReportModel]
    samples: ImpactSamples | None
    proposal: int
    ess: float
    ess_by_proposal: list[float]
    n: int
    overlap: list[list[float]]
    joint_mass_inside: list[float]
    flags: list[str]
    min_ess: float
    seed: int | None = None

    @property
    def consistent(self) -> bool:
        """No flag: every pair of reports overlaps and the joint rests on enough samples."""
        return not self.flags

    @property
    def empty(self) -> bool:
        """The reports cannot all be true at once: the product of their likelihoods is zero."""
        return self.samples is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": "product of the reports' likelihoods, sampled by importance resampling",
            "reports": [r.to_dict() for r in self.reports],
            "samples": self.n,
            "seed": self.seed,
            "proposal_report": self.proposal + 1,
            "effective_sample_size": self.ess,
            "effective_sample_size_by_proposal": self.ess_by_proposal,
            "min_effective_sample_size": self.min_ess,
            "overlap": self.overlap,
            "joint_mass_inside": self.joint_mass_inside,
            "consistent": self.consistent,
            "empty": self.empty,
            "flags": self.flags,
        }

    def summary(self) -> str:
        lines = [f"{len(self.reports)} reports combined (product of likelihoods, importance resampling):"]
        for i, r in enumerate(self.reports):
            inside = f"{self.joint_mass_inside[i]:.3f}" if not self.empty else "-"
            lines.append(f"  [{i + 1}] {r.text}  (joint mass inside its region {inside})")
        for i in range(len(self.reports)):
            for j in range(i + 1, len(self.reports)):
                lines.append(
                    f"  overlap [{i + 1}]~[{j + 1}]: {self.overlap[i][j]:.3f} of [{i + 1}] in [{j + 1}], "
                    f"{self.overlap[j][i]:.3f} of [{j + 1}] in [{i + 1}]"
                )
        lines.append(
            f"  effective sample size {self.ess:.0f} of {self.n} (proposal: report [{self.proposal + 1}])"
        )
        lines += [f"  FLAG: {f}" for f in self.flags]
        return "\n".join(lines)


def combine(
    reports: list[str | ReportModel],
    *,
    n: int = DEFAULT_SAMPLES,
    seed: int | None = None,
    min_ess: float = DEFAULT_MIN_ESS,
) -> Combined:
    """Combine reports of one event: the joint impact distribution (the product of their
    likelihoods) and each report's consistency with the others.

    Parameters
    ----------
    reports : list of str or ReportModel
        Texts as :func:`parse_report` reads them, or models.
    n : int
        Samples drawn from each report, and drawn for the joint.
    seed : int, optional
        Reproducible draws.
    min_ess : float
        An effective sample size below this raises a flag.

    Returns
    -------
    Combined
        ``samples`` is None when the reports cannot all be true (a flag says which).
    """
    if not reports:
        raise ReportError("give at least one report")
    if int(n) != n or n < 1:
        raise ReportError(f"n must be a positive whole number of samples, got {n!r}")
    models = [_model(r, i) for i, r in enumerate(reports)]
    k = len(models)
    rng = np.random.default_rng(seed)
    drawn = [m.sample(int(n), rng) for m in models]
    # dens[a][b]: report b's density at report a's samples; inside likewise for regions
    dens = [[models[b].density(drawn[a].lon, drawn[a].lat) for b in range(k)] for a in range(k)]
    inside = [[models[b].contains(drawn[a].lon, drawn[a].lat) for b in range(k)] for a in range(k)]
    weights = [
        np.prod([dens[a][b] for b in range(k) if b != a], axis=0) if k > 1 else np.ones(int(n))
        for a in range(k)
    ]
    ess = [_ess(w) for w in weights]
    best = int(np.argmax(ess))
    overlap = [[float(inside[a][b].mean()) for b in range(k)] for a in range(k)]
    flags = _pair_flags(models, overlap)
    w = weights[best]
    total = float(w.sum())
    if ess[best] < 1.0 or not math.isfinite(total):  # zero, or kernel tails underflowing to zero
        flags.append(
            "the reports cannot all be true at once: no sample of any report has a non-zero likelihood "
            "under all the others (the product of the likelihoods is zero)"
        )
        return Combined(models, None, best, 0.0, ess, int(n), overlap, [0.0] * k, flags, float(min_ess), seed)
    if ess[best] < min_ess:
        flags.append(
            f"the joint estimate rests on an effective sample size of {ess[best]:.0f} (< {min_ess:g}): "
            f"the reports barely overlap; give more samples or check the reports"
        )
    p = w / total
    mass = [float((p * inside[best][b]).sum()) for b in range(k)]
    idx = rng.choice(int(n), size=int(n), replace=True, p=p)
    s = drawn[best]
    joint = ImpactSamples(
        s.lon[idx], s.lat[idx], s.origin_lon, s.origin_lat, s.range_km[idx], s.azimuth_deg[idx],
        " + ".join(f"[{i + 1}] {m.text}" for i, m in enumerate(models)),
        (*[f"report [{i + 1}] {a}" for i, m in enumerate(models) for a in m.assumptions],
         "reports: independent; joint density the product of their likelihoods",
         f"joint: importance resampling of report [{best + 1}]'s {int(n)} samples weighted by the others' "
         f"densities (effective sample size {ess[best]:.0f})"),
        seed,
    )  # fmt: skip
    return Combined(models, joint, best, ess[best], ess, int(n), overlap, mass, flags, float(min_ess), seed)


def _model(report: str | ReportModel, i: int) -> ReportModel:
    if isinstance(report, ReportModel):
        return report
    try:
        return parse_report(report)
    except GeoError as exc:
        raise ReportError(f"report {i + 1} {str(report)!r}: {exc}") from None


def _ess(w: _F) -> float:
    s2 = float((w * w).sum())
    return float(w.sum()) ** 2 / s2 if s2 > 0 and math.isfinite(s2) else 0.0


def _pair_flags(models: list[ReportModel], overlap: list[list[float]]) -> list[str]:
    flags = []
    for i in range(len(models)):  # a handful of reports: pairs in a loop
        for j in range(i + 1, len(models)):
            if overlap[i][j] == 0.0 and overlap[j][i] == 0.0:
                flags.append(
                    f"reports [{i + 1}] and [{j + 1}] cannot both be true: no sample of either lies in the "
                    f"other's region ({models[i].text!r}; {models[j].text!r})"
                )
    return flags
