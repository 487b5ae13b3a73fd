"""A map's features: :class:`Overlay` (geometry in display coordinates, a style key, escaped texts) and the style table.

An overlay becomes one Leaflet layer: a GeoJSON FeatureCollection whose properties name
a style of :func:`feature_styles` (``s``) and carry the popup (``p``), tooltip (``t``)
and label (``l``) HTML, already escaped. The page draws it with ``geoMap.layer`` from
``_leaflet/controls.js``; colours come from :mod:`geo.style`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo import style
from geo.maps._leaflet import script_json, script_json_raw
from geo.maps.display import MAX_DISPLAY_LAT, cut_lines, display_geometry, outline
from geo.maps.zone_layers import STATUSES, ZONE_KINDS

__all__ = ["Overlay", "feature_styles", "round_coords", "zone_style_key"]


def round_coords(geoms: Any, decimals: int) -> Any:
    """Geometry with its coordinates rounded to ``decimals`` (what the page needs, no more)."""
    return shapely.transform(geoms, lambda c: np.round(c, decimals))


class Overlay:
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
        cuts = cut_lines(centre_lon, MAX_DISPLAY_LAT)
        touched = shapely.intersects(shapely.boundary(shown), cuts)
        lines = np.empty(len(shown), dtype=object)
        if touched.any():  # outline first: rounding would move vertices off the cut lines
            lines[touched] = round_coords(outline(shown[touched], centre_lon=centre_lon), decimals)
        shown = round_coords(shown, decimals)
        for g, line, cut, s, p, t in zip(shown, lines, touched, styles, popups, tooltips, strict=True):
            if cut:
                self.add(g, s + ":fill", popup=p, tooltip=t)
                self.add(line, s + ":line")
            else:
                self.add(g, s, popup=p, tooltip=t)

    def geojson(self) -> str:
        """The features as GeoJSON text that is safe inside ``<script>``."""
        if not self.geoms:
            return '{"type":"FeatureCollection","features":[]}'
        texts = shapely.to_geojson(np.asarray(self.geoms, dtype=object))
        feats = [
            f'{{"type":"Feature","properties":{script_json(p)},"geometry":{script_json_raw(str(g))}}}'
            for g, p in zip(texts, self.props, strict=True)
        ]
        return '{"type":"FeatureCollection","features":[' + ",".join(feats) + "]}"


def feature_styles() -> dict[str, dict[str, Any]]:
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
                if status not in ("disputed", "joint", "antarctic_treaty"):
                    st["fillOpacity"] = style.KIND_OPACITY[kind]
                base[f"z:{kind}:{sov}:{status}"] = st
    out = dict(base)
    for key, st in base.items():
        out[key + ":fill"] = {**st, "stroke": False}
        out[key + ":line"] = {**st, "fill": False, "interactive": False}
    return out


def zone_style_key(kind: str, sovereign: str, status: str) -> str:
    """The style of a zone: ``z:<kind>:<sovereign or other>:<status>`` (an unknown status is drawn as claimed)."""
    sov = sovereign if sovereign in style.SOVEREIGN_COLOUR else "other"
    return f"z:{kind}:{sov}:{status if status in STATUSES else 'claimed'}"
