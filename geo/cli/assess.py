"""``geo assess``: one report's verdict, margins and probabilities (``geo assess-events``: geo.cli.catalogue)."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any

import click

from geo._errors import GeoError, InvalidDistanceError
from geo._io import to_json
from geo.cli.common import (
    antarctic_option,
    json_option,
    zone_index,
)

__all__ = ["assess"]

_SAMPLES = 20_000


@click.command("assess")
@click.option("--lat", type=float, default=None, help="Exact impact latitude.")
@click.option("--lon", type=float, default=None, help="Exact impact longitude.")
@click.option("--from", "from_place", default=None, help="Relative: reference place.")
@click.option("--distance-km", default=None, help="Relative: D or D1-D2.")
@click.option("--bearing", default=None, help="Relative: degrees, A1:A2 or a compass word.")
@click.option("--text", default=None, help='Relative statement, e.g. "about 250 km west of Okushiri Island".')
@click.option("--site", default=None, help="Launch site (gazetteer name).")
@click.option("--range-km", default=None, help="Range: R, R+/-E or R1-R2 (km).")
@click.option(
    "--azimuth", default=None, help="Azimuth: A or A1:A2 (clockwise; 350:10 crosses north). Omit if unknown."
)
@click.option(
    "--perspective", default=None, help="ISO3: zones as that country claims them (default neutral)."
)
@click.option(
    "--report",
    "reports",
    multiple=True,
    help='One report of the event; repeat to combine several: a statement ("about 200 km west of '
    'Oshima-Oshima") or "SITE: RANGE km[, azimuth A1:A2]" ("Sunan: about 900 km, azimuth 45:135").',
)
@click.option(
    "--events",
    "events_file",
    default=None,
    help="A catalogue CSV whose rows for one event (--event) are combined as reports.",
)
@click.option("--event", default=None, help="With --events: the date or name of the event's rows.")
@click.option(
    "--given",
    multiple=True,
    help='A statement taken as true, e.g. "outside JPN eez", "inside KOR ts" (eez, contiguous_zone/cz, '
    "territorial_sea/ts); repeat for several.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 when the reports are flagged as inconsistent (no overlap, too small an effective sample size).",
)
@click.option(
    "--min-ess",
    type=float,
    default=None,
    help="Effective sample size below which the combined estimate is flagged (default 200).",
)
@click.option("--samples", type=int, default=_SAMPLES, show_default=True, help="Samples for vague reports.")
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Random seed (results are reproducible)."
)
@antarctic_option
@json_option()
def assess(
    lat: float | None,
    lon: float | None,
    from_place: str | None,
    distance_km: str | None,
    bearing: str | None,
    text: str | None,
    site: str | None,
    range_km: str | None,
    azimuth: str | None,
    perspective: str | None,
    reports: tuple[str, ...],
    events_file: str | None,
    event: str | None,
    given: tuple[str, ...],
    strict: bool,
    min_ess: float | None,
    samples: int,
    seed: int,
    as_json: bool,
) -> None:
    """Which zone holds an impact, by whose claim, how far from each limit, and how likely.

    Several reports of one event (repeat --report) are combined: the joint distribution is
    the product of the reports' likelihoods, sampled by importance resampling, with each
    report's consistency and a FLAG when two cannot both be true. A statement (--given
    "outside JPN eez") conditions the estimate: the share it excludes, the region and the
    azimuths left. Exit 1 when nothing is left (reports or statements that cannot all be
    true), and with --strict when the reports are flagged.
    """
    from geo import assess as a_

    modes = {
        "point": lat is not None or lon is not None,
        "relative": any(v is not None for v in (from_place, distance_km, bearing)),
        "text": text is not None,
        "site": any(v is not None for v in (site, range_km)),
    }
    chosen = [m for m, on in modes.items() if on]
    rep = _Report(lat, lon, from_place, distance_km, bearing, text, site, range_km, azimuth)
    if (events_file is None) != (event is None):
        raise click.UsageError("give --events FILE and --event DATE|NAME together")
    combined_reports: tuple[Any, ...] = tuple(reports)
    if events_file is not None:
        combined_reports += tuple(_event_rows(events_file, str(event)))
    if combined_reports or given:
        if combined_reports and chosen:
            raise click.UsageError(
                "give the reports either all as --report (or --events) or as one of the other report options"
            )
        if not combined_reports and len(chosen) != 1:
            raise click.UsageError(
                "give exactly one report to condition (--text, --site/--range-km, --from/..., --lat/--lon), "
                "or repeat --report"
            )
        single = None if combined_reports else _single_model(chosen[0], rep, samples, seed)
        _evidence_run(
            combined_reports, given, single,
            perspective=perspective, strict=strict, min_ess=min_ess, samples=samples, seed=seed, as_json=as_json,
        )  # fmt: skip
        return
    if len(chosen) != 1:
        raise click.UsageError(
            "give exactly one report: --lat/--lon, --text, --from/--distance-km/--bearing, or --site/--range-km "
            "[--azimuth]; or repeat --report to combine several"
        )
    mode = chosen[0]
    if mode == "point":
        if lat is None or lon is None:
            raise click.UsageError("give both --lat and --lon")
        from geo import geodesy

        x, y = (float(v) for v in geodesy.check_lonlat(lon, lat, what="impact"))
        result = a_.assess_point(x, y, zones=zone_index(perspective, where=([x], [y])))
    else:
        samples_ = _classic_samples(mode, rep, samples, seed)
        # the zones where the samples fall: the NW Pacific's detail there, the world elsewhere
        zones = zone_index(perspective, where=(samples_.lon, samples_.lat))
        result = a_.assess_samples(samples_, zones=zones)
    if as_json:
        click.echo(to_json(result.to_dict()))
    else:
        click.echo(result.summary())


@dataclass(frozen=True)
class _Report:
    """The one-report options of ``geo assess`` as given."""

    lat: float | None
    lon: float | None
    from_place: str | None
    distance_km: str | None
    bearing: str | None
    text: str | None
    site: str | None
    range_km: str | None
    azimuth: str | None


def _classic_samples(mode: str, rep: _Report, samples: int, seed: int) -> Any:
    """The samples of the one report of --text, --from/--distance-km/--bearing or --site/--range-km."""
    from geo import uncertainty as u_

    if mode == "text":
        assert rep.text is not None
        return u_.from_relative(rep.text, n=samples, seed=seed)
    if mode == "relative":
        if None in (rep.from_place, rep.distance_km, rep.bearing):
            raise click.UsageError("give all of --from, --distance-km and --bearing")
        return u_.from_relative(
            place=rep.from_place, distance_km=rep.distance_km, bearing=rep.bearing, n=samples, seed=seed
        )
    if rep.site is None or rep.range_km is None:
        raise click.UsageError("give both --site and --range-km")
    _check_range(rep.range_km)
    return u_.from_site(rep.site, range_km=rep.range_km, azimuth=rep.azimuth, n=samples, seed=seed)


def _single_model(mode: str, rep: _Report, samples: int, seed: int) -> Any:
    """The one report of the classic options: (its region model, the samples ``geo assess`` draws), or a point."""
    from geo import reports as r_

    if mode == "point":
        if rep.lat is None or rep.lon is None:
            raise click.UsageError("give both --lat and --lon")
        return (float(rep.lon), float(rep.lat))
    samples_ = _classic_samples(mode, rep, samples, seed)  # checks that the report is given in full
    if mode == "text":
        return r_.parse_report(str(rep.text)), samples_
    if mode == "site":
        return r_.site_report(str(rep.site), range_km=str(rep.range_km), azimuth=rep.azimuth), samples_
    return r_.relative_report(str(rep.from_place), str(rep.distance_km), str(rep.bearing)), samples_


def _event_rows(path: str, event: str) -> list[Any]:
    """The rows of one event of a catalogue, as report models (bad rows of the file are refused)."""
    from geo.events import read_events
    from geo.reports import event_reports

    events, errors, _ = read_events(path)
    if errors:
        first = min(errors, key=lambda e: e.row)
        raise GeoError(f"{path}: row {first.row}: {first.reason}; fix the row to combine the event's rows")
    return event_reports(events, event, source=path)


def _evidence_run(
    reports: tuple[Any, ...],
    given: tuple[str, ...],
    single: Any,
    *,
    as_json: bool,
    seed: int,
    samples: int,
    min_ess: float | None,
    strict: bool,
    perspective: str | None,
) -> None:
    """``geo assess --report ... [--given ...]``: combine, condition, print, and exit 1 on nothing left."""
    from geo import evidence as e_
    from geo import reports as r_

    for g in given:  # the wording first (the country is checked against the zones below)
        e_.parse_statement(g)
    combined = None
    if reports:
        combined = r_.combine(list(reports), n=samples, seed=seed,
                              min_ess=r_.DEFAULT_MIN_ESS if min_ess is None else min_ess)  # fmt: skip
        if combined.empty:
            _emit({"combined": combined.to_dict(), "empty": True}, combined.summary(), as_json)
            sys.exit(1)
        cloud, ess, models = combined.samples, combined.ess, combined.reports
    elif isinstance(single[0], float):  # an exact point: a statement holds there or not
        _point_given(single, given, perspective, as_json)
        return
    else:
        cloud, ess, models = single[1], float(single[1].n), [single[0]]
    assert cloud is not None
    zones = zone_index(perspective, where=(cloud.lon, cloud.lat))
    out: dict[str, Any] = {}
    text: list[str] = []
    if combined is not None:
        out["combined"] = combined.to_dict()
        text.append(combined.summary())
    if given:
        cond = e_.condition(
            combined if combined is not None else cloud, list(given), zones=zones, models=models
        )
        final = cond.posterior if cond.posterior is not None else cond.prior
        out = {**final.to_dict(), **out, "conditioned": cond.to_dict()}
        text.append(cond.summary())
    else:
        final = e_.assess_effective(cloud, effective=ess, zones=zones)
        out = {**final.to_dict(), **out}
        text.append(final.summary())
    _emit(out, "\n".join(text), as_json)
    if given and cond.empty:
        sys.exit(1)
    if strict and combined is not None and not combined.consistent:
        click.echo("error: the reports are flagged as inconsistent (--strict)", err=True)
        sys.exit(1)


def _point_given(
    point: tuple[float, float], given: tuple[str, ...], perspective: str | None, as_json: bool
) -> None:
    from geo import assess as a_
    from geo import evidence as e_

    x, y = point
    zones = zone_index(perspective, where=([x], [y]))
    result = a_.assess_point(x, y, zones=zones)
    held = [
        (s, bool(s.holds(zones, [x], [y])[0])) for s in (e_.parse_statement(g, zones=zones) for g in given)
    ]
    out = {**result.to_dict(), "given": [{**s.to_dict(), "holds": h} for s, h in held],
           "empty": not all(h for _, h in held)}  # fmt: skip
    lines = [
        result.summary(),
        *(f"  given {s.text!r}: {'holds' if h else 'CONTRADICTS the point'}" for s, h in held),
    ]
    _emit(out, "\n".join(lines), as_json)
    if out["empty"]:
        sys.exit(1)


def _emit(data: dict[str, Any], text: str, as_json: bool) -> None:
    click.echo(to_json(data) if as_json else text)


_RANGE_FIX = "give the range in km as R, R+/-E or R1-R2, e.g. --range-km 950 or --range-km 900-1000"


def _check_range(text: str) -> None:
    """Refuse --range-km in the user's words: a negative or zero range names the option and the fix."""
    from geo.uncertainty import parse_range

    if re.fullmatch(r"\s*[-\u2212]\s*\d[\d.,_]*\s*(km)?\s*", text):
        raise InvalidDistanceError(f"--range-km must be positive, got {text.strip()!r}; {_RANGE_FIX}")
    try:
        parse_range(text)
    except GeoError as exc:
        if "must be positive" in str(exc):
            raise InvalidDistanceError(
                f"--range-km must be positive, got {text.strip()!r}; {_RANGE_FIX}"
            ) from None
        raise
