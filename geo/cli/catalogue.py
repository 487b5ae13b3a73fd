"""``geo assess-events``: a catalogue of events (CSV) assessed row by row, written as a table."""

from __future__ import annotations

import sys
from typing import Any

import click

from geo._io import to_json
from geo.cli import common

__all__ = ["assess_events"]


@common.catalogue_command("assess-events", writes="the assessed events", samples=5_000, samples_help="Samples per vague event.",
                   seed_help="Random seed.", json_help="Print JSON: rows, assessed, errors, events.")  # fmt: skip
def assess_events(run: common.CatalogueRun) -> None:
    """Assess every event of a CSV (FILE, or - for stdin); bad rows are reported by row number and reason.

    Exit status 0 when every row was assessed, 1 when some rows could not be (the others
    are, and are written), 2 for a bad invocation or a file that cannot be read at all.
    """
    from geo.events import read_events

    output = run.output
    kind = common.output_format(output, run.fmt)
    common.check_stdout(output, run.as_json)
    if run.file == common.STDIO:
        events, errors, _ = read_events(sys.stdin.buffer, name="<stdin>")
    else:
        events, errors, _ = read_events(run.file)
    if errors and not run.keep_going:
        first = min(errors, key=lambda e: e.row)
        raise common.strict_refusal("<stdin>" if run.file == common.STDIO else run.file, first.row, first.reason)
    rows = _assess_rows(events, run.perspective, run.samples, run.seed)
    if output is not None and kind is not None:
        common.write_table(_frame(rows), output, kind)
        if output != common.STDIO:
            click.echo(f"wrote {output} ({len(rows)} events)", err=True)
    total = len(events) + len(errors)
    report = {
        "rows": total,
        "assessed": len(rows),
        "errors": [e.to_dict() for e in errors],
        "events": rows,
    }
    if run.as_json:
        click.echo(to_json(report))
    elif output != common.STDIO and rows:  # stdout carries the data with -o -: the table is left out
        lines = (
            f"{r['date']:<12} {r['name'][:40]:<40} {r['verdict']:<24} "
            + ", ".join(f"{k} {v:.2f}" for k, v in r["probability"].items())
            for r in rows
        )
        click.echo("\n".join(lines))  # one write: a million rows are a million lines, not a million calls
    common.report_bad_rows([(e.row, e.reason) for e in errors], total)


def _assess_rows(events: list[Any], perspective: str | None, samples: int, seed: int) -> list[dict[str, Any]]:
    from geo.cli.progress import progress

    zones = common.zone_index(perspective, where=_extent(events))
    return _assess_each(
        progress(events, desc="assessing", total=len(events), unit="event"), zones, samples, seed
    )


def _extent(events: list[Any]) -> tuple[list[float], list[float]]:
    """Where a catalogue's impacts can lie: its points, and a box of each site's longest range."""
    import numpy as np

    from geo import places
    from geo.uncertainty import parse_range

    lon: list[float] = []
    lat: list[float] = []
    for ev in events:  # one per event (a catalogue), to pick the zones once
        if ev.lon is not None:
            lon.append(float(ev.lon))
            lat.append(float(ev.lat))
            continue
        p = places.lookup(ev.site)
        kind, a, b = parse_range(ev.range_km) if ev.range_km else ("exact", 0.0, 0.0)
        r_deg = (a + 4 * b if kind == "normal" else max(a, b)) / 111.0
        dlon = min(r_deg / max(np.cos(np.radians(min(abs(p.lat) + r_deg, 89.0))), 1e-3), 180.0)
        lon += [p.lon - dlon, p.lon + dlon]
        lat += [max(p.lat - r_deg, -90.0), min(p.lat + r_deg, 90.0)]
    return lon, lat


def _assess_each(events: Any, zones: Any, samples: int, seed: int) -> list[dict[str, Any]]:
    """One row per event: exact points all at once (vectorised), vague reports one by one over their samples."""
    from geo import assess as a_
    from geo import uncertainty as u_

    events = list(events)
    exact = [ev for ev in events if ev.lon is not None]
    rows = dict(zip((id(ev) for ev in exact), _assess_points(exact, zones), strict=True))
    out = []
    for i, ev in enumerate(events):  # vague events: one each, vectorised over its samples
        if id(ev) in rows:
            out.append(rows[id(ev)])
            continue
        # An event outside the zones' coverage gets the outcome outside_coverage; the run goes on.
        res = a_.assess_samples(
            u_.from_site(ev.site, range_km=ev.range_km, azimuth=ev.azimuth, n=samples, seed=seed + i),
            zones=zones,
            outside="report",
        )
        d = res.to_dict()
        top = max(res.probability.items(), key=lambda kv: kv[1])[0]
        out.append(_row(ev, d["location"]["lat"], d["location"]["lon"], d["eez"], top, d["probability"],
                        d["distance_to_eez_limit_km"], d["nearest_coast"]["distance_km"], d["nearest_coast"]["country"]))  # fmt: skip
    return out


def _assess_points(events: list[Any], zones: Any) -> list[dict[str, Any]]:
    """Rows of exact-point events, as :func:`geo.assess.assess_point` (``outside="report"``) gives them, in one pass.

    One lookup for all points, one distance query per country and one for the coast.
    """
    import numpy as np

    from geo import geodesy
    from geo.assess import HIGH_SEAS, OUTSIDE_COVERAGE

    if not events:
        return []
    lon, lat = (np.asarray(v, dtype=float) for v in geodesy.check_lonlat([ev.lon for ev in events], [ev.lat for ev in events], what="impact"))
    covered = zones.covers(lon, lat)
    keys = zones.owner(lon, lat)
    limits = zones.distances_to_limits_km(lon, lat)
    coast_km, coast_country = zones.nearest_coast(lon, lat)
    out = []
    for i, ev in enumerate(events):  # the output is one dict per row
        if not covered[i]:
            out.append(_row(ev, float(lat[i]), float(lon[i]), None, OUTSIDE_COVERAGE, {OUTSIDE_COVERAGE: 1.0}, {}, None, None))
            continue
        key = str(keys[i])
        km = float(coast_km[i])
        out.append(_row(ev, float(lat[i]), float(lon[i]), None if key == HIGH_SEAS else key, key, {key: 1.0},
                        {k: v["distance_km"] for k, v in limits[i].items()}, km if np.isfinite(km) else None,
                        str(coast_country[i]) or None))  # fmt: skip
    return out


def _row(ev: Any, lat: float, lon: float, eez: str | None, verdict: str, probability: dict[str, float],
         limits: dict[str, float], coast_km: float | None, coast_country: str | None) -> dict[str, Any]:  # fmt: skip
    return {
        "row": ev.row,
        "name": ev.name,
        "date": ev.date,
        **ev.extra,
        "lat": lat,
        "lon": lon,
        "eez": eez,
        "verdict": verdict,
        "probability": probability,
        "distance_to_eez_limit_km": limits,
        "nearest_coast_km": coast_km,
        "nearest_coast_country": coast_country,
    }


def _frame(rows: list[dict[str, Any]]) -> Any:
    """Assessed events as one flat table: ``p_<outcome>``, ``limit_km_<country>`` columns."""
    import pandas as pd

    if not rows:  # every row was bad: the usual columns, no rows
        return pd.DataFrame(
            {
                c: pd.Series(dtype="float64" if c in {"lat", "lon", "nearest_coast_km"} else "object")
                for c in common.EVENT_COLUMNS
            }
        )
    nested = ("probability", "distance_to_eez_limit_km")
    base = [k for k in rows[0] if k not in nested]
    if any(r.keys() != rows[0].keys() for r in rows):  # rows of different columns: pandas sorts them out
        return pd.DataFrame([{**{k: v for k, v in r.items() if k not in nested}, **_flat_nested(r)} for r in rows])
    # Column by column (a million rows): the plain columns, then p_<outcome> and limit_km_<country>
    # in the order they first appear, missing values NaN, as a frame of the flat rows would have them.
    frame = {k: [r[k] for r in rows] for k in base}
    sparse: dict[str, dict[int, float]] = {}
    for i, r in enumerate(rows):
        for k, v in _flat_nested(r).items():
            sparse.setdefault(k, {})[i] = v
    index = pd.RangeIndex(len(rows))
    cols = {k: pd.Series(v, index=index) for k, v in frame.items()}
    cols.update({k: pd.Series(v, dtype="float64").reindex(index) for k, v in sparse.items()})
    return pd.DataFrame(cols, index=index)


def _flat_nested(r: dict[str, Any]) -> dict[str, float]:
    return {**{f"p_{k}": v for k, v in r["probability"].items()},
            **{f"limit_km_{k}": v for k, v in r["distance_to_eez_limit_km"].items()}}  # fmt: skip
