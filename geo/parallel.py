"""Zone lookups beyond one machine: dask-geopandas partitions, each classified in place.

Each partition is classified by the same :class:`geo.assess.ZoneIndex` as in-process
work, so the answers are identical; the index is built once per worker process (cached
by :func:`geo.assess.zone_index`) from the bundled layers, which every worker must be
able to read (install ``geo`` on the workers, or point ``GEO_BOUNDARIES_DIR`` at a
shared copy of ``data/boundaries``).

Running on a real cluster::

    from dask.distributed import Client
    client = Client("tcp://scheduler:8786")          # workers: pip install 'geo[dask]'
    classify_parquet("s3://bucket/points/", "s3://bucket/out/", perspective="JPN")

Requires the ``dask`` extra: ``pip install 'geo[dask]'``.
"""

from __future__ import annotations

from typing import Any

from geo._errors import MissingExtraError

__all__ = ["OWNER_COLUMN", "classify_dask", "classify_frame", "classify_parquet"]

OWNER_COLUMN = "zone_owner"
"""Column that receives each point's outcome key (ISO3, disputed:A+B, land:ISO3, high_seas, outside_coverage)."""


def _dask_geopandas() -> Any:
    try:
        import dask_geopandas
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise MissingExtraError("dask_geopandas", "dask") from None
    return dask_geopandas


def classify_frame(frame: Any, perspective: str | None = None, zones: Any = None) -> Any:
    """Add :data:`OWNER_COLUMN` to a GeoDataFrame of points or polygons, in any CRS.

    Points are classified by :meth:`geo.assess.ZoneIndex.owner`; a polygon gets the outcome
    with the largest share of its area (:func:`geo.frames.assess_frame`). Geometry without a
    CRS is read as lon/lat only when its coordinates are degrees; metres are refused.
    """
    import pandas as pd
    import shapely

    from geo.assess import zone_index
    from geo.frames import assess_frame, to_lonlat

    zi = zones if zones is not None else zone_index(
        perspective, where=tuple(shapely.total_bounds(to_lonlat(frame).to_numpy())) if len(frame) else None
    )
    out = frame.copy()
    if not len(frame):
        out[OWNER_COLUMN] = pd.Series([], dtype="str", index=frame.index)
        return out
    geoms = to_lonlat(frame).to_numpy()
    points = shapely.get_type_id(geoms) == 0
    owner = pd.Series("", dtype="str", index=frame.index)
    if points.all():
        owner[:] = zi.owner(shapely.get_x(geoms), shapely.get_y(geoms))
    else:
        owner[:] = assess_frame(geoms, zones=zi)["zone_owner"].to_numpy()
    out[OWNER_COLUMN] = owner
    return out


def classify_dask(ddf: Any, *, perspective: str | None = None, zones: Any = None) -> Any:
    """Classify a dask-geopandas GeoDataFrame partition by partition (lazy; call ``.compute()``).

    ``zones`` (a ZoneIndex) is shipped to the workers when given; by default each worker
    builds the bundled index once.
    """
    _dask_geopandas()
    import pandas as pd

    meta = ddf._meta.copy()
    meta[OWNER_COLUMN] = pd.Series([], dtype="str", index=meta.index)
    return ddf.map_partitions(classify_frame, perspective, zones, meta=meta)


def classify_parquet(
    source: str, destination: str, *, perspective: str | None = None, zones: Any = None
) -> None:
    """Read partitioned GeoParquet, classify every point, write partitioned GeoParquet."""
    dgpd = _dask_geopandas()
    ddf = dgpd.read_parquet(source)
    classify_dask(ddf, perspective=perspective, zones=zones).to_parquet(destination)
