"""Zone and land layers of a map: the columns and kinds checked, the bundled layers loaded, display simplification.

A zone layer is a GeoDataFrame in EPSG:4326 with the columns :data:`COLUMNS`; the
bundled ones come through :mod:`geo.zones` (imported lazily, so a release without the
bundle still draws maps, with a :class:`NoZonesWarning`). Land is the basemap of an
offline page: the bundled land layer, else Natural Earth 1:110m as shipped with pyogrio.
"""

from __future__ import annotations

import importlib
import importlib.util
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geo._errors import GeoError

__all__ = [
    "COLUMNS",
    "STATUSES",
    "ZONE_KINDS",
    "ZONE_TOLERANCE_DEG",
    "NoZonesWarning",
    "check_zones",
    "land_layer",
    "simplify_zones",
    "sovereign_of",
]

ZONE_KINDS = ("territorial_sea", "contiguous_zone", "eez", "land")
"""The ``kind`` values of a zone layer, innermost first."""

STATUSES = ("equidistance", "treaty", "claimed", "disputed", "joint", "antarctic_treaty")
"""The ``status`` values of a zone layer."""

COLUMNS = ("kind", "sovereign", "status", "claimants", "source")
"""Columns a zone GeoDataFrame carries (``source`` may be missing)."""
ZONE_TOLERANCE_DEG = 0.01
"""Display simplification of zone and land layers, degrees (about 1 km; a pixel at zoom 7)."""


class NoZonesWarning(UserWarning):
    """The maritime-zone layers are not available; the map is drawn without them.

    Remedy: install a release with ``geo.zones`` and its bundled ``data/boundaries``, or
    pass ``zones=`` a GeoDataFrame; pass ``zones=False`` to leave zones out on purpose.
    """


def check_zones(
    zones: Any, perspective: str | None, notes: list[str], attribution: list[str], *, where: Any = None
) -> Any:
    """The zone layer to draw (the bundled one for None, none for False), checked; notes and attribution grow.

    ``where`` (lon, lat arrays of what the map shows) picks the bundled folder as
    :func:`geo.zones.boundaries_dir` does: the NW Pacific's detail inside its box, else the
    world's layers round the features (:func:`map_box`).
    """
    if perspective is not None and not (len(perspective) == 3 and perspective.isalpha()):
        raise GeoError(
            f"perspective must be an ISO 3166 alpha-3 code such as JPN or KOR, got {perspective!r}"
        )
    if zones is False:
        return None
    if zones is None:
        zones, why = _bundled_zones(perspective, where)
        if zones is None:
            warnings.warn(f"maritime zones not drawn: {why}", NoZonesWarning, stacklevel=3)
            notes.append(f"Maritime zones not shown: {why}.")
            return None
    missing = [c for c in COLUMNS[:4] if c not in zones.columns]
    if missing:
        raise GeoError(f"zone layer is missing column(s) {missing}; expected {list(COLUMNS)}")
    if zones.crs is not None and not zones.crs.equals("EPSG:4326"):
        raise GeoError(f"zone layer CRS is {zones.crs}, expected EPSG:4326; use zones.to_crs('EPSG:4326')")
    bad = sorted(set(zones["kind"]) - set(ZONE_KINDS))
    if bad:
        raise GeoError(f"zone layer has unknown kind(s) {bad}; expected one of {list(ZONE_KINDS)}")
    sources = sorted({str(s) for s in zones.get("source", []) if isinstance(s, str) and s})
    attribution.append("Zones: " + ("; ".join(sources[:4]) if sources else "as given"))
    if perspective:
        notes.append(
            f"Perspective {perspective.upper()}: disputed areas it claims are drawn in its colour as claimed; "
            "popups keep the dispute and its claimants."
        )
    return zones


MAP_MARGIN_DEG = 12.0
"""How far round a map's features the world bundle's zones are drawn, degrees (200 nm is ~3.3 deg)."""


def map_box(where: Any) -> tuple[float, float, float, float] | None:
    """The box of world zones a map of the points ``where`` (lon, lat arrays) draws; None: everything.

    The features' extent plus :data:`MAP_MARGIN_DEG`; all longitudes when the features
    straddle 180 deg (a box in [-180, 180] cannot hold them whole).
    """
    if where is None:
        return None
    lon, lat = (np.asarray(v, dtype=float).ravel() for v in where)
    if lon.size == 0:
        return None
    lon = (lon + 180.0) % 360.0 - 180.0
    m = MAP_MARGIN_DEG
    s, n = max(float(lat.min()) - m, -90.0), min(float(lat.max()) + m, 90.0)
    w, e = float(lon.min()) - m, float(lon.max()) + m
    if w < -180.0 or e > 180.0 or e - w > 180.0:
        return (-180.0, s, 180.0, n)
    return (w, s, e, n)


def _bundle_view(zones_mod: Any, where: Any) -> tuple[Any, tuple[float, float, float, float] | None]:
    """The bundled folder for ``where`` and the box to clip it to (None: the whole NW Pacific folder)."""
    folder = zones_mod.boundaries_dir(where=where)
    if folder == zones_mod.boundaries_dir():
        return folder, None
    return folder, map_box(where)


def _bundled_zones(perspective: str | None, where: Any = None) -> tuple[Any, str]:
    """The bundled zone layers through ``geo.zones``, or None and the reason."""
    try:
        zones_mod = importlib.import_module("geo.zones")
    except ImportError:
        return None, "geo.zones is not installed in this version"
    loader = getattr(zones_mod, "load_zones", None)
    if loader is None:
        return None, "geo.zones has no load_zones()"
    import pandas as pd

    frames = []
    try:
        folder, box = _bundle_view(zones_mod, where)
        for kind in ZONE_KINDS[:3]:
            frames.append(loader(kind, perspective=perspective, path=folder, bbox=box))
        if box is not None:  # the world's land comes with its zones (the default land is the NW Pacific's)
            frames.append(loader("land", path=folder, bbox=box))
    except (FileNotFoundError, LookupError, GeoError) as exc:
        return None, f"bundled zone layer unavailable ({exc})"
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    return gdf, ""


def land_layer(land: Any, zones: Any, notes: list[str]) -> tuple[Any, str]:
    """The land layer to draw (given, bundled or the coarse fallback) and its source; None when there is none."""
    if land is False:
        return None, ""
    if land is not None:
        return land, "as given"
    if zones is not None and "land" in set(zones["kind"]):
        return zones[zones["kind"] == "land"], "bundled land layer"
    bundled = _bundled_land()
    if bundled is not None:
        return bundled, "bundled land layer"
    fallback = _fallback_land()
    if fallback is not None:
        notes.append(
            "Coastline: Natural Earth 1:110m (coarse fallback); the bundled land layer is not installed."
        )
        return fallback, "Natural Earth 1:110m countries (public domain, as shipped with pyogrio)"
    notes.append("No land layer available: graticule only.")
    return None, ""


def _bundled_land() -> Any:
    try:
        zones_mod = importlib.import_module("geo.zones")
    except ImportError:
        return None
    for name in ("load_land",):
        fn = getattr(zones_mod, name, None)
        if fn is not None:
            try:
                return fn()
            except (FileNotFoundError, LookupError, GeoError):
                return None
    loader = getattr(zones_mod, "load_zones", None)
    if loader is not None:
        try:
            return loader("land")
        except (FileNotFoundError, LookupError, GeoError, TypeError):
            return None
    return None


def _fallback_land() -> Any:
    """Natural Earth 1:110m countries, dissolved to land, from pyogrio's test fixtures (no download)."""
    spec = importlib.util.find_spec("pyogrio")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = (
        Path(next(iter(spec.submodule_search_locations)))
        / "tests/fixtures/naturalearth_lowres/naturalearth_lowres.shp"
    )
    if not path.is_file():
        return None
    import geopandas as gpd

    world = gpd.read_file(path)
    geom = shapely.union_all(shapely.make_valid(world.geometry.to_numpy()))
    return gpd.GeoDataFrame({"kind": ["land"]}, geometry=[geom], crs="EPSG:4326")


def simplify_zones(
    zones: Any, *, tolerance_deg: float = ZONE_TOLERANCE_DEG, min_area_deg2: float | None = None
) -> Any:
    """Zone layers simplified for display; neighbours keep their shared edges.

    Two steps per kind of zone, vectorised over the layer:

    1. polygon parts and holes smaller than ``min_area_deg2`` (default
       ``(2 * tolerance_deg) ** 2``, about 4 km2 at the default) are left out: they are
       below a pixel at the zooms a regional map is read at; the legend says so;
    2. the rest is simplified as one polygonal coverage
       (:func:`shapely.coverage_simplify`), so two zones that share a boundary still
       share it, vertex for vertex. The tolerance is planar in degrees: display only.

    Examples
    --------
    >>> import geopandas as gpd
    >>> a, b = shapely.box(0, 0, 1, 1).segmentize(0.001), shapely.box(1, 0, 2, 1).segmentize(0.001)
    >>> islet = shapely.box(5, 5, 5.001, 5.001)
    >>> z = gpd.GeoDataFrame({"kind": ["eez", "eez"]}, geometry=[a, b.union(islet)], crs="EPSG:4326")
    >>> s = simplify_zones(z, tolerance_deg=0.01)
    >>> (shapely.get_num_coordinates(s.geometry.to_numpy()) < 4000).tolist()
    [True, True]
    >>> s.geometry.iloc[1].covers(islet), s.geometry.iloc[0].touches(s.geometry.iloc[1])
    (False, True)
    """
    min_area = (2.0 * tolerance_deg) ** 2 if min_area_deg2 is None else float(min_area_deg2)
    out = zones.copy()
    geoms = out.geometry.to_numpy().copy()
    for kind in sorted(set(out["kind"])):
        idx = np.flatnonzero((out["kind"] == kind).to_numpy())
        part = _drop_small(_valid(geoms[idx]), min_area)
        geoms[idx] = shapely.coverage_simplify(part, tolerance_deg)
    geoms = _valid(geoms)
    out = out.set_geometry(geoms)
    return out[~out.geometry.is_empty]


def _valid(geoms: Any) -> Any:
    """The geometries, the invalid ones made valid (make_valid on every zone is most of a map's time)."""
    out = np.array(geoms, dtype=object)
    bad = ~shapely.is_valid(out)
    if bad.any():
        out[bad] = shapely.make_valid(out[bad])
    return out


def _drop_small(geoms: Any, min_area: float) -> Any:
    """(Multi)Polygons without the parts and holes whose planar area is below ``min_area``."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    polys = shapely.get_type_id(parts) == 3
    keep = polys & (shapely.area(parts) >= min_area)
    parts, owner = parts[keep], owner[keep]
    shells = shapely.polygons(shapely.get_exterior_ring(parts))
    if shapely.get_num_interior_rings(parts).sum():
        rings, ring_owner = shapely.get_rings(parts, return_index=True)
        first = np.concatenate([[True], ring_owner[1:] != ring_owner[:-1]])
        holes = shapely.polygons(rings[~first])
        big = shapely.area(holes) >= min_area
        cut = np.array([shapely.MultiPolygon() for _ in parts], dtype=object)
        if big.any():
            shapely.multipolygons(holes[big], indices=ring_owner[~first][big], out=cut)
        shells = shapely.difference(shells, cut)
    out = np.array([shapely.MultiPolygon() for _ in geoms], dtype=object)
    pieces, piece_owner = shapely.get_parts(shells, return_index=True)
    if pieces.size:
        shapely.multipolygons(pieces, indices=owner[piece_owner], out=out)
    return out


def sovereign_of(value: Any) -> str:
    """ISO3 of a zone's sovereign; empty for a disputed area (the bundled layers leave it None)."""
    return value if isinstance(value, str) else ""
