"""``geo trajectory`` and ``geo missiles``: ballistics on the command line (lazily imported)."""

from __future__ import annotations

import functools
import math
import re
from typing import Any

import click

from geo._errors import GeoError, InvalidCoordinateError
from geo._io import atomic_write_text, to_json
from geo.cli.common import STDIO, json_option, output_option

__all__ = ["missiles", "trajectory"]


# The library's keyword names and the CLI options that give them (messages use the options).
_OPTIONS = {
    "apogee_km": "--apogee-km",
    "range_km": "--range-km",
    "burnout_alt_km": "--burnout-alt-km",
    "powered_time_s": "--powered-time-s",
    "powered_range_km": "--powered-range-km",
    "lat_deg": "--lat",
    "azimuth_deg": "--azimuth",
}
_OPTION_RE = re.compile(r"\b(" + "|".join(_OPTIONS) + r")\b(=?)")


def _in_option_words(exc: GeoError) -> GeoError:
    """The same error with the library's keyword names replaced by the options the user typed."""
    text = _OPTION_RE.sub(lambda m: _OPTIONS[m.group(1)] + (" " if m.group(2) else ""), str(exc))
    return type(exc)(text)


def _check_trajectory_options(
    apogee_km: float,
    range_km: float,
    burnout_alt_km: float | None,
    powered_time_s: float | None,
    powered_range_km: float | None,
) -> None:
    from geo.cli.common import check_option

    check_option(
        apogee_km,
        "--apogee-km",
        fix="give the reported apogee (maximum altitude) in km, e.g. --apogee-km 4475",
    )
    check_option(range_km, "--range-km", fix="give the reported ground range in km, e.g. --range-km 950")
    for value, option, unit in (
        (burnout_alt_km, "--burnout-alt-km", "km"),
        (powered_time_s, "--powered-time-s", "s"),
        (powered_range_km, "--powered-range-km", "km"),
    ):
        if value is not None:
            check_option(value, option, unit=unit, allow_zero=True, fix=f"give {unit} >= 0, or leave it out")


def _assumptions(
    burnout_alt_km: float | None,
    powered_time_s: float | None,
    powered_range_km: float | None,
    lat: float | None,
    azimuth: float | None,
) -> Any:
    from geo.ballistics import Assumptions

    given = {
        "burnout_alt_km": burnout_alt_km,
        "powered_time_s": powered_time_s,
        "powered_range_km": powered_range_km,
        "lat_deg": lat,
        "azimuth_deg": azimuth,
    }
    return Assumptions(**{k: v for k, v in given.items() if v is not None})


def _track_geojson(
    site: str | tuple[float, float],
    azimuth: float,
    apogee_km: float,
    range_km: float,
    asm: Any,
    rotating: bool,
) -> dict[str, Any]:
    from shapely.geometry import mapping

    from geo import ballistics

    pts = ballistics.trajectory(
        site, azimuth, apogee_km=apogee_km, range_km=range_km, assumptions=asm, rotating=rotating
    )
    line = ballistics.trajectory_line(
        site, azimuth, apogee_km=apogee_km, range_km=range_km, assumptions=asm, rotating=rotating
    )
    top = int(pts.alt_km.to_numpy().argmax())
    marks = {"launch": 0, "burnout": 8, "apogee": top, "impact": len(pts) - 1}
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": mapping(line),
            "properties": {
                "kind": "trajectory",
                "z": "height above the ellipsoid, m",
                "apogee_km": apogee_km,
                "range_km": range_km,
                "azimuth_deg": azimuth,
                "rotating_earth": rotating,
                "flight_time_s": float(pts.t_s.iloc[-1]),
            },
        }
    ]
    for kind, i in marks.items():
        row = pts.iloc[i]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(row.lon), float(row.lat)]},
                "properties": {
                    "kind": kind,
                    "t_s": round(float(row.t_s), 1),
                    "alt_km": round(float(row.alt_km), 3),
                    "ground_km": round(float(row.ground_km), 3),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


@click.command("trajectory")
@click.option("--apogee-km", type=float, required=True, help="Reported apogee (maximum altitude), km.")
@click.option("--range-km", type=float, required=True, help="Reported ground range, km.")
@click.option("--burnout-alt-km", type=float, default=None, help="Burnout altitude, km [200].")
@click.option("--powered-time-s", type=float, default=None, help="Powered-flight time, s [180].")
@click.option("--powered-range-km", type=float, default=None, help="Ground distance while powered, km [0].")
@click.option(
    "--lat", type=float, default=None, help="Launch latitude, deg: with --azimuth, a rotating Earth."
)
@click.option("--lon", type=float, default=None, help="Launch longitude, deg (for -o without --site).")
@click.option("--azimuth", type=float, default=None, help="Launch azimuth, deg clockwise from north.")
@click.option("--site", default=None, help="Launch site: a gazetteer place (for the track).")
@click.option("--rotating", is_flag=True, help="Fly the track over a rotating Earth (the impact moves).")
@output_option("Write the track GeoJSON here ('-': stdout, and the summary to stderr).")
@json_option()
def trajectory(
    apogee_km: float,
    range_km: float,
    burnout_alt_km: float | None,
    powered_time_s: float | None,
    powered_range_km: float | None,
    lat: float | None,
    lon: float | None,
    azimuth: float | None,
    site: str | None,
    rotating: bool,
    output: str | None,
    as_json: bool,
) -> None:
    """Burnout state, flight time and standard-trajectory range from a reported apogee and range.

    With -o, also write the 3-D track from --site (or --lon/--lat) along --azimuth as GeoJSON.
    """
    from geo.ballistics import analyse_lofted

    if output == STDIO and as_json:
        raise click.UsageError(
            "-o - and --json both write to stdout; give -o FILE with --json, or leave --json out"
        )

    if site is not None and (lat is not None or lon is not None):
        raise click.UsageError("give either --site NAME or --lat/--lon, not both")
    launch: str | tuple[float, float] | None = site
    if site is not None:
        from geo.places import lookup

        lat = lookup(site).lat
    elif lon is not None:
        if lat is None:
            raise click.UsageError("--lon needs --lat")
        launch = (lon, lat)
    if output is not None and (launch is None or azimuth is None):
        raise click.UsageError("-o needs a launch site (--site NAME or --lon/--lat) and --azimuth")
    if (lat is None) != (azimuth is None) and output is None:
        raise click.UsageError("give --lat and --azimuth together (a rotating Earth), or neither")
    rotate_analysis = lat is not None and azimuth is not None
    _check_trajectory_options(apogee_km, range_km, burnout_alt_km, powered_time_s, powered_range_km)
    try:
        asm = _assumptions(
            burnout_alt_km,
            powered_time_s,
            powered_range_km,
            lat if rotate_analysis else None,
            azimuth if rotate_analysis else None,
        )
        result = analyse_lofted(apogee_km, range_km, assumptions=asm).to_dict()
    except GeoError as exc:
        raise _in_option_words(exc) from exc
    if output is not None:
        assert launch is not None and azimuth is not None
        collection = _track_geojson(launch, azimuth, apogee_km, range_km, asm, rotating)
        if output == STDIO:
            click.echo(to_json(collection, indent=None))
        else:
            atomic_write_text(output, to_json(collection, indent=None) + "\n")
            result["track"] = output
            click.echo(f"wrote {output}", err=True)
    if as_json:
        click.echo(to_json(result))
        return
    echo = functools.partial(click.echo, err=output == STDIO)  # stdout carries the track with -o -
    lo, hi = result["standard_range_km"]
    lo_text, hi_text = (
        "any point on Earth (orbital speed)" if capped else f"{x:,.0f} km"
        for x, capped in zip((lo, hi), result["standard_range_capped"], strict=True)
    )
    echo(f"apogee {apogee_km:g} km, range {range_km:g} km")
    echo(f"  flight time     {result['flight_time_min']:.1f} min")
    echo(
        f"  burnout         {result['burnout_speed_km_s']:.3f} km/s at {result['flight_path_angle_deg']:.1f} deg"
    )
    echo(f"  standard range  {lo_text} - {hi_text}" if lo_text != hi_text else f"  standard range  {lo_text}")
    a = result["assumptions"]
    echo(
        f"  assumed: burnout {a['burnout_alt_km']:g} km, powered {a['powered_time_s']:g} s / "
        f"{a['powered_range_km']:g} km, {a['earth']}"
    )
    for note in a["notes"]:
        echo(f"  note: {note}")


# ------------------------------------------------------------------ missiles


@click.group("missiles")
def missiles() -> None:
    """The catalogue of missile classes with published range estimates, and their range rings."""


@missiles.command("list")
@json_option()
def missiles_list(as_json: bool) -> None:
    """List the missile classes and their range bands."""
    from geo.ballistics import missile_classes

    rows = missile_classes()
    if as_json:
        click.echo(to_json([m.to_dict() for m in rows]))
        return
    for m in rows:
        lo, hi = m.range_km
        band = f"{lo:,.0f}" if lo == hi else f"{lo:,.0f}-{hi:,.0f}"
        click.echo(f"{m.name:<18} {m.kind:<5} {m.propellant:<7} {band:>14} km  {', '.join(m.aliases[:3])}")


@missiles.command("show")
@click.argument("name")
@json_option()
def missiles_show(name: str, as_json: bool) -> None:
    """Show one missile class with its sources."""
    from geo.ballistics import missile_class

    m = missile_class(name)
    if as_json:
        click.echo(to_json(m.to_dict()))
        return
    lo, hi = m.range_km
    click.echo(f"{m.name} ({m.kind}, {m.propellant}): {lo:,.0f}-{hi:,.0f} km ({m.basis})")
    click.echo(f"  aliases: {'; '.join(m.aliases)}")
    click.echo(f"  {m.note}")
    for s in m.sources:
        click.echo(f"  source: {s}")


@missiles.command("rings")
@click.argument("name")
@click.option("--at", "at", default=None, help="Centre: a gazetteer place.")
@click.option("--lat", type=float, default=None, help="Centre latitude, degrees.")
@click.option("--lon", type=float, default=None, help="Centre longitude, degrees.")
@output_option("Write the GeoJSON here ('-': stdout).")
@json_option("Accepted for symmetry: the output is always GeoJSON.")
def missiles_rings(
    name: str, at: str | None, lat: float | None, lon: float | None, output: str | None, as_json: bool
) -> None:
    """Range rings of a missile class (low estimate disc, high estimate annulus) as GeoJSON."""
    from geo.ballistics import range_rings

    if at is not None and (lat is not None or lon is not None):
        raise click.UsageError("give either --at NAME or --lat/--lon, not both")
    if at is None and (lat is None or lon is None):
        raise click.UsageError("give a centre: --at NAME, or both --lat and --lon")
    if at is None:
        assert lat is not None and lon is not None
        if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
            raise InvalidCoordinateError(
                f"--lat must be within [-90, 90] degrees, got {lat!r}; give a latitude north (+) or south (-)"
            )
        if not (math.isfinite(lon) and -360.0 <= lon <= 360.0):
            raise InvalidCoordinateError(
                f"--lon must be within [-180, 180] degrees, got {lon!r}; give degrees east (+) or west (-)"
            )
    site: str | tuple[float, float] = at if at is not None else (float(lon or 0.0), float(lat or 0.0))
    text = range_rings(name, site).to_json(drop_id=True)
    if output and output != STDIO:
        atomic_write_text(output, text + "\n")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text)
