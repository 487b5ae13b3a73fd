"""GeoJSON (RFC 7946): one FeatureCollection holding all layers, a ``layer`` property naming
each feature's layer; GDAL writes the geometries, Python's JSON the properties.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geo._errors import GeoError
from geo.io.layers import (
    LAYER_COLUMN,
    attributes_of,
    geoframe,
    records_of,
)

#: GeoJSON coordinate decimals: 1e-7 deg is 1.1 cm, finer than any input (RFC 7946 sec. 11.2).
GEOJSON_DECIMALS = 7


#: GDAL's RFC 7946 mode: no ``crs`` member, exteriors counter-clockwise and holes clockwise,
#: geometries split at 180 deg, coordinates rounded to :data:`GEOJSON_DECIMALS`.
_GEOJSON_OPTIONS = {"RFC7946": "YES", "COORDINATE_PRECISION": str(GEOJSON_DECIMALS), "WRITE_NAME": "NO"}


def write(frames: dict[str, Any], tmp: Path) -> None:
    """GDAL writes each layer's geometries (RFC 7946 mode); each feature gets its own layer's
    properties, in Python's JSON (GDAL's C strings would end a text at NUL); the features
    join one collection."""
    import pyogrio

    head: dict[str, Any] = {"type": "FeatureCollection"}
    features: list[str] = []
    for i, (name, gdf) in enumerate(frames.items()):
        part = tmp.with_name(f"{tmp.name}.{i}.geojson")
        pyogrio.write_dataframe(
            gdf[[gdf.geometry.name]], part, driver="GeoJSON", layer_options=_GEOJSON_OPTIONS
        )
        doc = json.loads(part.read_text(encoding="utf-8"))
        part.unlink()
        head.update({k: v for k, v in doc.items() if k not in ("features", "name")})
        written = doc["features"]
        if len(written) != len(gdf):
            raise GeoError(
                f"GDAL wrote {len(written)} of the {len(gdf)} features of layer {name!r}; report this"
            )
        features += [
            json.dumps(
                {
                    "type": "Feature",
                    "properties": {LAYER_COLUMN: name, **props},
                    "geometry": _collapsed_parts_dropped(f["geometry"]),
                },
                ensure_ascii=False,
                allow_nan=False,
            )
            for f, props in zip(written, records_of(attributes_of(gdf)), strict=True)
        ]
    head["features"] = []
    opening = json.dumps(head, ensure_ascii=False).removesuffix("[]}")
    tmp.write_text(opening + "[\n" + ",\n".join(features) + "\n]}\n", encoding="utf-8")


_GEOJSON_DIM = {
    "Point": 0,
    "MultiPoint": 0,
    "LineString": 1,
    "MultiLineString": 1,
    "Polygon": 2,
    "MultiPolygon": 2,
}


def _collapsed_parts_dropped(geom: Any) -> Any:
    """A GeoJSON geometry of one family: GDAL's rounding to 1e-7 deg can collapse a sliver of a
    polygon to a line beside it (a GeometryCollection); the parts of lower dimension, which
    had no area at that precision, are left out and the rest kept as one Multi* geometry."""
    if not isinstance(geom, dict) or geom.get("type") != "GeometryCollection":
        return geom
    members = [m for m in geom.get("geometries", []) if m.get("type") in _GEOJSON_DIM]
    if not members:
        return geom
    top = max(_GEOJSON_DIM[m["type"]] for m in members)
    kept = [m for m in members if _GEOJSON_DIM[m["type"]] == top]
    single = {0: "Point", 1: "LineString", 2: "Polygon"}[top]
    coords = [c for m in kept for c in ([m["coordinates"]] if m["type"] == single else m["coordinates"])]
    return {"type": f"Multi{single}", "coordinates": coords}


def read(path: Path) -> dict[str, Any]:
    import pandas as pd

    doc = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise GeoError(f"{str(path)!r} is not a GeoJSON FeatureCollection; export it with geo export")
    groups: dict[str, list[dict[str, Any]]] = {}
    for feature in doc.get("features", []):
        props = dict(feature.get("properties") or {})
        groups.setdefault(str(props.pop(LAYER_COLUMN, "features")), []).append(
            {"props": props, "geom": feature.get("geometry")}
        )
    crs = _geojson_crs(path, doc.get("crs"))
    out = {}
    for name, feats in groups.items():
        texts = np.array([json.dumps(f["geom"]) if f["geom"] else None for f in feats], dtype=object)
        df = pd.DataFrame([f["props"] for f in feats])
        geoms = shapely.from_geojson(texts)
        if crs is not None:
            geoms = geoframe(df, geoms).set_crs(crs, allow_override=True).to_crs("EPSG:4326").geometry.values
        _check_degrees(path, name, geoms)
        out[name] = geoframe(df, geoms)
    return out


def _geojson_crs(path: Path, member: Any) -> Any:
    """The CRS named by a (pre-RFC 7946) ``crs`` member, or None for lon/lat degrees."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    if member is None:
        return None
    name = member.get("properties", {}).get("name") if isinstance(member, dict) else None
    try:
        crs = CRS.from_user_input(name)
    except (CRSError, TypeError):
        raise GeoError(
            f"{str(path)!r} has a crs member {member!r} that names no CRS; remove it "
            "(RFC 7946 GeoJSON is always lon/lat degrees) or name one, e.g. EPSG:3857"
        ) from None
    return None if crs.equals("EPSG:4326") or crs.equals("OGC:CRS84") else crs


def _check_degrees(path: Path, layer: str, geoms: Any) -> None:
    """Refuse coordinates that cannot be lon/lat degrees (metres in a file without a CRS)."""
    bounds = shapely.bounds(geoms)
    with np.errstate(invalid="ignore"):
        bad = (np.abs(bounds[:, [0, 2]]) > 360).any(axis=1) | (np.abs(bounds[:, [1, 3]]) > 90).any(axis=1)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise GeoError(
            f"{str(path)!r} layer {layer!r} feature {i}: coordinates {bounds[i].round(3).tolist()} are not "
            "lon/lat degrees; reproject the file to EPSG:4326 (RFC 7946) before reading it"
        )
