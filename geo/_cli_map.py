"""``geo map`` and ``geo figure``: the same selection drawn as an HTML map or a still figure.

``-o -`` writes the HTML, or the figure's bytes (``--format``), to stdout; messages go to
stderr. ``--events -`` reads an events CSV from stdin.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from geo._errors import GeoError, InvalidDistanceError

__all__ = ["figure_command", "map_command"]

_STDIO = "-"
_RINGS_FIX = "give each ring's radius in km, separated by commas, e.g. --rings-km 1000,3000"


def _rings(text: str | None) -> list[float]:
    from geo.cli import check_option

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
    if _STDIO not in events:
        yield events
        return
    if events.count(_STDIO) > 1:
        raise GeoError("--events - (stdin) is given twice; stdin can be read once")
    with tempfile.TemporaryDirectory(prefix="geo-stdin-") as tmp:
        path = Path(tmp) / "stdin.csv"
        path.write_bytes(sys.stdin.buffer.read())
        yield tuple(str(path) if e == _STDIO else e for e in events)


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


def _selection(f: Callable[..., Any]) -> Callable[..., Any]:
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


def _layers(
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


def _no_json_on_stdout(output: str, as_json: bool) -> None:
    if output == _STDIO and as_json:
        raise click.UsageError(
            "-o - and --json both write to stdout; give -o FILE with --json, or leave --json out"
        )


@click.command("map")
@_selection
@click.option(
    "--offline", is_flag=True, help="One self-contained file: Leaflet inlined, no tiles, land basemap."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True),
    required=True,
    help="The HTML file to write ('-': stdout).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
def map_command(output: str, offline: bool, as_json: bool, **selection: Any) -> None:
    """Interactive map (HTML): sites, range rings, impacts, regions, tracks and maritime zones."""
    from geo._io import atomic_write_text
    from geo._io import check_output_path as check_writable
    from geo._progress import stages
    from geo.maps import check_output_path, map_html

    _no_json_on_stdout(output, as_json)
    if output != _STDIO:
        check_output_path(output, (".html", ".htm"))
        check_writable(output)  # a folder, read-only file or folder: refused before any work
    with stages("map", ["layers", "html", "write"]) as stage:
        stage("layers")
        layers = _layers(**selection)
        stage("html")
        text = map_html(layers, offline=offline)
        stage("write")
        if output == _STDIO:
            sys.stdout.write(text)
            click.echo(f"wrote the map to stdout ({len(text.encode()) / 1e6:.2f} MB)", err=True)
            return
        path = atomic_write_text(output, text)
    click.echo(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB{', offline' if offline else ''})", err=True)
    if as_json:
        _print_written(path, offline=offline, notes=list(layers.notes))


@click.command("figure")
@_selection
@click.option("--dpi", type=int, default=300, show_default=True, help="Resolution of PNG output.")
@click.option(
    "--radius-km", type=float, default=None, help="View radius round the centre, km (default: fit)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True),
    required=True,
    help="PNG, SVG or PDF file ('-': the bytes on stdout, in --format).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["png", "svg", "pdf"], case_sensitive=False),
    default=None,
    help="File format [default: from the suffix of -o; png for -o -].",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
def figure_command(
    output: str, dpi: int, radius_km: float | None, fmt: str | None, as_json: bool, **selection: Any
) -> None:
    """Still figure (PNG/SVG/PDF) in an azimuthal equidistant projection centred on the launch site."""
    from geo._io import check_output_path as check_writable
    from geo._progress import stages
    from geo.figures import SUFFIXES, write_figure
    from geo.maps import check_output_path

    _no_json_on_stdout(output, as_json)
    if output != _STDIO:
        check_output_path(output, SUFFIXES)
        check_writable(output)  # a folder, read-only file or folder: refused before any work
        suffix = Path(output).suffix.lower().lstrip(".")
        if fmt is not None and fmt.lower() != suffix:
            raise GeoError(
                f"--format {fmt} does not match the suffix of {output!r}; name the file .{fmt.lower()} "
                "or leave --format out"
            )
    if dpi < 50 or dpi > 1200:
        raise GeoError(f"--dpi must be within [50, 1200], got {dpi}; e.g. --dpi 300 (the default)")
    with stages("figure", ["layers", "figure"]) as stage:
        stage("layers")
        layers = _layers(**selection)
        stage("figure")
        if output == _STDIO:
            with tempfile.TemporaryDirectory(prefix="geo-figure-") as tmp:
                path = write_figure(
                    layers, Path(tmp) / f"figure.{(fmt or 'png').lower()}", dpi=dpi, radius_km=radius_km
                )
                data = path.read_bytes()
            stdout = sys.stdout.buffer
            stdout.write(data)
            stdout.flush()
            click.echo(f"wrote the {(fmt or 'png').upper()} figure to stdout ({len(data):,} bytes)", err=True)
            return
        path = write_figure(layers, output, dpi=dpi, radius_km=radius_km)
    click.echo(f"wrote {path}", err=True)
    if as_json:
        _print_written(path, dpi=dpi, notes=list(layers.notes))


def _print_written(path: Any, **extra: Any) -> None:
    from pathlib import Path

    from geo._io import to_json

    p = Path(path)
    click.echo(to_json({"output": str(p), "bytes": p.stat().st_size, **extra}))
