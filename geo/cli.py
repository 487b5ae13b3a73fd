"""The ``geo`` command line. Every command takes ``--json`` for machine-readable output.

Every file argument takes ``-`` for stdin or stdout: then stdout carries only the data and
every message goes to stderr. Exit status: 0 done, 1 a catalogue with rows that could not
be assessed (the others are), 2 a bad invocation or input (one ``error:`` line; with
``--json`` also a JSON error object on stdout).
"""

from __future__ import annotations

import math
import sys
from typing import Any, ClassVar, NoReturn

import click

from geo import __version__
from geo._errors import GeoError, InvalidDistanceError
from geo._io import atomic_write_text, to_json

__all__ = ["EXAMPLES", "STDIO", "check_option", "main"]

#: The file name that means stdin (for an input) or stdout (for ``-o``).
STDIO = "-"

#: One or more runnable examples for every command and group, by command path (without
#: ``geo``), shown at the end of its ``--help``. Kept in one place so that the commands of
#: every module get one (tests/test_cli_pipes.py checks each is there and runs).
EXAMPLES: dict[str, tuple[str, ...]] = {
    "": (
        "geo assess --site Hamhung --range-km 190 --azimuth 30:150 --perspective JPN",
        "cat examples/data/january_2022.csv | geo assess-events - --json",
    ),
    "places": ("geo places show Okushiri", "geo places list --kind launch_site --country PRK"),
    "places show": ("geo places show 'Okushiri Island' --json",),
    "places list": ("geo places list --kind launch_site --country PRK",),
    "ring": (
        "geo ring --at Hamhung --radius-km 1000 --azimuth 30:150 -o ring.geojson",
        "geo ring --lat 40 --lon 135 --radius-km 370.4 -o -",
    ),
    "locate": (
        "geo locate 'about 250 km west of Okushiri Island'",
        "geo locate --from Okushiri --distance-km 200-300 --bearing W --json",
    ),
    "assess": (
        "geo assess --site Hamhung --range-km 190 --azimuth 30:150 --perspective JPN",
        "geo assess --lat 40.5 --lon 135 --json",
    ),
    "assess-events": (
        "geo assess-events examples/data/january_2022.csv -o assessed.csv",
        "cat examples/data/january_2022.csv | geo assess-events - -o - --format geojson",
    ),
    "trajectory": (
        "geo trajectory --apogee-km 6000 --range-km 1000",
        "geo trajectory --apogee-km 6000 --range-km 1000 --site Sunan --azimuth 90 -o track.geojson",
    ),
    "missiles": ("geo missiles list", "geo missiles rings Hwasong-15 --at Sunan -o rings.geojson"),
    "missiles list": ("geo missiles list --json",),
    "missiles show": ("geo missiles show Hwasong-15",),
    "missiles rings": ("geo missiles rings Hwasong-15 --at Sunan -o -",),
    "map": (
        "geo map --site Hamhung --rings-km 1000,3000 --perspective JPN -o map.html",
        "geo map --events examples/data/january_2022.csv --offline -o january.html",
    ),
    "figure": (
        "geo figure --site Hamhung --rings-km 1000 --perspective JPN -o figure.png",
        "geo figure --site Hamhung --rings-km 1000 --no-zones --format svg -o -",
    ),
    "export": (
        "geo export --site Hamhung --rings-km 1000 --perspective JPN -o analysis.gpkg",
        "geo export --events examples/data/january_2022.csv -o january.kml",
    ),
    "import-cns": (
        "geo import-cns cns_missile_test_database.csv -o cns.gpkg",
        "cat cns_missile_test_database.csv | geo import-cns - --json",
    ),
    "boundaries": ("geo boundaries info", "geo boundaries export --layer eez --perspective JPN -o eez.gpkg"),
    "boundaries build": ("geo boundaries build --check",),
    "boundaries info": ("geo boundaries info --json",),
    "boundaries export": ("geo boundaries export --layer territorial_sea --perspective JPN -o ts.geojson",),
    "boundaries import": ("geo boundaries import World_EEZ_v12.gpkg -o boundaries-official",),
}


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


def _wants_json(ctx: click.Context) -> bool:
    """Whether the command line asked for ``--json`` (read before the sub-command parsed it)."""
    words = [*getattr(ctx, "_protected_args", []), *ctx.args]
    return "--json" in words


def _with_example(command: click.Command, path: str) -> click.Command:
    """``command`` with its examples (:data:`EXAMPLES`) as the epilog of its help, and its subcommands'."""
    lines = EXAMPLES.get(path)
    if lines and not command.epilog:
        word = "Example" if len(lines) == 1 else "Examples"
        command.epilog = "\b\n" + f"{word}:\n" + "\n".join(f"  {line}" for line in lines)
    if isinstance(command, click.Group) and not isinstance(command, _Group):
        for name, sub in command.commands.items():  # plain groups (boundaries, missiles)
            _with_example(sub, f"{path} {name}".strip())
    return command


def _usage_message(exc: click.UsageError) -> str:
    """Click's error in one line that names the help to read (click alone prints its usage text)."""
    message = _one_line(exc.format_message()).rstrip(".")
    if exc.ctx is not None:  # the program's own name, whatever it was started as
        command = " ".join(["geo", *exc.ctx.command_path.split()[1:]])
        message += f"; see '{command} --help'"
    return message


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _fail(exc: Exception, *, as_json: bool = False, message: str | None = None) -> NoReturn:
    """One line on stderr, status 2 (or the error's ``exit_code``); with ``--json`` also a JSON error object on stdout."""
    if message is None:
        message = _one_line(exc.format_message() if isinstance(exc, click.ClickException) else str(exc))
    click.echo(f"error: {message}", err=True)
    if as_json:
        click.echo(to_json({"error": {"type": type(exc).__name__, "message": message}}))
    sys.exit(int(getattr(exc, "exit_code", 2)))  # 2, or 1 for a catalogue's bad rows (--strict)


class _Group(click.Group):
    """Turns GeoError (bad input) into a one-line message and exit status 2.

    Subcommands listed in ``lazy`` are imported only when used, so ``geo --help`` and
    the light commands never load geopandas or the zone layers.
    """

    lazy: ClassVar[dict[str, str]] = {
        "assess": "geo._cli_assess:assess",
        "boundaries": "geo._cli_boundaries:boundaries",
        "assess-events": "geo._cli_assess:assess_events",
        "trajectory": "geo._cli_trajectory:trajectory",
        "missiles": "geo._cli_trajectory:missiles",
        "map": "geo._cli_map:map_command",
        "figure": "geo._cli_map:figure_command",
        "import-cns": "geo._cli_cns:import_cns",
        "export": "geo._cli_export:export",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command: click.Command | None
        if cmd_name in self.lazy:
            import importlib

            module, attr = self.lazy[cmd_name].split(":")
            command = getattr(importlib.import_module(module), attr)
        else:
            command = super().get_command(ctx, cmd_name)
        if command is None:
            return None
        return _with_example(command, " ".join([*ctx.command_path.split()[1:], cmd_name]))

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        as_json = "--json" in args
        try:
            return super().parse_args(ctx, args)
        except click.exceptions.NoArgsIsHelpError:
            raise  # a bare group prints its help
        except click.UsageError as exc:
            _fail(exc, as_json=as_json, message=_usage_message(exc))

    def invoke(self, ctx: click.Context) -> Any:
        as_json = _wants_json(ctx)
        try:
            return super().invoke(ctx)
        except GeoError as exc:
            _fail(exc, as_json=as_json)
        except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
            _fail(exc, as_json=as_json)
        except click.exceptions.NoArgsIsHelpError:
            raise  # a bare group prints its help
        except click.UsageError as exc:
            # One line naming the value and the help to read, not click's three-line usage text.
            _fail(exc, as_json=as_json, message=_usage_message(exc))


class _SubGroup(_Group):
    """A group below ``geo``: the same error handling, none of the top-level commands."""

    lazy: ClassVar[dict[str, str]] = {}


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="geo")
def main() -> None:
    """Where did it land? Geodesic ranges, places and maritime zones on WGS84.

    Files: ``-`` reads stdin or writes stdout. Exit status 0 done, 1 a catalogue had rows
    that could not be assessed (the others are), 2 a bad invocation or input.
    """


_with_example(main, "")


# ------------------------------------------------------------------ places


@main.group(cls=_SubGroup)
def places() -> None:
    """The gazetteer of launch sites and reference places."""


@places.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def places_show(name: str, as_json: bool) -> None:
    """Show one place by name or alias (case, accents and punctuation ignored)."""
    from geo.places import lookup

    p = lookup(name)
    d = p.to_dict()
    if as_json:
        click.echo(to_json(d))
        return
    click.echo(f"{p.name} ({p.kind}, {p.country})")
    click.echo(f"  lat {p.lat:.4f}, lon {p.lon:.4f}  +/- {p.precision_km:g} km")
    if p.aliases:
        click.echo(f"  aliases: {'; '.join(p.aliases)}")
    click.echo(f"  source: {p.source}")


@places.command("list")
@click.option("--kind", default=None, help="Only this kind (launch_site, island, cape, ...).")
@click.option("--country", default=None, help="Only this country (ISO3, e.g. PRK).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def places_list(kind: str | None, country: str | None, as_json: bool) -> None:
    """List places, optionally of one kind or country."""
    from geo.places import list_places

    rows = list_places(kind=kind, country=country)
    if as_json:
        click.echo(to_json([p.to_dict() for p in rows]))
        return
    for p in rows:
        click.echo(f"{p.name:<40} {p.kind:<12} {p.country}  {p.lat:8.4f} {p.lon:9.4f}")


# ------------------------------------------------------------------ ring


def _centre(at: str | None, lat: float | None, lon: float | None) -> tuple[float, float, str | None]:
    if at is not None and (lat is not None or lon is not None):
        raise click.UsageError("give either --at NAME or --lat/--lon, not both")
    if at is not None:
        from geo.places import lookup

        p = lookup(at)
        return p.lon, p.lat, p.name
    if lat is None or lon is None:
        raise click.UsageError("give a centre: --at NAME, or both --lat and --lon")
    return lon, lat, None


def _check_ring_options(
    lon: float, lat: float, radius_km: float, inner_km: float | None, tolerance_m: float
) -> None:
    """Refuse ring options in the user's units (km, as typed) before the metre-based geodesy."""
    from geo import geodesy

    check_option(radius_km, "--radius-km", fix="give the ring's radius in km, e.g. --radius-km 190")
    if inner_km is not None:
        check_option(
            inner_km,
            "--inner-km",
            allow_zero=True,
            fix="give the inner radius in km, or leave it out for a disc",
        )
        if inner_km >= radius_km:
            raise InvalidDistanceError(
                f"--inner-km {inner_km:.10g} must be smaller than --radius-km {radius_km:.10g}; "
                "swap them, or leave --inner-km out for a disc"
            )
    check_option(
        tolerance_m, "--tolerance-m", unit="m", fix="give the largest edge error in m, e.g. --tolerance-m 100"
    )
    limit_km = geodesy.antipodal_distance_m(lon, lat) / 1e3
    if radius_km >= limit_km:
        raise InvalidDistanceError(
            f"--radius-km {radius_km:.10g} reaches beyond the antipode of lat {lat:g}, lon {lon:g}, "
            f"which is {limit_km:,.1f} km away; give a radius below that"
        )


@main.command()
@click.option("--at", "at", default=None, help="Centre: a gazetteer place.")
@click.option("--lat", type=float, default=None, help="Centre latitude, degrees.")
@click.option("--lon", type=float, default=None, help="Centre longitude, degrees.")
@click.option("--radius-km", type=float, required=True, help="Outer radius, km (geodesic).")
@click.option("--inner-km", type=float, default=None, help="Inner radius, km: an annulus.")
@click.option(
    "--azimuth", default=None, help="Sector 'A1:A2', degrees clockwise from A1 to A2 (350:10 crosses north)."
)
@click.option(
    "--tolerance-m", type=float, default=100.0, show_default=True, help="Largest edge-to-curve distance, m."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True),
    default=None,
    help="Write the GeoJSON here ('-': stdout).",
)
@click.option("--json", "as_json", is_flag=True, help="Accepted for symmetry: the output is always GeoJSON.")
def ring(
    at: str | None,
    lat: float | None,
    lon: float | None,
    radius_km: float,
    inner_km: float | None,
    azimuth: str | None,
    tolerance_m: float,
    output: str | None,
    as_json: bool,
) -> None:
    """A geodesic range ring, annulus or sector as a GeoJSON Feature (RFC 7946)."""
    from shapely.geometry import mapping

    from geo import geodesy

    clon, clat, name = _centre(at, lat, lon)
    _check_ring_options(clon, clat, radius_km, inner_km, tolerance_m)
    inner_m = (inner_km or 0.0) * 1e3
    try:
        if azimuth is not None:
            interval = geodesy.parse_azimuth_interval(azimuth)
            geom = geodesy.sector(
                clon, clat, radius_km * 1e3, azimuth, inner_m=inner_m, tolerance_m=tolerance_m
            )
            az: list[float] | None = [interval.start_deg, interval.end_deg]
        elif inner_km:
            geom = geodesy.annulus(clon, clat, inner_m, radius_km * 1e3, tolerance_m=tolerance_m)
            az = None
        else:
            geom = geodesy.ring(clon, clat, radius_km * 1e3, tolerance_m=tolerance_m)
            az = None
    except InvalidDistanceError as exc:
        # Every radius was checked above, so what is left is the cut locus near the antipode.
        limit_km = geodesy.antipodal_distance_m(clon, clat) / 1e3
        raise InvalidDistanceError(
            f"--radius-km {radius_km:.10g} from lat {clat:g}, lon {clon:g} comes within "
            f"{limit_km - radius_km:,.1f} km of the antipode ({limit_km:,.1f} km away), where the "
            "geodesic circle passes the cut locus and cannot be drawn as asked; give a smaller --radius-km"
        ) from exc
    feature = {
        "type": "Feature",
        "geometry": mapping(geom),
        "properties": {
            "place": name,
            "center_lat": clat,
            "center_lon": clon,
            "radius_km": radius_km,
            "inner_km": inner_km or 0.0,
            "azimuth_deg": az,
            "area_km2": geodesy.geodesic_area_m2(geom) / 1e6,
            "tolerance_m": tolerance_m,
            "crs": "EPSG:4326",
        },
    }
    text = to_json(feature, indent=None)
    if output and output != STDIO:
        atomic_write_text(output, text + "\n")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text)


# ------------------------------------------------------------------ locate


@main.command()
@click.argument("text", required=False)
@click.option("--from", "from_place", default=None, help="Structured form: the reference place.")
@click.option(
    "--distance-km", default=None, help="Structured form: D or D1-D2 (km unless a unit is written)."
)
@click.option(
    "--bearing", default=None, help="Structured form: degrees, A1:A2, or a compass word (W, WNW, west)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def locate(
    text: str | None, from_place: str | None, distance_km: str | None, bearing: str | None, as_json: bool
) -> None:
    """Best point and region of "about 250 km west of Okushiri Island" (or --from/--distance-km/--bearing)."""
    from geo.relative import locate as locate_text
    from geo.relative import relative_place

    structured = [from_place, distance_km, bearing]
    if text is not None and any(v is not None for v in structured):
        raise click.UsageError("give either TEXT or --from/--distance-km/--bearing, not both")
    if text is not None:
        loc = locate_text(text)
    elif all(v is not None for v in structured):
        assert from_place is not None and distance_km is not None and bearing is not None
        loc = relative_place(from_place, distance_km, bearing)
    else:
        raise click.UsageError(
            "give TEXT, e.g. 'about 250 km west of Okushiri Island', or all of --from, --distance-km, --bearing"
        )
    if as_json:
        click.echo(to_json(loc.to_dict()))
        return
    lo, hi = loc.distance_km
    b0, b1 = loc.bearing_deg
    click.echo(f"{loc.statement}")
    click.echo(f"  best point: lat {loc.lat:.4f}, lon {loc.lon:.4f}")
    click.echo(
        f"  from {loc.place.name} ({loc.place.lat:.4f}, {loc.place.lon:.4f}): {lo:g}-{hi:g} km, bearing {b0:g}-{b1:g} deg"
    )
    for a in loc.assumptions:
        click.echo(f"  assumed: {a}")
