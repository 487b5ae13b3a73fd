"""Layers in: an analysis (:class:`geo.maps.MapLayers`) or named GeoDataFrames as the checked,
typed layer frames every writer of :mod:`geo.io` takes (one geometry family per layer, empty
layers left out), the text check, and the helpers the format modules share.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from geo import style
from geo._errors import GeoError

#: The layers an analysis exports, in order (a layer of several geometry families is split
#: by family on export: ``regions`` polygons and ``region_lines``).
LAYERS = ("sites", "rings", "impacts", "regions", "tracks", "zones")
#: The column naming each feature's layer in the one-file formats (GeoJSON, GeoParquet).
LAYER_COLUMN = "layer"
#: Format name -> what messages call it.
FORMAT_NAMES = {
    "gpkg": "GeoPackage",
    "geojson": "GeoJSON",
    "kml": "KML",
    "kmz": "KMZ",
    "parquet": "GeoParquet",
    "shp.zip": "zipped Shapefile",
    "shp": "Shapefile",
}
_LAYER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


FAMILY_OF = {
    "Point": "points",
    "MultiPoint": "points",
    "LineString": "lines",
    "MultiLineString": "lines",
    "LinearRing": "lines",
    "Polygon": "polygons",
    "MultiPolygon": "polygons",
    "GeometryCollection": "collections",
}
_FAMILY_RANK = ("polygons", "lines", "points", "collections")


def layer_frames(layers: Any) -> dict[str, Any]:
    """The named GeoDataFrames :func:`geo.io.export_layers` writes for ``layers``: empty layers left
    out, a layer of several geometry types split by type (``regions`` and ``region_lines``).

    Examples
    --------
    >>> from geo.maps import collect_layers
    >>> list(layer_frames(collect_layers(sites=["Hamhung"], rings_km=[500], zones=False)))
    ['sites', 'rings']
    """
    from geo.maps import MapLayers

    if isinstance(layers, MapLayers):
        named = {n: getattr(layers, n) for n in LAYERS[:-1]}
        named["zones"] = _involved_zones(layers)
    elif isinstance(layers, Mapping):
        named = dict(layers)
    else:
        raise GeoError(
            f"cannot export {type(layers).__name__}; give a MapLayers (geo.maps.collect_layers) "
            "or a dict of GeoDataFrames"
        )
    out: dict[str, Any] = {}
    for name, gdf in named.items():
        if gdf is None or len(gdf) == 0:
            continue
        for part_name, part in _by_family(str(name), _checked(str(name), gdf)).items():
            if part_name in out or (part_name in named and part_name != name):
                raise GeoError(
                    f"layer {name!r} holds several geometry types and is split into {part_name!r}, "
                    "which names another layer too; rename that layer"
                )
            out[part_name] = part
    if not out:
        raise GeoError("nothing to export: every layer is empty; give a site, an impact or an events file")
    return out


def _checked(name: str, gdf: Any) -> Any:
    if not _LAYER_NAME.match(name):
        raise GeoError(f"layer name {name!r} must be letters, digits and _ (not first a digit); rename it")
    if not hasattr(gdf, "geometry"):
        raise GeoError(f"layer {name!r} is a {type(gdf).__name__}, not a GeoDataFrame")
    if gdf.crs is None or not gdf.crs.equals("EPSG:4326"):
        raise GeoError(
            f"layer {name!r} has CRS {gdf.crs}, expected EPSG:4326; use gdf.to_crs('EPSG:4326') "
            "(or gdf.set_crs('EPSG:4326') if it is lon/lat already)"
        )
    gdf = gdf.rename_geometry("geometry") if gdf.geometry.name != "geometry" else gdf
    if LAYER_COLUMN in gdf.columns:
        raise GeoError(f"layer {name!r} has a column named {LAYER_COLUMN!r}, which names layers; rename it")
    bad = [c for c in gdf.columns if not isinstance(c, str) or not c]
    if bad:
        raise GeoError(f"layer {name!r} has column names {bad!r} that are not text; rename them")
    return gdf.reset_index(drop=True)


def _by_family(name: str, gdf: Any) -> dict[str, Any]:
    """One layer per geometry family: GIS clients give a layer one geometry type and do not draw
    the features of another. Polygons keep the layer's name; lines of ``regions`` go to
    ``region_lines``, points to ``region_points``. A missing geometry stays in the first part."""
    import pandas as pd

    families = gdf.geometry.geom_type.map(FAMILY_OF).to_numpy(dtype=object)
    present = [f for f in _FAMILY_RANK if (families == f).any()]
    if len(present) <= 1:
        return {name: gdf}
    main = present[0]
    stem = name.removesuffix("s") or name
    out = {}
    for family in present:
        keep = families == family
        if family == main:
            keep |= pd.isna(families)
        out[name if family == main else f"{stem}_{family}"] = gdf[keep].reset_index(drop=True)
    return out


#: Characters each format cannot hold: XML 1.0 has no control characters but tab, LF and CR
#: (not even as references); GDAL's text (GeoPackage, DBF) ends at NUL; UTF-8 has no lone
#: surrogates. Text holding them is refused rather than cut or changed.
_UNWRITABLE = {
    "kml": re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]"),
    "gpkg": re.compile("[\x00\ud800-\udfff]"),
    "shp.zip": re.compile("[\x00\ud800-\udfff]"),
    "kmz": re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]"),
    "shp": re.compile("[\x00\ud800-\udfff]"),
    "geojson": re.compile("[\ud800-\udfff]"),
    "parquet": re.compile("[\ud800-\udfff]"),
}


def check_text(frames: dict[str, Any], fmt: str) -> None:
    """Every text goes into the file as it is, or the export is refused naming where it is."""
    pattern = _UNWRITABLE[fmt]
    for name, gdf in frames.items():
        attrs = attributes_of(gdf)
        for col in attrs.columns:
            if pattern.search(col):
                raise GeoError(
                    f"layer {name!r}: column name {col!r} holds a character {FORMAT_NAMES[fmt]} cannot hold; rename it"
                )
            values = attrs[col]
            if values.dtype.kind in "biufcmM":
                continue
            found = (
                values.astype(object)
                .where(values.notna(), None)
                .map(lambda v: isinstance(v, str) and pattern.search(v) is not None)
            )
            if found.any():
                i = int(np.flatnonzero(found.to_numpy(bool))[0])
                value = str(values.iloc[i])
                char = pattern.search(value)
                assert char is not None
                shown = value if len(value) <= 60 else value[:57] + "..."
                raise GeoError(
                    f"layer {name!r} row {i} column {col!r}: {shown!r} holds the character "
                    f"U+{ord(char.group()):04X}, which {FORMAT_NAMES[fmt]} cannot hold; remove it from the "
                    f"input, or export to {', '.join(f for f in _KEEPS_ALL if f != fmt)} (they keep it)"
                )


_KEEPS_ALL = (".geojson", ".parquet")


def _involved_zones(layers: Any) -> Any:
    """The zones the other layers touch: exporting every zone of the region is rarely wanted."""
    zones = layers.zones
    if zones is None or len(zones) == 0:
        return None
    focus = np.asarray(layers.focus(), dtype=object)
    if len(focus) == 0:
        return None
    hits = np.unique(zones.sindex.query(focus, predicate="intersects")[1])
    return zones.iloc[hits]


def attributes_of(gdf: Any) -> Any:
    return gdf.drop(columns=gdf.geometry.name)


def records_of(df: Any) -> list[dict[str, Any]]:
    """Plain Python values, missing as None (JSON null, KML absent)."""
    plain = df.astype(object)
    return list(plain.where(plain.notna(), None).to_dict("records"))


def restore_dtypes(df: Any, dtypes: Mapping[str, str]) -> Any:
    for col, dtype in dtypes.items():
        if col in df.columns and str(df[col].dtype) != dtype:
            with contextlib.suppress(TypeError, ValueError):  # int with missing values: keep the file's
                df[col] = df[col].astype(dtype)
    return df


def geoframe(df: Any, geometry: Any) -> Any:
    import geopandas as gpd

    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geometry, index=df.index), crs="EPSG:4326")


_DEFAULT_COLOUR = "#3366cc"
_DEFAULT_FILL_OPACITY = 0.25


def layer_colour(name: str) -> str:
    return style.LAYER_COLOUR.get(name, _DEFAULT_COLOUR)


def fill_alpha(name: str) -> int:
    """0..255, from :data:`geo.style.LAYER_FILL_OPACITY`."""
    return round(255 * style.LAYER_FILL_OPACITY.get(name, _DEFAULT_FILL_OPACITY))


def rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
