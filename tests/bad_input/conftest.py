"""Helpers for the bad-input corpus: every case ends in a clear error or the right answer.

A *clear error* is exit status 2, one line on stderr that starts with ``error:`` and names
the value (and, where there is one, the fix), no traceback; with ``--json`` a JSON object
``{"error": {"type", "message"}}`` on stdout as well.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from geo.cli import main


@dataclass
class Run:
    code: int
    out: str
    err: str
    exception: BaseException | None


def run_cli(args: Sequence[str], *, stdin: str | bytes | None = None) -> Run:
    """Run ``geo ARGS`` in-process (the zone index stays warm between cases)."""
    r = CliRunner().invoke(main, list(args), input=stdin)
    exc = r.exception if not isinstance(r.exception, SystemExit) else None
    return Run(r.exit_code, r.stdout, r.stderr, exc)


def assert_clear_error(r: Run, *needles: str) -> None:
    """Exit 2, one ``error:`` line naming each needle (case-insensitive), no traceback."""
    assert r.exception is None, f"unexpected exception {r.exception!r}"
    assert r.code == 2, f"exit {r.code}; stdout={r.out!r} stderr={r.err!r}"
    lines = [ln for ln in r.err.splitlines() if ln.strip()]
    assert "Traceback" not in r.err
    assert len(lines) == 1 and lines[0].startswith("error: "), r.err
    for n in needles:
        assert n.lower() in lines[0].lower(), f"{n!r} not in {lines[0]!r}"


def assert_json_error(r: Run, *needles: str) -> dict[str, str]:
    """A clear error whose stdout is one JSON error object; returns ``obj['error']``."""
    assert_clear_error(r, *needles)
    obj = json.loads(r.out)
    assert set(obj) == {"error"} and {"type", "message"} <= set(obj["error"]), obj
    return dict(obj["error"])


@pytest.fixture
def cli() -> object:
    return run_cli
