"""Relative places: "about 250 km west of Okushiri Island" as a best point and a region.

A statement gives a reference place, a distance (a value or an interval) and a bearing
(degrees, an interval such as ``350:10``, or a compass word). Defaults for what the
statement leaves open:

* distance: the stated interval; a single value ("about 250 km") is read as +/-10 %;
* bearing: a 16-point compass word ("west", "WNW") is read as +/- half a sector
  (11.25 deg); a number of degrees is taken as exact unless a tolerance is given.

The best point lies at the middle distance along the middle bearing (a geodesic, on
WGS84); the region is the geodesic annular sector those intervals span (a line or a
point where an interval has no width).

Numbers are read as written or refused, never guessed: a comma only separates thousands
("1,000 km", said in the assumptions), so "250,5 km" is refused with "write 250.5"; a
number glued to other characters ("1e3", ".5", "300-350-400"), a second distance in the
text, an unknown unit, a bearing outside [0, 360] or a distance past the antipode (named
in km, with the +/-10 % reading) are refused too. Ranges take "-", "to", the en dash or
the minus sign (U+2212); bearings also "N45E" and "350:10".

Examples
--------
>>> loc = locate("about 250 km west of Okushiri Island")
>>> loc.distance_km, loc.bearing_deg
((225.0, 275.0), (258.75, 281.25))
"""

from __future__ import annotations

import contextlib
import math
import re
from dataclasses import dataclass, replace
from typing import Any

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo import geodesy
from geo._errors import GeoError, InvalidDistanceError, InvalidIntervalError, ParseError, PlaceNotFoundError
from geo._text import DASHES, LNUM, number
from geo.places import Place, default_gazetteer

__all__ = [
    "COMPASS_POINTS",
    "DEFAULT_DISTANCE_FRACTION",
    "UNITS_KM",
    "RelativeLocation",
    "locate",
    "parse_bearing",
    "parse_distance",
    "parse_range",
    "relative_place",
]

COMPASS_POINTS = tuple("N NNE NE ENE E ESE SE SSE S SSW SW WSW W WNW NW NNW".split())
"""The 16 compass points, clockwise from north, 22.5 deg apart."""

_WORDS = {"n": "north", "e": "east", "s": "south", "w": "west"}
_COMPASS: dict[str, float] = {}
for _i, _abbr in enumerate(COMPASS_POINTS):
    _COMPASS[_abbr.lower()] = _i * 22.5
    _COMPASS["".join(_WORDS[c] for c in _abbr.lower())] = _i * 22.5

DEFAULT_DISTANCE_FRACTION = 0.10
"""A single stated distance is read as +/- this fraction."""

UNITS_KM = {
    "km": 1.0,
    "kms": 1.0,
    "kilometre": 1.0,
    "kilometres": 1.0,
    "kilometer": 1.0,
    "kilometers": 1.0,
    "nm": 1.852,
    "nmi": 1.852,
    "nauticalmile": 1.852,
    "nauticalmiles": 1.852,
    "mi": 1.609344,
    "mile": 1.609344,
    "miles": 1.609344,
    "statutemiles": 1.609344,
}
"""Distance units understood, in kilometres (nautical mile 1.852 km, statute mile 1.609344 km)."""

_SEP = rf"(?:[{DASHES}]|to\b)"
_FREE = rf"(?<![\w.,+{DASHES}])"  # a number starts here only if nothing number-like is glued before it
_UNIT = r"kilomet(?:re|er)s?|kms?|nautical[\s-]+miles?|nmi|nm|statute\s+miles?|miles?|mi"
_DIST = rf"{_FREE}(?P<lo>{LNUM})\s*(?:{_SEP}\s*(?P<hi>{LNUM}))?\s*(?P<unit>{_UNIT})\b"
_ANY_DIST = re.compile(rf"{_FREE}{LNUM}\s*(?:{_SEP}\s*{LNUM})?\s*(?:{_UNIT})\b", re.IGNORECASE)
_DEG = r"(?:°|º|deg(?:rees)?\b)"
_COMPASS_RE = (
    r"(?:north|south|east|west)(?:[\s-]*(?:north|south|east|west)){0,2}"
    r"|[NSEW]{1,3}"
)
_QUADRANT = rf"[NS]\s*{LNUM}\s*{_DEG}?\s*[EW]"
_DEGREES = (
    rf"(?:bearing\s+)?{LNUM}\s*(?:{_DEG}\s*)?(?:(?::|{_SEP})\s*{LNUM}\s*)?{_DEG}"
    rf"|(?:bearing\s+)?{LNUM}\s*:\s*{LNUM}"
)
_BEARING = rf"(?P<bearing>{_DEGREES}|{_QUADRANT}|{_COMPASS_RE})"
_STATEMENT = re.compile(
    rf"{_DIST}\s+(?:to\s+the\s+|due\s+)?{_BEARING}\s+(?:of|from)\s+(?:the\s+)?(?P<place>.+?)\s*[.;]?\s*$",
    re.IGNORECASE,
)
# For messages only: a run of number-like characters before a unit, and a word where a unit should be.
_GLUED_DIST = re.compile(rf"(?P<num>[\w.,+{DASHES}]*\d)\s*(?:{_UNIT})\b", re.IGNORECASE)
_UNKNOWN_UNIT = re.compile(
    rf"{_FREE}{LNUM}\s*(?P<unit>[^\W\d_]+)\s+(?:to\s+the\s+|due\s+)?(?:{_DEGREES}|{_QUADRANT}|{_COMPASS_RE})"
    r"\s+(?:of|from)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RelativeLocation:
    """A place + distance + bearing, with its best point and uncertainty region."""

    place: Place
    distance_km: tuple[float, float]
    bearing_deg: tuple[float, float]
    best_distance_km: float
    best_bearing_deg: float
    lon: float
    lat: float
    region: BaseGeometry
    statement: str
    assumptions: tuple[str, ...]

    @property
    def point(self) -> Point:
        """The best point."""
        return Point(self.lon, self.lat)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: lat, lon, region (GeoJSON geometry), place, distance_km, bearing_deg, ..."""
        return {
            "lat": self.lat,
            "lon": self.lon,
            "region": shapely.geometry.mapping(self.region),
            "place": self.place.name,
            "place_lat": self.place.lat,
            "place_lon": self.place.lon,
            "place_precision_km": self.place.precision_km,
            "distance_km": list(self.distance_km),
            "bearing_deg": list(self.bearing_deg),
            "best_distance_km": self.best_distance_km,
            "best_bearing_deg": self.best_bearing_deg,
            "statement": self.statement,
            "assumptions": list(self.assumptions),
        }


def parse_distance(text: str | float | tuple[float, float], *, unit: str = "km") -> tuple[float, float, bool]:
    """Read a distance or interval as kilometres: ``(lo_km, hi_km, was_interval)``.

    Accepts numbers, ``(lo, hi)``, and text such as ``"250"``, ``"300-350"``,
    ``"1,380 km"``, ``"120 nm"``, ``"75 miles"``; a unit in the text wins over ``unit``.

    Examples
    --------
    >>> parse_distance("300-350 km")
    (300.0, 350.0, True)
    >>> parse_distance("10 nautical miles")
    (18.52, 18.52, False)
    """
    if isinstance(text, tuple):
        lo, hi = _pair(text, "distance")
        factor = _unit_factor(unit)
        return (*_check_interval(lo * factor, hi * factor, str(text)), True)
    if isinstance(text, int | float):
        value = float(text) * _unit_factor(unit)
        return (*_check_interval(value, value, str(text)), False)
    raw = str(text).strip()
    m = re.fullmatch(
        rf"(?:about|approximately|approx\.?|around|roughly|some|ca\.?|~)?\s*(?P<neg>[{DASHES}]\s*)?"
        rf"(?P<lo>{LNUM})\s*(?:{_SEP}\s*(?P<hi>{LNUM}))?\s*(?P<unit>{_UNIT})?",
        raw,
        re.IGNORECASE,
    )
    if not m:
        raise ParseError(
            f"cannot read distance {raw!r}; give a number or an interval with an optional unit, "
            "e.g. '250', '300-350 km', '120 nm'"
        )
    if m["neg"]:
        raise InvalidDistanceError(
            f"distance {raw!r} is negative; give the distance from the place, and the bearing toward the point"
        )
    factor = _unit_factor(m["unit"] or unit)
    lo = number(m["lo"])[0] * factor
    hi = number(m["hi"])[0] * factor if m["hi"] else lo
    return (*_check_interval(lo, hi, raw), m["hi"] is not None)


def _pair(values: tuple[Any, ...], what: str) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in values)
    except (TypeError, ValueError):
        raise ParseError(f"{what} interval must be two numbers (lo, hi), got {values!r}") from None
    return lo, hi


def _unit_factor(unit: str) -> float:
    key = re.sub(r"[\s-]+", "", unit.lower())
    if key not in UNITS_KM:
        raise ParseError(f"unknown distance unit {unit!r}; use km, nm (nautical miles) or mi (statute miles)")
    return UNITS_KM[key]


def _check_interval(lo: float, hi: float, raw: str) -> tuple[float, float]:
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise InvalidDistanceError(f"distance {raw!r} must be a finite number")
    if lo < 0 or hi < 0:
        raise InvalidDistanceError(f"distance {raw!r} must be non-negative")
    if hi < lo:
        raise InvalidIntervalError(f"distance interval {raw!r} runs backwards; write the smaller value first")
    if hi == 0:
        raise InvalidDistanceError(f"distance {raw!r} is zero; a relative place needs a distance")
    return lo, hi


def parse_bearing(text: str | float) -> tuple[float, float, bool]:
    """Read a bearing as ``(start_deg, end_deg, is_compass_word)``, clockwise, may cross north.

    Numbers and ``"270°"`` give a zero-width interval; ``"350:10"`` an interval; a
    16-point compass word or abbreviation ("west", "north-northwest", "WNW") its point
    +/- 11.25 deg.

    Examples
    --------
    >>> parse_bearing("WNW")
    (281.25, 303.75, True)
    >>> parse_bearing("north")
    (348.75, 11.25, True)
    >>> parse_bearing("350:10")
    (350.0, 10.0, False)
    """
    if isinstance(text, int | float):
        value = _check_azimuth(float(text), str(text))
        return value % 360.0, value % 360.0, False
    raw = str(text).strip()
    key = re.sub(r"[\s-]+", "", raw.lower())
    if key in _COMPASS:
        c = _COMPASS[key]
        return (c - 11.25) % 360.0, (c + 11.25) % 360.0, True
    if q := re.fullmatch(rf"(?P<from>[NS])\s*(?P<angle>{LNUM})\s*{_DEG}?\s*(?P<to>[EW])", raw, re.IGNORECASE):
        value = _quadrant(q["from"], number(q["angle"])[0], q["to"], raw)
        return value, value, False
    m = re.fullmatch(
        rf"(?:bearing\s+)?(?P<a>{LNUM})\s*{_DEG}?\s*(?:(?::|{_SEP})\s*(?P<b>{LNUM})\s*{_DEG}?)?",
        raw,
        re.IGNORECASE,
    )
    if not m:
        raise ParseError(
            f"cannot read bearing {raw!r}; give degrees clockwise from north (270), an interval "
            "(350:10), a quadrant bearing (N45E), or a 16-point compass word or abbreviation (west, WNW)"
        )
    a = _check_azimuth(number(m["a"])[0], raw)
    if m["b"] is None:
        return a % 360.0, a % 360.0, False
    b = _check_azimuth(number(m["b"])[0], raw)
    if b - a == 360.0:
        raise InvalidIntervalError(
            f"bearing {raw!r} is the whole circle; a relative place needs a direction "
            "(for a distance in any direction draw a ring: geo ring)"
        )
    geodesy.AzimuthInterval(a, b)  # refuses an empty interval
    return a % 360.0, b % 360.0, False


def _check_azimuth(value: float, raw: str) -> float:
    if not (math.isfinite(value) and 0.0 <= value <= 360.0):
        raise InvalidIntervalError(
            f"bearing {raw!r} must be within [0, 360] degrees clockwise from north; "
            "give e.g. 270, 350:10 or a compass word"
        )
    return value


def _quadrant(start: str, angle: float, end: str, raw: str) -> float:
    """Surveyor's bearing N45E: ``angle`` from north or south toward east or west."""
    if not (math.isfinite(angle) and 0.0 <= angle <= 90.0):
        raise InvalidIntervalError(
            f"quadrant bearing {raw!r} needs an angle within [0, 90] degrees, e.g. N45E or S30W"
        )
    base = 0.0 if start.upper() == "N" else 180.0
    toward_east = (start.upper() == "N") == (end.upper() == "E")
    return (base + angle if toward_east else base - angle) % 360.0


def relative_place(
    place: str | Place,
    distance_km: str | float | tuple[float, float],
    bearing: str | float,
    *,
    unit: str = "km",
    distance_fraction: float | None = None,
    bearing_tolerance_deg: float | None = None,
    tolerance_m: float = geodesy.DEFAULT_TOLERANCE_M,
    statement: str | None = None,
) -> RelativeLocation:
    """Best point and uncertainty region of "``distance`` ``bearing`` of ``place``".

    Parameters
    ----------
    place : str or Place
        Gazetteer name or alias, or a Place.
    distance_km : float, (lo, hi) or str
        In ``unit`` (km by default) unless the text names its unit.
    bearing : float or str
        Degrees clockwise from north, an interval ``"A1:A2"``, or a compass word.
    distance_fraction : float, optional
        Uncertainty of a single distance as a fraction (default 0.10).
    bearing_tolerance_deg : float, optional
        Half-width added around a single bearing (default: 11.25 for compass words, 0 for degrees).

    Examples
    --------
    >>> loc = relative_place("Okushiri Island", "300-350", "WNW")
    >>> loc.distance_km
    (300.0, 350.0)
    """
    ref = place if isinstance(place, Place) else default_gazetteer().lookup(place)
    lo, hi, was_interval = parse_distance(distance_km, unit=unit)
    stated = f"{_km(lo)}-{_km(hi)} km" if was_interval else f"{_km(lo)} km"
    given = distance_km.strip() if isinstance(distance_km, str) else f"{distance_km} {unit}"
    if re.sub(r"\s+", " ", given) not in {stated, stated.removesuffix(" km")}:
        stated += f" (as given: {given!r})"
    assumptions: list[str] = []
    if was_interval:
        assumptions.append("distance: the stated interval, uniform")
        reading = ""
    else:
        frac = DEFAULT_DISTANCE_FRACTION if distance_fraction is None else float(distance_fraction)
        if not 0 <= frac < 1:
            raise InvalidDistanceError(f"distance_fraction must be in [0, 1), got {frac!r}")
        lo, hi = lo * (1 - frac), lo * (1 + frac)
        assumptions.append(f"distance: single value read as +/-{frac:.0%}")
        reading = f", read as {_km(lo)}-{_km(hi)} km (a single value is read as +/-{frac * 100:g} %),"
    _check_before_antipode(ref, stated, reading, lo, hi, top=None if was_interval else (lo + hi) / 2)
    b0, b1, compass = parse_bearing(bearing)
    width = (b1 - b0) % 360.0
    if bearing_tolerance_deg is not None and width == 0:
        tol = float(bearing_tolerance_deg)
        if not 0 <= tol < 180:
            raise InvalidIntervalError(f"bearing_tolerance_deg must be in [0, 180), got {tol!r}")
        b0, b1, width = (b0 - tol) % 360.0, (b0 + tol) % 360.0, 2 * tol
        assumptions.append(f"bearing: +/-{tol:g} deg as given")
    elif compass:
        assumptions.append("bearing: 16-point compass word read as +/- half a sector (11.25 deg)")
    elif width:
        assumptions.append("bearing: the stated interval")
    else:
        assumptions.append("bearing: exact as given (no tolerance stated)")
    best_bearing = (b0 + width / 2.0) % 360.0
    best_km = (lo + hi) / 2.0
    lon, lat, _ = geodesy.direct(ref.lon, ref.lat, best_bearing, best_km * 1e3)
    try:
        region = _region(ref, lo, hi, b0, width, tolerance_m)
    except InvalidDistanceError as exc:
        if "antipode" not in str(exc):
            raise
        raise InvalidDistanceError(
            f"distance {stated}{reading} comes so near the antipode of {ref.name} that its region cannot be "
            "drawn; give a smaller distance"
        ) from None
    assumptions.append(
        f"reference point: gazetteer coordinate of {ref.name} (precision {ref.precision_km:g} km, not added)"
    )
    return RelativeLocation(
        place=ref,
        distance_km=(round(lo, 9), round(hi, 9)),
        bearing_deg=(b0, b1),
        best_distance_km=best_km,
        best_bearing_deg=best_bearing,
        lon=float(lon),
        lat=float(lat),
        region=region,
        statement=statement or f"{_fmt(lo, hi)} km {bearing} of {ref.name}",
        assumptions=tuple(assumptions),
    )


def _km(value: float) -> str:
    return f"{value:.10g}"


def _check_before_antipode(
    ref: Place, stated: str, reading: str, lo: float, hi: float, *, top: float | None
) -> None:
    """Refuse, in km and naming the +/- reading, a distance that passes the antipode."""
    limit = geodesy.antipodal_distance_m(ref.lon, ref.lat) / 1e3
    if hi < limit:
        return
    if lo < limit:
        end = round(top) if top is not None and top < limit - 1 else math.floor(limit) - 1
        fix = f"give an interval that ends below {limit:.0f} km (e.g. '{_km(round(lo))}-{end} km')"
    else:
        fix = f"give a distance below {limit:.0f} km"
    raise InvalidDistanceError(
        f"distance {stated}{reading} reaches beyond the antipode of {ref.name}, {limit:.0f} km away; "
        f"{fix} or a smaller distance"
    )


def _fmt(lo: float, hi: float) -> str:
    return f"{(lo + hi) / 2:g}" if lo == hi else f"{lo:g}-{hi:g}"


def _region(
    ref: Place, lo_km: float, hi_km: float, b0: float, width: float, tolerance_m: float
) -> BaseGeometry:
    if width > 0 and hi_km > lo_km:
        return geodesy.sector(
            ref.lon, ref.lat, hi_km * 1e3, (b0, b0 + width), inner_m=lo_km * 1e3, tolerance_m=tolerance_m
        )
    if width > 0:  # an arc at one distance
        az = [b0 + width * f for f in (0.0, 0.25, 0.5, 0.75, 1.0)]
        x, y, _ = geodesy.direct(ref.lon, ref.lat, az, hi_km * 1e3)
        return geodesy.track(x, y, tolerance_m=tolerance_m)
    x, y, _ = geodesy.direct(ref.lon, ref.lat, b0, [lo_km * 1e3, hi_km * 1e3])
    if hi_km > lo_km:
        return geodesy.track(x, y, tolerance_m=tolerance_m)
    return Point(float(x[0]), float(y[0]))


def locate(text: str, **options: Any) -> RelativeLocation:
    """Read a statement such as ``"about 250 km west of Okushiri Island"``.

    The statement may carry words before the distance ("fell in the Sea of Japan about
    ...") and a qualifier after the place (", Hokkaido"). Options are those of
    :func:`relative_place`.

    Text in this form may name its place in Japanese or Korean ("about 250 km west of
    奥尻島"); other text with Japanese or Korean characters ("奥尻島の西約250km",
    "속초 동방 57㎞") is read by :func:`geo.relative_cjk.locate_statement`.

    Raises
    ------
    ParseError
        When no "<distance> <unit> <bearing> of <place>" can be found; the message shows
        the expected form.
    """
    m = _STATEMENT.search(str(text))
    if not m:
        from geo.relative_cjk import has_cjk, locate_statement  # Japanese and Korean releases

        if has_cjk(str(text)):
            return locate_statement(str(text), **options)
        raise _unreadable(str(text))
    lo, lo_sep = number(m["lo"])
    hi, hi_sep = number(m["hi"]) if m["hi"] else (lo, False)
    distances = [d.group(0) for d in _ANY_DIST.finditer(str(text))]
    if len(distances) > 1:
        raise ParseError(
            f"{text!r} gives {len(distances)} distances ({', '.join(repr(d) for d in distances)}); "
            "give one statement, e.g. 'about 250 km west of Okushiri Island', or an interval '300-350 km'"
        )
    distance = m["lo"] + (f"-{m['hi']}" if m["hi"] else "") + f" {m['unit']}"
    place = _lookup_with_qualifiers(m["place"].strip())
    loc = relative_place(place, distance, m["bearing"], statement=str(text).strip(), **options)
    said = [
        f"distance: {t!r} read as {_km(v)} (a comma as thousands separator)"
        for t, v, sep in ((m["lo"], lo, lo_sep), (m["hi"], hi, hi_sep))
        if sep
    ]
    return replace(loc, assumptions=(*said, *loc.assumptions)) if said else loc


def _unreadable(text: str) -> GeoError:
    """The most specific reason a statement cannot be read."""
    for g in _GLUED_DIST.finditer(text):
        num = g["num"]
        if num[0] in DASHES and re.fullmatch(rf"[{DASHES}]\s*{LNUM}", num):
            return InvalidDistanceError(
                f"distance {g.group(0)!r} is negative; give the distance from the place, "
                "and the bearing toward the point"
            )
        if num.startswith((".", ",")) and re.fullmatch(r"[.,]\d+", num):
            return ParseError(f"cannot read the number {num!r}; write 0{num.replace(',', '.')}")
        if re.fullmatch(LNUM, num):
            try:
                number(num)
            except ParseError as exc:
                return exc
        elif not re.fullmatch(rf"{LNUM}(?:\s*{_SEP}\s*{LNUM})?", num):
            return ParseError(
                f"cannot read distance {num!r}; give one value or one interval, e.g. '250 km' or '300-350 km'"
            )
    u = _UNKNOWN_UNIT.search(text)
    if u and re.sub(r"[\s-]+", "", u["unit"].lower()) not in UNITS_KM:
        return ParseError(
            f"unknown distance unit {u['unit']!r} in {text!r}; use km, nm (nautical miles) or mi (statute miles)"
        )
    return ParseError(
        f"cannot read {text!r} as a relative place; write '<distance> <unit> <bearing> of <place>', "
        "e.g. 'about 250 km west of Okushiri Island' or '300-350 km WNW of Cape Tappi'"
    )


def _lookup_with_qualifiers(text: str) -> Place:
    """Look up 'Okushiri Island, Hokkaido' by dropping trailing qualifiers one at a time."""
    gaz = default_gazetteer()
    parts = [p.strip() for p in text.split(",")]
    first_error: PlaceNotFoundError | None = None
    for n in range(len(parts), 0, -1):
        try:
            return gaz.lookup(", ".join(parts[:n]))
        except PlaceNotFoundError as exc:
            first_error = first_error or exc
    assert first_error is not None
    raise first_error


def parse_range(text: str | float | tuple[float, float]) -> tuple[str, float, float]:
    """Read a range in km: ``(kind, a, b)`` with kind ``exact`` (a), ``normal`` (a +/- b) or ``uniform`` [a, b].

    Examples
    --------
    >>> parse_range("950")
    ('exact', 950.0, 0.0)
    >>> parse_range("950+/-50")
    ('normal', 950.0, 50.0)
    >>> parse_range("900-1000")
    ('uniform', 900.0, 1000.0)
    """
    if isinstance(text, tuple):
        lo, hi = (float(v) for v in text)
        return _check_range("uniform", lo, hi, str(text))
    if isinstance(text, int | float):
        return _check_range("exact", float(text), 0.0, str(text))
    raw = str(text).strip().replace(" ", "").replace("±", "+/-").lower().removesuffix("km")
    if u := re.fullmatch(rf"(?P<value>[\d.,+/:{DASHES}]+?)(?P<unit>nmi|nm|nauticalmiles?|mi|miles?)", raw):
        hint = ""
        with contextlib.suppress(GeoError):
            lo, hi, _ = parse_distance(f"{u['value']} {u['unit']}")
            hint = f" ({lo:.6g} km)" if lo == hi else f" ({lo:.6g}-{hi:.6g} km)"
        raise ParseError(f"range {text!r} is not in km; give it in km{hint}")
    numbers = rf"(?P<a>{LNUM})(?:(?P<op>\+/-|\+-|:|to|[{DASHES}])(?P<b>{LNUM}))?"
    if raw.startswith(tuple(DASHES)) or not (m := re.fullmatch(numbers, raw)):
        raise ParseError(
            f"cannot read range {text!r}; give km as R, R+/-E or R1-R2 (e.g. 950, 950+/-50, 900-1000)"
        )
    a = number(m["a"])[0]
    if m["b"] is None:
        return _check_range("exact", a, 0.0, str(text))
    b = number(m["b"])[0]
    return _check_range("normal" if m["op"].startswith("+") else "uniform", a, b, str(text))


def _check_range(kind: str, a: float, b: float, raw: str) -> tuple[str, float, float]:
    if not (math.isfinite(a) and math.isfinite(b)):
        raise InvalidDistanceError(f"range {raw!r} must be finite")
    if kind == "exact" and a <= 0:
        raise InvalidDistanceError(f"range {raw!r} must be positive")
    if kind == "normal" and (a <= 0 or b < 0):
        raise InvalidDistanceError(f"range {raw!r}: the value must be positive and the error non-negative")
    if kind == "uniform":
        if a < 0 or b <= 0:
            raise InvalidDistanceError(f"range {raw!r} must be positive")
        if b <= a:
            raise InvalidIntervalError(
                f"range interval {raw!r} is empty or reversed; write the smaller value first"
            )
    return kind, a, b
