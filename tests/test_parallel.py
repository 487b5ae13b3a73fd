"""The dask path gives the in-process answers, on a LocalCluster, with GeoParquet in and out."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest

from geo import assess

dask_geopandas = pytest.importorskip("dask_geopandas", reason="needs the dask extra")
distributed = pytest.importorskip("distributed", reason="needs the dask extra")

from geo import parallel  # noqa: E402

# dask-geopandas 0.5 calls pandas APIs that pandas 3 deprecates (reset_index(inplace=...));
# not ours to fix, and harmless here.
pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")


@pytest.fixture(scope="module")
def cluster() -> object:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as c,
        distributed.Client(c) as client,
    ):
        yield client


def test_dask_matches_in_process(
    cluster: object, synthetic_zones: dict[str, gpd.GeoDataFrame], tmp_path: Path
) -> None:
    rng = np.random.default_rng(0)
    n = 50_000
    pts = gpd.GeoDataFrame(
        {"id": np.arange(n)},
        geometry=gpd.points_from_xy(rng.uniform(125, 150, n), rng.uniform(30, 50, n)),
        crs="EPSG:4326",
    )
    zi = assess.ZoneIndex(synthetic_zones, perspective="JPN")
    expected = zi.owner(pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy())
    src, dst = tmp_path / "in", tmp_path / "out"
    dask_geopandas.from_geopandas(pts, npartitions=4).to_parquet(src)
    parallel.classify_parquet(str(src), str(dst), zones=zi)
    got = dask_geopandas.read_parquet(dst).compute().sort_values("id")
    assert len(got) == n
    assert (got[parallel.OWNER_COLUMN].to_numpy(dtype=str) == expected).all()
    assert {"JPN", "KOR", "high_seas"} <= set(expected.tolist())


def test_another_crs_is_reprojected(synthetic_zones: dict[str, gpd.GeoDataFrame]) -> None:
    """Points in Web Mercator are read in their CRS (they used to be refused)."""
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy([140.5, 150.0], [40.0, 40.0]), crs="EPSG:4326")
    out = parallel.classify_frame(pts.to_crs("EPSG:3857"), zones=assess.ZoneIndex(synthetic_zones))
    assert out[parallel.OWNER_COLUMN].tolist() == ["JPN", "high_seas"]
    assert out.crs.to_epsg() == 3857  # the frame comes back as it was given, with its column added
