"""Leaflet assets for :mod:`geo.maps`: our small controls, and Leaflet itself for offline pages.

Offline pages inline Leaflet 1.9.4 from the PyPI package ``django-js-lib-leaflet``
(plain ``leaflet.js``/``leaflet.css`` and their images, no Django needed; part of the
``map`` extra). Nothing is fetched at run time; online pages link the same version on
a CDN instead.
"""

from __future__ import annotations

import base64
import functools
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

from geo._errors import MissingExtraError

__all__ = [
    "LEAFLET_CSS_URL",
    "LEAFLET_JS_URL",
    "LEAFLET_VERSION",
    "controls_css",
    "controls_js",
    "leaflet_css",
    "leaflet_js",
    "script_json",
    "script_json_raw",
]

LEAFLET_VERSION = "1.9.4"
LEAFLET_JS_URL = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.js"
LEAFLET_CSS_URL = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.css"

_HERE = Path(__file__).parent
_PACKAGE = "js_lib_leaflet"  # from the PyPI distribution django-js-lib-leaflet


@functools.cache
def _leaflet_dir() -> Path:
    # find_spec locates the folder without importing the package.
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtraError("django-js-lib-leaflet", "map")
    folder = Path(next(iter(spec.submodule_search_locations))) / "static" / _PACKAGE
    if not (folder / "leaflet.js").is_file():
        raise MissingExtraError("django-js-lib-leaflet", "map")
    return folder


@functools.cache
def leaflet_js() -> str:
    """The text of ``leaflet.js`` (Leaflet 1.9.4) from the installed package."""
    text = (_leaflet_dir() / "leaflet.js").read_text(encoding="utf-8")
    # The source-map comment would make developer tools ask for a file we do not ship.
    return re.sub(r"//# sourceMappingURL=\S+\s*$", "", text)


@functools.cache
def leaflet_css() -> str:
    """The text of ``leaflet.css`` with its images inlined as data URIs."""
    folder = _leaflet_dir()
    css = (folder / "leaflet.css").read_text(encoding="utf-8")

    def inline(m: re.Match[str]) -> str:
        data = base64.b64encode((folder / m.group(1)).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)


@functools.cache
def controls_js() -> str:
    """Our controls: coordinate readout, geodesic measuring tool, legend and title boxes."""
    return (_HERE / "controls.js").read_text(encoding="utf-8")


@functools.cache
def controls_css() -> str:
    return (_HERE / "controls.css").read_text(encoding="utf-8")


_JS_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(obj: Any) -> str:
    """JSON that is safe inside an HTML ``<script>``: no ``</script>``, no ``<!--``, no quotes to break out of.

    Examples
    --------
    >>> script_json({"name": "</script><img src=x>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return re.sub("[<>&'\u2028\u2029]", lambda m: _JS_UNSAFE[m.group(0)], text)


def script_json_raw(text: str) -> str:
    """Make JSON text that was serialised elsewhere (e.g. by shapely) safe inside ``<script>``."""
    return re.sub("[<>&'\u2028\u2029]", lambda m: _JS_UNSAFE[m.group(0)], text)
