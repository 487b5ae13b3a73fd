"""Every command's ``--json`` over edge inputs: strict JSON on stdout, or a JSON error object.

Issue 11 item 10: ``geo trajectory --apogee-km 7687.5 --range-km 1001.2 --json`` crashed on
NaN. A missing number is ``null`` in every JSON output; each command (listed from the CLI
itself, so a new command without a case fails here) has at least one answer case and one
error case.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import numpy as np
import pytest
from _cns_header import CNS_HEADER

from bad_input.conftest import Run, assert_json_error, run_cli
from geo._io import to_json
from geo.cli import main

EXAMPLE_EVENTS = Path(__file__).resolve().parents[2] / "examples" / "data" / "january_2022.csv"
WARNINGS = Path(__file__).resolve().parents[1] / "data" / "warnings"

def _strict_loads(text: str) -> Any:
    """json.loads that refuses NaN and Infinity (Python's default reads them)."""

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)


def _leaf_commands(group: click.Group, ctx: click.Context, prefix: tuple[str, ...] = ()) -> Iterator[str]:
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd is not None, name
        if isinstance(cmd, click.Group):
            yield from _leaf_commands(cmd, click.Context(cmd, parent=ctx), (*prefix, name))
        else:
            yield " ".join((*prefix, name))


def _all_commands() -> dict[str, click.Command]:
    ctx = click.Context(main)
    out: dict[str, click.Command] = {}
    for path in _leaf_commands(main, ctx):
        cmd: click.Command | None = main
        for word in path.split():
            assert isinstance(cmd, click.Group)
            cmd = cmd.get_command(ctx, word)
        assert cmd is not None
        out[path] = cmd
    return out


@dataclass(frozen=True)
class Case:
    id: str
    args: list[str]
    needles: tuple[str, ...] = ()  # an error case when given
    check: Callable[[Any], bool] | None = None  # a fact about the answer

    @property
    def command(self) -> str:
        words = self.args[:2] if self.args[0] in {"places", "boundaries", "missiles"} else self.args[:1]
        return " ".join(words)


def _feature_ok(d: Any) -> bool:
    from shapely.geometry import shape

    return bool(d["type"] == "Feature" and shape(d["geometry"]).is_valid)


CASES = [
    # places
    Case("places-show-alias", ["places", "show", "Okushiri", "--json"],
         check=lambda d: d["name"] == "Okushiri Island" and d["country"] == "JPN"),
    Case("places-show-typo", ["places", "show", "Hamhong", "--json"], needles=("'Hamhong'", "Hamhung")),
    Case("places-list-kind", ["places", "list", "--kind", "launch_site", "--json"],
         check=lambda d: len(d) >= 2 and {p["kind"] for p in d} == {"launch_site"}),
    Case("places-list-bad-kind", ["places", "list", "--kind", "nonsense", "--json"],
         needles=("'nonsense'", "launch_site")),
    Case("places-list-unknown-country", ["places", "list", "--country", "XXX", "--json"],
         needles=("'XXX'", "PRK", "JPN")),
    # ring: poles and the antimeridian are normal inputs; km in, km in the message
    Case("ring-pole-antimeridian", ["ring", "--lat", "89.9", "--lon", "179.9", "--radius-km", "500", "--json"],
         check=_feature_ok),
    Case("ring-zero-radius", ["ring", "--lat", "40", "--lon", "134", "--radius-km", "0", "--json"],
         needles=("--radius-km", "0 km")),
    Case("ring-unknown-place", ["ring", "--at", "Nowhereville", "--radius-km", "10", "--json"],
         needles=("'Nowhereville'", "geo places list")),
    # locate
    Case("locate-text", ["locate", "about 250 km west of Okushiri Island", "--json"],
         check=lambda d: 41.5 < d["lat"] < 42.8 and 135.5 < d["lon"] < 136.9),
    Case("locate-negative-distance",
         ["locate", "--from", "Okushiri", "--distance-km", "-5", "--bearing", "W", "--json"], needles=("-5",)),
    # assess
    Case("assess-point", ["assess", "--lat", "40.0", "--lon", "134.0", "--json"],
         check=lambda d: d["eez"] == "RUS" and d["location"] == {"lat": 40.0, "lon": 134.0}),
    Case("assess-latitude-95", ["assess", "--lat", "95", "--lon", "134", "--json"], needles=("95",)),
    # assess-events
    Case("assess-events-example", ["assess-events", str(EXAMPLE_EVENTS), "--json"],
         check=lambda d: isinstance(d, dict | list)),
    Case("assess-events-missing-file", ["assess-events", "no_such_events.csv", "--json"],
         needles=("no_such_events.csv",)),
    # boundaries (never `build` for real: only its refusal of an unknown region)
    Case("boundaries-info", ["boundaries", "info", "--json"], check=lambda d: isinstance(d, dict) and bool(d)),
    Case("boundaries-info-bad-path", ["boundaries", "info", "--path", "no_such_folder", "--json"],
         needles=("no_such_folder",)),
    Case("boundaries-export-perspective-xxx",
         ["boundaries", "export", "--layer", "eez", "--perspective", "XXX", "-o", "{tmp}/eez.gpkg", "--json"],
         needles=("XXX",)),
    Case("boundaries-export-gpkg",
         ["boundaries", "export", "--layer", "territorial_sea", "-o", "{tmp}/ts.gpkg", "--json"],
         check=lambda d: d["features"] > 0 and d["layer"] == "territorial_sea"),
    Case("boundaries-import-missing", ["boundaries", "import", "no_such_eez.shp", "-o", "{tmp}/b", "--json"],
         needles=("no_such_eez.shp",)),
    Case("boundaries-build-unknown-region", ["boundaries", "build", "--region", "atlantis", "--json"],
         needles=("atlantis",)),
    # export, figure, map
    Case("export-geojson",
         ["export", "--site", "Hamhung", "--rings-km", "190,500", "-o", "{tmp}/seed.geojson", "--json"],
         check=lambda d: d["format"] and sum(d["layers"].values()) >= 2),
    Case("export-zero-ring", ["export", "--site", "Hamhung", "--rings-km", "0", "-o", "{tmp}/x.geojson", "--json"],
         needles=("0",)),
    Case("figure-png", ["figure", "--site", "Hamhung", "--rings-km", "190", "-o", "{tmp}/f.png", "--json"],
         check=lambda d: d["bytes"] > 1000),
    Case("figure-bad-extension", ["figure", "--site", "Hamhung", "-o", "{tmp}/f.txt", "--json"],
         needles=(".png",)),
    Case("map-offline",
         ["map", "--site", "Hamhung", "--rings-km", "1000", "--offline", "-o", "{tmp}/m.html", "--json"],
         check=lambda d: d["bytes"] > 1000),
    Case("map-ring-past-antipode",
         ["map", "--site", "Hamhung", "--rings-km", "25000", "-o", "{tmp}/m.html", "--json"],
         needles=("25000", "antipode")),
    # import-cns
    Case("import-cns-small", ["import-cns", "{tmp}/cns.csv", "--samples", "50", "--json"],
         check=lambda d: d["rows"] == 2 and d["located"] == 1),
    Case("import-cns-zero-samples", ["import-cns", "{tmp}/cns.csv", "--samples", "0", "--json"],
         needles=("--samples", "got 0")),
    Case("import-cns-bad-output", ["import-cns", "{tmp}/cns.csv", "-o", "{tmp}/cns.kml", "--json"],
         needles=(".kml", ".gpkg")),
    # missiles
    Case("warning-circle", ["warning", str(WARNINGS / "jcg_kan10_r1_379_circle.txt"), "--json"],
         check=lambda d: len(d["areas"]) == 1 and d["unread"] is not None),
    Case("warning-no-area", ["warning", str(WARNINGS / "dprk_2012_unha3_first_stage.txt"), "--json"],
         needles=("no area found",)),
    Case("brief-point", ["brief", "--lat", "40", "--lon", "134", "-o", "{tmp}/brief", "--json"],
         check=lambda d: d["verdict"] == "point in the EEZ of RUS" and {"brief.md", "map.html", "layers.kmz"} <= set(d["files"])),
    Case("brief-unknown-site", ["brief", "--site", "Nowhere-ri", "--range-km", "300", "-o", "{tmp}/b2", "--json"],
         needles=("Nowhere-ri",)),
    Case("missiles-list", ["missiles", "list", "--json"],
         check=lambda d: any(m["name"] == "Hwasong-15" for m in d)),
    Case("missiles-list-unknown-option", ["missiles", "list", "--kind", "ICBM", "--json"], needles=("--kind",)),
    Case("missiles-show", ["missiles", "show", "hwasong 15", "--json"], check=lambda d: d["name"] == "Hwasong-15"),
    Case("missiles-show-unknown", ["missiles", "show", "Nope-9", "--json"], needles=("'Nope-9'",)),
    Case("missiles-rings", ["missiles", "rings", "Hwasong-12", "--at", "Sunan", "--json"],
         check=lambda d: [f["properties"]["outer_km"] for f in d["features"]] == [4500.0, 5000.0]),
    Case("missiles-rings-latitude-95", ["missiles", "rings", "Hwasong-12", "--lat", "95", "--lon", "10", "--json"],
         needles=("--lat", "95")),
    # trajectory: the Hwasong-19 case that crashed on NaN
    Case("trajectory-hwasong-19", ["trajectory", "--apogee-km", "7687.5", "--range-km", "1001.2", "--json"],
         check=lambda d: d["standard_flight_path_angle_deg"] is None and d["standard_range_capped"] == [True, True]),
    Case("trajectory-past-antipode", ["trajectory", "--apogee-km", "1000", "--range-km", "25000", "--json"],
         needles=("--range-km 25000", "give a range below 20015 km")),
    Case("trajectory-zero-apogee", ["trajectory", "--apogee-km", "0", "--range-km", "100", "--json"],
         needles=("--apogee-km", "0 km")),
]  # fmt: skip


def _cns_file(tmp: Path) -> None:
    rows = [
        ["1", "3-Mar-99", "", "", "Test-1", "SRBM", "", "Range 1", "Nowhere", "", "39.31", "127.21",
         "Sea of Japan or East Sea", "55 km", "610 km", "Confirmed", "Success", "", "https://example.org"],
        ["2", "Oct-88", "", "", "Test-2", "SRBM", "", "Range 2", "Nowhere", "", "Unknown", "Unknown",
         "Unknown", "Unknown", "Unknown", "Confirmed", "Success", "", "https://example.org"],
    ]  # fmt: skip
    with (tmp / "cns.csv").open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([CNS_HEADER, *rows])


def test_every_command_has_a_json_option_and_both_kinds_of_case() -> None:
    commands = _all_commands()
    assert len(commands) >= 18
    for path, cmd in commands.items():
        assert any("--json" in p.opts for p in cmd.params), f"{path} has no --json"
    answers = {c.command for c in CASES if not c.needles}
    errors = {c.command for c in CASES if c.needles}
    assert errors == set(commands), f"commands without an error case: {set(commands) - errors}"
    assert answers == set(commands) - {"boundaries build", "boundaries import"}, set(commands) - answers


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_json_output_is_strict_json_or_a_json_error(case: Case, tmp_path: Path) -> None:
    _cns_file(tmp_path)
    args = [a.replace("{tmp}", str(tmp_path)) for a in case.args]
    r: Run = run_cli(args)
    if case.needles:
        err = assert_json_error(r, *case.needles)
        assert err["type"] and err["message"]
        return
    assert r.exception is None, repr(r.exception)
    assert r.code == 0, r.err
    d = _strict_loads(r.out)
    assert case.check is not None and case.check(d), d


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (float("nan"), None),
        (float("inf"), None),
        (-math.inf, None),
        (np.float64("nan"), None),
        (np.float32(np.inf), None),
        (np.array([1.0, np.nan]), [1.0, None]),
        ({"a": (1, float("nan")), "b": [{"c": -math.inf}]}, {"a": [1, None], "b": [{"c": None}]}),
        (np.int64(7), 7),
        (np.bool_(True), True),
        ({"x": 1.5, "s": "NaN"}, {"x": 1.5, "s": "NaN"}),
    ],
    ids=[
        "nan",
        "inf",
        "-inf",
        "np-nan",
        "np32-inf",
        "np-array",
        "nested",
        "np-int",
        "np-bool",
        "finite-and-text",
    ],
)
def test_to_json_writes_missing_numbers_as_null(value: Any, expected: Any) -> None:
    text = to_json(value, indent=None)
    assert _strict_loads(text) == expected
