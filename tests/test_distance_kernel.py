"""The compiled candidate search of LineDistance (geo._distance_kernel): its tree, and the same answers as the KD-tree path."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import shapely

from geo import geodesy
from geo._distance import LineDistance
from geo._distance_bounds import HALF_EQUATOR, R_MAX, R_MIN, SLACK_M, ecef
from geo._distance_kernel import compiled_candidates, compiled_order_pairs, morton, order_pairs

pytest.importorskip("numba")


@pytest.fixture(scope="module")
def lines() -> list[shapely.LineString]:
    raw = [
        geodesy.ring(135.0, 38.0, 300e3).exterior,
        geodesy.ring(140.0, 42.0, 150e3).exterior,
        shapely.LineString([(130, 30), (131, 35), (129, 40)]),
        shapely.LineString([(179.2, 50.0), (-179.5, 51.0), (-178.0, 50.5)]),  # across the antimeridian
        shapely.LineString([(0.0, 89.5), (90.0, 89.6), (180.0, 89.4)]),  # round the North Pole
    ]
    return [shapely.segmentize(line, 0.05) for line in raw]


def _points(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    lon = np.concatenate([rng.uniform(120, 150, n), rng.uniform(175, 185, n // 4) - 360 * (rng.random(n // 4) < 0.5),
                          rng.uniform(-180, 180, n // 8)])  # fmt: skip
    lat = np.concatenate([rng.uniform(25, 50, n), rng.uniform(45, 56, n // 4), rng.uniform(85, 90, n // 8)])
    return np.where(lon > 180, lon - 360, lon), lat


def _engines(ld: LineDistance) -> tuple[LineDistance, LineDistance]:
    return dataclasses.replace(ld, engine="kdtree"), dataclasses.replace(ld, engine="compiled")


def test_every_edge_lies_inside_its_leaf_and_every_child_inside_its_parent(
    lines: list[shapely.LineString],
) -> None:
    ld = LineDistance.build(lines, per_line=True)
    bt = ld._ball_tree
    leaf = np.flatnonzero(bt.left < 0)
    for node in leaf:
        e = bt.order[bt.lo[node] : bt.hi[node]]
        assert e.size >= 1
        for end in (ld.a_ecef[e], ld.b_ecef[e]):
            d = _to_chord(end, bt.start[node], bt.stop[node])
            assert (d + ld.sag[e] <= bt.radius[node]).all()
    inner = np.flatnonzero(bt.left >= 0)
    for node in inner:
        for child in (bt.left[node], bt.right[node]):
            ends = np.stack([bt.start[child], bt.stop[child]])
            assert (
                _to_chord(ends, bt.start[node], bt.stop[node]) + bt.radius[child] <= bt.radius[node]
            ).all()
    # Each edge in exactly one leaf, each line's tree holding only its own edges.
    covered = np.concatenate([bt.order[bt.lo[n] : bt.hi[n]] for n in leaf])
    np.testing.assert_array_equal(np.sort(covered), np.arange(ld.az.size))
    assert (bt.root >= 0).sum() == len(lines)


def _to_chord(v: np.ndarray, s0: np.ndarray, s1: np.ndarray) -> np.ndarray:
    d = s1 - s0
    t = np.clip((v - s0) @ d / max(float(d @ d), 1e-300), 0.0, 1.0)
    return np.linalg.norm(v - s0 - t[:, None] * d, axis=1)


def test_compiled_search_gives_the_kdtree_distances_to_the_nearest_line(
    lines: list[shapely.LineString],
) -> None:
    x, y = _points(4000, 1)
    kd, comp = _engines(LineDistance.build(lines))
    d0, _, _, w0 = kd.query(x, y)
    d1, _, _, w1 = comp.query(x, y)
    np.testing.assert_allclose(d1, d0, rtol=0, atol=1e-6)
    np.testing.assert_array_equal(w1, w0)  # no ties between lines in these points


def test_compiled_search_gives_the_kdtree_distances_to_each_line_within_the_radius(
    lines: list[shapely.LineString],
) -> None:
    x, y = _points(3000, 2)
    kd, comp = _engines(LineDistance.build(lines, per_line=True))
    a = kd.nearest_per_line(x, y, within_m=400e3)
    b = comp.nearest_per_line(x, y, within_m=400e3)
    np.testing.assert_array_equal(b[0], a[0])  # the same (point, line) pairs ...
    np.testing.assert_array_equal(b[1], a[1])
    np.testing.assert_allclose(b[2], a[2], rtol=0, atol=1e-6)  # ... at the same distances
    assert (np.bincount(a[0]) >= 2).sum() > 100  # many points have more than one line within the radius
    assert np.setdiff1d(np.arange(x.size), a[0]).size > 0  # and some have none


def test_a_small_output_buffer_is_refilled_until_every_point_is_done(
    lines: list[shapely.LineString], monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo._distance as distance

    x, y = _points(500, 3)
    comp = dataclasses.replace(LineDistance.build(lines, per_line=True), engine="compiled")
    whole = comp.nearest_per_line(x, y, within_m=300e3)
    monkeypatch.setattr(distance, "_OUT_ROWS", 40)  # a few points a call
    refilled = comp.nearest_per_line(x, y, within_m=300e3)
    for a, b in zip(whole, refilled, strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_uncompiled_search_answers_as_the_compiled_one(lines: list[shapely.LineString]) -> None:
    import geo._distance_kernel as kernel

    compiled = compiled_candidates()
    assert compiled is not None
    ld = LineDistance.build(lines[:3], per_line=True)
    bt = ld._ball_tree
    x, y = _points(40, 4)
    p = np.ascontiguousarray(ecef(x, y))
    outs = []
    for fn in (compiled, kernel.candidates):
        out = [np.empty(4096, np.int64) for _ in range(3)] + [np.empty(4096), np.empty(4096)]
        i, m = fn(p, 0, 500e3, *bt.kernel_args(), R_MIN, R_MAX, SLACK_M, HALF_EQUATOR, *out)
        assert i == p.shape[0]
        outs.append([o[:m] for o in out])
    for a, b in zip(*outs, strict=True):
        np.testing.assert_array_equal(a, b)


def test_an_end_of_the_edge_is_taken_only_where_the_distance_grows_into_the_edge(
    lines: list[shapely.LineString],
) -> None:
    """The end shortcut (convexity) against Newton steps along every edge, for chord feet at an end."""
    ld = LineDistance.build(lines[:3])
    rng = np.random.default_rng(6)
    e = rng.integers(0, ld.az.size, 3000)
    # Points 1 m - 800 km from an end of each edge, in every direction.
    at_b = rng.random(3000) < 0.5
    vx, vy = np.where(at_b, ld.bx[e], ld.ax[e]), np.where(at_b, ld.by[e], ld.ay[e])
    px, py, _ = geodesy.GEOD.fwd(vx, vy, rng.uniform(0, 360, 3000), 10 ** rng.uniform(0, 5.9, 3000))
    t = np.where(at_b, 1.0, 0.0)
    d, fx, fy, _ = ld._nearest_on(px, py, e, t)
    d_newton, _, _, _ = ld._foot(px, py, e, t * ld.length[e])
    np.testing.assert_allclose(d, d_newton, rtol=0, atol=1e-5)  # Newton stops within 10 um
    took_end = (fx == vx) & (fy == vy)
    assert 0.2 < took_end.mean() < 0.8  # both branches are exercised


def test_morton_codes_keep_neighbours_together() -> None:
    rng = np.random.default_rng(8)
    lon, lat = rng.uniform(100, 180, 20000), rng.uniform(0, 65, 20000)
    p = ecef(lon, lat)
    step = np.linalg.norm(np.diff(p[np.argsort(morton(p))], axis=0), axis=1)
    rand = np.linalg.norm(np.diff(p, axis=0), axis=1)
    assert np.median(step) < np.median(rand) / 20


def test_one_point_can_be_asked_of_either_engine() -> None:
    ld = dataclasses.replace(LineDistance.build([shapely.LineString([(0, 0), (1, 1)])]), engine="kdtree")
    d_kd = ld.query([0.5], [0.4])[0]
    d_c = dataclasses.replace(ld, engine="compiled").query([0.5], [0.4])[0]
    np.testing.assert_allclose(d_c, d_kd, rtol=0, atol=1e-6)
    assert d_kd[0] > 1_000  # a real distance, not a zero both engines could share


def test_prepare_loads_the_kernel_and_then_small_batches_take_it_with_the_same_answers(
    lines: list[shapely.LineString], monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo._distance as distance

    monkeypatch.setattr(distance, "_KERNEL_RAN", False)
    ld = LineDistance.build(lines, per_line=True)
    x, y = _points(1_600, 7)  # 2,000 points: fewer than COMPILED_MIN_POINTS, more than WARM_MIN_POINTS
    assert ld._kernel(x.size) is None  # the kernel has not run in this process: the KD-tree path
    assert ld.prepare() is ld and distance._KERNEL_RAN
    assert ld._kernel(x.size) is not None and ld._kernel(10) is None
    assert LineDistance.build(lines)._kernel(x.size) is None  # one set of lines: the KD-tree path still
    got = ld.nearest_per_line(x, y, within_m=500e3)
    want = dataclasses.replace(ld, engine="kdtree").nearest_per_line(x, y, within_m=500e3)
    assert got[0].size == want[0].size > x.size // 2
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
    np.testing.assert_allclose(got[2], want[2], rtol=0, atol=1e-6)


def test_a_point_already_measured_is_reused_only_where_it_is_the_edge_end(
    lines: list[shapely.LineString],
) -> None:
    """Stage 2's reuse of stage 1's nearest point: the same answers, and used only at that point."""
    ld = LineDistance.build(lines[:3])
    rng = np.random.default_rng(7)
    e = rng.integers(0, ld.az.size, 2000)
    px, py, _ = geodesy.GEOD.fwd(ld.ax[e], ld.ay[e], rng.uniform(0, 360, 2000), 10 ** rng.uniform(0, 5.5, 2000))
    t = np.zeros(2000)  # every chord foot at A
    d, fx, fy, az = ld._nearest_on(px, py, e, t)
    # Seen: A itself for half the rows (the true azimuth and distance), a wrong point for the rest.
    half = np.arange(2000) < 1000
    az_a, _, d_a = geodesy.GEOD.inv(ld.ax[e], ld.ay[e], px, py)
    seen = (
        np.where(half, ld.ax[e], ld.ax[e] + 1.0), ld.ay[e].copy(),
        np.where(half, az_a, 0.0), np.where(half, d_a, 1.0),
    )  # fmt: skip
    d2, fx2, fy2, az2 = ld._nearest_on(px, py, e, t, seen)
    np.testing.assert_array_equal(d2, d)
    np.testing.assert_array_equal(fx2, fx)
    np.testing.assert_array_equal(fy2, fy)
    np.testing.assert_array_equal(az2, az)
    # A wrong "seen" at A's very coordinates would change the answer: it is used there.
    bad = (ld.ax[e].copy(), ld.ay[e].copy(), az_a, d_a + 5.0)
    d3, _, _, _ = ld._nearest_on(px, py, e, t, bad)
    took_a = (fx == ld.ax[e]) & (fy == ld.ay[e])
    assert took_a.any()
    np.testing.assert_allclose(d3[took_a], d[took_a] + 5.0, rtol=0, atol=1e-9)


def test_the_order_of_pairs_is_the_lexsort_by_point_distance_and_line_ties_included() -> None:
    rng = np.random.default_rng(7)
    n_points, rows = 500, 3000
    key = rng.choice(n_points * 21, rows, replace=False)  # (point, line) unique, as the search gives
    point, line = key // 21, key % 21
    d = rng.choice([0.0, 5.0, 12.5, 1e5, 3.3e5], rows)  # many equal distances at one point
    expected = np.lexsort((line, d, point))
    compiled = compiled_order_pairs()
    assert compiled is not None
    np.testing.assert_array_equal(compiled(point, d, line, n_points), expected)
    np.testing.assert_array_equal(order_pairs(point, d, line, n_points), expected)
    # and a row order that is not the identity: the test could fail
    assert not np.array_equal(expected, np.arange(rows))
