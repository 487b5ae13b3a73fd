"""Assessment on synthetic zone layers whose answers are known by construction."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from conftest import R200NM
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import geodesy, uncertainty
from geo.assess import HIGH_SEAS, UnknownPerspectiveError, ZoneIndex, assess_point, assess_samples


@pytest.fixture(scope="module")
def zones(synthetic_zones: dict[str, gpd.GeoDataFrame]) -> dict[str, gpd.GeoDataFrame]:
    return synthetic_zones


def test_owner_under_perspectives(zones: dict[str, gpd.GeoDataFrame]) -> None:
    lon = [141.0, 135.0, 137.0, 150.0, 140.0]
    lat = [40.0, 40.0, 40.0, 40.0, 40.0]
    assert ZoneIndex(zones).owner(lon, lat).tolist() == [
        "JPN",
        "KOR",
        "disputed:JPN+KOR",
        HIGH_SEAS,
        "land:JPN",
    ]
    assert ZoneIndex(zones, perspective="JPN").owner(lon, lat)[2] == "JPN"
    assert ZoneIndex(zones, perspective="kor").owner(lon, lat)[2] == "KOR"


def test_unknown_perspective(zones: dict[str, gpd.GeoDataFrame]) -> None:
    with pytest.raises(UnknownPerspectiveError, match="unknown perspective 'XYZ'"):
        ZoneIndex(zones, perspective="XYZ")


def test_point_assessment_distances_are_geodesic(zones: dict[str, gpd.GeoDataFrame]) -> None:
    zi = ZoneIndex(zones)
    # Due east of island A, 100 km outside its 200 nm limit.
    lon, lat, _ = geodesy.direct(140.0, 40.0, 90.0, R200NM + 100_000)
    a = assess_point(lon, lat, zones=zi)
    assert a.eez is None and a.probability == {HIGH_SEAS: 1.0}
    assert a.distance_to_eez_limit_km["JPN"] == pytest.approx(
        100.0, abs=0.15
    )  # edges within 100 m of the arc
    inside = assess_point(*geodesy.direct(140.0, 40.0, 90.0, R200NM - 50_000)[:2], zones=zi)
    assert inside.eez == "JPN"
    assert inside.distance_to_eez_limit_km["JPN"] == pytest.approx(-50.0, abs=0.15)
    assert inside.nearest_coast["country"] == "JPN"
    assert inside.nearest_coast["distance_km"] == pytest.approx((R200NM - 50_000 - 20_000) / 1e3, abs=0.15)


def test_point_on_land_and_exactly_on_a_limit(zones: dict[str, gpd.GeoDataFrame]) -> None:
    zi = ZoneIndex(zones)
    assert assess_point(140.0, 40.0, zones=zi).eez == "land:JPN"
    vertex = shapely.get_coordinates(zones["eez"].geometry.iloc[0])[5]
    on_line = assess_point(*vertex, zones=zi)
    assert on_line.eez == "JPN"  # a point on the limit counts as inside (closed zones)
    assert abs(on_line.distance_to_eez_limit_km["JPN"]) < 1e-6


def test_probabilities_sum_to_one_and_shrink_to_the_exact_verdict(zones: dict[str, gpd.GeoDataFrame]) -> None:
    zi = ZoneIndex(zones)
    wide = assess_samples(uncertainty.from_site((140.0, 40.0), range_km="300-500", n=4000, seed=1), zones=zi)
    assert sum(wide.probability.values()) == pytest.approx(1.0)
    assert len(wide.probability) >= 2
    exact = assess_point(*geodesy.direct(140.0, 40.0, 45.0, 250_000)[:2], zones=zi)
    tight = assess_samples(
        uncertainty.from_site((140.0, 40.0), range_km="249.9-250.1", azimuth="44.9:45.1", n=500, seed=1),
        zones=zi,
    )
    assert tight.probability == {exact.eez: 1.0}


@settings(max_examples=30, deadline=None)
@given(lon=st.floats(125, 150), lat=st.floats(30, 50))
def test_property_own_zone_has_probability_one(
    zones: dict[str, gpd.GeoDataFrame], lon: float, lat: float
) -> None:
    zi = ZoneIndex(zones)
    key = zi.owner([lon], [lat])[0]
    s = uncertainty.from_cep(lon, lat, cep_km=1e-6, n=50, seed=0)
    assert set(zi.owner(s.lon, s.lat).tolist()) <= {key} | _neighbours(zi, lon, lat)


def _neighbours(zi: ZoneIndex, lon: float, lat: float) -> set[str]:
    """Outcomes within a metre (a point that close to a line may fall either side)."""
    ring = geodesy.ring(lon, lat, 1.0)
    xy = shapely.get_coordinates(ring)
    return set(zi.owner(xy[:, 0], xy[:, 1]).tolist())


def test_matches_direct_point_in_polygon(zones: dict[str, gpd.GeoDataFrame]) -> None:
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(125, 150, 20_000), rng.uniform(30, 50, 20_000)
    got = ZoneIndex(zones, cell_deg=0.25).owner(lon, lat)
    pts = shapely.points(lon, lat)
    expected = np.full(lon.size, HIGH_SEAS, dtype=object)
    for geom, label in zip(
        zones["eez"].geometry.values[::-1], ["disputed:JPN+KOR", "KOR", "JPN"], strict=True
    ):
        expected[shapely.intersects(geom, pts)] = label
    for geom, label in zip(zones["land"].geometry.values, ["land:JPN", "land:KOR"], strict=True):
        expected[shapely.intersects(geom, pts)] = label
    assert (got == expected.astype(str)).all()


def test_nearest_coast_leaves_out_land_borders() -> None:
    # Two countries on one island, split at 131 E, sea all round: their border is no coast.
    island = geodesy.ring(131.0, 30.5, 60_000)
    west = island.intersection(shapely.box(100, 0, 131, 80))
    east = island.intersection(shapely.box(131, 0, 179, 80))
    disc = geodesy.ring(131.0, 30.5, 300_000)
    cols = {"kind": ["eez"] * 2, "sovereign": ["AAA", "BBB"], "status": ["claimed"] * 2}
    eez = gpd.GeoDataFrame(
        {**cols, "claimants": ["AAA", "BBB"]},
        geometry=[
            disc.intersection(shapely.box(100, 0, 131, 80)).difference(west),
            disc.intersection(shapely.box(131, 0, 179, 80)).difference(east),
        ],
        crs="EPSG:4326",
    )
    land = gpd.GeoDataFrame(
        {**cols, "kind": ["land"] * 2, "claimants": ["AAA", "BBB"]}, geometry=[west, east], crs="EPSG:4326"
    )
    zi = ZoneIndex({"eez": eez, "land": land})
    d, c = zi.nearest_coast([130.95], [30.5])  # 4.8 km west of the border, ~55 km from the shore
    xy = shapely.get_coordinates(shapely.segmentize(island.exterior, 0.0005))
    _, _, dist = geodesy.GEOD.inv(np.full(len(xy), 130.95), np.full(len(xy), 30.5), xy[:, 0], xy[:, 1])
    assert float(np.min(dist)) > 50_000
    assert c.tolist() == ["AAA"]
    assert d[0] == pytest.approx(float(np.min(dist)) / 1e3, abs=0.05)


@pytest.mark.parametrize(("lon", "lat"), [(127.5, 41.0), (127.0, 40.0), (126.8, 40.6)])
def test_inland_north_korea_nearest_coast_is_its_own_sea_coast(lon: float, lat: float) -> None:
    from geo import zones
    from geo.assess import zone_index

    zi = zone_index(None)
    d, c = zi.nearest_coast([lon], [lat])
    assert c.tolist() == ["PRK"]
    # Independent: PRK's land boundary where it meets the territorial sea, every ~100 m.
    window = shapely.box(lon - 4, lat - 3, lon + 4, lat + 3)
    land = zones.load_zones("land")
    prk = shapely.intersection(land.geometry[land["sovereign"] == "PRK"].union_all(), window)
    ts = zones.load_zones("territorial_sea")
    sea = shapely.intersection(ts.geometry.values, window)
    sea = shapely.buffer(shapely.union_all(sea[~shapely.is_empty(sea)]), 1e-6)
    coast = shapely.segmentize(shapely.intersection(shapely.boundary(prk), sea), 0.001)
    xy = shapely.get_coordinates(coast)
    _, _, dist = geodesy.GEOD.inv(np.full(len(xy), lon), np.full(len(xy), lat), xy[:, 0], xy[:, 1])
    assert d[0] == pytest.approx(float(np.min(dist)) / 1e3, abs=0.05)
