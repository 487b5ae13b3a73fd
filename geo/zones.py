"""Maritime zones: whose land, territorial sea, contiguous zone or EEZ a point lies in.

The bundled layers (``data/boundaries/``) are built reproducibly from OSM coastlines by
``geo boundaries build``; official data (Marine Regions World EEZ) can replace them via
``geo boundaries import`` and the ``path=`` argument or the ``GEO_BOUNDARIES_DIR``
environment variable. Layers share one schema:

``kind``         land | territorial_sea | contiguous_zone | eez
``sovereign``    ISO3 of the sovereign state; empty (None) where the area is disputed
``territory``    ISO3 of the territory (GUM for Guam, sovereign USA), None where disputed
``status``       equidistance | treaty | claimed | disputed | joint
``claimants``    every ISO3 that claims the area, ``;``-separated ("JPN;KOR")
``administrator`` ISO3 of the state that administers the area (None if several)
``name``         a human name (the territory code, or the disputed feature's names)
``method``, ``source``  how and from what the polygon was made

``territorial_sea`` is the 0-12 nm belt and ``contiguous_zone`` the 12-24 nm belt; ``eez``
is the whole 0-200 nm zone measured from the coast (so it contains both belts), as
Marine Regions draws it. A *perspective* (an ISO3 code) gives the zones as that country
claims them: disputed areas it claims become its own, with status ``claimed``.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from geo._errors import GeoError, InvalidCoordinateError

if TYPE_CHECKING:  # imported where used: geo.assess reads the zones of a query without geopandas
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "ALL_LAYERS",
    "COLUMNS",
    "ENV_VAR",
    "EXTRA_LAYERS",
    "LAYERS",
    "STATUSES",
    "BoundariesNotFoundError",
    "BoundaryDataError",
    "ZoneRepairWarning",
    "apply_perspective",
    "boundaries_dir",
    "bundle_box",
    "clear_cache",
    "layer_file",
    "load_zones",
    "zones_at",
]

ENV_VAR = "GEO_BOUNDARIES_DIR"
LAYERS = ("land", "territorial_sea", "contiguous_zone", "eez")
# layers only some folders hold: the world bundle's Antarctic Treaty area (claim sectors south of 60 S)
EXTRA_LAYERS = ("antarctic",)
ALL_LAYERS = LAYERS + EXTRA_LAYERS
STATUSES = ("equidistance", "treaty", "claimed", "disputed", "joint", "antarctic_treaty")
# the regional bundle with more detail, and the box it covers; elsewhere the world bundle answers
DETAIL_REGION = "nwpacific"
WORLD_DIR = "world"
COLUMNS = (
    "kind",
    "sovereign",
    "territory",
    "status",
    "claimants",
    "administrator",
    "name",
    "method",
    "source",
)
_ISO3 = re.compile(r"^[A-Z]{3}$")


class BoundariesNotFoundError(GeoError, FileNotFoundError):
    """The boundary layers are not where ``path``, ``GEO_BOUNDARIES_DIR`` or the bundle point."""


class BoundaryDataError(GeoError):
    """A boundary file that cannot be read into the zone schema (columns, CRS, geometry)."""


class ZoneRepairWarning(UserWarning):
    """An imported file was repaired (CRS transformed, polygons made valid); the message says how."""


def boundaries_dir(path: str | os.PathLike[str] | None = None, *, where: Any = None) -> Path:
    """The folder holding the boundary layers.

    Parameters
    ----------
    path : path-like, optional
        An explicit folder; else ``$GEO_BOUNDARIES_DIR``; else the bundle shipped
        inside the package (``data/boundaries/`` of the repository in a checkout).
    where : optional
        What the layers are needed for, as ``(lon, lat)`` arrays or a ``(west, south,
        east, north)`` box: with the bundle, the detailed NW Pacific folder answers when
        everything lies inside its box (``DETAIL_MARGIN_DEG``), the world folder
        (``world/``) otherwise. ``None``: the NW Pacific folder, as before the world was
        bundled (an explicit ``path`` or ``$GEO_BOUNDARIES_DIR`` always wins).

    Returns
    -------
    pathlib.Path
        An existing folder.

    Raises
    ------
    BoundariesNotFoundError
        If the chosen folder does not exist; the message names both places looked at.

    Examples
    --------
    >>> boundaries_dir().name
    'boundaries'
    >>> boundaries_dir(where=([-139.5], [-9.0])).name
    'world'
    >>> boundaries_dir(where=([134.0], [40.0])).name
    'boundaries'
    """
    from geo._resources import bundle_dir

    bundle = bundle_dir()
    env = os.environ.get(ENV_VAR)
    chosen = Path(path) if path is not None else Path(env) if env else _bundle_for(bundle, where)
    if not chosen.exists():
        raise BoundariesNotFoundError(
            f"no boundary layers at {str(chosen)!r}; looked at the path given / ${ENV_VAR} "
            f"({env!r}) and the bundle ({str(bundle)!r}). Build them with "
            f"'geo boundaries build', import official data with 'geo boundaries import FILE', "
            f"or set {ENV_VAR} to a folder holding {', '.join(f'{k}.gpkg' for k in LAYERS)}"
        )
    return chosen


# how far inside its box the detailed region must hold a query (0: anywhere in the box, as
# before the world was bundled; near the box's edge the assessment notes that limits beyond it
# are not in the layers)
DETAIL_MARGIN_DEG = 0.0


def bundle_box(folder: Path) -> tuple[float, float, float, float] | None:
    """The ``box`` of a bundle folder's manifest (None without one)."""
    import json

    try:
        box = json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("box")
        return (float(box[0]), float(box[1]), float(box[2]), float(box[3]))
    except (OSError, ValueError, TypeError, IndexError, AttributeError):
        return None


def _bundle_for(bundle: Path, where: Any) -> Path:
    world = bundle / WORLD_DIR
    if where is None or not (world / "manifest.json").is_file():
        return bundle
    box = bundle_box(bundle)
    if box is None:
        return world
    if isinstance(where, tuple | list) and len(where) == 4 and all(np.ndim(v) == 0 for v in where):
        w, so, e, n = (float(v) for v in where)
        lon, lat = np.array([w, e]), np.array([so, n])
    else:
        lon, lat = (np.asarray(v, dtype=float).ravel() for v in where)
    if lon.size == 0:
        return bundle
    m = DETAIL_MARGIN_DEG
    x0, y0, x1, y1 = box
    x = np.where(lon < x0 - m, lon + 360.0, lon)
    inside = (x >= x0 + m) & (x <= x1 - m) & (lat >= y0 + m) & (lat <= y1 - m)
    return bundle if bool(np.all(inside)) else world


def layer_file(folder: Path, layer: str) -> Path | None:
    """The file of ``layer`` in ``folder``: ``{layer}.gpkg``, else the compact ``{layer}.npz``."""
    for suffix in (".gpkg", ".npz"):
        f = folder / f"{layer}{suffix}"
        if f.is_file():
            return f
    return None


def _check_layer(layer: str) -> None:
    if layer not in ALL_LAYERS:
        raise GeoError(f"layer must be one of {ALL_LAYERS}, got {layer!r}")


def _check_perspective(perspective: str | None) -> str | None:
    if perspective is None:
        return None
    if not isinstance(perspective, str) or not _ISO3.match(perspective.upper()):
        raise GeoError(f"perspective must be an ISO 3166 alpha-3 code such as 'JPN', got {perspective!r}")
    return perspective.upper()


@functools.lru_cache(maxsize=16)
def _read(file: str, layer: str, stamp: object) -> gpd.GeoDataFrame:
    """Read one layer file; ``stamp`` (see :func:`_stamp`) keys the in-memory cache."""
    import geopandas as gpd
    import pyogrio

    try:
        if file.endswith(".npz"):
            from geo._zonefile import read_layer

            gdf = read_layer(file)
        else:
            names = [n for n, _ in pyogrio.list_layers(file)]
            gdf = gpd.read_file(file, layer=layer if layer in names else names[0])
    except Exception as exc:  # pyogrio/GDAL raise their own classes for corrupt files
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise BoundaryDataError(
            f"cannot read the boundary layer file {file!r} ({reason}): it is corrupt, truncated or not a "
            f"GeoPackage; restore it (the bundle: 'git checkout data/boundaries'), or rewrite it with "
            f"'geo boundaries import FILE -o DIR' or 'geo boundaries build'"
        ) from exc
    for col in COLUMNS:
        if col not in gdf.columns:
            raise BoundaryDataError(
                f"{file!r} lacks the column {col!r}; import official files with 'geo boundaries import FILE'"
            )
    return gdf


def _stamp(file: Path) -> tuple[int, int, int, int]:
    """What tells one version of a file from another without reading it.

    ``st_ctime_ns`` changes on every write or rename and cannot be set back (``os.utime``
    sets only the modification time), so a file swapped in with the old mtime is re-read.
    """
    st = file.stat()
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def load_zones(
    layer: str = "eez",
    *,
    perspective: str | None = None,
    path: str | os.PathLike[str] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
) -> gpd.GeoDataFrame:
    """One layer of maritime zones as a GeoDataFrame in EPSG:4326 (lon, lat degrees).

    Parameters
    ----------
    layer : {"land", "territorial_sea", "contiguous_zone", "eez"}
        Which layer. ``eez`` covers 0-200 nm from the coast (belts included).
    perspective : str, optional
        ISO3 code of the country whose claims to adopt: disputed areas it claims get
        ``sovereign`` = that code and status ``claimed``. ``None`` (neutral) keeps
        disputed areas separate, with ``sovereign`` None.
    path : path-like, optional
        A folder with ``{layer}.gpkg`` files (the bundle or an import), or one
        GeoPackage holding the layer. Default: :func:`boundaries_dir`.
    bbox : (west, south, east, north), optional
        Degrees, ``west <= east`` in [-180, 180]: only the rows that reach the box, clipped
        to it (a map of one region of the world bundle).

    Returns
    -------
    geopandas.GeoDataFrame
        The columns of :data:`COLUMNS` and ``geometry``; a copy, safe to modify.

    Examples
    --------
    >>> eez = load_zones("eez")
    >>> set(eez.status) <= set(STATUSES)
    True
    >>> eez.crs.to_epsg()
    4326
    """
    _check_layer(layer)
    persp = _check_perspective(perspective)
    p = Path(path) if path is not None else None
    if p is not None and p.is_file():
        file = p
    else:
        folder = boundaries_dir(p)
        file = layer_file(folder, layer) or folder / f"{layer}.gpkg"
    if not file.exists():
        raise BoundariesNotFoundError(f"layer {layer!r} is missing: no file {str(file)!r}")
    gdf = _read(str(file), layer, _stamp(file)).copy()
    if bbox is not None:
        gdf = _clipped(gdf, bbox)
    gdf = apply_perspective(gdf, persp) if persp else gdf
    # As the README and RFC 7946 have it: exterior rings counter-clockwise, holes clockwise.
    gdf.geometry = shapely.orient_polygons(gdf.geometry.to_numpy(), exterior_cw=False)
    return gdf


def _clipped(gdf: gpd.GeoDataFrame, bbox: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    w, so, e, n = (float(v) for v in bbox)
    if not (-180.0 <= w <= e <= 180.0 and -90.0 <= so <= n <= 90.0):
        raise InvalidCoordinateError(
            f"bbox must be (west, south, east, north) degrees with west <= east in [-180, 180] and "
            f"south <= north in [-90, 90], got {bbox!r}; split a box across 180 deg in two"
        )
    geoms = gdf.geometry.to_numpy()
    reach = shapely.intersects(geoms, shapely.box(w, so, e, n))
    out = gdf[reach].copy()
    clipped = shapely.make_valid(
        shapely.clip_by_rect(out.geometry.to_numpy(), w, so, e, n), method="structure", keep_collapsed=False
    )
    out = out.set_geometry(clipped)
    return out[~out.geometry.is_empty]


def apply_perspective(zones: gpd.GeoDataFrame, perspective: str, *, antarctic: bool = False) -> gpd.GeoDataFrame:
    """Zones as ``perspective`` claims them: its disputed claims become its own.

    With ``antarctic=True`` its claims south of 60 S (status ``antarctic_treaty``, frozen by
    the Antarctic Treaty) become its own too; by default they stay as they are.

    Parameters
    ----------
    zones : geopandas.GeoDataFrame
        A layer in the zone schema.
    perspective : str
        ISO3 code, e.g. ``"JPN"``.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy; rows with status ``disputed`` whose claimants include ``perspective``
        get ``sovereign`` = ``territory`` = ``perspective`` and status ``claimed``.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> z = gpd.GeoDataFrame({"kind": ["eez"], "sovereign": [None], "territory": [None],
    ...     "status": ["disputed"], "claimants": ["JPN;KOR"], "administrator": ["KOR"],
    ...     "name": ["Liancourt Rocks"], "method": [""], "source": [""]},
    ...     geometry=[shapely.box(131, 37, 132, 38)], crs="EPSG:4326")
    >>> apply_perspective(z, "JPN").loc[0, ["sovereign", "status"]].tolist()
    ['JPN', 'claimed']
    >>> apply_perspective(z, "CHN").loc[0, "status"]
    'disputed'
    """
    persp = _check_perspective(perspective)
    out = zones.copy()
    claim = out["claimants"].fillna("").str.split(";").apply(lambda c: persp in c)
    kinds = ["disputed", "antarctic_treaty"] if antarctic else ["disputed"]
    mine = out["status"].isin(kinds) & claim
    out.loc[mine, ["sovereign", "territory"]] = persp
    out.loc[mine, "status"] = "claimed"
    return out


def zones_at(
    lon: float | Sequence[float] | np.ndarray,
    lat: float | Sequence[float] | np.ndarray,
    *,
    layers: Sequence[str] | None = None,
    perspective: str | None = None,
    path: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """Every zone that contains each point (boundary included).

    Parameters
    ----------
    lon, lat : float or array-like
        Longitude and latitude in degrees (WGS84), longitude first.
    layers : sequence of str, optional
        Layers to query; default all of :data:`LAYERS`.
    perspective : str, optional
        ISO3 code whose claims to adopt (see :func:`load_zones`).
    path : path-like, optional
        Boundary folder (see :func:`load_zones`).

    Returns
    -------
    pandas.DataFrame
        One row per (point, zone) hit: ``point`` (index into the input), ``lon``,
        ``lat`` and the schema columns; points in no zone have no row.

    Examples
    --------
    >>> hits = zones_at(157.5, 24.3, layers=["eez"])
    >>> hits[["sovereign", "status"]].values.tolist()
    [['JPN', 'treaty']]
    """
    x = np.atleast_1d(np.asarray(lon, dtype=float))
    y = np.atleast_1d(np.asarray(lat, dtype=float))
    if x.shape != y.shape:
        raise InvalidCoordinateError(f"lon and lat must have one shape, got {x.shape} and {y.shape}")
    bad = ~np.isfinite(x) | ~np.isfinite(y) | (np.abs(y) > 90)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidCoordinateError(
            f"point {i} is not a valid (lon, lat): ({x[i]!r}, {y[i]!r}); "
            f"latitude must be within [-90, 90], both finite"
        )
    x = np.where(np.abs(x) > 180.0, (x + 180.0) % 360.0 - 180.0, x)
    pts = shapely.points(x, y)
    frames = []
    folder = Path(path) if path is not None and Path(path).is_file() else boundaries_dir(path, where=(x, y))
    if layers is None:
        layers = [k for k in ALL_LAYERS if folder.is_file() or layer_file(folder, k) is not None]
    for layer in layers:
        gdf = load_zones(layer, perspective=perspective, path=folder)
        # tree on the points, queried by each zone: the fast direction for many points
        z_idx, p_idx = shapely.STRtree(pts).query(gdf.geometry.values, predicate="intersects")
        hit = gdf.drop(columns="geometry").iloc[z_idx].reset_index(drop=True)
        hit.insert(0, "point", p_idx)
        frames.append(hit)
    import pandas as pd

    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    out = out.sort_values(["point", "kind"], kind="stable").reset_index(drop=True)
    out.insert(1, "lon", x[out["point"].to_numpy(int)])
    out.insert(2, "lat", y[out["point"].to_numpy(int)])
    return out[["point", "lon", "lat", *COLUMNS]]


def clear_cache() -> None:
    """Forget the layers read so far (after a folder's files were replaced in place)."""
    _read.cache_clear()


def __getattr__(name: str) -> Any:
    # read_marine_regions and import_marine_regions live in geo.marine_regions (which imports
    # this module); they stay importable from here under their old names.
    if name in ("import_marine_regions", "read_marine_regions"):
        from geo import marine_regions

        return getattr(marine_regions, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
