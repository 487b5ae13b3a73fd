"""geo.frames.assess_frame: one vectorised entry point for points and polygons in any CRS."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Geod

from geo import geodesy
from geo._errors import GeoError, InvalidCoordinateError
from geo.assess import ZoneIndex
from geo.frames import RESULT_COLUMNS, assess_frame

GEOD = Geod(ellps="WGS84")


@pytest.fixture(scope="module")
def zi(synthetic_zones: dict[str, gpd.GeoDataFrame]) -> ZoneIndex:
    return ZoneIndex(synthetic_zones)


POINTS = [(140.0, 40.0), (140.5, 40.0), (134.5, 40.5), (150.0, 40.0), (137.0, 40.0)]
EXPECTED = ["land:JPN", "JPN", "KOR", "high_seas", "disputed:JPN+KOR"]


def test_arrays_give_one_row_per_point(zi: ZoneIndex) -> None:
    lon, lat = np.array(POINTS).T
    out = assess_frame(lon, lat, zones=zi)
    assert out["zone_owner"].tolist() == EXPECTED
    assert out.crs.to_epsg() == 4326
    assert list(out.columns[: len(RESULT_COLUMNS)]) == list(RESULT_COLUMNS)
    assert out["zone_kind"].tolist()[:4] == ["land", "eez", "eez", "high_seas"]


@pytest.mark.parametrize("kind", ["geometries", "geoseries", "geodataframe", "one point"])
def test_every_input_kind_gives_the_same_answers(zi: ZoneIndex, kind: str) -> None:
    pts = [shapely.Point(x, y) for x, y in POINTS]
    index = [f"r{i}" for i in range(len(pts))]
    data: object
    if kind == "geometries":
        data, expect_index = pts, list(range(len(pts)))
    elif kind == "geoseries":
        data, expect_index = gpd.GeoSeries(pts, index=index, crs="EPSG:4326"), index
    elif kind == "geodataframe":
        data = gpd.GeoDataFrame({"name": list("abcde")}, geometry=pts, index=index, crs="EPSG:4326")
        expect_index = index
    else:
        data, expect_index = pts[1], [0]
    out = assess_frame(data, zones=zi)
    n = 1 if kind == "one point" else len(pts)
    assert out["zone_owner"].tolist() == (EXPECTED[1:2] if n == 1 else EXPECTED)
    assert out.index.tolist() == expect_index
    if kind == "geodataframe":
        assert out["name"].tolist() == list("abcde")


def test_projected_input_is_reprojected(zi: ZoneIndex) -> None:
    pts = gpd.GeoSeries([shapely.Point(x, y) for x, y in POINTS], crs="EPSG:4326").to_crs("EPSG:3857")
    out = assess_frame(pts, zones=zi)
    assert out["zone_owner"].tolist() == EXPECTED
    assert out.crs.to_epsg() == 4326


def test_metres_without_a_crs_are_refused(zi: ZoneIndex) -> None:
    pts = gpd.GeoSeries([shapely.Point(x, y) for x, y in POINTS], crs="EPSG:4326").to_crs("EPSG:3857")
    with pytest.raises(InvalidCoordinateError, match=r"no CRS.*set_crs"):
        assess_frame(pts.set_crs(None, allow_override=True), zones=zi)


def test_crs_keyword_reads_bare_metres(zi: ZoneIndex) -> None:
    pts = gpd.GeoSeries([shapely.Point(x, y) for x, y in POINTS], crs="EPSG:4326").to_crs("EPSG:3857")
    out = assess_frame(list(pts), crs="EPSG:3857", zones=zi)
    assert out["zone_owner"].tolist() == EXPECTED


def test_coast_distance_is_geodesic(zi: ZoneIndex) -> None:
    out = assess_frame([140.5], [40.0], zones=zi)
    # Island A is a 20 km geodesic disc round 140E 40N; 140.5E is east of it.
    _, _, d = GEOD.inv(140.0, 40.0, 140.5, 40.0)
    assert out["coast_km"].iloc[0] == pytest.approx((d - 20_000) / 1e3, abs=0.2)
    assert out["coast_country"].iloc[0] == "JPN"


def test_polygon_shares_add_up_and_follow_the_median(zi: ZoneIndex) -> None:
    """A 1 deg square centred on the 137E median line: half JPN, half KOR, a disputed square inside."""
    square = shapely.box(136.5, 41.0, 137.5, 42.0)  # north of the disputed box (39.8-40.2N)
    out = assess_frame([square], zones=zi)
    share = out["area_share"].iloc[0]
    assert set(share) == {"JPN", "KOR"}
    assert share["JPN"] == pytest.approx(0.5, abs=0.01)
    assert sum(share.values()) == pytest.approx(1.0, abs=1e-9)
    assert out["area_km2"].iloc[0] == pytest.approx(geodesy.geodesic_area_m2(square) / 1e6)
    assert out["zone_kind"].iloc[0] == "polygon"


def test_polygon_partly_on_the_high_seas(zi: ZoneIndex) -> None:
    far = shapely.box(144.0, 39.5, 146.0, 40.5)  # straddles Japan's 200 nm limit (about 144.4E)
    share = assess_frame([far], zones=zi)["area_share"].iloc[0]
    assert set(share) == {"JPN", "high_seas"}
    assert 0.05 < share["JPN"] < 0.5
    assert sum(share.values()) == pytest.approx(1.0, abs=1e-9)


def test_points_and_polygons_mixed(zi: ZoneIndex) -> None:
    out = assess_frame([shapely.Point(140.5, 40.0), shapely.box(136.5, 41.0, 137.5, 42.0)], zones=zi)
    assert out["zone_owner"].iloc[0] == "JPN"
    assert np.isnan(out["area_km2"].iloc[0]) and out["area_km2"].iloc[1] > 0


@pytest.mark.parametrize(
    "bad, match",
    [
        ([shapely.LineString([(140, 40), (141, 41)])], "LineString"),
        ([shapely.Point()], "no geometry"),
        ("not geometry", "expected shapely geometries"),
    ],
    ids=["line", "empty point", "string"],
)
def test_bad_geometry_is_refused(zi: ZoneIndex, bad: object, match: str) -> None:
    with pytest.raises(GeoError, match=match):
        assess_frame(bad, zones=zi)


def test_bad_coordinates_are_refused(zi: ZoneIndex) -> None:
    with pytest.raises(InvalidCoordinateError, match="latitude"):
        assess_frame([140.0], [95.0], zones=zi)


def test_classify_frame_refuses_metres_without_crs(zi: ZoneIndex) -> None:
    """It used to answer high_seas for every row of a frame in metres with no CRS."""
    from geo.parallel import OWNER_COLUMN, classify_frame

    pts = gpd.GeoDataFrame(geometry=[shapely.Point(x, y) for x, y in POINTS], crs="EPSG:4326")
    assert classify_frame(pts.to_crs("EPSG:3857"), zones=zi)[OWNER_COLUMN].tolist() == EXPECTED
    bare = pts.to_crs("EPSG:3857").set_crs(None, allow_override=True)
    with pytest.raises(InvalidCoordinateError, match="set_crs"):
        classify_frame(bare, zones=zi)


def test_classify_frame_takes_polygons(zi: ZoneIndex) -> None:
    from geo.parallel import OWNER_COLUMN, classify_frame

    gdf = gpd.GeoDataFrame(geometry=[shapely.box(144.5, 39.5, 146.0, 40.5), shapely.Point(140.5, 40)],
                           crs="EPSG:4326")
    assert classify_frame(gdf, zones=zi)[OWNER_COLUMN].tolist() == ["high_seas", "JPN"]


def test_a_shape_split_at_180_picks_the_zones_of_where_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    # bounds of a shape split at 180 deg are -180..180: read as a box they would lie "inside" the
    # NW Pacific box; the region comes from its vertices (the Bering Sea's are outside that box)
    import geo.assess
    from geo import zones

    seen: list[Any] = []

    class StopError(Exception):
        pass

    def fake(perspective: Any, *, where: Any = None) -> Any:
        seen.append(where)
        raise StopError

    monkeypatch.setattr(geo.assess, "zone_index", fake)
    across = shapely.MultiPolygon([shapely.box(178.0, 51.0, 180.0, 60.0), shapely.box(-180.0, 51.0, -175.0, 60.0)])
    with pytest.raises(StopError):
        assess_frame(gpd.GeoSeries([across], crs="EPSG:4326"))
    assert zones.boundaries_dir(where=seen[0]).name == "world"
