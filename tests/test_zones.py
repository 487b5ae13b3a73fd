"""Facts about the bundled maritime zones (data/boundaries/), and the zone API."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
import shapely.ops
from pyproj import Geod

from geo import zones
from geo._errors import GeoError

GEOD = Geod(ellps="WGS84")
NM = 1852.0
BUNDLE = Path(zones.__file__).resolve().parents[1] / "data" / "boundaries"
pytestmark = pytest.mark.skipif(
    not (BUNDLE / "eez.gpkg").exists(), reason="no built boundary layers in data/boundaries"
)


def _sov(lon, lat, perspective=None, layer="eez"):
    hits = zones.zones_at(lon, lat, layers=[layer], perspective=perspective)
    return hits


# --- the tested facts -------------------------------------------------------------


def test_minami_torishima_eez_edge():
    assert "JPN" in set(_sov(157.5, 24.3).sovereign)
    assert _sov(157.8, 24.3).empty


@pytest.mark.parametrize("perspective", [None, "JPN", "KOR", "CHN", "TWN", "RUS", "PRK"])
def test_sea_of_japan_point_is_never_japans(perspective):
    hits = zones.zones_at(129.9, 40.0, perspective=perspective)
    assert "JPN" not in set(hits.sovereign.dropna())


def test_takeshima_area_is_disputed_and_follows_perspective():
    neutral = _sov(132.9, 37.6)
    assert neutral.status.tolist() == ["disputed"]
    assert neutral.claimants.tolist() == ["JPN;KOR"]
    assert neutral.sovereign.isna().all()
    assert _sov(132.9, 37.6, "JPN").sovereign.tolist() == ["JPN"]
    assert _sov(132.9, 37.6, "KOR").sovereign.tolist() == ["KOR"]
    assert _sov(132.9, 37.6, "CHN").status.tolist() == ["disputed"]


def test_takeshima_itself_is_land_or_territorial_sea_claimed_by_both():
    hits = zones.zones_at(131.87, 37.24, layers=["land", "territorial_sea"])
    assert len(hits) >= 1
    for claimants in hits.claimants:
        assert set(claimants.split(";")) >= {"JPN", "KOR"}


@pytest.mark.parametrize(
    ("lon", "lat", "claimants"),
    [
        (123.6, 25.9, {"CHN", "JPN", "TWN"}),  # Senkaku
        (148.0, 44.0, {"JPN", "RUS"}),  # off Etorofu / Iturup
    ],
)
def test_other_disputes_are_modelled(lon, lat, claimants):
    hits = _sov(lon, lat)
    assert hits.status.tolist() == ["disputed"]
    assert set(hits.claimants[0].split(";")) == claimants


@pytest.mark.parametrize(
    ("lon", "lat", "iso"),
    [
        (136.08, 20.0, "JPN"),  # Okinotorishima
        (144.8, 13.0, "USA"),  # Guam
        (145.7, 16.0, "USA"),  # Northern Marianas
        (134.5, 7.0, "PLW"),
        (158.2, 6.0, "FSM"),
        (121.0, 23.5, None),  # Taiwan island is land; its sea to the east:
        (122.5, 23.5, "TWN"),
        (126.0, 12.0, "PHL"),
        (127.0, 38.5, None),
        (124.0, 38.5, "PRK"),
        (126.0, 34.0, "KOR"),
        (155.0, 50.0, "RUS"),
        (122.5, 30.5, "CHN"),
    ],
)
def test_coverage(lon, lat, iso):
    if iso is None:
        return
    assert iso in set(_sov(lon, lat).sovereign)


def test_hong_kong_and_macau_are_in_chinas_zones():
    for lon, lat in [(114.17, 22.30), (113.55, 22.19)]:  # Kowloon, Macau
        assert _sov(lon, lat, layer="land").territory.tolist() == ["CHN"]


def test_kunashir_is_in_the_kuril_dispute_across_its_box_edge():
    """Kunashir's west end lies west of the dispute's box (145.4 E); the island is one feature."""
    for lon, lat in [(145.30, 43.80), (145.6, 43.85)]:
        assert _sov(lon, lat, layer="territorial_sea").status.tolist() == ["disputed"]


def test_kinmen_and_matsu_are_disputed_between_china_and_taiwan_which_holds_them():
    """OSM's shape of the PRC covers them too; Taiwan holds them, the PRC claims them."""
    for lon, lat in [(118.35, 24.45), (119.93, 26.155)]:  # Kinmen, Nangan (Matsu)
        hits = _sov(lon, lat, layer="land")
        assert hits.status.tolist() == ["disputed"]
        assert hits.claimants.tolist() == ["CHN;TWN"]
        assert hits.administrator.tolist() == ["TWN"]
        assert _sov(lon, lat, "TWN", layer="land").sovereign.tolist() == ["TWN"]
        assert _sov(lon, lat, "CHN", layer="land").sovereign.tolist() == ["CHN"]
    assert _sov(118.40, 24.38, layer="territorial_sea").claimants.tolist() == ["CHN;TWN"]
    # Xiamen island, 10 km from Kinmen, and Taiwan itself are not in dispute here
    assert _sov(118.12, 24.48, layer="land").sovereign.tolist() == ["CHN"]
    assert _sov(121.0, 24.0, layer="land").sovereign.tolist() == ["TWN"]
    # no rock of either group is left undisputed Taiwanese land
    from geo._zonebuild.facts import DISPUTES

    land = zones.load_zones("land")
    taiwan = shapely.union_all(land[land.territory == "TWN"].geometry.values)
    for d in DISPUTES:
        if d.key in ("XKM", "XMT"):
            assert shapely.intersection(taiwan, shapely.box(*d.box)).is_empty


# --- geometry invariants ------------------------------------------------------------------


@pytest.mark.parametrize("layer", zones.LAYERS)
def test_layers_valid_split_and_schema(layer):
    gdf = zones.load_zones(layer)
    geoms = gdf.geometry.values
    assert shapely.is_valid(geoms).all()
    assert set(shapely.get_type_id(geoms)) <= {3, 6}
    b = shapely.bounds(geoms)
    assert (b[:, 0] >= -180).all() and (b[:, 2] <= 180).all()
    assert gdf.crs.to_epsg() == 4326
    assert set(gdf.status) <= set(zones.STATUSES)
    assert list(gdf.columns) == [*zones.COLUMNS, "geometry"]


def _grid(step=0.1):
    x, y = np.meshgrid(np.arange(100 + step / 2, 180, step), np.arange(step / 2, 65, step))
    return x.ravel(), y.ravel()


@pytest.mark.parametrize("layer", zones.LAYERS)
def test_layers_do_not_overlap(layer):
    """No grid point (0.1 deg) lies strictly inside two features of one layer."""
    gdf = zones.load_zones(layer)
    x, y = _grid()
    _, p_idx = shapely.STRtree(shapely.points(x, y)).query(gdf.geometry.values, predicate="contains_properly")
    counts = np.bincount(p_idx, minlength=len(x))
    assert counts.max() <= 1, list(zip(x[counts > 1][:5], y[counts > 1][:5], strict=True))


def test_territorial_sea_lies_in_the_same_countrys_eez():
    ts = zones.load_zones("territorial_sea")
    xy, idx = shapely.get_coordinates(shapely.boundary(ts.geometry.values), return_index=True)
    rng = np.random.default_rng(0)
    pick = rng.choice(len(xy), 3000, replace=False)
    hits = zones.zones_at(xy[pick, 0], xy[pick, 1], layers=["eez"])
    want = ts.name.to_numpy()[idx[pick]]
    got = hits.groupby("point")["name"].agg(set)
    assert all(want[i] in got.get(i, set()) for i in range(len(pick)))


def _coast_distance_km(x, y):
    """Geodesic distance to the nearest land-layer vertex (km); the land is simplified 200 m."""
    land = zones.load_zones("land")
    coast = shapely.get_coordinates(shapely.boundary(land.geometry.values))
    cKDTree = pytest.importorskip("scipy.spatial").cKDTree  # noqa: N806

    from geo._zonebuild import sphere

    tree = cKDTree(sphere.to_unit_vectors(coast[:, 0], coast[:, 1]))
    _, idx = tree.query(sphere.to_unit_vectors(x, y), k=16)
    _, _, d = GEOD.inv(np.repeat(x, 16), np.repeat(y, 16), coast[idx, 0].ravel(), coast[idx, 1].ravel())
    return d.reshape(-1, 16).min(axis=1) / 1000


def test_200nm_limit_vertices_are_370_km_from_the_coast():
    eez = zones.load_zones("eez")
    jpn = eez[eez.territory == "JPN"].geometry.values[0]
    xy = shapely.get_coordinates(shapely.boundary(jpn))
    # Minami-Torishima's open-ocean arc: east of 150 E
    sel = xy[(xy[:, 0] > 150.5)]
    sel = sel[:: max(1, len(sel) // 200)]
    d = _coast_distance_km(sel[:, 0], sel[:, 1])
    d = d[d > 50]  # the island's own coast is part of the boundary too
    assert len(d) > 50
    assert np.all(np.abs(d - 370.4) < 0.5), (d.min(), d.max())


def test_median_line_between_japan_and_russia_is_equidistant():
    eez = zones.load_zones("eez")
    jpn = eez[eez.territory == "JPN"].geometry.values[0]
    rus = eez[eez.territory == "RUS"].geometry.values[0]
    line = shapely.intersection(shapely.boundary(jpn), shapely.buffer(rus, 1e-7))
    xy = shapely.get_coordinates(line)
    xy = xy[(xy[:, 1] > 45.6) & (xy[:, 1] < 46.5) & (xy[:, 0] > 140) & (xy[:, 0] < 142)]
    assert len(xy) > 5
    land = zones.load_zones("land")
    cKDTree = pytest.importorskip("scipy.spatial").cKDTree  # noqa: N806

    from geo._zonebuild import sphere

    out = []
    for iso in ("JPN", "RUS"):
        c = shapely.get_coordinates(shapely.boundary(land[land.territory == iso].geometry.values))
        tree = cKDTree(sphere.to_unit_vectors(c[:, 0], c[:, 1]))
        _, idx = tree.query(sphere.to_unit_vectors(xy[:, 0], xy[:, 1]), k=16)
        _, _, d = GEOD.inv(
            np.repeat(xy[:, 0], 16), np.repeat(xy[:, 1], 16), c[idx, 0].ravel(), c[idx, 1].ravel()
        )
        out.append(d.reshape(-1, 16).min(axis=1) / 1000)
    assert np.all(np.abs(out[0] - out[1]) < 0.5)


def test_japan_korea_boundary_passes_the_1974_treaty_points():
    from geo._zonebuild.facts import TREATIES

    eez = zones.load_zones("eez")
    jpn = eez[eez.territory == "JPN"].geometry.values[0]
    kor = eez[eez.territory == "KOR"].geometry.values[0]
    shared = shapely.intersection(shapely.boundary(jpn), shapely.buffer(kor, 1e-6))
    pts = TREATIES[0].points(BUNDLE / "sources")
    for x, y in pts:
        q = shapely.ops.nearest_points(shapely.Point(x, y), shared)[1]
        assert GEOD.inv(x, y, q.x, q.y)[2] < 500


# --- API ---------------------------------------------------------------------------------


def test_china_vietnam_boundary_follows_the_2000_beibu_gulf_treaty():
    """The 2000 line divides the gulf; Bach Long Vi keeps only what the treaty leaves it."""
    from geo._zonebuild.facts import TREATIES

    treaty = next(t for t in TREATIES if t.key == "CHN-VNM-2000")
    eez = zones.load_zones("eez")
    chn = eez[eez.territory == "CHN"].geometry.values[0]
    vnm = eez[eez.territory == "VNM"].geometry.values[0]
    shared = shapely.intersection(shapely.boundary(chn), shapely.buffer(vnm, 1e-6))
    # all 21 points, territorial sea (1-9) and EEZ (9-21), lie where the two zones meet
    for x, y in treaty.points(BUNDLE / "sources"):
        q = shapely.ops.nearest_points(shapely.Point(x, y), shared)[1]
        assert GEOD.inv(x, y, q.x, q.y)[2] < 50
    assert list(_sov(107.0, 19.0).sovereign) == ["VNM"]
    # points the median line (Bach Long Vi given full effect) gave Viet Nam: China's by treaty
    for lon, lat in [(107.6, 19.45), (108.1, 19.8)]:
        assert list(_sov(lon, lat).sovereign) == ["CHN"]


def test_limits_are_measured_from_chinas_1996_baselines():
    """Macaiheng and Waikejiao (base points 9 and 10) are shoals ~50 km off the Jiangsu coast.

    10 nm seaward of the midpoint of the baseline between them is China's territorial sea
    only if limits are measured from the declared baseline, not the low-water line.
    """
    from geo._zonebuild.facts import BASELINES

    pts = BASELINES[0].points(BUNDLE / "sources")
    (x0, y0), (x1, y1) = pts[8], pts[9]
    az, _, d = GEOD.inv(x0, y0, x1, y1)
    mx, my, _ = GEOD.fwd(x0, y0, az, d / 2)
    x, y, _ = GEOD.fwd(mx, my, az - 90, 10.0 * NM)
    assert list(_sov(x, y, layer="territorial_sea").sovereign) == ["CHN"]
    x, y, _ = GEOD.fwd(mx, my, az - 90, 13.0 * NM)
    assert list(_sov(x, y, layer="contiguous_zone").sovereign) == ["CHN"]
    assert _sov(x, y, layer="territorial_sea").empty


def test_baseline_points_follow_the_geodesic_and_skip_coast_duplicates():
    from geo._zonebuild import land
    from geo._zonebuild.facts import BASELINES

    pts = BASELINES[0].points(BUNDLE / "sources")
    far = (np.array([0.0]), np.array([0.0]))
    x, y, owner = land.baseline_points(BASELINES, BUNDLE / "sources", spacing_m=1000.0, coast=far)
    assert set(owner) == {"CHN"}
    assert (x[0], y[0]) == tuple(pts[0]) and (x[-1], y[-1]) == tuple(pts[-1])
    gaps = GEOD.inv(x[:-1], y[:-1], x[1:], y[1:])[2]
    assert gaps.max() <= 1000.0
    # a coast point on base point 12 (Haijiao) removes the baseline point there
    coast = (pts[11:12, 0], pts[11:12, 1])
    x2, _, _ = land.baseline_points(BASELINES, BUNDLE / "sources", spacing_m=1000.0, coast=coast)
    assert len(x2) == len(x) - 1


def test_zones_at_vectorised_matches_scalar():
    lon = np.array([157.5, 157.8, 132.9])
    lat = np.array([24.3, 24.3, 37.6])
    many = zones.zones_at(lon, lat, layers=["eez"])
    assert many.point.tolist() == [0, 2]
    assert many.lon.tolist() == [157.5, 132.9]


@pytest.mark.parametrize(("lon", "lat"), [(np.nan, 1.0), (1.0, 91.0), (np.inf, 0.0)])
def test_zones_at_rejects_bad_coordinates(lon, lat):
    with pytest.raises(GeoError, match="lon, lat"):
        zones.zones_at(lon, lat)


def test_bad_layer_and_perspective():
    with pytest.raises(GeoError, match="layer must be one of"):
        zones.load_zones("fisheries")
    with pytest.raises(GeoError, match="ISO 3166"):
        zones.load_zones("eez", perspective="Japan")


def test_missing_folder_names_env_and_bundle(tmp_path, monkeypatch):
    monkeypatch.setenv(zones.ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(zones.BoundariesNotFoundError, match=zones.ENV_VAR) as err:
        zones.load_zones("eez")
    assert "data/boundaries" in str(err.value)


def test_env_var_points_elsewhere(tmp_path, monkeypatch):
    gdf = zones.load_zones("eez")
    gdf[gdf.territory == "PLW"].to_file(tmp_path / "eez.gpkg", layer="eez")
    monkeypatch.setenv(zones.ENV_VAR, str(tmp_path))
    assert zones.load_zones("eez").territory.tolist() == ["PLW"]


def test_perspective_only_changes_its_own_claims():
    neutral = zones.load_zones("eez")
    jpn = zones.load_zones("eez", perspective="jpn")
    changed = neutral.status != jpn.status
    assert set(neutral.name[changed]) == {
        n for n, c in zip(neutral.name, neutral.claimants, strict=True) if "JPN" in c.split(";") and ";" in c
    }
    assert (jpn.status[changed] == "claimed").all()


# --- import of official files -------------------------------------------------------------


def _mr_frame(**over):
    data = {
        "MRGID": [8487, 48955],
        "GEONAME": ["Japanese EEZ", "Overlapping claim Liancourt"],
        "POL_TYPE": ["200NM", "Overlapping claim"],
        "SOVEREIGN1": ["Japan", "South Korea"],
        "ISO_SOV1": ["JPN", "KOR"],
        "ISO_SOV2": [None, "JPN"],
        "ISO_SOV3": [None, None],
        "ISO_TER1": ["JPN", None],
    }
    data.update(over)
    geoms = [shapely.box(140, 30, 150, 40), shapely.box(131, 37, 132, 38)]
    return gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:4326")


def test_import_marine_regions_round_trip(tmp_path):
    src = tmp_path / "eez_v12.gpkg"
    _mr_frame().to_file(src)
    out = zones.import_marine_regions(src, tmp_path / "official")
    gdf = zones.load_zones("eez", path=out.parent)
    assert gdf.status.tolist() == ["claimed", "disputed"]
    assert gdf.claimants.tolist() == ["JPN", "JPN;KOR"]
    hits = zones.zones_at(131.5, 37.5, path=out.parent, perspective="KOR")
    assert hits.sovereign.tolist() == ["KOR"]
    assert json.loads((out.parent / "manifest.json").read_text())["layers"]["eez"]["features"] == 2


def test_import_rejects_missing_columns(tmp_path):
    src = tmp_path / "bad.gpkg"
    _mr_frame().drop(columns=["POL_TYPE"]).to_file(src)
    with pytest.raises(zones.BoundaryDataError, match="POL_TYPE"):
        zones.read_marine_regions(src)


def test_import_reprojects_wrong_crs_with_warning(tmp_path):
    src = tmp_path / "merc.gpkg"
    _mr_frame().to_crs("EPSG:3857").to_file(src)
    with pytest.warns(zones.ZoneRepairWarning, match="EPSG:3857"):
        gdf = zones.read_marine_regions(src)
    assert gdf.crs.to_epsg() == 4326
    assert abs(gdf.total_bounds[0] - 131) < 1e-6


def test_import_without_crs_is_an_error(tmp_path):
    src = tmp_path / "nocrs.shp"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the writer warns that no CRS is set
        _mr_frame().set_crs(None, allow_override=True).to_file(src)
    with pytest.raises(zones.BoundaryDataError, match="assume_crs"):
        zones.read_marine_regions(src)
    assert zones.read_marine_regions(src, assume_crs="EPSG:4326").crs.to_epsg() == 4326


def test_import_repairs_invalid_polygons_with_warning(tmp_path):
    bowtie = shapely.Polygon([(140, 30), (150, 40), (150, 30), (140, 40)])
    gdf = _mr_frame()
    gdf.loc[0, "geometry"] = bowtie
    src = tmp_path / "invalid.gpkg"
    gdf.to_file(src)
    with pytest.warns(zones.ZoneRepairWarning, match="1 invalid polygon"):
        out = zones.read_marine_regions(src)
    assert shapely.is_valid(out.geometry.values).all()


def test_import_names_bad_pol_type(tmp_path):
    src = tmp_path / "pol.gpkg"
    _mr_frame(POL_TYPE=["200NM", "Fishing zone"]).to_file(src)
    with pytest.raises(zones.BoundaryDataError, match="row 1"):
        zones.read_marine_regions(src)


# --- the build (slow; CI runs `geo boundaries build --check` instead) ------------------------


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("GEO_RUN_BUILD") != "1", reason="set GEO_RUN_BUILD=1")
def test_build_reproduces_the_bundle(tmp_path):
    from geo._zonebuild.compare import compare_dirs
    from geo._zonebuild.pipeline import LAYERS, build

    build(tmp_path)
    assert compare_dirs(BUNDLE, tmp_path, LAYERS) == []
