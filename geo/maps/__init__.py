"""Interactive maps of launch sites, range rings, impacts, tracks and maritime zones (folium).

The layers are gathered once by :func:`collect_layers` as GeoDataFrames in EPSG:4326
(the same :class:`MapLayers` feeds :mod:`geo.figures`), then :func:`build_map` draws
them with Leaflet and :func:`write_map` writes one HTML file.

The package keeps one element per module, as folium does:

============================  ================================================================
:mod:`geo.maps.layers`        :class:`MapLayers` and :func:`collect_layers` (sites, rings, tracks)
:mod:`geo.maps.zone_layers`   zone and land layers: checks, the bundled layers, :func:`simplify_zones`
:mod:`geo.maps.event_layers`  events CSVs as best points, regions and samples; popup probabilities
:mod:`geo.maps.display`       display geometry: the window round the centre, the cut edges left out
:mod:`geo.maps.features`      an overlay's GeoJSON features and the style table
:mod:`geo.maps.overlays`      the overlays of a map, bottom first
:mod:`geo.maps.popups`        popups and tooltips (escaped text)
:mod:`geo.maps.controls`      title, legend, coordinate readout and measuring tool
:mod:`geo.maps.page`          the folium map and the HTML file (:func:`build_map`, :func:`write_map`)
``geo/maps/_leaflet/``        offline assets: Leaflet from the ``map`` extra, our controls (JS, CSS)
============================  ================================================================

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
elements whose template is the constant ``{{ this.text }}`` (see :mod:`geo.maps.page`), and the
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

from geo.maps.display import MAX_DISPLAY_LAT, cut_outline, display_geometry, outline
from geo.maps.event_layers import read_events
from geo.maps.layers import MapLayers, collect_layers
from geo.maps.page import build_map, check_output_path, import_extra, map_html, write_map
from geo.maps.zone_layers import (
    COLUMNS,
    STATUSES,
    ZONE_KINDS,
    ZONE_TOLERANCE_DEG,
    NoZonesWarning,
    simplify_zones,
)

__all__ = [
    "COLUMNS",
    "MAX_DISPLAY_LAT",
    "STATUSES",
    "ZONE_KINDS",
    "ZONE_TOLERANCE_DEG",
    "MapLayers",
    "NoZonesWarning",
    "build_map",
    "check_output_path",
    "collect_layers",
    "cut_outline",
    "display_geometry",
    "import_extra",
    "map_html",
    "outline",
    "read_events",
    "simplify_zones",
    "write_map",
]
