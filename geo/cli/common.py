"""Helpers shared by several ``geo`` commands: option checks, the map selection, catalogue output.

Light at import (click and the foundation only): the heavy parts are imported inside the
functions, so ``geo --help`` loads none of them.
"""

from __future__ import annotations

import contextlib
import functools
import math
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from geo._errors import GeoError, InvalidDistanceError
from geo._io import atomic_path, atomic_write_text, check_output_path

__all__ = [
    "EVENT_COLUMNS",
    "FORMATS",
    "KEEP_GOING_HELP",
    "STDIO",
    "BadRowsError",
    "CatalogueRun",
    "catalogue_command",
    "check_option",
    "check_stdout",
    "output_format",
    "output_option",
    "report_bad_rows",
    "selected_layers",
    "selection",
    "strict_refusal",
    "write_table",
    "zone_index",
]

#: The file name that means stdin (for an input) or stdout (for ``-o``).
STDIO = "-"
_RINGS_FIX = "give each ring's radius in km, separated by commas, e.g. --rings-km 1000,3000"


def check_option(value: float, option: str, *, fix: str, unit: str = "km", allow_zero: bool = False) -> float:
    """A number given to a CLI option, refused in the user's words unless finite and positive.

    The message names the option as typed (``--radius-km``), the value in its unit, and
    the fix, before any metre-based library function sees it.

    Examples
    --------
    >>> check_option(190.0, "--radius-km", fix="give the radius in km")
    190.0
    >>> check_option(0.0, "--radius-km", fix="give the radius in km")
    Traceback (most recent call last):
    ...
    geo._errors.InvalidDistanceError: --radius-km must be positive, got 0 km; give the radius in km
    """
    shown = f"{value:.10g} {unit}"
    if not math.isfinite(value):
        raise InvalidDistanceError(f"{option} must be a finite number of {unit}, got {value!r}; {fix}")
    if value < 0 or (value == 0 and not allow_zero):
        sign = "zero or positive" if allow_zero else "positive"
        raise InvalidDistanceError(f"{option} must be {sign}, got {shown}; {fix}")
    return value


def _rings(text: str | None) -> list[float]:
    if not text:
        return []
    out = []
    for part in text.split(","):
        try:
            value = float(part.strip().replace("_", ""))
        except ValueError:
            raise click.BadParameter(
                f"cannot read range {part.strip()!r}; give km separated by commas, e.g. 1000,3000",
                param_hint="--rings-km",
            ) from None
        out.append(check_option(value, "--rings-km", fix=_RINGS_FIX))
    return out


def _check_rings_reach(sites: tuple[str, ...], rings: list[float]) -> None:
    """Refuse, in km and naming --rings-km, a ring that reaches a site's antipode."""
    from geo import geodesy
    from geo.places import lookup

    for site in sites if rings else ():
        p = lookup(site)
        limit_km = float(geodesy.antipodal_distance_m(p.lon, p.lat)) / 1e3
        if max(rings) >= limit_km:
            raise InvalidDistanceError(
                f"--rings-km {max(rings):.10g} reaches beyond the antipode of {p.name}, which is "
                f"{limit_km:,.1f} km away; give rings below that"
            )


def _cut_locus(sites: tuple[str, ...], rings: list[float], exc: Exception) -> InvalidDistanceError:
    """The cut-locus refusal of the geodesy, in the words of --rings-km (km, with the fix)."""
    from geo import geodesy
    from geo.places import lookup

    p = min((lookup(s) for s in sites), key=lambda q: float(geodesy.antipodal_distance_m(q.lon, q.lat)))
    limit_km = float(geodesy.antipodal_distance_m(p.lon, p.lat)) / 1e3
    return InvalidDistanceError(
        f"--rings-km {max(rings):.10g} from {p.name} comes within {limit_km - max(rings):,.1f} km of the "
        f"antipode ({limit_km:,.1f} km away), where the geodesic circle passes the cut locus and cannot "
        "be drawn; give a smaller --rings-km"
    )


@contextlib.contextmanager
def _events_files(events: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The --events files, with ``-`` (stdin) saved to a scratch file for the readers of paths."""
    if STDIO not in events:
        yield events
        return
    if events.count(STDIO) > 1:
        raise GeoError("--events - (stdin) is given twice; stdin can be read once")
    with tempfile.TemporaryDirectory(prefix="geo-stdin-") as tmp:
        path = Path(tmp) / "stdin.csv"
        path.write_bytes(sys.stdin.buffer.read())
        yield tuple(str(path) if e == STDIO else e for e in events)


def _impact(text: str) -> tuple[float, float]:
    """'LAT,LON' (human order) -> (lon, lat)."""
    parts = text.replace(" ", "").split(",")
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        raise click.BadParameter(
            f"cannot read {text!r}; give LAT,LON in degrees, e.g. 40.5,135.0", param_hint="--impact"
        ) from None
    return lon, lat


def selection(f: Callable[..., Any]) -> Callable[..., Any]:
    """The options that choose what ``geo map``, ``geo figure`` and ``geo export`` draw or write."""
    options = [
        click.option("--site", "sites", multiple=True, help="Launch site from the gazetteer (repeatable)."),
        click.option("--rings-km", default=None, help="Geodesic range rings round each site, km: 1000,3000."),
        click.option(
            "--impact", "impacts", multiple=True, help="Impact point LAT,LON in degrees (repeatable)."
        ),
        click.option(
            "--events",
            type=click.Path(dir_okay=False, allow_dash=True),
            multiple=True,
            help="Events CSV: name, date, and lat,lon or site,range_km[,azimuth_deg] (repeatable: all drawn; "
            "'-': stdin).",
        ),
        click.option("--perspective", default=None, help="ISO3 whose claims the zones follow (e.g. JPN)."),
        click.option("--no-zones", is_flag=True, help="Leave the maritime zones out."),
        click.option(
            "--title", default=None, help="Title (shown as text; default from the sites and dates)."
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def selected_layers(
    sites: tuple[str, ...],
    rings_km: str | None,
    impacts: tuple[str, ...],
    events: tuple[str, ...],
    perspective: str | None,
    no_zones: bool,
    title: str | None,
) -> Any:
    import warnings

    from geo.maps import NoZonesWarning, collect_layers

    rings = _rings(rings_km)
    _check_rings_reach(sites, rings)
    with warnings.catch_warnings(record=True) as caught, _events_files(events) as event_files:
        warnings.simplefilter("always", NoZonesWarning)
        try:
            layers = collect_layers(
                sites=sites,
                rings_km=rings,
                impacts=[_impact(t) for t in impacts],
                events=event_files,
                zones=False if no_zones else None,
                perspective=perspective,
                title=title,
            )
        except InvalidDistanceError as exc:
            if sites and rings and "cut locus" in str(exc):
                raise _cut_locus(sites, rings, exc) from exc
            raise
    for w in caught:
        click.echo(f"warning: {w.message}", err=True)
    return layers


ANTARCTIC_META = "geo.antarctic_claims"


def antarctic_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--antarctic-claims``: a claimant perspective takes the Antarctic areas it claims (frozen by the
    Antarctic Treaty, so off by default); :func:`zone_index` reads it from the click context."""

    def remember(ctx: click.Context, _param: Any, value: bool) -> bool:
        ctx.meta[ANTARCTIC_META] = bool(value)
        return bool(value)

    return click.option(
        "--antarctic-claims", is_flag=True, expose_value=False, callback=remember,
        help="With --perspective of a claimant (ARG, AUS, CHL, FRA, GBR, NOR, NZL): take the Antarctic "
             "areas it claims as its own (frozen by the Antarctic Treaty: off by default).",
    )(f)  # fmt: skip


def zone_index(perspective: str | None, *, where: Any = None) -> Any:
    """The zone index, with a bar on a terminal: its first build (no cache yet) takes seconds.

    ``where`` picks the bundled region (see :func:`geo.assess.zone_index`); a command with
    :func:`antarctic_option` passes ``--antarctic-claims`` on."""
    from geo import assess as a_
    from geo.cli.progress import stages

    ctx = click.get_current_context(silent=True)
    antarctic = bool(ctx is not None and ctx.meta.get(ANTARCTIC_META, False))
    if antarctic and not perspective:
        raise click.UsageError("--antarctic-claims needs --perspective: the claimant whose claims to take")
    with stages("zones", ["loading the zone index"]) as stage:
        stage("loading the zone index")
        return a_.zone_index(perspective.upper() if perspective else None, where=where, antarctic_claims=antarctic)


class BadRowsError(GeoError):
    """A catalogue with rows that cannot be read, under ``--strict``: exit status 1, not 2."""

    exit_code = 1


#: Output formats of the catalogue commands, by suffix of ``-o``.
FORMATS = {".csv": "csv", ".geojson": "geojson", ".gpkg": "gpkg"}

#: The columns of an assessed event besides the catalogue's own (an empty file still has them).
EVENT_COLUMNS = (
    "row",
    "name",
    "date",
    "lat",
    "lon",
    "eez",
    "verdict",
    "nearest_coast_km",
    "nearest_coast_country",
)

KEEP_GOING_HELP = (
    "--keep-going (the default): assess the good rows, report the bad ones by row number on stderr "
    "(and in --json) and exit 1 if there were any (0 only when every row was assessed). --strict: stop "
    "at the first bad row with exit 1, assessing and writing nothing."
)


def output_format(output: str | None, fmt: str | None) -> str | None:
    """The format to write ``-o`` in: from ``--format`` or the suffix; ``-`` (stdout) is csv unless told."""
    if output is None:
        if fmt is not None:
            raise click.UsageError(f"--format {fmt} needs -o FILE or -o - (stdout)")
        return None
    if output == STDIO:
        if fmt == "gpkg":
            raise GeoError(
                "a GeoPackage cannot be written to stdout (-o -); give -o FILE.gpkg, or --format csv or geojson"
            )
        return fmt or "csv"
    suffix = Path(output).suffix.lower()
    if suffix not in FORMATS:
        raise GeoError(
            f"unknown output format {suffix!r} for {output!r}; use .csv, .geojson or .gpkg (or -o - for stdout)"
        )
    if fmt is not None and fmt != FORMATS[suffix]:
        raise GeoError(
            f"--format {fmt} does not match {output!r}; name the file .{fmt} or leave --format out"
        )
    return FORMATS[suffix]


def check_stdout(output: str | None, as_json: bool) -> None:
    """Refuse ``-o -`` with ``--json``: both would write to stdout."""
    if output == STDIO and as_json:
        raise click.UsageError(
            "-o - and --json both write to stdout; give -o FILE with --json, or leave --json out"
        )
    if output is not None and output != STDIO:
        check_output_path(output)  # a folder, missing or read-only: refused before any work


def write_table(df: Any, output: str, fmt: str) -> None:
    """Write a table of points with ``lon``/``lat`` columns as csv, geojson or gpkg (``-``: stdout).

    Files are written whole or not at all; an empty table is written with its columns.
    """
    import geopandas as gpd

    if fmt == "csv":
        text = df.to_csv(index=False)
    else:
        lon, lat = df["lon"].astype("float64"), df["lat"].astype("float64")
        gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")
        if fmt == "gpkg":
            with atomic_path(output, parents=False) as tmp:
                gdf.to_file(tmp, layer="events", driver="GPKG", geometry_type="Point")
            return
        text = gdf.to_json(drop_id=True, na="null") + "\n"
    if output == STDIO:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        atomic_write_text(output, text)


def output_option(help: str, *, required: bool = False, type: Any = None) -> Callable[..., Any]:
    """The ``-o/--output`` option of a command: a file, or ``-`` for stdout."""
    return click.option(
        "-o", "--output", type=type or click.Path(allow_dash=True), default=None, required=required, help=help
    )


def json_option(help: str = "Print JSON.") -> Callable[..., Any]:
    """The ``--json`` flag of a command."""
    return click.option("--json", "as_json", is_flag=True, help=help)


@dataclass(frozen=True)
class CatalogueRun:
    """What a catalogue command (``assess-events``, ``import-cns``) was asked for: its argument and options."""

    file: str
    output: str | None
    fmt: str | None
    keep_going: bool
    perspective: str | None
    samples: int
    seed: int
    as_json: bool


def catalogue_command(
    name: str, *, writes: str, samples: int, samples_help: str, seed_help: str, json_help: str
) -> Callable[[Callable[[CatalogueRun], None]], click.Command]:
    """A catalogue command: FILE, output, format, rows, perspective, samples, seed and ``--json``.

    ``writes`` says what ``-o`` holds; the decorated function takes one
    :class:`CatalogueRun`, and its docstring is the command's help.
    """
    options = [
        click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True)),
        output_option(f"Write {writes}: .csv, .geojson or .gpkg ('-': stdout, CSV unless --format)."),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(["csv", "geojson", "gpkg"]),
            default=None,
            help="Format of -o [default: from its suffix; csv for -o -].",
        ),
        click.option("--keep-going/--strict", "keep_going", default=True, help=KEEP_GOING_HELP),
        click.option(
            "--perspective", default=None, help="ISO3: zones as that country claims them (default neutral)."
        ),
        click.option("--samples", type=int, default=samples, show_default=True, help=samples_help),
        click.option("--seed", type=int, default=0, show_default=True, help=seed_help),
        json_option(json_help),
    ]

    def decorate(f: Callable[[CatalogueRun], None]) -> click.Command:
        @functools.wraps(f)
        def command(**given: Any) -> None:
            f(CatalogueRun(**given))

        for option in reversed(options):
            command = option(command)
        return click.command(name)(command)

    return decorate


def strict_refusal(source: str, row: Any, reason: str) -> BadRowsError:
    """The ``--strict`` refusal at the first bad row of ``source`` (nothing assessed)."""
    return BadRowsError(
        f"{source}: row {row}: {reason} (--strict stops at the first bad row: nothing assessed); "
        "fix the row, or leave --strict out to assess the other rows"
    )


def report_bad_rows(bad: list[tuple[Any, str]], rows: int) -> None:
    """List the rows that could not be assessed on stderr and exit with status 1; nothing when there are none."""
    for row, reason in bad:
        click.echo(f"row {row}: {reason}", err=True)
    if bad:
        click.echo(f"{len(bad)} of {rows} rows could not be assessed (listed above); exit status 1", err=True)
        click.get_current_context().exit(1)


STREAM_FORMATS = ("gpkg", "geojson", "kml", "kmz", "parquet", "shp.zip")
"""Formats ``geo export`` and ``geo boundaries export`` can write to stdout (``-o -``)."""


def format_option() -> Callable[..., Any]:
    """The ``--format`` option of the layer exports (needed with ``-o -``)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(STREAM_FORMATS),
        default=None,
        help="Format of -o [default: from its suffix; required with -o -, which writes the file to stdout].",
    )


def write_layers(frames: Any, output: str, *, fmt: str | None, as_json: bool) -> tuple[str, str]:
    """Write layer frames to ``output``, or to stdout for ``-``; returns (where, format).

    Stdout gets the file's bytes exactly as a file would hold them (written whole to a
    private scratch folder first, so a failed export writes nothing).
    """
    from geo.io import FORMATS, export_layers, format_of

    if output != STDIO:
        chosen = format_of(output, fmt)
        return str(export_layers(frames, output, fmt=chosen)), chosen
    if as_json:
        raise GeoError("-o - writes the file itself to stdout; leave out --json (messages go to stderr)")
    if fmt is None:
        raise GeoError(f"-o - needs --format, one of {', '.join(STREAM_FORMATS)}")
    suffix = next(s for s, f in FORMATS.items() if f == fmt)
    with tempfile.TemporaryDirectory(prefix="geo-export-") as tmp:
        path = export_layers(frames, Path(tmp) / f"export{suffix}", fmt=fmt)
        data = path.read_bytes()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return "stdout", fmt
