"""geo._zonebuild.land.country_of_points: the shape holding a point, else the nearest, also when no point is inside."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geo._zonebuild.land import country_of_points


def _countries() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"A3": ["AAA", "BBB"]}, geometry=[shapely.box(0, 0, 1, 1), shapely.box(5, 0, 6, 1)], crs="EPSG:4326"
    )


def test_inside_and_nearest() -> None:
    got = country_of_points(np.array([0.5, 5.5, 4.0]), np.array([0.5, 0.5, 0.5]), _countries())
    assert got.tolist() == ["AAA", "BBB", "BBB"]


def test_no_point_inside_any_shape() -> None:
    # every point outside both boxes: each takes its nearest shape (this raised IndexError before)
    got = country_of_points(np.array([2.0, 3.9]), np.array([0.5, 0.5]), _countries())
    assert got.tolist() == ["AAA", "BBB"]
