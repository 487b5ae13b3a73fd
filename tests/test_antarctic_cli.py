"""``geo assess --antarctic-claims``: a claimant perspective opts in to its frozen Antarctic claim."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from geo.cli import main


def test_needs_a_perspective() -> None:
    res = CliRunner().invoke(main, ["assess", "--lat", "-72", "--lon", "0", "--antarctic-claims"])
    assert res.exit_code == 2
    assert "--antarctic-claims needs --perspective" in res.output


@pytest.mark.skipif(os.environ.get("GEO_RUN_WORLD") != "1", reason="world queries are opt-in: GEO_RUN_WORLD=1")
@pytest.mark.parametrize(
    ("args", "eez"),
    [
        ([], "land:antarctic:NOR"),  # the Treaty's default: no claimant's verdict
        (["--perspective", "NOR"], "land:antarctic:NOR"),  # a perspective alone does not take it
        (["--perspective", "NOR", "--antarctic-claims"], "land:NOR"),
        (["--perspective", "AUS", "--antarctic-claims"], "land:antarctic:NOR"),  # not AUS's sector
    ],
)
def test_queen_maud_land(args: list[str], eez: str) -> None:
    res = CliRunner().invoke(main, ["assess", "--lat", "-72", "--lon", "0", "--json", *args])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["eez"] == eez
