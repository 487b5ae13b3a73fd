"""``geo import-cns``: the CNS North Korea Missile Test Database as an assessed layer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from geo._errors import GeoError
from geo._io import to_json

__all__ = ["import_cns"]


@click.command("import-cns")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", default=None, help="Write every parsed row, assessed: .csv or .gpkg.")
@click.option(
    "--perspective", default=None, help="ISO3: zones as that country claims them (default neutral)."
)
@click.option("--samples", type=int, default=2_000, show_default=True, help="Samples per located test.")
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Random seed (test in row r uses seed + r)."
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print JSON: rows, parsed, unparsed, located, assessed, encoding."
)
def import_cns(
    file: str, output: str | None, perspective: str | None, samples: int, seed: int, as_json: bool
) -> None:
    """Read the CNS missile-test database (.csv or .xlsx), locate and assess each test.

    Every row that cannot be read is reported with its row number (header = 1) and reason.
    """
    from geo.cns import assess_cns, read_cns

    if samples < 1:  # 0 or fewer would assess nothing and still exit 0
        raise GeoError(f"--samples must be at least 1, got {samples}; e.g. --samples 2000 (the default)")
    if output and Path(output).suffix.lower() not in {".csv", ".gpkg"}:
        raise GeoError(f"unknown output format {Path(output).suffix!r} for {output!r}; use .csv or .gpkg")
    read = read_cns(file)
    layer = assess_cns(read.frame, perspective=perspective, n=samples, seed=seed)
    if output:
        from geo._cli_assess import _write

        _write(_records(layer), output)
        click.echo(f"wrote {output} ({len(layer)} tests)", err=True)
    report = {
        "rows": read.rows,
        "parsed": len(read.frame),
        "unparsed": read.unparsed,
        "located": int(read.frame["located"].sum()),
        "assessed": int(layer["assessed"].sum()) if len(layer) else 0,
        "encoding": read.encoding,
    }
    if as_json:
        click.echo(to_json(report))
        return
    click.echo(
        f"{report['rows']} rows ({report['encoding']}): {report['parsed']} parsed, "
        f"{report['located']} located, {report['assessed']} assessed"
    )
    for r in read.unparsed:
        click.echo(f"row {r['row']}: {r['reason']}", err=True)


def _records(layer: Any) -> list[dict[str, Any]]:
    """Rows in the shape ``_write`` takes (probabilities are already flat ``p_*`` columns)."""
    rows: list[dict[str, Any]] = layer.drop(columns=layer.geometry.name).to_dict("records")
    return [{**r, "probability": {}, "distance_to_eez_limit_km": {}} for r in rows]
