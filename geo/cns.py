"""The CNS North Korea Missile Test Database: read it, locate each test, assess it against the zones.

The James Martin Center for Nonproliferation Studies publishes the database as CSV and
XLSX, one row per missile, with free-text cells: dates "9-Apr-84" beside "Sep-84",
distances "1,380 km", "Unknown", "N/A" or blank, and a landing location such as
"Sea of Japan or East Sea". :func:`read_cns` turns each row into typed columns and
reports every row it cannot read, by row number and reason; :func:`assess_cns` samples
each located test's impact region and assesses it with :mod:`geo.assess`.

A row is *parsed* when every cell the importer interprets (Date, Facility Latitude and
Longitude, Landing Location, Apogee, Distance Travelled) holds either a value it can
read or an explicit "unknown" (blank, "Unknown", "N/A"). A parsed row is *located*
when it has a facility position, a positive distance and a landing text that names a
known body of water (or a gazetteer place). The assumptions are in ``docs/cns.md``.

Examples
--------
>>> parse_date("9-Apr-84"), parse_date("Sep-84"), parse_date("")
(('1984-04-09', 'day'), ('1984-09', 'month'), (None, 'unknown'))
>>> parse_km("1,380 km"), parse_km("between 25 and 90 km"), parse_km("N/A")
((1380.0, 1380.0), (25.0, 90.0), None)
>>> water_body("Sea of Japan or East Sea")
'sea_of_japan'
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Polygon

from geo import geodesy
from geo._errors import GeoError, MissingExtraError, ParseError

__all__ = [
    "APPROX_FRACTION",
    "COLUMNS",
    "ENCODINGS",
    "PLACE_HALF_WIDTH_DEG",
    "WATER_BODIES",
    "CnsRead",
    "assess_cns",
    "landing_sector",
    "parse_date",
    "parse_km",
    "read_cns",
    "water_body",
]

ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
"""Encodings tried in turn for a CSV; the published copy is cp1252 (a no-break space, a degree sign)."""

COLUMNS = {
    "date": "Date",
    "facility_lat": "Facility Latitude",
    "facility_lon": "Facility Longitude",
    "landing_location": "Landing Location",
    "distance_travelled": "Distance Travelled",
}
"""Columns the importer needs (output name: header in the file, matched ignoring case and spacing)."""

_OPTIONAL = {
    "id": "F1",
    "launch_time_utc": "Launch Time (UTC)",
    "missile_name": "Missile Name",
    "missile_type": "Missile Type",
    "facility_name": "Facility Name",
    "facility_location": "Facility Location",
    "apogee": "Apogee",
    "confirmation_status": "Confirmation Status",
    "test_outcome": "Test Outcome",
}

_UNKNOWN = frozenset({"", "unknown", "n/a", "na", "none", "-", "?", "tbd", "not available"})
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_FACILITY_KINDS = frozenset({"launch_site", "airfield", "naval_base"})

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
    if _is_unknown(text):
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


def _is_unknown(text: Any) -> bool:
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
    if _is_unknown(text):
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
    if _is_unknown(text):
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


def _parse_coordinate(text: Any, *, what: str, limit: float) -> float | None:
    if _is_unknown(text):
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


@dataclass(frozen=True)
class CnsRead:
    """What :func:`read_cns` read: the parsed rows, the rows it could not read, the encoding used."""

    frame: Any  # pandas.DataFrame
    unparsed: list[dict[str, Any]]
    encoding: str
    rows: int

    def __iter__(self) -> Iterator[Any]:
        """Unpacks as ``frame, unparsed``."""
        return iter((self.frame, self.unparsed))


def read_cns(path: str | Path) -> CnsRead:
    """Read a CNS database file (.csv or .xlsx) into typed columns; report the rows it cannot read.

    ``frame, unparsed = read_cns(path)``. Each ``unparsed`` item is ``{"row", "reason"}``,
    ``row`` being the spreadsheet row (the header is row 1). ``read_cns(path).encoding``
    tells which encoding a CSV was read in (``"xlsx"`` for a workbook).

    Columns of the frame: ``row``, ``id``, ``date``, ``date_precision``, the raw text
    columns, ``facility_lon``/``facility_lat`` (degrees, NaN if unknown),
    ``distance_lo_km``/``distance_hi_km`` and ``apogee_lo_km``/``apogee_hi_km`` (NaN if
    unknown), ``water_body``, ``azimuth_start_deg``/``azimuth_end_deg`` (clockwise),
    ``facility_source``, ``located`` and ``not_located`` (why not).

    Raises
    ------
    GeoError
        For a file that cannot be read at all: empty, an unknown extension, UTF-16 or
        binary, one column (wrong delimiter), or without the needed columns.
    MissingExtraError
        For .xlsx without openpyxl.
    """
    import pandas as pd

    path = Path(path)
    suffix = path.suffix.lower()
    cut = False
    if suffix == ".csv":
        records, encoding, cut = _csv_records(path)
    elif suffix in {".xlsx", ".xlsm"}:
        records, encoding = [(i, r, "") for i, r in enumerate(_xlsx_records(path), start=1)], "xlsx"
    else:
        raise GeoError(f"{path}: unknown extension {suffix!r}; give the CNS database as .csv or .xlsx")
    (_, header, why), *body = records
    if header is None:
        raise GeoError(f"{path}: row 1 (the header): {why}")
    columns = _match_columns(path, header)
    parsed, unparsed = [], []
    last = 0
    for row, values, why in body:
        if values is None:
            unparsed.append({"row": row, "reason": why})
            continue
        if all(_is_unknown(v) for v in values):
            continue  # an empty line, not a test
        last = row
        if len(values) != len(header):
            unparsed.append(
                {"row": row, "reason": f"{len(values)} fields where the header has {len(header)}"}
            )
            continue
        try:
            parsed.append(_parse_row(row, {k: values[i] for k, i in columns.items()}))
        except ParseError as exc:
            unparsed.append({"row": row, "reason": str(exc)})
    if not parsed and not unparsed:
        raise GeoError(
            f"{path}: a header and no rows; is this the CNS North Korea Missile Test Database as published?"
        )
    if cut and parsed and parsed[-1]["row"] == last:
        parsed.pop()
        unparsed.append(
            {
                "row": last,
                "reason": "the last row ends without a line break, so the file may be cut off there; "
                "if the row is whole, end the file with a line break",
            }
        )
    frame = pd.DataFrame(parsed, columns=_FRAME_COLUMNS)
    return CnsRead(frame, unparsed, encoding, len(parsed) + len(unparsed))


def _csv_records(path: Path) -> tuple[list[tuple[int, list[str] | None, str]], str, bool]:
    """Records as :func:`geo.events.csv_records` gives them, the encoding, and whether the file looks cut."""
    from geo.events import csv_records, ends_cut

    data = path.read_bytes()
    if not data.strip():
        raise GeoError(
            f"{path}: the file is empty; give the CNS database as published (CSV with a header row)"
        )
    if b"\x00" in data[:4096]:
        raise GeoError(
            f"{path}: holds NUL bytes, so it is UTF-16 or binary, not CSV text; "
            "save it as CSV (UTF-8), e.g. `iconv -f UTF-16 -t UTF-8 in.csv > out.csv`"
        )
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    records = []
    for row, values, why in csv_records(text):
        if "never closes" in why:
            raise GeoError(f"{path}: row {row}: {why}")
        records.append((row, values, why))
    if not records:
        raise GeoError(f"{path}: no header row")
    return records, encoding.removesuffix("-sig"), ends_cut(text)


def _xlsx_records(path: Path) -> list[list[Any]]:
    import importlib

    try:
        openpyxl = importlib.import_module("openpyxl")  # Any: openpyxl ships no type stubs
    except ImportError:
        raise MissingExtraError("openpyxl", "xlsx") from None
    if path.stat().st_size == 0:
        raise GeoError(f"{path}: the file is empty; give the CNS workbook as published")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise GeoError(f"{path}: not a readable XLSX workbook (truncated or damaged?): {exc}") from None
    try:
        sheet = book.worksheets[0]
        records = [["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    while records and all(_is_unknown(v) for v in records[-1]):
        records.pop()
    if not records:
        raise GeoError(f"{path}: the first sheet is empty")
    width = max(i + 1 for i, v in enumerate(records[0]) if not _is_unknown(v))
    return [r[:width] + [""] * (width - len(r)) for r in records]


def _key(name: Any) -> str:
    return re.sub(r"\W+", "", str(name).lower())


def _match_columns(path: Path, header: Sequence[Any]) -> dict[str, int]:
    keys = [_key(h) for h in header]
    if len(header) == 1 and any(d in str(header[0]) for d in ";\t|"):
        raise GeoError(
            f"{path}: the header {str(header[0])[:60]!r} is one column; the file must be comma-separated"
        )
    for name in {**COLUMNS, **_OPTIONAL}.values():
        where = [i for i, k in enumerate(keys) if k == _key(name)]
        if len(where) > 1:
            raise GeoError(
                f"{path}: column {name!r} appears {len(where)} times in the header "
                f"({', '.join(f'{str(header[i])!r} at column {i + 1}' for i in where)}; names are read "
                "ignoring case and spacing); rename or remove all but one"
            )
    found = {
        out: keys.index(_key(name)) for out, name in {**COLUMNS, **_OPTIONAL}.items() if _key(name) in keys
    }
    missing = [name for out, name in COLUMNS.items() if out not in found]
    if missing:
        raise GeoError(
            f"{path}: missing column(s) {missing}; is this the CNS North Korea Missile Test Database? "
            f"found {[str(h) for h in header][:12]}"
        )
    return found


_FRAME_COLUMNS = [
    "row", "id", "date", "date_precision", "launch_time_utc", "missile_name", "missile_type",
    "facility_name", "facility_location", "facility_lon", "facility_lat", "facility_source",
    "landing_location", "water_body", "azimuth_start_deg", "azimuth_end_deg",
    "apogee", "apogee_lo_km", "apogee_hi_km", "distance_travelled", "distance_lo_km", "distance_hi_km",
    "confirmation_status", "test_outcome", "located", "not_located",
]  # fmt: skip


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parse_row(row: int, cells: dict[str, Any]) -> dict[str, Any]:
    def field(name: str, fn: Any, *args: Any, **kw: Any) -> Any:
        try:
            return fn(cells.get(name, ""), *args, **kw)
        except ParseError as exc:
            raise ParseError(f"{COLUMNS.get(name) or _OPTIONAL[name]}: {exc}") from None

    iso, precision = field("date", parse_date)
    distance = field("distance_travelled", parse_km, what="distance")
    apogee = field("apogee", parse_km, what="apogee")
    lat = field("facility_lat", _parse_coordinate, what="latitude", limit=90.0)
    lon = field("facility_lon", _parse_coordinate, what="longitude", limit=180.0)
    if (lat is None) != (lon is None):
        raise ParseError(f"Facility Latitude/Longitude: only one is given ({lat!r}, {lon!r})")
    name = _text(cells.get("facility_name", ""))
    lon, lat, source = _facility(name, lon, lat)
    landing = _text(cells.get("landing_location", ""))
    sector = None
    if lon is not None and lat is not None:
        sector = field("landing_location", lambda text: landing_sector(lon, lat, _text(text)))
    elif not _is_unknown(landing) and water_body(landing) is None:
        field("landing_location", lambda text: landing_sector(0.0, 0.0, _text(text)))  # reports bad text
    why = _not_located(lon, distance, landing, sector)
    nan = float("nan")
    return {
        "row": row,
        "id": _text(cells.get("id", "")),
        "date": iso,
        "date_precision": precision,
        **{k: _text(cells.get(k, "")) for k in ("launch_time_utc", "missile_name", "missile_type")},
        "facility_name": name,
        "facility_location": _text(cells.get("facility_location", "")),
        "facility_lon": nan if lon is None else lon,
        "facility_lat": nan if lat is None else lat,
        "facility_source": source,
        "landing_location": landing,
        "water_body": sector[2] if sector else water_body(landing),
        "azimuth_start_deg": sector[0] if sector else nan,
        "azimuth_end_deg": sector[1] if sector else nan,
        "apogee": _text(cells.get("apogee", "")),
        "apogee_lo_km": apogee[0] if apogee else nan,
        "apogee_hi_km": apogee[1] if apogee else nan,
        "distance_travelled": _text(cells.get("distance_travelled", "")),
        "distance_lo_km": distance[0] if distance else nan,
        "distance_hi_km": distance[1] if distance else nan,
        "confirmation_status": _text(cells.get("confirmation_status", "")),
        "test_outcome": _text(cells.get("test_outcome", "")),
        "located": why is None,
        "not_located": why or "",
    }


def _facility(name: str, lon: float | None, lat: float | None) -> tuple[float | None, float | None, str]:
    """The launch point: a gazetteer facility by name, else the row's coordinates, else a gazetteer place."""
    from geo.places import lookup

    place = None
    if not _is_unknown(name):
        try:
            place = lookup(name)
        except GeoError:  # unknown or ambiguous: the row's coordinates decide
            place = None
    if place is not None and (place.kind in _FACILITY_KINDS or lon is None):
        return place.lon, place.lat, f"gazetteer:{place.name}"
    if lon is not None:
        return lon, lat, "row"
    return None, None, ""


def _not_located(
    lon: float | None, distance: tuple[float, float] | None, landing: str, sector: Any
) -> str | None:
    if lon is None:
        return "facility unknown (no coordinates, name not in the gazetteer)"
    if distance is None:
        return "distance travelled unknown"
    if distance[1] <= 0:
        return "distance travelled 0 km (failed at launch)"
    if sector is None:
        return f"landing location unknown ({landing or 'blank'!r})"
    return None


# ---------------------------------------------------------------------- assessment


def assess_cns(
    frame: Any,
    *,
    perspective: str | None = None,
    n: int = 2_000,
    seed: int = 0,
    distance_fraction: float | None = None,
) -> Any:
    """Assess every located test of :func:`read_cns`'s frame; a GeoDataFrame of all rows.

    Each located test becomes ``n`` samples from :func:`geo.uncertainty.from_site`: the
    facility, the distance travelled uniform on [lo, hi] (a single value widened by
    ``distance_fraction``, default :data:`geo.relative.DEFAULT_DISTANCE_FRACTION`, 10 %),
    and the azimuth uniform on the landing text's sector. Test ``i`` uses seed
    ``seed + row``, so results do not depend on which other rows are present.

    Added columns: ``lon``, ``lat`` (the central point), ``eez``, ``verdict`` (the most
    likely outcome), ``p_<outcome>``, ``nearest_coast_km``, ``nearest_coast_country``,
    ``assessed`` and ``assess_error``; geometry is the central point (empty if not assessed).
    """
    import geopandas as gpd
    import pandas as pd

    from geo import assess as a_
    from geo import uncertainty as u_
    from geo.relative import DEFAULT_DISTANCE_FRACTION

    frac = DEFAULT_DISTANCE_FRACTION if distance_fraction is None else float(distance_fraction)
    zones = a_.zone_index(perspective.upper() if perspective else None)
    out: list[dict[str, Any]] = []
    for rec in frame.to_dict("records"):  # one loop per test (a catalogue), each vectorised over samples
        extra: dict[str, Any] = {"assessed": False, "assess_error": ""}
        if rec["located"]:
            lo, hi = rec["distance_lo_km"], rec["distance_hi_km"]
            rng = (lo * (1 - frac), hi * (1 + frac)) if frac > 0 or hi > lo else lo
            try:
                res = a_.assess_samples(
                    u_.from_site(
                        (rec["facility_lon"], rec["facility_lat"]),
                        range_km=rng,
                        azimuth=f"{rec['azimuth_start_deg']:g}:{rec['azimuth_end_deg']:g}",
                        n=n,
                        seed=seed + int(rec["row"]),
                    ),
                    zones=zones,
                    outside="report",  # a test outside the zones' coverage: verdict outside_coverage
                )
            except GeoError as exc:
                extra["assess_error"] = str(exc)
            else:
                d = res.to_dict()
                extra.update(
                    assessed=True,
                    lon=res.lon,
                    lat=res.lat,
                    eez=d["eez"] or "",
                    verdict=max(res.probability.items(), key=lambda kv: kv[1])[0],
                    nearest_coast_km=d["nearest_coast"]["distance_km"],
                    nearest_coast_country=d["nearest_coast"]["country"] or "",
                    **{f"p_{k}": v for k, v in res.probability.items()},
                )
        out.append({**rec, **extra})
    df = pd.DataFrame(out) if out else frame.assign(assessed=False, assess_error="")
    for col in ("lon", "lat", "nearest_coast_km"):
        if col not in df:
            df[col] = np.nan
    probs = [c for c in df.columns if c.startswith("p_")]
    done = df["assessed"].to_numpy(bool)
    df.loc[done, probs] = df.loc[done, probs].fillna(0.0)  # an outcome no sample reached has p = 0
    geometry = gpd.points_from_xy(df["lon"], df["lat"])
    geometry[~done] = None
    return gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")
