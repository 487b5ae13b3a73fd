"""Shared fixtures and helpers for the test suite."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REFERENCE = SHARED / "reference"

GEOD = Geod(ellps="WGS84")
EARTH_AREA_M2 = 510_065_621_724_088.5  # WGS84 ellipsoid, GeographicLib's Geodesic.AREA


def reference_disc_area_m2(lon: float, lat: float, radius_m: float, n: int = 36_000) -> float:
    """GeographicLib's area of an unsplit counter-clockwise ring of n geodesic-circle vertices.

    Independent of geo: vertices straight from Geod.fwd, area from Geod.polygon_area_perimeter,
    with the Earth's area added back when the signed area comes back wrapped.
    """
    az = np.linspace(360.0, 0.0, n, endpoint=False)
    x, y, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_m))
    area, _ = GEOD.polygon_area_perimeter(x, y)
    return float(area + EARTH_AREA_M2 if area < 0 else area)


@pytest.fixture
def reference_dir() -> Path:
    if not REFERENCE.is_dir():
        pytest.skip(f"reference data not found at {REFERENCE}")
    return REFERENCE
