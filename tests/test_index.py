"""The grid index gives exactly the rows of geopandas.sjoin(predicate='intersects')."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo import geodesy
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


@pytest.mark.parametrize("cell_deg", [0.25, 0.1])
def test_same_rows_as_sjoin_including_vertices_and_grid_lines(
    polygons: gpd.GeoDataFrame, cell_deg: float
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
    idx = GridIndex.build(polygons.geometry.values, cell_deg=cell_deg)
    p, q = idx.query(x, y)
    got = set(zip(p.tolist(), q.tolist(), strict=True))
    assert got == _pairs_sjoin(x, y, polygons)
    assert len(got) > n // 10  # the test exercises hits, not only misses
    assert 0 < idx.stats["boundary_share"] < 0.5


def test_points_outside_the_grid_and_nan_match_nothing(polygons: gpd.GeoDataFrame) -> None:
    idx = GridIndex.build(polygons.geometry.values, cell_deg=0.5)
    p, _ = idx.query([0.0, np.nan, -170.0], [0.0, 40.0, np.nan])
    assert p.size == 0


def test_empty_index() -> None:
    p, q = GridIndex.build([], cell_deg=1.0).query([1.0], [1.0])
    assert p.size == 0 and q.size == 0
