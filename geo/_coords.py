"""Coordinates as navigational warnings and notices write them, and geodesic polygons of them.

:func:`coordinates` finds every latitude-longitude pair in a line, in the notations of
NAVAREA / HYDROPAC warnings, NOTAMs, Notices to Mariners, regulations and Japanese and
Chinese notices (see :mod:`geo.warnings`); anything left in the line that still looks
like a coordinate is an error naming the line. :func:`polygon` joins vertices by
geodesics, densified, split at +/-180 deg. Used by :mod:`geo.warnings`.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from shapely.geometry.base import BaseGeometry

from geo._errors import ParseError
from geo._shapes import finish, ring_to_geometry, wrap180

__all__ = ["NoAreaError", "WarningParseError", "coordinates", "normalise", "polygon"]


class WarningParseError(ParseError):
    """A warning text that cannot be read as areas: the line, the value and the fix."""


class NoAreaError(WarningParseError):
    """A message with no area in it (no coordinates that make a polygon or circle)."""


_FR = r"(?:\.\d+)?"
_DASH = rf"\d{{1,3}}-\d{{1,2}}{_FR}(?:-\d{{1,2}}{_FR})?"
_SYM = rf"\d{{1,3}}{_FR}\s*°(?:\s*\d{{1,2}}{_FR}\s*'?(?:\s*\d{{1,2}}{_FR}\s*(?:\"|'')?)?)?"
_SPACE = rf"\d{{1,3}}\s+\d{{2}}{_FR}(?:\s+\d{{2}}{_FR})?"
_LAT_C = rf"\d{{2}}(?:\d{{2}}(?:\d{{2}})?)?{_FR}"
_LON_C = rf"\d{{3}}(?:\d{{2}}(?:\d{{2}})?)?{_FR}"
_DEG = rf"\d{{1,3}}{_FR}"
_LAT = rf"(?:{_DASH}|{_SYM}|{_SPACE}|{_LAT_C}|{_DEG})"
_LON = rf"(?:{_DASH}|{_SYM}|{_SPACE}|{_LON_C}|{_DEG})"
_BETWEEN = r"\s*\.?\s*[,/;]?\s*(?:-\s*)?(?:AND\s+)?"
_HEM_END = r"(?![A-Z])"
_POST = re.compile(
    rf"(?<![\w.])(?P<lat>{_LAT})\s*(?P<ns>[NS]){_HEM_END}{_BETWEEN}(?P<lon>{_LON})\s*(?P<ew>[EW]){_HEM_END}"
)
_PRE = re.compile(
    rf"(?<![A-Z\d])(?P<ns>[NS])\s?(?P<lat>{_LAT}){_BETWEEN}(?P<ew>[EW])\s?(?P<lon>{_LON})(?![\d.])"
)
# Anything left that still looks like a coordinate: digits tied to a hemisphere letter.
_LOOSE = re.compile(r"(?<![A-Z\d])[NS]\s?\d{4,}|\d(?:[\d.\-°'\"]*[\d°'\"])?\s*[NSEW](?![A-Z\d])")
_FIELD = re.compile(r"(?:^|(?<=\s))[A-GQ]\)")  # a NOTAM's item letters, B) 2607141100 C) ...


def normalise(line: str) -> str:
    s = line.upper()
    for a, b in (
        ("′", "'"),
        ("’", "'"),
        ("‘", "'"),
        ("″", '"'),
        ("”", '"'),
        ("“", '"'),
        ("º", "°"),
        ("˚", "°"),
        ("\u2013", "-"),
        ("\u2014", "-"),
        ("\u2212", "-"),
        ("，", ","),
        ("、", ","),
        ("：", ":"),
        ("（", "("),
        ("）", ")"),
        ("〜", "~"),
        ("－", "-"),
        ("−", "-"),
    ):
        s = s.replace(a, b)
    s = re.sub(r"(?<=\d)\s*DEG(?:REES?|S)?\.?", "°", s)
    # "57 DEGREES 26.094 MINUTES NORTH": minutes as a word, only right after degrees
    s = re.sub(r"(?<=°)(\s*\d{1,2}(?:\.\d+)?)\s*MIN(?:UTES?|S)?\.?(?![A-Z])", r"\1'", s)
    s = re.sub(r"(?<=[\d°'\"])\s*(NORTH|SOUTH|EAST|WEST)\b", lambda m: m.group(1)[0], s)
    s = re.sub(r"\b(?:LAT(?:ITUDE)?|LONG?(?:ITUDE)?)\b\.?", " ", s)
    return s


def _value(token: str, compact_deg_digits: int) -> float:
    """Degrees from one coordinate token: compact (DDMM[SS][.f]) or separated (D-M[-S])."""
    t = token.strip().rstrip("°'\" ")
    parts = [p for p in re.split(r"[°\-:'\"\s]+", t) if p]
    if len(parts) == 1:
        digits, _, frac = parts[0].partition(".")
        n = len(digits)
        if n in (compact_deg_digits + 2, compact_deg_digits + 4):
            d = float(digits[:compact_deg_digits])
            m = float(digits[compact_deg_digits : compact_deg_digits + 2])
            s = float(digits[compact_deg_digits + 2 :] or 0)
            if frac:  # the fraction belongs to the last unit written
                if n == compact_deg_digits + 2:
                    m += float("0." + frac)
                else:
                    s += float("0." + frac)
            parts_v = [d, m, s]
        else:
            parts_v = [float(parts[0])]
    else:
        parts_v = [float(p) for p in parts]
    if len(parts_v) > 1 and any(v >= 60 for v in parts_v[1:]):
        raise ValueError(f"minutes or seconds of 60 or more in {token.strip()!r}")
    if len(parts_v) > 1 and any(v != int(v) for v in parts_v[:-1]):
        raise ValueError(f"only the last unit may have a decimal fraction in {token.strip()!r}")
    return float(sum(v / 60.0**i for i, v in enumerate(parts_v)))


def _pair(m: re.Match[str], line_no: int, line: str) -> tuple[float, float]:
    try:
        lat = _value(m["lat"], 2) * (-1 if m["ns"] == "S" else 1)
        lon = _value(m["lon"], 3) * (-1 if m["ew"] == "W" else 1)
    except ValueError as exc:
        raise WarningParseError(
            f"line {line_no}: cannot read the coordinate {m.group(0).strip()!r} ({exc}); "
            f"write it as 34-17.00N 127-12.00E: {line.strip()!r}"
        ) from None
    if abs(lat) > 90 or abs(lon) > 180:
        raise WarningParseError(
            f"line {line_no}: the coordinate {m.group(0).strip()!r} is off the globe "
            f"(latitude {lat:g}, longitude {lon:g}); check the digits: {line.strip()!r}"
        )
    return lon, lat


def coordinates(line: str, line_no: int = 1) -> list[tuple[int, float, float]]:
    """Every (position, lon, lat) in one line, in order; a coordinate-like leftover is an error.

    >>> [(round(x, 4), round(y, 4)) for _, x, y in coordinates("3417N12712E - 34 17 30 N, 127 12 30 E")]
    [(127.2, 34.2833), (127.2083, 34.2917)]
    """
    s = _FIELD.sub(lambda m: " " * len(m.group(0)), normalise(line))
    found: list[tuple[int, float, float]] = []
    spans: list[tuple[int, int]] = []
    for rx in (_PRE, _POST):
        for m in rx.finditer(s):
            if any(a < m.end() and m.start() < b for a, b in spans):
                continue
            lon, lat = _pair(m, line_no, line)
            found.append((m.start(), lon, lat))
            spans.append((m.start(), m.end()))
    rest = list(s)
    for a, b in spans:
        rest[a:b] = " " * (b - a)
    left = _LOOSE.search("".join(rest))
    if left:
        raise WarningParseError(
            f"line {line_no}: cannot read {left.group(0).strip()!r} as a coordinate (a latitude and a "
            f"longitude, each with its hemisphere, e.g. 34-17.00N 127-12.00E): {line.strip()!r}"
        )
    return sorted(found)


def polygon(lon: Any, lat: Any, *, tolerance_m: float = 100.0) -> BaseGeometry:
    """A geodesic polygon from its vertices (any winding), densified and split at +/-180 deg.

    Each edge is a geodesic between consecutive vertices (the last back to the first);
    pieces are added along it until each straight lon/lat piece stays within about
    ``tolerance_m`` of the geodesic.

    >>> p = polygon([179.0, -179.0, -179.0, 179.0], [10.0, 10.0, 11.0, 11.0])
    >>> p.geom_type, round(p.bounds[0]), round(p.bounds[2])
    ('MultiPolygon', -180, 180)
    """
    from geo.geodesy import GEOD

    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    if x[0] == x[-1] and y[0] == y[-1] and x.size > 1:
        x, y = x[:-1], y[:-1]
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    # Sag of a straight piece against the geodesic grows with the square of its length:
    # pieces of ~sqrt(8 R tol) keep the planar reading within the tolerance at mid latitudes.
    step = max(2_000.0, float(np.sqrt(8 * 6_371_000.0 * tolerance_m)) / 4)
    for i in range(x.size):  # a handful of edges per area
        j = (i + 1) % x.size
        _, _, dist = GEOD.inv(x[i], y[i], x[j], y[j])
        n = int(dist // step)
        xs.append(np.array([x[i]]))
        ys.append(np.array([y[i]]))
        if n > 0:
            r = GEOD.inv_intermediate(
                x[i], y[i], x[j], y[j], npts=n, initial_idx=1, terminus_idx=1, return_back_azimuth=True
            )
            xs.append(np.asarray(r.lons))
            ys.append(np.asarray(r.lats))
    vx = wrap180(np.concatenate(xs) + 0.0)
    vy = np.concatenate(ys)
    vx = np.where(vx == -180.0, 180.0, vx) if np.all(vx >= 0) else vx
    # A danger area is the smaller side of its outline: the ring read both ways round, the
    # smaller area kept (this also settles a ring round a pole, where the winding says nothing).
    from geo.geodesy import geodesic_area_m2

    ring_x, ring_y = np.append(vx, vx[0]), np.append(vy, vy[0])
    one = finish(ring_to_geometry(ring_x, ring_y))
    other = finish(ring_to_geometry(ring_x[::-1], ring_y[::-1]))
    return one if geodesic_area_m2(one) <= geodesic_area_m2(other) else other
