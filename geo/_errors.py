"""One small hierarchy of errors; every message names the offending value and the fix."""

from __future__ import annotations

__all__ = [
    "AmbiguousPlaceError",
    "GeoError",
    "InvalidCoordinateError",
    "InvalidDistanceError",
    "InvalidIntervalError",
    "MissingExtraError",
    "ParseError",
    "PlaceNotFoundError",
    "UnknownMissileClassError",
]


class GeoError(ValueError):
    """Base class of every error `geo` raises for bad input."""


class InvalidCoordinateError(GeoError):
    """A latitude or longitude that is NaN, infinite or out of range."""


class InvalidDistanceError(GeoError):
    """A distance or radius that is negative, NaN, or beyond the antipode."""


class InvalidIntervalError(GeoError):
    """An interval (of distance or azimuth) that is empty or reversed."""


class ParseError(GeoError):
    """Text that could not be read as a place, distance, bearing or statement."""


class PlaceNotFoundError(GeoError, LookupError):
    """A place name that the gazetteer does not know."""


class AmbiguousPlaceError(GeoError, LookupError):
    """A place name that matches more than one gazetteer entry."""


class UnknownMissileClassError(GeoError, LookupError):
    """A missile class name that the catalogue does not know."""


class MissingExtraError(ImportError):
    """An optional dependency is absent; the message names the extra to install."""

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(
            f"{module!r} is not installed; it comes with the {extra!r} extra: pip install 'geo[{extra}]'"
        )
        self.module = module
        self.extra = extra
