"""KML 2.2 and KMZ (the same document zipped as ``doc.kml``), for Google Earth: a Folder and a
Style per layer (zones per kind, sovereign and status, from :mod:`geo.style`), typed ``SchemaData``.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo import style
from geo._errors import GeoError
from geo.io.layers import (
    attributes_of,
    fill_alpha,
    geoframe,
    layer_colour,
    records_of,
    restore_dtypes,
    rgb,
)

_KML_NS = "http://www.opengis.net/kml/2.2"


def _k(tag: str) -> str:
    return f"{{{_KML_NS}}}{tag}"


def _kml_colour(hex_colour: str, alpha: int) -> str:
    r, g, b = rgb(hex_colour)
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
            colour = layer_colour(name)
            _kml_style(doc, f"style_{name}", colour, fill=colour, fill_alpha=fill_alpha(name), width=2)
    for name, gdf in frames.items():
        schema = ET.SubElement(doc, _k("Schema"), name=name, id=f"schema_{name}")
        for col, dtype in attributes_of(gdf).dtypes.items():
            ET.SubElement(schema, _k("SimpleField"), name=str(col), type=_kml_type(dtype))
    for name, gdf in frames.items():
        folder = ET.SubElement(doc, _k("Folder"))
        ET.SubElement(folder, _k("name")).text = name
        label = next((c for c in ("name", "site", "sovereign") if c in gdf.columns), None)
        rows = records_of(attributes_of(gdf))
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


def write_kml(frames: dict[str, Any], tmp: Path) -> None:
    tmp.write_bytes(_kml_document(frames, tmp.name.removesuffix(".kml")))


#: The KML document inside a KMZ, by convention (Google Earth opens the first .kml).
_KMZ_DOC = "doc.kml"


def write_kmz(frames: dict[str, Any], tmp: Path) -> None:
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


def read_kml(path: Path) -> dict[str, Any]:
    return _kml_layers(ET.parse(path).getroot(), path)


def read_kmz(path: Path) -> dict[str, Any]:
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
        out[layer] = geoframe(restore_dtypes(df, dtypes), np.array([g for _, g in items], dtype=object))
    return out
