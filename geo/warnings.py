"""Navigational warnings and NOTAM danger areas: the text of a message as named areas.

:func:`parse_warning` reads a NAVAREA / HYDROPAC / HYDROLANT message, a coastal warning,
a Notice to Mariners or a NOTAM and returns a :class:`WarningMessage`: its areas (polygons
"BOUND BY ...", circles "WITHIN 5 NM OF ..."), its dates (the date-time group, the
windows "121606Z TO 121854Z NOV", a NOTAM's B) and C)), what it cancels, and the lines
that carried nothing it could read (reported, never dropped).

Coordinates are read in the notations warnings use, each a latitude then a longitude:

* ``34-17.00N 127-12.00E``, ``34-17N 127-12E``, ``34-17-30N 127-12-30E``
* ``3417N12712E``, ``341730N 1271230E`` and hemisphere first ``N3417E12712`` (NOTAM)
* ``34°17'N 127°12'E``, ``34° 17' 30" N., 127° 12' 30" E.`` (primes as typed or as ′ ″)
* ``34 17 N - 127 12 E``, ``34.2833N 127.2E``, ``56.5 degrees north, 151.3 degrees west``

A coordinate that looks like one but cannot be read (a hemisphere missing, minutes of
60 or more, a latitude past 90) is an error naming the line, as is an area with fewer
than three vertices, or a message with no area at all.

Shapes: polygon edges are geodesics (densified with ``pyproj.Geod`` so that each straight
lon/lat piece stays within ``tolerance_m`` of the geodesic), circles are geodesic discs
(:func:`geo.geodesy.ring`); both are split at +/-180 deg (:mod:`geo._shapes`).

Examples
--------
>>> w = parse_warning('''HYDROPAC 1234/22(24).
... 1. HAZARDOUS OPERATIONS 261900Z TO 262100Z JAN 22 IN AREAS BOUND BY:
...    A. 34-17.00N 127-12.00E, 34-17.00N 128-00.00E, 33-30.00N 127-30.00E.
...    B. WITHIN 5 NM OF 35-00N 130-00E.
... 2. CANCEL THIS MSG 262200Z JAN 22.''')
>>> [(a.name, a.kind, len(a.lon)) for a in w.areas]
[('A', 'polygon', 3), ('B', 'circle', 1)]
>>> w.areas[0].lat[0], w.areas[0].lon[0]
(34.28333333333333, 127.2)
>>> w.ident, w.cancel_at
('HYDROPAC 1234/22', '2022-01-26T22:00Z')
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from shapely.geometry.base import BaseGeometry

from geo._coords import NoAreaError, WarningParseError, coordinates, normalise, polygon

__all__ = [
    "Area",
    "NoAreaError",
    "WarningMessage",
    "WarningParseError",
    "coordinates",
    "parse_warning",
    "polygon",
]

NM_M = 1852.0
_WORDS = {
    w: i
    for i, w in enumerate(
        "ZERO ONE TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN ELEVEN TWELVE THIRTEEN FOURTEEN "
        "FIFTEEN SIXTEEN SEVENTEEN EIGHTEEN NINETEEN TWENTY".split()
    )
}
_MONTHS = {m: i + 1 for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}


@dataclass(frozen=True)
class Area:
    """One named danger area of a warning.

    ``lon``/``lat`` are the vertices as written (degrees; a circle has its centre only),
    ``radius_m`` a circle's radius, ``lines`` the 1-based line numbers it was read from.
    """

    name: str
    kind: str  # "polygon" | "circle"
    lon: tuple[float, ...]
    lat: tuple[float, ...]
    radius_m: float | None
    lines: tuple[int, ...]
    geometry: BaseGeometry = field(repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "vertices": [[x, y] for x, y in zip(self.lon, self.lat, strict=True)],
            "lines": list(self.lines),
        }
        if self.radius_m is not None:
            out["radius_m"] = self.radius_m
        return out


@dataclass(frozen=True)
class WarningMessage:
    """A parsed message: its areas, dates and cancellations, and the lines not read.

    Dates are ISO strings in UTC (``2022-01-26T19:00Z``); ``windows`` are (start, end)
    pairs; ``unread`` holds ``(line number, text)`` of lines that carried no area, date,
    identifier or cancellation (headings, advice to mariners).
    """

    ident: str | None
    issued: str | None
    windows: tuple[tuple[str, str], ...]
    cancel_at: str | None
    cancels: tuple[str, ...]
    areas: tuple[Area, ...]
    unread: tuple[tuple[int, str], ...]
    text: str = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ident": self.ident,
            "issued": self.issued,
            "windows": [list(w) for w in self.windows],
            "cancel_at": self.cancel_at,
            "cancels": list(self.cancels),
            "areas": [a.to_dict() for a in self.areas],
            "unread": [{"line": n, "text": t} for n, t in self.unread],
        }


# --------------------------------------------------------------------------- dates

_QLINE = re.compile(r"\bQ\)\s*\S+")  # a NOTAM's reference point

_DTG = re.compile(r"\b(\d{2})(\d{2})(\d{2})\s?(?:Z|UTC)\b(?:\s+([A-Z]{3})(?:\s+(\d{4}|\d{2}))?\b)?")
_WINDOW = re.compile(
    r"\b(\d{6})\s?(?:Z|UTC)\s+(?:([A-Z]{3})\s+)?(?:TO|THRU|UNTIL|-)\s+(\d{6})\s?(?:Z|UTC)\b"
    r"(?:\s+([A-Z]{3})(?:\s+(\d{4}|\d{2}))?\b)?"
)
_NOTAM_TIME = re.compile(r"\b([BC])\)\s*(\d{10})\b")
_IDENT = re.compile(
    r"\b(HYDROPAC|HYDROLANT|HYDROARC|NAVAREA\s+[IVXL]+|NAVAREA\s+\d+|[A-Z]+\s+NAV\s?WARN(?:ING)?"
    r"|NAVTEX\s+[A-Z]{2}\d{2}|COASTAL\s+WARNING\s+[A-Z]+|(?:NAVAREA\s+[IVXL]+\s+)?WARNING)"
    r"\s+(?:NO\.?\s*)?(\d{1,4}/\d{2,4})"
)
_NOTAM_ID = re.compile(r"^\s*(?:\S+\s+\S+\s+)?([A-Z]\d{4}/\d{2})\s+(?:NOTAM[NRC]\b|-\s)")
# "06 JUL 03:18 2023 UNTIL 06 JUL 04:45 2023" and "CREATED: 05 JUL 07:40 2023" (NOTAM decodes)
_SPELLED = r"(\d{1,2})\s+([A-Z]{3})\s+(\d{2}):?(\d{2})\s+(\d{4})"
_UNTIL = re.compile(rf"\b{_SPELLED}\s+(?:UNTIL|TO|-)\s+{_SPELLED}\b")
_CREATED = re.compile(rf"\bCREATED:?\s+{_SPELLED}\b")
_CANCEL_THIS = re.compile(
    r"CANCEL\s+THIS\s+(?:MSG|MESSAGE|WARNING)\s+(\d{6})\s?(?:Z|UTC)\s+([A-Z]{3})\s+(\d{2,4})"
)
_CANCEL = re.compile(
    r"CANCEL\s+((?:HYDROPAC|HYDROLANT|HYDROARC|NAVAREA\s+[IVXL\d]+)\s+\d{1,4}/\d{2,4}"
    r"(?:\s*,\s*\d{1,4}/\d{2,4})*)"
)


def _iso(day: int, hhmm: str, month: int, year: int) -> str | None:
    try:
        t = _dt.datetime(year, month, day, int(hhmm[:2]) % 24, int(hhmm[2:]))
    except ValueError:
        return None
    if hhmm[:2] == "24":
        t += _dt.timedelta(days=1)
    return t.strftime("%Y-%m-%dT%H:%MZ")


def _spelled(g: tuple[str | Any, ...]) -> str | None:
    """ISO time from ("06", "JUL", "03", "18", "2023")."""
    mon = _MONTHS.get(str(g[1]))
    return _iso(int(g[0]), f"{g[2]}{g[3]}", mon, int(g[4])) if mon else None


def _year(token: str | None, default: int | None) -> int | None:
    if token is None:
        return default
    y = int(token)
    return y + 2000 if y < 100 else y


@dataclass
class _Dates:
    issued: str | None = None
    year: int | None = None
    month: int | None = None
    windows: list[tuple[str, str]] = field(default_factory=list)
    cancel_at: str | None = None
    cancels: list[str] = field(default_factory=list)


def _read_dates(s: str, d: _Dates) -> bool:
    """Dates and cancellations on one (normalised) line, into ``d``; whether there were any."""
    used = False
    mc = _CANCEL_THIS.search(s)
    if mc:
        y = _year(mc[3], d.year)
        mon = _MONTHS.get(mc[2])
        if y and mon:
            d.cancel_at = _iso(int(mc[1][:2]), mc[1][2:], mon, y)
        used = True
    for m in _CANCEL.finditer(s):
        area = re.match(r"(HYDROPAC|HYDROLANT|HYDROARC|NAVAREA\s+[IVXL\d]+)\s+(.*)", m[1])
        if area:
            d.cancels += [f"{area[1]} {n.strip()}" for n in area[2].split(",")]
        used = True
    for m in _NOTAM_TIME.finditer(s):
        v = m[2]
        iso = _iso(int(v[4:6]), v[6:], int(v[2:4]), 2000 + int(v[:2]))
        if iso and m[1] == "B":
            d.windows.append((iso, ""))
        elif iso and d.windows and d.windows[-1][1] == "":
            d.windows[-1] = (d.windows[-1][0], iso)
        used = True
    for m in _UNTIL.finditer(s):
        a = _spelled(m.groups()[:5])
        b = _spelled(m.groups()[5:])
        if a and b:
            d.windows.append((a, b))
        used = True
    mcr = _CREATED.search(s)
    if mcr and d.issued is None:
        d.issued = _spelled(mcr.groups())
        used = True
    if not mc:
        for m in _WINDOW.finditer(s):
            mon2 = _MONTHS.get(m[4] or "", d.month)
            mon1 = _MONTHS.get(m[2] or "", mon2)
            y = _year(m[5], d.year)
            if mon1 and mon2 and y:
                a = _iso(int(m[1][:2]), m[1][2:], mon1, y)
                b = _iso(int(m[3][:2]), m[3][2:], mon2, y + (1 if mon2 < mon1 else 0))
                if a and b:
                    d.windows.append((a, b))
            used = True
    if d.issued is None and not mc:
        md = _DTG.search(s)
        if md and md[4] in _MONTHS and md[5]:
            y = _year(md[5], None)
            if y:
                d.issued = _iso(int(md[1]), md[2] + md[3], _MONTHS[md[4]], y)
                d.year, d.month = y, _MONTHS[md[4]]
                used = True
    return used


# --------------------------------------------------------------------------- areas

_LABEL = re.compile(
    r"(?:^|(?<=[\s:;,]))(?P<label>[A-Z]|\d{1,2})\.(?=\s)|^\s*(?:(?P<num>\d{1,2})\)|\((?P<par>[A-Z]|[IVX]{1,4}|\d{1,2})\))(?=\s)"
)
_ZONE_LABEL = re.compile(r"区域(?P<zone>\d{1,2})(?![\d.\-])")
_RADIUS_AFTER = re.compile(  # Japanese and Chinese put the radius after the centre
    r"(?:を中心とする|を中心とした|为圆心|为中心)[^0-9]{0,8}半径\s*(?P<r>\d+(?:\.\d+)?)\s*"
    r"(?P<u>海里|浬|NM|公里|千米|KM|キロメートル|メートル|米|M)"
)
_SECTOR = re.compile(r"扇形|\bSECTOR\b")
_CIRCLE = re.compile(
    r"(?:WITHIN|RADIUS(?:\s+OF)?)\s+(?P<r>\d+(?:\.\d+)?|[A-Z]+)\s*(?P<u>NM|NMI|NAUTICAL\s+MILES?|MILES?|MI|KM|"
    r"KILOMET(?:ER|RE)S?|M|MET(?:ER|RE)S?)\b(?:\s+RADIUS)?\s+(?:OF|FROM|AROUND|CENT(?:ER|RE)D?\s+(?:ON|AT))"
    r"|(?P<r2>\d+(?:\.\d+)?)\s*(?P<u2>NM|KM|M)\s+RADIUS\s+(?:OF|AROUND|CENT(?:ER|RE)D?\s+(?:ON|AT))"
)
_STARTS = re.compile(
    r"\b(?:BOUND(?:ED)?\s+BY|BORDERED\s+BY|DEFINED\s+BY|JOINING|CONNECTING|ENCLOSED\s+BY|"
    r"WI\s+AREA|AREA\s*:)|囲まれる|により囲|で囲|连线|围成"
)
_CORRIDOR = re.compile(
    r"\bEITHER\s+SIDE\s+OF\b|\bEACH\s+SIDE\s+OF\b|\bTRACK\s?LINE\b|地点を結ぶ線上|连线两侧"
)


@dataclass
class _Draft:
    name: str | None
    parent: str | None = None
    points: list[tuple[float, float]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    radius_m: float | None = None
    closed: bool = False
    bounded: bool = False  # an "AREA BOUND BY" (or 囲まれる区域) came before it in its paragraph


def _radius(m: re.Match[str], line_no: int, line: str) -> float:
    r, u = (m["r"], m["u"]) if m["r"] else (m["r2"], m["u2"])
    value = float(_WORDS[r]) if r in _WORDS else None
    if value is None:
        try:
            value = float(r)
        except ValueError:
            raise WarningParseError(
                f"line {line_no}: cannot read the radius {r!r}; write it in digits, "
                f"e.g. WITHIN 5 NM OF: {line.strip()!r}"
            ) from None
    if not value > 0:
        raise WarningParseError(
            f"line {line_no}: a circle's radius must be positive, got {r!r}: {line.strip()!r}"
        )
    unit = u.split()[0]
    if unit.startswith("K"):
        return value * 1000.0
    if unit in ("M", "METER", "METERS", "METRE", "METRES"):
        return value
    return value * NM_M  # NM, nautical miles; "miles" in a maritime warning are nautical


def parse_warning(text: str, *, tolerance_m: float = 100.0) -> WarningMessage:
    """Read a warning or NOTAM text into named areas, dates and cancellations.

    Parameters
    ----------
    text : str
        The message as published (one or several areas; labels ``A.``, ``1.``, ``(a)``).
    tolerance_m : float, keyword-only
        Largest distance between a drawn edge and the geodesic or circle it stands for, metres.

    Returns
    -------
    WarningMessage

    Raises
    ------
    WarningParseError
        An unreadable coordinate, or an area with fewer than three vertices (line named).
    NoAreaError
        No area at all.
    """
    if not isinstance(text, str) or not text.strip():
        raise NoAreaError("the warning is empty; give the text of a navigational warning or NOTAM")
    dates = _Dates()
    _prescan_year(normalise(text), dates)
    drafts: list[_Draft] = []
    label: str | None = None
    top: str | None = None
    current: _Draft | None = None
    pending_radius: float | None = None
    ident: str | None = None
    unread: list[tuple[int, str]] = []
    corridor_lines: list[int] = []
    bounded = False
    for no, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        raw = _QLINE.sub(lambda m: " " * len(m.group(0)), raw)  # a NOTAM's Q) reference point is no vertex
        s = normalise(raw)
        used = _read_dates(s, dates)
        if ident is None and "CANCEL" not in s:
            mi = _NOTAM_ID.search(s) or _IDENT.search(s)
            if mi:
                ident = mi[1] if mi.re is _NOTAM_ID else f"{' '.join(mi[1].split())} {mi[2]}"
                used = True
        if _CORRIDOR.search(s):
            corridor_lines.append(no)
        if _SECTOR.search(s):
            raise WarningParseError(
                f"line {no}: a sector (apex, bearings and arc) is not read as an area yet; its corner points "
                f"would make a wrong polygon: {raw.strip()!r}"
            )
        events: list[tuple[int, str, Any]] = []
        for m in _LABEL.finditer(s):
            if m["label"] and m["label"].isdigit():
                events.append((m.start(), "zone", m["label"]))  # "1." a paragraph or area
            else:
                events.append((m.start(), "label", m["label"] or m["num"] or m["par"]))  # "A.", "(1)", "1)"
        for m in _ZONE_LABEL.finditer(s):
            events.append((m.start(), "zone", m["zone"]))
        for m in _CIRCLE.finditer(s):
            events.append((m.start(), "circle", _radius(m, no, raw)))
        for m in _RADIUS_AFTER.finditer(s):
            unit = m["u"]
            scale = (
                1000.0
                if unit in ("公里", "千米", "KM", "キロメートル")
                else 1.0
                if unit in ("メートル", "米", "M")
                else NM_M
            )
            events.append((m.start(), "radius_after", float(m["r"]) * scale))
        for m in _STARTS.finditer(s):
            events.append((m.start(), "start", None))
        for pos, lon, lat in coordinates(raw, no):
            events.append((pos, "point", (lon, lat)))
        for _, kind, value in sorted(events, key=lambda e: e[0]):
            used = True
            if kind == "label":
                label, current = value, None
            elif kind == "zone":
                top, label, current, bounded = value, None, None, False
            elif kind == "radius_after":
                if current is None or len(current.points) != 1 or current.radius_m is not None:
                    raise WarningParseError(
                        f"line {no}: a radius with no single centre before it: {raw.strip()!r}"
                    )
                current.radius_m, current.closed = value, True
            elif kind == "circle":
                pending_radius, current = value, None
            elif kind == "start":
                bounded = True
                current = (
                    None if (current is None or len(current.points) >= 3 or current.radius_m) else current
                )
            else:
                lon, lat = value
                if current is not None and current.closed and current.points[:1] == [(lon, lat)]:
                    continue  # the closing vertex written once more, e.g. "(763000N 0220000E)"
                if current is None or current.closed:
                    name = label if label is not None else top
                    current = _Draft(name, top, radius_m=pending_radius, bounded=bounded)
                    drafts.append(current)
                    pending_radius = None
                if current.lines[-1:] != [no]:
                    current.lines.append(no)
                if len(current.points) >= 3 and (lon, lat) == current.points[0]:
                    current.closed = True  # a ring written closed; the next point starts a new area
                    continue
                current.points.append((lon, lat))
                if current.radius_m is not None:
                    current.closed = True
        if not used:
            unread.append((no, raw.strip()))
    if corridor_lines:
        raise WarningParseError(
            f"line {corridor_lines[0]}: a corridor ('n NM either side of a line') is not read as an area yet; "
            "give its outline as points (AREA BOUND BY ...) instead"
        )
    if not drafts:
        raise NoAreaError(
            "no area found in the warning: no coordinates (34-17.00N 127-12.00E) in an 'AREA BOUND BY' list or "
            "a 'WITHIN n NM OF' circle; check that this is the text of a navigational warning or NOTAM"
        )
    areas = _finish(drafts, tolerance_m)
    return WarningMessage(
        ident=ident,
        issued=dates.issued,
        windows=tuple(dates.windows),
        cancel_at=dates.cancel_at,
        cancels=tuple(dates.cancels),
        areas=tuple(areas),
        unread=tuple(unread),
        text=text,
    )


def _prescan_year(s: str, d: _Dates) -> None:
    """The message's year and month (for windows written "121606Z TO 121854Z NOV"), from any full DTG."""
    for line in s.splitlines():
        for m in _DTG.finditer(line):
            if m[4] in _MONTHS and m[5]:
                d.year, d.month = _year(m[5], None), _MONTHS[m[4]]
                return


def _merge_vertex_labels(drafts: list[_Draft]) -> list[_Draft]:
    """Runs of one-point areas labelled A., B., C. ... are one polygon whose vertices were labelled."""
    out: list[_Draft] = []
    run: list[_Draft] = []

    def flush() -> None:
        if len(run) >= 3:
            merged = _Draft(
                run[0].parent,
                None,
                [p for d in run for p in d.points],
                sorted({n for d in run for n in d.lines}),
                bounded=True,
            )
            out.append(merged)
        else:
            out.extend(run)
        run.clear()

    for d in drafts:
        if d.radius_m is None and len(d.points) == 1 and d.bounded and (not run or run[0].parent == d.parent):
            run.append(d)
        else:
            flush()
            out.append(d)
    flush()
    return out


def _finish(drafts: list[_Draft], tolerance_m: float) -> list[Area]:
    drafts = _merge_vertex_labels(drafts)
    names = _names([d.name for d in drafts])
    out = []
    for d, name in zip(drafts, names, strict=True):
        lon = np.array([p[0] for p in d.points])
        lat = np.array([p[1] for p in d.points])
        where = f"line {d.lines[0]}" if len(d.lines) == 1 else f"lines {d.lines[0]}-{d.lines[-1]}"
        if d.radius_m is not None:
            from geo import geodesy

            geom = geodesy.ring(float(lon[0]), float(lat[0]), d.radius_m, tolerance_m=tolerance_m)
            kind = "circle"
        else:
            if len(d.points) < 3:
                raise WarningParseError(
                    f"area {name} ({where}) has {len(d.points)} vertex(es); a polygon needs at least 3 "
                    "(a point with a radius is written 'WITHIN n NM OF ...')"
                )
            geom = polygon(lon, lat, tolerance_m=tolerance_m)
            kind = "polygon"
        out.append(
            Area(name, kind, tuple(lon.tolist()), tuple(lat.tolist()), d.radius_m, tuple(d.lines), geom)
        )
    return out


def _names(raw: list[str | None]) -> list[str]:
    """Labels as written; unlabelled areas numbered; a label used twice gets /2, /3."""
    out: list[str] = []
    for i, n in enumerate(raw, start=1):
        base = n if n is not None else str(i)
        name, k = base, 1
        while name in out:
            k += 1
            name = f"{base}/{k}"
        out.append(name)
    return out


# Shown in tracebacks and documented as geo.warnings.<name>, where users import them from.
for _public in (WarningParseError, NoAreaError):
    _public.__module__ = "geo.warnings"
