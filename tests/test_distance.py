"""Exact geodesic distances from points to lines, against a per-point azimuthal-equidistant reference."""

from __future__ import annotations

from pathlib import Path

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


@pytest.mark.slow
def test_1000_random_points_within_1_m_on_the_bundled_japan_limit() -> None:
    """The issue's check: 1,000 random points, distance to Japan's EEZ limit (Sea of Japan
    side), against a per-point azimuthal equidistant reference over geodesically densified edges."""
    from geo import assess
    from geo.assess.limits import limit_lines

    zi = assess.zone_index(None)
    land = shapely.get_coordinates(zi.frame("land").geometry.values)
    ld = limit_lines(zi.frame("eez").geometry.values, zi.labels("eez"), land, cut=zi._cut)["JPN"]
    box = (ld.ax > 128) & (ld.ax < 140) & (ld.ay > 34) & (ld.ay < 42)
    sub = LineDistance.from_segments(
        ld.ax[box], ld.ay[box], ld.bx[box], ld.by[box], np.zeros(int(box.sum()), np.int64)
    )
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(129, 139, 1000), rng.uniform(35, 41, 1000)
    d, *_ = sub.query(lon, lat)
    # Reference edges: each geodesic edge densified to <= 1 km with Geod.npts-equivalent fwd steps.
    segs = []
    for ax, ay, bx, by in zip(ld.ax[box], ld.ay[box], ld.bx[box], ld.by[box], strict=True):
        az, _, s = geodesy.GEOD.inv(ax, ay, bx, by)
        k = max(1, int(np.ceil(s / 1000.0)))
        x, y, _ = geodesy.GEOD.fwd(
            np.full(k + 1, ax), np.full(k + 1, ay), np.full(k + 1, az), np.linspace(0, s, k + 1)
        )
        segs.append(np.column_stack([x, y]))
    worst = 0.0
    for i in range(lon.size):
        aeqd = CRS.from_proj4(f"+proj=aeqd +lat_0={lat[i]} +lon_0={lon[i]} +datum=WGS84 +units=m")
        to = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)
        near = [
            s
            for s in segs
            if abs(s[0, 0] - lon[i]) < d[i] / 60_000 + 1 and abs(s[0, 1] - lat[i]) < d[i] / 80_000 + 1
        ]
        lines = []
        for s in near:
            x, y = to.transform(s[:, 0], s[:, 1])
            lines.append(np.column_stack([x, y]))
        ref = float(shapely.distance(shapely.Point(0, 0), shapely.MultiLineString(lines)))
        worst = max(worst, abs(ref - d[i]))
    print(f"worst difference from the AEQD reference over 1,000 points: {worst:.4f} m")
    assert worst < 1.0


def _dense_reference(lon: float, lat: float, ax: float, ay: float, bx: float, by: float) -> float:
    """Distance to one geodesic edge in the point's azimuthal equidistant projection, the edge
    densified to <= 2 m with Geod.fwd (independent of LineDistance's Newton search)."""
    az, _, s = geodesy.GEOD.inv(ax, ay, bx, by)
    k = max(1, int(np.ceil(s / 2.0)))
    x, y, _ = geodesy.GEOD.fwd(
        np.full(k + 1, ax), np.full(k + 1, ay), np.full(k + 1, az), np.linspace(0, s, k + 1)
    )
    aeqd = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")
    px, py = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True).transform(x, y)
    return float(shapely.distance(shapely.Point(0, 0), shapely.LineString(np.column_stack([px, py]))))


# One long geodesic edge each (cut into pieces by the index): near it, across the
# antimeridian, and near the North Pole.
_EDGES = {
    "long edge": (130.0, 30.0, 133.0, 34.0),
    "antimeridian": (179.5, 51.0, -179.2, 52.0),
    "pole": (0.0, 89.6, 120.0, 89.7),
}


@pytest.mark.parametrize("case", list(_EDGES))
def test_within_1_mm_of_the_reference_near_long_edges_the_antimeridian_and_the_pole(case: str) -> None:
    ax, ay, bx, by = _EDGES[case]
    ld = LineDistance.from_segments([ax], [ay], [bx], [by], [0])
    az, _, s = geodesy.GEOD.inv(ax, ay, bx, by)
    rng = np.random.default_rng(7)
    # Points 0.5 m - 30 km off the edge, on either side, at random places along it.
    along = rng.uniform(0.05, 0.95, 12) * s
    fx, fy, back = geodesy.GEOD.fwd(np.full(12, ax), np.full(12, ay), np.full(12, az), along)
    side = np.asarray(back) + 180.0 + rng.choice([-90.0, 90.0], 12)
    lon, lat, _ = geodesy.GEOD.fwd(fx, fy, side, 10 ** rng.uniform(-0.3, 4.5, 12))
    d, *_ = ld.query(lon, lat)
    ref = np.array([_dense_reference(a, b, ax, ay, bx, by) for a, b in zip(lon, lat, strict=True)])
    assert np.max(np.abs(d - ref)) < 1e-3


def test_cutting_edges_changes_no_answer(lines: list[shapely.LineString]) -> None:
    """Edges cut at 100 m, 250 m, 4 km or not at all: the same curve, the same distances."""
    rng = np.random.default_rng(11)
    lon, lat = rng.uniform(120, 150, 400), rng.uniform(25, 50, 400)
    coarse = [shapely.simplify(line, 0.3) for line in lines]  # few, long (up to ~100 km) edges
    results = [LineDistance.build(coarse, max_edge_m=m).query(lon, lat) for m in (100.0, 250.0, 4_000.0, 1e9)]
    assert LineDistance.build(coarse, max_edge_m=1e9).max_edge_m > 50_000  # the uncut edges are long
    for d, _, _, which in results[1:]:
        np.testing.assert_allclose(d, results[0][0], rtol=0, atol=1e-4)
        np.testing.assert_array_equal(which, results[0][3])


def test_chunks_give_the_answers_of_one_batch(
    lines: list[shapely.LineString], monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo._distance as distance

    rng = np.random.default_rng(5)
    lon, lat = rng.uniform(120, 150, 3000), rng.uniform(25, 50, 3000)
    ld = LineDistance.build(lines)
    whole = ld.query(lon, lat)
    monkeypatch.setattr(distance, "_CHUNK", 97)  # also cuts the k-doubling into small slices
    monkeypatch.setattr(distance, "_PAIRS", 500)
    chunked = ld.query(lon, lat)
    for a, b in zip(whole, chunked, strict=True):
        np.testing.assert_array_equal(a, b)


def test_non_finite_points_get_nan_and_no_line(lines: list[shapely.LineString]) -> None:
    d, fx, _, which = LineDistance.build(lines).query([np.nan, 131.0, 131.0], [35.0, np.inf, 35.0])
    assert np.isnan(d[:2]).all() and np.isnan(fx[:2]).all() and (which[:2] == -1).all()
    assert np.isfinite(d[2]) and which[2] >= 0


def test_max_edge_m_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_edge_m must be positive, got 0"):
        LineDistance.from_segments([130.0], [30.0], [131.0], [31.0], [0], max_edge_m=0)


# ---------------------------------------------------------------------- each line apart


def test_nearest_per_line_gives_each_lines_own_nearest_distance_within_the_radius(
    lines: list[shapely.LineString],
) -> None:
    """One per_line index answers as one index a line, for every line within the radius."""
    rng = np.random.default_rng(13)
    lon, lat = rng.uniform(115, 160, 2000), rng.uniform(15, 60, 2000)
    lon[:3], lat[:3] = np.nan, 35.0  # no row for a point with no position
    within = 400e3
    both = LineDistance.build(lines, per_line=True)
    point, line, d, fx, fy = both.nearest_per_line(lon, lat, within_m=within)
    assert (np.diff(point) >= 0).all() and point.min() >= 3
    for i, one in enumerate(lines):
        alone, *_ = LineDistance.build([one]).query(lon, lat)
        mine = line == i
        np.testing.assert_array_equal(point[mine], np.flatnonzero(alone <= within))
        np.testing.assert_allclose(d[mine], alone[alone <= within], rtol=0, atol=1e-6)
    _, _, check = geodesy.GEOD.inv(lon[point], lat[point], fx, fy)
    np.testing.assert_allclose(check, d, atol=1e-6)  # the nearest point is at that distance
    assert 0 < np.bincount(point).max() <= len(lines)  # some points near several lines


def test_nearest_per_line_needs_a_per_line_index_and_a_radius(lines: list[shapely.LineString]) -> None:
    from geo._errors import GeoError, InvalidDistanceError

    with pytest.raises(GeoError, match="per_line=True"):
        LineDistance.build(lines).nearest_per_line([131.0], [35.0], within_m=1e5)
    for bad in (0.0, -1.0, np.nan, np.inf):
        with pytest.raises(InvalidDistanceError, match="within_m must be a positive number"):
            LineDistance.build(lines, per_line=True).nearest_per_line([131.0], [35.0], within_m=bad)


@pytest.mark.parametrize("per_line", [False, True])
def test_saved_as_plain_arrays_and_loaded_back_it_answers_the_same(
    lines: list[shapely.LineString], tmp_path: Path, per_line: bool
) -> None:
    rng = np.random.default_rng(17)
    lon, lat = rng.uniform(120, 150, 500), rng.uniform(25, 50, 500)
    ld = LineDistance.build(lines, per_line=per_line, max_edge_m=1_000.0)
    arrays = ld.to_arrays()
    assert all(isinstance(v, np.ndarray) and v.dtype != object for v in arrays.values())
    np.savez(tmp_path / "ld.npz", **arrays)  # type: ignore[arg-type]
    with np.load(tmp_path / "ld.npz", allow_pickle=False) as saved:
        back = LineDistance.from_arrays(saved)
    for a, b in zip(ld.query(lon, lat), back.query(lon, lat), strict=True):
        np.testing.assert_array_equal(a, b)
    if per_line:
        for a, b in zip(
            ld.nearest_per_line(lon, lat, within_m=3e5),
            back.nearest_per_line(lon, lat, within_m=3e5),
            strict=True,
        ):
            np.testing.assert_array_equal(a, b)


def test_arrays_that_are_not_a_saved_index_are_refused(lines: list[shapely.LineString]) -> None:
    from geo._distance import LineDistanceArraysError

    arrays = LineDistance.build(lines).to_arrays()
    with pytest.raises(LineDistanceArraysError, match=r"missing \['tree_vx'\].*rebuild it"):
        LineDistance.from_arrays({k: v for k, v in arrays.items() if k != "tree_vx"})
    with pytest.raises(LineDistanceArraysError, match="layout 'geo-line-distance/0'"):
        LineDistance.from_arrays({**arrays, "format": np.array("geo-line-distance/0")})
    with pytest.raises(LineDistanceArraysError, match="disagree in length"):
        LineDistance.from_arrays({**arrays, "tree_edges": arrays["tree_edges"][:-1]})


@pytest.mark.slow
def test_every_bundled_limit_in_one_index_answers_as_one_index_a_country() -> None:
    """limit_index + nearest_per_line (one batched query) against limit_lines (one index a
    country, each queried alone): the same (point, country) pairs within 1,000 km, the same metres."""
    from geo import assess
    from geo.assess.limits import limit_index, limit_lines

    zi = assess.zone_index(None)
    eez, labels = zi.frame("eez").geometry.values, zi.labels("eez")
    land = shapely.get_coordinates(zi.frame("land").geometry.values)
    built = limit_index(eez, labels, land, cut=zi._cut)
    assert built is not None
    together, names = built
    alone = limit_lines(eez, labels, land, cut=zi._cut)
    assert names == sorted(alone) and len(names) >= 15
    rng = np.random.default_rng(23)
    lon, lat = rng.uniform(100, 180, 3000), rng.uniform(0, 65, 3000)
    point, line, d, _, _ = together.nearest_per_line(lon, lat, within_m=1e6)
    assert 2 < point.size / lon.size < 8  # a few countries within 1,000 km of a point, on average
    for i, name in enumerate(names):
        one, *_ = alone[name].query(lon, lat)
        mine = line == i
        np.testing.assert_array_equal(point[mine], np.flatnonzero(one <= 1e6))
        np.testing.assert_allclose(d[mine], one[one <= 1e6], rtol=0, atol=1e-6)
