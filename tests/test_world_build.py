"""The world build's parts: polar frames, tiles, land split by claims, Antarctic sectors, the compact layer file."""

from __future__ import annotations

import itertools
import zipfile

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo._zonebuild import antarctic, world
from geo._zonebuild.frame import Frame, polygons_to_real
from geo._zonebuild.records import read_points
from geo._zonefile import QUANTUM_DEG, ZoneFileError, read_layer, write_layer


@pytest.mark.parametrize("pole", ["north", "south"])
def test_polar_frame_round_trip_and_no_seam_near_the_pole(pole: str) -> None:
    rng = np.random.default_rng(1)
    sign = 1 if pole == "north" else -1
    lon = rng.uniform(-180, 180, 1000)
    lat = sign * rng.uniform(55, 89.99, 1000)
    f = Frame.polar(pole)
    x, y = f.from_real(lon, lat)
    # the cap lies round the frame's origin, far from its seam (x = +-180) and poles (y = +-90)
    assert np.abs(x).max() < 40 and np.abs(y).max() < 40
    lon2, lat2 = f.to_real(x, y)
    assert np.abs(lat2 - lat).max() < 1e-9
    assert np.abs((lon2 - lon + 180) % 360 - 180).max() < 1e-7


def test_polar_frame_refuses_an_unknown_pole() -> None:
    with pytest.raises(ValueError, match="'north' or 'south'"):
        Frame.polar("east")


def test_polygons_back_from_a_polar_frame_stay_continuous_across_180() -> None:
    f = Frame.polar("north")
    # a lon/lat square from 178 E to 182 E (-178) at 80-81 N, drawn in the frame
    ring = np.array([[178, 80], [182, 80], [182, 81], [178, 81], [178, 80]], float)
    dense = np.vstack([np.linspace(a, b, 50) for a, b in itertools.pairwise(ring)])
    x, y = f.from_real(dense[:, 0], dense[:, 1])
    poly = shapely.Polygon(np.column_stack([x, y]))
    out, src = polygons_to_real(np.array([poly]), f)
    assert src.tolist() == [0]
    b = shapely.bounds(out[0])
    assert b[2] - b[0] == pytest.approx(4.0, abs=1e-6)  # one piece 4 deg wide, not 356
    assert b[1] == pytest.approx(80.0, abs=1e-6) and b[3] == pytest.approx(81.0, abs=1e-6)


def test_a_ring_round_the_pole_is_refused() -> None:
    f = Frame.polar("north")
    lon = np.linspace(-180, 180, 73)[:-1]
    x, y = f.from_real(lon, np.full(lon.size, 89.0))
    with pytest.raises(ValueError, match="wind round the pole"):
        polygons_to_real(np.array([shapely.Polygon(np.column_stack([x, y]))]), f)


def test_tiles_cover_the_earth_once() -> None:
    tiles = world.tiles()
    boxes = [shapely.box(*t.box) for t in tiles]
    assert shapely.area(shapely.union_all(boxes)) == pytest.approx(360 * 180)
    assert sum(shapely.area(b) for b in boxes) == pytest.approx(360 * 180)
    names = [t.name for t in tiles]
    assert len(set(names)) == len(names) == 14 and {"north", "south", "lon+030", "lon-180"} <= set(names)


def test_a_tile_reads_every_coast_within_200_nm_of_it() -> None:
    from pyproj import Geod

    t = next(t for t in world.tiles() if t.name == "lon+150")
    lon = np.array([147.0, 185.0, 190.0, -172.0, 140.0])
    lat = np.array([62.0, 10.0, -61.0, 63.0, 0.0])
    sel, x = t.select(lon, lat)
    # 190 E and 140 E lie beyond the 9-degree margins of the 150-180 E tile
    assert sel.tolist() == [0, 1, 3]
    assert x[2] == pytest.approx(188.0)  # 172 W in the tile's frame
    # the margins: 200 nm from the tile's corner (180 E, 60 N) lies inside the coast box
    g = Geod(ellps="WGS84")
    ex, ey, _ = g.fwd(np.full(8, 180.0), np.full(8, 60.0), np.arange(0, 360, 45), np.full(8, 370_400.0))
    sel2, _ = t.select(ex, ey)
    assert len(sel2) == 8


def test_land_split_by_claims_follows_priority_and_keeps_all_claimed_land() -> None:
    piece = shapely.box(0, 0, 4, 4)
    claims = [("XAA", shapely.box(1, 1, 2, 2)), ("AAA", shapely.box(0, 0, 3, 4)), ("BBB", shapely.box(2, 0, 4, 4))]
    out = world.split_by_claims(piece, claims)
    area = {}
    for c, g in out:
        area[c] = area.get(c, 0.0) + shapely.area(g)
    assert area == pytest.approx({"XAA": 1.0, "AAA": 11.0, "BBB": 4.0})


def test_land_split_by_claims_with_quadrants(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(world, "_QUAD_MAX_VERTICES", 8)
    circle = shapely.Point(0, 0).buffer(10, 64)
    claims = [("AAA", shapely.box(-20, -20, 0.5, 20)), ("BBB", shapely.box(0, -20, 20, 20))]
    out = world.split_by_claims(circle, claims)
    a = shapely.union_all([g for c, g in out if c == "AAA"])
    b = shapely.union_all([g for c, g in out if c == "BBB"])
    assert shapely.area(a) == pytest.approx(shapely.area(shapely.intersection(circle, claims[0][1])), rel=1e-9)
    assert shapely.area(b) == pytest.approx(shapely.area(circle) - shapely.area(a), rel=1e-9)
    assert shapely.area(shapely.intersection(a, b)) < 1e-9


def test_read_points_south_and_west(tmp_path) -> None:
    f = tmp_path / "p.csv"
    f.write_text("lat_deg,lat_min,lat_sec,lon_deg,lon_min,lon_sec\n-0,30,0,-168,58,37\n65,30,0,-0,15,0\n")
    xy = read_points(f)
    assert xy[0] == pytest.approx([-(168 + 58 / 60 + 37 / 3600), -0.5])
    assert xy[1] == pytest.approx([-0.25, 65.5])


def test_treaty_area_layer_covers_south_of_60_once_per_claim_set() -> None:
    area = antarctic.treaty_area_layer()
    assert (area["kind"] == "antarctic").all() and (area["status"] == "antarctic_treaty").all()
    assert area["sovereign"].isna().all()
    assert sum(shapely.area(g) for g in area.geometry) == pytest.approx(360 * 30)
    claims = set(area["claimants"].fillna(""))
    assert {"NOR", "AUS", "FRA", "NZL", "ARG;CHL;GBR", ""} <= claims
    # 0 E, 72 S: Norway's claim only
    hit = area[area.geometry.contains(shapely.Point(0, -72))]
    assert hit["claimants"].tolist() == ["NOR"]


def test_zone_file_round_trip(tmp_path) -> None:
    rng = np.random.default_rng(3)
    pts = rng.uniform([-180, -90], [180, 90], (50, 2))
    polys = [shapely.Point(x, y).buffer(0.3, 8) for x, y in pts]
    g = gpd.GeoDataFrame(
        {"name": [f"p{i}" if i % 7 else None for i in range(50)], "kind": ["eez"] * 50},
        geometry=[shapely.MultiPolygon([p]) for p in polys],
        crs="EPSG:4326",
    )
    f = tmp_path / "eez.npz"
    write_layer(g, f)
    back = read_layer(f)
    assert back["name"].tolist() == [f"p{i}" if i % 7 else None for i in range(50)]  # nulls stay null
    assert back.crs.to_epsg() == 4326
    err = np.abs(shapely.get_coordinates(back.geometry.values) - shapely.get_coordinates(g.geometry.values))
    assert err.max() <= QUANTUM_DEG / 2 + 1e-12
    assert not list(tmp_path.glob(".*tmp"))


def test_zone_file_damaged_or_foreign(tmp_path) -> None:
    bad = tmp_path / "x.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ZoneFileError, match="cannot read the zone layer"):
        read_layer(bad)
    other = tmp_path / "y.npz"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("attributes.json", '{"format": "something/9"}')
    with pytest.raises(ZoneFileError, match="something/9"):
        read_layer(other)


def test_zone_file_refuses_lines(tmp_path) -> None:
    g = gpd.GeoDataFrame({"name": ["l"]}, geometry=[shapely.LineString([(0, 0), (1, 1)])], crs="EPSG:4326")
    with pytest.raises(ZoneFileError, match="only Polygon and MultiPolygon"):
        write_layer(g, tmp_path / "l.npz")
    assert not (tmp_path / "l.npz").exists()


# --- the tile check (geo boundaries build --region world --check --tile ...) ---------------------

def _two_islands() -> world.WorldCoast:
    """A small synthetic coast in tile lon+060: an Indian and a Maldivian island 1.5 deg apart."""
    from geo._zonebuild import land

    isl = np.array([shapely.Point(71.5, 5.2).buffer(0.04, 4), shapely.Point(70.0, 5.0).buffer(0.05, 4)])
    lon, lat, pidx = land.coast_points(isl, box=(-180.0, -90.0, 180.0, 90.0), simplify_deg=0.002, spacing_deg=0.018)
    return world.WorldCoast(lon, lat, np.array(["IND", "MDV"])[pidx], None, isl)


def _commit(tmp_path, res: dict[str, dict[str, bytes]], edit=None, *, dissolve: bool = True) -> None:
    """Write ``res`` (one tile's zones) as a committed world folder, ``edit`` changing a zone first."""
    from geo._zonebuild import assemble

    for kind, layer in res.items():
        zones = {c: shapely.from_wkb(w) for c, w in layer.items()}
        if edit is not None:
            edit(kind, zones)
        gdf = assemble.layer_frame(kind, zones, method="m", source="s", treaty_parties=set(), dissolve=dissolve)
        write_layer(gdf, tmp_path / f"{kind}.npz")
    (tmp_path / "manifest.json").write_text("{}")


@pytest.fixture(scope="module")
def island_tile() -> tuple[world.WorldCoast, world.Tile, dict[str, dict[str, bytes]]]:
    coast = _two_islands()
    tile = next(t for t in world.tiles() if t.name == "lon+060")
    return coast, tile, world.build_tile(tile, coast)


def test_tile_check_passes_on_its_own_build_and_fails_on_a_changed_polygon(tmp_path, island_tile) -> None:
    from geo._zonebuild.compare import tile_differences

    coast, tile, res = island_tile
    assert set(res["eez"]) == {"IND", "MDV"}  # a median line between the two
    fresh = world.build_tile(tile, coast)  # a second build of the same inputs
    _commit(tmp_path, res)
    ok = tile_differences(tmp_path, [tile], {tile.name: fresh})
    assert ok.problems == []
    assert ok.zones == 6  # three layers, two owners
    assert 0 < ok.worst_rel < 1e-6  # the stored layers' quantisation, nothing else

    def dent(kind: str, zones: dict[str, shapely.Geometry]) -> None:
        # a notch ~200 m deep in India's EEZ at its 200 nm edge, ~1e-6 of the zone's area
        if kind == "eez":
            edge = shapely.Point(71.5 + 200 * 1852 / 111320 / np.cos(np.radians(5.2)) - 0.001, 5.2)
            zones["IND"] = shapely.difference(zones["IND"], edge.buffer(0.003))
    _commit(tmp_path, res, dent)
    bad = tile_differences(tmp_path, [tile], {tile.name: fresh})
    assert len(bad.problems) == 1
    assert bad.problems[0].startswith("eez IND in tile lon+060: differs by more than 2e-06 deg")
    assert bad.worst_rel < 1e-5  # an area tolerance of 1e-5 of the zone would have passed it


def test_tile_check_fails_on_a_missing_or_extra_owner(tmp_path, island_tile) -> None:
    from geo._zonebuild.compare import tile_differences

    _, tile, res = island_tile
    _commit(tmp_path, res, lambda kind, zones: zones.pop("MDV") if kind == "territorial_sea" else None)
    got = tile_differences(tmp_path, [tile], {tile.name: res}).problems
    assert got == ["territorial_sea MDV in tile lon+060: in the fresh build, but not committed"]
    _commit(tmp_path, res)
    fewer = {k: {c: w for c, w in v.items() if c != "IND"} for k, v in res.items()}
    got = tile_differences(tmp_path, [tile], {tile.name: fewer}).problems
    assert len(got) == 3 and all("IND" in p and "the fresh build has none" in p for p in got)


def test_tile_check_reads_invalid_committed_layers_as_the_area_they_cover(tmp_path, island_tile) -> None:
    """The world bundle holds overlapping parts and rings collapsed by quantisation: neither is a
    difference, and neither hides one."""
    from geo._zonebuild.compare import tile_differences

    _, tile, res = island_tile
    collapsed = shapely.box(70.15, 5.0, 70.15 + 2e-8, 5.0 + 2e-8)  # one point once stored (1e-7 deg quanta)

    def messy(kind: str, zones: dict[str, shapely.Geometry], notch: bool = False) -> None:
        if kind == "territorial_sea":
            g = zones["MDV"]
            if notch:
                g = shapely.difference(g, shapely.Point(69.9, 5.0).buffer(0.01))
            inner = shapely.box(70.1, 4.95, 70.15, 5.05)  # inside the belt: overlaps its own polygon
            zones["MDV"] = shapely.MultiPolygon([*shapely.get_parts(g), inner, collapsed])

    _commit(tmp_path, res, messy, dissolve=False)
    stored = read_layer(tmp_path / "territorial_sea.npz")
    assert not shapely.is_valid(stored.geometry.values).all()
    assert tile_differences(tmp_path, [tile], {tile.name: res}).problems == []
    _commit(tmp_path, res, lambda kind, zones: messy(kind, zones, notch=True), dissolve=False)
    got = tile_differences(tmp_path, [tile], {tile.name: res}).problems
    assert len(got) == 1 and got[0].startswith("territorial_sea MDV in tile lon+060: differs by more than")


def test_tile_check_with_nothing_to_compare_fails(tmp_path, island_tile) -> None:
    from geo._zonebuild.compare import tile_differences

    _, _, res = island_tile
    _commit(tmp_path, res)
    other = next(t for t in world.tiles() if t.name == "lon-120")  # the islands lie in lon+060
    got = tile_differences(tmp_path, [other], {other.name: {}}).problems
    assert got == ["tile lon-120: no zone on either side, nothing was compared (wrong folder or tile?)"]


def test_cli_tile_check_rebuilds_the_tile_and_exits_non_zero_on_a_difference(tmp_path, island_tile,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's own path (coast, tile build, comparison), on the synthetic coast."""
    import json

    from click.testing import CliRunner

    from geo.cli import main

    coast, _, res = island_tile
    seen = {}

    def fake_coast(progress=None, *, land_owners=True, only=None):
        seen["only"] = [t.name for t in only]
        assert land_owners is False
        return coast

    monkeypatch.setattr(world, "world_coast", fake_coast)
    _commit(tmp_path, res, lambda kind, zones: zones.update(
        MDV=shapely.difference(zones["MDV"], shapely.Point(69.9, 5.0).buffer(0.01))) if kind == "territorial_sea" else None)
    args = ["boundaries", "build", "--region", "world", "--check", "--tile", "lon+060", "--out", str(tmp_path),
            "--workers", "1", "--json"]
    out = CliRunner().invoke(main, args)
    assert out.exit_code == 1
    assert seen["only"] == ["lon+060"]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["zones_compared"] == 6 and len(got["differences"]) == 1
    assert got["differences"][0].startswith("territorial_sea MDV in tile lon+060: differs by more than 2e-06 deg")
    assert "1 difference(s)" in out.stderr


def test_whole_world_check_compares_the_land_layer(tmp_path) -> None:
    from geo._zonebuild import assemble
    from geo._zonebuild.compare import land_differences

    zones = {"IND": shapely.Point(71.5, 5.2).buffer(0.04, 4), "MDV": shapely.Point(70.0, 5.0).buffer(0.05, 4)}
    land = assemble.layer_frame("land", zones, method="m", source="s", treaty_parties=set())
    write_layer(land, tmp_path / "land.npz")
    assert land_differences(tmp_path, land).problems == []
    moved = assemble.layer_frame("land", {**zones, "MDV": shapely.Point(70.0, 5.0).buffer(0.049, 4)},
                                 method="m", source="s", treaty_parties=set())
    got = land_differences(tmp_path, moved).problems
    assert len(got) == 1 and got[0].startswith("land MDV: differs by more than 2e-06 deg")
    # inside a detailed region's box the committed land is that region's: not compared
    assert land_differences(tmp_path, moved, detail_box=(69.0, 4.0, 71.0, 6.0)).problems == []
