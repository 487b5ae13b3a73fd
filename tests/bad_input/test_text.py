"""Bad-input corpus: relative text ("about 250 km west of Okushiri Island").

Every number-reading path of a statement either reads the numbers right (asserted) or
refuses with a message naming the value and the fix. Silent misreadings pinned here:
"250,5 km" read as 5 km, "300−350" (U+2212) read as 350, "300-350-400" read as 350-400,
"1e3 km" read as 3 km, "361°" read as 1°, a second distance in the text ignored.
"""

from __future__ import annotations

import json

import pytest

from bad_input.conftest import assert_clear_error, assert_json_error, run_cli
from geo import geodesy, places, relative
from geo._errors import GeoError, InvalidDistanceError, InvalidIntervalError, ParseError

OKU = "Okushiri Island"

# ---------------------------------------------------------------- read right (library)

READS = [
    ("about 1,000 km west of Okushiri Island", (900.0, 1100.0), (258.75, 281.25)),
    ("300–350 km west of Okushiri Island", (300.0, 350.0), (258.75, 281.25)),  # en dash
    ("300−350 km west of Okushiri Island", (300.0, 350.0), (258.75, 281.25)),  # U+2212 minus
    ("300 - 350 km west of Okushiri Island", (300.0, 350.0), (258.75, 281.25)),
    ("300 to 350 km west of Okushiri Island", (300.0, 350.0), (258.75, 281.25)),
    ("about 250 KM WEST of Okushiri Island", (225.0, 275.0), (258.75, 281.25)),
    ("about 250km west of Okushiri Island", (225.0, 275.0), (258.75, 281.25)),
    ("250 km wnw of Okushiri Island", (225.0, 275.0), (281.25, 303.75)),
    ("250 km WNW of Okushiri Island", (225.0, 275.0), (281.25, 303.75)),
    ("250 km west-northwest of Okushiri Island", (225.0, 275.0), (281.25, 303.75)),
    ("250 km West North West of Okushiri Island", (225.0, 275.0), (281.25, 303.75)),
    ("25 nm west of Okushiri Island", (41.67, 50.93), (258.75, 281.25)),
    ("250 km N45E of Okushiri Island", (225.0, 275.0), (45.0, 45.0)),
    ("250 km S30W of Okushiri Island", (225.0, 275.0), (210.0, 210.0)),
    ("250 km N 10° W of Okushiri Island", (225.0, 275.0), (350.0, 350.0)),
    ("250 km 045° of Okushiri Island", (225.0, 275.0), (45.0, 45.0)),
    ("250 km bearing 45 degrees of Okushiri Island", (225.0, 275.0), (45.0, 45.0)),
    ("250 km 350:10 of Okushiri Island", (225.0, 275.0), (350.0, 10.0)),
    ("250 km 350–10° of Okushiri Island", (225.0, 275.0), (350.0, 10.0)),
    ("about 250 km due west of Okushiri Island.", (225.0, 275.0), (258.75, 281.25)),
    ("~250 km west of Okushiri Island", (225.0, 275.0), (258.75, 281.25)),
]


@pytest.mark.parametrize(("text", "distance", "bearing"), READS, ids=[r[0] for r in READS])
def test_text_reads_right(text: str, distance: tuple[float, float], bearing: tuple[float, float]) -> None:
    loc = relative.locate(text)
    assert loc.distance_km == pytest.approx(distance)
    assert loc.bearing_deg == pytest.approx(bearing)
    ok = places.lookup(OKU)
    lon, lat, _ = geodesy.direct(ok.lon, ok.lat, loc.best_bearing_deg, loc.best_distance_km * 1e3)
    assert (loc.lon, loc.lat) == pytest.approx((lon, lat))


def test_thousands_separator_is_read_and_said() -> None:
    loc = relative.locate("about 1,000 km west of Okushiri Island")
    assert any("1,000" in a and "1000" in a for a in loc.assumptions), loc.assumptions


# ---------------------------------------------------------------- refused (library)

REFUSED = [
    ("about 250,5 km west of Okushiri Island", ParseError, ["'250,5'", "250.5"]),
    ("12,34 km west of Okushiri Island", ParseError, ["'12,34'", "12.34"]),
    ("300-350,5 km west of Okushiri Island", ParseError, ["'350,5'", "350.5"]),
    ("1.000,5 km west of Okushiri Island", ParseError, ["'1.000,5'"]),
    ("1,0000 km west of Okushiri Island", ParseError, ["'1,0000'"]),
    ("250.5.3 km west of Okushiri Island", ParseError, ["'250.5.3'"]),
    (".5 km west of Okushiri Island", ParseError, ["'.5'", "0.5"]),
    ("-250 km west of Okushiri Island", InvalidDistanceError, ["'-250 km'", "negative"]),
    ("−250 km west of Okushiri Island", InvalidDistanceError, ["'−250 km'", "negative"]),
    ("1e3 km west of Okushiri Island", ParseError, ["'1e3'"]),
    ("300-350-400 km west of Okushiri Island", ParseError, ["'300-350-400'"]),
    ("about 250 leagues west of Okushiri Island", ParseError, ["unknown distance unit 'leagues'", "km"]),
    ("250 km km west of Okushiri Island", ParseError, ["'250 km km west of Okushiri Island'"]),
    ("250kmwest of Okushiri Island", ParseError, ["'250kmwest of Okushiri Island'", "<distance>"]),
    (
        "100 km west of Okushiri Island, 200 km north of Hamhung",
        ParseError,
        ["2 distances", "'100 km'", "'200 km'"],
    ),
    ("about 100 km, 250 km west of Okushiri Island", ParseError, ["2 distances", "'100 km'", "'250 km'"]),
    ("250 km 361° of Okushiri Island", InvalidIntervalError, ["361", "[0, 360]"]),
    ("250 km 0:360 of Okushiri Island", InvalidIntervalError, ["'0:360'", "whole circle"]),
    ("250 km 400:10 of Okushiri Island", InvalidIntervalError, ["400", "[0, 360]"]),
    ("250 km N95E of Okushiri Island", InvalidIntervalError, ["'N95E'", "[0, 90]"]),
    ("250 km NE by N of Okushiri Island", ParseError, ["'250 km NE by N of Okushiri Island'"]),
    ("250 km NEE of Okushiri Island", ParseError, ["bearing 'NEE'"]),
    ("0 km west of Okushiri Island", InvalidDistanceError, ["'0 km'", "zero"]),
    (
        "19000 km west of Okushiri Island",
        InvalidDistanceError,
        ["19000 km", "17100-20900 km", "+/-10 %", "antipode", "20004 km", "interval"],
    ),
    ("300-21000 km west of Okushiri Island", InvalidDistanceError, ["300-21000 km", "antipode", "20004 km"]),
]


@pytest.mark.parametrize(("text", "error", "needles"), REFUSED, ids=[r[0] for r in REFUSED])
def test_text_refused(text: str, error: type[GeoError], needles: list[str]) -> None:
    with pytest.raises(error) as info:
        relative.locate(text)
    message = str(info.value)
    for n in needles:
        assert n in message, (n, message)
    assert "radius_m" not in message and " m away" not in message


# ---------------------------------------------------------------- CLI

CLI_ERRORS = [
    (["locate", "about 250,5 km west of Okushiri Island"], ["250,5", "250.5"]),
    (["assess", "--text", "about 250,5 km west of Okushiri Island"], ["250,5", "250.5"]),
    (["assess", "--from", OKU, "--distance-km", "250,5", "--bearing", "W"], ["250,5", "250.5"]),
    (["locate", "--from", OKU, "--distance-km", "250", "--bearing", "361"], ["361", "[0, 360]"]),
    (["locate", "about 19000 km west of Okushiri Island"], ["19000 km", "+/-10 %", "antipode"]),
    (["assess", "--text", "about 19000 km west of Okushiri Island"], ["19000 km", "+/-10 %", "antipode"]),
    (["locate", "about 250 leagues west of Okushiri Island"], ["leagues"]),
    (["locate", "300-350-400 km west of Okushiri Island"], ["300-350-400"]),
]


@pytest.mark.parametrize(("args", "needles"), CLI_ERRORS, ids=[" ".join(a) for a, _ in CLI_ERRORS])
def test_cli_text_refused(args: list[str], needles: list[str]) -> None:
    r = run_cli(args)
    assert_clear_error(r, *needles)
    assert "radius_m" not in r.err


def test_cli_text_refused_as_json() -> None:
    err = assert_json_error(
        run_cli(["assess", "--text", "about 250,5 km west of Okushiri Island", "--json"]), "250,5"
    )
    assert err["type"] == "ParseError"


@pytest.mark.parametrize(
    ("text", "distance", "bearing"),
    [
        ("300−350 km west of Okushiri Island", [300.0, 350.0], [258.75, 281.25]),
        ("250 km N45E of Okushiri Island", [225.0, 275.0], [45.0, 45.0]),
    ],
)
def test_cli_locate_reads_right(text: str, distance: list[float], bearing: list[float]) -> None:
    r = run_cli(["locate", text, "--json"])
    assert r.code == 0, r.err
    d = json.loads(r.out)
    assert d["distance_km"] == pytest.approx(distance)
    assert d["bearing_deg"] == pytest.approx(bearing)
