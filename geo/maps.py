"""Interactive maps of launch sites, range rings, impacts, tracks and maritime zones (folium).

The layers are gathered once by :func:`collect_layers` as GeoDataFrames in EPSG:4326
(the same :class:`MapLayers` feeds :mod:`geo.figures`), then :func:`build_map` draws
them with Leaflet and :func:`write_map` writes one HTML file.

How the large shapes stay right
-------------------------------
Geometry from :mod:`geo.geodesy` is already split at +/-180 deg and closed along the
pole. For display each geometry is moved into the 360 deg window centred on the
map (pieces split at 180 deg are joined again, so a Pacific map has no seam), clipped
to the Web Mercator latitude limit (+/-85.05 deg, where Leaflet stops anyway), and
its outline is drawn without the cut edges (window edges, the clipped polar edge), so
a ring round the North Pole shows as a ring with no line along the pole or the
antimeridian, and with its fill inside.

Safe text
---------
Every text from users or files (event names, place names, dates, sources, the title)
goes through :func:`html.escape` before it reaches a popup, tooltip, label, legend or
title; JSON written into ``<script>`` has ``<``, ``>``, ``&`` and ``'`` escaped. No such
text is ever Jinja template source: branca compiles the text of an ``Element`` (and the
output of every ``MacroElement``) as a template, so our head and scripts go through
elements whose template is the constant ``{{ this.text }}`` (:func:`_literal`), and the
names handed to folium's own elements (overlay names in the layer control) are constants.

Offline
-------
``offline=True`` inlines Leaflet 1.9.4 (from the ``django-js-lib-leaflet`` package of
the ``map`` extra) and our controls, uses no tiles and draws the bundled land layer as
the basemap: the page fetches nothing.

Examples
--------
>>> layers = collect_layers(sites=["Hamhung"], rings_km=[1000], zones=False, land=False)
>>> layers.rings.range_km.tolist()
[1000.0]
>>> html = map_html(layers, offline=True)
>>> "leaflet" in html and 'src="http' not in html
True
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo import geodesy, style
from geo._errors import GeoError, InvalidDistanceError, MissingExtraError, ParseError
from geo.places import Place, lookup

__all__ = [
    "COLUMNS",
    "MAX_DISPLAY_LAT",
    "STATUSES",
    "ZONE_KINDS",
    "MapLayers",
    "NoZonesWarning",
    "build_map",
    "check_output_path",
    "collect_layers",
    "cut_outline",
    "display_geometry",
    "map_html",
    "outline",
    "read_events",
    "simplify_zones",
    "write_map",
]

ZONE_KINDS = ("territorial_sea", "contiguous_zone", "eez", "land")
"""The ``kind`` values of a zone layer, innermost first."""

STATUSES = ("equidistance", "treaty", "claimed", "disputed", "joint")
"""The ``status`` values of a zone layer."""

COLUMNS = ("kind", "sovereign", "status", "claimants", "source")
"""Columns a zone GeoDataFrame carries (``source`` may be missing)."""

MAX_DISPLAY_LAT = 85.0511287798
"""Web Mercator's latitude limit: Leaflet draws nothing beyond it, so display geometry is clipped here."""

ZONE_TOLERANCE_DEG = 0.01
"""Display simplification of zone and land layers, degrees (about 1 km; a pixel at zoom 7)."""

_DECIMALS = 5  # 1 m: coordinates written to the page for rings, tracks, sites
_ZONE_DECIMALS = 3  # 110 m: zone and land outlines already simplified to ~1 km
_SAMPLES = 4000  # samples behind an impact region's probabilities (standard error <= 0.8 %)

# One table for maps, figures, KML and GeoPackage styles: geo/style.py.


class NoZonesWarning(UserWarning):
    """The maritime-zone layers are not available; the map is drawn without them.

    Remedy: install a release with ``geo.zones`` and its bundled ``data/boundaries``, or
    pass ``zones=`` a GeoDataFrame; pass ``zones=False`` to leave zones out on purpose.
    """


# --------------------------------------------------------------------------- layers


@dataclass(frozen=True)
class MapLayers:
    """Everything a map or figure draws, as GeoDataFrames in EPSG:4326 (lon, lat).

    Attributes
    ----------
    sites : GeoDataFrame
        Points; ``name``, ``kind``, ``country``, ``precision_km``, ``source``.
    rings : GeoDataFrame
        Geodesic discs; ``site``, ``range_km``.
    impacts : GeoDataFrame
        Best points; ``name``, ``date``, ``description``, ``zone_text``.
    regions : GeoDataFrame
        Uncertainty regions; ``name``, ``date``, ``description``, ``probability_text``.
    tracks : GeoDataFrame
        Lines; ``name``, ``description``.
    zones, land : GeoDataFrame or None
        Zone layers (columns :data:`COLUMNS`) and land polygons; None when absent.
    notes : tuple of str
        What is missing or assumed, shown in the legend.
    attribution : tuple of str
        Sources of the data drawn.
    """

    sites: Any
    rings: Any
    impacts: Any
    regions: Any
    tracks: Any
    zones: Any = None
    land: Any = None
    title: str = ""
    perspective: str | None = None
    notes: tuple[str, ...] = ()
    attribution: tuple[str, ...] = ()
    land_source: str = ""
    _centre: tuple[float, float] | None = field(default=None, repr=False)

    @property
    def centre(self) -> tuple[float, float]:
        """(lon, lat) the views centre on: the first site, else the first impact or region, else the tracks."""
        if self._centre is not None:
            return self._centre
        for gdf in (self.sites, self.impacts, self.regions, self.tracks):
            if len(gdf):
                p = gdf.geometry.iloc[0]
                p = p if p.geom_type == "Point" else p.representative_point()
                return float(p.x), float(p.y)
        return 0.0, 0.0

    def focus(self) -> list[BaseGeometry]:
        """The geometries a view must show (zones and land only provide context)."""
        return [
            g
            for gdf in (self.sites, self.rings, self.impacts, self.regions, self.tracks)
            for g in gdf.geometry
        ]


def _gdf(rows: list[dict[str, Any]], columns: Sequence[str]) -> Any:
    import geopandas as gpd

    if not rows:
        return gpd.GeoDataFrame(
            {c: [] for c in columns}, geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326"
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")[[*columns, "geometry"]]


_SITE_COLS = ("name", "kind", "country", "precision_km", "source")
_RING_COLS = ("site", "range_km")
_IMPACT_COLS = ("name", "date", "description", "zone_text")
_REGION_COLS = ("name", "date", "description", "probability_text")
_TRACK_COLS = ("name", "description")


def collect_layers(
    *,
    sites: Iterable[str | Place] = (),
    rings_km: Iterable[float] = (),
    impacts: Iterable[tuple[float, float]] = (),
    events: str | Path | Iterable[str | Path] | None = None,
    tracks: Any = None,
    zones: Any = None,
    land: Any = None,
    perspective: str | None = None,
    title: str | None = None,
) -> MapLayers:
    """Gather what a map or figure shows.

    Parameters
    ----------
    sites : iterable of str or Place, keyword-only
        Launch sites: gazetteer names or places.
    rings_km : iterable of float
        Geodesic range rings drawn round every site, km (0 < r < the antipode).
    impacts : iterable of (lon, lat)
        Reported impact points, degrees, longitude first.
    events : path or iterable of paths, optional
        Events CSVs (see :func:`read_events`): best points, regions and sites, of every
        file in the order given; a file given twice is refused.
    tracks : GeoDataFrame or iterable of shapely lines, optional
        Flight tracks (e.g. :func:`geo.ballistics.ground_track`); a ``name`` column is used.
    zones : GeoDataFrame, False or None
        Zone layers with columns :data:`COLUMNS`; None loads the bundled ones when
        ``geo.zones`` is installed (else a :class:`NoZonesWarning`), False leaves them out.
    land : GeoDataFrame, False or None
        Land polygons for the basemap; None uses the bundled land layer, else a
        low-resolution fallback (Natural Earth 1:110m shipped with pyogrio) when present.
    perspective : str, optional
        ISO3 whose claims the bundled zones are drawn from.
    title : str, optional
        Shown on the map and figure (escaped).

    Returns
    -------
    MapLayers

    Raises
    ------
    GeoError
        Nothing to draw, a ring without a site, a ring of 0 km or beyond the antipode,
        an unknown site, a bad events file.
    """
    places_ = [p if isinstance(p, Place) else lookup(str(p)) for p in sites]
    site_rows: list[dict[str, Any]] = []
    impact_rows: list[dict[str, Any]] = []
    region_rows: list[dict[str, Any]] = []
    track_rows: list[dict[str, Any]] = []
    ev_rows: list[dict[str, Any]] = []
    for path in _event_files(events):
        ev_rows += read_events(path)
    places_ += [r["place"] for r in ev_rows if r["place"] is not None]
    seen: set[str] = set()
    for p in places_:
        if p.name not in seen:
            seen.add(p.name)
            site_rows.append(
                {"name": p.name, "kind": p.kind, "country": p.country, "precision_km": p.precision_km,
                 "source": p.source, "geometry": shapely.Point(p.lon, p.lat)}
            )  # fmt: skip
    rings = list(rings_km)
    if rings and not site_rows:
        raise GeoError("range rings are drawn round launch sites: give a site (--site NAME) with --rings-km")
    ring_rows = [
        {"site": s["name"], "range_km": r, "geometry": _ring(s["geometry"], r, s["name"])}
        for s in site_rows
        for r in _check_rings(rings)
    ]
    for i, (lon, lat) in enumerate(impacts, start=1):
        geodesy.check_lonlat(lon, lat, what=f"impact {i}")
        impact_rows.append(
            {"name": f"Impact {i}", "date": "", "description": f"reported point {lat:.4f}, {geodesy.normalize_lon(lon):.4f}",
             "zone_text": "", "geometry": shapely.Point(geodesy.normalize_lon(lon), lat)}
        )  # fmt: skip
    for r in ev_rows:
        if r["best"] is not None:
            impact_rows.append(
                {"name": r["name"], "date": r["date"], "description": r["description"], "zone_text": "",
                 "geometry": r["best"]}
            )  # fmt: skip
        if r["region"] is not None:
            region_rows.append(
                {"name": r["name"], "date": r["date"], "description": r["description"], "probability_text": "",
                 "geometry": r["region"], "_samples": r["samples"]}
            )  # fmt: skip
        if r["place"] is not None and r["best"] is not None:
            p = r["place"]
            track_rows.append(
                {"name": r["name"], "description": f"geodesic from {p.name} to the best point (assumed ground track)",
                 "geometry": geodesy.track([p.lon, r["best"].x], [p.lat, r["best"].y])}
            )  # fmt: skip
    track_rows += _tracks(tracks)
    if not (site_rows or impact_rows or region_rows or track_rows):
        raise GeoError(
            "nothing to draw: give a launch site (--site NAME), an impact (--impact LAT,LON), "
            "an events file (--events FILE) or tracks"
        )
    notes: list[str] = []
    attribution = ["Geodesy: WGS84 ellipsoid (GeographicLib via pyproj)"]
    zone_gdf = _zones(zones, perspective, notes, attribution)
    land_gdf, land_source = _land(land, zone_gdf, notes)
    if land_source:
        attribution.append(f"Land: {land_source}")
    index = None
    if zones is None and zone_gdf is not None:
        from geo import assess

        # The bundled zones: popups give the very outcomes and probabilities `geo assess` gives.
        index = assess.zone_index(perspective.upper() if perspective else None)
    _probabilities(impact_rows, region_rows, zone_gdf, index)
    layers = MapLayers(
        sites=_gdf(site_rows, _SITE_COLS),
        rings=_gdf(ring_rows, _RING_COLS),
        impacts=_gdf(impact_rows, _IMPACT_COLS),
        regions=_gdf([{k: v for k, v in r.items() if k != "_samples"} for r in region_rows], _REGION_COLS),
        tracks=_gdf(track_rows, _TRACK_COLS),
        zones=zone_gdf,
        land=land_gdf,
        perspective=perspective.upper() if perspective else None,
        notes=tuple(notes),
        attribution=tuple(attribution),
        land_source=land_source,
    )
    return replace(layers, title=title if title is not None else _default_title(layers))


def _event_files(events: str | Path | Iterable[str | Path] | None) -> list[Path]:
    """The events files, each once: a repeated file would draw every event twice."""
    if events is None:
        return []
    paths = [Path(events)] if isinstance(events, (str, Path)) else [Path(p) for p in events]
    seen: dict[Path, Path] = {}
    for p in paths:
        key = p.resolve()
        if key in seen:
            raise GeoError(
                f"the events file {str(p)!r} is given twice (--events {seen[key]} and --events {p}); "
                "give each file once"
            )
        seen[key] = p
    return paths


def _default_title(layers: MapLayers) -> str:
    names = list(layers.sites.name)[:3] or list(layers.impacts.name)[:3] or list(layers.regions.name)[:3]
    dates = sorted({d for d in [*layers.impacts.date, *layers.regions.date] if d})
    text = ", ".join(names)
    if dates:
        text += f" ({', '.join(dates[:3])})"
    return text or "geo map"


def _check_rings(rings_km: Sequence[float]) -> list[float]:
    out = []
    for r in rings_km:
        value = float(r)
        if not (math.isfinite(value) and value > 0):
            raise InvalidDistanceError(f"a range ring must be a positive number of km, got {r!r}")
        out.append(value)
    return out


def _ring(centre: shapely.Point, range_km: float, name: str) -> BaseGeometry:
    limit_km = geodesy.antipodal_distance_m(centre.x, centre.y) / 1e3
    if range_km >= limit_km:
        raise InvalidDistanceError(
            f"a {range_km:g} km ring round {name} reaches beyond its antipode, {limit_km:,.0f} km away; "
            "give a smaller range"
        )
    return geodesy.ring(centre.x, centre.y, range_km * 1e3)


def _tracks(tracks: Any) -> list[dict[str, Any]]:
    if tracks is None:
        return []
    if hasattr(tracks, "geometry") and hasattr(tracks, "columns"):
        names = (
            tracks["name"] if "name" in tracks.columns else [f"Track {i}" for i in range(1, len(tracks) + 1)]
        )
        return [
            {"name": str(n), "description": "flight track", "geometry": g}
            for n, g in zip(names, tracks.geometry, strict=True)
        ]
    if isinstance(tracks, BaseGeometry):
        tracks = [tracks]
    return [
        {"name": f"Track {i}", "description": "flight track", "geometry": g} for i, g in enumerate(tracks, 1)
    ]


# --------------------------------------------------------------------------- zones and land


def _zones(zones: Any, perspective: str | None, notes: list[str], attribution: list[str]) -> Any:
    if perspective is not None and not (len(perspective) == 3 and perspective.isalpha()):
        raise GeoError(
            f"perspective must be an ISO 3166 alpha-3 code such as JPN or KOR, got {perspective!r}"
        )
    if zones is False:
        return None
    if zones is None:
        zones, why = _bundled_zones(perspective)
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


def _bundled_zones(perspective: str | None) -> tuple[Any, str]:
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
    for kind in ZONE_KINDS[:3]:
        try:
            frames.append(loader(kind, perspective=perspective) if perspective else loader(kind))
        except (FileNotFoundError, LookupError, GeoError) as exc:
            return None, f"bundled zone layer {kind!r} unavailable ({exc})"
    import geopandas as gpd

    gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs="EPSG:4326")
    return gdf, ""


def _land(land: Any, zones: Any, notes: list[str]) -> tuple[Any, str]:
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
        part = _drop_small(shapely.make_valid(geoms[idx]), min_area)
        geoms[idx] = shapely.coverage_simplify(part, tolerance_deg)
    geoms = np.where(shapely.is_valid(geoms), geoms, shapely.make_valid(geoms))
    out = out.set_geometry(geoms)
    return out[~out.geometry.is_empty]


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


# --------------------------------------------------------------------------- events


def read_events(path: str | Path) -> list[dict[str, Any]]:
    """Read an events CSV: one reported launch or impact a row.

    Columns (any case, any order): ``name``, ``date``, and either ``lat`` and ``lon``
    (the reported impact point), or ``site`` and ``range_km`` with an optional
    ``azimuth_deg``. A range is ``R``, ``R+/-E`` or ``R1-R2`` km; an azimuth is degrees,
    ``A1:A2`` (clockwise) or blank for unknown. The region drawn holds the range interval
    (``R+/-2E`` for a normal error) over the azimuths; its best point is at the middle
    range and azimuth (none when the azimuth is unknown).

    Returns
    -------
    list of dict
        Keys ``name``, ``date``, ``description``, ``place`` (Place or None),
        ``best`` (Point or None), ``region`` (geometry or None), ``samples``.

    Raises
    ------
    GeoError
        Naming the row (its line in the file) and the column.
    """
    from geo import uncertainty

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"events file {str(path)!r} not found")
    from geo import events as events_mod

    # One reader of event files for the whole package: geo.events checks every row.
    events, errors, _ = events_mod.read_events(path)
    if errors:
        listed = "; ".join(f"line {e.row}: {e.reason}" for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise ParseError(f"{path.name}: {len(errors)} bad row(s): {listed}{more}; fix or remove them")
    if not events:
        raise ParseError(f"{path.name}: the events file has no rows")
    return [_event(path.name, e, uncertainty) for e in events]


def _event(fname: str, e: Any, uncertainty: Any) -> dict[str, Any]:
    """Map rows of one :class:`geo.events.Event`: best point, region and samples."""
    where = f"{fname} line {e.row}"
    if not e.name:
        raise ParseError(f"{where}, column 'name': empty; every event needs a name")
    ev: dict[str, Any] = {
        "name": e.name,
        "date": e.date,
        "place": None,
        "best": None,
        "region": None,
        "samples": None,
    }
    if e.lon is not None and e.lat is not None:
        ev["best"] = shapely.Point(e.lon, e.lat)
        ev["description"] = f"reported point {e.lat:.4f}, {e.lon:.4f}"
        if e.site:
            ev["place"] = _event_place(where, e.site)
        return ev
    row = {"site": e.site or "", "range_km": e.range_km or "", "azimuth_deg": e.azimuth or ""}
    if not (row.get("site") and row.get("range_km")):
        raise ParseError(f"{where}: give lat and lon, or site and range_km")
    place = _event_place(where, row["site"])
    try:
        kind, a, b = uncertainty.parse_range(row["range_km"])
    except GeoError as exc:
        raise type(exc)(f"{where}, column 'range_km': {exc}") from None
    lo, hi, mid = {
        "exact": (a, a, a),
        "normal": (max(a - 2 * b, 0.0), a + 2 * b, a),
        "uniform": (a, b, (a + b) / 2),
    }[kind]
    az_text = row.get("azimuth_deg", "")
    try:
        interval, az_mid = _azimuth(az_text)
        samples = uncertainty.from_site(
            place, range_km=row["range_km"], azimuth=az_text or None, n=_SAMPLES, seed=0
        )
        ev["region"] = _region(place, lo, hi, interval, az_mid)
    except GeoError as exc:
        raise type(exc)(f"{where}, columns 'range_km'/'azimuth_deg': {exc}") from None
    ev.update(place=place, samples=samples)
    if az_mid is not None:
        lon2, lat2, _ = geodesy.direct(place.lon, place.lat, az_mid, mid * 1e3)
        ev["best"] = shapely.Point(lon2, lat2)
    spread = {"exact": "exactly", "normal": "+/-2 sigma:", "uniform": "uniform"}[kind]
    ev["description"] = (
        f"from {place.name}: range {row['range_km']} km ({spread} {lo:,.0f}-{hi:,.0f} km), "
        f"azimuth {az_text or 'unknown'}{' deg' if az_text else ''}"
    )
    return ev


def _event_place(where: str, site: str) -> Place:
    try:
        return lookup(site)
    except GeoError as exc:
        raise type(exc)(f"{where}, column 'site': {exc}") from None


def _azimuth(text: str) -> tuple[geodesy.AzimuthInterval | float | None, float | None]:
    if not text or text.lower() in {"unknown", "none"}:
        return None, None
    if ":" in text:
        iv = geodesy.parse_azimuth_interval(text)
        return iv, iv.mid_deg
    try:
        value = float(text)
    except ValueError:
        raise ParseError(
            f"cannot read azimuth {text!r}; give degrees (90), an interval (60:120) or leave it blank"
        ) from None
    if not math.isfinite(value):
        raise ParseError(f"azimuth must be finite, got {text!r}")
    return value % 360.0, value % 360.0


def _region(
    place: Place, lo: float, hi: float, interval: geodesy.AzimuthInterval | float | None, az_mid: float | None
) -> BaseGeometry | None:
    """The area (or line, for an exact range or azimuth) the report allows."""
    lon, lat = place.lon, place.lat
    if isinstance(interval, float):  # one azimuth: a stretch of the geodesic
        if hi == lo:
            return None
        return _arc_or_radial(lon, lat, np.full(64, interval), np.linspace(lo, hi, 64))
    if hi == lo:  # one range: an arc
        iv = interval or geodesy.AzimuthInterval(0.0, 360.0, full=True)
        az = iv.start_deg + np.linspace(0.0, iv.width_deg, max(int(iv.width_deg * 2), 8) + 1)
        return _arc_or_radial(lon, lat, az, np.full(az.size, lo))
    if interval is None:
        return geodesy.annulus(lon, lat, lo * 1e3, hi * 1e3) if lo > 0 else geodesy.ring(lon, lat, hi * 1e3)
    return geodesy.sector(lon, lat, hi * 1e3, interval, inner_m=lo * 1e3)


def _arc_or_radial(lon: float, lat: float, az: Any, range_km: Any) -> BaseGeometry:
    x, y, _ = geodesy.direct(lon, lat, az, np.asarray(range_km) * 1e3)
    return geodesy.track(x, y)


def _probabilities(
    impact_rows: list[dict[str, Any]], region_rows: list[dict[str, Any]], zones: Any, index: Any = None
) -> None:
    """Fill the popups' probability and zone texts from the samples and the zone layers.

    With ``index`` (a :class:`geo.assess.ZoneIndex` of the same zones) the texts are the
    outcomes of ``geo assess``; otherwise each zone row's share of the samples is listed.
    """
    if index is not None:
        from geo.uncertainty import probability

        for r in impact_rows:
            r["zone_text"] = str(index.owner([r["geometry"].x], [r["geometry"].y])[0])
        for r in region_rows:
            s = r.get("_samples")
            if s is None:
                continue
            keys = index.owner(s.lon, s.lat)
            ranked: list[tuple[float, str]] = []
            for key in np.unique(keys).tolist():  # a handful of outcomes, vectorised over samples
                p, se = probability(keys == key)
                ranked.append((p, f"P({key}) = {p:.1%} ± {se:.1%}"))
            lines = [t for _, t in sorted(ranked, reverse=True)[:6]]
            lines.append(f"{s.n:,} samples, seed {s.seed}; as `geo assess` computes them")
            r["probability_text"] = "\n".join(lines + list(s.assumptions))
        return
    polys = zones[zones["kind"] != "land"] if zones is not None else None
    for r in impact_rows:
        p = r["geometry"]
        hits = _zone_hits(polys, np.array([p.x]), np.array([p.y])) if polys is not None else []
        r["zone_text"] = (
            "; ".join(f"{label}" for label, _ in hits)
            if hits
            else ("outside every zone drawn" if polys is not None else "")
        )
    for r in region_rows:
        s = r.get("_samples")
        if s is None:
            continue
        texts = []
        region = r["geometry"]
        if region.geom_type in ("Polygon", "MultiPolygon"):
            inside = shapely.contains_xy(region, s.lon, s.lat) | shapely.intersects_xy(
                region.boundary, s.lon, s.lat
            )
            texts.append(f"region drawn holds {inside.mean():.1%} of {s.n:,} samples (seed 0)")
        if polys is not None:
            for label, share in _zone_hits(polys, s.lon, s.lat)[:6]:
                texts.append(f"P({label}) = {share:.1%}")
        texts += list(s.assumptions)
        r["probability_text"] = "\n".join(texts)


def _sovereign(value: Any) -> str:
    """ISO3 of a zone's sovereign; empty for a disputed area (the bundled layers leave it None)."""
    return value if isinstance(value, str) else ""


def _zone_hits(zones: Any, lon: Any, lat: Any) -> list[tuple[str, float]]:
    """(label, share of the points inside) for every zone holding any point, largest first."""
    out = []
    for row in zones.itertuples(index=False):  # a handful of zones; points are vectorised
        share = float(shapely.contains_xy(row.geometry, lon, lat).mean())
        if share > 0:
            claim = (
                f", claimed by {row.claimants.replace(';', ', ')}"
                if row.status in ("disputed", "joint")
                else ""
            )
            who = _sovereign(row.sovereign) or "disputed"
            out.append((f"{who} {row.kind.replace('_', ' ')} ({row.status}{claim})", share))
    return sorted(out, key=lambda t: -t[1])


# --------------------------------------------------------------------------- display geometry


def _window(centre_lon: float) -> tuple[float, float]:
    c = float(geodesy.normalize_lon(centre_lon))
    # The shifted cut edge (lo + 360 or hi - 360) must equal the other edge bit for bit.
    if c >= 0:
        return c - 180.0, (c - 180.0) + 360.0
    return (c + 180.0) - 360.0, c + 180.0


def display_geometry(geoms: Any, *, centre_lon: float, max_lat: float = MAX_DISPLAY_LAT) -> Any:
    """Geometry as a map centred on ``centre_lon`` shows it: in [c-180, c+180], clipped to +/-``max_lat``.

    Pieces that :mod:`geo.geodesy` split at +/-180 deg are joined again when the window
    spans the antimeridian; the cut moves to the far side of the Earth.

    Parameters
    ----------
    geoms : shapely geometry or array_like of them
        EPSG:4326, longitudes in [-180, 180].
    centre_lon : float
        Degrees.

    Returns
    -------
    shapely geometry or numpy.ndarray
        Scalar in, scalar out.

    Examples
    --------
    >>> split = geodesy.track([170.0, -170.0], [50.0, 50.0])
    >>> split.geom_type, display_geometry(split, centre_lon=180.0).geom_type
    ('MultiLineString', 'LineString')
    """
    arr = np.asarray(geoms, dtype=object)
    scalar = arr.ndim == 0
    arr = np.atleast_1d(arr)
    lo, hi = _window(centre_lon)
    lat = float(max_lat)
    if lo >= -180.0:  # window [lo, hi] with hi >= 180: shift the part west of lo by +360
        keep, moved, shift = shapely.box(lo, -lat, 180.0, lat), shapely.box(-180.0, -lat, lo, lat), 360.0
    else:
        keep, moved, shift = shapely.box(-180.0, -lat, hi, lat), shapely.box(hi, -lat, 180.0, lat), -360.0
    a = shapely.intersection(arr, keep)
    b = shapely.transform(shapely.intersection(arr, moved), lambda c: c + np.array([shift, 0.0]))
    out = shapely.union(a, b)
    # The overlay puts cut vertices within ~1e-12 deg of the cut; snap them onto it exactly,
    # so that outline() can tell the cut's edges from the shape's own.
    out = shapely.transform(out, lambda c: _snap(c, lo, hi, lat))
    lines = np.isin(shapely.get_type_id(out), [1, 5])
    if lines.any():
        out[lines] = shapely.line_merge(out[lines])
    # Drop zero-area leftovers of the cut (a polygon touching the window edge).
    out = np.array([_polygonal_or_same(g, a_) for g, a_ in zip(out, arr, strict=True)], dtype=object)
    return out[0] if scalar else out


def _snap(coords: Any, lo: float, hi: float, lat: float, eps: float = 1e-9) -> Any:
    x, y = coords[:, 0], coords[:, 1]
    x = np.where(np.abs(x - lo) < eps, lo, np.where(np.abs(x - hi) < eps, hi, x))
    y = np.where(np.abs(y - lat) < eps, lat, np.where(np.abs(y + lat) < eps, -lat, y))
    return np.column_stack([x, y])


def _polygonal_or_same(g: BaseGeometry, original: BaseGeometry) -> BaseGeometry:
    if original.geom_type in ("Polygon", "MultiPolygon") and g.geom_type == "GeometryCollection":
        parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(parts) if parts else shapely.Polygon()
    return g


def _cuts(centre_lon: float, max_lat: float) -> BaseGeometry:
    lo, hi = _window(centre_lon)
    return shapely.MultiLineString(
        [
            [(lo, -90), (lo, 90)],
            [(hi, -90), (hi, 90)],
            [(lo, max_lat), (hi, max_lat)],
            [(lo, -max_lat), (hi, -max_lat)],
        ]
    )


def outline(geoms: Any, *, centre_lon: float, max_lat: float = MAX_DISPLAY_LAT) -> Any:
    """The boundary of display polygons without the edges the cut made.

    ``geoms`` come from :func:`display_geometry` with the same ``centre_lon``; the
    edges along the window's sides and along the clipped latitude are not part of the
    shape's true boundary and are left out.

    Examples
    --------
    >>> disc = display_geometry(geodesy.ring(127.5364, 39.9183, 13_000e3), centre_lon=127.5364)
    >>> line = outline(disc, centre_lon=127.5364)
    >>> line.geom_type, round(line.bounds[3], 1) < MAX_DISPLAY_LAT
    ('LineString', True)
    """
    lo, hi = _window(centre_lon)
    out = cut_outline(np.atleast_1d(np.asarray(geoms, dtype=object)), lons=(lo, hi), max_lat=max_lat)
    return out[0] if np.ndim(geoms) == 0 else out


def cut_outline(polys: Any, *, lons: Sequence[float], max_lat: float) -> Any:
    """Boundaries of ``polys`` without the edges that are cuts, not coastlines or limits.

    An edge is a cut when it runs along one of the meridians ``lons`` (the antimeridian,
    a display window's edges), along the latitude +/-``max_lat`` (a display clip), or
    touches a pole (the closure :mod:`geo.geodesy` adds to shapes round a pole).
    Vertices within 1e-9 deg of a cut count as on it (overlays leave them a few ulps off).

    Parameters
    ----------
    polys : array_like of shapely (Multi)Polygons
    lons : sequence of float
        Meridians that are cuts, degrees.
    max_lat : float
        Latitude of a clip, degrees (90 for none).

    Returns
    -------
    numpy.ndarray of shapely (Multi)LineStrings
        One per polygon, empty where nothing is left.

    Examples
    --------
    >>> disc = geodesy.ring(127.5, 39.9, 13_000e3)
    >>> line = cut_outline([disc], lons=(-180.0, 180.0), max_lat=90.0)[0]
    >>> line.bounds[3] < 89.0  # no edge along the pole or down the antimeridian
    True
    """
    polys = np.atleast_1d(np.asarray(polys, dtype=object))
    parts, owner = shapely.get_parts(shapely.boundary(polys), return_index=True)
    lines, line_owner = shapely.get_parts(parts, return_index=True)  # rings of MultiLineStrings
    line_owner = owner[line_owner]
    xy, index = shapely.get_coordinates(lines, return_index=True)
    eps = 1e-9
    x, y = xy[:, 0], xy[:, 1]
    on_meridian = np.zeros((len(lons), x.size), dtype=bool)
    for j, m in enumerate(lons):  # two to four meridians
        on_meridian[j] = np.abs(x - m) < eps
    same = index[:-1] == index[1:]
    cut = (on_meridian[:, :-1] & on_meridian[:, 1:]).any(axis=0)
    cut |= (np.abs(y[:-1]) > 90.0 - eps) | (np.abs(y[1:]) > 90.0 - eps)
    cut |= (np.abs(np.abs(y[:-1]) - max_lat) < eps) & (np.abs(np.abs(y[1:]) - max_lat) < eps)
    keep = same & ~cut
    out = np.array([shapely.MultiLineString() for _ in polys], dtype=object)
    if not keep.any():
        return out
    # A run of kept edges becomes one line; a new run starts after a dropped edge or a new ring.
    starts = keep & ~np.concatenate([[False], keep[:-1] & same[:-1]])
    run_of_edge = np.cumsum(starts) - 1
    k = np.flatnonzero(keep)
    vertex_run = np.concatenate([run_of_edge[k], run_of_edge[k]])
    vertices = np.concatenate([xy[k], xy[k + 1]])
    order = np.lexsort((np.concatenate([k, k + 1]), vertex_run))
    segs = shapely.remove_repeated_points(shapely.linestrings(vertices[order], indices=vertex_run[order]))
    seg_owner = line_owner[index[k][np.searchsorted(run_of_edge[k], np.arange(segs.size))]]
    for i in np.unique(seg_owner):  # one merge per polygon that kept any edge
        out[i] = shapely.line_merge(shapely.multilinestrings(segs[seg_owner == i]))
    return out


# --------------------------------------------------------------------------- the map


def import_extra(module: str, extra: str) -> Any:
    """Import an optional dependency, or raise :class:`MissingExtraError` naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(module, extra) from None


def _folium() -> Any:
    return import_extra("folium", "map")


def _esc(text: Any) -> str:
    """HTML-escape text from users or files (quotes too)."""
    return html.escape("" if text is None else str(text), quote=True)


def _popup(title: str, rows: Iterable[tuple[str, Any]]) -> str:
    cells = "".join(
        f"<tr><th>{_esc(k)}</th><td>{_esc(v).replace(chr(10), '<br>')}</td></tr>"
        for k, v in rows
        if v not in (None, "")
    )
    return f'<div class="geo-popup"><b>{_esc(title)}</b><table>{cells}</table></div>'


def _round(geoms: Any, decimals: int) -> Any:
    return shapely.transform(geoms, lambda c: np.round(c, decimals))


class _Layer:
    """Features of one overlay: geometry (display coordinates), style key and escaped texts."""

    def __init__(self, name: str, *, show: bool = True) -> None:
        self.name = name
        self.show = show
        self.geoms: list[BaseGeometry] = []
        self.props: list[dict[str, str]] = []

    def add(
        self, geom: BaseGeometry, style: str, *, popup: str = "", tooltip: str = "", label: str = ""
    ) -> None:
        if geom is None or geom.is_empty:
            return
        props = {"s": style}
        if popup:
            props["p"] = popup
        if tooltip:
            props["t"] = tooltip
        if label:
            props["l"] = label
        self.geoms.append(geom)
        self.props.append(props)

    def add_polygons(
        self, geoms: Any, styles: Sequence[str], popups: Sequence[str], tooltips: Sequence[str], *,
        centre_lon: float, decimals: int,
    ) -> None:  # fmt: skip
        """Polygons: fill and stroke in one feature, unless the cut touched them: then a fill plus its outline."""
        shown = display_geometry(np.asarray(geoms, dtype=object), centre_lon=centre_lon)
        cuts = _cuts(centre_lon, MAX_DISPLAY_LAT)
        touched = shapely.intersects(shapely.boundary(shown), cuts)
        lines = np.empty(len(shown), dtype=object)
        if touched.any():  # outline first: rounding would move vertices off the cut lines
            lines[touched] = _round(outline(shown[touched], centre_lon=centre_lon), decimals)
        shown = _round(shown, decimals)
        for g, line, cut, s, p, t in zip(shown, lines, touched, styles, popups, tooltips, strict=True):
            if cut:
                self.add(g, s + ":fill", popup=p, tooltip=t)
                self.add(line, s + ":line")
            else:
                self.add(g, s, popup=p, tooltip=t)

    def geojson(self) -> str:
        from geo._leaflet import script_json, script_json_raw

        if not self.geoms:
            return '{"type":"FeatureCollection","features":[]}'
        texts = shapely.to_geojson(np.asarray(self.geoms, dtype=object))
        feats = [
            f'{{"type":"Feature","properties":{script_json(p)},"geometry":{script_json_raw(str(g))}}}'
            for g, p in zip(texts, self.props, strict=True)
        ]
        return '{"type":"FeatureCollection","features":[' + ",".join(feats) + "]}"


def _styles() -> dict[str, dict[str, Any]]:
    """Every style a feature may name; ``:fill``/``:line`` variants split fill from outline."""
    base: dict[str, dict[str, Any]] = {
        "land": {  # no outline: the layer is clipped to its build region, whose box is no coast
            "stroke": False,
            "color": "#9c9480",
            "weight": 0.6,
            "fillColor": style.LAND_FILL,
            "fillOpacity": 1.0,
            "interactive": False,
        },
        "graticule": {
            "color": "#7f98ad",
            "weight": 0.6,
            "opacity": 0.6,
            "dashArray": "2 4",
            "interactive": False,
        },
        "ring": {
            "color": style.RING_COLOUR,
            "weight": 2,
            "fillColor": style.RING_COLOUR,
            "fillOpacity": 0.04,
        },
        "region": {
            "color": style.REGION_COLOUR,
            "weight": 2,
            "fillColor": style.REGION_COLOUR,
            "fillOpacity": 0.25,
            "dashArray": "5 3",
        },
        "region_line": {"color": style.REGION_COLOUR, "weight": 4, "opacity": 0.8},
        "track": {"color": style.TRACK_COLOUR, "weight": 2, "dashArray": "8 4"},
        "site": {
            "radius": 6,
            "color": "#ffffff",
            "weight": 2,
            "fillColor": style.SITE_COLOUR,
            "fillOpacity": 1.0,
        },
        "impact": {
            "radius": 7,
            "color": "#ffffff",
            "weight": 2,
            "fillColor": style.IMPACT_COLOUR,
            "fillOpacity": 1.0,
        },
        "label": {},
    }
    for kind in ZONE_KINDS[:3]:
        for sov, colour in [*style.SOVEREIGN_COLOUR.items(), ("other", style.OTHER_COLOUR)]:
            for status in STATUSES:
                st = {
                    "color": colour,
                    "weight": style.KIND_WEIGHT[kind],
                    "fillColor": colour,
                    "fillOpacity": style.KIND_OPACITY[kind],
                }
                st.update(style.STATUS_STYLE[status])
                if status not in ("disputed", "joint"):
                    st["fillOpacity"] = style.KIND_OPACITY[kind]
                base[f"z:{kind}:{sov}:{status}"] = st
    out = dict(base)
    for key, st in base.items():
        out[key + ":fill"] = {**st, "stroke": False}
        out[key + ":line"] = {**st, "fill": False, "interactive": False}
    return out


def _zone_style(kind: str, sovereign: str, status: str) -> str:
    sov = sovereign if sovereign in style.SOVEREIGN_COLOUR else "other"
    return f"z:{kind}:{sov}:{status if status in STATUSES else 'claimed'}"


class _Map:
    """Assembles the overlays and controls of one folium map."""

    def __init__(self, layers: MapLayers, *, offline: bool) -> None:
        self.layers = layers
        self.offline = offline
        self.c = layers.centre[0]
        self.overlays: list[_Layer] = []

    def build(self) -> Any:
        folium = _folium()
        lon, lat = self.layers.centre
        m = folium.Map(
            location=[lat, lon], zoom_start=4, tiles=None, control_scale=True, world_copy_jump=False
        )
        m._id = "geo"
        m.default_js, m.default_css = [], []
        self._assets(m)
        if not self.offline:
            tiles = folium.TileLayer(
                "OpenStreetMap", name="Basemap: OpenStreetMap (online tiles)", control=True
            )
            tiles._id = "tiles"
            m.add_child(tiles)
        self._land()
        self._graticule()
        self._zones()
        self._rings()
        self._regions()
        self._tracks()
        self._points()
        styles = _styles()
        for i, ov in enumerate(self.overlays):
            group = folium.FeatureGroup(name=_esc(ov.name), show=ov.show)
            group._id = f"layer{i}"
            m.add_child(group)
            m.add_child(
                _script(f"geoMap.layer({group.get_name()}, {ov.geojson()}, geo_styles);", f"layer{i}data")
            )
        m.add_child(_script(f"var geo_styles = {_styles_json(styles)};", "styles"), index=0)
        control = folium.LayerControl(collapsed=True)
        control._id = "control"
        m.add_child(control)
        m.add_child(_script(self._controls_js(m), "controls"))
        south, west, north, east = self._bounds()
        m.fit_bounds([[south, west], [north, east]])  # (lat, lon): folium's order
        return m

    def _assets(self, m: Any) -> None:
        from geo._leaflet import (
            LEAFLET_CSS_URL,
            LEAFLET_JS_URL,
            controls_css,
            controls_js,
            leaflet_css,
            leaflet_js,
        )

        if self.offline:
            head = f"<style>{leaflet_css()}</style>\n<script>{_script_text(leaflet_js())}</script>\n"
        else:
            head = f'<link rel="stylesheet" href="{LEAFLET_CSS_URL}"/>\n<script src="{LEAFLET_JS_URL}"></script>\n'
        head += (
            f"<style>{controls_css()}\n.leaflet-container {{ background: {style.SEA_BACKGROUND}; }}</style>\n"
        )
        head += f"<script>{_script_text(controls_js())}</script>\n"
        head += f"<title>{_esc(self.layers.title)}</title>\n"
        m.get_root().header.add_child(_literal(head), name="geo_assets")

    def _land(self) -> None:
        if self.layers.land is None or not len(self.layers.land):
            return
        land = simplify_zones(self.layers.land.assign(kind="land"))
        ov = _Layer("Land (basemap)" if self.offline else "Land (bundled layer)", show=self.offline)
        n = len(land)
        ov.add_polygons(
            land.geometry.to_numpy(),
            ["land"] * n,
            [""] * n,
            [""] * n,
            centre_lon=self.c,
            decimals=_ZONE_DECIMALS,
        )
        self.overlays.append(ov)

    def _graticule(self) -> None:
        lo, hi = _window(self.c)
        ov = _Layer("Graticule (10 deg)")
        lons = np.arange(math.ceil(lo / 10) * 10, hi + 1e-9, 10.0)
        lats = np.arange(-80.0, 80.0 + 1e-9, 10.0)
        mer = [shapely.LineString([(x, -80.0), (x, 80.0)]) for x in lons]
        par = [shapely.LineString(np.column_stack([np.linspace(lo, hi, 73), np.full(73, y)])) for y in lats]
        ov.add(shapely.MultiLineString([*mer, *par]), "graticule")
        self.overlays.append(ov)

    def _zones(self) -> None:
        zones = self.layers.zones
        if zones is None or not len(zones):
            return
        zones = simplify_zones(zones[zones["kind"] != "land"])
        for kind in ZONE_KINDS[:3][::-1]:  # widest first, so the narrower zones lie on top
            sub = zones[zones["kind"] == kind]
            if not len(sub):
                continue
            ov = _Layer(f"Zones: {style.KIND_LABEL[kind]}")
            styles, popups, tips = [], [], []
            for row in sub.itertuples(index=False):  # one row per zone: a handful
                styles.append(self._zone_style(kind, row))
                src = getattr(row, "source", "")
                claim = str(row.claimants).replace(";", ", ") if isinstance(row.claimants, str) else ""
                sov = _sovereign(row.sovereign) or f"disputed ({claim})"
                name = getattr(row, "name", "")
                popups.append(
                    _popup(
                        f"{sov} {style.KIND_LABEL[kind]}",
                        [("country", sov), ("name", name if isinstance(name, str) else ""), ("kind", style.KIND_LABEL[kind]),
                         ("status", row.status), ("claimants", claim), ("source", src if isinstance(src, str) else "")],
                    )
                )  # fmt: skip
                disputed = (
                    " - DISPUTED"
                    if row.status == "disputed"
                    else " - joint regime"
                    if row.status == "joint"
                    else ""
                )
                tips.append(_esc(f"{sov} {kind.replace('_', ' ')}{disputed} ({claim})"))
            ov.add_polygons(
                sub.geometry.to_numpy(), styles, popups, tips, centre_lon=self.c, decimals=_ZONE_DECIMALS
            )
            self.overlays.append(ov)

    def _zone_style(self, kind: str, row: Any) -> str:
        p = self.layers.perspective
        if (
            p
            and row.status == "disputed"
            and isinstance(row.claimants, str)
            and p in row.claimants.split(";")
        ):
            return _zone_style(kind, p, "claimed")
        return _zone_style(kind, _sovereign(row.sovereign), str(row.status))

    def _rings(self) -> None:
        rings = self.layers.rings
        if not len(rings):
            return
        ov = _Layer("Range rings (geodesic)")
        many = rings["site"].nunique() > 1
        popups = [
            _popup(
                f"{r.range_km:,.0f} km from {r.site}",
                [("range", f"{r.range_km:,.0f} km (geodesic, WGS84)"), ("centre", r.site)],
            )
            for r in rings.itertuples(index=False)
        ]
        tips = [_esc(f"{r.range_km:,.0f} km from {r.site}") for r in rings.itertuples(index=False)]
        ov.add_polygons(
            rings.geometry.to_numpy(),
            ["ring"] * len(rings),
            popups,
            tips,
            centre_lon=self.c,
            decimals=_DECIMALS,
        )
        sites = self.layers.sites.set_index("name").geometry
        for r in rings.itertuples(index=False):
            centre = sites[r.site]
            x, y, _ = geodesy.direct(centre.x, centre.y, 90.0, r.range_km * 1e3)
            where = display_geometry(shapely.Point(x, y), centre_lon=self.c)
            text = f"{r.site} {r.range_km:,.0f} km" if many else f"{r.range_km:,.0f} km"
            ov.add(where, "label", label=_esc(text))
        self.overlays.append(ov)

    def _regions(self) -> None:
        regions = self.layers.regions
        if not len(regions):
            return
        ov = _Layer("Impact regions (uncertainty)")
        popups = [
            _popup(r.name, [("date", r.date), ("report", r.description), ("probability", r.probability_text)])
            for r in regions.itertuples(index=False)
        ]
        tips = [_esc(f"{r.name}: uncertainty region") for r in regions.itertuples(index=False)]
        geoms = regions.geometry.to_numpy()
        poly = np.isin(shapely.get_type_id(geoms), [3, 6])
        if poly.any():
            idx = np.flatnonzero(poly)
            ov.add_polygons(geoms[idx], ["region"] * idx.size, [popups[i] for i in idx], [tips[i] for i in idx],
                            centre_lon=self.c, decimals=_DECIMALS)  # fmt: skip
        for i in np.flatnonzero(~poly):
            shown = _round(display_geometry(geoms[i], centre_lon=self.c), _DECIMALS)
            ov.add(shown, "region_line", popup=popups[i], tooltip=tips[i])
        self.overlays.append(ov)

    def _tracks(self) -> None:
        tracks = self.layers.tracks
        if not len(tracks):
            return
        ov = _Layer("Flight tracks")
        shown = _round(display_geometry(tracks.geometry.to_numpy(), centre_lon=self.c), _DECIMALS)
        for r, g in zip(tracks.itertuples(index=False), shown, strict=True):
            ov.add(g, "track", popup=_popup(r.name, [("track", r.description)]), tooltip=_esc(r.name))
        self.overlays.append(ov)

    def _points(self) -> None:
        sites, impacts = self.layers.sites, self.layers.impacts
        if len(sites):
            ov = _Layer("Launch sites")
            shown = display_geometry(sites.geometry.to_numpy(), centre_lon=self.c)
            for r, g in zip(sites.itertuples(index=False), shown, strict=True):
                pop = _popup(r.name, [("kind", r.kind.replace("_", " ")), ("country", r.country),
                                      ("position", f"{r.geometry.y:.4f}, {r.geometry.x:.4f} (+/- {r.precision_km:g} km)"),
                                      ("source", r.source)])  # fmt: skip
                ov.add(g, "site", popup=pop, tooltip=_esc(r.name))
                ov.add(g, "label", label=_esc(r.name))
            self.overlays.append(ov)
        if len(impacts):
            ov = _Layer("Impacts (best points)")
            shown = display_geometry(impacts.geometry.to_numpy(), centre_lon=self.c)
            for r, g in zip(impacts.itertuples(index=False), shown, strict=True):
                pop = _popup(r.name, [("date", r.date), ("position", f"{r.geometry.y:.4f}, {r.geometry.x:.4f}"),
                                      ("report", r.description), ("zone", r.zone_text)])  # fmt: skip
                ov.add(g, "impact", popup=pop, tooltip=_esc(f"{r.name} {r.date}".strip()))
            self.overlays.append(ov)

    def _bounds(self) -> tuple[float, float, float, float]:
        geoms = self.layers.focus()
        shown = display_geometry(np.asarray(geoms, dtype=object), centre_lon=self.c)
        x0, y0, x1, y1 = shapely.total_bounds(shown)
        pad_x, pad_y = max((x1 - x0) * 0.08, 2.0), max((y1 - y0) * 0.08, 2.0)
        return max(y0 - pad_y, -80.0), x0 - pad_x, min(y1 + pad_y, 80.0), x1 + pad_x

    def _controls_js(self, m: Any) -> str:
        from geo._leaflet import script_json

        name = m.get_name()
        return (
            f"geoMap.htmlBox({name}, {script_json(self._title_html())}, 'geo-title', 'topright');\n"
            f"geoMap.htmlBox({name}, {script_json(self._legend_html())}, 'geo-legend', 'bottomright');\n"
            f"geoMap.readout({name});\ngeoMap.measure({name});\n"
        )

    def _title_html(self) -> str:
        mode = "offline" if self.offline else "online"
        return f'{_esc(self.layers.title)}<div class="geo-sub">{_esc(f"geo map ({mode}); coordinates WGS84")}</div>'

    def _legend_html(self) -> str:
        rows: list[str] = ["<h4>Legend</h4>"]

        def row(style: str, text: str) -> None:
            rows.append(
                f'<div class="geo-row"><span class="geo-swatch" style="{style}"></span>{_esc(text)}</div>'
            )

        lay = self.layers
        if len(lay.sites):
            row(f"background:{style.SITE_COLOUR};border-color:#fff", "launch site")
        if len(lay.impacts):
            row(
                f"background:{style.IMPACT_COLOUR};border-color:#fff;border-radius:50%;width:12px",
                "impact (best point)",
            )
        if len(lay.regions):
            row(
                f"background:{style.REGION_COLOUR}55;border-color:{style.REGION_COLOUR};border-style:dashed",
                "uncertainty region",
            )
        if len(lay.rings):
            row(f"background:{style.RING_COLOUR}10;border-color:{style.RING_COLOUR}", "geodesic range ring")
        if len(lay.tracks):
            row(
                f"height:0;border-width:2px 0 0 0;border-style:dashed;border-color:{style.TRACK_COLOUR}",
                "flight track",
            )
        if lay.zones is not None and len(lay.zones):
            kinds = [k for k in ZONE_KINDS[:3] if k in set(lay.zones["kind"])]
            for k in kinds:
                row(
                    f"background:rgba(90,90,90,{style.KIND_OPACITY[k]});border-color:#555",
                    style.KIND_LABEL[k],
                )
            present = {_sovereign(v) for v in lay.zones["sovereign"]} - {""}
            for sov in sorted(present & style.SOVEREIGN_COLOUR.keys()):
                row(f"background:{style.SOVEREIGN_COLOUR[sov]};border-color:#555", f"zone of {sov}")
            if present - style.SOVEREIGN_COLOUR.keys():
                row(
                    f"background:{style.OTHER_COLOUR};border-color:#555",
                    "zone of another country (see popup)",
                )
            statuses = set(lay.zones["status"])
            if "disputed" in statuses:
                st = style.STATUS_STYLE["disputed"]
                row(
                    f"background:{st['fillColor']};border-color:{st['color']};border-style:dashed",
                    "disputed (claimants in popup)",
                )
            if "joint" in statuses:
                st = style.STATUS_STYLE["joint"]
                row(
                    f"background:{st['fillColor']};border-color:{st['color']};border-style:dotted",
                    "joint regime",
                )
            if "claimed" in statuses:
                row("background:#ddd;border-color:#555;border-style:dashed", "claimed (not agreed)")
        if lay.land is not None and self.offline:
            row(f"background:{style.LAND_FILL};border-color:#9c9480", "land")
        notes = list(lay.notes)
        if self.offline:
            notes.append("Offline page: no web tiles; basemap drawn from the land layer.")
        if (lay.zones is not None and len(lay.zones)) or lay.land is not None:
            notes.append(
                f"Zones and land simplified for display (~{ZONE_TOLERANCE_DEG * 111:.0f} km; parts under "
                f"~{(2 * ZONE_TOLERANCE_DEG * 111) ** 2:.0f} km2 left out); exact shapes are in the zone layers."
            )
        if any(g is not None and g.bounds[3] > MAX_DISPLAY_LAT for g in lay.rings.geometry):
            notes.append(
                "Shapes reaching the pole are shown up to 85.05 deg, the edge of this (Web Mercator) map."
            )
        rows += [f'<div class="geo-note">{_esc(n)}</div>' for n in notes]
        rows.append(f'<div class="geo-attr">{_esc("; ".join(lay.attribution))}</div>')
        return "".join(rows)


def _literal(text: str) -> Any:
    """A branca element that writes ``text`` as is: its template is constant, the text a variable.

    ``branca.element.Element(text)`` would compile ``text`` as a Jinja template (and run
    ``{{ ... }}`` in it), and so does :class:`branca.element.MacroElement`, which wraps
    what its macros produce in such an ``Element``. User text reaches the page only
    through elements built here.
    """
    from branca.element import Element
    from jinja2 import Template

    el = Element()
    el._name = "GeoLiteral"
    el.__dict__["text"] = text  # every user text in it was escaped when it was built
    el._template = Template("{{ this.text }}")
    return el


def _script(code: str, name: str) -> Any:
    """JavaScript for the page's script section, written literally (see :func:`_literal`)."""
    from branca.element import MacroElement

    class _GeoScript(MacroElement):
        def render(self, **kwargs: Any) -> str:
            root: Any = self.get_root()  # the branca Figure, whose script section holds the page's JS
            root.script.add_child(_literal(code), name=self.get_name())
            return ""

    el = _GeoScript()  # type: ignore[no-untyped-call]
    el._name = "GeoScript"
    el._id = name
    return el


def _script_text(js: str) -> str:
    """JavaScript placed inside <script> must not contain '</script' (Leaflet does not; checked)."""
    if "</script" in js.lower():
        raise GeoError("refusing to inline JavaScript that contains '</script'")
    return js


def _styles_json(styles: dict[str, dict[str, Any]]) -> str:
    from geo._leaflet import script_json

    return script_json(styles)


def build_map(layers: MapLayers, *, offline: bool = False) -> Any:
    """Draw the layers on a folium map.

    Parameters
    ----------
    layers : MapLayers
        From :func:`collect_layers`.
    offline : bool, keyword-only
        Inline Leaflet and use no tiles: a page that fetches nothing.

    Returns
    -------
    folium.Map
    """
    return _Map(layers, offline=offline).build()


def map_html(layers: MapLayers, *, offline: bool = False) -> str:
    """The map as one HTML document (see :func:`build_map`)."""
    text: str = build_map(layers, offline=offline).get_root().render()
    return text


def write_map(layers: MapLayers, path: str | Path, *, offline: bool = False) -> Path:
    """Write the map to ``path`` (.html) in one step: a failed write leaves no file.

    Raises
    ------
    FileNotFoundError
        The destination folder does not exist.
    PermissionError or GeoError
        The destination cannot be written (named, with the fix).
    """
    from geo._io import atomic_write_text

    path = check_output_path(path, (".html", ".htm"))
    text = map_html(layers, offline=offline)
    try:
        return atomic_write_text(path, text)
    except PermissionError as exc:
        raise PermissionError(
            f"cannot write {str(path)!r}: permission denied ({exc.strerror}); choose a writable folder"
        ) from None


def check_output_path(path: str | Path, suffixes: Sequence[str]) -> Path:
    """The output path, checked before any work: known suffix, existing folder, not a folder."""
    path = Path(path)
    if path.suffix.lower() not in suffixes:
        raise GeoError(f"output {str(path)!r} must end in {' or '.join(suffixes)}")
    if path.is_dir():
        raise IsADirectoryError(f"output {str(path)!r} is a folder; give a file name")
    if not path.parent.is_dir():
        raise FileNotFoundError(
            f"output folder {str(path.parent)!r} does not exist; create it first (mkdir -p {path.parent})"
        )
    return path
