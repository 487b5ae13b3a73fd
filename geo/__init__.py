"""geo: where did it land, whose zone is that, and how far from the line.

``import geo`` stays light: submodules load on first use, so the heavy optional
parts (folium, matplotlib, dask) are imported only by the code that needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from geo._errors import *  # noqa: F403  (the error hierarchy: the names of geo._errors.__all__)
from geo._errors import __all__ as _errors_all

__version__ = "0.1.0"

_LAZY = {
    "assess": "geo.assess",
    "ballistics": "geo.ballistics",
    "events": "geo.events",
    "frames": "geo.frames",
    "geodesy": "geo.geodesy",
    "places": "geo.places",
    "parallel": "geo.parallel",
    "relative": "geo.relative",
    "uncertainty": "geo.uncertainty",
    "zones": "geo.zones",
}

__all__ = [*_errors_all, "__version__"]
__all__ += [
    "assess",
    "ballistics",
    "events",
    "frames",
    "geodesy",
    "parallel",
    "places",
    "relative",
    "uncertainty",
    "zones",
]

if TYPE_CHECKING:
    from geo import (
        assess,
        ballistics,
        events,
        frames,
        geodesy,
        parallel,
        places,
        relative,
        uncertainty,
        zones,
    )


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name])
        globals()[name] = module
        return module
    raise AttributeError(f"module 'geo' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
