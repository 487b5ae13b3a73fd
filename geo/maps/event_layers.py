"""Event layers of a map: events CSVs read into best points, uncertainty regions and samples; popup probabilities.

Every row is checked by :func:`geo.events.read_events` (the one reader of event files);
here a row becomes what the map draws: the reported point, or the region a range and
azimuth allow round a launch site, with the samples behind its probabilities.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo import geodesy
from geo._errors import GeoError, ParseError
from geo.maps.zone_layers import sovereign_of
from geo.places import Place, lookup

__all__ = ["SAMPLES", "event_files", "fill_probabilities", "read_events"]

SAMPLES = 4000
"""Samples behind an impact region's probabilities (standard error <= 0.8 %)."""


def read_events(path: str | Path) -> list[dict[str, Any]]:
    """Read an events CSV: one reported launch or impact a row.

    Columns (any case, any order): ``name``, ``date``, and either ``lat`` and ``lon``
    (the reported impact point), or ``site`` and ``range_km`` with an optional
    ``azimuth_deg``. A range is ``R``, ``R+/-E`` or ``R1-R2`` km; an azimuth is degrees,
    ``A1:A2`` (clockwise) or blank for unknown. The region drawn holds the range interval
    (``R+/-2E`` for a normal error) over the azimuths; its best point is at the middle
    range and azimuth (none when the azimuth is unknown).

    Returns
    -------
    list of dict
        Keys ``name``, ``date``, ``description``, ``place`` (Place or None),
        ``best`` (Point or None), ``region`` (geometry or None), ``samples``.

    Raises
    ------
    GeoError
        Naming the row (its line in the file) and the column.
    """
    from geo import uncertainty

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"events file {str(path)!r} not found")
    from geo import events as events_mod

    # One reader of event files for the whole package: geo.events checks every row.
    events, errors, _ = events_mod.read_events(path)
    if errors:
        listed = "; ".join(f"line {e.row}: {e.reason}" for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise ParseError(f"{path.name}: {len(errors)} bad row(s): {listed}{more}; fix or remove them")
    if not events:
        raise ParseError(f"{path.name}: the events file has no rows")
    return [_event(path.name, e, uncertainty) for e in events]


def _event(fname: str, e: Any, uncertainty: Any) -> dict[str, Any]:
    """Map rows of one :class:`geo.events.Event`: best point, region and samples."""
    where = f"{fname} line {e.row}"
    if not e.name:
        raise ParseError(f"{where}, column 'name': empty; every event needs a name")
    ev: dict[str, Any] = {
        "name": e.name,
        "date": e.date,
        "place": None,
        "best": None,
        "region": None,
        "samples": None,
    }
    if e.lon is not None and e.lat is not None:
        ev["best"] = shapely.Point(e.lon, e.lat)
        ev["description"] = f"reported point {e.lat:.4f}, {e.lon:.4f}"
        if e.site:
            ev["place"] = _event_place(where, e.site)
        return ev
    row = {"site": e.site or "", "range_km": e.range_km or "", "azimuth_deg": e.azimuth or ""}
    if not (row.get("site") and row.get("range_km")):
        raise ParseError(f"{where}: give lat and lon, or site and range_km")
    place = _event_place(where, row["site"])
    try:
        kind, a, b = uncertainty.parse_range(row["range_km"])
    except GeoError as exc:
        raise type(exc)(f"{where}, column 'range_km': {exc}") from None
    lo, hi, mid = {
        "exact": (a, a, a),
        "normal": (max(a - 2 * b, 0.0), a + 2 * b, a),
        "uniform": (a, b, (a + b) / 2),
    }[kind]
    az_text = row.get("azimuth_deg", "")
    try:
        interval, az_mid = _azimuth(az_text)
        samples = uncertainty.from_site(
            place, range_km=row["range_km"], azimuth=az_text or None, n=SAMPLES, seed=0
        )
        ev["region"] = _region(place, lo, hi, interval, az_mid)
    except GeoError as exc:
        raise type(exc)(f"{where}, columns 'range_km'/'azimuth_deg': {exc}") from None
    ev.update(place=place, samples=samples)
    if az_mid is not None:
        lon2, lat2, _ = geodesy.direct(place.lon, place.lat, az_mid, mid * 1e3)
        ev["best"] = shapely.Point(lon2, lat2)
    spread = {"exact": "exactly", "normal": "+/-2 sigma:", "uniform": "uniform"}[kind]
    ev["description"] = (
        f"from {place.name}: range {row['range_km']} km ({spread} {lo:,.0f}-{hi:,.0f} km), "
        f"azimuth {az_text or 'unknown'}{' deg' if az_text else ''}"
    )
    return ev


def _event_place(where: str, site: str) -> Place:
    try:
        return lookup(site)
    except GeoError as exc:
        raise type(exc)(f"{where}, column 'site': {exc}") from None


def _azimuth(text: str) -> tuple[geodesy.AzimuthInterval | float | None, float | None]:
    if not text or text.lower() in {"unknown", "none"}:
        return None, None
    if ":" in text:
        iv = geodesy.parse_azimuth_interval(text)
        return iv, iv.mid_deg
    try:
        value = float(text)
    except ValueError:
        raise ParseError(
            f"cannot read azimuth {text!r}; give degrees (90), an interval (60:120) or leave it blank"
        ) from None
    if not math.isfinite(value):
        raise ParseError(f"azimuth must be finite, got {text!r}")
    return value % 360.0, value % 360.0


def _region(
    place: Place, lo: float, hi: float, interval: geodesy.AzimuthInterval | float | None, az_mid: float | None
) -> BaseGeometry | None:
    """The area (or line, for an exact range or azimuth) the report allows."""
    lon, lat = place.lon, place.lat
    if isinstance(interval, float):  # one azimuth: a stretch of the geodesic
        if hi == lo:
            return None
        return _arc_or_radial(lon, lat, np.full(64, interval), np.linspace(lo, hi, 64))
    if hi == lo:  # one range: an arc
        iv = interval or geodesy.AzimuthInterval(0.0, 360.0, full=True)
        az = iv.start_deg + np.linspace(0.0, iv.width_deg, max(int(iv.width_deg * 2), 8) + 1)
        return _arc_or_radial(lon, lat, az, np.full(az.size, lo))
    if interval is None:
        return geodesy.annulus(lon, lat, lo * 1e3, hi * 1e3) if lo > 0 else geodesy.ring(lon, lat, hi * 1e3)
    return geodesy.sector(lon, lat, hi * 1e3, interval, inner_m=lo * 1e3)


def _arc_or_radial(lon: float, lat: float, az: Any, range_km: Any) -> BaseGeometry:
    x, y, _ = geodesy.direct(lon, lat, az, np.asarray(range_km) * 1e3)
    return geodesy.track(x, y)


def fill_probabilities(
    impact_rows: list[dict[str, Any]], region_rows: list[dict[str, Any]], zones: Any, index: Any = None
) -> None:
    """Fill the popups' probability and zone texts from the samples and the zone layers.

    With ``index`` (a :class:`geo.assess.ZoneIndex` of the same zones) the texts are the
    outcomes of ``geo assess``; otherwise each zone row's share of the samples is listed.
    """
    if index is not None:
        from geo.uncertainty import probability

        for r in impact_rows:
            r["zone_text"] = str(index.owner([r["geometry"].x], [r["geometry"].y])[0])
        for r in region_rows:
            s = r.get("_samples")
            if s is None:
                continue
            keys = index.owner(s.lon, s.lat)
            ranked: list[tuple[float, str]] = []
            for key in np.unique(keys).tolist():  # a handful of outcomes, vectorised over samples
                p, se = probability(keys == key)
                ranked.append((p, f"P({key}) = {p:.1%} ± {se:.1%}"))
            lines = [t for _, t in sorted(ranked, reverse=True)[:6]]
            lines.append(f"{s.n:,} samples, seed {s.seed}; as `geo assess` computes them")
            r["probability_text"] = "\n".join(lines + list(s.assumptions))
        return
    polys = zones[zones["kind"] != "land"] if zones is not None else None
    for r in impact_rows:
        p = r["geometry"]
        hits = _zone_hits(polys, np.array([p.x]), np.array([p.y])) if polys is not None else []
        r["zone_text"] = (
            "; ".join(f"{label}" for label, _ in hits)
            if hits
            else ("outside every zone drawn" if polys is not None else "")
        )
    for r in region_rows:
        s = r.get("_samples")
        if s is None:
            continue
        texts = []
        region = r["geometry"]
        if region.geom_type in ("Polygon", "MultiPolygon"):
            inside = shapely.contains_xy(region, s.lon, s.lat) | shapely.intersects_xy(
                region.boundary, s.lon, s.lat
            )
            texts.append(f"region drawn holds {inside.mean():.1%} of {s.n:,} samples (seed 0)")
        if polys is not None:
            for label, share in _zone_hits(polys, s.lon, s.lat)[:6]:
                texts.append(f"P({label}) = {share:.1%}")
        texts += list(s.assumptions)
        r["probability_text"] = "\n".join(texts)


def _zone_hits(zones: Any, lon: Any, lat: Any) -> list[tuple[str, float]]:
    """(label, share of the points inside) for every zone holding any point, largest first."""
    out = []
    for row in zones.itertuples(index=False):  # a handful of zones; points are vectorised
        share = float(shapely.contains_xy(row.geometry, lon, lat).mean())
        if share > 0:
            claim = (
                f", claimed by {row.claimants.replace(';', ', ')}"
                if row.status in ("disputed", "joint")
                else ""
            )
            who = sovereign_of(row.sovereign) or "disputed"
            out.append((f"{who} {row.kind.replace('_', ' ')} ({row.status}{claim})", share))
    return sorted(out, key=lambda t: -t[1])


def event_files(events: str | Path | Iterable[str | Path] | None) -> list[Path]:
    """The events files, each once: a repeated file would draw every event twice."""
    if events is None:
        return []
    paths = [Path(events)] if isinstance(events, (str, Path)) else [Path(p) for p in events]
    seen: dict[Path, Path] = {}
    for p in paths:
        key = p.resolve()
        if key in seen:
            raise GeoError(
                f"the events file {str(p)!r} is given twice (--events {seen[key]} and --events {p}); "
                "give each file once"
            )
        seen[key] = p
    return paths
