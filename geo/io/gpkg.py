"""GeoPackage 1.2 (GDAL), with QGIS's ``layer_styles`` table: a QML style per layer, colours
from :mod:`geo.style`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from geo import style
from geo.io.layers import (
    fill_alpha,
    layer_colour,
    rgb,
)

STYLES_TABLE = "layer_styles"


def read_styles(path: str | Path) -> dict[str, str]:
    """The QGIS styles (QML text) stored in a GeoPackage's ``layer_styles`` table, by layer.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from geo.io import export_layers
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


def write(frames: dict[str, Any], tmp: Path) -> None:
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


def read(path: Path) -> dict[str, Any]:
    import pyogrio

    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a damaged file fails here
    out = {}
    for name, geom_type in pyogrio.list_layers(path):
        if geom_type is None or name == STYLES_TABLE:
            continue
        out[str(name)] = pyogrio.read_dataframe(path, layer=name)
    return out


def _family(gdf: Any) -> str:
    kinds = set(gdf.geometry.dropna().geom_type)
    if kinds & {"Polygon", "MultiPolygon"}:
        return "polygons"
    if kinds & {"LineString", "MultiLineString", "LinearRing"}:
        return "lines"
    return "points"


def _symbol(family: str, colour: str, fill_alpha: int, name: str) -> ET.Element:
    r, g, b = rgb(colour)
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
    alpha = fill_alpha(name)
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
        symbols.append(_symbol(family, layer_colour(name), alpha, "0"))
    label_field = next((c for c in ("name", "site", "sovereign") if c in gdf.columns), None)
    if label_field is not None:
        ET.SubElement(root, "layerGeometryType").text = {"points": "0", "lines": "1", "polygons": "2"}[family]
        ET.SubElement(root, "previewExpression").text = f'"{label_field}"'
    ET.indent(root)
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(
        root, encoding="unicode"
    )
