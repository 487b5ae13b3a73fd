"""Large batches take other roads than one point: stored kernel tables, one index of every line.

Each road must give the answers of the road it replaces: these tests run both.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pytest

from geo import events as events_
from geo import geodesy
from geo._distance import LineDistance
from geo._index import COMPILED_MIN_POINTS, GridIndex
from geo.assess import ZoneIndex
from geo.assess import store as store_
from geo.assess.region import LazyGrid, grid_arrays


def _points(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(125.0, 155.0, n), rng.uniform(30.0, 50.0, n)


def _dict_store() -> tuple[Any, list[int]]:
    """A store in memory that counts its builds, kept like cached_arrays keeps its entries (0-d arrays as 1-d)."""
    kept: dict[str, Any] = {}
    builds: list[int] = []

    def store(build: Any) -> Any:
        if "arrays" not in kept:
            builds.append(1)
            kept["arrays"] = {k: np.ascontiguousarray(v) for k, v in build().items()}
        return kept["arrays"]

    return store, builds


def test_stored_kernel_tables_give_the_pairs_of_a_fresh_index(synthetic_zones: dict[str, gpd.GeoDataFrame]) -> None:
    pytest.importorskip("numba")
    polys = synthetic_zones["eez"].geometry.values
    index = GridIndex.build(polys, cell_deg=0.1)
    x, y = _points(COMPILED_MIN_POINTS + 5_000)
    # points on vertices and on grid lines too, where the compiled engine hands pairs back to GEOS
    vx, vy = np.asarray(polys[0].exterior.coords.xy)
    x, y = np.concatenate([x, vx, np.round(x[:500], 1)]), np.concatenate([y, vy, np.round(y[:500], 1)])
    want = index.query(x, y, engine="numpy")
    store, builds = _dict_store()
    for _ in range(2):  # built once, then read back by a new lazy index that decodes no piece up front
        lazy = LazyGrid(grid_arrays(index), kernel_store=store)
        got = lazy.query(x, y, engine="compiled")
        assert [a.tolist() for a in got] == [a.tolist() for a in want]
    assert builds == [1]
    assert int(lazy._decoded.sum()) < lazy._decoded.size  # only the pieces GEOS was asked about


def _without_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_, "WHOLE_POINTS", 10**12)
    monkeypatch.setattr(store_, "WHOLE_SHARE", 2.0)


@pytest.mark.parametrize("perspective", [None, "JPN"])
def test_a_catalogue_on_the_whole_index_answers_as_the_tiles_do(
    synthetic_zones: dict[str, gpd.GeoDataFrame], monkeypatch: pytest.MonkeyPatch, perspective: str | None
) -> None:
    x, y = _points(store_.WHOLE_POINTS + 1_000, seed=1)
    # some points right on the limits' and coasts' vertices: distance 0, and ties between countries
    for layer in ("eez", "land"):
        v = np.asarray(synthetic_zones[layer].geometry.values[0].exterior.coords)[:50]
        x, y = np.concatenate([x, v[:, 0]]), np.concatenate([y, v[:, 1]])
    whole = ZoneIndex(synthetic_zones, perspective=perspective)
    limits, coast = whole.distances_to_limits_km(x, y), whole.nearest_coast(x, y)
    assert set(whole._wholes) == {"limits", "coast"}  # the batch took the whole indexes
    assert sum(len(o) for o in limits) > x.size  # most points have two or more countries in reach
    _without_whole(monkeypatch)
    tiled = ZoneIndex(synthetic_zones, perspective=perspective)
    again = tiled.distances_to_limits_km(x, y)
    # the same countries in the same order at the same distances (as given: to 1e-6 km); the
    # nearest points to the last bits of Newton's steps, which start from other candidates
    assert [{k: v["distance_km"] for k, v in o.items()} for o in again] == [{k: v["distance_km"] for k, v in o.items()} for o in limits]
    for key in ("nearest_lon", "nearest_lat"):
        a = np.array([v[key] for o in again for v in o.values()])
        b = np.array([v[key] for o in limits for v in o.values()])
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)
    d, c = tiled.nearest_coast(x, y)
    assert not tiled._wholes
    np.testing.assert_array_equal(d, coast[0])
    assert c.tolist() == coast[1].tolist()


def test_a_stored_whole_index_reads_back_with_the_same_answers(synthetic_zones: dict[str, gpd.GeoDataFrame]) -> None:
    zi = ZoneIndex(synthetic_zones)
    lines = zi._tiled["coast"]
    store, builds = _dict_store()
    line = lines.row[lines.unique()]
    first, again = (lines.whole(line, per_line=False, store=store) for _ in range(2))
    assert builds == [1] and isinstance(again, LineDistance)
    x, y = _points(2_000, seed=2)
    for a, b in zip(first.query(x, y), again.query(x, y), strict=True):
        np.testing.assert_array_equal(a, b)


def test_unique_keeps_each_segment_once(synthetic_zones: dict[str, gpd.GeoDataFrame]) -> None:
    lines = ZoneIndex(synthetic_zones)._tiled["limits"]
    u = lines.unique()
    key = np.column_stack([lines.ax, lines.ay, lines.bx, lines.by])
    assert len({tuple(r) for r in key[u].tolist()}) == u.size == len({tuple(r) for r in key.tolist()})
    assert u.size < lines.size  # segments across a tile edge are kept in two tiles


@pytest.mark.parametrize(
    "text", ["38.5", "-38.5", "+38.5", "-0", "0", "90", "-90", "180", "-180", "359.99999", "-360", "200.25", "007.50"]
)
def test_plain_decimal_cells_read_as_the_full_parser_reads_them(text: str) -> None:
    lon = float(geodesy.check_lonlat(events_.degrees(text, "longitude"), 0.0)[0])
    got = events_.read_events(_csv(f"e,{min(abs(float(text)), 90.0)},{text}"))[0][0]
    assert got.lon == lon and np.signbit(got.lon) == np.signbit(lon)


@pytest.mark.parametrize(
    ("lat", "lon", "reason"),
    [("91", "10", "latitude must be within"), ("10", "361", "longitude must be within"), ("10", "1e2", "not a number")],
)
def test_plain_decimals_out_of_range_still_get_the_full_parsers_reason(lat: str, lon: str, reason: str) -> None:
    events, errors, _ = events_.read_events(_csv(f"e,{lat},{lon}"))
    assert not events and len(errors) == 1 and reason in errors[0].reason


def _csv(row: str) -> Any:
    import io

    return io.BytesIO(f"name,lat,lon\n{row}\n".encode())


def test_summarised_sample_sets_are_what_assess_samples_gives_each(synthetic_zones: dict[str, gpd.GeoDataFrame]) -> None:
    from geo import uncertainty
    from geo.assess import OUTSIDE_COVERAGE, assess_samples, summarise_samples

    zi = ZoneIndex(synthetic_zones, coverage=(125.0, 30.0, 150.0, 50.0))
    sets = [
        uncertainty.from_site((137.0, 40.0), range_km=(100.0, 400.0), azimuth="0:360", n=3_000, seed=1),  # all outcomes
        uncertainty.from_site((140.0, 40.0), range_km=50.0, azimuth="80:100", n=500, seed=2),  # near island A
        uncertainty.from_site((148.0, 40.0), range_km=(300.0, 600.0), azimuth="60:120", n=800, seed=3),  # centre outside
    ]
    got = summarise_samples(sets, zones=zi)
    for s, g in zip(sets, got, strict=True):
        want = assess_samples(s, zones=zi, outside="report")
        assert (g.lon, g.lat, g.eez) == (want.lon, want.lat, want.eez)
        assert list(g.probability.items()) == list(want.probability.items())
        assert (g.nearest_coast_km, g.nearest_coast_country) == (
            want.nearest_coast["distance_km"], want.nearest_coast["country"]
        )
    assert len(got[0].probability) >= 3 and OUTSIDE_COVERAGE in got[2].probability
    assert got[2].nearest_coast_km is None and got[1].nearest_coast_country == "JPN"


def test_brute_force_search_of_small_trees_answers_as_the_kd_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    import shapely

    from geo import _distance_kdtree as _distance

    rng = np.random.default_rng(4)
    lines = [shapely.LineString(np.column_stack([130 + np.cumsum(rng.uniform(0, 0.05, 300)), 35 + rng.normal(0, 0.2, 300)]))
             for _ in range(3)]  # fmt: skip
    x, y = rng.uniform(129.0, 146.0, 8), rng.uniform(33.0, 37.0, 8)  # 8 x 6,229 vertices: brute force
    small = LineDistance.build(lines)
    assert all(vt.vx.size <= _distance._BRUTE for vt in small.trees)
    brute = small.query(x, y)
    assert not any("tree" in vt.__dict__ for vt in small.trees)  # no KD-tree was built
    monkeypatch.setattr(_distance, "_BRUTE", 0)
    tree = LineDistance.build(lines).query(x, y)
    for a, b in zip(brute, tree, strict=True):
        np.testing.assert_array_equal(a, b)
