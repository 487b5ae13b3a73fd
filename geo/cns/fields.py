"""The field parsers of the CNS importer: dates, distances, coordinates, landing texts.

Plain functions of one cell each; "unknown" cells (blank, "Unknown", "N/A") read as None.

Examples
--------
>>> parse_km("about 1,000 km")
(900.0, 1100.0)
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Polygon

from geo import geodesy
from geo._errors import GeoError, ParseError

__all__ = [
    "APPROX_FRACTION",
    "PLACE_HALF_WIDTH_DEG",
    "WATER_BODIES",
    "is_unknown",
    "landing_sector",
    "parse_coordinate",
    "parse_date",
    "parse_km",
    "water_body",
]

_UNKNOWN = frozenset({"", "unknown", "n/a", "na", "none", "-", "?", "tbd", "not available"})
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}


# ---------------------------------------------------------------------- water bodies

# Generous outlines, drawn offshore of the North Korean coast so that no launch facility lies
# inside one; they serve only to give the bearings "toward" a sea, never as boundaries.
WATER_BODIES: dict[str, Polygon] = {
    "sea_of_japan": Polygon(
        [(129.6, 35.2), (129.8, 37.0), (129.0, 38.5), (128.4, 39.3), (128.6, 40.0), (129.3, 40.4),
         (130.0, 40.9), (130.3, 41.9), (131.5, 42.5), (133.0, 42.5), (136.0, 44.0), (138.5, 46.5),
         (140.3, 48.0), (141.7, 47.0), (141.6, 45.8), (141.2, 45.2), (141.2, 43.6), (140.2, 43.0),
         (139.6, 42.0), (139.9, 41.2), (139.7, 40.5), (139.5, 39.5), (138.8, 38.2), (137.5, 37.6),
         (136.6, 37.3), (136.0, 36.2), (135.0, 35.9), (133.0, 35.7), (131.5, 34.9), (130.6, 34.3),
         (129.9, 34.0)]
    ),
    "yellow_sea": Polygon(
        [(122.0, 39.2), (123.6, 39.5), (124.4, 39.45), (124.8, 39.15), (124.9, 38.6), (124.6, 38.1),
         (125.3, 37.6), (126.2, 37.0), (125.9, 36.0), (126.0, 35.0), (125.6, 34.2), (124.0, 32.0),
         (122.2, 31.5), (121.5, 32.5), (120.6, 34.5), (121.0, 35.6), (122.6, 36.9), (122.6, 37.5),
         (121.5, 38.1), (121.6, 38.9)]
    ),
    "pacific_ocean": Polygon(
        [(145.5, 44.0), (150.0, 47.0), (160.0, 50.0), (180.0, 50.0), (180.0, 20.0), (140.0, 20.0),
         (138.5, 30.0), (140.5, 34.5), (141.2, 36.5), (142.2, 38.5), (142.0, 40.0), (141.6, 41.5),
         (143.3, 41.9), (145.0, 42.8)]
    ),
    "japan_eez": Polygon(
        [(128.8, 33.5), (129.4, 34.6), (130.6, 35.7), (131.5, 37.0), (133.5, 39.5), (136.0, 41.5),
         (139.0, 44.0), (140.5, 46.0), (145.5, 45.8), (150.0, 44.0), (155.0, 38.0), (150.0, 30.0),
         (142.0, 25.0), (130.0, 26.0), (127.0, 29.0), (128.0, 32.0)]
    ),
}  # fmt: skip
"""Rough outlines (lon, lat; EPSG:4326) of the waters a landing text may name."""

# Checked in this order: the first pattern found in the landing text wins.
_WATER_PATTERNS = (
    ("sea_of_japan", re.compile(r"\b(sea\s+of\s+japan|japan\s+sea|east\s+sea)\b", re.I)),
    ("yellow_sea", re.compile(r"\b(yellow\s+sea|west\s+sea|korea\s+bay)\b", re.I)),
    ("pacific_ocean", re.compile(r"\bpacific\b", re.I)),
    ("japan_eez", re.compile(r"\b(japan(?:'s|ese)?\s+eez|eez\s+of\s+japan)\b", re.I)),
)
_NEAR_PLACE = re.compile(r"\b(?:off|of|near)\s+(?:the\s+)?(?P<place>[A-Z][\w'’ -]+?)\s*(?:[,.;(]|$)")
PLACE_HALF_WIDTH_DEG = 15.0
"""Half-width of the sector toward a named place ("300 km off Kamaishi"), degrees."""


def water_body(text: str | None) -> str | None:
    """The key of :data:`WATER_BODIES` a landing text names, or None.

    Examples
    --------
    >>> water_body("Yellow Sea or West Sea"), water_body("Japan EEZ"), water_body("Unknown")
    ('yellow_sea', 'japan_eez', None)
    """
    for key, pattern in _WATER_PATTERNS:
        if text and pattern.search(text):
            return key
    return None


def landing_sector(lon: float, lat: float, text: str) -> tuple[float, float, str] | None:
    """Clockwise azimuth interval (start, end, degrees) from a facility toward a landing text's target.

    The interval is the narrowest one holding the geodesic azimuths from the facility to
    every point of the water body's outline (densified to 0.25 deg), rounded outward to
    whole degrees; for a gazetteer place it is the azimuth to it +/- ``PLACE_HALF_WIDTH_DEG``.
    None for "Unknown", "N/A" or blank text.

    Raises
    ------
    ParseError
        For text that names no known water body and no gazetteer place.

    Examples
    --------
    >>> landing_sector(124.7057, 39.6596, "Yellow Sea or West Sea")[2]
    'yellow_sea'
    """
    if is_unknown(text):
        return None
    key = water_body(text)
    if key is not None:
        poly = WATER_BODIES[key]
        if poly.covers(shapely.Point(lon, lat)):
            raise ParseError(
                f"the facility ({lat:.4f}, {lon:.4f}) lies inside the {key} outline; no bearing toward it"
            )
        xy = shapely.get_coordinates(shapely.segmentize(poly.exterior, 0.25))
        n = len(xy)
        az, _, _ = geodesy.GEOD.inv(np.full(n, lon), np.full(n, lat), xy[:, 0], xy[:, 1])
        start, end = _enclosing_arc(np.asarray(az) % 360.0)
        return math.floor(start) % 360.0, math.ceil(end) % 360.0, key
    from geo.places import lookup

    for m in _NEAR_PLACE.finditer(text):
        try:
            place = lookup(m["place"].strip())
        except GeoError:
            continue
        az0, _, _ = geodesy.GEOD.inv(lon, lat, place.lon, place.lat)
        w = PLACE_HALF_WIDTH_DEG
        return (az0 - w) % 360.0, (az0 + w) % 360.0, f"place:{place.name}"
    raise ParseError(
        f"Landing Location {text!r} names no known water body ({', '.join(WATER_BODIES)}) "
        "and no gazetteer place after 'off'/'of'"
    )


def _enclosing_arc(az: np.ndarray[Any, np.dtype[np.float64]]) -> tuple[float, float]:
    """The narrowest clockwise arc holding every azimuth: the complement of the widest gap."""
    s = np.sort(az)
    gaps = np.diff(np.concatenate([s, [s[0] + 360.0]]))
    k = int(np.argmax(gaps))
    return float(s[(k + 1) % s.size]), float(s[k])


# ---------------------------------------------------------------------- cell parsers


def is_unknown(text: Any) -> bool:
    return text is None or str(text).strip().lower() in _UNKNOWN


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        return 1900 + y if y >= 70 else 2000 + y  # the database starts in 1984
    return y


def parse_date(text: Any) -> tuple[str | None, str]:
    """A date cell as ``(iso, precision)``: precision ``day``, ``month``, ``year`` or ``unknown``.

    Reads "9-Apr-84", "Sep-84", "2017-05-14", "5/14/2017" (US order, as CNS writes),
    "April 9, 1984", "1984" and datetime values (from XLSX). Two-digit years 70-99
    are 19xx, 00-69 20xx.

    Raises
    ------
    ParseError
        For text that is none of these, or an impossible date.

    Examples
    --------
    >>> parse_date("2017-05-14"), parse_date("5/14/2017"), parse_date("1984")
    (('2017-05-14', 'day'), ('2017-05-14', 'day'), ('1984', 'year'))
    """
    if isinstance(text, datetime | date):
        return (text.date() if isinstance(text, datetime) else text).isoformat(), "day"
    if is_unknown(text):
        return None, "unknown"
    raw = str(text).strip()
    mon = r"(?P<mon>[A-Za-z]{3,9})\.?"
    patterns = (
        (rf"(?P<d>\d{{1,2}})[- ]{mon}[- ,]+(?P<y>\d{{2}}|\d{{4}})", "day"),
        (rf"{mon}[- ]+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})", "day"),
        (rf"{mon}[- ,]+(?P<y>\d{{2}}|\d{{4}})", "month"),
        (r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})", "day"),
        (r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})", "day"),
        (r"(?P<y>\d{4})-(?P<m>\d{1,2})", "month"),
        (r"(?P<y>\d{4})", "year"),
    )
    for pattern, precision in patterns:
        m = re.fullmatch(pattern, raw)
        if not m:
            continue
        g = m.groupdict()
        month = int(g["m"]) if g.get("m") else _MONTHS.get((g.get("mon") or "")[:3].lower())
        if g.get("mon") and month is None:
            break
        try:
            d = date(_year(g["y"]), month or 1, int(g["d"]) if g.get("d") else 1)
        except ValueError:
            raise ParseError(f"Date {raw!r} is not a calendar date") from None
        iso = d.isoformat()
        return iso[: {"day": 10, "month": 7, "year": 4}[precision]], precision
    raise ParseError(f"cannot read Date {raw!r}; expected e.g. '9-Apr-84', 'Sep-84' or '2017-05-14'")


APPROX_FRACTION = 0.10
""""~200 km" is read as 200 km +/- this fraction."""


def parse_km(text: Any, *, what: str = "distance") -> tuple[float, float] | None:
    """A distance or apogee cell as ``(lo_km, hi_km)``, or None when it says unknown.

    Reads "1,380 km", "950", "600-700 km", "between 25 and 90 km", "~200" (+/- 10 %),
    "120 nm", "75 miles". A bare number is kilometres.

    Raises
    ------
    ParseError
        For other text (a misspelt unit such as "330 lm" included: it is reported, not guessed).

    Examples
    --------
    >>> parse_km("600-700 km"), parse_km("~200"), parse_km("Unknown")
    ((600.0, 700.0), (180.0, 220.0), None)
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        if not (math.isfinite(text) and text >= 0):
            raise ParseError(f"{what} {text!r} must be a non-negative number of km")
        return float(text), float(text)
    if is_unknown(text):
        return None
    from geo._text import DASHES, LNUM, number
    from geo.relative import UNITS_KM

    raw = str(text).strip().replace("\xa0", " ")
    approx = raw.startswith("~") or bool(re.match(r"(about|approx\.?|approximately|around)\s", raw, re.I))
    body = re.sub(r"^(~|about|approx\.?|approximately|around|between)\s*", "", raw, flags=re.I)
    units = "|".join(sorted((re.escape(u) for u in UNITS_KM), key=len, reverse=True))
    m = re.fullmatch(
        rf"(?P<lo>{LNUM})\s*(?:(?:[{DASHES}]|to|and)\s*(?P<hi>{LNUM}))?\s*(?P<unit>{units}|nautical\s+miles?)?\.?",
        body,
        re.I,
    )
    if not m:
        raise ParseError(f"cannot read {what} {raw!r}; expected e.g. '1,380 km', '600-700 km' or 'Unknown'")
    factor = UNITS_KM[re.sub(r"\s+", "", (m["unit"] or "km").lower())]
    try:
        lo = number(m["lo"])[0] * factor
        hi = number(m["hi"])[0] * factor if m["hi"] else lo
    except ParseError as exc:
        raise ParseError(f"{what} {raw!r}: {exc}") from None
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ParseError(f"{what} {raw!r} is not a finite number of km")
    if hi < lo:
        raise ParseError(f"{what} interval {raw!r} runs backwards; write the smaller value first")
    if approx and hi == lo:
        lo, hi = lo * (1 - APPROX_FRACTION), hi * (1 + APPROX_FRACTION)
    return round(lo, 6), round(hi, 6)


def parse_coordinate(text: Any, *, what: str, limit: float) -> float | None:
    if is_unknown(text):
        return None
    from geo.events import degrees

    if isinstance(text, int | float) and not isinstance(text, bool):
        value = float(text)  # a numeric XLSX cell
    else:
        try:
            value = degrees(str(text), what)
        except ParseError as exc:
            raise ParseError(f"{what} {exc}") from None
    if not math.isfinite(value):
        raise ParseError(f"{what} {text!r} is not a finite number of degrees")
    if not -limit <= value <= limit:
        raise ParseError(f"{what} {text!r} is outside [-{limit:g}, {limit:g}]")
    return value


# ---------------------------------------------------------------------- reading files
