"""``geo brief``: one event's whole brief in one folder (text, JSON, map, figure, GeoPackage, KMZ)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from geo._io import to_json
from geo.cli.common import json_option

__all__ = ["brief"]

#: The report options ``geo brief`` shares with ``geo assess``: (name, type, multiple, help).
_REPORT_OPTIONS: tuple[tuple[str, Any, bool, str], ...] = (
    ("--lat", float, False, "Exact impact latitude."),
    ("--lon", float, False, "Exact impact longitude."),
    ("--from", str, False, "Relative: reference place."),
    ("--distance-km", str, False, "Relative: D or D1-D2."),
    ("--bearing", str, False, "Relative: degrees, A1:A2 or a compass word."),
    ("--text", str, False, 'Relative statement, e.g. "about 250 km west of Okushiri Island".'),
    ("--site", str, False, "Launch site (gazetteer name)."),
    ("--range-km", str, False, "Range: R, R+/-E or R1-R2 (km)."),
    ("--azimuth", str, False, "Azimuth: A or A1:A2 (clockwise; 350:10 crosses north). Omit if unknown."),
    ("--report", str, True, 'One report of the event; repeat to combine several (as geo assess --report).'),
    ("--source", str, True, "Where each --report comes from (a URL, 'Japan MoD, 5 Jan 2022'); one per report."),
    ("--given", str, True, 'A statement taken as true: "outside JPN eez", "inside KOR ts"; repeat for several.'),
    ("--perspective", str, False, "ISO3: zones as that country claims them (default neutral)."),
    ("--title", str, False, "The brief's title (default: the reports)."),
)  # fmt: skip


def _report_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for name, kind, multiple, text in reversed(_REPORT_OPTIONS):
        dest = name.lstrip("-").replace("-", "_") + ("s" if multiple else "")
        dest = {"from": "from_place"}.get(dest, dest)
        func = click.option(name, dest, type=kind, multiple=multiple, default=None, help=text)(func)
    return func


@click.command("brief")
@_report_options
@click.option("-o", "--output", "folder", type=click.Path(), required=True, help="The folder to write.")
@click.option("--force", is_flag=True, help="Replace a folder that already holds files.")
@click.option("--strict", is_flag=True, help="Exit 1 when the reports are flagged as inconsistent.")
@click.option(
    "--min-ess", type=float, default=None, help="Effective sample size below which reports are flagged."
)
@click.option("--samples", type=int, default=20_000, show_default=True, help="Samples for vague reports.")
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Random seed (results are reproducible)."
)
@click.option("--dpi", type=int, default=150, show_default=True, help="Resolution of figure.png.")
@json_option("Print brief.json's verdict, flags and files as JSON.")
def brief(folder: str, force: bool, strict: bool, as_json: bool, dpi: int, **options: Any) -> None:
    """The whole brief of one event in one folder: brief.md, brief.json, map, figure, GeoPackage, KMZ.

    The same report options as geo assess (one report, or repeat --report; --given
    statements taken as true). The folder is written at once; an existing folder that holds
    files is refused unless --force. Exit 1 when nothing is left (reports or statements that
    cannot all be true: the brief says so), and with --strict when the reports are flagged.

    \b
    Examples:
      geo brief --site Hamhung --range-km 190 --azimuth 30:150 --perspective JPN -o brief-hamhung
      geo brief --report "Sunan: about 900 km, azimuth 45:135" --given "outside JPN eez" -o brief
    """
    from pathlib import Path

    from geo.brief import BriefFolderError, make_brief, write_brief
    from geo.cli.progress import stages

    target = Path(folder)
    if target.is_dir() and any(target.iterdir()) and not force:  # refused before any work
        raise BriefFolderError(
            f"brief folder {folder!r} is not empty; give a new folder, or --force to replace it"
        )
    if target.exists() and not target.is_dir():
        raise BriefFolderError(f"brief folder {folder!r} is a file; give a folder name")
    reports, point = _reports(options)
    with stages("brief", ["estimate", "write"]) as stage:
        stage("estimate")
        result = make_brief(
            reports or None, point=point, given=options["givens"], sources=options["sources"] or None,
            perspective=options["perspective"], n=options["samples"], seed=options["seed"],
            min_ess=options["min_ess"], title=options["title"],
        )  # fmt: skip
        stage("write")
        path = write_brief(result, target, force=force, dpi=dpi)
    click.echo(f"wrote {path}/ ({', '.join(sorted(p.name for p in path.iterdir()))})", err=True)
    flags = list(result.combined.flags) if result.combined is not None else []
    if as_json:
        click.echo(to_json({"output": str(path), "verdict": result.verdict(), "empty": result.empty,
                            "flags": flags, "files": sorted(p.name for p in path.iterdir())}))  # fmt: skip
    else:
        click.echo(result.verdict())
        for f in flags:
            click.echo(f"FLAG: {f}")
    if result.empty:
        sys.exit(1)
    if strict and flags:
        click.echo("error: the reports are flagged as inconsistent (--strict)", err=True)
        sys.exit(1)


def _reports(o: dict[str, Any]) -> tuple[list[Any], tuple[float, float] | None]:
    """The report options as report models (or an exact point), refused as geo assess refuses them."""
    from geo import reports as r_

    modes = {
        "point": o["lat"] is not None or o["lon"] is not None,
        "relative": any(o[k] is not None for k in ("from_place", "distance_km", "bearing")),
        "text": o["text"] is not None,
        "site": o["site"] is not None or o["range_km"] is not None,
    }
    chosen = [m for m, on in modes.items() if on]
    if o["reports"]:
        if chosen:
            raise click.UsageError(
                "give the reports either all as --report or as one of the other report options"
            )
        return list(o["reports"]), None
    if len(chosen) != 1:
        raise click.UsageError(
            "give exactly one report: --lat/--lon, --text, --from/--distance-km/--bearing, or --site/--range-km "
            "[--azimuth]; or repeat --report to combine several"
        )
    if chosen[0] == "point":
        if o["lat"] is None or o["lon"] is None:
            raise click.UsageError("give both --lat and --lon")
        return [], (float(o["lon"]), float(o["lat"]))
    if chosen[0] == "text":
        return [r_.parse_report(o["text"])], None
    if chosen[0] == "relative":
        if None in (o["from_place"], o["distance_km"], o["bearing"]):
            raise click.UsageError("give all of --from, --distance-km and --bearing")
        return [r_.relative_report(o["from_place"], o["distance_km"], o["bearing"])], None
    if o["site"] is None or o["range_km"] is None:
        raise click.UsageError("give both --site and --range-km")
    return [r_.site_report(o["site"], range_km=o["range_km"], azimuth=o["azimuth"])], None
