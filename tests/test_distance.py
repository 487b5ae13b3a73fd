"""Exact geodesic distances from points to lines, against a per-point azimuthal-equidistant reference."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import CRS, Transformer

from geo import geodesy
from geo._distance import LineDistance


@pytest.fixture(scope="module")
def lines() -> list[shapely.LineString]:
    raw = [
        geodesy.ring(135.0, 38.0, 300e3).exterior,
        geodesy.ring(140.0, 42.0, 150e3).exterior,
        shapely.LineString([(130, 30), (131, 35), (129, 40)]),
    ]
    return [shapely.segmentize(line, 0.05) for line in raw]


def _aeqd_reference(lon: float, lat: float, lines: list[shapely.LineString]) -> float:
    """Distance in the point's own azimuthal equidistant projection (exact at its centre)."""
    aeqd = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    to = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)
    best = np.inf
    for line in lines:
        c = np.asarray(shapely.segmentize(line, 0.001).coords)  # ~100 m vertices
        x, y = to.transform(c[:, 0], c[:, 1])
        best = min(best, shapely.distance(shapely.Point(0, 0), shapely.LineString(np.column_stack([x, y]))))
    return float(best)


def test_within_1_m_of_azimuthal_equidistant_reference(lines: list[shapely.LineString]) -> None:
    rng = np.random.default_rng(3)
    lon = rng.uniform(125, 145, 60)
    lat = rng.uniform(28, 46, 60)
    d, fx, fy, which = LineDistance.build(lines).query(lon, lat)
    ref = np.array([_aeqd_reference(a, b, lines) for a, b in zip(lon, lat, strict=True)])
    assert np.max(np.abs(d - ref)) < 1.0
    # The nearest point returned is at that distance, and on the line it names.
    _, _, check = geodesy.GEOD.inv(lon, lat, fx, fy)
    np.testing.assert_allclose(check, d, atol=1e-6)
    on_line = shapely.distance(np.asarray(lines, dtype=object)[which], shapely.points(fx, fy))
    assert np.max(on_line) < 1e-4  # degrees: the foot lies on (the geodesic edge of) that line
    assert (which >= 0).all()


def test_point_on_a_vertex_is_at_zero(lines: list[shapely.LineString]) -> None:
    x, y = np.asarray(lines[2].coords)[3]
    d, *_ = LineDistance.build(lines).query([x], [y])
    assert d[0] == pytest.approx(0.0, abs=1e-6)
