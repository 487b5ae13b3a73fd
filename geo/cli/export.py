"""``geo export``: the selection of ``geo map`` written as a GIS file (format from the extension)."""

from __future__ import annotations

from typing import Any

import click

from geo._io import to_json
from geo.cli.common import format_option, json_option, selected_layers, selection, write_layers

__all__ = ["export"]


@click.command("export")
@selection
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True),
    required=True,
    help="The file to write: .gpkg (QGIS styles), .geojson (RFC 7946), .kml, .kmz, .parquet (GeoParquet 1.1) "
    "or .shp.zip (one Shapefile per layer); - writes it to stdout (with --format).",
)
@format_option()
@json_option("Print what was written as JSON.")
def export(output: str, fmt: str | None, as_json: bool, **selection: Any) -> None:
    """GIS file of sites, rings, impacts, regions, tracks and the zones they touch, one layer each.

    A layer holds one geometry type: regions that are arcs (an exact range, an azimuth interval)
    go to ``region_lines``.

    Example: ``geo export --site Hamhung --rings-km 190,500 --events examples/data/january_2022.csv -o seed.gpkg``
    """
    from geo._io import check_output_path
    from geo.cli.common import STDIO
    from geo.cli.progress import DELAY_S, stages
    from geo.io import format_of, layer_frames

    if output != STDIO:
        check_output_path(output)  # before any work: a folder, a missing or read-only folder, a read-only file
        format_of(output, fmt)
    with stages("export", ["layers", "write"], delay_s=DELAY_S) as stage:
        stage("layers")
        frames = layer_frames(selected_layers(**selection))
        stage(f"write {fmt or format_of(output)}" if output != STDIO or fmt else "write")
        path, fmt = write_layers(frames, output, fmt=fmt, as_json=as_json)
    if as_json:
        click.echo(
            to_json({"path": str(path), "format": fmt, "layers": {n: len(g) for n, g in frames.items()}})
        )
    else:
        counts = ", ".join(f"{n} {len(g)}" for n, g in frames.items())
        click.echo(f"wrote {path} ({fmt}: {counts})", err=True)
