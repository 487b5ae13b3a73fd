"""GIS interchange: an analysis's layers to GeoPackage, GeoJSON, KML/KMZ, GeoParquet or
Shapefile, and back to GeoDataFrames. ``geo export`` and ``geo boundaries export`` both write
through :func:`export_layers`.

Every layer holds one geometry family (GIS clients give a layer one type and do not draw the
others): a layer of several is split, polygons keeping its name, lines in ``NAME_lines``
(``regions`` -> ``region_lines``), points in ``NAME_points``. The format follows the file's
extension (or ``fmt=``):

``.gpkg``
    GeoPackage 1.2 (GDAL, complete R-tree triggers), one layer per kind, plus QGIS's
    ``layer_styles`` table holding a QML style per layer (colours from :mod:`geo.style`), so
    QGIS opens every layer styled. Mixed single/multi geometries are promoted to multi.
``.geojson``
    One RFC 7946 FeatureCollection holding *all* layers; each feature's ``layer`` property
    names its layer. GDAL writes the geometries (``RFC7946=YES``: no ``crs`` member, exteriors
    counter-clockwise, holes clockwise, split at 180 deg, coordinates to
    :data:`GEOJSON_DECIMALS` decimals); properties are written by Python's JSON, text whole.
``.kml`` / ``.kmz``
    For Google Earth (OGC KML 2.2): a Folder per layer, a Style per layer and, for zones, per
    kind, sovereign and status as on the map; tessellated lines and polygons; a TimeStamp on
    dated features; attributes as typed ``SchemaData`` (so they read back with their types);
    names and descriptions XML-escaped. A ``.kmz`` is the same document zipped as ``doc.kml``.
``.parquet``
    One GeoParquet 1.1 file holding all layers, with a ``layer`` column and a ``bbox``
    covering column; each layer's own columns and dtypes are stored in the file's metadata
    (key ``geo:layers``) and restored on import.
``.shp.zip``
    A zip of one Shapefile per layer (``sites.shp``, ``rings.shp`` ...). DBF field names are
    limited to 10 bytes: longer names are cut to 10 bytes and, on a clash, to fewer with a
    ``_N`` suffix. The mapping, with each column's dtype, is in ``fields.csv`` inside the zip
    and undone on import; a ``geo_row`` field keeps the original row order. Text a DBF field
    would cut (over 254 bytes) or change (edge spaces, "" beside nulls) keeps a readable head
    in its field, cut to 254 bytes, and the whole text in continuation fields that import
    joins; ``README.txt`` in the zip says which. GDAL may read a degenerate (zero-area) hole
    back as a separate part.
``.shp``
    One layer as a Shapefile set, written whole with its ``.shx``, ``.dbf``, ``.prj`` and
    ``.cpg``; text a DBF field would cut is refused (use ``.shp.zip``).

Every text is written as it is, never evaluated or cut (but in a Shapefile's head field, as
above): text a format cannot hold (control characters in KML, whose XML 1.0 has none; NUL in
GeoPackage and DBF) is refused, naming the layer, row, column and character. Only non-empty
layers are written. Every export is atomic: the file (or Shapefile set) appears whole or not
at all. Import restores coordinates (exactly, but GeoJSON to 1e-7 deg) and the attribute
names and dtypes; polygon winding follows each format's rule.
"""

from __future__ import annotations

import contextlib
import csv
import io as _stdio
import json
import re
import sqlite3
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo import style
from geo._errors import GeoError
from geo._io import SHAPEFILE_PARTS, atomic_path

__all__ = [
    "FORMATS",
    "GEOJSON_DECIMALS",
    "LAYERS",
    "export_layers",
    "format_of",
    "layer_frames",
    "read_layers",
    "read_styles",
    "shapefile_field_names",
]

#: The layers an analysis exports, in order (a layer of several geometry families is split
#: by family on export: ``regions`` polygons and ``region_lines``).
LAYERS = ("sites", "rings", "impacts", "regions", "tracks", "zones")

#: Extension -> format name.
FORMATS = {
    ".gpkg": "gpkg",
    ".geojson": "geojson",
    ".kml": "kml",
    ".kmz": "kmz",
    ".parquet": "parquet",
    ".shp.zip": "shp.zip",
    ".shp": "shp",
}

LAYER_COLUMN = "layer"
STYLES_TABLE = "layer_styles"
_NAMES = {
    "gpkg": "GeoPackage",
    "geojson": "GeoJSON",
    "kml": "KML",
    "kmz": "KMZ",
    "parquet": "GeoParquet",
    "shp.zip": "zipped Shapefile",
    "shp": "Shapefile",
}
_LAYER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_KML_NS = "http://www.opengis.net/kml/2.2"
_FIELDS_CSV = "fields.csv"
_ROW_FIELD = "geo_row"
_DBF_TEXT_BYTES = 254
_PARQUET_KEY = b"geo:layers"
_README = "README.txt"
#: GeoJSON coordinate decimals: 1e-7 deg is 1.1 cm, finer than any input (RFC 7946 sec. 11.2).
GEOJSON_DECIMALS = 7
_FAMILY_OF = {
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


# --------------------------------------------------------------------------- public


def format_of(path: str | Path, fmt: str | None = None) -> str:
    """The format name of ``path`` from its extension, or ``fmt`` when given.

    Examples
    --------
    >>> format_of("launch.SHP.zip")
    'shp.zip'
    """
    if fmt is not None:
        if fmt not in _NAMES:
            raise GeoError(f"unknown format {fmt!r}; give one of {sorted(_NAMES)}")
        return fmt
    name = Path(path).name.lower()
    for suffix, found in sorted(FORMATS.items(), key=lambda kv: -len(kv[0])):
        if name.endswith(suffix):
            return found
    raise GeoError(
        f"cannot tell the format of {str(path)!r} from its extension ({Path(name).suffix or 'none'}); "
        f"name the file with one of {', '.join(FORMATS)}"
    )


def export_layers(layers: Any, path: str | Path, *, fmt: str | None = None) -> Path:
    """Write an analysis's layers to one GIS file, atomically.

    Parameters
    ----------
    layers : MapLayers or mapping of str to GeoDataFrame
        From :func:`geo.maps.collect_layers` (sites, rings, impacts, regions, tracks and
        the zones the other layers touch), or named GeoDataFrames in EPSG:4326.
    path : path
        Destination; its extension picks the format (see :data:`FORMATS`).
    fmt : str, optional, keyword-only
        Format name overriding the extension.

    Returns
    -------
    Path
        ``path``; nothing is left there if the export fails.

    Raises
    ------
    GeoError
        Unknown extension, nothing to export, a layer not in EPSG:4326, a bad layer or
        column name, text too long for a Shapefile.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from geo.maps import collect_layers
    >>> layers = collect_layers(sites=["Hamhung"], rings_km=[1000], zones=False)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = export_layers(layers, pathlib.Path(d) / "launch.gpkg")
    ...     sorted(read_layers(path))
    ['rings', 'sites']
    """
    fmt = format_of(path, fmt)
    frames = _frames(layers)
    _check_text(frames, fmt)
    if fmt == "shp" and len(frames) > 1:
        raise GeoError(
            f"a Shapefile holds one layer of one geometry type, and {str(path)!r} would get "
            f"{len(frames)}: {', '.join(frames)}; name it NAME.shp.zip (one Shapefile per layer) "
            "or NAME.gpkg"
        )
    # A Shapefile's parts are published with it, whole or not at all.
    sidecars = SHAPEFILE_PARTS if fmt == "shp" else ()
    with atomic_path(path, parents=False, sidecars=sidecars) as tmp:
        _WRITERS[fmt](frames, tmp)
    return Path(path)


def read_layers(path: str | Path, *, layers: Any = None, fmt: str | None = None) -> dict[str, Any]:
    """Read a file written by :func:`export_layers` (or a similar GIS file) back.

    Parameters
    ----------
    path : path
        A ``.gpkg``, ``.geojson``, ``.kml``, ``.parquet`` or ``.shp.zip`` file.
    layers : iterable of str, optional, keyword-only
        Only these layers; each must be present.
    fmt : str, optional
        Format name overriding the extension.

    Returns
    -------
    dict of str to GeoDataFrame
        One GeoDataFrame per layer, EPSG:4326, in the file's order.

    Raises
    ------
    GeoError
        Unknown extension, an empty, truncated or damaged file, a file with no layers or
        placemarks, a requested layer that is missing.
    FileNotFoundError
        No file at ``path``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from geo.maps import collect_layers
    >>> layers = collect_layers(impacts=[(135.0, 40.5)], zones=False)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = export_layers(layers, pathlib.Path(d) / "launch.geojson")
    ...     read_layers(path)["impacts"].geometry.iloc[0].wkt
    'POINT (135 40.5)'
    """
    path = Path(path)
    fmt = format_of(path, fmt)
    if not path.is_file():
        if path.exists():
            raise IsADirectoryError(f"{str(path)!r} is a folder; give a {_NAMES[fmt]} file")
        raise FileNotFoundError(f"no file at {str(path)!r}; check the path")
    if path.stat().st_size == 0:
        raise GeoError(f"{str(path)!r} is empty (0 bytes); export it again")
    try:
        out = _READERS[fmt](path)
    except GeoError:
        raise
    except Exception as exc:  # every reader's own error means the same thing to the caller
        raise GeoError(
            f"cannot read {str(path)!r} as {_NAMES[fmt]} ({type(exc).__name__}: {exc}); "
            "the file may be truncated or damaged: export it again"
        ) from exc
    if not out:
        raise GeoError(f"{str(path)!r} holds no layers with features; export a non-empty analysis")
    if layers is None:
        return out
    wanted = [str(n) for n in ([layers] if isinstance(layers, str) else layers)]
    missing = [n for n in wanted if n not in out]
    if missing:
        raise GeoError(
            f"{str(path)!r} has no layer(s) {missing}; it holds {list(out)} (empty layers are not written)"
        )
    return {n: out[n] for n in wanted}


def read_styles(path: str | Path) -> dict[str, str]:
    """The QGIS styles (QML text) stored in a GeoPackage's ``layer_styles`` table, by layer.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from geo.maps import collect_layers
    >>> layers = collect_layers(sites=["Hamhung"], zones=False)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = export_layers(layers, pathlib.Path(d) / "launch.gpkg")
    ...     list(read_styles(path))
    ['sites']
    """
    with sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True) as con:
        try:
            rows = con.execute(
                f"SELECT f_table_name, styleQML FROM {STYLES_TABLE} WHERE useAsDefault ORDER BY id"
            ).fetchall()
        except sqlite3.OperationalError:
            return {}
    return {str(name): str(qml) for name, qml in rows}


def layer_frames(layers: Any) -> dict[str, Any]:
    """The named GeoDataFrames :func:`export_layers` writes for ``layers``: empty layers left
    out, a layer of several geometry types split by type (``regions`` and ``region_lines``).

    Examples
    --------
    >>> from geo.maps import collect_layers
    >>> list(layer_frames(collect_layers(sites=["Hamhung"], rings_km=[500], zones=False)))
    ['sites', 'rings']
    """
    return _frames(layers)


def shapefile_field_names(columns: Any) -> dict[str, str]:
    """Column -> the DBF field name (at most 10 bytes, unique ignoring case) a Shapefile export gives it.

    Examples
    --------
    >>> shapefile_field_names(["administrator", "administration", "name"])
    {'administrator': 'administra', 'administration': 'administ_1', 'name': 'name'}
    """
    return _short_names([str(c) for c in columns])


# --------------------------------------------------------------------------- layers in


def _frames(layers: Any) -> dict[str, Any]:
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

    families = gdf.geometry.geom_type.map(_FAMILY_OF).to_numpy(dtype=object)
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


def _check_text(frames: dict[str, Any], fmt: str) -> None:
    """Every text goes into the file as it is, or the export is refused naming where it is."""
    pattern = _UNWRITABLE[fmt]
    for name, gdf in frames.items():
        attrs = _attributes(gdf)
        for col in attrs.columns:
            if pattern.search(col):
                raise GeoError(
                    f"layer {name!r}: column name {col!r} holds a character {_NAMES[fmt]} cannot hold; rename it"
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
                    f"U+{ord(char.group()):04X}, which {_NAMES[fmt]} cannot hold; remove it from the "
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


def _attributes(gdf: Any) -> Any:
    return gdf.drop(columns=gdf.geometry.name)


def _records(df: Any) -> list[dict[str, Any]]:
    """Plain Python values, missing as None (JSON null, KML absent)."""
    plain = df.astype(object)
    return list(plain.where(plain.notna(), None).to_dict("records"))


def _restore_dtypes(df: Any, dtypes: Mapping[str, str]) -> Any:
    for col, dtype in dtypes.items():
        if col in df.columns and str(df[col].dtype) != dtype:
            with contextlib.suppress(TypeError, ValueError):  # int with missing values: keep the file's
                df[col] = df[col].astype(dtype)
    return df


def _gdf(df: Any, geometry: Any) -> Any:
    import geopandas as gpd

    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geometry, index=df.index), crs="EPSG:4326")


# --------------------------------------------------------------------------- GeoPackage


def _write_gpkg(frames: dict[str, Any], tmp: Path) -> None:
    import pyogrio

    for i, (name, gdf) in enumerate(frames.items()):
        # GeoPackage 1.2: what every reader supports fully (GDAL 3.6 warns on 1.4, whose R-tree
        # triggers its validate_gpkg.py does not know); set when the file is created.
        options = {"VERSION": "1.2"} if i == 0 else None
        pyogrio.write_dataframe(gdf, tmp, layer=name, driver="GPKG", dataset_options=options)
    _write_styles(tmp, frames)


def _write_styles(tmp: Path, frames: dict[str, Any]) -> None:
    con = sqlite3.connect(tmp)
    try:
        with con:
            con.execute(
                f"CREATE TABLE {STYLES_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                "f_table_catalog TEXT(256), f_table_schema TEXT(256), f_table_name TEXT(256), "
                "f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT, "
                "useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), "
                # GeoPackage DATETIME is ISO 8601 with milliseconds and Z, as QGIS writes it.
                "update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"
            )
            # Registered as an attributes table, as QGIS does, so GeoPackage validators accept it.
            con.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
                "VALUES (?, 'attributes', ?, 'QGIS layer styles')",
                (STYLES_TABLE, STYLES_TABLE),
            )
            geom_col = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))
            con.executemany(
                f"INSERT INTO {STYLES_TABLE} (f_table_catalog, f_table_schema, f_table_name, "
                "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui) "
                "VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', NULL)",
                [
                    (name, geom_col.get(name, "geom"), name, _qml(name, gdf), f"geo export: {name}")
                    for name, gdf in frames.items()
                ],
            )
    finally:
        con.close()


def _read_gpkg(path: Path) -> dict[str, Any]:
    import pyogrio

    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a damaged file fails here
    out = {}
    for name, geom_type in pyogrio.list_layers(path):
        if geom_type is None or name == STYLES_TABLE:
            continue
        out[str(name)] = pyogrio.read_dataframe(path, layer=name)
    return out


# --------------------------------------------------------------------------- styles


_DEFAULT_COLOUR = "#3366cc"
_DEFAULT_FILL_OPACITY = 0.25


def _layer_colour(name: str) -> str:
    return style.LAYER_COLOUR.get(name, _DEFAULT_COLOUR)


def _fill_alpha(name: str) -> int:
    """0..255, from :data:`geo.style.LAYER_FILL_OPACITY`."""
    return round(255 * style.LAYER_FILL_OPACITY.get(name, _DEFAULT_FILL_OPACITY))


def _family(gdf: Any) -> str:
    kinds = set(gdf.geometry.dropna().geom_type)
    if kinds & {"Polygon", "MultiPolygon"}:
        return "polygons"
    if kinds & {"LineString", "MultiLineString", "LinearRing"}:
        return "lines"
    return "points"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _symbol(family: str, colour: str, fill_alpha: int, name: str) -> ET.Element:
    r, g, b = _rgb(colour)
    kind, cls, props = {
        "points": ("marker", "SimpleMarker", {"name": "circle", "color": f"{r},{g},{b},255",
                                              "outline_color": "255,255,255,255", "size": "2.6"}),
        "lines": ("line", "SimpleLine", {"line_color": f"{r},{g},{b},255", "line_width": "0.6",
                                         "line_style": "solid"}),
        "polygons": ("fill", "SimpleFill", {"color": f"{r},{g},{b},{fill_alpha}", "style": "solid",
                                            "outline_color": f"{r},{g},{b},255", "outline_width": "0.5"}),
    }[family]  # fmt: skip
    symbol = ET.Element("symbol", type=kind, name=name, alpha="1", clip_to_extent="1", force_rhr="0")
    layer = ET.SubElement(symbol, "layer", attrib={"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    options = ET.SubElement(layer, "Option", type="Map")
    for key, value in props.items():
        ET.SubElement(options, "Option", name=key, type="QString", value=value)
    return symbol


def _qml(name: str, gdf: Any) -> str:
    """A QGIS 3 style: one symbol per layer; zones coloured by sovereign as on the map."""
    family = _family(gdf)
    alpha = _fill_alpha(name)
    root = ET.Element("qgis", version="3.28.0", styleCategories="Symbology|Labeling")
    if name == "zones" and "sovereign" in gdf.columns:
        renderer = ET.SubElement(root, "renderer-v2", type="categorizedSymbol", attr="sovereign",
                                 symbollevels="0", enableorderby="0", forceraster="0")  # fmt: skip
        categories = ET.SubElement(renderer, "categories")
        symbols = ET.SubElement(renderer, "symbols")
        values = sorted({str(v) for v in gdf["sovereign"].dropna()})
        for i, value in enumerate([*values, ""]):
            colour = style.sovereign_colour(value)
            ET.SubElement(
                categories, "category", value=value, symbol=str(i), label=value or "other", render="true"
            )
            symbols.append(_symbol(family, colour, alpha, str(i)))
    else:
        renderer = ET.SubElement(root, "renderer-v2", type="singleSymbol", symbollevels="0",
                                 enableorderby="0", forceraster="0")  # fmt: skip
        symbols = ET.SubElement(renderer, "symbols")
        symbols.append(_symbol(family, _layer_colour(name), alpha, "0"))
    label_field = next((c for c in ("name", "site", "sovereign") if c in gdf.columns), None)
    if label_field is not None:
        ET.SubElement(root, "layerGeometryType").text = {"points": "0", "lines": "1", "polygons": "2"}[family]
        ET.SubElement(root, "previewExpression").text = f'"{label_field}"'
    ET.indent(root)
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(
        root, encoding="unicode"
    )


# --------------------------------------------------------------------------- GeoJSON


#: GDAL's RFC 7946 mode: no ``crs`` member, exteriors counter-clockwise and holes clockwise,
#: geometries split at 180 deg, coordinates rounded to :data:`GEOJSON_DECIMALS`.
_GEOJSON_OPTIONS = {"RFC7946": "YES", "COORDINATE_PRECISION": str(GEOJSON_DECIMALS), "WRITE_NAME": "NO"}


def _write_geojson(frames: dict[str, Any], tmp: Path) -> None:
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
            for f, props in zip(written, _records(_attributes(gdf)), strict=True)
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


def _read_geojson(path: Path) -> dict[str, Any]:
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
            geoms = _gdf(df, geoms).set_crs(crs, allow_override=True).to_crs("EPSG:4326").geometry.values
        _check_degrees(path, name, geoms)
        out[name] = _gdf(df, geoms)
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


# --------------------------------------------------------------------------- GeoParquet


def _write_parquet(frames: dict[str, Any], tmp: Path) -> None:
    import pandas as pd
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    schema = {
        name: {"columns": list(_attributes(gdf).columns), "dtypes": {c: str(t) for c, t in _attributes(gdf).dtypes.items()}}
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


def _read_parquet(path: Path) -> dict[str, Any]:
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
            part = _restore_dtypes(part[[*info["columns"], part.geometry.name]], info["dtypes"])
        out[str(name)] = part
    return out


# --------------------------------------------------------------------------- KML


def _k(tag: str) -> str:
    return f"{{{_KML_NS}}}{tag}"


def _kml_colour(hex_colour: str, alpha: int) -> str:
    r, g, b = _rgb(hex_colour)
    return f"{alpha:02x}{b:02x}{g:02x}{r:02x}"


def _kml_type(dtype: Any) -> str:
    kind = np.dtype(dtype).kind if not str(dtype).startswith(("str", "string")) else "U"
    return {"i": "int", "u": "uint", "f": "double", "b": "bool"}.get(kind, "string")


def _coords(coords: Any) -> str:
    return " ".join(f"{x!r},{y!r}" for x, y in np.asarray(coords)[:, :2].tolist())


def _kml_geometry(parent: ET.Element, g: BaseGeometry) -> None:
    kind = g.geom_type
    if kind == "Point":
        ET.SubElement(ET.SubElement(parent, _k("Point")), _k("coordinates")).text = _coords(g.coords)
    elif kind in ("LineString", "LinearRing"):
        line = ET.SubElement(parent, _k(kind))
        ET.SubElement(line, _k("tessellate")).text = "1"  # follow the globe, not a straight chord
        ET.SubElement(line, _k("coordinates")).text = _coords(g.coords)
    elif kind == "Polygon":
        poly = ET.SubElement(parent, _k("Polygon"))
        ET.SubElement(poly, _k("tessellate")).text = "1"
        for tag, ring in [("outerBoundaryIs", g.exterior), *[("innerBoundaryIs", r) for r in g.interiors]]:
            ring_el = ET.SubElement(ET.SubElement(poly, _k(tag)), _k("LinearRing"))
            ET.SubElement(ring_el, _k("coordinates")).text = _coords(ring.coords)
    else:
        multi = ET.SubElement(parent, _k("MultiGeometry"))
        for part in g.geoms:
            _kml_geometry(multi, part)


#: The dates KML's TimeStamp ``when`` takes (xsd:dateTime, date, gYearMonth, gYear).
_KML_WHEN = re.compile(r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?)?)?\Z")


def _kml_style(doc: ET.Element, key: str, colour: str, *, fill: str, fill_alpha: int, width: float) -> None:
    st = ET.SubElement(doc, _k("Style"), id=key)
    icon = ET.SubElement(st, _k("IconStyle"))
    ET.SubElement(icon, _k("color")).text = _kml_colour(colour, 255)
    line = ET.SubElement(st, _k("LineStyle"))
    ET.SubElement(line, _k("color")).text = _kml_colour(colour, 255)
    ET.SubElement(line, _k("width")).text = f"{width:g}"
    poly = ET.SubElement(st, _k("PolyStyle"))
    ET.SubElement(poly, _k("color")).text = _kml_colour(fill, fill_alpha)
    ET.SubElement(poly, _k("fill")).text = "1" if fill_alpha else "0"


def _zone_style_keys(gdf: Any) -> Any:
    """Each zone's KML style id: its kind, sovereign (or ``other``) and status, as on the map."""
    cols = [gdf[c].astype(object).where(gdf[c].notna(), "") if c in gdf.columns else None
            for c in ("kind", "sovereign", "status")]  # fmt: skip
    kind, sov, status = (c if c is not None else np.full(len(gdf), "", dtype=object) for c in cols)
    sov = np.where(np.isin(np.asarray(sov, dtype=object), list(style.SOVEREIGN_COLOUR)), sov, "other")
    return np.array([f"zone_{k or 'zone'}_{s}_{t or 'claimed'}" for k, s, t in zip(kind, sov, status, strict=True)],
                    dtype=object)  # fmt: skip


def _kml_document(frames: dict[str, Any], title: str) -> bytes:
    ET.register_namespace("", _KML_NS)
    root = ET.Element(_k("kml"))
    doc = ET.SubElement(root, _k("Document"))
    ET.SubElement(doc, _k("name")).text = title
    keys: dict[str, Any] = {}
    for name, gdf in frames.items():
        if name == "zones":
            keys[name] = _zone_style_keys(gdf)
            for key in dict.fromkeys(keys[name]):
                kind, sov, status = key.removeprefix("zone_").rsplit("_", 2)
                z = style.zone_style(kind, sov, status)
                _kml_style(doc, key, z["colour"], fill=z["fill_colour"],
                           fill_alpha=round(255 * z["fill_opacity"]), width=z["width"])  # fmt: skip
        else:
            keys[name] = np.full(len(gdf), f"style_{name}", dtype=object)
            colour = _layer_colour(name)
            _kml_style(doc, f"style_{name}", colour, fill=colour, fill_alpha=_fill_alpha(name), width=2)
    for name, gdf in frames.items():
        schema = ET.SubElement(doc, _k("Schema"), name=name, id=f"schema_{name}")
        for col, dtype in _attributes(gdf).dtypes.items():
            ET.SubElement(schema, _k("SimpleField"), name=str(col), type=_kml_type(dtype))
    for name, gdf in frames.items():
        folder = ET.SubElement(doc, _k("Folder"))
        ET.SubElement(folder, _k("name")).text = name
        label = next((c for c in ("name", "site", "sovereign") if c in gdf.columns), None)
        rows = _records(_attributes(gdf))
        for i, (row, geom, key) in enumerate(zip(rows, gdf.geometry, keys[name], strict=True), 1):
            mark = ET.SubElement(folder, _k("Placemark"))
            ET.SubElement(mark, _k("name")).text = (
                str(row[label]) if label and row[label] is not None else f"{name} {i}"
            )
            if row.get("description") is not None:
                ET.SubElement(mark, _k("description")).text = str(row["description"])  # escaped by ET
            when = row.get("date")
            if isinstance(when, str) and _KML_WHEN.match(when.strip()):
                ET.SubElement(ET.SubElement(mark, _k("TimeStamp")), _k("when")).text = when.strip()
            ET.SubElement(mark, _k("styleUrl")).text = f"#{key}"
            data = ET.SubElement(
                ET.SubElement(mark, _k("ExtendedData")), _k("SchemaData"), schemaUrl=f"#schema_{name}"
            )
            for col, value in row.items():
                if value is not None:
                    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
                    ET.SubElement(data, _k("SimpleData"), name=col).text = (
                        repr(value) if isinstance(value, float) else text
                    )
            if geom is not None and not geom.is_empty:
                _kml_geometry(mark, geom)
    ET.indent(root)
    # XML parsers read a raw CR as LF; as a character reference it comes back as CR. ElementTree
    # already writes CR in attributes that way, so every raw CR left is in element text.
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml.replace(b"\r", b"&#13;") + b"\n"


def _write_kml(frames: dict[str, Any], tmp: Path) -> None:
    tmp.write_bytes(_kml_document(frames, tmp.name.removesuffix(".kml")))


#: The KML document inside a KMZ, by convention (Google Earth opens the first .kml).
_KMZ_DOC = "doc.kml"


def _write_kmz(frames: dict[str, Any], tmp: Path) -> None:
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_KMZ_DOC, _kml_document(frames, tmp.name.removesuffix(".kmz")))


_KML_PARSE: dict[str, Callable[[str], Any]] = {"int": int, "uint": int, "short": int, "ushort": int, "double": float, "float": float,
              "bool": lambda s: s.strip().lower() in ("1", "true")}  # fmt: skip
_KML_DTYPE = {"int": "int64", "uint": "int64", "short": "int64", "ushort": "int64", "double": "float64",
              "float": "float64", "bool": "bool"}  # fmt: skip


def _parse_coords(text: str | None) -> Any:
    return np.array([c.split(",")[:2] for c in (text or "").split()], dtype=float).reshape(-1, 2)


def _parse_geometry(el: ET.Element) -> BaseGeometry | None:
    tag = el.tag.removeprefix(f"{{{_KML_NS}}}")
    if tag == "Point":
        xy = _parse_coords(el.findtext(_k("coordinates")))
        if len(xy) != 1:
            raise GeoError(f"a KML Point has {len(xy)} coordinate pairs, not 1; give it 'lon,lat'")
        return shapely.Point(xy[0])
    if tag in ("LineString", "LinearRing"):
        return shapely.LineString(_parse_coords(el.findtext(_k("coordinates"))))
    if tag == "Polygon":
        outer = _parse_coords(el.findtext(f"{_k('outerBoundaryIs')}/{_k('LinearRing')}/{_k('coordinates')}"))
        inner = [
            _parse_coords(r.text)
            for r in el.iterfind(f"{_k('innerBoundaryIs')}/{_k('LinearRing')}/{_k('coordinates')}")
        ]
        return shapely.Polygon(outer, inner)
    if tag == "MultiGeometry":
        parts = [g for g in (_parse_geometry(c) for c in el) if g is not None]
        kinds = {p.geom_type for p in parts}
        multi = {
            "Point": shapely.MultiPoint,
            "LineString": shapely.MultiLineString,
            "Polygon": shapely.MultiPolygon,
        }
        if len(kinds) == 1 and (kind := kinds.pop()) in multi:
            return multi[kind](parts)
        return shapely.GeometryCollection(parts)
    return None


def _read_kml(path: Path) -> dict[str, Any]:
    return _kml_layers(ET.parse(path).getroot(), path)


def _read_kmz(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as zf:
        docs = [n for n in zf.namelist() if n.lower().endswith(".kml")]
        if not docs:
            raise GeoError(f"{str(path)!r} is a zip without a .kml document; export it again")
        doc = _KMZ_DOC if _KMZ_DOC in docs else docs[0]
        return _kml_layers(ET.fromstring(zf.read(doc)), path)


def _kml_layers(root: ET.Element, path: Path) -> dict[str, Any]:
    import pandas as pd

    schemas = {
        s.get("id", ""): {f.get("name", ""): f.get("type", "string") for f in s.iterfind(_k("SimpleField"))}
        for s in root.iter(_k("Schema"))
    }
    placemarks: list[tuple[str, ET.Element]] = []
    for folder in root.iter(_k("Folder")):
        name = folder.findtext(_k("name")) or "features"
        placemarks += [(name, p) for p in folder.findall(_k("Placemark"))]
    for doc in root.iter(_k("Document")):
        placemarks += [("features", p) for p in doc.findall(_k("Placemark"))]
    if not placemarks:
        raise GeoError(f"{str(path)!r} holds no placemarks; nothing to import")
    groups: dict[str, list[tuple[dict[str, Any], BaseGeometry | None]]] = {}
    types: dict[str, dict[str, str]] = {}
    for layer, mark in placemarks:
        row: dict[str, Any] = {}
        data = mark.find(f"{_k('ExtendedData')}/{_k('SchemaData')}")
        if data is not None:
            fields = schemas.get(data.get("schemaUrl", "").lstrip("#"), {})
            types.setdefault(layer, fields)
            row = {c: None for c in fields}
            for item in data.iterfind(_k("SimpleData")):
                col = item.get("name", "")
                row[col] = _KML_PARSE.get(fields.get(col, "string"), str)(item.text or "")
        else:
            row = {"name": mark.findtext(_k("name")), "description": mark.findtext(_k("description"))}
            for item in mark.iterfind(f"{_k('ExtendedData')}/{_k('Data')}"):
                row[item.get("name", "")] = item.findtext(_k("value"))
        geom = next((g for g in (_parse_geometry(c) for c in mark) if g is not None), None)
        groups.setdefault(layer, []).append((row, geom))
    out = {}
    for layer, items in groups.items():
        df = pd.DataFrame([r for r, _ in items])
        dtypes = {c: _KML_DTYPE[t] for c, t in types.get(layer, {}).items() if t in _KML_DTYPE}
        out[layer] = _gdf(_restore_dtypes(df, dtypes), np.array([g for _, g in items], dtype=object))
    return out


# --------------------------------------------------------------------------- zipped Shapefile


_FAMILY_TYPES = {
    "points": ("Point", "MultiPoint"),
    "lines": ("LineString", "MultiLineString", "LinearRing"),
    "polygons": ("Polygon", "MultiPolygon"),
}


def _short_names(columns: list[str]) -> dict[str, str]:
    """Column -> DBF field name of at most 10 bytes, unique ignoring case (DBF ignores it)."""
    taken = {_ROW_FIELD}
    out = {}
    for col in columns:
        field = _cut(col, 10)
        n = 0
        while field.lower() in taken:
            n += 1
            field = _cut(col, 10 - len(f"_{n}")) + f"_{n}"
        taken.add(field.lower())
        out[col] = field
    return out


def _cut(text: str, n_bytes: int) -> str:
    return text.encode("utf-8")[:n_bytes].decode("utf-8", errors="ignore")


_FIELDS_HEADER = ["layer", "file", "column", "part", "width", "field", "dtype", "nulls"]


def _shp_part(name: str, gdf: Any) -> tuple[Any, list[dict[str, Any]]]:
    """A layer as DBF-ready columns (with ``geo_row``) and its ``fields.csv`` rows."""
    kinds = {str(k) for k in gdf.geometry.dropna().geom_type}
    if other := sorted(kinds - {k for k, f in _FAMILY_OF.items() if f != "collections"}):
        raise GeoError(f"layer {name!r} has {other} geometries, which a Shapefile cannot hold; use .gpkg")
    dbf, spec = _dbf_columns(_attributes(gdf))
    part = _gdf(dbf, gdf.geometry.values)
    part.insert(0, _ROW_FIELD, np.arange(len(part), dtype="int64"))
    return part, spec


def _write_shp_zip(frames: dict[str, Any], tmp: Path) -> None:
    import pyogrio

    folder = tmp.parent
    rows: list[dict[str, Any]] = []
    for name, gdf in frames.items():  # one geometry family each (see _by_family)
        part, spec = _shp_part(name, gdf)
        pyogrio.write_dataframe(part, folder / f"{name}.shp", driver="ESRI Shapefile", encoding="UTF-8")
        empty = {"column": "", "part": 0, "width": "", "field": "", "dtype": "", "nulls": 0}
        rows += [{"layer": name, "file": f"{name}.shp", **r} for r in spec or [empty]]
    table = _stdio.StringIO()
    writer = csv.DictWriter(table, fieldnames=_FIELDS_HEADER, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_README, _shp_readme(rows))
        zf.writestr(_FIELDS_CSV, table.getvalue())
        for name in frames:  # only a Shapefile's parts: the zip itself may be named NAME.shp.zip
            for suffix in (".shp", *SHAPEFILE_PARTS):
                if (part_path := folder / f"{name}{suffix}").exists():
                    zf.write(part_path, part_path.name)


def _write_shp(frames: dict[str, Any], tmp: Path) -> None:
    """One layer as a Shapefile set (``.shp .shx .dbf .prj .cpg``); text a DBF field would cut
    is refused, as there is no ``fields.csv`` beside a bare set to say so."""
    import pyogrio

    ((name, gdf),) = frames.items()
    part, spec = _shp_part(name, gdf)
    if cut := [r for r in spec if int(r["part"]) > 0]:
        raise GeoError(
            f"layer {name!r} column {cut[0]['column']!r} holds text longer than the {_DBF_TEXT_BYTES} bytes "
            "of a DBF field, or edge spaces or empty text a DBF field loses; export to NAME.shp.zip "
            "(which keeps it whole and says so in README.txt) or to .gpkg"
        )
    pyogrio.write_dataframe(part.drop(columns=_ROW_FIELD), tmp, driver="ESRI Shapefile", encoding="UTF-8")


def _shp_readme(rows: list[dict[str, Any]]) -> str:
    """What a Shapefile client sees differently from the other formats, said in the zip."""
    lines = [
        "Shapefiles written by geo (geo.io.export_layers), one per layer and geometry type.",
        "",
        f"A DBF field name holds 10 bytes and a DBF text field {_DBF_TEXT_BYTES} bytes. fields.csv maps each",
        "column to its field(s) and dtype; geo.io.read_layers (or geo's import) undoes the mapping.",
        "The GeoPackage, GeoJSON, KML/KMZ and GeoParquet exports keep every column whole, under",
        "its own name.",
        "",
        "Renamed fields:",
    ]
    renamed = [r for r in rows if r["column"] and int(r["part"]) == 0 and r["field"] != r["column"]]
    lines += [f"  {r['file']}: {r['column']} -> {r['field']}" for r in renamed] or ["  none"]
    lines += ["", "Cut text:"]
    cut = [r for r in rows if r["column"] and int(r["part"]) == 0 and r.get("cut") is not None]
    for r in cut:
        pieces = [q["field"] for q in rows if q["file"] == r["file"] and q["column"] == r["column"]][1:]
        lines.append(
            f"  {r['file']}: {r['column']}: field {r['field']} shows the text cut to {_DBF_TEXT_BYTES} bytes "
            f"in {r['cut']} of {r['rows']} rows (a DBF also drops edge spaces and reads empty text as "
            f"null); fields {', '.join(pieces)} hold the whole text in pieces fenced by '|' for "
            "geo.io.read_layers to join."
        )
    if not cut:
        lines.append("  none: every text is whole in its field")
    return "\n".join(lines) + "\n"


def _utf8_pieces(text: str, size: int) -> list[str]:
    """``text`` in pieces of at most ``size`` UTF-8 bytes, cut between characters."""
    data = text.encode("utf-8")
    out, i = [], 0
    while i < len(data):
        j = min(i + size, len(data))
        while j < len(data) and (data[j] & 0xC0) == 0x80:  # a UTF-8 continuation byte
            j -= 1
        out.append(data[i:j].decode("utf-8"))
        i = j
    return out


def _dbf_columns(attrs: Any) -> tuple[Any, list[dict[str, Any]]]:
    """DBF-ready columns and their ``fields.csv`` rows: names cut to 10 bytes; text a DBF field
    would cut or change keeps a readable head (part 0, cut to 254 bytes) and the whole text
    in continuation fields (parts 1, 2, ...) fenced by "|" against DBF's stripping of spaces."""
    import pandas as pd

    pieces: dict[tuple[str, int], Any] = {}
    widths: dict[str, int] = {}
    cut: dict[str, int] = {}
    piece_bytes = _DBF_TEXT_BYTES - 2
    for col in attrs.columns:
        values = attrs[col]
        if values.dtype.kind in "biufM" or not len(values.dropna()):
            pieces[(col, 0)] = values
            continue
        text = values.astype(object).where(values.notna(), None)
        given = text.dropna().astype(str)
        nbytes = given.map(lambda v: len(v.encode("utf-8")))
        # DBF keeps no edge spaces and reads "" as null: such text is fenced as long text is.
        lost = bool(given.str.match(r"(?s)\s|.*\s\Z").any()) or (
            bool(values.isna().any()) and bool((given == "").any())
        )
        if int(nbytes.max()) <= _DBF_TEXT_BYTES and not lost:
            pieces[(col, 0)] = values
            continue
        pieces[(col, 0)] = given.map(lambda v: _cut(v, _DBF_TEXT_BYTES)).reindex(values.index)
        cut[col] = int((nbytes > _DBF_TEXT_BYTES).sum())
        split = given.map(lambda v: _utf8_pieces(v, piece_bytes))
        widths[col] = piece_bytes
        for i in range(max(1, int(split.map(len).max()))):
            piece = split.map(lambda ps, i=i: ps[i] if i < len(ps) else "")
            pieces[(col, i + 1)] = ("|" + piece + "|").reindex(values.index)
    keys = [f"{c}~{i}" if i else c for c, i in pieces]
    fields = _short_names(keys)
    spec = [
        {
            "column": c,
            "part": i,
            "width": widths.get(c, "") if i else "",
            "field": fields[k],
            "dtype": str(attrs[c].dtype),
            "nulls": int(attrs[c].isna().any()),
            **({"cut": cut[c], "rows": len(attrs)} if i == 0 and c in cut else {}),
        }
        for (c, i), k in zip(pieces, keys, strict=True)
    ]
    return pd.DataFrame({fields[k]: v for k, v in zip(keys, pieces.values(), strict=True)}), spec


def _read_shp_zip(path: Path) -> dict[str, Any]:
    import pandas as pd

    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        bad = zf.testzip()
        if bad is not None:
            raise GeoError(f"{str(path)!r}: member {bad!r} is damaged; export it again")
        raw = zf.read(_FIELDS_CSV).decode("utf-8") if _FIELDS_CSV in names else ""
    table = list(csv.DictReader(_stdio.StringIO(raw)))
    files: dict[str, list[str]] = {}
    for r in table:
        files.setdefault(r["layer"], [])
        if r["file"] not in files[r["layer"]]:
            files[r["layer"]].append(r["file"])
    if not table:  # a zip of plain Shapefiles: one layer per file
        files = {Path(n).stem: [n] for n in names if n.lower().endswith(".shp")}
    out = {}
    for layer, shps in files.items():
        parts = [_read_shp(path, shp) for shp in shps]
        gdf = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        # fields.csv repeats a layer's fields for each of its files: one entry per (column, part).
        spec = list(
            {(r["column"], r["part"]): r for r in table if r["layer"] == layer and r["column"]}.values()
        )
        if spec and _ROW_FIELD in gdf.columns:
            gdf = gdf.sort_values(_ROW_FIELD, kind="stable").reset_index(drop=True)
            gdf = _gdf(_undo_dbf(gdf, spec), gdf.geometry.values)
        out[layer] = gdf
    return out


def _read_shp_set(path: Path) -> dict[str, Any]:
    import pyogrio

    gdf = pyogrio.read_dataframe(path, encoding="UTF-8")
    if gdf.crs is None:
        raise GeoError(
            f"{str(path)!r} has no .prj beside it, so its CRS is unknown; add it (EPSG:4326 for lon/lat)"
        )
    return {path.name[: -len(".shp")]: gdf if gdf.crs.equals("EPSG:4326") else gdf.to_crs("EPSG:4326")}


def _read_shp(path: Path, shp: str) -> Any:
    """One Shapefile of the zip, in EPSG:4326; one without a ``.prj`` has no known CRS."""
    import pyogrio

    gdf = pyogrio.read_dataframe(f"/vsizip/{path.resolve()}/{shp}", encoding="UTF-8")
    if gdf.crs is None:
        raise GeoError(
            f"{str(path)!r}: {shp} has no .prj, so its coordinates' CRS is unknown; add the .prj "
            "to the zip (EPSG:4326 for lon/lat degrees)"
        )
    return gdf if gdf.crs.equals("EPSG:4326") else gdf.to_crs("EPSG:4326")


def _undo_dbf(gdf: Any, spec: list[dict[str, str]]) -> Any:
    import pandas as pd

    columns: dict[str, Any] = {}
    dtypes: dict[str, str] = {}
    pieced = {r["column"] for r in spec if int(r["part"]) > 0}
    for r in sorted(spec, key=lambda r: int(r["part"])):
        col, values = r["column"], gdf[r["field"]]
        dtypes[col] = r["dtype"]
        if col in pieced and int(r["part"]) == 0 and not r["width"]:
            continue  # the cut head other clients show; the pieces hold the whole text
        if r["width"]:  # a piece of long text, fenced by "|" against DBF's stripping of spaces
            values = values.astype(object).where(values.isna(), values.str.slice(1, -1))
        if col not in columns:
            if values.dtype.kind not in "biufM" and r["nulls"] == "0":
                values = values.astype(object).where(values.notna(), "")  # DBF cannot tell "" from null
            columns[col] = values
        else:
            columns[col] = columns[col] + values.where(values.notna(), "")
    order = list(dict.fromkeys(r["column"] for r in spec))
    return _restore_dtypes(pd.DataFrame({c: columns[c] for c in order}), dtypes)


_WRITERS = {
    "gpkg": _write_gpkg,
    "geojson": _write_geojson,
    "kml": _write_kml,
    "kmz": _write_kmz,
    "parquet": _write_parquet,
    "shp.zip": _write_shp_zip,
    "shp": _write_shp,
}
_READERS = {
    "gpkg": _read_gpkg,
    "geojson": _read_geojson,
    "kml": _read_kml,
    "kmz": _read_kmz,
    "parquet": _read_parquet,
    "shp.zip": _read_shp_zip,
    "shp": _read_shp_set,
}
