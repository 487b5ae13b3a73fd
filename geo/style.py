"""Colours, labels and line styles per sovereign, zone kind, zone status and layer.

The one table that the web map (:mod:`geo.maps`), the figures (:mod:`geo.figures`), KML
styles and GeoPackage ``layer_styles`` (:mod:`geo.io`) read, so a country has the same
colour everywhere. Colours are ``#rrggbb``; opacities and alphas are 0..1; widths are
pixels on the web map (a GeoPackage style uses them as millimetres / 2, a KML style as
pixels).

Examples
--------
>>> zone_style("territorial_sea", "JPN", "treaty")["colour"]
'#1f77b4'
>>> zone_style("eez", "XYZ", "disputed")["fill_colour"]
'#ff3030'
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "IMPACT_COLOUR",
    "KIND_LABEL",
    "KIND_OPACITY",
    "KIND_WEIGHT",
    "LAND_FILL",
    "LAYER_COLOUR",
    "LAYER_FILL_OPACITY",
    "OTHER_COLOUR",
    "REGION_COLOUR",
    "RING_COLOUR",
    "SEA_BACKGROUND",
    "SITE_COLOUR",
    "SOVEREIGN_COLOUR",
    "STATUS_STYLE",
    "TRACK_COLOUR",
    "sovereign_colour",
    "zone_style",
]

KIND_LABEL = {
    "territorial_sea": "territorial sea (12 nm)",
    "contiguous_zone": "contiguous zone (24 nm)",
    "eez": "exclusive economic zone (200 nm)",
    "land": "land",
}
#: Fill opacity of a zone by kind: the narrower the zone, the stronger.
KIND_OPACITY = {"territorial_sea": 0.45, "contiguous_zone": 0.3, "eez": 0.12, "land": 0.0}
#: Outline width of a zone by kind, pixels.
KIND_WEIGHT = {"territorial_sea": 1.2, "contiguous_zone": 1.0, "eez": 1.4, "land": 0.6}
SOVEREIGN_COLOUR = {
    "JPN": "#1f77b4",
    "KOR": "#2ca02c",
    "PRK": "#6a3d9a",
    "CHN": "#e377c2",
    "RUS": "#8c6d31",
    "TWN": "#17becf",
    "USA": "#7f7f7f",
    "PHL": "#bcbd22",
}
#: A sovereign without its own colour, or none.
OTHER_COLOUR = "#a0a0a0"
#: Zone status overrides, in Leaflet path options (dashArray in pixels).
STATUS_STYLE: dict[str, dict[str, Any]] = {
    "disputed": {
        "color": "#c00000",
        "fillColor": "#ff3030",
        "fillOpacity": 0.4,
        "dashArray": "6 4",
        "weight": 2,
    },
    "joint": {
        "color": "#6a1b9a",
        "fillColor": "#ba68c8",
        "fillOpacity": 0.35,
        "dashArray": "2 4",
        "weight": 2,
    },
    "antarctic_treaty": {  # claims frozen by the Antarctic Treaty (1959): no sovereign's zone
        "color": "#3b6e8f",
        "fillColor": "#9cc3d9",
        "fillOpacity": 0.3,
        "dashArray": "4 4",
        "weight": 1.5,
    },
    "claimed": {"dashArray": "10 4 2 4"},
    "treaty": {},
    "equidistance": {},
}
LAND_FILL = "#d9d3c3"
SEA_BACKGROUND = "#cfe2f1"
RING_COLOUR = "#b2182b"
REGION_COLOUR = "#e66101"
TRACK_COLOUR = "#222222"
SITE_COLOUR = "#000000"
IMPACT_COLOUR = "#e66101"

#: Colour of each exported layer (``zones`` are coloured per sovereign, see :func:`zone_style`).
LAYER_COLOUR = {
    "sites": SITE_COLOUR,
    "rings": RING_COLOUR,
    "impacts": IMPACT_COLOUR,
    "regions": REGION_COLOUR,
    "region_lines": REGION_COLOUR,
    "tracks": TRACK_COLOUR,
    "zones": OTHER_COLOUR,
}
#: Fill opacity of each exported polygon layer (rings are outlines only).
LAYER_FILL_OPACITY = {"rings": 0.0, "regions": 0.3, "zones": 0.2}


def sovereign_colour(sovereign: object) -> str:
    """The colour of a sovereign's zones (ISO3 code), :data:`OTHER_COLOUR` for any other or none."""
    return SOVEREIGN_COLOUR.get(str(sovereign), OTHER_COLOUR)


def zone_style(kind: str, sovereign: object, status: str) -> dict[str, Any]:
    """Outline and fill of one zone: its sovereign's colour, its kind's opacity and width,
    and a disputed or joint status's own colours and dashes.

    Returns
    -------
    dict
        ``colour``, ``fill_colour`` (``#rrggbb``), ``fill_opacity`` (0..1), ``width``
        (pixels), ``dash`` (pixel lengths, empty for a solid line).
    """
    colour = sovereign_colour(sovereign)
    status_style = STATUS_STYLE.get(status, STATUS_STYLE["claimed"])
    opacity = KIND_OPACITY.get(kind, 0.2)
    return {
        "colour": status_style.get("color", colour),
        "fill_colour": status_style.get("fillColor", colour),
        "fill_opacity": status_style.get("fillOpacity", opacity),
        "width": status_style.get("weight", KIND_WEIGHT.get(kind, 1.0)),
        "dash": [float(x) for x in str(status_style.get("dashArray", "")).split()],
    }
