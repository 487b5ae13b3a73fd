"""``geo ring`` and ``geo locate``: geodesic rings, annuli and sectors; relative positions."""

from __future__ import annotations

import click

from geo._errors import InvalidDistanceError
from geo._io import atomic_write_text, to_json
from geo.cli.common import STDIO, check_option, json_option, output_option

__all__ = ["locate", "ring"]


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


@click.command()
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
@output_option("Write the GeoJSON here ('-': stdout).")
@json_option("Accepted for symmetry: the output is always GeoJSON.")
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


@click.command()
@click.argument("text", required=False)
@click.option("--from", "from_place", default=None, help="Structured form: the reference place.")
@click.option(
    "--distance-km", default=None, help="Structured form: D or D1-D2 (km unless a unit is written)."
)
@click.option(
    "--bearing", default=None, help="Structured form: degrees, A1:A2, or a compass word (W, WNW, west)."
)
@json_option()
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
