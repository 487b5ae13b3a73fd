"""What a map or figure draws: :class:`MapLayers`, gathered once by :func:`collect_layers`.

Sites, range rings, impacts, uncertainty regions, tracks, zones and land as
GeoDataFrames in EPSG:4326 (lon, lat); the same layers feed :mod:`geo.maps`,
:mod:`geo.figures` and :mod:`geo.io`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo import geodesy
from geo._errors import GeoError, InvalidDistanceError
from geo.maps.event_layers import event_files, fill_probabilities, read_events
from geo.maps.zone_layers import check_zones, land_layer
from geo.places import Place, lookup

__all__ = ["MapLayers", "collect_layers"]


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
    for path in event_files(events):
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
    # the zones' region from what the map is about (sites, impacts, regions, tracks), not from its range
    # rings: a 3,000 km ring round Hamhung reaches beyond the NW Pacific box, its launch site does not
    where = _extent(site_rows, impact_rows, region_rows, track_rows)
    zone_gdf = check_zones(zones, perspective, notes, attribution, where=where)
    land_gdf, land_source = land_layer(land, zone_gdf, notes)
    if land_source:
        attribution.append(f"Land: {land_source}")
    index = None
    if zones is None and zone_gdf is not None:
        from geo import assess

        # The bundled zones: popups give the very outcomes and probabilities `geo assess` gives.
        index = assess.zone_index(perspective.upper() if perspective else None, where=where)
    fill_probabilities(impact_rows, region_rows, zone_gdf, index)
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


def _extent(*rows: list[dict[str, Any]]) -> tuple[Any, Any]:
    """(lon, lat) of every vertex the map draws: what picks and clips the bundled zones."""
    geoms = [r["geometry"] for group in rows for r in group if r.get("geometry") is not None]
    xy = shapely.get_coordinates(np.asarray(geoms, dtype=object)) if geoms else np.zeros((0, 2))
    return xy[:, 0], xy[:, 1]


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
