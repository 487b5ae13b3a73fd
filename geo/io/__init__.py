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

from pathlib import Path
from typing import Any

from geo._errors import GeoError
from geo._io import SHAPEFILE_PARTS, atomic_path
from geo.io import geojson, gpkg, kml, parquet, shapefile
from geo.io.geojson import GEOJSON_DECIMALS
from geo.io.gpkg import STYLES_TABLE as STYLES_TABLE
from geo.io.gpkg import read_styles
from geo.io.layers import FORMAT_NAMES, LAYERS, check_text, layer_frames
from geo.io.layers import LAYER_COLUMN as LAYER_COLUMN
from geo.io.shapefile import shapefile_field_names

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

#: Kept for tests that name the layer frames by their old private name.
_frames = layer_frames

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


def format_of(path: str | Path, fmt: str | None = None) -> str:
    """The format name of ``path`` from its extension, or ``fmt`` when given.

    Examples
    --------
    >>> format_of("launch.SHP.zip")
    'shp.zip'
    """
    if fmt is not None:
        if fmt not in FORMAT_NAMES:
            raise GeoError(f"unknown format {fmt!r}; give one of {sorted(FORMAT_NAMES)}")
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
    frames = layer_frames(layers)
    check_text(frames, fmt)
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
            raise IsADirectoryError(f"{str(path)!r} is a folder; give a {FORMAT_NAMES[fmt]} file")
        raise FileNotFoundError(f"no file at {str(path)!r}; check the path")
    if path.stat().st_size == 0:
        raise GeoError(f"{str(path)!r} is empty (0 bytes); export it again")
    try:
        out = _READERS[fmt](path)
    except GeoError:
        raise
    except Exception as exc:  # every reader's own error means the same thing to the caller
        raise GeoError(
            f"cannot read {str(path)!r} as {FORMAT_NAMES[fmt]} ({type(exc).__name__}: {exc}); "
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


#: The one writer path: format name -> writer(frames, scratch path), called by export_layers.
_WRITERS = {
    "gpkg": gpkg.write,
    "geojson": geojson.write,
    "kml": kml.write_kml,
    "kmz": kml.write_kmz,
    "parquet": parquet.write,
    "shp.zip": shapefile.write_zip,
    "shp": shapefile.write_set,
}
_READERS = {
    "gpkg": gpkg.read,
    "geojson": geojson.read,
    "kml": kml.read_kml,
    "kmz": kml.read_kmz,
    "parquet": parquet.read,
    "shp.zip": shapefile.read_zip,
    "shp": shapefile.read_set,
}
