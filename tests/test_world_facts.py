"""World facts (geo._zonebuild.world_facts): keys, boxes, claimants, treaty CSVs, Antarctic sectors."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
import shapely

from geo._zonebuild import facts
from geo._zonebuild import world_facts as wf
from geo._zonebuild.facts import SOURCES_DIR, read_points

ALL_DISPUTES = wf.WORLD_DISPUTES + wf.WORLD_COAST_DISPUTES + wf.ANTARCTIC_ISLAND_CLAIMS
# ISO 3166-1 alpha-3 codes of the build's country layer that start with X (user-assigned range).
ISO_X = {"XKX"}
ISO3 = set(wf.WORLD_SOVEREIGN_OF) | set(wf.WORLD_SOVEREIGN_OF.values()) | {
    "ARG", "ARE", "BLZ", "CAN", "COL", "COM", "CYP", "EGY", "ESH", "ESP", "GEO", "GRC", "GTM", "GUY", "HND",
    "HTI", "IND", "IRN", "JAM", "JPN", "KOR", "MAR", "MDG", "MUS", "NGA", "NIC", "NOR", "PAK", "RUS", "SDN",
    "SLV", "STP", "TLS", "TUR", "UKR", "USA", "VEN", "VUT", "DMA", "ISL", "DNK", "FIN", "NLD", "AUS", "NZL",
    "CHL", "FRA", "GBR", "CHN", "ERI", "YEM",
}  # fmt: skip


def test_keys_unique_and_not_iso():
    # facts.DISPUTES may already hold these (the build joins them): count the NW Pacific's once
    nwpacific = tuple(d for d in facts.DISPUTES if d not in ALL_DISPUTES)
    keys = [d.key for d in ALL_DISPUTES + nwpacific]
    assert len(keys) == len(set(keys))
    for k in keys:
        assert len(k) == 3 and k.startswith("X") and k not in ISO3 | ISO_X
    assert not {d.key for d in ALL_DISPUTES} & set(wf.WORLD_SOVEREIGN_OF)


def test_existing_sovereigns_kept_and_cook_niue_free():
    for k, v in facts.SOVEREIGN_OF.items():
        assert wf.WORLD_SOVEREIGN_OF[k] == v
    assert "COK" not in wf.WORLD_SOVEREIGN_OF and "NIU" not in wf.WORLD_SOVEREIGN_OF
    assert wf.WORLD_SOVEREIGN_OF["GRL"] == "DNK" and wf.WORLD_SOVEREIGN_OF["SJM"] == "NOR"


@pytest.mark.parametrize("d", ALL_DISPUTES, ids=lambda d: d.key)
def test_dispute_box_valid_and_small(d):
    x0, y0, x1, y1 = d.box
    assert -180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90
    assert (x1 - x0) * (y1 - y0) <= 40.0  # square degrees
    assert all(len(c) == 3 and c.isupper() for c in d.claimants)
    assert d.administrator in set(d.claimants) | {"", "TUR", "RUS", "MAR", "ESP", "GBR", "EGY", "GUY"}


@pytest.mark.parametrize("d", ALL_DISPUTES, ids=lambda d: d.key)
def test_outside_nwpacific(d):
    x0, y0, x1, y1 = d.box
    assert not (x0 >= 100 and x1 <= 180 and y0 >= 0 and y1 <= 65)


def test_coast_dispute_mask_is_pointwise():
    d = next(d for d in wf.WORLD_COAST_DISPUTES if d.key == "XGB")
    x = np.array([-5.35, -5.35, -5.0, -5.35 + 360])
    y = np.array([36.13, 36.13, 36.13, 36.13])
    owner = np.array(["GIB", "ESP", "GIB", "GIB"])
    assert wf.coast_dispute_mask(x, y, owner, d).tolist() == [True, False, False, True]


def _csvs():
    return sorted({t.csv for t in wf.WORLD_TREATIES})


@pytest.mark.parametrize("name", _csvs())
def test_treaty_csv_signs_match_hemisphere(name):
    df = pd.read_csv(SOURCES_DIR / name)
    xy = read_points(SOURCES_DIR / name)
    assert np.all((xy[:, 1] < 0) == (df["lat_hem"] == "S"))
    assert np.all((xy[:, 0] < 0) == (df["lon_hem"] == "W"))
    # minutes and seconds are magnitudes; the degrees carry the sign ("-0" for 0 deg S or W)
    for a in ("lat", "lon"):
        assert (df[f"{a}_min"] >= 0).all() and (df[f"{a}_min"] < 60).all()
        assert (df[f"{a}_sec"] >= 0).all() and (df[f"{a}_sec"] < 60).all()


def test_read_points_south_west(tmp_path):
    # -53 30 is 53 deg 30 min S, not -53 + 30/60; -0 15 is 15 min W
    p = tmp_path / "sw.csv"
    p.write_text("lat_deg,lat_min,lon_deg,lon_min\n-53,30,-59,15\n-0,30,-0,15\n")
    xy = read_points(p)
    assert xy.tolist() == [[-59.25, -53.5], [-0.25, -0.5]]


@pytest.mark.parametrize("t", wf.WORLD_TREATIES, ids=lambda t: t.key)
def test_treaty_line_simple_and_in_region(t):
    xy = t.points(SOURCES_DIR)
    line = shapely.LineString(xy)
    assert line.is_simple
    assert t.parties[0] in ISO3 and t.parties[1] in ISO3
    if t.key.startswith("NOR-RUS"):
        assert np.all((xy[:, 1] > 69.5) & (xy[:, 1] < 85.0) & (xy[:, 0] > 30) & (xy[:, 0] < 39))
    t.extended_line(SOURCES_DIR)  # no repeated end points


def test_barents_line_starts_where_varangerfjord_ends():
    a = wf.WORLD_TREATIES[0].points(SOURCES_DIR)
    b = wf.WORLD_TREATIES[1].points(SOURCES_DIR)
    assert np.allclose(a[-1], b[0], atol=1e-9)
    assert len(a) == 6 and len(b) == 8


def test_world_facts_md_checksums():
    md = (SOURCES_DIR.parent / "WORLD_FACTS.md").read_text()
    for name in _csvs():
        digest = hashlib.sha256((SOURCES_DIR / name).read_bytes()).hexdigest()
        assert digest in md, name


def _claims_at(lon: float) -> list[str]:
    out = []
    for c in wf.ANTARCTIC_CLAIMS:
        w, e = c.lon_west, c.lon_east
        inside = (w <= lon < e) if w < e else (lon >= w or lon < e)
        if inside:
            out.append(c.claimant)
    return out


def test_antarctic_sectors_cover_once_except_overlap():
    lons = np.arange(-179.95, 180.0, 0.1)
    w, e = wf.ANTARCTIC_UNCLAIMED
    for lon in lons:
        n = _claims_at(float(lon))
        if w <= lon < e:
            assert n == [], lon
        elif -90 <= lon < -20:
            assert set(n) <= {"ARG", "CHL", "GBR"} and n, lon
        else:
            assert len(n) == 1, (lon, n)
    assert _claims_at(-60.0) and sorted(_claims_at(-60.0)) == ["ARG", "CHL", "GBR"]
    assert _claims_at(179.9) == ["NZL"] and _claims_at(-179.9) == ["NZL"]


def test_svalbard_box_holds_the_archipelago():
    x0, y0, x1, y1 = wf.SVALBARD.box
    assert x0 < 15.6 < x1 and y0 < 78.2 < y1  # Longyearbyen
    assert wf.SVALBARD.sovereign == "NOR"


# Boxes that clip other land, kept out by max_area_km2 (documented in the module).
CLIPS_OTHER_LAND = {"XPJ", "XAH"}


@pytest.fixture(scope="module")
def osm_land():
    """OSM land clipped to a box; the WKB is read once for all boxes."""
    pytest.importorskip("roaring_landmask")
    from geo._zonebuild import inputs

    boxes = [d.box for d in wf.WORLD_DISPUTES + wf.ANTARCTIC_ISLAND_CLAIMS]
    parts = inputs.osm_land((-180.0, -90.0, 180.0, 90.0))
    tree = shapely.STRtree(parts)
    del boxes

    def clip(box):
        hits = parts[tree.query(shapely.box(*box))]
        land = shapely.get_parts(shapely.clip_by_rect(hits, *box))
        return land[(shapely.get_type_id(land) == 3) & ~shapely.is_empty(land)]

    return clip


@pytest.mark.parametrize("d", wf.WORLD_DISPUTES + wf.ANTARCTIC_ISLAND_CLAIMS, ids=lambda d: d.key)
def test_dispute_box_holds_its_land_only(d, osm_land):
    from geo._zonebuild.land import areas_km2

    land = osm_land(d.box)
    assert len(land) >= 1
    x0, y0, x1, y1 = d.box
    bounds = shapely.bounds(land)

    def at(v: np.ndarray, e: float) -> np.ndarray:
        return np.abs(v - e) < 1e-9

    on_edge = at(bounds[:, 0], x0) | at(bounds[:, 2], x1) | at(bounds[:, 1], y0) | at(bounds[:, 3], y1)
    if d.key in CLIPS_OTHER_LAND:
        pad = 0.05
        big = osm_land((x0 - pad, y0 - pad, x1 + pad, y1 + pad))
        assert areas_km2(big).max() > 10 * d.max_area_km2
        land = land[~on_edge]
    else:
        assert not on_edge.any(), "the box clips other land"
    assert len(land) >= 1
    assert areas_km2(land).max() <= d.max_area_km2
