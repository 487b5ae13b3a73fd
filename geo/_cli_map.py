"""``geo map`` and ``geo figure``: the same selection drawn as an HTML map or a still figure."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from geo._errors import GeoError

__all__ = ["figure_command", "map_command"]


def _rings(text: str | None) -> list[float]:
    if not text:
        return []
    out = []
    for part in text.split(","):
        try:
            out.append(float(part.strip().replace("_", "")))
        except ValueError:
            raise click.BadParameter(
                f"cannot read range {part.strip()!r}; give km separated by commas, e.g. 1000,3000",
                param_hint="--rings-km",
            ) from None
    return out


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
            type=click.Path(dir_okay=False),
            multiple=True,
            help="Events CSV: name, date, and lat,lon or site,range_km[,azimuth_deg] (repeatable: all drawn).",
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

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", NoZonesWarning)
        layers = collect_layers(
            sites=sites,
            rings_km=_rings(rings_km),
            impacts=[_impact(t) for t in impacts],
            events=events,
            zones=False if no_zones else None,
            perspective=perspective,
            title=title,
        )
    for w in caught:
        click.echo(f"warning: {w.message}", err=True)
    return layers


@click.command("map")
@_selection
@click.option(
    "--offline", is_flag=True, help="One self-contained file: Leaflet inlined, no tiles, land basemap."
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), required=True, help="The HTML file to write."
)
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
def map_command(output: str, offline: bool, as_json: bool, **selection: Any) -> None:
    """Interactive map (HTML): sites, range rings, impacts, regions, tracks and maritime zones."""
    from geo.maps import check_output_path, write_map

    check_output_path(output, (".html", ".htm"))
    layers = _layers(**selection)
    path = write_map(layers, output, offline=offline)
    click.echo(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB{', offline' if offline else ''})", err=True)
    if as_json:
        _print_written(path, offline=offline, notes=list(layers.notes))


@click.command("figure")
@_selection
@click.option("--dpi", type=int, default=300, show_default=True, help="Resolution of PNG output.")
@click.option(
    "--radius-km", type=float, default=None, help="View radius round the centre, km (default: fit)."
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True, help="PNG, SVG or PDF file.")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
def figure_command(output: str, dpi: int, radius_km: float | None, as_json: bool, **selection: Any) -> None:
    """Still figure (PNG/SVG/PDF) in an azimuthal equidistant projection centred on the launch site."""
    from geo.figures import SUFFIXES, write_figure
    from geo.maps import check_output_path

    check_output_path(output, SUFFIXES)
    if dpi < 50 or dpi > 1200:
        raise GeoError(f"--dpi must be within [50, 1200], got {dpi}")
    layers = _layers(**selection)
    path = write_figure(layers, output, dpi=dpi, radius_km=radius_km)
    click.echo(f"wrote {path}", err=True)
    if as_json:
        _print_written(path, dpi=dpi, notes=list(layers.notes))


def _print_written(path: Any, **extra: Any) -> None:
    from pathlib import Path

    from geo._io import to_json

    p = Path(path)
    click.echo(to_json({"output": str(p), "bytes": p.stat().st_size, **extra}))
