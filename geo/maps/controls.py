"""Controls and legend of a map: the title box, the legend (only what the map shows), readout and measuring tool.

The boxes are HTML built here from escaped text; ``geoMap.htmlBox``, ``geoMap.readout``
and ``geoMap.measure`` (``_leaflet/controls.js``) place them on the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo import style
from geo.maps._leaflet import script_json
from geo.maps.display import MAX_DISPLAY_LAT
from geo.maps.popups import esc
from geo.maps.zone_layers import ZONE_KINDS, ZONE_TOLERANCE_DEG, sovereign_of

if TYPE_CHECKING:
    from geo.maps.layers import MapLayers

__all__ = ["controls_script", "legend_html", "title_html"]



# Legend rows of the statuses drawn in their own colours: (status, border style, text).
_STATUS_ROWS = (
    ("disputed", "dashed", "disputed (claimants in popup)"),
    ("joint", "dotted", "joint regime"),
    ("antarctic_treaty", "dashed", "Antarctic claim, frozen by the Antarctic Treaty"),
)

def controls_script(map_name: str, layers: MapLayers, *, offline: bool) -> str:
    """JavaScript that adds the title, the legend, the coordinate readout and the measuring tool to ``map_name``."""
    return (
        f"geoMap.htmlBox({map_name}, {script_json(title_html(layers, offline=offline))}, 'geo-title', 'topright');\n"
        f"geoMap.htmlBox({map_name}, {script_json(legend_html(layers, offline=offline))}, 'geo-legend', 'bottomright');\n"
        f"geoMap.readout({map_name});\ngeoMap.measure({map_name});\n"
    )


def title_html(layers: MapLayers, *, offline: bool) -> str:
    """The map's title and a line saying how it was made."""
    mode = "offline" if offline else "online"
    return f'{esc(layers.title)}<div class="geo-sub">{esc(f"geo map ({mode}); coordinates WGS84")}</div>'


def legend_html(layers: MapLayers, *, offline: bool) -> str:
    """A swatch for every kind of feature drawn, the notes and the attribution."""
    rows: list[str] = ["<h4>Legend</h4>"]

    def row(css: str, text: str) -> None:
        rows.append(f'<div class="geo-row"><span class="geo-swatch" style="{css}"></span>{esc(text)}</div>')

    marks = [  # one swatch for each kind of feature the map holds
        (layers.sites, f"background:{style.SITE_COLOUR};border-color:#fff", "launch site"),
        (layers.impacts, f"background:{style.IMPACT_COLOUR};border-color:#fff;border-radius:50%;width:12px",
         "impact (best point)"),
        (layers.regions, f"background:{style.REGION_COLOUR}55;border-color:{style.REGION_COLOUR};border-style:dashed",
         "uncertainty region"),
        (layers.rings, f"background:{style.RING_COLOUR}10;border-color:{style.RING_COLOUR}", "geodesic range ring"),
        (layers.tracks, f"height:0;border-width:2px 0 0 0;border-style:dashed;border-color:{style.TRACK_COLOUR}",
         "flight track"),
    ]  # fmt: skip
    for gdf, css, text in marks:
        if len(gdf):
            row(css, text)
    if layers.zones is not None and len(layers.zones):
        kinds = [k for k in ZONE_KINDS[:3] if k in set(layers.zones["kind"])]
        for k in kinds:
            row(
                f"background:rgba(90,90,90,{style.KIND_OPACITY[k]});border-color:#555",
                style.KIND_LABEL[k],
            )
        present = {sovereign_of(v) for v in layers.zones["sovereign"]} - {""}
        for sov in sorted(present & style.SOVEREIGN_COLOUR.keys()):
            row(f"background:{style.SOVEREIGN_COLOUR[sov]};border-color:#555", f"zone of {sov}")
        if present - style.SOVEREIGN_COLOUR.keys():
            row(
                f"background:{style.OTHER_COLOUR};border-color:#555",
                "zone of another country (see popup)",
            )
        statuses = set(layers.zones["status"])
        for status, border, text in _STATUS_ROWS:
            if status in statuses:
                st = style.STATUS_STYLE[status]
                row(f"background:{st['fillColor']};border-color:{st['color']};border-style:{border}", text)
        if "claimed" in statuses:
            row("background:#ddd;border-color:#555;border-style:dashed", "claimed (not agreed)")
    if layers.land is not None and offline:
        row(f"background:{style.LAND_FILL};border-color:#9c9480", "land")
    notes = list(layers.notes)
    if offline:
        notes.append("Offline page: no web tiles; basemap drawn from the land layer.")
    if (layers.zones is not None and len(layers.zones)) or layers.land is not None:
        notes.append(
            f"Zones and land simplified for display (~{ZONE_TOLERANCE_DEG * 111:.0f} km; parts under "
            f"~{(2 * ZONE_TOLERANCE_DEG * 111) ** 2:.0f} km2 left out); exact shapes are in the zone layers."
        )
    if any(g is not None and g.bounds[3] > MAX_DISPLAY_LAT for g in layers.rings.geometry):
        notes.append(
            "Shapes reaching the pole are shown up to 85.05 deg, the edge of this (Web Mercator) map."
        )
    rows += [f'<div class="geo-note">{esc(n)}</div>' for n in notes]
    rows.append(f'<div class="geo-attr">{esc("; ".join(layers.attribution))}</div>')
    return "".join(rows)
