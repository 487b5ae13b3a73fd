"""Bad-input corpus: latitudes and longitudes, in the API (geo.geodesy) and on the command line.

Out of range, NaN, infinite, strings, None and arrays with one bad element are refused with
the value (and the index, for an array) named; exactly +/-90 and +/-180 answer right.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, shape

from bad_input.conftest import assert_clear_error, assert_json_error, run_cli
from geo import geodesy
from geo._errors import InvalidCoordinateError

REFUSED: list[tuple[str, Any, Any, list[str]]] = [
    ("lat-91", 139.0, 91.0, ["latitude", "91.0", "[-90, 90]", "swapped"]),
    ("lat-just-below-south-pole", 139.0, -90.0000001, ["latitude", "-90.0000001"]),
    ("lat-nan", 139.0, float("nan"), ["latitude", "finite", "nan"]),
    ("lon-inf", float("inf"), 38.0, ["longitude", "finite", "inf"]),
    ("lon-360.0001", 360.0001, 38.0, ["longitude", "360.0001", "[-360, 360]"]),
    ("lat-swapped", 38.0, 127.0, ["latitude", "127.0", "swapped"]),
    ("lat-decimal-comma-string", 139.0, "38,5", ["latitude", "'38,5'", "38.5"]),
    ("lat-word", 139.0, "north", ["latitude", "'north'"]),
    ("lon-None", None, 38.0, ["longitude", "None"]),
    ("lat-array-nan-at-2", 139.0, np.array([38.0, 39.0, np.nan]), ["latitude", "at index 2"]),
    ("lon-array-400-at-1", np.array([139.0, 400.0]), 38.0, ["longitude", "400.0", "at index 1"]),
    ("lat-2d-array", 139.0, np.array([[1.0, 2.0], [3.0, 95.0]]), ["latitude", "95.0", "at index (1, 1)"]),
    ("lat-list-with-text", 139.0, [38.0, "x"], ["latitude", "'x'"]),
]


@pytest.mark.parametrize(("lon", "lat", "needles"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_direct_refuses(lon: Any, lat: Any, needles: list[str]) -> None:
    with pytest.raises(InvalidCoordinateError) as info:
        geodesy.direct(lon, lat, 90.0, 1000.0)
    for n in needles:
        assert n in str(info.value), (n, str(info.value))


def test_inverse_names_which_point_and_index() -> None:
    with pytest.raises(InvalidCoordinateError, match=r"second point latitude .* got -91.0 at index 1"):
        geodesy.inverse([0.0, 0.0], [0.0, 0.0], [1.0, 1.0], [1.0, -91.0])


def test_numeric_strings_read_as_numbers() -> None:
    assert geodesy.direct("139.5", "38.5", 90.0, 1000.0) == geodesy.direct(139.5, 38.5, 90.0, 1000.0)


@pytest.mark.parametrize("lat", [90.0, -90.0])
def test_exactly_at_a_pole(lat: float) -> None:
    lon2, lat2, _ = geodesy.direct(17.0, lat, 180.0 if lat > 0 else 0.0, 111_000.0)
    _, _, d = geodesy.inverse(17.0, lat, lon2, lat2)
    assert d == pytest.approx(111_000.0, abs=1e-3)
    assert abs(lat2) == pytest.approx(89.0, abs=0.01)


def test_plus_and_minus_180_are_one_meridian() -> None:
    _, _, d = geodesy.inverse(180.0, 10.0, -180.0, 10.0)
    assert d == 0.0
    assert geodesy.normalize_lon(180.0) == geodesy.normalize_lon(-180.0) == -180.0
    assert geodesy.direct(180.0, 10.0, 90.0, 5e4) == pytest.approx(geodesy.direct(-180.0, 10.0, 90.0, 5e4))
    assert geodesy.direct(360.0, 10.0, 90.0, 5e4) == pytest.approx(geodesy.direct(0.0, 10.0, 90.0, 5e4))


# ---------------------------------------------------------------- CLI


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["ring", "--lat", "91", "--lon", "139", "--radius-km", "10"], ["latitude", "91", "swapped"]),
        (["ring", "--lat", "38", "--lon", "360.0001", "--radius-km", "10"], ["longitude", "360.0001"]),
        (["ring", "--lat", "nan", "--lon", "139", "--radius-km", "10"], ["latitude", "nan"]),
        (["assess", "--lat", "-90.0000001", "--lon", "139"], ["latitude", "-90.0000001"]),
        (["assess", "--lat", "inf", "--lon", "139"], ["latitude", "inf"]),
    ],
    ids=["ring-lat-91", "ring-lon-360.0001", "ring-lat-nan", "assess-lat-below-pole", "assess-lat-inf"],
)
def test_cli_refuses(args: list[str], needles: list[str]) -> None:
    assert_clear_error(run_cli(args), *needles)


def test_cli_decimal_comma_in_lat_json() -> None:
    err = assert_json_error(run_cli(["assess", "--lat", "38,5", "--lon", "139", "--json"]), "'38,5'", "--lat")
    assert err["type"] == "BadParameter"


def test_cli_ring_round_the_north_pole() -> None:
    r = run_cli(["ring", "--lat", "90", "--lon", "0", "--radius-km", "100"])
    assert r.code == 0, r.err
    disc = shape(json.loads(r.out)["geometry"])
    assert disc.is_valid and disc.covers(Point(0.0, 90.0)) and disc.covers(Point(120.0, 89.5))
    assert not disc.covers(Point(0.0, 89.0))


def test_cli_ring_at_plus_and_minus_180_is_the_same() -> None:
    a, b = (run_cli(["ring", "--lat", "10", "--lon", lon, "--radius-km", "300"]) for lon in ("180", "-180"))
    assert a.code == b.code == 0
    ga, gb = (shape(json.loads(r.out)["geometry"]) for r in (a, b))
    assert ga.geom_type == "MultiPolygon" and shapely.equals(ga, gb)
