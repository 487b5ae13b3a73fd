"""``geo import-cns``: the CNS North Korea Missile Test Database as an assessed layer."""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from geo._errors import GeoError
from geo._io import to_json
from geo.cli.common import (
    STDIO,
    CatalogueRun,
    catalogue_command,
    check_stdout,
    output_format,
    report_bad_rows,
    strict_refusal,
    write_table,
    zone_index,
)

__all__ = ["import_cns"]


# Rows per progress step (each row's result does not depend on the others). Large, because
# a step's lookup is one batch: the 245-row database in one step takes 1.8-2.2 s, in steps of 10 2.6-3.0 s.
_CHUNK = 500


@catalogue_command("import-cns", writes="every parsed row, assessed", samples=2_000, samples_help="Samples per located test.",
                   seed_help="Random seed (test in row r uses seed + r).",
                   json_help="Print JSON: rows, parsed, unparsed, located, assessed, encoding.")  # fmt: skip
def import_cns(run: CatalogueRun) -> None:
    """Read the CNS missile-test database (.csv or .xlsx; - for a CSV on stdin), locate and assess each test.

    Every row that cannot be read is reported with its row number (header = 1) and reason.
    Exit status 0 when every row was read and every located test assessed (tests the
    database gives no landing place for are not errors), 1 when some rows could not be
    (the others are, and are written), 2 for a bad invocation or a file that cannot be read.
    """
    from geo.cns import read_cns

    output = run.output
    if run.samples < 1:  # 0 or fewer would assess nothing and still exit 0
        raise GeoError(f"--samples must be at least 1, got {run.samples}; e.g. --samples 2000 (the default)")
    kind = output_format(output, run.fmt)
    check_stdout(output, run.as_json)
    with _source(run.file) as (path, shown):
        try:
            read = read_cns(path)
        except GeoError as exc:
            raise type(exc)(str(exc).replace(str(path), shown)) from None
    if read.unparsed and not run.keep_going:
        first = min(read.unparsed, key=lambda r: int(r["row"]))
        raise strict_refusal(shown, first["row"], first["reason"])
    if len(read.frame):
        zone_index(run.perspective)  # built (or loaded) once, under its own bar; assess_cns reuses it
    layer = _assess(read.frame, perspective=run.perspective, n=run.samples, seed=run.seed)
    if output is not None and kind is not None:
        write_table(layer.drop(columns=layer.geometry.name), output, kind)
        if output != STDIO:
            click.echo(f"wrote {output} ({len(layer)} tests)", err=True)
    failed = layer[layer["assess_error"].astype(str) != ""] if len(layer) else layer
    assess_errors: list[dict[str, Any]] = [
        {"row": int(r), "reason": str(m)} for r, m in zip(failed["row"], failed["assess_error"], strict=True)
    ]
    report = {
        "rows": read.rows,
        "parsed": len(read.frame),
        "unparsed": read.unparsed,
        "located": int(read.frame["located"].sum()),
        "assessed": int(layer["assessed"].sum()) if len(layer) else 0,
        "assess_errors": assess_errors,
        "encoding": read.encoding,
    }
    if run.as_json:
        click.echo(to_json(report))
    else:
        click.echo(
            f"{report['rows']} rows ({report['encoding']}): {report['parsed']} parsed, "
            f"{report['located']} located, {report['assessed']} assessed",
            err=output == STDIO,  # stdout carries the data with -o -
        )
    report_bad_rows([(r["row"], r["reason"]) for r in [*read.unparsed, *assess_errors]], read.rows)


@contextlib.contextmanager
def _source(file: str) -> Iterator[tuple[Path, str]]:
    """The file to read and its name in messages; stdin (``-``) is saved to a scratch .csv first."""
    if file != STDIO:
        yield Path(file), file
        return
    with tempfile.TemporaryDirectory(prefix="geo-stdin-") as tmp:
        path = Path(tmp) / "stdin.csv"
        path.write_bytes(sys.stdin.buffer.read())
        yield path, "<stdin>"


def _assess(frame: Any, **options: Any) -> Any:
    """:func:`geo.cns.assess_cns` in steps of a few rows, with a progress bar (results as in one call)."""
    import pandas as pd

    from geo.cli.progress import progress
    from geo.cns import assess_cns

    starts = range(0, len(frame), _CHUNK)
    if len(starts) <= 1:
        return assess_cns(frame, **options)
    parts = [
        assess_cns(frame.iloc[i : i + _CHUNK], **options)
        for i in progress(starts, desc="assessing", total=len(starts), unit=f"x{_CHUNK} rows")
    ]
    layer = pd.concat(parts, ignore_index=True)
    geom = layer.geometry.name  # last, as in one call (a later step's new outcomes come after it in concat)
    layer = layer[[c for c in layer.columns if c != geom] + [geom]]
    probs = [c for c in layer.columns if c.startswith("p_")]
    done = layer["assessed"].to_numpy(bool)
    layer.loc[done, probs] = layer.loc[done, probs].fillna(0.0)  # an outcome no sample reached in a step
    return layer
