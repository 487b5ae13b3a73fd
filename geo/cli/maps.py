"""``geo map`` and ``geo figure``: the same selection drawn as an HTML map or a still figure.

``-o -`` writes the HTML, or the figure's bytes (``--format``), to stdout; messages go to
stderr. ``--events -`` reads an events CSV from stdin.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from geo._errors import GeoError
from geo.cli.common import STDIO, json_option, output_option, selected_layers, selection

__all__ = ["figure_command", "map_command"]


def _no_json_on_stdout(output: str, as_json: bool) -> None:
    if output == STDIO and as_json:
        raise click.UsageError(
            "-o - and --json both write to stdout; give -o FILE with --json, or leave --json out"
        )


@click.command("map")
@selection
@click.option(
    "--offline", is_flag=True, help="One self-contained file: Leaflet inlined, no tiles, land basemap."
)
@output_option("The HTML file to write ('-': stdout).", required=True)
@json_option("Print what was written as JSON.")
def map_command(output: str, offline: bool, as_json: bool, **selection: Any) -> None:
    """Interactive map (HTML): sites, range rings, impacts, regions, tracks and maritime zones."""
    from geo._io import atomic_write_text
    from geo._io import check_output_path as check_writable
    from geo.cli.progress import stages
    from geo.maps import check_output_path, map_html

    _no_json_on_stdout(output, as_json)
    if output != STDIO:
        check_output_path(output, (".html", ".htm"))
        check_writable(output)  # a folder, read-only file or folder: refused before any work
    with stages("map", ["layers", "html", "write"]) as stage:
        stage("layers")
        layers = selected_layers(**selection)
        stage("html")
        text = map_html(layers, offline=offline)
        stage("write")
        if output == STDIO:
            sys.stdout.write(text)
            click.echo(f"wrote the map to stdout ({len(text.encode()) / 1e6:.2f} MB)", err=True)
            return
        path = atomic_write_text(output, text)
    click.echo(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB{', offline' if offline else ''})", err=True)
    if as_json:
        _print_written(path, offline=offline, notes=list(layers.notes))


@click.command("figure")
@selection
@click.option("--dpi", type=int, default=300, show_default=True, help="Resolution of PNG output.")
@click.option(
    "--radius-km", type=float, default=None, help="View radius round the centre, km (default: fit)."
)
@output_option("PNG, SVG or PDF file ('-': the bytes on stdout, in --format).", required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["png", "svg", "pdf"], case_sensitive=False),
    default=None,
    help="File format [default: from the suffix of -o; png for -o -].",
)
@json_option("Print what was written as JSON.")
def figure_command(
    output: str, dpi: int, radius_km: float | None, fmt: str | None, as_json: bool, **selection: Any
) -> None:
    """Still figure (PNG/SVG/PDF) in an azimuthal equidistant projection centred on the launch site."""
    from geo._io import check_output_path as check_writable
    from geo.cli.progress import stages
    from geo.figures import SUFFIXES, write_figure
    from geo.maps import check_output_path

    _no_json_on_stdout(output, as_json)
    if output != STDIO:
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
        layers = selected_layers(**selection)
        stage("figure")
        if output == STDIO:
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
