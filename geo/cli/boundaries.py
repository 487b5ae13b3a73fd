"""``geo boundaries``: build, check, describe, export and import the maritime-zone layers."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from geo import zones
from geo._errors import GeoError
from geo._io import to_json
from geo.cli.common import STDIO, format_option, json_option, output_option, write_layers

__all__ = ["boundaries"]

#: ``--path`` of the commands that read a boundary folder.
_PATH_OPTION = click.option(
    "--path",
    type=click.Path(path_type=Path),
    default=None,
    help="Boundary folder (default: $GEO_BOUNDARIES_DIR or the bundle).",
)


@click.group()
def boundaries() -> None:
    """Maritime zone layers: land, territorial sea, contiguous zone, EEZ."""


@boundaries.command()
@click.option(
    "--region",
    default="nwpacific",
    show_default=True,
    help="Region to build (see data/boundaries/README.md).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Rebuild into a temporary folder and fail if it differs from the committed data.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: the bundle folder, data/boundaries/).",
)
@click.option(
    "--tile",
    default=None,
    help="With --region world --check: rebuild only this tile (lon-180 ... lon+150, north, south) "
    "and compare it with the committed world layers inside the tile.",
)
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Processes for the world's tiles (default: CPUs).")
@json_option("Print the outcome as JSON.")
def build(region: str, check: bool, out_dir: Path | None, tile: str | None, workers: int | None, as_json: bool) -> None:
    """Build the layers from the pinned inputs (needs the 'build' extra and npm).

    Example: ``geo boundaries build --region world --check --tile lon+030``
    """
    from geo._zonebuild.compare import AREA_TOL, VERTEX_TOL_DEG, compare_dirs
    from geo._zonebuild.facts import REGIONS
    from geo._zonebuild.pipeline import LAYERS
    from geo._zonebuild.pipeline import build as run

    def progress(msg: str) -> None:
        click.echo(msg, err=True)

    if region == "world":
        _build_world(out_dir, check=check, tile=tile, workers=workers, as_json=as_json, progress=progress)
        return
    if tile is not None:
        raise click.BadParameter("--tile goes with --region world", param_hint="--tile")
    if region not in REGIONS:
        raise click.BadParameter(
            f"unknown region {region!r}; known: {sorted(REGIONS)} and 'world'", param_hint="--region"
        )
    target = out_dir or zones.boundaries_dir()

    if not check:
        run(target, region=region, progress=progress)
        if as_json:
            click.echo(to_json({"region": region, "output": str(target), "check": False}, indent=None))
        return
    with tempfile.TemporaryDirectory(prefix="geo-boundaries-") as tmp:
        run(Path(tmp), region=region, progress=progress)
        problems = compare_dirs(target, Path(tmp), LAYERS)
    if as_json:
        click.echo(
            to_json(
                {"region": region, "output": str(target), "check": True, "differences": problems}, indent=None
            )
        )
    if problems:
        click.echo("\n".join(problems), err=True)
        raise click.ClickException(
            f"{len(problems)} difference(s) between the committed layers "
            f"in {target} and a fresh build: rebuild with "
            f"'geo boundaries build' and commit"
        )
    click.echo(
        f"ok: a fresh build matches {target} (vertices within {VERTEX_TOL_DEG} deg or "
        f"area difference <= {AREA_TOL:g}, attributes equal)"
    )


def _build_world(out_dir: Path | None, *, check: bool, tile: str | None, workers: int | None, as_json: bool,
                 progress: Any) -> None:
    """``build --region world``: the whole world, or (with --check --tile) one tile against the bundle."""
    from geo._resources import bundle_dir
    from geo._zonebuild import world
    from geo._zonebuild.compare import TILE_WIDTH_TOL_DEG, compare_tile

    target = out_dir or bundle_dir() / zones.WORLD_DIR
    names = [t.name for t in world.tiles()]
    if tile is not None and tile not in names:
        raise click.BadParameter(f"unknown tile {tile!r}; tiles: {', '.join(names)}", param_hint="--tile")
    if not check:
        if tile is not None:
            raise click.BadParameter("--tile builds nothing alone: use it with --check", param_hint="--tile")
        world.build_world(target, progress=progress, workers=workers, detail_dir=bundle_dir())
        if as_json:
            click.echo(to_json({"region": "world", "output": str(target), "check": False}, indent=None))
        return
    chosen = [t for t in world.tiles() if tile is None or t.name == tile]
    if not (target / "manifest.json").is_file():
        raise click.BadParameter(f"{target} holds no world layers (no manifest.json) to check against", param_hint="--out")
    res = compare_tile(target, chosen, progress=progress, workers=workers, detail_dir=bundle_dir())
    checked = ", ".join(t.name for t in chosen)
    if as_json:
        click.echo(to_json({"region": "world", "output": str(target), "check": True, "tiles": [t.name for t in chosen],
                            "zones_compared": res.zones, "worst_area_fraction": res.worst_rel,
                            "differences": res.problems}, indent=None))
    if res.problems:
        click.echo("\n".join(res.problems), err=True)
        raise click.ClickException(
            f"{len(res.problems)} difference(s) between the committed world layers in {target} and a fresh build of "
            f"{checked}: rebuild with 'geo boundaries build --region world' and commit"
        )
    if not as_json:
        click.echo(
            f"ok: a fresh build of {checked} matches {target}: {res.zones} zones (layer, owner, tile) compared, none "
            f"differs by more than {2 * TILE_WIDTH_TOL_DEG:g} deg anywhere (largest symmetric difference "
            f"{res.worst_rel:.1e} of its zone's area)"
        )


@boundaries.command()
@json_option()
@_PATH_OPTION
def info(as_json: bool, path: Path | None) -> None:
    """Layers, region, feature counts, inputs with versions, licence."""
    folder = zones.boundaries_dir(path)
    manifest_file = folder / "manifest.json"
    manifest = _read_manifest(manifest_file)
    layers = {}
    for layer in zones.LAYERS:
        f = folder / f"{layer}.gpkg"
        if f.exists():
            gdf = zones.load_zones(layer, path=folder)
            layers[layer] = {
                "file": str(f),
                "features": len(gdf),
                "status": gdf["status"].value_counts().to_dict(),
            }
    out = {
        "path": str(folder),
        "region": manifest.get("region"),
        "box": manifest.get("box"),
        "crs": manifest.get("crs", "EPSG:4326"),
        "layers": layers,
        "inputs": manifest.get("inputs"),
        "licence": manifest.get("licence"),
        "build": manifest.get("build"),
        "treaties": manifest.get("treaties"),
        "baselines": manifest.get("baselines"),
        "disputes": manifest.get("disputes"),
    }
    if as_json:
        click.echo(to_json(out, indent=2, sort_keys=True))
        return
    click.echo(f"boundaries in {folder} (region {out['region']}, {out['crs']})")
    for k, v in layers.items():
        click.echo(f"  {k}: {v['features']} features {v['status']}")
    for t in out["treaties"] or []:
        click.echo(f"  treaty line: {t['name']}")
    for b in out["baselines"] or []:
        click.echo(f"  baselines: {b['name']}")
    for d in out["disputes"] or []:
        click.echo(f"  disputed: {d['name']} ({', '.join(d['claimants'])})")
    click.echo(f"licence: {out['licence']}")


@boundaries.command()
@click.option("--layer", type=click.Choice(zones.LAYERS), required=True)
@click.option("--perspective", default=None, help="ISO3 code whose claims to adopt.")
@output_option(
    "Output file; the format follows the extension: .gpkg, .geojson, .kml, .kmz, .parquet, .shp.zip, "
    "or .shp (written whole with its .shx, .dbf, .prj and .cpg); - writes it to stdout (with --format).",
    required=True,
    type=click.Path(allow_dash=True),
)
@format_option()
@_PATH_OPTION
@json_option("Print what was written as JSON.")
def export(
    layer: str, perspective: str | None, output: str, fmt: str | None, path: Path | None, as_json: bool
) -> None:
    """Write one layer (optionally from one country's perspective) to a file, atomically.

    The same writer as ``geo export`` (:func:`geo.io.export_layers`): every format, whole or
    not at all; a Shapefile (``.shp``) with its ``.shx``, ``.dbf``, ``.prj`` and ``.cpg``.

    Example: ``geo boundaries export --layer eez --perspective JPN -o eez-jpn.kmz``
    """
    from geo._io import check_output_path
    from geo.cli.progress import DELAY_S, stages
    from geo.io import format_of, shapefile_field_names

    if output != STDIO:
        check_output_path(output)
    fmt = format_of(output, fmt) if output != STDIO or fmt else None  # unknown extensions refused first
    with stages("export", ["zones", "write"], delay_s=DELAY_S) as stage:
        stage(f"load {layer}")
        gdf = zones.load_zones(layer, path=path)
        code = _perspective(perspective, gdf)
        if code is not None:
            gdf = zones.apply_perspective(gdf, code)
        if fmt in ("shp", "shp.zip"):
            _note_field_names(shapefile_field_names(c for c in gdf.columns if c != gdf.geometry.name))
        stage(f"write {fmt}" if fmt else "write")
        where, fmt = write_layers({layer: gdf}, output, fmt=fmt, as_json=as_json)
    click.echo(f"wrote {len(gdf)} {layer} features to {where}", err=True)
    if as_json:
        click.echo(
            to_json({"output": str(output), "layer": layer, "perspective": code, "features": len(gdf)})
        )


def _read_manifest(file: Path) -> dict[str, Any]:
    import json

    if not file.exists():
        return {}
    try:
        manifest = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GeoError(
            f"cannot read {str(file)!r} ({exc}); rebuild or re-import the boundary folder"
        ) from None
    return manifest if isinstance(manifest, dict) else {}


def _perspective(perspective: str | None, gdf: Any) -> str | None:
    """The perspective's ISO3 code, refused (as ``geo assess`` does) if no zone names it."""
    from geo.assess import UnknownPerspectiveError

    if perspective is None or not perspective.strip():
        return None
    code = perspective.strip().upper()
    known = set(gdf["sovereign"].dropna().astype(str))
    for claim in gdf["claimants"].dropna().astype(str):
        known |= {c for c in claim.replace(",", ";").split(";") if c}
    if code not in known:
        raise UnknownPerspectiveError(
            f"unknown perspective {perspective!r}; use the ISO3 code of a country in the zone layers, "
            f"one of {', '.join(sorted(known))}"
        )
    return code


def _note_field_names(names: dict[str, str]) -> None:
    """Say once which columns a Shapefile renames (DBF field names hold 10 bytes)."""
    renamed = {a: b for a, b in names.items() if a != b}
    if renamed:
        click.echo(
            "note: a Shapefile keeps 10 bytes of a field name: "
            + ", ".join(f"{a} -> {b}" for a, b in renamed.items()),
            err=True,
        )


#: Formats ``geo boundaries import -`` reads from stdin: name -> suffix of the scratch file GDAL opens.
STDIN_FORMATS = {"gpkg": ".gpkg", "geojson": ".geojson", "shp.zip": ".shp.zip"}


@boundaries.command(name="import")
@click.argument("file", type=click.Path(allow_dash=True, path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=Path("boundaries-official"),
    show_default=True,
    help="Folder to write eez.gpkg into; point GEO_BOUNDARIES_DIR at it.",
)
@click.option("--assume-crs", default=None, help="CRS to assume when the file declares none.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(STDIN_FORMATS)),
    default=None,
    help="Format of the file on stdin (FILE -) [default: told from its first bytes].",
)
@json_option("Print the outcome as JSON.")
def import_(file: Path, out_dir: Path, assume_crs: str | None, fmt: str | None, as_json: bool) -> None:
    """Read a Marine Regions World EEZ file (v11/v12) into the zone schema; FILE - reads it from stdin.

    FILE is the World EEZ GeoPackage, GeoJSON or Shapefile (``.shp``, or the ``.zip`` Marine
    Regions ships); on stdin the format is told from the first bytes (SQLite, ``{``, zip) or
    given with ``--format`` (``cat World_EEZ_v12.gpkg | geo boundaries import - -o official``).
    """
    import warnings

    if fmt is not None and str(file) != STDIO:
        raise GeoError(f"--format {fmt} is for stdin (FILE -); {str(file)!r} is read by its own format")
    with warnings.catch_warnings(record=True) as caught, _stdin_file(file, fmt) as source:
        warnings.simplefilter("always", zones.ZoneRepairWarning)
        target = zones.import_marine_regions(source, out_dir, assume_crs=assume_crs)
    for w in caught:
        click.echo(f"warning: {w.message}", err=True)
    if as_json:
        click.echo(to_json({"output": str(target), "warnings": [str(w.message) for w in caught]}))
    click.echo(f"wrote {target}; use it with GEO_BOUNDARIES_DIR={out_dir} or path={out_dir}", file=sys.stderr)


@contextmanager
def _stdin_file(file: Path, fmt: str | None) -> Iterator[Path]:
    """``file``, or for ``-`` stdin's bytes in a scratch file named ``stdin.<format>`` (GDAL reads paths)."""
    if str(file) != STDIO:
        yield file
        return
    data = sys.stdin.buffer.read()
    if not data:
        raise GeoError(
            "stdin is empty; pipe a Marine Regions World EEZ file into 'geo boundaries import -' or give its path"
        )
    found = _sniff(data)
    if fmt is not None and found is not None and found != fmt:
        raise GeoError(
            f"stdin holds a {found} file, not --format {fmt}; give --format {found} or leave it out"
        )
    fmt = fmt or found
    if fmt is None:
        raise GeoError(
            f"cannot tell the format of stdin from its first bytes {data[:16]!r}; pipe a GeoPackage, a GeoJSON "
            f"or a zipped Shapefile, or name it with --format ({', '.join(STDIN_FORMATS)})"
        )
    with tempfile.TemporaryDirectory(prefix="geo-import-") as tmp:
        scratch = Path(tmp) / f"stdin{STDIN_FORMATS[fmt]}"
        scratch.write_bytes(data)
        yield scratch


def _sniff(data: bytes) -> str | None:
    """The format of a Marine Regions file from its first bytes, or None if they tell none."""
    if data.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if data.startswith(b"PK\x03\x04"):
        return "shp.zip"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "geojson"
    return None
