"""Geodesic primitives and shapes: exactness, validity, the antimeridian and the poles."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
import shapely
from conftest import EARTH_AREA_M2, GEOD, reference_disc_area_m2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from geo import geodesy as g
from geo._errors import InvalidCoordinateError, InvalidDistanceError, InvalidIntervalError

HAMHUNG = (127.5364, 39.9183)
PYONGYANG = (125.7625, 39.0392)


def _antipode(lon: float, lat: float) -> Point:
    return Point(float(g.normalize_lon(lon + 180.0)), -lat)


def _vertices(geom: shapely.Geometry) -> np.ndarray:
    """Vertices that come from the curve, not from cuts at +/-180 deg or closures along a pole."""
    xy = shapely.get_coordinates(geom)
    keep = (np.abs(np.abs(xy[:, 0]) - 180.0) > 1e-9) & (np.abs(np.abs(xy[:, 1]) - 90.0) > 1e-9)
    return xy[keep]


# --------------------------------------------------------------------- direct / inverse


@pytest.mark.parametrize("scalar", [True, False])
def test_direct_inverse_round_trip_scalar_and_array(scalar: bool) -> None:
    lon = 127.5 if scalar else np.array([127.5, -179.9, 0.0])
    lat = 39.9 if scalar else np.array([39.9, -60.0, 89.0])
    lon2, lat2, _ = g.direct(lon, lat, 77.0, 1_234_567.0)
    az, _, d = g.inverse(lon, lat, lon2, lat2)
    assert isinstance(d, float) == scalar
    np.testing.assert_allclose(d, 1_234_567.0, atol=1e-6)
    np.testing.assert_allclose(az, 77.0, atol=1e-9)


def test_direct_normalises_longitude_beyond_180() -> None:
    a = g.direct(200.0, 10.0, 0.0, 1000.0)
    b = g.direct(-160.0, 10.0, 0.0, 1000.0)
    assert a == pytest.approx(b)


@pytest.mark.parametrize(
    ("lon", "lat", "match"),
    [
        (0.0, 91.0, r"latitude must be within \[-90, 90\].*91"),
        (0.0, float("nan"), "latitude must be a finite"),
        (float("nan"), 0.0, "longitude must be a finite"),
        (400.0, 0.0, r"longitude must be within \[-360, 360\].*400"),
        (0.0, float("inf"), "latitude must be a finite"),
    ],
)
def test_bad_coordinates_are_refused_with_the_value(lon: float, lat: float, match: str) -> None:
    with pytest.raises(InvalidCoordinateError, match=match):
        g.direct(lon, lat, 0.0, 1.0)
    with pytest.raises(InvalidCoordinateError, match=match):
        g.ring(lon, lat, 1000.0)


def test_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="latitude"):
        g.inverse(0, 95, 0, 0)


# --------------------------------------------------------------------- rings


@pytest.mark.parametrize(
    ("center", "radius_m"),
    [
        (HAMHUNG, 1_000e3),
        (HAMHUNG, 13_000e3),
        (PYONGYANG, 19_000e3),
        ((179.5, 40.0), 1_000e3),
        ((0.0, 90.0), 500e3),
    ],
)
def test_every_ring_vertex_is_at_the_radius_within_1mm(center: tuple[float, float], radius_m: float) -> None:
    disc = g.ring(*center, radius_m)
    xy = _vertices(disc)
    _, _, d = GEOD.inv(np.full(len(xy), center[0]), np.full(len(xy), center[1]), xy[:, 0], xy[:, 1])
    assert np.max(np.abs(d - radius_m)) < 1e-3


def test_13000_km_ring_around_hamhung_encloses_the_north_pole() -> None:
    disc = g.ring(*HAMHUNG, 13_000e3)
    assert disc.is_valid
    assert disc.contains(Point(HAMHUNG))
    assert disc.intersects(Point(0.0, 90.0))
    assert disc.contains(Point(45.0, 89.9))
    assert not disc.contains(_antipode(*HAMHUNG))
    ref = reference_disc_area_m2(*HAMHUNG, 13_000e3)
    assert g.geodesic_area_m2(disc) == pytest.approx(ref, rel=1e-3)
    # The measured 36,000-vertex reference of PITFALLS.md: 370.5005 M km2.
    assert ref / 1e12 == pytest.approx(370.5005, abs=5e-4)


def test_19000_km_ring_around_pyongyang_holds_both_poles_but_not_the_antipode() -> None:
    disc = g.ring(*PYONGYANG, 19_000e3)
    assert disc.is_valid
    assert disc.contains(Point(PYONGYANG))
    assert disc.intersects(Point(0.0, 90.0))
    assert disc.intersects(Point(0.0, -90.0))
    assert not disc.contains(_antipode(*PYONGYANG))
    assert g.geodesic_area_m2(disc) == pytest.approx(reference_disc_area_m2(*PYONGYANG, 19_000e3), rel=1e-3)


def test_1000_km_ring_at_179_5_e_is_split_and_survives_geojson() -> None:
    disc = g.ring(179.5, 40.0, 1_000e3)
    assert disc.geom_type == "MultiPolygon"
    xs = shapely.get_coordinates(disc)[:, 0]
    assert xs.min() == -180.0 and xs.max() == 180.0
    # No edge jumps across the map.
    for part in disc.geoms:
        assert np.all(np.abs(np.diff(np.asarray(part.exterior.coords)[:, 0])) < 180.0)
    back = shape(json.loads(json.dumps(shapely.geometry.mapping(disc))))
    assert back.is_valid
    assert back.equals_exact(disc, tolerance=1e-12)
    assert g.geodesic_area_m2(back) == pytest.approx(3.1352e12, rel=1e-3)


def test_ring_is_counter_clockwise_for_geojson() -> None:
    for part in shapely.get_parts(g.ring(179.5, 40.0, 1_000e3)):
        assert part.exterior.is_ccw


@pytest.mark.parametrize(
    ("radius_m", "match"),
    [
        (-5.0, "must be positive"),
        (0.0, "must be positive"),
        (float("nan"), "finite"),
        (2.1e7, "beyond the antipode"),
    ],
)
def test_bad_radius(radius_m: float, match: str) -> None:
    with pytest.raises(InvalidDistanceError, match=match):
        g.ring(*HAMHUNG, radius_m)


def test_radius_inside_the_cut_locus_is_refused_not_wrong() -> None:
    limit = g.antipodal_distance_m(*PYONGYANG)
    with pytest.raises(InvalidDistanceError, match="cut locus"):
        g.ring(*PYONGYANG, limit - 1_000.0)


def test_tiny_ring_keeps_its_area() -> None:
    disc = g.ring(10.0, 0.0, 1.0)
    assert g.geodesic_area_m2(disc) == pytest.approx(np.pi, rel=1e-3)


@pytest.mark.parametrize("tolerance_m", [100.0, 10.0])
def test_edges_stay_within_tolerance_of_the_circle(tolerance_m: float) -> None:
    disc = g.ring(*HAMHUNG, 3_000e3, tolerance_m=tolerance_m)
    xy = np.asarray(disc.exterior.coords)
    mids = (xy[:-1] + xy[1:]) / 2.0  # straight lon/lat midpoints, as GIS draws them
    _, _, d = GEOD.inv(np.full(len(mids), HAMHUNG[0]), np.full(len(mids), HAMHUNG[1]), mids[:, 0], mids[:, 1])
    assert np.max(np.abs(d - 3_000e3)) <= tolerance_m


# --------------------------------------------------------------------- annulus, sector, ellipse


def test_annulus_area_is_difference_of_discs() -> None:
    a = g.annulus(*HAMHUNG, 5_000e3, 13_000e3)
    assert a.is_valid
    expected = reference_disc_area_m2(*HAMHUNG, 13_000e3) - reference_disc_area_m2(*HAMHUNG, 5_000e3)
    assert g.geodesic_area_m2(a) == pytest.approx(expected, rel=1e-3)
    assert not a.contains(Point(HAMHUNG))
    assert a.intersects(Point(0.0, 90.0))


def test_sector_across_north_and_its_area() -> None:
    s = g.sector(*HAMHUNG, 1_000e3, "350:10")
    assert s.is_valid
    inside_lon, inside_lat, _ = GEOD.fwd(*HAMHUNG, 5.0, 500e3)
    outside_lon, outside_lat, _ = GEOD.fwd(*HAMHUNG, 20.0, 500e3)
    assert s.contains(Point(inside_lon, inside_lat))
    assert not s.contains(Point(outside_lon, outside_lat))
    assert g.geodesic_area_m2(s) == pytest.approx(reference_disc_area_m2(*HAMHUNG, 1_000e3) / 18, rel=1e-3)


def test_sector_over_the_pole_and_across_180() -> None:
    s = g.sector(0.0, 80.0, 3_000e3, "330:30")
    assert s.is_valid
    assert s.intersects(Point(0.0, 90.0))
    assert s.contains(Point(179.0, 85.0))  # beyond the pole on azimuth 0
    assert not s.contains(Point(0.0, 79.0))  # behind the centre
    assert g.geodesic_area_m2(s) == pytest.approx(reference_disc_area_m2(0.0, 80.0, 3_000e3) / 6, rel=2e-3)


def test_sector_with_ranges() -> None:
    s = g.sector(*HAMHUNG, 1_000e3, (60.0, 120.0), inner_m=500e3)
    assert s.is_valid
    near_lon, near_lat, _ = GEOD.fwd(*HAMHUNG, 90.0, 400e3)
    mid_lon, mid_lat, _ = GEOD.fwd(*HAMHUNG, 90.0, 750e3)
    assert not s.contains(Point(near_lon, near_lat))
    assert s.contains(Point(mid_lon, mid_lat))
    full = reference_disc_area_m2(*HAMHUNG, 1_000e3) - reference_disc_area_m2(*HAMHUNG, 500e3)
    assert g.geodesic_area_m2(s) == pytest.approx(full / 6, rel=1e-3)


def test_full_circle_sector_is_the_annulus() -> None:
    a = g.sector(*HAMHUNG, 1_000e3, "0:360", inner_m=200e3)
    b = g.annulus(*HAMHUNG, 200e3, 1_000e3)
    assert a.equals(b)


@pytest.mark.parametrize("text", ["30:30", "0:720", "10", "a:b", "10:20:30"])
def test_bad_azimuth_interval(text: str) -> None:
    with pytest.raises(InvalidIntervalError, match=re.escape(text) if text != "a:b" else "numbers"):
        g.parse_azimuth_interval(text)


def test_azimuth_interval_contains_across_north() -> None:
    iv = g.parse_azimuth_interval("350:10")
    assert iv.contains([355.0, 5.0, -5.0, 0.0]).tolist() == [True, True, True, True]
    assert iv.contains([20.0, 340.0, 180.0]).tolist() == [False, False, False]


def test_ellipse_area_and_orientation() -> None:
    e = g.ellipse(135.0, 40.0, 50_000.0, 20_000.0, 45.0)
    assert g.geodesic_area_m2(e) == pytest.approx(np.pi * 50_000 * 20_000, rel=2e-3)
    along = GEOD.fwd(135.0, 40.0, 45.0, 45_000.0)[:2]
    across = GEOD.fwd(135.0, 40.0, 135.0, 45_000.0)[:2]
    assert e.contains(Point(along)) and not e.contains(Point(across))


def test_ellipse_refuses_minor_larger_than_major() -> None:
    with pytest.raises(InvalidIntervalError, match="semi_minor_m"):
        g.ellipse(0.0, 0.0, 10.0, 20.0)


# --------------------------------------------------------------------- lines


def test_geodesic_line_across_180_is_split_on_the_meridian() -> None:
    line = g.geodesic_line(170.0, 50.0, -170.0, 50.0)
    assert line.geom_type == "MultiLineString"
    a, b = line.geoms
    assert a.coords[-1][0] == 180.0 and b.coords[0][0] == -180.0
    assert a.coords[-1][1] == pytest.approx(b.coords[0][1])
    # A geodesic between two points on the 50th parallel bulges poleward.
    assert a.coords[-1][1] > 50.0


def test_track_vertices_lie_on_the_geodesic() -> None:
    line = g.geodesic_line(*HAMHUNG, 140.0, 41.0)
    xy = shapely.get_coordinates(line)
    _, _, total = GEOD.inv(*HAMHUNG, 140.0, 41.0)
    _, _, d1 = GEOD.inv(np.full(len(xy), HAMHUNG[0]), np.full(len(xy), HAMHUNG[1]), xy[:, 0], xy[:, 1])
    _, _, d2 = GEOD.inv(xy[:, 0], xy[:, 1], np.full(len(xy), 140.0), np.full(len(xy), 41.0))
    np.testing.assert_allclose(d1 + d2, total, atol=1e-3)


def test_track_over_the_pole_goes_through_the_pole() -> None:
    line = g.geodesic_line(0.0, 80.0, 180.0, 80.0)
    assert line.geom_type == "MultiLineString"
    ys = [c[1] for part in line.geoms for c in part.coords]
    assert max(ys) == 90.0


# --------------------------------------------------------------------- properties

centres = st.tuples(
    st.floats(min_value=-180.0, max_value=179.999, allow_nan=False),
    st.floats(min_value=-89.5, max_value=89.5, allow_nan=False),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(centre=centres, radius_km=st.floats(min_value=0.01, max_value=19_500.0))
def test_property_ring_valid_contains_centre_and_area(centre: tuple[float, float], radius_km: float) -> None:
    lon, lat = centre
    disc = g.ring(lon, lat, radius_km * 1e3)
    assert disc.is_valid
    assert disc.intersects(Point(lon, lat))
    assert g.geodesic_area_m2(disc) == pytest.approx(
        reference_disc_area_m2(lon, lat, radius_km * 1e3, n=3600), rel=1e-3
    )
    assert not disc.contains(_antipode(lon, lat))
    xs = shapely.get_coordinates(disc)[:, 0]
    assert xs.min() >= -180.0 and xs.max() <= 180.0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    centre=centres,
    radius_km=st.floats(min_value=1.0, max_value=15_000.0),
    start=st.floats(min_value=0.0, max_value=359.0),
    width=st.floats(min_value=1.0, max_value=359.0),
)
def test_property_sector_valid_contains_its_middle_and_area(
    centre: tuple[float, float], radius_km: float, start: float, width: float
) -> None:
    lon, lat = centre
    s = g.sector(lon, lat, radius_km * 1e3, (start, start + width))
    assert s.is_valid
    mid_lon, mid_lat, _ = GEOD.fwd(lon, lat, start + width / 2.0, radius_km * 500.0)
    assert s.intersects(Point(mid_lon, mid_lat))
    # On the ellipsoid a sector's share of the disc is not exactly width/360: compare with
    # the sector's own geodesic polygon instead.
    n = 2000
    az = np.linspace(start, start + width, n)
    x, y, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_km * 1e3))
    ring_x = np.concatenate([[lon], x])[::-1]
    ring_y = np.concatenate([[lat], y])[::-1]
    area, _ = GEOD.polygon_area_perimeter(ring_x, ring_y)
    area = area + EARTH_AREA_M2 if area < 0 else area
    assert g.geodesic_area_m2(s) == pytest.approx(area, rel=2e-3)


@pytest.mark.parametrize(
    ("center", "radius_m"),
    [(HAMHUNG, 13_000e3), (PYONGYANG, 19_000e3), ((179.5, 40.0), 1_000e3), ((10.0, -89.0), 3_000e3)],
)
def test_split_area_equals_area_of_the_unsplit_vertex_ring(
    center: tuple[float, float], radius_m: float
) -> None:
    x, y = g.ring_vertices(*center, radius_m)
    area, _ = GEOD.polygon_area_perimeter(x, y)
    unsplit = area + EARTH_AREA_M2 if area < 0 else area
    assert g.geodesic_area_m2(g.ring(*center, radius_m)) == pytest.approx(unsplit, rel=1e-3)
