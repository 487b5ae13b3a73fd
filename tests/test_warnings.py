"""geo.warnings, geo.assess.warnings and ``geo warning``: real published warnings (tests/data/warnings).

Every expected vertex below was read from the warning's text by hand and written as the
arithmetic of its notation (``28 + 15.25 / 60`` for 28-15.25N), not copied from the
parser. Sources and dates of the texts: examples/data/SOURCES.md, "Navigational warnings".
Assessments use the bundled NW Pacific zones and are checked against independent routes
(point look-ups of sampled points, the index's own nearest-coast distance, GeographicLib
areas of the raw vertices).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geo._errors import GeoError
from geo.geodesy import GEOD, geodesic_area_m2
from geo.warnings import NoAreaError, WarningParseError, coordinates, parse_warning, polygon

DATA = Path(__file__).parent / "data" / "warnings"
NM = 1852.0


def text(name: str) -> str:
    return (DATA / f"{name}.txt").read_text(encoding="utf-8")


def dm(d: float, m: float, s: float = 0.0) -> float:
    return d + m / 60 + s / 3600


def vertices(area) -> list[tuple[float, float]]:
    return list(zip(area.lon, area.lat, strict=True))


def assert_vertices(area, expected: list[tuple[float, float]]) -> None:
    assert len(area.lon) == len(expected), (area.name, len(area.lon))
    np.testing.assert_allclose(np.array(vertices(area)), np.array(expected), atol=1e-9)


# --------------------------------------------------------------------------- notations


@pytest.mark.parametrize(
    ("written", "lon", "lat"),
    [
        ("34-17.00N 127-12.00E", dm(127, 12), dm(34, 17)),
        ("3417N12712E", dm(127, 12), dm(34, 17)),
        ("34°17'N 127°12'E", dm(127, 12), dm(34, 17)),
        ("34 17 N - 127 12 E", dm(127, 12), dm(34, 17)),
        ("34-17N 127-12E", dm(127, 12), dm(34, 17)),
        ("34.2833N 127.2E", 127.2, 34.2833),
        ("34-17-30N 127-12-30E", dm(127, 12, 30), dm(34, 17, 30)),
        ("341730N 1271230E", dm(127, 12, 30), dm(34, 17, 30)),
        ("N3417E12712", dm(127, 12), dm(34, 17)),
        ("34° 17' 30\" N., 127° 12' 30\" W.", -dm(127, 12, 30), dm(34, 17, 30)),
        ("34°17′30″N,127°12′30″E", dm(127, 12, 30), dm(34, 17, 30)),
        ("56.5 degrees north, 151.3 degrees west", -151.3, 56.5),
        ("05-17-31S 138-47-34W", -dm(138, 47, 34), -dm(5, 17, 31)),
    ],
)
def test_notations(written: str, lon: float, lat: float) -> None:
    [(_, x, y)] = coordinates(written)
    assert x == pytest.approx(lon, abs=1e-12) and y == pytest.approx(lat, abs=1e-12)


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("A. 34-17.00N 127-12.00, 34-17N 128E, 33N 127E.", "'34-17.00N'"),  # longitude without its hemisphere
        ("A. 34-61.00N 127-12.00E, 34-17N 128E, 33N 127E.", "60 or more"),
        ("A. 94-10.00N 127-12.00E, 34-17N 128E, 33N 127E.", "off the globe"),
    ],
)
def test_unreadable_coordinate_names_the_line(written: str, says: str) -> None:
    with pytest.raises(WarningParseError, match="line 1") as exc:
        parse_warning(written)
    assert says in str(exc.value)


def test_no_area_and_too_few_vertices() -> None:
    with pytest.raises(NoAreaError):
        parse_warning("NORTH PACIFIC.\n1. GUNNERY EXERCISES.\n")
    with pytest.raises(NoAreaError):
        parse_warning("   \n")
    with pytest.raises(WarningParseError, match=r"area A \(line 2\) has 2 vertex"):
        parse_warning("AREA BOUND BY\nA. 34-17N 127-12E, 34-20N 127-30E.\n")


# --------------------------------------------------------------------------- the corpus


def test_hydropac_3403_23_gunnery() -> None:
    w = parse_warning(text("hydropac_3403_23_gunnery"))
    [a] = w.areas
    assert a.kind == "polygon"
    assert_vertices(a, [(dm(146, 29.78), dm(28, 15.25)), (dm(147, 37.78), dm(25, 25.27)),
                        (dm(145, 35.80), dm(25, 0.26)), (dm(144, 57.80), dm(27, 55.25))])  # fmt: skip
    assert w.cancel_at == "2023-11-30T10:00Z"
    assert (1, "WESTERN NORTH PACIFIC.") in w.unread and (2, "DNC 12.") in w.unread


def test_navarea_iv_1177_22_two_areas_dates_cancellations() -> None:
    w = parse_warning(text("navarea_iv_1177_22_rocket"))
    a, b = w.areas
    assert (a.name, b.name) == ("A", "B")
    assert_vertices(a, [(-dm(80, 38.33), dm(28, 39.92)), (-dm(79, 44), dm(28, 40)),
                        (-dm(79, 40), dm(28, 28)), (-dm(80, 32.29), dm(28, 29.97))])  # fmt: skip
    assert_vertices(b, [(-dm(73, 56), dm(27, 51)), (-dm(73, 55), dm(28, 37)), (-dm(71, 21), dm(28, 40)),
                        (-dm(69, 58), dm(28, 13)), (-dm(69, 58), dm(27, 31)), (-dm(71, 43), dm(27, 21))])  # fmt: skip
    assert w.cancels == ("NAVAREA IV 1165/22",)
    assert w.cancel_at == "2022-11-18T19:54Z"
    assert w.windows[:2] == (
        ("2022-11-12T16:06Z", "2022-11-12T18:54Z"),
        ("2022-11-13T16:06Z", "2022-11-13T18:54Z"),
    )
    # The number is in NGA's record, not in the text; a CANCEL line is not the identifier.
    assert w.ident is None


def test_navarea_iv_2023_rocket_windows() -> None:
    w = parse_warning(text("navarea_iv_2023_04_rocket"))
    a, b = w.areas
    assert_vertices(a, [(-dm(80, 37.31), dm(28, 38.47)), (-dm(80, 32), dm(28, 38)), (-dm(80, 23), dm(28, 37)),
                        (-dm(79, 55), dm(28, 20)), (-dm(79, 57), dm(28, 16)), (-dm(80, 33.38), dm(28, 31.21))])  # fmt: skip
    assert len(b.lon) == 6 and vertices(b)[0] == pytest.approx((-76.0, dm(26, 26)))
    assert w.windows[0] == ("2023-04-19T12:18Z", "2023-04-19T16:47Z")
    assert ("2023-04-25T09:47Z", "2023-04-25T14:16Z") in w.windows
    assert w.cancels == ("NAVAREA IV 414/23",) and w.cancel_at == "2023-04-25T15:16Z"


def test_circle_150_miles() -> None:
    [a] = parse_warning(text("navarea_iv_2023_circle_150nm")).areas
    assert a.kind == "circle" and a.radius_m == 150 * NM
    assert vertices(a) == [pytest.approx((-dm(45, 40.37), dm(37, 35.15)))]
    # The disc's edge is 150 NM from the centre in every direction (geodesic).
    ring = np.asarray(a.geometry.exterior.coords)
    _, _, d = GEOD.inv(np.full(len(ring), a.lon[0]), np.full(len(ring), a.lat[0]), ring[:, 0], ring[:, 1])
    assert np.allclose(d, 150 * NM, atol=150)


def test_navarea_xii_372_23_across_180_geodesic_edges() -> None:
    [a] = parse_warning(text("navarea_xii_372_23_space_debris")).areas
    assert_vertices(a, [(-152.0, dm(34, 54)), (-151.0, dm(36, 53)), (165.0, dm(44, 4)), (165.0, dm(42, 5))])
    g = a.geometry
    assert g.geom_type == "MultiPolygon" and g.is_valid
    # Split at the antimeridian, not wrapped the long way round.
    assert g.bounds[0] == -180.0 and g.bounds[2] == 180.0
    # The 2,500 km edge follows the geodesic, which bows north of the straight lon/lat line.
    [(mx, my)] = GEOD.npts(-151.0, dm(36, 53), 165.0, dm(44, 4), 1)
    straight_lat = (dm(36, 53) + dm(44, 4)) / 2
    assert my > straight_lat + 0.5
    assert shapely.distance(g.boundary, shapely.Point(mx, my)) < 0.01  # degrees: ~1 km
    # Area equals GeographicLib's of the four vertices joined by geodesics.
    exact, _ = GEOD.polygon_area_perimeter(
        [-152.0, -151.0, 165.0, 165.0], [dm(34, 54), dm(36, 53), dm(44, 4), dm(42, 5)]
    )
    assert geodesic_area_m2(g) == pytest.approx(abs(exact), rel=2e-3)


def test_navarea_xii_801_23_spacex_26_vertices_across_180() -> None:
    w = parse_warning(text("navarea_xii_801_23_spacex"))
    a, b = w.areas
    assert len(a.lon) == 26
    assert vertices(a)[0] == pytest.approx((dm(172, 39), dm(14, 26)))
    assert vertices(a)[8] == pytest.approx((-dm(179, 40), dm(16, 20)))
    assert vertices(a)[23] == pytest.approx((dm(179, 59), dm(17, 39)))
    assert vertices(a)[-1] == pytest.approx((dm(175, 3), dm(15, 36)))
    assert_vertices(b, [(-dm(157, 33.72), dm(24, 2.64)), (-dm(157, 2.82), dm(24, 8.82)),
                        (-dm(156, 53.28), dm(23, 32.16)), (-dm(157, 25.56), dm(23, 25.80))])  # fmt: skip
    assert a.geometry.geom_type == "MultiPolygon" and a.geometry.is_valid
    exact, _ = GEOD.polygon_area_perimeter(list(a.lon), list(a.lat))
    assert geodesic_area_m2(a.geometry) == pytest.approx(abs(exact), rel=2e-3)
    assert w.cancels == ("NAVAREA XII 794/23",) and w.cancel_at == "2023-11-18T18:20Z"


def test_navarea_xii_384_21_nine_areas_dms_and_south() -> None:
    w = parse_warning(text("navarea_xii_384_21_space_debris"))
    assert [a.name for a in w.areas] == list("ABCDEFGHI")
    assert all(len(a.lon) == 4 for a in w.areas)
    assert_vertices(w.areas[0], [(-dm(137, 34, 57), dm(22, 52, 40)), (-dm(134, 2, 8), dm(20, 12, 47)),
                                 (-dm(146, 28, 48), dm(4, 25, 5)), (-dm(149, 55, 52), dm(6, 54, 48))])  # fmt: skip
    assert vertices(w.areas[2])[2] == pytest.approx((-dm(138, 47, 34), -dm(5, 17, 31)))
    assert w.issued == "2021-08-06T09:29Z"
    assert w.windows == (
        ("2021-08-09T16:27Z", "2021-08-09T17:29Z"),
        ("2021-08-10T17:16Z", "2021-08-10T18:17Z"),
    )
    assert w.cancel_at == "2021-08-10T19:17Z" and w.unread == ()


def test_navarea_xii_656_19_identifier_and_alternate_window() -> None:
    w = parse_warning(text("navarea_xii_656_19_starliner"))
    assert w.ident == "NAVAREA XII 656/2019"
    a, b = w.areas
    assert vertices(a)[0] == pytest.approx((-dm(126, 49.22), dm(8, 10.42)))
    assert vertices(b)[3] == pytest.approx((-dm(144, 23.29), dm(51, 35.22)))
    assert w.windows == (
        ("2019-12-22T12:23Z", "2019-12-22T13:12Z"),
        ("2019-12-22T20:12Z", "2019-12-22T22:58Z"),
    )
    assert (3, "(Cancelled by NAVAREA XII 657/2019)") in w.unread


def test_uscg_starship_three_areas_closed_ring_and_and() -> None:
    w = parse_warning(text("uscg_ccgd8_bnm_0019_24_starship"))
    a, b, c = w.areas
    assert [x.name for x in w.areas] == ["A", "B", "C"]
    # A lists 18 positions, the last repeating the first: 17 vertices. B 39, C 6 (counted in the text).
    assert (len(a.lon), len(b.lon), len(c.lon)) == (17, 39, 6)
    assert vertices(a)[0] == pytest.approx((-dm(95, 52), dm(25, 43)))
    assert vertices(a)[-1] == pytest.approx((-dm(96, 51), dm(25, 48)))  # "25-48-00N 096-51-00W AND"
    assert vertices(c)[-1] == pytest.approx((-dm(89, 55), dm(23, 33)))


def test_uscg_kodiak_degrees_words_and_decimal_degrees() -> None:
    w = parse_warning(text("uscg_kodiak_2008_safety_zone"))
    assert len(w.areas) == 4
    assert_vertices(w.areas[0], [(-dm(152, 17.0), dm(57, 29.8)), (-dm(152, 11.2), dm(57, 21.1)),
                                 (-dm(152, 14.2), dm(57, 19.9)), (-dm(152, 28.2), dm(57, 25.4))])  # fmt: skip
    assert_vertices(w.areas[1], [(-151.3, 56.5), (-150.65, 55.95), (-150.35, 56.05), (-151.0, 56.6)])
    assert_vertices(w.areas[3], [(-135.0, 33.25), (-133.75, 30.9), (-133.0, 30.9), (-134.25, 33.25)])


def test_uscg_kodiak_december_degrees_and_minutes_as_words() -> None:
    # "57 degrees 26.094 minutes north, 152 degrees 25.128 minutes west, then south west to ..."
    [a] = parse_warning(text("uscg_kodiak_2008_12_safety_zone")).areas
    assert_vertices(a, [(-dm(152, 25.128), dm(57, 26.094)), (-dm(152, 24.930), dm(57, 24.294)),
                        (-dm(152, 21.210), dm(57, 18.318)), (-dm(152, 6.444), dm(57, 24.306)),
                        (-dm(152, 16.068), dm(57, 27.900)), (-dm(152, 19.218), dm(57, 28.494))])  # fmt: skip


def test_usace_wallops_seconds_and_closing_vertex() -> None:
    [a] = parse_warning(text("usace_33cfr334_130_wallops")).areas
    assert_vertices(a, [(-dm(75, 29, 48), dm(37, 53, 0)), (-dm(74, 50, 52), dm(37, 53, 3)),
                        (-dm(74, 51, 48), dm(37, 38, 28)), (-dm(75, 9, 35), dm(37, 22, 0)),
                        (-dm(75, 30, 0), dm(37, 19, 11)), (-dm(75, 32, 19), dm(37, 47, 57))])  # fmt: skip


def test_jcg_circle_with_radius_after_centre() -> None:
    w = parse_warning(text("jcg_kan10_r1_379_circle"))
    [a] = w.areas
    assert a.kind == "circle" and a.radius_m == 5 * NM
    assert vertices(a) == [pytest.approx((dm(130, 19), dm(31, 1)))]
    assert any("W221" in t for _, t in w.unread)  # the chart line is reported, not read as a coordinate
    [b] = parse_warning(text("jcg_kan10_r2_367_circle")).areas
    assert b.radius_m == pytest.approx(0.5 * NM) and vertices(b) == [
        pytest.approx((dm(131, 23, 18), dm(31, 31, 0)))
    ]


def test_jcg_numbered_vertices() -> None:
    [a] = parse_warning(text("jcg_kan10_r1_382_flares")).areas
    assert a.name == "1"  # 区域1
    assert_vertices(a, [(dm(131, 59, 42), dm(32, 30, 16)), (dm(132, 17, 58), dm(32, 9, 21)),
                        (dm(132, 7, 15), dm(31, 57, 55)), (dm(131, 31, 25), dm(31, 59, 37)),
                        (dm(131, 37, 51), dm(32, 16, 26)), (dm(131, 46, 51), dm(32, 26, 12))])  # fmt: skip
    [b] = parse_warning(text("jcg_kan10_r2_366_flare_foxtrot")).areas
    assert_vertices(b, [(dm(128, 45, 52), dm(32, 20, 12)), (dm(129, 9, 52), dm(32, 20, 12)),
                        (dm(129, 9, 52), dm(31, 47, 12)), (dm(128, 45, 52), dm(31, 47, 12))])  # fmt: skip
    [c] = parse_warning(text("jcg_kan5_h30_776_lima")).areas
    assert len(c.lon) == 10 and vertices(c)[9] == pytest.approx((dm(132, 37, 51), dm(32, 1, 43)))
    [d] = parse_warning(text("jcg_kan5_h30_777_rescue")).areas
    assert len(d.lon) == 6 and vertices(d)[0] == pytest.approx((134.0, dm(32, 35, 50)))


def test_china_msa_points() -> None:
    [a] = parse_warning(text("msa_fuzhou_2024_10_22_firing")).areas
    assert_vertices(a, [(dm(119, 47, 52), dm(26, 25, 40)), (dm(119, 48, 2), dm(26, 25, 12)),
                        (dm(119, 48, 45), dm(26, 25, 58)), (dm(119, 48, 15), dm(26, 26, 8))])  # fmt: skip
    [b] = parse_warning(text("msa_putian_2022_08_24_firing")).areas
    assert_vertices(b, [(dm(119, 18, 56.7), dm(25, 26, 58.1)), (dm(119, 16, 10.6), dm(25, 21, 45.8)),
                        (dm(119, 41, 46.4), dm(25, 12, 16.9)), (dm(119, 44, 22.3), dm(25, 16, 36.2))])  # fmt: skip


@pytest.mark.parametrize(
    ("name", "error", "says"),
    [
        ("dprk_2012_unha3_first_stage", NoAreaError, "no area found"),  # no hemisphere letters at all
        # a circle cut at a meridian ("132-10E以西を除く"): the lone longitude is refused
        ("jcg_kan10_r1_381_rescue", WarningParseError, "line 6: cannot read '132-10E'"),
        ("jcg_kan10_r1_380_line", WarningParseError, "line 5: a corridor"),
        ("navarea_xii_762_23_trackline", WarningParseError, "line 3: a corridor"),
        ("msa_tangshan_bohai_sector", WarningParseError, "line 3: a sector"),
        ("navarea_iv_2023_uscg_points", WarningParseError, "area A (line 4) has 1 vertex"),
    ],
)
def test_corpus_refusals(name: str, error: type, says: str) -> None:
    """Real texts whose areas this parser does not read are refused with the line, never guessed."""
    with pytest.raises(error) as exc:
        parse_warning(text(name))
    assert says in str(exc.value)


def test_corpus_size() -> None:
    assert len(list(DATA.glob("*.txt"))) >= 20


def test_notam_a1690_23_hemisphere_first_and_spelled_times() -> None:
    w = parse_warning(text("notam_a1690_23_debris"))
    [a] = w.areas
    assert_vertices(
        a,
        [
            (dm(95, 54, 38), dm(39, 28, 52)),
            (dm(95, 58, 54), dm(38, 56, 37)),
            (dm(97, 0, 56), dm(39, 1, 18)),
            (dm(96, 57, 8), dm(39, 33, 35)),
        ],
    )
    assert w.ident == "A1690/23"
    assert w.issued == "2023-07-05T07:40Z"
    assert w.windows == (("2023-07-06T03:18Z", "2023-07-06T04:45Z"),)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789NSEW.-°'\" ,:;()/ABCKMOTUWIHN\n", max_size=160))
def test_fuzz_only_geo_errors(t: str) -> None:
    """Any text either parses into valid areas or fails with a GeoError; nothing else escapes."""
    try:
        w = parse_warning(t)
    except GeoError:
        return
    assert w.areas and all(a.geometry.is_valid and not a.geometry.is_empty for a in w.areas)


def test_polygon_any_winding_same_shape() -> None:
    x, y = [130.0, 131.0, 131.0, 130.0], [30.0, 30.0, 31.0, 31.0]
    a, b = polygon(x, y), polygon(x[::-1], y[::-1])
    assert a.equals(b) and a.area < 2  # the small box either way round, never its complement


@pytest.mark.parametrize("order", [1, -1])
def test_polygon_round_the_pole_is_the_cap(order: int) -> None:
    x, y = np.array([0.0, 90.0, 180.0, -90.0])[::order], np.full(4, 85.0)
    g = polygon(x, y)
    exact, _ = GEOD.polygon_area_perimeter(x, y)
    assert g.is_valid and g.intersects(shapely.Point(0.0, 89.9))
    assert geodesic_area_m2(g) == pytest.approx(abs(exact), rel=1e-6)


def test_parse_twice_same_result() -> None:
    t = text("navarea_xii_801_23_spacex")
    assert parse_warning(t).to_dict() == parse_warning(t).to_dict()


# --------------------------------------------------------------------------- assessment (NW Pacific)


@pytest.fixture(scope="module")
def zi():
    from geo.assess import zone_index

    return zone_index(None)


def _sample_inside(geom, n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Points uniform by area inside a small polygon (rejection in lon, sin-lat)."""
    rng = np.random.default_rng(seed)
    w, s, e, nn = geom.bounds
    x = rng.uniform(w, e, n * 4)
    y = np.degrees(np.arcsin(rng.uniform(np.sin(np.radians(s)), np.sin(np.radians(nn)), n * 4)))
    keep = shapely.contains_xy(geom, x, y)
    return x[keep][:n], y[keep][:n]


def test_assess_circle_off_cape_sata(zi) -> None:
    from geo.assess.warnings import assess_warning

    out = assess_warning(text("jcg_kan10_r1_379_circle"), zones=zi)
    r = out.iloc[0]
    assert r["area_km2"] == pytest.approx(np.pi * (5 * NM / 1e3) ** 2, rel=2e-3)
    assert r["eez_share"] == {"JPN": pytest.approx(1.0)} and r["high_seas_share"] == 0.0
    # Territorial-sea share against point look-ups of 4,000 points spread by area over the disc.
    x, y = _sample_inside(r.geometry, 4000)
    in_ts = zi.first("territorial_sea", x, y) >= 0
    assert r["territorial_sea_share"]["JPN"] == pytest.approx(in_ts.mean(), abs=0.03)
    # Distance to Japan's coast: the centre's nearest coast (the index's own route) less the radius.
    d, who = zi.nearest_coast([r.geometry.centroid.x], [r.geometry.centroid.y])
    assert who[0] == "JPN"
    assert r["coasts_km"]["JPN"] == pytest.approx(d[0] - 5 * NM / 1e3, abs=1.0)


def test_assess_hydropac_3403_share_of_japan_eez(zi) -> None:
    from geo.assess.warnings import assess_warning

    r = assess_warning(text("hydropac_3403_23_gunnery"), zones=zi).iloc[0]
    x, y = _sample_inside(r.geometry, 5000, seed=2)
    owner = zi.owner(x, y)
    assert set(owner.tolist()) == {"JPN", "high_seas"}
    assert r["eez_share"]["JPN"] == pytest.approx((owner == "JPN").mean(), abs=0.02)
    assert r["high_seas_share"] == pytest.approx((owner == "high_seas").mean(), abs=0.02)
    assert r["eez_limits_km"]["JPN"] == 0.0  # the area straddles Japan's EEZ limit
    assert 0 < r["coasts_km"]["JPN"] <= COAST_KM_MAX


COAST_KM_MAX = 500.0


def test_assess_lima_area_coast_distance_below_vertex_distances(zi) -> None:
    from geo.assess.warnings import assess_warning

    w = parse_warning(text("jcg_kan5_h30_776_lima"))
    r = assess_warning(w, zones=zi).iloc[0]
    assert r["eez_share"] == {"JPN": pytest.approx(1.0)} and r["territorial_sea_share"] == {}
    d, _ = zi.nearest_coast(np.array(w.areas[0].lon), np.array(w.areas[0].lat))
    # An edge may come nearer than any vertex; km are rounded to 3 decimals.
    assert 0 < r["coasts_km"]["JPN"] <= d.min() + 5e-4
    assert r["eez_limits_km"]["JPN"] < 0  # wholly inside Japan's EEZ


def test_assess_perspective_changes_nothing_outside_disputes(zi) -> None:
    from geo.assess import zone_index
    from geo.assess.warnings import assess_warning

    a = assess_warning(text("jcg_kan5_h30_776_lima"), zones=zi).iloc[0]
    b = assess_warning(text("jcg_kan5_h30_776_lima"), zones=zone_index("KOR")).iloc[0]
    assert a["eez_share"] == pytest.approx(b["eez_share"]) and a["area_km2"] == pytest.approx(b["area_km2"])


@pytest.mark.skipif(
    os.environ.get("GEO_RUN_WORLD") != "1", reason="world bundle: ~50 s, 5 GB (GEO_RUN_WORLD=1)"
)
def test_assess_across_180_world() -> None:
    from geo.assess.warnings import assess_warning

    r = assess_warning(text("navarea_xii_372_23_space_debris")).iloc[0]
    assert r["outside_coverage_share"] == 0.0
    total = r["high_seas_share"] + sum(r["eez_share"].values()) + sum(r["land_share"].values())
    assert total == pytest.approx(1.0)


# --------------------------------------------------------------------------- the command


def _run(args: list[str], stdin: str | None = None):
    from click.testing import CliRunner

    from geo.cli import main

    return CliRunner().invoke(main, args, input=stdin, catch_exceptions=False)


def test_cli_text_json_and_geojson(tmp_path: Path) -> None:
    f = str(DATA / "jcg_kan10_r1_379_circle.txt")
    r = _run(["warning", f])
    assert r.exit_code == 0, r.output
    assert "area 1: circle r=9.26 km" in r.output and "territorial sea  JPN" in r.output
    assert "lines not read (6):" in r.output
    out = tmp_path / "areas.geojson"
    r = _run(["warning", "-", "--json", "-o", str(out)], stdin=text("msa_putian_2022_08_24_firing"))
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["areas"][0]["vertices"][0] == pytest.approx([dm(119, 18, 56.7), dm(25, 26, 58.1)])
    assert doc["assessment"][0]["eez_share"]["CHN"] > 0.9
    gj = json.loads(out.read_text())
    [feature] = gj["features"]
    assert feature["properties"]["name"] == "1" and feature["geometry"]["type"] == "Polygon"
    assert shapely.geometry.shape(feature["geometry"]).is_valid


@pytest.mark.parametrize(
    ("name", "says"),
    [("dprk_2012_unha3_first_stage", "no area found"), ("jcg_kan10_r1_381_rescue", "line 6")],
)
def test_cli_bad_input_exit_2(name: str, says: str) -> None:
    r = _run(["warning", str(DATA / f"{name}.txt"), "--json"])
    assert r.exit_code == 2
    assert says in json.loads(r.stdout)["error"]["message"]


def test_cli_refuses_bad_option() -> None:
    r = _run(["warning", str(DATA / "jcg_kan10_r1_379_circle.txt"), "--coast-within-km", "-5"])
    assert r.exit_code == 2 and "--coast-within-km" in r.output


def test_errors_are_geo_errors() -> None:
    assert issubclass(WarningParseError, GeoError) and issubclass(NoAreaError, WarningParseError)
