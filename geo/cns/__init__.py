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

import functools
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from geo._errors import GeoError, MissingExtraError, ParseError
from geo.cns.fields import (
    APPROX_FRACTION,
    PLACE_HALF_WIDTH_DEG,
    WATER_BODIES,
    is_unknown,
    landing_sector,
    parse_coordinate,
    parse_date,
    parse_km,
    water_body,
)

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
_FACILITY_KINDS = frozenset({"launch_site", "airfield", "naval_base"})


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
        if all(is_unknown(v) for v in values):
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
    while records and all(is_unknown(v) for v in records[-1]):
        records.pop()
    if not records:
        raise GeoError(f"{path}: the first sheet is empty")
    width = max(i + 1 for i, v in enumerate(records[0]) if not is_unknown(v))
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
    elif not is_unknown(landing) and water_body(landing) is None:
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
    place = None if is_unknown(name) else _gazetteer_place(name)
    if place is not None and (place.kind in _FACILITY_KINDS or lon is None):
        return place.lon, place.lat, f"gazetteer:{place.name}"
    if lon is not None:
        return lon, lat, "row"
    return None, None, ""


@functools.lru_cache(maxsize=1024)
def _gazetteer_place(name: str) -> Any:
    """The gazetteer's place of that name, or None (unknown or ambiguous); once per name (rows repeat facilities)."""
    from geo.places import default_gazetteer

    try:
        return default_gazetteer().find(name)  # None when unknown (no suggestions to compute)
    except GeoError:  # ambiguous: the row's coordinates decide
        return None


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


# the columns assess_cns adds, in this order (then the p_<outcome> ones, as outcomes first appear)
_ADDED = ("assessed", "assess_error", "lon", "lat", "eez", "verdict", "nearest_coast_km", "nearest_coast_country")


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
    records = frame.to_dict("records")
    extras: list[dict[str, Any]] = [{"assessed": False, "assess_error": ""} for _ in records]
    sets, where = [], []
    for i, rec in enumerate(records):  # one sample set per located test (a catalogue), each vectorised
        if not rec["located"]:
            continue
        lo, hi = rec["distance_lo_km"], rec["distance_hi_km"]
        rng = (lo * (1 - frac), hi * (1 + frac)) if frac > 0 or hi > lo else lo
        try:
            sets.append(u_.from_site(
                (rec["facility_lon"], rec["facility_lat"]), range_km=rng,
                azimuth=f"{rec['azimuth_start_deg']:g}:{rec['azimuth_end_deg']:g}", n=n, seed=seed + int(rec["row"]),
            ))  # fmt: skip
            where.append(i)
        except GeoError as exc:
            extras[i]["assess_error"] = str(exc)
    # every test's samples in one lookup, the centres in another (a test outside the coverage: outside_coverage)
    for i, res in zip(where, a_.summarise_samples(sets, zones=zones), strict=True):
        extras[i].update(
            assessed=True,
            lon=res.lon,
            lat=res.lat,
            eez=res.eez or "",
            verdict=max(res.probability.items(), key=lambda kv: kv[1])[0],
            nearest_coast_km=res.nearest_coast_km,
            nearest_coast_country=res.nearest_coast_country or "",
            **{f"p_{k}": v for k, v in res.probability.items()},
        )
    out = [{**rec, **extra} for rec, extra in zip(records, extras, strict=True)]
    df = pd.DataFrame(out) if out else frame.assign(assessed=False, assess_error="")
    for col in _ADDED[2:]:
        if col not in df:
            df[col] = np.nan
    probs = [c for c in df.columns if c.startswith("p_")]
    df = df[[c for c in df.columns if c not in _ADDED and c not in probs] + list(_ADDED) + probs]  # whatever the rows
    done = df["assessed"].to_numpy(bool)
    df.loc[done, probs] = df.loc[done, probs].fillna(0.0)  # an outcome no sample reached has p = 0
    geometry = gpd.points_from_xy(df["lon"], df["lat"])
    geometry[~done] = None
    return gpd.GeoDataFrame(df, geometry=geometry, crs="EPSG:4326")


_parse_coordinate = parse_coordinate  # the name tests/test_fuzz_parsers.py reaches for
