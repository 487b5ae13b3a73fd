"""Bad-input corpus, coverage: a point where the zone layers have no data is never high seas.

A regional folder covers its manifest's box: the NW Pacific bundle folder, lon 100 to 180,
lat 0 to 65, pinned here with ``GEO_BOUNDARIES_DIR`` (without it, points outside the box go to
the bundled world layers, tests/test_world_cases.py). Outside the box a point assessment is refused (OutsideCoverageError, exit 2 with one line), a sample counts as
``outside_coverage``, and a catalogue row gets that outcome instead of failing the run.
Longitude 180 and -180 are one meridian, and every longitude at a pole is one point.
"""

from __future__ import annotations

import doctest
import json

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo import assess, parallel, uncertainty
from geo._errors import GeoError
from geo.assess import HIGH_SEAS, OUTSIDE_COVERAGE, OutsideCoverageError, ZoneIndex, assess_point

from .conftest import assert_clear_error, assert_json_error, run_cli


@pytest.fixture(autouse=True)
def _regional_folder(monkeypatch: pytest.MonkeyPatch):
    """Every case here is about a regional folder's edge: the NW Pacific bundle folder."""
    from geo._resources import bundle_dir

    monkeypatch.setenv("GEO_BOUNDARIES_DIR", str(bundle_dir()))
    assess.zone_index.cache_clear()
    yield
    assess.zone_index.cache_clear()


OUTSIDE = {
    "paris": (2.35, 48.85),
    "kauai": (-159.5, 22.05),
    "sea-off-aceh": (94.5, 5.5),
    "south-pole": (0.0, -90.0),
    "north-pole": (0.0, 90.0),
    "north-pole-lon-135": (135.0, 90.0),
    "west-edge-outside-99.99E": (99.99, 6.0),
    "south-edge-outside-0.01S": (120.0, -0.01),
    "north-edge-outside-65.01N": (150.0, 65.01),
    "east-edge-outside-179.99W": (-179.99, 60.0),
}

# Just inside each edge of the box: the owner the bundle gives there (measured).
INSIDE = {
    "west-edge-inside-100.01E": ((100.01, 6.0), "MYS"),
    "south-edge-inside-0.01N": ((120.0, 0.01), "land:IDN"),
    "north-edge-inside-64.99N": ((150.0, 64.99), "land:RUS"),
    "east-edge-inside-179.99E": ((179.99, 60.0), "RUS"),
    "true-high-seas-150E-30N": ((150.0, 30.0), HIGH_SEAS),
}


@pytest.fixture(scope="module")
def zi() -> ZoneIndex:
    return assess.zone_index(None)


@pytest.mark.parametrize("lonlat", OUTSIDE.values(), ids=OUTSIDE.keys())
def test_point_outside_the_bundle_is_refused_naming_it_and_the_fix(
    zi: ZoneIndex, lonlat: tuple[float, float]
) -> None:
    lon, lat = lonlat
    with pytest.raises(
        OutsideCoverageError, match=r"outside the area the zone layers cover .*geo boundaries import"
    ) as e:
        assess_point(lon, lat, zones=zi)
    assert f"lat {lat!r}" in str(e.value) and "lon 100 to 180, lat 0 to 65" in str(e.value)
    assert zi.owner([lon], [lat]).tolist() == [OUTSIDE_COVERAGE]


@pytest.mark.parametrize(("lonlat", "owner"), INSIDE.values(), ids=INSIDE.keys())
def test_point_just_inside_an_edge_keeps_its_answer(
    zi: ZoneIndex, lonlat: tuple[float, float], owner: str
) -> None:
    a = assess_point(*lonlat, zones=zi)
    assert a.probability == {owner: 1.0} and not a.outside_coverage


def test_owner_never_says_high_seas_outside(zi: ZoneIndex) -> None:
    lon, lat = np.array(list(OUTSIDE.values())).T
    assert set(zi.owner(lon, lat).tolist()) == {OUTSIDE_COVERAGE}


@pytest.mark.parametrize(
    "lon", [180.0, -180.0, 179.9999, 540.0 - 360.0], ids=["180", "-180", "179.9999", "540-360"]
)
def test_antimeridian_spellings_give_one_answer(zi: ZoneIndex, lon: float) -> None:
    a = assess_point(lon, 51.8, zones=zi)
    assert a.eez == "USA" and a.nearest_coast["country"] == "USA"


def test_180_and_minus_180_give_identical_assessments(zi: ZoneIndex) -> None:
    east, west = assess_point(180.0, 51.8, zones=zi), assess_point(-180.0, 51.8, zones=zi)
    assert east.to_dict() == west.to_dict()


def test_a_pole_is_one_point_whatever_the_longitude() -> None:
    cap = shapely.box(-180, 80, 180, 90)  # a polar cap in lon/lat: the North Pole is in it
    eez = gpd.GeoDataFrame(
        {"kind": ["eez"], "sovereign": ["NOR"], "status": ["claimed"], "claimants": ["NOR"]},
        geometry=[cap.intersection(shapely.box(0, 80, 30, 90))],
        crs="EPSG:4326",
    )
    whole = ZoneIndex({"eez": eez})  # coverage None: the caller vouches for the whole Earth
    lons = [0.0, 15.0, 123.0, -180.0, 180.0, -45.0]
    assert whole.owner(lons, [90.0] * 6).tolist() == ["NOR"] * 6
    assert whole.owner(lons, [-90.0] * 6).tolist() == [HIGH_SEAS] * 6


def test_coverage_box_across_the_antimeridian() -> None:
    eez = gpd.GeoDataFrame(
        {"kind": ["eez"], "sovereign": ["FJI"], "status": ["claimed"], "claimants": ["FJI"]},
        geometry=[shapely.box(175, -20, 180, -15)],
        crs="EPSG:4326",
    )
    zi = ZoneIndex({"eez": eez}, coverage=(170, -25, -170, -10))
    assert zi.covers([175, -175, 180, 0, 175], [-18, -18, -18, -18, -26]).tolist() == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert zi.owner([-175, 180], [-18, -18]).tolist() == [HIGH_SEAS, "FJI"]


@pytest.mark.parametrize(
    "box", [(100, 0, 100, 65), (100, 65, 180, 0), (100, 0, 180, 95), ("a", 0, 1, 2), (1, 2, 3)], ids=str
)
def test_bad_coverage_box_is_refused(box: object) -> None:
    eez = gpd.GeoDataFrame(
        {"kind": ["eez"], "sovereign": ["JPN"], "status": ["claimed"], "claimants": ["JPN"]},
        geometry=[shapely.box(140, 30, 141, 31)],
        crs="EPSG:4326",
    )
    with pytest.raises(GeoError, match="coverage"):
        ZoneIndex({"eez": eez}, coverage=box)


def test_vague_report_straddling_the_west_edge(zi: ZoneIndex) -> None:
    s = uncertainty.from_site((100.1, 5.5), range_km="5-30", n=4000, seed=3)  # off Penang, across 100 E
    west = float(np.mean(np.asarray(s.lon) < 100.0))
    assert 0.2 < west < 0.8
    a = assess.assess_samples(s, zones=zi)
    assert a.probability[OUTSIDE_COVERAGE] == pytest.approx(west, abs=1e-12)
    assert HIGH_SEAS not in a.probability
    assert any("outside the zone layers' coverage" in x for x in a.assumptions)


def test_vague_report_centred_outside_is_refused(zi: ZoneIndex) -> None:
    s = uncertainty.from_site((2.35, 48.85), range_km="100-200", n=500, seed=1)
    with pytest.raises(
        OutsideCoverageError, match=r"central point .*\(100\.0% of its 500 samples are outside too\)"
    ):
        assess.assess_samples(s, zones=zi)


def test_report_mode_gives_the_outcome_instead_of_an_error(zi: ZoneIndex) -> None:
    a = assess_point(2.35, 48.85, zones=zi, outside="report")
    assert a.probability == {OUTSIDE_COVERAGE: 1.0} and a.eez is None and a.outside_coverage
    assert a.nearest_coast == {"country": None, "distance_km": None} and a.distance_to_eez_limit_km == {}
    assert "outside the zone layers' coverage" in a.summary()


def test_distances_do_not_pretend_outside(zi: ZoneIndex) -> None:
    # 10 km west of the box edge, next to Malaysian waters: no signed distance, no coast.
    assert zi.distance_to_limits_km(99.9, 6.0) == {}
    d, c = zi.nearest_coast([99.9, 100.1], [6.0, 6.0])
    assert np.isnan(d[0]) and c[0] == "" and np.isfinite(d[1]) and c[1]


def test_near_the_edge_the_assumptions_say_a_nearer_limit_may_lie_beyond(zi: ZoneIndex) -> None:
    a = assess_point(100.01, 6.0, zones=zi)
    note = [x for x in a.assumptions if x.startswith("coverage: its edge")]
    assert len(note) == 1 and " 1.1 km away" in note[0]  # 0.01 deg of longitude at 6 N


def test_dask_classification_says_outside_coverage(zi: ZoneIndex) -> None:
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy([2.35, 150.0], [48.85, 30.0]), crs="EPSG:4326")
    out = parallel.classify_frame(pts, zones=zi)
    assert out[parallel.OWNER_COLUMN].tolist() == [OUTSIDE_COVERAGE, HIGH_SEAS]


def test_cli_assess_outside_is_one_clear_line() -> None:
    r = run_cli(["assess", "--lat", "48.85", "--lon", "2.35"])
    assert_clear_error(r, "lat 48.85, lon 2.35", "outside", "geo boundaries import")


def test_cli_assess_outside_json_error_object() -> None:
    r = run_cli(["assess", "--lat", "22.05", "--lon", "-159.5", "--json"])
    err = assert_json_error(r, "lat 22.05, lon -159.5", "outside")
    assert err["type"] == "OutsideCoverageError"


@pytest.mark.parametrize("lon", ["180", "-180", "179.9999"])
def test_cli_antimeridian_spellings(lon: str) -> None:
    r = run_cli(["assess", "--lat", "51.8", "--lon", lon, "--json"])
    assert r.code == 0, r.err
    assert json.loads(r.out)["eez"] == "USA"


def test_assess_events_rows_outside_coverage(tmp_path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "events.csv"
    f.write_text(
        "date,name,lat,lon\n2024-01-01,paris,48.85,2.35\n2024-01-02,sea of japan,40.0,134.0\n"
        "2024-01-03,south pole,-90,0\n",
        encoding="utf-8",
    )
    r = run_cli(["assess-events", str(f), "--json"])
    assert r.code == 0, r.err
    rows = json.loads(r.out)["events"]
    assert [x["verdict"] for x in rows] == [OUTSIDE_COVERAGE, "RUS", OUTSIDE_COVERAGE]
    assert rows[0]["nearest_coast_km"] is None and rows[0]["eez"] is None


def test_the_doctests_of_coverage_run(monkeypatch: pytest.MonkeyPatch) -> None:
    # as a user runs them: the bundle, the world included (Paris is French land there)
    monkeypatch.delenv("GEO_BOUNDARIES_DIR", raising=False)
    assess.zone_index.cache_clear()
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for obj in (assess.assess_point, assess.ZoneIndex.covers):
        for t in finder.find(obj, globs=vars(assess).copy()):
            runner.run(t)
    assert runner.summarize(verbose=False).failed == 0
    assert runner.summarize(verbose=False).attempted >= 5
