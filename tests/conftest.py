"""Shared fixtures and helpers for the test suite."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

from geo import geodesy

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REFERENCE = SHARED / "reference"

GEOD = Geod(ellps="WGS84")
R200NM = 370_400.0
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


@pytest.fixture(scope="session")
def synthetic_zones() -> dict[str, gpd.GeoDataFrame]:
    """Island A (JPN) at 140E 40N, island B (KOR) at 134E 40N, 6 deg apart: their 200 nm
    discs overlap; the overlap west of 137E is KOR's, east JPN's, and a disputed square
    round a rock at 137E 40N is claimed by both."""
    land_a = geodesy.ring(140.0, 40.0, 20_000)
    land_b = geodesy.ring(134.0, 40.0, 20_000)
    disc_a = geodesy.ring(140.0, 40.0, R200NM)
    disc_b = geodesy.ring(134.0, 40.0, R200NM)
    west, east = shapely.box(100, 0, 137, 80), shapely.box(137, 0, 179, 80)
    dispute = shapely.box(136.8, 39.8, 137.2, 40.2)
    eez_a = disc_a.difference(disc_b.intersection(west)).difference(dispute).difference(land_a)
    eez_b = disc_b.difference(disc_a.intersection(east)).difference(dispute).difference(land_b)
    eez = gpd.GeoDataFrame(
        {
            "kind": ["eez"] * 3,
            "sovereign": ["JPN", "KOR", "JPN"],
            "status": ["equidistance", "equidistance", "disputed"],
            "claimants": ["JPN", "KOR", "JPN;KOR"],
        },
        geometry=[eez_a, eez_b, dispute.intersection(disc_a.union(disc_b))],
        crs="EPSG:4326",
    )
    land = gpd.GeoDataFrame(
        {
            "kind": ["land"] * 2,
            "sovereign": ["JPN", "KOR"],
            "status": ["equidistance"] * 2,
            "claimants": ["JPN", "KOR"],
        },
        geometry=[land_a, land_b],
        crs="EPSG:4326",
    )
    return {"eez": eez, "land": land}


@pytest.fixture
def patched(monkeypatch: pytest.MonkeyPatch, synthetic_zones: dict[str, gpd.GeoDataFrame]) -> None:
    """geo.assess.zone_index answers from the synthetic zones (one index per perspective)."""
    from geo import assess

    cache: dict[str | None, assess.ZoneIndex] = {}

    def fake(perspective: str | None = None, *, where: object = None, antarctic_claims: bool = False) -> assess.ZoneIndex:
        if perspective not in cache:
            cache[perspective] = assess.ZoneIndex(synthetic_zones, perspective=perspective)
        return cache[perspective]

    monkeypatch.setattr(assess, "zone_index", fake)


@pytest.fixture
def reference_dir() -> Path:
    if not REFERENCE.is_dir():
        pytest.skip(f"reference data not found at {REFERENCE}")
    return REFERENCE


# Scripts run by other interpreters (PyQGIS under the system Python), not collected here.
collect_ignore = ["clients"]
