"""The grid index gives exactly the rows of geopandas.sjoin(predicate='intersects'), with either engine."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

import geo._index as index_
from geo import geodesy
from geo._grid_kernel import compiled_locate
from geo._index import GridIndex


@pytest.fixture(scope="module")
def polygons() -> gpd.GeoDataFrame:
    rng = np.random.default_rng(7)
    geoms = [
        geodesy.ring(
            float(rng.uniform(120, 180)), float(rng.uniform(10, 60)), float(rng.uniform(20e3, 900e3))
        )
        for _ in range(25)
    ]
    geoms += [geodesy.ring(179.5, 40.0, 1_000e3), geodesy.annulus(130.0, 40.0, 100e3, 600e3)]
    return gpd.GeoDataFrame(geometry=geoms, crs="EPSG:4326")


def _pairs_sjoin(x: np.ndarray, y: np.ndarray, polys: gpd.GeoDataFrame) -> set[tuple[int, int]]:
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs="EPSG:4326")
    j = gpd.sjoin(pts, polys, predicate="intersects")
    return set(zip(j.index.tolist(), j["index_right"].tolist(), strict=True))


ENGINES = ["numpy", pytest.param("compiled", marks=pytest.mark.skipif(compiled_locate() is None, reason="no numba"))]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("cell_deg", [0.25, 0.1])
def test_same_rows_as_sjoin_including_vertices_and_grid_lines(
    polygons: gpd.GeoDataFrame, cell_deg: float, engine: str
) -> None:
    rng = np.random.default_rng(11)
    n = 60_000
    x = rng.uniform(115, 181, n)
    y = rng.uniform(0, 72, n)
    verts = shapely.get_coordinates(polygons.geometry.values)[::7][:5_000]
    x[: len(verts)], y[: len(verts)] = verts[:, 0], verts[:, 1]  # on polygon vertices
    k = len(verts)
    x[k : k + 5_000] = np.round(x[k : k + 5_000], 1)  # on grid lines
    y[k : k + 5_000] = np.round(y[k : k + 5_000], 1)
    j = k + 5_000
    x[j : j + 5_000] = np.round(x[j : j + 5_000] * 8 / cell_deg) * cell_deg / 8  # on sub-cell lines
    y[j : j + 5_000] = np.round(y[j : j + 5_000] * 8 / cell_deg) * cell_deg / 8
    j += 5_000  # a hair off grid lines, either side: inside and just beyond the compiled snap's margin
    hair = rng.choice([-1e-12, 1e-12, -1e-9, 1e-9, -cell_deg * 1e-7, cell_deg * 1e-7, -1e-7, 1e-7], (2, 5_000))
    x[j : j + 5_000] = np.round(x[j : j + 5_000] / cell_deg) * cell_deg + hair[0]
    y[j : j + 5_000] = np.round(y[j : j + 5_000] / cell_deg) * cell_deg + hair[1]
    idx = GridIndex.build(polygons.geometry.values, cell_deg=cell_deg)
    p, q = idx.query(x, y, engine=engine)
    got = set(zip(p.tolist(), q.tolist(), strict=True))
    assert got == _pairs_sjoin(x, y, polygons)
    assert len(got) > n // 10  # the test exercises hits, not only misses
    assert 0 < idx.stats["boundary_share"] < 0.5
    order = np.lexsort((q, p))
    assert (order == np.arange(p.size)).all()  # sorted by point, then polygon, as sjoin's rows


@pytest.mark.parametrize("engine", ENGINES)
def test_points_on_and_within_a_hair_of_edges(polygons: gpd.GeoDataFrame, engine: str) -> None:
    """Points on every kind of edge, and 1e-9 deg (0.1 mm) to either side: the error-bound path."""
    edges = shapely.get_coordinates(polygons.geometry.values)
    a, b = edges[:-1][::3][:4_000], edges[1:][::3][:4_000]
    t = np.random.default_rng(3).uniform(0, 1, (a.shape[0], 1))
    on = a + t * (b - a)  # on an edge, up to rounding
    normal = np.stack([a[:, 1] - b[:, 1], b[:, 0] - a[:, 0]], axis=1)
    normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-300)
    pts = np.concatenate([on, on + 1e-9 * normal, on - 1e-9 * normal, a])
    idx = GridIndex.build(polygons.geometry.values, cell_deg=0.1)
    p, q = idx.query(pts[:, 0], pts[:, 1], engine=engine)
    got = set(zip(p.tolist(), q.tolist(), strict=True))
    assert got == _pairs_sjoin(pts[:, 0], pts[:, 1], polygons)


def test_engines_agree_on_a_million_points(polygons: gpd.GeoDataFrame) -> None:
    if compiled_locate() is None:
        pytest.skip("no numba")
    rng = np.random.default_rng(5)
    x, y = rng.uniform(115, 181, 1_000_000), rng.uniform(0, 72, 1_000_000)
    idx = GridIndex.build(polygons.geometry.values, cell_deg=0.1)
    a, b = idx.query(x, y, engine="numpy"), idx.query(x, y, engine="compiled")
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_the_default_engine_rents_numpy_until_the_kernel_pays_for_its_load(monkeypatch: pytest.MonkeyPatch) -> None:
    if compiled_locate() is None:
        pytest.skip("no numba")
    monkeypatch.setattr(index_, "_compiled_ran", False)
    monkeypatch.setattr(index_, "_numpy_points", 0)
    small, large = index_.COMPILED_MIN_POINTS - 1, index_.COMPILED_MIN_POINTS
    assert index_.default_engine(small) == "numpy"
    assert index_.default_engine(index_.COLD_MIN_POINTS) == "compiled"  # one query large enough to pay at once
    steps = -(-index_.COLD_MIN_POINTS // large)  # queries of `large` points until they reach COLD_MIN_POINTS
    engines = [index_.default_engine(large) for _ in range(steps)]
    assert engines == ["numpy"] * (steps - 1) + ["compiled"]
    assert index_._numpy_points == large * (steps - 1)  # small queries are not counted
    idx = GridIndex.build([shapely.box(0, 0, 1, 1)], cell_deg=0.5)
    assert [a.tolist() for a in idx.query([0.5, 2.0], [0.5, 2.0], engine="compiled")] == [[0], [0]]
    assert index_._compiled_ran  # once the kernel has run, every large query takes it
    assert index_.default_engine(large) == "compiled" and index_.default_engine(small) == "numpy"


def test_bad_engine_and_mismatched_sizes_are_refused(polygons: gpd.GeoDataFrame) -> None:
    idx = GridIndex.build(polygons.geometry.values[:2], cell_deg=1.0)
    with pytest.raises(ValueError, match="engine must be"):
        idx.query([1.0], [1.0], engine="gpu")
    with pytest.raises(ValueError, match="same size"):
        idx.query([1.0, 2.0], [1.0])


@pytest.mark.parametrize("engine", ENGINES)
def test_points_outside_the_grid_and_nan_match_nothing(polygons: gpd.GeoDataFrame, engine: str) -> None:
    idx = GridIndex.build(polygons.geometry.values, cell_deg=0.5)
    p, _ = idx.query([0.0, np.nan, -170.0, 1e300, np.inf], [0.0, 40.0, np.nan, 40.0, 40.0], engine=engine)
    assert p.size == 0


def test_empty_index() -> None:
    p, q = GridIndex.build([], cell_deg=1.0).query([1.0], [1.0])
    assert p.size == 0 and q.size == 0


def test_an_invalid_clip_is_not_clipped_again_into_its_complement() -> None:
    """Off Hainan, clip_by_rect left an invalid piece at one level; clipped again, it gave the
    complement in its cell, and a point 3 km outside the contiguous zone was in it."""
    from geo import zones

    cz = zones.load_zones("contiguous_zone").reset_index(drop=True)
    x, y = np.array([108.20426287210604, 108.29]), np.array([21.087182737325737, 21.05])
    expected = shapely.intersects_xy(cz.geometry.values[1], x, y).tolist()
    assert expected == [False, True]  # the facts: the first point is outside, the second inside
    idx = GridIndex.build(cz.geometry.values, cell_deg=0.1)  # the whole layer: its grid's blocks
    p, q = idx.query(x, y)
    assert p[q == 1].tolist() == [1]
