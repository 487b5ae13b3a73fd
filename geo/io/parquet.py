"""GeoParquet 1.1: all layers in one file with a ``layer`` column and a ``bbox`` covering column;
each layer's columns and dtypes in the file's metadata (key ``geo:layers``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from geo.io.layers import (
    LAYER_COLUMN,
    attributes_of,
    restore_dtypes,
)

_PARQUET_KEY = b"geo:layers"


def write(frames: dict[str, Any], tmp: Path) -> None:
    import pandas as pd
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    schema = {
        name: {"columns": list(attributes_of(gdf).columns), "dtypes": {c: str(t) for c, t in attributes_of(gdf).dtypes.items()}}
        for name, gdf in frames.items()
    }  # fmt: skip
    both = pd.concat([gdf.assign(**{LAYER_COLUMN: name}) for name, gdf in frames.items()], ignore_index=True)
    both = both[[LAYER_COLUMN, *[c for c in both.columns if c != LAYER_COLUMN]]]
    plain = tmp.with_name(tmp.name + ".plain")
    # GeoParquet 1.1 with a bbox covering column, so readers can skip row groups by extent.
    both.to_parquet(plain, index=False, write_covering_bbox=True, schema_version="1.1.0")
    table = pq.read_table(plain)
    meta = {**(table.schema.metadata or {}), _PARQUET_KEY: json.dumps(schema).encode()}
    pq.write_table(table.replace_schema_metadata(meta), tmp)


def read(path: Path) -> dict[str, Any]:
    import geopandas as gpd
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    both = gpd.read_parquet(path)
    if both.crs is None or not both.crs.equals("EPSG:4326"):
        both = both.to_crs("EPSG:4326") if both.crs is not None else both.set_crs("EPSG:4326")
    if LAYER_COLUMN not in both.columns:
        return {"features": both}
    schema = json.loads(meta[_PARQUET_KEY]) if _PARQUET_KEY in meta else {}
    out = {}
    for name in both[LAYER_COLUMN].unique():
        part = both[both[LAYER_COLUMN] == name].drop(columns=LAYER_COLUMN).reset_index(drop=True)
        info = schema.get(str(name))
        if info is not None:
            part = restore_dtypes(part[[*info["columns"], part.geometry.name]], info["dtypes"])
        out[str(name)] = part
    return out
