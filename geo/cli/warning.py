"""``geo warning FILE|-``: a navigational warning or NOTAM read as danger areas, each assessed."""

from __future__ import annotations

import sys
from typing import Any

import click

from geo._io import to_json
from geo.cli.common import STDIO, check_option, format_option, json_option

__all__ = ["warning"]


def _read(file: str) -> str:
    if file == STDIO:
        return sys.stdin.read()
    from pathlib import Path

    path = Path(file)
    if path.is_dir():
        raise IsADirectoryError(f"{file!r} is a folder; give the warning's text file, or - for stdin")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # NGA and NOTAM texts are ASCII; old files may be Latin-1


def _shares(d: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.1%}" for k, v in d.items() if v >= 0.0005) or "-"


def _kms(d: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:,.1f}" for k, v in d.items()) or "-"


def _text_report(msg: Any, table: Any, perspective: str | None) -> str:
    out = [f"warning {msg.ident or '(no identifier)'}"]
    if msg.issued:
        out.append(f"  issued      {msg.issued}")
    for a, b in msg.windows:
        out.append(f"  window      {a} to {b or '?'}")
    if msg.cancel_at:
        out.append(f"  cancel at   {msg.cancel_at}")
    if msg.cancels:
        out.append(f"  cancels     {', '.join(msg.cancels)}")
    out.append(f"  perspective {perspective or 'neutral'}")
    for _, r in table.iterrows():  # a handful of areas
        shape = (
            f"circle r={r['radius_km']:.2f} km"
            if r["kind"] == "circle"
            else f"polygon, {r['vertices']} vertices"
        )
        out += [
            f"area {r['name']}: {shape}, {r['area_km2']:,.0f} km2",
            f"  EEZ              {_shares(r['eez_share'])}",
            f"  territorial sea  {_shares(r['territorial_sea_share'])}",
            f"  land             {_shares(r['land_share'])}",
            f"  high seas        {r['high_seas_share']:.1%}",
        ]
        if r["outside_coverage_share"] > 0:
            out.append(f"  outside coverage {r['outside_coverage_share']:.1%} (zone layers incomplete there)")
        out.append(f"  coast km         {_kms(r['coasts_km'])}")
        out.append(
            f"  EEZ limit km     {_kms(r['eez_limits_km'])} (negative: inside that EEZ; 0: crosses it)"
        )
    if msg.unread:
        out.append(f"lines not read ({len(msg.unread)}):")
        out += [f"  {n}: {t}" for n, t in msg.unread]
    return "\n".join(out)


@click.command()
@click.argument("file", type=click.Path(allow_dash=True))
@click.option("--perspective", default=None, help="ISO3 code whose claims to adopt (default: neutral).")
@click.option(
    "--coast-within-km",
    type=float,
    default=500.0,
    show_default=True,
    help="List coasts and EEZ limits up to this far from each area, km.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True),
    default=None,
    help="Write the areas as GIS layers here (.geojson, .gpkg, .kml ...; '-' with --format).",
)
@format_option()
@json_option("Print the parsed warning and its assessment as JSON.")
def warning(
    file: str,
    perspective: str | None,
    coast_within_km: float,
    output: str | None,
    fmt: str | None,
    as_json: bool,
) -> None:
    """Read a navigational warning or NOTAM (FILE, or - for stdin) and assess each danger area.

    Areas: polygons (AREA BOUND BY ...), circles (WITHIN 5 NM OF ...), several in one
    message (A., B., 1., 2.), across 180 deg. Coordinates as warnings write them:
    34-17.00N 127-12.00E, 3417N12712E, 34°17'N 127°12'E, 34 17 N - 127 12 E, 34.28N
    127.2E. For each area: its share in each country's EEZ and territorial sea, on land
    and on the high seas, and its distance to each coast and EEZ limit nearby. Lines
    carrying nothing readable are listed; an unreadable coordinate, an area with fewer
    than 3 vertices or a message with no area is an error (exit 2).
    """
    from geo.assess.warnings import assess_warning, where_of
    from geo.cli.common import write_layers, zone_index
    from geo.warnings import parse_warning

    check_option(
        coast_within_km, "--coast-within-km", fix="give a distance in km, e.g. --coast-within-km 500"
    )
    msg = parse_warning(_read(file))
    geoms = [a.geometry for a in msg.areas]
    zi = zone_index(perspective, where=where_of(geoms))
    table = assess_warning(msg, zones=zi, coast_within_km=coast_within_km)
    written = None
    if output is not None:
        layer = table.copy()
        for col in ("eez_share", "territorial_sea_share", "land_share", "coasts_km", "eez_limits_km"):
            layer[col] = [to_json(v, indent=None) for v in layer[col]]
        layer.insert(0, "warning", msg.ident or "")
        written, _ = write_layers({"warning_areas": layer}, output, fmt=fmt, as_json=as_json)
        if output != STDIO:
            click.echo(f"wrote {written}", err=True)
    if as_json:
        rows = table.drop(columns="geometry").to_dict(orient="records")
        click.echo(
            to_json({**msg.to_dict(), "perspective": perspective, "assessment": rows, "output": written})
        )
    elif output != STDIO:
        click.echo(_text_report(msg, table, perspective))
