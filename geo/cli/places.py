"""``geo places show`` and ``geo places list``: the gazetteer on the command line."""

from __future__ import annotations

import click

from geo._io import to_json
from geo.cli import SubGroup
from geo.cli.common import json_option

__all__ = ["places"]


@click.group(cls=SubGroup)
def places() -> None:
    """The gazetteer of launch sites and reference places."""


@places.command("show")
@click.argument("name")
@json_option()
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
@json_option()
def places_list(kind: str | None, country: str | None, as_json: bool) -> None:
    """List places, optionally of one kind or country."""
    from geo.places import list_places

    rows = list_places(kind=kind, country=country)
    if as_json:
        click.echo(to_json([p.to_dict() for p in rows]))
        return
    for p in rows:
        click.echo(f"{p.name:<40} {p.kind:<12} {p.country}  {p.lat:8.4f} {p.lon:9.4f}")
