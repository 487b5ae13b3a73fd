"""Shapefiles: a zip of one Shapefile per layer (``.shp.zip``, field names mapped in
``fields.csv``, long text in continuation fields, said in ``README.txt``) or one bare set (``.shp``).
"""

from __future__ import annotations

import csv
import io as _stdio
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from geo._errors import GeoError
from geo._io import SHAPEFILE_PARTS
from geo.io.layers import (
    FAMILY_OF,
    attributes_of,
    geoframe,
    restore_dtypes,
)

_FIELDS_CSV = "fields.csv"
_ROW_FIELD = "geo_row"
_DBF_TEXT_BYTES = 254


_README = "README.txt"


def shapefile_field_names(columns: Any) -> dict[str, str]:
    """Column -> the DBF field name (at most 10 bytes, unique ignoring case) a Shapefile export gives it.

    Examples
    --------
    >>> shapefile_field_names(["administrator", "administration", "name"])
    {'administrator': 'administra', 'administration': 'administ_1', 'name': 'name'}
    """
    return _short_names([str(c) for c in columns])


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
    if other := sorted(kinds - {k for k, f in FAMILY_OF.items() if f != "collections"}):
        raise GeoError(f"layer {name!r} has {other} geometries, which a Shapefile cannot hold; use .gpkg")
    dbf, spec = _dbf_columns(attributes_of(gdf))
    part = geoframe(dbf, gdf.geometry.values)
    part.insert(0, _ROW_FIELD, np.arange(len(part), dtype="int64"))
    return part, spec


def write_zip(frames: dict[str, Any], tmp: Path) -> None:
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


def write_set(frames: dict[str, Any], tmp: Path) -> None:
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


def read_zip(path: Path) -> dict[str, Any]:
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
            gdf = geoframe(_undo_dbf(gdf, spec), gdf.geometry.values)
        out[layer] = gdf
    return out


def read_set(path: Path) -> dict[str, Any]:
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
    return restore_dtypes(pd.DataFrame({c: columns[c] for c in order}), dtypes)
