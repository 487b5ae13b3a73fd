"""The analyst's brief: one event's estimate, written as one folder of text, map, figure and GIS files.

:func:`make_brief` takes the reports of one event (or an exact point), combines them
(:func:`geo.reports.combine`: the product of their likelihoods), conditions the result on
the statements taken as true (:func:`geo.evidence.condition`: "outside JPN eez"), and
assesses it in the zones under a perspective. :func:`write_brief` writes the folder at
once (a scratch folder next to it, renamed at the end):

* ``brief.md``: the verdict, the probabilities with their standard errors, the margins to
  each EEZ limit, the nearest coast, the reports and their sources, the statements given,
  the assumptions and the provenance of the geodesy and the zone data;
* ``map.html`` (offline, :mod:`geo.maps`), ``figure.png`` (:mod:`geo.figures`),
  ``layers.gpkg`` and ``layers.kmz`` (:mod:`geo.io`): the sites, the central point, each
  report's region, and the region left by the statements;
* ``brief.json``: everything above, machine-readable.

Reports that cannot all be true, or statements that exclude everything, are a stated
result (``Brief.empty``, with the flags and notes), written like any other brief.

Examples
--------
>>> md_cell("a | b <i>")
'a \\\\| b &lt;i&gt;'
"""

from __future__ import annotations

import contextlib
import html
import json
import math
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from geo._errors import GeoError

__all__ = ["FILES", "Brief", "BriefFolderError", "make_brief", "md_cell", "write_brief"]

#: The files of a brief folder, in the order they are written.
FILES = ("brief.md", "brief.json", "map.html", "figure.png", "layers.gpkg", "layers.kmz")

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


class BriefFolderError(GeoError):
    """The brief's folder cannot be written (it holds files, or is a file)."""


def md_cell(text: Any) -> str:
    """User text made safe inside Markdown (and a Markdown table cell): one line, HTML and Markdown escaped."""
    one = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(one, quote=False))


@dataclass
class Brief:
    """One event's estimate: the final assessment and how it was reached.

    ``result`` is the assessment of the final distribution (the conditioned one when
    statements were given and left something; the prior when they left nothing; None when
    the reports cannot all be true). ``empty`` says that nothing is left.
    """

    title: str
    result: Any
    reports: list[Any]
    sources: list[str]
    combined: Any = None
    conditioned: Any = None
    point: tuple[float, float] | None = None
    given: list[dict[str, Any]] = field(default_factory=list)
    perspective: str | None = None
    samples: int = 0
    seed: int | None = None
    provenance: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """The reports, or the reports and the statements, cannot all be true: nothing is left."""
        if self.combined is not None and self.combined.empty:
            return True
        if self.conditioned is not None:
            return bool(self.conditioned.empty)
        return any(not g.get("holds", True) for g in self.given)

    def verdict(self) -> str:
        """The verdict in words: where the (central) point is, and the chance in the perspective's EEZ."""
        if self.result is None or (self.empty and self.point is None):
            return "NOTHING LEFT: the reports and statements cannot all be true (see the flags and notes)"
        r = self.result
        who = r.eez or "high seas"
        if r.outside_coverage:
            where = "outside the zone layers' coverage (not known to be high seas)"
        elif who.startswith("land:"):
            where = "on land" + who.removeprefix("land")
        else:
            where = "high seas (no EEZ)" if who == "high seas" else f"in the EEZ of {who}"
        text = f"{'central point' if r.samples else 'point'} {where}"
        if r.samples and self.perspective:
            p, se = r.probability.get(self.perspective, 0.0), r.standard_error.get(self.perspective, 0.0)
            text += f"; P(in {self.perspective}'s EEZ) = {p:.3f} ± {se:.3f}"
        if self.empty:
            text += "; a statement given CONTRADICTS the point"
        return text

    def to_dict(self) -> dict[str, Any]:
        """Everything in the brief, JSON-ready."""
        return {
            "title": self.title,
            "verdict": self.verdict(),
            "empty": self.empty,
            "perspective": self.perspective,
            "samples": self.samples,
            "seed": self.seed,
            "point": None if self.point is None else {"lon": self.point[0], "lat": self.point[1]},
            "reports": [
                {**m.to_dict(), "number": i + 1, "source": self.sources[i]}
                for i, m in enumerate(self.reports)
            ],
            "assessment": None if self.result is None else self.result.to_dict(),
            "combined": None if self.combined is None else self.combined.to_dict(),
            "conditioned": None if self.conditioned is None else self.conditioned.to_dict(),
            "given": self.given,
            "provenance": self.provenance,
            "notes": self.notes,
            "files": list(FILES),
        }

    def markdown(self) -> str:
        """``brief.md``: every user text escaped (:func:`md_cell`)."""
        return "\n".join(_markdown(self)) + "\n"


def make_brief(
    reports: list[Any] | None = None,
    *,
    point: tuple[float, float] | None = None,
    given: list[str] | tuple[str, ...] = (),
    sources: list[str] | tuple[str, ...] | None = None,
    perspective: str | None = None,
    n: int = 20_000,
    seed: int | None = 0,
    min_ess: float | None = None,
    title: str | None = None,
) -> Brief:
    """The estimate of one event from its reports (or an exact point) and the statements taken as true.

    Parameters
    ----------
    reports : list of str or ReportModel, optional
        The reports of one event, as :func:`geo.reports.parse_report` reads them; one
        report is sampled from its region model like several.
    point : (lon, lat), optional, keyword-only
        An exact impact point instead of reports.
    given : list of str
        Statements taken as true ("outside JPN eez", "inside KOR ts").
    sources : list of str, optional
        Where each report comes from (a URL, "Japan MoD, 5 Jan 2022"); one per report.
    perspective : str, optional
        ISO3 whose claims the zones follow (default neutral).
    n, seed, min_ess
        Samples, random seed and the effective sample size below which the combined
        estimate is flagged (:func:`geo.reports.combine`).
    title : str, optional
        The brief's title (default: the reports' texts).

    Returns
    -------
    Brief

    Raises
    ------
    GeoError
        Neither or both of reports and point; a report or statement that cannot be read;
        a source list whose length is not the reports'.
    """
    from geo import assess as a_
    from geo import evidence as e_
    from geo import reports as r_

    reports = list(reports or [])
    if bool(reports) == (point is not None):
        raise GeoError("give the reports of one event, or an exact point (lon, lat), not both nor neither")
    statements = [e_.parse_statement(g) for g in given]  # the wording first, the country below
    pers = perspective.upper() if perspective else None
    if point is not None:
        from geo import geodesy

        x, y = (float(v) for v in geodesy.check_lonlat(point[0], point[1], what="impact"))
        zones = a_.zone_index(pers, where=([x], [y]))
        held = [
            {**s.to_dict(), "holds": bool(s.holds(zones, [x], [y])[0])}
            for s in (e_.parse_statement(st.text, zones=zones) for st in statements)
        ]
        result = a_.assess_point(x, y, zones=zones)
        return Brief(title or f"point ({y:.4f}, {x:.4f})", result, [], [], point=(x, y), given=held,
                     perspective=pers, provenance=provenance(zones, where=([x], [y])))  # fmt: skip
    srcs = _sources(sources, len(reports))
    combined = r_.combine(
        reports, n=n, seed=seed, min_ess=r_.DEFAULT_MIN_ESS if min_ess is None else float(min_ess)
    )
    head = title or " + ".join(_label(m) for m in combined.reports)
    if title is None and len(head) > 60:  # the figure's title line holds about 60 characters
        head = f"{len(combined.reports)} reports: " + ", ".join(
            dict.fromkeys(m.origin_name for m in combined.reports)
        )
    brief = Brief(
        head, None, combined.reports, srcs, combined=combined, perspective=pers, samples=int(n), seed=seed
    )
    if combined.empty:
        brief.notes = list(combined.flags)
        return brief
    cloud = combined.samples
    assert cloud is not None  # not empty
    where = (cloud.lon, cloud.lat)
    zones = a_.zone_index(pers, where=where)
    brief.provenance = provenance(zones, where=where)
    if statements:
        cond = e_.condition(combined, list(given), zones=zones)
        brief.conditioned = cond
        brief.given = [s.to_dict() for s in cond.statements]
        brief.result = cond.posterior if cond.posterior is not None else cond.prior
        brief.notes = list(cond.notes)
        _azimuth_mass(cond)
    else:
        brief.result = e_.assess_effective(cloud, effective=combined.ess, zones=zones)
    return brief


def _azimuth_mass(cond: Any) -> None:
    """Each interval's posterior mass, by the samples' azimuths from the intervals' own origin.

    :func:`geo.evidence.condition` measures the samples' azimuths from the proposal
    report's reference, which is not the intervals' origin (a launch site) when the
    proposal is a relative report; the brief measures them from the origin itself.
    """
    import numpy as np

    from geo import geodesy

    kept = cond.samples
    if kept is None or not cond.azimuths:
        return
    lon0, lat0, _ = cond.origin
    az = (
        np.asarray(geodesy.GEOD.inv(np.full(kept.n, lon0), np.full(kept.n, lat0), kept.lon, kept.lat)[0])
        % 360.0
    )
    for a in cond.azimuths:  # a few intervals
        a["mass"] = float((((az - a["start_deg"]) % 360.0) <= a["width_deg"] + 1e-9).mean())


def _label(m: Any) -> str:
    """A report in short Latin words (a Japanese or Korean text by its place: the figure's fonts lack CJK)."""
    from geo.relative_cjk import has_cjk

    if not has_cjk(m.text):
        return str(m.text)
    lo, hi = m.range_bounds_km
    return f"{lo:.0f}-{hi:.0f} km from {m.origin_name}"


def _sources(sources: Any, k: int) -> list[str]:
    if sources is None or len(sources) == 0:
        return ["as given (no source named)"] * k
    if len(sources) != k:
        raise GeoError(
            f"give one source per report: {k} report(s), {len(sources)} source(s); repeat --source in "
            "the order of --report, or leave the sources out"
        )
    return [str(s) for s in sources]


def provenance(zones: Any, *, where: Any) -> dict[str, Any]:
    """Where the geodesy and the zone layers come from: library versions, the folder's manifest."""
    import pyproj

    from geo import __version__
    from geo import zones as z_

    folder = Path(z_.boundaries_dir(where=where))
    manifest: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):  # an imported folder may have no manifest
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {
        "geo_version": __version__,
        "geodesy": f"WGS84 ellipsoid, geodesics by GeographicLib in PROJ {pyproj.proj_version_str} "
        f"(pyproj {pyproj.__version__})",
        "zones_folder": folder.name if folder.name != "boundaries" else "data/boundaries",
        "zones_region": manifest.get("region", ""),
        "zones_coverage": zones.coverage_text.replace(f" of {zones.name}", "")
        if zones.name
        else zones.coverage_text,
        "zones_licence": manifest.get("licence", ""),
        "zones_inputs": manifest.get("inputs", {}),
        "zones_treaties": [t.get("name", "") for t in manifest.get("treaties", [])],
        "zones_baselines": [b.get("name", "") for b in manifest.get("baselines", [])],
        "zones_notes": list(getattr(zones, "notes", []) or []),
    }


# ---------------------------------------------------------------------- writing


def write_brief(brief: Brief, folder: str | Path, *, force: bool = False, dpi: int = 150) -> Path:
    """Write the brief's folder (:data:`FILES`) at once: a scratch folder next to it, renamed at the end.

    Raises
    ------
    BriefFolderError
        ``folder`` is a file, or a folder that holds files (without ``force``).
    FileNotFoundError
        The parent folder does not exist.
    """
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise BriefFolderError(f"brief folder {str(target)!r} is a file; give a folder name")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise BriefFolderError(
            f"brief folder {str(target)!r} is not empty; give a new folder, or --force to replace it"
        )
    parent = target.resolve().parent
    if not parent.is_dir():
        raise FileNotFoundError(
            f"the folder {str(parent)!r} does not exist; create it first (mkdir -p {parent})"
        )
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.pid{os.getpid()}.", suffix=".part", dir=parent))
    try:
        os.chmod(scratch, 0o777 & ~_umask())
        _write_files(brief, scratch, dpi=dpi)
        if target.is_dir():
            old = parent / f".{target.name}.pid{os.getpid()}.old"
            os.replace(target, old)
            os.replace(scratch, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(scratch, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _write_files(brief: Brief, folder: Path, *, dpi: int) -> None:
    from geo._io import atomic_write_text, to_json
    from geo.figures import write_figure
    from geo.io import export_layers
    from geo.maps import write_map

    atomic_write_text(folder / "brief.md", brief.markdown())
    atomic_write_text(folder / "brief.json", to_json(brief.to_dict()))
    layers = brief_layers(brief)
    write_map(layers, folder / "map.html", offline=True)
    write_figure(layers, folder / "figure.png", dpi=dpi)
    export_layers(layers, folder / "layers.gpkg")
    export_layers(layers, folder / "layers.kmz")


def brief_layers(brief: Brief) -> Any:
    """What the map, the figure and the GIS files draw: sites, the central point, the regions."""
    import geopandas as gpd
    import shapely

    from geo.maps import collect_layers
    from geo.places import lookup

    sites = []
    for m in brief.reports:  # launch sites only: a relative report's place is no launch site
        if m.kind != "site":
            continue
        try:
            sites.append(lookup(m.origin_name))
        except GeoError:  # a site given as coordinates
            continue
    impacts = [(brief.result.lon, brief.result.lat)] if brief.result is not None else []
    if not sites and not impacts:
        impacts = [(brief.reports[0].origin_lon, brief.reports[0].origin_lat)]
    layers = collect_layers(sites=sites, impacts=impacts, perspective=brief.perspective, title=brief.title)
    rows = [
        {"name": f"report [{i + 1}]", "date": "", "description": m.text,
         "probability_text": f"joint mass inside {brief.combined.joint_mass_inside[i]:.3f}"
         if brief.combined is not None and not brief.combined.empty else "", "geometry": m.region()}
        for i, m in enumerate(brief.reports)
    ]  # fmt: skip
    cond = brief.conditioned
    if cond is not None and cond.region is not None and not cond.region.is_empty:
        rows.append(
            {"name": "left by the statements", "date": "",
             "description": "region left given " + "; ".join(s.text for s in cond.statements),
             "probability_text": f"excluded {cond.excluded_share:.3f} ± {cond.excluded_share_se_or_zero:.3f}",
             "geometry": cond.region}
        )  # fmt: skip
    rows = [r for r in rows if r["geometry"] is not None and not shapely.is_empty(r["geometry"])]
    if not rows:
        return layers
    regions = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    if brief.result is not None and brief.result.samples and math.isfinite(brief.result.lon):
        impacts_ = layers.impacts.copy()
        impacts_["name"] = ["central point"] * len(impacts_)
        layers = replace(layers, impacts=impacts_)
    layers = replace(layers, regions=regions[list(layers.regions.columns)])
    focus = [*layers.sites.geometry, *layers.impacts.geometry, *regions.geometry]
    return _windowed(layers, [*focus, *_views(layers.sites, focus)])


def _views(sites: Any, focus: list[Any]) -> list[Any]:
    """Round each site, a box that holds the figure's square view (its farthest focus point, x 1.5)."""
    import numpy as np
    import shapely

    from geo import geodesy

    xy = shapely.get_coordinates(np.asarray(focus, dtype=object))
    out = []
    for p in sites.geometry:  # a site or two
        _, _, d = geodesy.GEOD.inv(np.full(len(xy), p.x), np.full(len(xy), p.y), xy[:, 0], xy[:, 1])
        r_m = 1.5 * float(np.max(d))
        lon, lat, _ = geodesy.GEOD.fwd(
            np.full(8, p.x), np.full(8, p.y), np.arange(0.0, 360.0, 45.0), np.full(8, r_m)
        )
        out.append(shapely.multipoints(np.column_stack([lon, lat])))
    return out


#: Zones and land are drawn within the event's extent and this margin, degrees (display only).
WINDOW_MARGIN_DEG = 5.0


def _windowed(layers: Any, focus: list[Any]) -> Any:
    """The layers with zones and land clipped to the focus's box + :data:`WINDOW_MARGIN_DEG`.

    The whole NW Pacific's zones hold 1.5 M vertices: simplifying them for the map took most
    of a brief's time; a brief shows one event.
    """
    import shapely

    w, s, e, n = (float(v) for v in shapely.total_bounds(focus))
    m = WINDOW_MARGIN_DEG
    box = (max(w - m, -180.0), max(s - m, -90.0), min(e + m, 180.0), min(n + m, 90.0))
    out = {}
    for name in ("zones", "land"):
        gdf = getattr(layers, name)
        if gdf is None or not len(gdf):
            continue
        clipped = gdf.set_geometry(shapely.clip_by_rect(gdf.geometry.to_numpy(), *box))
        out[name] = clipped[~clipped.geometry.is_empty]
    note = f"zones and land drawn within lon {box[0]:g} to {box[2]:g}, lat {box[1]:g} to {box[3]:g}"
    return replace(layers, **out, notes=(*layers.notes, note))


# ---------------------------------------------------------------------- brief.md


def _table(head: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    return [
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
        *("| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows),
        "",
    ]


def _markdown(b: Brief) -> list[str]:
    r = b.result
    out = [f"# Brief: {md_cell(b.title)}", "", f"**Verdict:** {md_cell(b.verdict())}", ""]
    if b.perspective:
        out += [f"Zones as {md_cell(b.perspective)} claims them.", ""]
    if r is not None:
        out.append(
            f"Central point: lat {r.lat:.4f}, lon {r.lon:.4f}"
            + (f" ({r.samples} samples)" if r.samples else " (exact)")
        )
        heading = "Probabilities (the prior: the statements left nothing)" if b.empty else "Probabilities"
        out += ["", f"## {heading}", ""]
        probs = sorted(r.probability.items(), key=lambda kv: -kv[1])
        out += _table(("outcome", "probability", "standard error"),
                      [(k, f"{v:.3f}", f"{r.standard_error.get(k, 0.0):.3f}") for k, v in probs])  # fmt: skip
        out += ["## Margins to each EEZ limit", ""]
        out += _table(("country", "distance (km)", "side", "nearest limit point (lat, lon)"), [
            (k, f"{abs(d):.1f}", "inside" if d < 0 else "outside",
             _latlon(r.nearest_limit_point.get(k))) for k, d in r.distance_to_eez_limit_km.items()
        ]) if r.distance_to_eez_limit_km else ["no EEZ limit within reach", ""]  # fmt: skip
        coast = r.nearest_coast or {}
        out += ["## Nearest coast", ""]
        out += [f"{md_cell(coast['country'])}, {coast['distance_km']:.1f} km" if coast.get("country")
                else "no coast known (no land layer, or none within reach)", ""]  # fmt: skip
    if b.reports:
        c = b.combined
        out += ["## Reports", ""]
        out += _table(("#", "report", "source", "from", "range (km)", "azimuth (deg)", "joint mass inside"), [
            (i + 1, m.text, b.sources[i], m.origin_name,
             "{:.0f}-{:.0f}".format(*m.range_bounds_km), _azimuths(m.azimuth_bounds_deg),
             "-" if c is None or c.empty else f"{c.joint_mass_inside[i]:.3f}") for i, m in enumerate(b.reports)
        ])  # fmt: skip
        if c is not None:
            out += [f"Combined: {md_cell(c.to_dict()['model'])}; effective sample size {c.ess:.0f} of {c.n} "
                    f"(proposal: report [{c.proposal + 1}]).", ""]  # fmt: skip
            pairs = [(f"[{i + 1}]~[{j + 1}]", f"{c.overlap[i][j]:.3f}", f"{c.overlap[j][i]:.3f}")
                     for i in range(len(c.reports)) for j in range(i + 1, len(c.reports))]  # fmt: skip
            if pairs:
                out += _table(
                    ("pair", "share of the first in the second", "of the second in the first"), pairs
                )
            out += [f"- **FLAG:** {md_cell(f)}" for f in c.flags] + ([""] if c.flags else [])
    out += _given(b)
    out += ["## Assumptions", ""]
    assumed = [*(r.assumptions if r is not None else []), *b.notes]
    out += [f"- {md_cell(a)}" for a in assumed] or ["- none stated"]
    out += ["", "## Data provenance", ""]
    p = b.provenance
    if p:
        out += [
            f"- geo {md_cell(p['geo_version'])}; geodesy: {md_cell(p['geodesy'])}",
            f"- zones: {md_cell(p['zones_folder'])} (region {md_cell(p['zones_region'] or '?')}, "
            f"coverage {md_cell(p['zones_coverage'])}); licence: {md_cell(p['zones_licence'] or 'not stated')}",
        ]
        for name, inp in p["zones_inputs"].items():
            out.append(
                f"- zone input {md_cell(name)}: {md_cell(inp.get('package', ''))} "
                f"{md_cell(inp.get('version', ''))} ({md_cell(inp.get('registry', ''))}), "
                f"{md_cell(inp.get('licence', ''))}"
            )
        out += [f"- treaty: {md_cell(t)}" for t in p["zones_treaties"]]
        out += [f"- baselines: {md_cell(t)}" for t in p["zones_baselines"]]
        out += [f"- zone note: {md_cell(t)}" for t in p["zones_notes"]]
    else:
        out.append("- no zones were queried (nothing left to assess)")
    out += ["", "## Files", "", *(f"- `{f}`" for f in FILES)]
    return out


def _given(b: Brief) -> list[str]:
    cond = b.conditioned
    if not b.given:
        return []
    out = ["## Statements taken as true", ""]
    if cond is None:  # an exact point: each statement holds there or not
        out += [
            f"- {md_cell(g['text'])}: {'holds' if g['holds'] else 'CONTRADICTS the point'}" for g in b.given
        ]
        return [*out, ""]
    texts = "; ".join(s.text for s in cond.statements)
    out.append(f"Given {md_cell(texts)}: excluded {cond.excluded_share:.3f} ± {cond.excluded_share_se_or_zero:.3f} "
               f"of the prior ({cond.prior_effective:.0f} effective samples).")  # fmt: skip
    if cond.empty:
        return [
            *out,
            "",
            "**NOTHING LEFT:** the statement(s) cannot be true together with the report(s).",
            "",
        ]
    d = cond.to_dict()
    out += ["", f"Region left: {d['region_area_km2']:,.0f} km² of {d['prior_region_area_km2']:,.0f} km².", ""]
    if cond.azimuths:
        out += _table(("azimuths (deg)", "from", "distances (km)", "posterior mass", "every distance left on"), [
            (f"{a['start_deg']:.1f} to {a['end_deg']:.1f}", cond.origin[2], f"{a['min_km']:.0f}-{a['max_km']:.0f}",
             f"{a['mass']:.3f}", ", ".join(f"{x['start_deg']:.1f} to {x['end_deg']:.1f}"
                                           for x in a["all_distances_left"]) or "-") for a in cond.azimuths
        ])  # fmt: skip
    return out


def _latlon(xy: Any) -> str:
    return "-" if not xy else f"{xy[1]:.4f}, {xy[0]:.4f}"


def _azimuths(bounds: tuple[float, float]) -> str:
    start, width = bounds
    return "any" if width >= 360.0 else f"{start:.1f} to {(start + width) % 360.0:.1f}"
