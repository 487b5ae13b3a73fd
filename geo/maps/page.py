"""The page: one folium map assembled from :class:`geo.maps.MapLayers` and written as one HTML file.

Safe text
---------
No text from users or files is ever Jinja template source: branca compiles the text of
an ``Element`` (and the output of every ``MacroElement``) as a template, so our head and
scripts go through elements whose template is the constant ``{{ this.text }}``
(:func:`_literal`), and the names handed to folium's own elements (overlay names in the
layer control) are constants. JSON written into ``<script>`` has ``<``, ``>``, ``&`` and
``'`` escaped (:func:`geo.maps._leaflet.script_json`).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from geo import style
from geo._errors import GeoError, MissingExtraError
from geo.maps._leaflet import (
    LEAFLET_CSS_URL,
    LEAFLET_JS_URL,
    controls_css,
    controls_js,
    leaflet_css,
    leaflet_js,
    script_json,
)
from geo.maps.controls import controls_script
from geo.maps.display import display_geometry
from geo.maps.features import feature_styles
from geo.maps.layers import MapLayers
from geo.maps.overlays import overlays
from geo.maps.popups import esc

__all__ = ["build_map", "check_output_path", "import_extra", "map_html", "write_map"]


def import_extra(module: str, extra: str) -> Any:
    """Import an optional dependency, or raise :class:`MissingExtraError` naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(module, extra) from None


def build_map(layers: MapLayers, *, offline: bool = False) -> Any:
    """Draw the layers on a folium map.

    Parameters
    ----------
    layers : MapLayers
        From :func:`geo.maps.collect_layers`.
    offline : bool, keyword-only
        Inline Leaflet and use no tiles: a page that fetches nothing.

    Returns
    -------
    folium.Map
    """
    folium = import_extra("folium", "map")
    lon, lat = layers.centre
    m = folium.Map(location=[lat, lon], zoom_start=4, tiles=None, control_scale=True, world_copy_jump=False)
    m._id = "geo"
    m.default_js, m.default_css = [], []
    m.get_root().header.add_child(_literal(_head(layers, offline=offline)), name="geo_assets")
    if not offline:
        tiles = folium.TileLayer("OpenStreetMap", name="Basemap: OpenStreetMap (online tiles)", control=True)
        tiles._id = "tiles"
        m.add_child(tiles)
    for i, ov in enumerate(overlays(layers, offline=offline)):
        group = folium.FeatureGroup(name=esc(ov.name), show=ov.show)
        group._id = f"layer{i}"
        m.add_child(group)
        m.add_child(
            _script(f"geoMap.layer({group.get_name()}, {ov.geojson()}, geo_styles);", f"layer{i}data")
        )
    m.add_child(_script(f"var geo_styles = {script_json(feature_styles())};", "styles"), index=0)
    control = folium.LayerControl(collapsed=True)
    control._id = "control"
    m.add_child(control)
    m.add_child(_script(controls_script(m.get_name(), layers, offline=offline), "controls"))
    south, west, north, east = _bounds(layers)
    m.fit_bounds([[south, west], [north, east]])  # (lat, lon): folium's order
    return m


def _head(layers: MapLayers, *, offline: bool) -> str:
    """Leaflet (inlined offline, linked online), our controls and the page title."""
    if offline:
        head = f"<style>{leaflet_css()}</style>\n<script>{_script_text(leaflet_js())}</script>\n"
    else:
        head = (
            f'<link rel="stylesheet" href="{LEAFLET_CSS_URL}"/>\n<script src="{LEAFLET_JS_URL}"></script>\n'
        )
    head += f"<style>{controls_css()}\n.leaflet-container {{ background: {style.SEA_BACKGROUND}; }}</style>\n"
    head += f"<script>{_script_text(controls_js())}</script>\n"
    head += f"<title>{esc(layers.title)}</title>\n"
    return head


def _bounds(layers: MapLayers) -> tuple[float, float, float, float]:
    """(south, west, north, east) of what the view must show, padded, in display coordinates."""
    shown = display_geometry(np.asarray(layers.focus(), dtype=object), centre_lon=layers.centre[0])
    x0, y0, x1, y1 = shapely.total_bounds(shown)
    pad_x, pad_y = max((x1 - x0) * 0.08, 2.0), max((y1 - y0) * 0.08, 2.0)
    return max(y0 - pad_y, -80.0), x0 - pad_x, min(y1 + pad_y, 80.0), x1 + pad_x


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
