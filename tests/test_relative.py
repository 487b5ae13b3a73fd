"""Relative places: statements and structured input to a best point and a region."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from geo import geodesy, places, relative
from geo._errors import InvalidIntervalError, ParseError, PlaceNotFoundError


def test_about_250_km_west_of_okushiri_matches_the_direct_solution() -> None:
    loc = relative.locate("about 250 km west of Okushiri Island")
    ok = places.lookup("Okushiri Island")
    lon, lat, _ = geodesy.GEOD.fwd(ok.lon, ok.lat, 270.0, 250_000.0)
    _, _, miss = geodesy.GEOD.inv(loc.lon, loc.lat, lon, lat)
    assert miss < 100.0
    assert loc.distance_km == (225.0, 275.0)
    assert loc.bearing_deg == (258.75, 281.25)
    assert loc.region.is_valid
    assert loc.region.contains(Point(loc.lon, loc.lat))
    assert not loc.region.contains(Point(ok.lon, ok.lat))


@pytest.mark.parametrize(
    ("text", "distance", "bearing"),
    [
        ("300-350 km WNW of Cape Tappi", (300.0, 350.0), (281.25, 303.75)),
        (
            "approximately 200 nautical miles north-northwest of Oga Peninsula",
            (333.36, 407.44),
            (326.25, 348.75),
        ),
        (
            "fell in the Sea of Japan about 150 km north of the Noto Peninsula.",
            (135.0, 165.0),
            (348.75, 11.25),
        ),
        ("some 100 miles east of Kamaishi", (144.84096, 177.02784), (78.75, 101.25)),
        ("about 250 km west of Okushiri Island, Hokkaido", (225.0, 275.0), (258.75, 281.25)),
        ("1,000 km 90° of Hamhung", (900.0, 1100.0), (90.0, 90.0)),
    ],
)
def test_statements(text: str, distance: tuple[float, float], bearing: tuple[float, float]) -> None:
    loc = relative.locate(text)
    assert loc.distance_km == pytest.approx(distance)
    assert loc.bearing_deg == pytest.approx(bearing)
    assert loc.region.is_valid


def test_bearing_across_north_has_its_best_point_north() -> None:
    loc = relative.relative_place("Hamhung", 200, "350:10")
    assert loc.best_bearing_deg == pytest.approx(0.0)
    assert loc.lat > places.lookup("Hamhung").lat


def test_exact_bearing_gives_a_line_region_and_tolerance_widens_it() -> None:
    line = relative.relative_place("Hamhung", "300-350", 90)
    assert line.region.geom_type == "LineString"
    wide = relative.relative_place("Hamhung", "300-350", 90, bearing_tolerance_deg=5)
    assert wide.region.geom_type == "Polygon"
    assert wide.bearing_deg == (85.0, 95.0)


@pytest.mark.parametrize("unit", ["km", "nm", "mi"])
def test_structured_units(unit: str) -> None:
    loc = relative.relative_place("Okushiri Island", 100, "W", unit=unit, distance_fraction=0)
    assert loc.best_distance_km == pytest.approx(100 * relative.UNITS_KM[unit])


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ("somewhere off Japan", ParseError, "cannot read 'somewhere off Japan'"),
        ("about 250 km west of Atlantis", PlaceNotFoundError, "unknown place 'Atlantis'"),
        ("350-300 km west of Okushiri Island", InvalidIntervalError, "runs backwards"),
        ("250 km NEE of Okushiri Island", ParseError, "bearing 'NEE'"),
    ],
)
def test_bad_statements(text: str, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        relative.locate(text)


def test_bad_structured_values() -> None:
    with pytest.raises(ParseError, match="cannot read distance 'far'"):
        relative.relative_place("Hamhung", "far", "W")
    with pytest.raises(ParseError, match="unknown distance unit 'leagues'"):
        relative.relative_place("Hamhung", 100, "W", unit="leagues")
    with pytest.raises(InvalidIntervalError, match="empty"):
        relative.relative_place("Hamhung", 100, "30:30")
