"""Property-based fuzzing of every parser: coordinates, distances, bearings, relative text,
event CSV rows and CNS cells.

Properties: on any input a parser returns or raises one of geo's own errors (a GeoError),
never anything else; what it returns is in range; and where a formatter exists, format then
parse gives the same numbers back. Derandomized, so CI sees the same examples every run.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import cns, events, geodesy, places, relative, uncertainty
from geo._errors import GeoError

FUZZ = settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)

# Tokens that steer random text into the parsers' deeper branches.
TOKENS = [
    "about", "~", "250", "250,5", "1,000", "300-350", "300–350", "300−350", "-", "−", ".", ",", "5",
    "km", "kms", "nm", "nautical miles", "mi", "miles", "leagues", "°", "deg", "degrees", "bearing",
    "N", "NNE", "wnw", "west", "north-northwest", "N45E", "S30W", "350:10", "0:360", "361", "to", "of",
    "from", "due", "the", "Okushiri Island", "Hamhung", "Cape Tappi", "Atlantis", ", Hokkaido", "1e3",
    "nan", "inf", "  ", "\t", "\n", "(", ")", "'", '"', "\u00a0", "２５０", "and", "between",
]  # fmt: skip
token_text = st.lists(st.sampled_from(TOKENS), max_size=12).map(" ".join)
any_text = st.one_of(
    st.text(max_size=40), token_text, st.lists(st.sampled_from(TOKENS), max_size=8).map("".join)
)
any_number = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**30), 10**30))
PLACES = ["Okushiri Island", "Hamhung", "Cape Tappi", "Noto Peninsula", "Kamaishi"]


def _only_geo_errors(fn: Any, *args: Any, **kw: Any) -> Any:
    """Call fn; a GeoError is an allowed outcome (returned as None), anything else fails the test."""
    try:
        return fn(*args, **kw)
    except GeoError:
        return None


# ---------------------------------------------------------------- coordinates


@FUZZ
@given(
    lon=st.one_of(any_number, any_text, st.none(), st.lists(any_number, max_size=4)),
    lat=st.one_of(any_number, any_text, st.none(), st.lists(any_number, max_size=4)),
)
def test_coordinates_any_input(lon: Any, lat: Any) -> None:
    out = _only_geo_errors(geodesy._check_lonlat, lon, lat)
    if out is not None:
        lon_a, lat_a = out
        assert np.all((lon_a >= -180) & (lon_a < 180)) and np.all(np.abs(lat_a) <= 90)


@FUZZ
@given(
    lon=st.floats(-360, 360),
    lat=st.floats(-90, 90),
    az=st.floats(0, 360),
    d=st.floats(0, 19_000_000),
)
def test_direct_inverse_round_trip(lon: float, lat: float, az: float, d: float) -> None:
    lon2, lat2, _ = geodesy.direct(lon, lat, az, d)
    _, _, back = geodesy.inverse(lon, lat, lon2, lat2)
    assert back == pytest.approx(d, abs=1e-3)


# ---------------------------------------------------------------- distances and bearings


@FUZZ
@given(text=st.one_of(any_text, any_number, st.tuples(any_number, any_number)))
def test_parse_distance_any_input(text: Any) -> None:
    out = _only_geo_errors(relative.parse_distance, text)
    if out is not None:
        lo, hi, _ = out
        assert math.isfinite(lo) and math.isfinite(hi) and 0 <= lo <= hi and hi > 0


three_dp = st.integers(1, 20_000_000).map(lambda n: n / 1000)


@FUZZ
@given(
    lo=three_dp,
    width=st.integers(0, 5_000_000).map(lambda n: n / 1000),
    unit=st.sampled_from(["km", "nm", "mi"]),
)
def test_parse_distance_round_trip(lo: float, width: float, unit: str) -> None:
    hi = lo + width
    factor = relative.UNITS_KM[unit]
    for text in (f"{lo:.3f}-{hi:.3f} {unit}", f"{lo:,.3f} to {hi:,.3f} {unit}", f"{lo:.3f}–{hi:.3f}{unit}"):
        got = relative.parse_distance(text)
        assert got[:2] == pytest.approx((lo * factor, hi * factor), rel=1e-12) and got[2] is True, text
    assert relative.parse_distance(f"about {lo:,.3f} {unit}") == pytest.approx(
        (lo * factor, lo * factor, False)
    )


@FUZZ
@given(text=st.one_of(any_text, any_number))
def test_parse_bearing_any_input(text: Any) -> None:
    out = _only_geo_errors(relative.parse_bearing, text)
    if out is not None:
        a, b, _ = out
        assert 0 <= a < 360 and 0 <= b < 360


deg_dp = st.integers(0, 360_000).map(lambda n: n / 1000)


@FUZZ
@given(a=deg_dp, b=deg_dp)
def test_parse_bearing_round_trip(a: float, b: float) -> None:
    assert relative.parse_bearing(f"{a:g}°") == (a % 360, a % 360, False)
    if (b - a) % 360 and b - a != 360:
        assert relative.parse_bearing(f"{a:g}:{b:g}") == (a % 360, b % 360, False)


@FUZZ
@given(
    angle=st.integers(0, 90_000).map(lambda n: n / 1000), ns=st.sampled_from("NS"), ew=st.sampled_from("EW")
)
def test_quadrant_bearing_round_trip(angle: float, ns: str, ew: str) -> None:
    az, _, _ = relative.parse_bearing(f"{ns}{angle:g}{ew}")
    back = (az if ns == "N" else 180 - az) % 360  # the angle from N (or S) toward E (or W)
    assert min(back, 360 - back) == pytest.approx(angle, abs=1e-9)
    assert (ew == "E") == (0 < az < 180) or angle in (0.0, 90.0) or az in (0.0, 180.0)


@pytest.mark.parametrize("i", range(16))
def test_compass_words_round_trip(i: int) -> None:
    abbr = relative.COMPASS_POINTS[i]
    word = "-".join({"N": "north", "E": "east", "S": "south", "W": "west"}[c] for c in abbr)
    for text in (abbr, abbr.lower(), word, word.replace("-", " ").upper()):
        lo, hi, compass = relative.parse_bearing(text)
        assert (
            compass
            and lo == pytest.approx((i * 22.5 - 11.25) % 360)
            and hi == pytest.approx((i * 22.5 + 11.25) % 360)
        )


@FUZZ
@given(text=st.one_of(any_text, any_number, st.tuples(any_number, any_number)))
def test_parse_range_any_input(text: Any) -> None:
    out = _only_geo_errors(uncertainty.parse_range, text)
    if out is not None:
        kind, a, b = out
        assert kind in {"exact", "normal", "uniform"} and math.isfinite(a) and math.isfinite(b)


# ---------------------------------------------------------------- relative text


@FUZZ
@given(text=any_text)
def test_locate_any_text(text: str) -> None:
    loc = _only_geo_errors(relative.locate, text)
    if loc is not None:
        assert loc.region.is_valid and -90 <= loc.lat <= 90
        assert loc.distance_km[1] > 0 and loc.distance_km[0] <= loc.distance_km[1]


@FUZZ
@given(
    place=st.sampled_from(PLACES),
    distance=st.one_of(any_text, any_number, st.tuples(any_number, any_number)),
    bearing=st.one_of(any_text, any_number),
)
def test_relative_place_any_values(place: str, distance: Any, bearing: Any) -> None:
    _only_geo_errors(relative.relative_place, place, distance, bearing)


@FUZZ
@given(
    d=st.integers(1_000, 5_000_000).map(lambda n: n / 1000),
    i=st.integers(0, 15),
    spelled=st.booleans(),
    place=st.sampled_from(PLACES),
    prefix=st.sampled_from(["", "about ", "fell some ", "approximately "]),
)
def test_well_formed_phrase_locates_to_the_direct_solution(
    d: float, i: int, spelled: bool, place: str, prefix: str
) -> None:
    abbr = relative.COMPASS_POINTS[i]
    word = (
        "-".join({"N": "north", "E": "east", "S": "south", "W": "west"}[c] for c in abbr) if spelled else abbr
    )
    loc = relative.locate(f"{prefix}{d:,.3f} km {word} of {place}")
    ref = places.lookup(place)
    lon, lat, _ = geodesy.direct(ref.lon, ref.lat, i * 22.5, d * 1e3)
    assert (loc.lon, loc.lat) == pytest.approx((lon, lat), abs=1e-9)
    assert loc.distance_km == pytest.approx((0.9 * d, 1.1 * d))


# ---------------------------------------------------------------- event CSV rows

CELLS = [
    "", " ", "a", "38", "38.5", "-38.5", "38,5", "38°N", "127°E", "91", "nan", "inf", "1e3", "Hamhung",
    "Atlantis", "950", "950+/-50", "900-1000", "1,380", "250,5", "500 nm", "30:150", "361", '"', '""',
    "x\ny", "\ufeff", "\x00", "—", "−", "2022-01-05",
]  # fmt: skip
COLUMNS = ["name", "date", "lat", "lon", "site", "range_km", "azimuth_deg", "Lat", "LAT", "note", ""]


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _csv_text(header: list[str], rows: list[list[str]], end: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    return buf.getvalue().removesuffix("\n") + end


@FUZZ
@given(
    header=st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=8),
    rows=st.lists(st.lists(st.sampled_from(CELLS), max_size=9), max_size=6),
    end=st.sampled_from(["", "\n", "\r\n"]),
    raw=st.one_of(st.none(), st.text(max_size=80), st.binary(max_size=80)),
)
def test_read_events_any_csv(
    fuzz_dir: Path, header: list[str], rows: list[list[str]], end: str, raw: str | bytes | None
) -> None:
    f = fuzz_dir / "events.csv"
    if isinstance(raw, bytes):
        f.write_bytes(raw)
    else:
        f.write_text(_csv_text(header, rows, end) if raw is None else raw, encoding="utf-8", newline="")
    out = _only_geo_errors(events.read_events, f)
    if out is not None:
        good, bad, _ = out
        seen = [e.row for e in good] + [e.row for e in bad]
        assert len(seen) == len(set(seen)) and all(r >= 2 for r in seen)
        for e in good:
            assert (e.lat is None) == (e.lon is None) and (e.lat is None or abs(e.lat) <= 90)


@FUZZ
@given(value=st.floats(-90, 90), as_hemisphere=st.booleans())
def test_degrees_round_trip(value: float, as_hemisphere: bool) -> None:
    text = f"{abs(value)!r}°{'N' if value >= 0 else 'S'}" if as_hemisphere else repr(value)
    if "e" in text:  # repr writes tiny values with an exponent, which cells do not use
        text = text.replace(repr(abs(value)), f"{abs(value):.20f}").replace(repr(value), f"{value:.20f}")
    assert events.degrees(text, "latitude") == pytest.approx(value, abs=1e-15)


# ---------------------------------------------------------------- CNS cells


@FUZZ
@given(text=st.one_of(any_text, any_number, st.none(), st.dates()))
def test_cns_cells_any_input(text: Any) -> None:
    for fn in (cns.parse_date, cns.parse_km):
        _only_geo_errors(fn, text)
    _only_geo_errors(cns._parse_coordinate, text, what="latitude", limit=90.0)
    if isinstance(text, str):
        _only_geo_errors(cns.landing_sector, 127.2, 39.3, text)


@FUZZ
@given(day=st.dates(min_value=date(1970, 1, 1), max_value=date(2069, 12, 31)))
def test_cns_date_round_trip(day: date) -> None:
    assert cns.parse_date(f"{day.day}-{day.strftime('%b')}-{day.strftime('%y')}") == (day.isoformat(), "day")
    assert cns.parse_date(day.isoformat()) == (day.isoformat(), "day")
    assert cns.parse_date(f"{day.month}/{day.day}/{day.year}") == (day.isoformat(), "day")
    assert cns.parse_date(f"{day.strftime('%b')}-{day.strftime('%y')}") == (day.isoformat()[:7], "month")


@FUZZ
@given(lo=st.integers(0, 10**8).map(lambda n: n / 100), width=st.integers(0, 10**6).map(lambda n: n / 100))
def test_cns_km_round_trip(lo: float, width: float) -> None:
    hi = lo + width
    assert cns.parse_km(f"{lo:,.2f} km") == pytest.approx((lo, lo))
    assert cns.parse_km(f"between {lo:.2f} and {hi:.2f} km") == pytest.approx((lo, hi))
    assert cns.parse_km(f"{lo:.2f}–{hi:.2f}") == pytest.approx((lo, hi))
