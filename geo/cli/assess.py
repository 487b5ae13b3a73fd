"""``geo assess``: one report's verdict, margins and probabilities (``geo assess-events``: geo.cli.catalogue)."""

from __future__ import annotations

import re

import click

from geo._errors import GeoError, InvalidDistanceError
from geo._io import to_json
from geo.cli.common import (
    json_option,
    zone_index,
)

__all__ = ["assess"]

_SAMPLES = 20_000


@click.command("assess")
@click.option("--lat", type=float, default=None, help="Exact impact latitude.")
@click.option("--lon", type=float, default=None, help="Exact impact longitude.")
@click.option("--from", "from_place", default=None, help="Relative: reference place.")
@click.option("--distance-km", default=None, help="Relative: D or D1-D2.")
@click.option("--bearing", default=None, help="Relative: degrees, A1:A2 or a compass word.")
@click.option("--text", default=None, help='Relative statement, e.g. "about 250 km west of Okushiri Island".')
@click.option("--site", default=None, help="Launch site (gazetteer name).")
@click.option("--range-km", default=None, help="Range: R, R+/-E or R1-R2 (km).")
@click.option(
    "--azimuth", default=None, help="Azimuth: A or A1:A2 (clockwise; 350:10 crosses north). Omit if unknown."
)
@click.option(
    "--perspective", default=None, help="ISO3: zones as that country claims them (default neutral)."
)
@click.option("--samples", type=int, default=_SAMPLES, show_default=True, help="Samples for vague reports.")
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Random seed (results are reproducible)."
)
@json_option()
def assess(
    lat: float | None,
    lon: float | None,
    from_place: str | None,
    distance_km: str | None,
    bearing: str | None,
    text: str | None,
    site: str | None,
    range_km: str | None,
    azimuth: str | None,
    perspective: str | None,
    samples: int,
    seed: int,
    as_json: bool,
) -> None:
    """Which zone holds an impact, by whose claim, how far from each limit, and how likely."""
    from geo import assess as a_
    from geo import uncertainty as u_

    modes = {
        "point": lat is not None or lon is not None,
        "relative": any(v is not None for v in (from_place, distance_km, bearing)),
        "text": text is not None,
        "site": any(v is not None for v in (site, range_km)),
    }
    chosen = [m for m, on in modes.items() if on]
    if len(chosen) != 1:
        raise click.UsageError(
            "give exactly one report: --lat/--lon, --text, --from/--distance-km/--bearing, or --site/--range-km [--azimuth]"
        )
    mode = chosen[0]
    if mode == "point":
        if lat is None or lon is None:
            raise click.UsageError("give both --lat and --lon")
        from geo import geodesy

        x, y = (float(v) for v in geodesy.check_lonlat(lon, lat, what="impact"))
        result = a_.assess_point(x, y, zones=zone_index(perspective, where=([x], [y])))
    else:
        if mode == "text":
            assert text is not None
            samples_ = u_.from_relative(text, n=samples, seed=seed)
        elif mode == "relative":
            if None in (from_place, distance_km, bearing):
                raise click.UsageError("give all of --from, --distance-km and --bearing")
            samples_ = u_.from_relative(
                place=from_place, distance_km=distance_km, bearing=bearing, n=samples, seed=seed
            )
        else:
            if site is None or range_km is None:
                raise click.UsageError("give both --site and --range-km")
            _check_range(range_km)
            samples_ = u_.from_site(site, range_km=range_km, azimuth=azimuth, n=samples, seed=seed)
        # the zones where the samples fall: the NW Pacific's detail there, the world elsewhere
        zones = zone_index(perspective, where=(samples_.lon, samples_.lat))
        result = a_.assess_samples(samples_, zones=zones)
    if as_json:
        click.echo(to_json(result.to_dict()))
    else:
        click.echo(result.summary())


_RANGE_FIX = "give the range in km as R, R+/-E or R1-R2, e.g. --range-km 950 or --range-km 900-1000"


def _check_range(text: str) -> None:
    """Refuse --range-km in the user's words: a negative or zero range names the option and the fix."""
    from geo.uncertainty import parse_range

    if re.fullmatch(r"\s*[-\u2212]\s*\d[\d.,_]*\s*(km)?\s*", text):
        raise InvalidDistanceError(f"--range-km must be positive, got {text.strip()!r}; {_RANGE_FIX}")
    try:
        parse_range(text)
    except GeoError as exc:
        if "must be positive" in str(exc):
            raise InvalidDistanceError(
                f"--range-km must be positive, got {text.strip()!r}; {_RANGE_FIX}"
            ) from None
        raise
