"""Bad-input corpus: distances, ranges, bearings and azimuths (library and CLI).

Each case is refused with the value and the fix, in the unit the user gave, or reads the
numbers right. Pinned: an infinite distance passed the check, a bearing of 361 (or inf)
was read as 1 (or NaN), "0:360" as due north, a range in nm as "cannot read".
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from bad_input.conftest import assert_clear_error, assert_json_error, run_cli
from geo import geodesy, places, relative, uncertainty
from geo._errors import GeoError, InvalidDistanceError, InvalidIntervalError, ParseError

DISTANCE_REFUSED: list[tuple[str, Any, type[GeoError], list[str]]] = [
    ("negative-text", "-5", InvalidDistanceError, ["'-5'", "negative"]),
    ("negative-number", -5.0, InvalidDistanceError, ["'-5.0'", "non-negative"]),
    ("zero", 0, InvalidDistanceError, ["'0'", "zero"]),
    ("nan", float("nan"), InvalidDistanceError, ["'nan'", "finite"]),
    ("inf", float("inf"), InvalidDistanceError, ["'inf'", "finite"]),
    ("reversed", "350-300", InvalidIntervalError, ["'350-300'", "backwards", "smaller value first"]),
    ("open-interval", "300-", ParseError, ["'300-'", "300-350 km"]),
    ("decimal-comma", "250,5", ParseError, ["'250,5'", "250.5"]),
    ("tuple-of-text", ("a", 1), ParseError, ["('a', 1)", "two numbers"]),
    ("tuple-of-three", (1, 2, 3), ParseError, ["(1, 2, 3)", "two numbers"]),
    ("unknown-unit", "250 leagues", ParseError, ["'250 leagues'"]),
]


@pytest.mark.parametrize(
    ("value", "error", "needles"), [c[1:] for c in DISTANCE_REFUSED], ids=[c[0] for c in DISTANCE_REFUSED]
)
def test_parse_distance_refuses(value: Any, error: type[GeoError], needles: list[str]) -> None:
    with pytest.raises(error) as info:
        relative.parse_distance(value)
    for n in needles:
        assert n in str(info.value), (n, str(info.value))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("300–350 km", (300.0, 350.0, True)),
        ("25 nm", (46.3, 46.3, False)),
        ("1,380 km", (1380.0, 1380.0, False)),
        ("about 10 nautical miles", (18.52, 18.52, False)),
    ],
)
def test_parse_distance_reads(value: str, expected: tuple[float, float, bool]) -> None:
    lo, hi, interval = relative.parse_distance(value)
    assert (lo, hi) == pytest.approx(expected[:2]) and interval is expected[2]


BEARING_REFUSED: list[tuple[str, Any, type[GeoError], list[str]]] = [
    ("361", 361, InvalidIntervalError, ["'361'", "[0, 360]"]),
    ("text-361", "361°", InvalidIntervalError, ["'361°'", "[0, 360]"]),
    ("inf", float("inf"), InvalidIntervalError, ["'inf'", "[0, 360]"]),
    ("nan", float("nan"), InvalidIntervalError, ["'nan'"]),
    ("negative", "-90", ParseError, ["'-90'", "compass word"]),
    ("whole-circle", "0:360", InvalidIntervalError, ["'0:360'", "whole circle"]),
    ("empty-interval", "30:30", InvalidIntervalError, ["30:30", "empty"]),
    ("quadrant-95", "N95E", InvalidIntervalError, ["'N95E'", "[0, 90]"]),
    ("misspelt", "NEE", ParseError, ["'NEE'", "WNW"]),
]


@pytest.mark.parametrize(
    ("value", "error", "needles"), [c[1:] for c in BEARING_REFUSED], ids=[c[0] for c in BEARING_REFUSED]
)
def test_parse_bearing_refuses(value: Any, error: type[GeoError], needles: list[str]) -> None:
    with pytest.raises(error) as info:
        relative.parse_bearing(value)
    for n in needles:
        assert n in str(info.value), (n, str(info.value))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("350:10", (350.0, 10.0, False)),
        ("N45E", (45.0, 45.0, False)),
        ("S45E", (135.0, 135.0, False)),
        ("N10W", (350.0, 350.0, False)),
        ("360", (0.0, 0.0, False)),
        ("north", (348.75, 11.25, True)),
    ],
)
def test_parse_bearing_reads(value: str, expected: tuple[float, float, bool]) -> None:
    assert relative.parse_bearing(value) == expected


RANGE_REFUSED: list[tuple[str, Any, type[GeoError], list[str]]] = [
    ("reversed", "350-300", InvalidIntervalError, ["'350-300'", "reversed"]),
    ("open", "300-", ParseError, ["'300-'", "R1-R2"]),
    ("nm", "500 nm", ParseError, ["'500 nm'", "not in km", "926 km"]),
    ("nm-interval", "500-600nm", ParseError, ["926-1111.2 km"]),
    ("decimal-comma", "250,5", ParseError, ["'250,5'", "250.5"]),
    ("zero", "0", InvalidDistanceError, ["'0'", "positive"]),
]


@pytest.mark.parametrize(
    ("value", "error", "needles"), [c[1:] for c in RANGE_REFUSED], ids=[c[0] for c in RANGE_REFUSED]
)
def test_parse_range_refuses(value: Any, error: type[GeoError], needles: list[str]) -> None:
    with pytest.raises(error) as info:
        uncertainty.parse_range(value)
    for n in needles:
        assert n in str(info.value), (n, str(info.value))


def test_parse_range_reads_thousands_and_dashes() -> None:
    assert uncertainty.parse_range("1,380") == ("exact", 1380.0, 0.0)
    assert uncertainty.parse_range("900–1000") == ("uniform", 900.0, 1000.0)


def test_relative_place_beyond_the_antipode_in_the_users_unit() -> None:
    with pytest.raises(InvalidDistanceError) as info:
        relative.relative_place("Okushiri Island", "10000 nm", "W")
    message = str(info.value)
    assert "18520 km (as given: '10000 nm')" in message and "+/-10 %" in message and "radius_m" not in message


def test_library_geodesy_keeps_metres() -> None:
    with pytest.raises(
        InvalidDistanceError, match=r"radius_m=21000000 reaches beyond the antipode .* m away"
    ):
        geodesy.ring(0.0, 0.0, 21_000_000)
    with pytest.raises(InvalidDistanceError, match=r"radius_m must be positive, got 0\.0"):
        geodesy.ring(0.0, 0.0, 0.0)


# ---------------------------------------------------------------- CLI

HAM = "Hamhung"

CLI_REFUSED = [
    (["locate", "--from", HAM, "--distance-km", "-5", "--bearing", "W"], ["'-5'", "negative"]),
    (["locate", "--from", HAM, "--distance-km", "0", "--bearing", "W"], ["'0'", "zero"]),
    (["locate", "--from", HAM, "--distance-km", "350-300", "--bearing", "W"], ["'350-300'", "backwards"]),
    (["locate", "--from", HAM, "--distance-km", "300-", "--bearing", "W"], ["'300-'"]),
    (["locate", "--from", HAM, "--distance-km", "300", "--bearing", "361"], ["'361'", "[0, 360]"]),
    (
        ["locate", "--from", "Okushiri Island", "--distance-km", "19000", "--bearing", "W"],
        ["19000 km", "+/-10 %"],
    ),
    (["assess", "--site", HAM, "--range-km", "500", "--azimuth", "361"], ["361", "[0, 360]"]),
    (["assess", "--site", HAM, "--range-km", "500nm"], ["'500nm'", "926 km"]),
    (
        ["ring", "--lat", "40", "--lon", "130", "--radius-km", "25000"],
        ["--radius-km 25000", "antipode", "km away"],
    ),
]


@pytest.mark.parametrize(("args", "needles"), CLI_REFUSED, ids=[" ".join(a) for a, _ in CLI_REFUSED])
def test_cli_refuses(args: list[str], needles: list[str]) -> None:
    r = run_cli(args)
    assert_clear_error(r, *needles)
    assert "radius_m" not in r.err


def test_cli_reversed_range_json() -> None:
    err = assert_json_error(
        run_cli(["assess", "--site", HAM, "--range-km", "350-300", "--json"]), "'350-300'"
    )
    assert err["type"] == "InvalidIntervalError"


@pytest.mark.parametrize(
    ("bearing", "expected", "best"),
    [("350:10", [350.0, 10.0], 0.0), ("N45E", [45.0, 45.0], 45.0), ("S30W", [210.0, 210.0], 210.0)],
)
def test_cli_bearings_read_right(bearing: str, expected: list[float], best: float) -> None:
    r = run_cli(["locate", "--from", HAM, "--distance-km", "300", "--bearing", bearing, "--json"])
    assert r.code == 0, r.err
    d = json.loads(r.out)
    assert d["bearing_deg"] == expected and d["best_bearing_deg"] == pytest.approx(best)
    ham = places.lookup(HAM)
    lon, lat, _ = geodesy.direct(ham.lon, ham.lat, best, 300_000.0)
    assert (d["lon"], d["lat"]) == pytest.approx((lon, lat))
