"""Event catalogues: a CSV of launches, each assessed against the zones.

Columns (any case, any order): ``name``, ``date``, and either ``lat``, ``lon`` or
``site``, ``range_km`` [, ``azimuth_deg``]. Ranges may be ``950``, ``950+/-50`` or
``900-1000``; azimuths ``90`` or an interval ``30:150`` (clockwise, may cross north).
Further columns are kept. A bad row is reported with its row number (header = 1), the
column and the reason, and the good rows are still assessed; so is a last row without a
line break (the file may have been cut there). A column named twice (in any case), a quote
that never closes, or a header without rows is an error of the whole file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from geo import geodesy
from geo._errors import GeoError, ParseError
from geo._text import number

_T = TypeVar("_T")

_MINUS = "\u2212"

__all__ = ["Event", "RowError", "csv_records", "degrees", "ends_cut", "read_events"]

_REQUIRED_ANY = (("lat", "lon"), ("site", "range_km"))


@dataclass(frozen=True)
class RowError:
    """A row that could not be read: its line number in the file (header = 1) and why."""

    row: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "reason": self.reason}


@dataclass(frozen=True)
class Event:
    """One readable row: either an exact point or a site + range [+ azimuth] report."""

    row: int
    name: str
    date: str
    lon: float | None
    lat: float | None
    site: str | None
    range_km: str | None
    azimuth: str | None
    extra: dict[str, str]


def _decode(data: bytes, path: str) -> str:
    if not data.strip():
        raise GeoError(
            f"{path}: the file is empty; give a CSV with a header row (name,date,lat,lon or name,date,site,range_km)"
        )
    if b"\x00" in data:
        raise GeoError(
            f"{path}: holds NUL bytes, so it is UTF-16 or binary, not CSV text; save it as CSV (UTF-8), "
            "e.g. `iconv -f UTF-16 -t UTF-8 in.csv > out.csv`"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GeoError(
            f"{path}: not UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); "
            "save the file as UTF-8, e.g. `iconv -f SHIFT_JIS -t UTF-8 in.csv > out.csv`"
        ) from None


def csv_records(text: str) -> Iterator[tuple[int, list[str] | None, str]]:
    """Each record of CSV text as ``(row, values, "")``, or ``(row, None, why)`` when unreadable.

    ``row`` counts records (the header is 1; a quoted cell may span lines). Quotes are
    read strictly: text after a closing quote is an error of that row, and a quote that
    never closes is reported at the row where it opens, with the number of its cell.
    Shared by :mod:`geo.cns`.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    lines = re.split(r"\r\n|\r|\n", text)  # as csv counts lines
    row = 0
    while True:
        row += 1
        first_line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                cells = next(csv.reader([lines[first_line - 1] if first_line <= len(lines) else ""]), [""])
                yield (
                    row,
                    None,
                    (
                        f"a quote opens in cell {len(cells)} and never closes, so lines {first_line}-"
                        f"{reader.line_num} would be read as one cell; close the quote or remove it"
                    ),
                )
                return
            if "field larger than field limit" in str(exc):
                yield (
                    row,
                    None,
                    f"a cell is longer than {csv.field_size_limit()} characters (an unclosed quote?)",
                )
            else:
                yield (
                    row,
                    None,
                    f"unreadable CSV ({exc}); a quoted cell must end right after its closing quote",
                )
            continue
        yield row, values, ""


def ends_cut(text: str) -> bool:
    """Whether the last record lacks a line break: a cut file looks whole up to its last cell."""
    return bool(text) and text[-1] not in "\r\n"


def read_events(
    path: str | Path | IO[bytes], *, name: str | None = None
) -> tuple[list[Event], list[RowError], list[str]]:
    """Read an events CSV: the good rows, the bad rows with reasons, and the column names.

    A row is reported (by row number, naming the column) and the other rows are still
    read when it has the wrong number of fields, a value that cannot be read, a broken
    quote, or, for the last row, no line break (the file may have been cut there).

    Parameters
    ----------
    path : path or binary stream
        The CSV file, or a stream of its bytes (``sys.stdin.buffer`` for ``-``), read whole.
    name : str, optional, keyword-only
        What messages call the file (default: the path, or the stream's ``name``).

    Raises
    ------
    GeoError
        For a file that cannot be read at all: empty, binary, not UTF-8, wrong delimiter,
        without the columns that locate an event, with a column name twice (ignoring
        case), with a quote that never closes, or with a header and no rows.
    """
    if isinstance(path, str | Path):
        data, path = Path(path).read_bytes(), name or str(path)
    else:
        data, path = path.read(), name or str(getattr(path, "name", "<stream>"))
    text = _decode(data, path)
    records = csv_records(text)
    _, header, why = next(records, (1, None, "no header row"))
    if header is None:
        raise GeoError(f"{path}: row 1 (the header): {why}")
    columns = [h.strip() or f"column_{i + 1}" for i, h in enumerate(header)]
    lower = [c.lower() for c in columns]
    _check_header(path, columns, lower)
    events: list[Event] = []
    errors: list[RowError] = []
    last: tuple[int, list[str]] | None = None
    for line, values, why in records:
        if values is None:
            if "never closes" in why:
                raise GeoError(f"{path}: row {line}: {why}")
            errors.append(RowError(line, why))
            continue
        if not any(v.strip() for v in values):
            continue
        last = (line, values)
        if len(values) != len(columns):
            errors.append(RowError(line, _width_reason(values, columns)))
            continue
        row = {lower[i]: values[i].strip() for i in range(len(columns))}
        extra = {columns[i]: values[i] for i in range(len(columns)) if lower[i] not in _KNOWN}
        try:
            events.append(_event(line, row, extra, dict(zip(lower, columns, strict=True))))
        except GeoError as exc:
            errors.append(RowError(line, str(exc)))
    if last is None and not errors:
        raise GeoError(
            f"{path}: a header and no rows; give one event per row under the header {','.join(columns)}"
        )
    if last is not None and ends_cut(text):
        _flag_cut_row(last, columns, events, errors)
    return events, errors, columns


def _check_header(path: str, columns: list[str], lower: list[str]) -> None:
    if len(columns) == 1 and any(d in columns[0] for d in ";\t|"):
        raise GeoError(f"{path}: the header {columns[0]!r} is one column; the file must be comma-separated")
    for name in dict.fromkeys(lower):
        where = [i for i, c in enumerate(lower) if c == name]
        if len(where) > 1:
            raise GeoError(
                f"{path}: column {name!r} appears {len(where)} times in the header "
                f"({', '.join(f'{columns[i]!r} at column {i + 1}' for i in where)}; names are read ignoring case); "
                "rename or remove all but one"
            )
    if not any(all(c in lower for c in group) for group in _REQUIRED_ANY):
        raise GeoError(
            f"{path}: missing columns: need 'lat' and 'lon', or 'site' and 'range_km' (any case); found {columns}"
        )
    if "name" not in lower:
        raise GeoError(f"{path}: missing column 'name'; found {columns}")


def _width_reason(values: list[str], columns: list[str]) -> str:
    n = len(values)
    if n < len(columns):
        return f"{n} fields where the header has {len(columns)} (no {', '.join(map(repr, columns[n:]))})"
    return f"{n} fields where the header has {len(columns)} (a comma inside an unquoted cell?)"


def _flag_cut_row(
    last: tuple[int, list[str]], columns: list[str], events: list[Event], errors: list[RowError]
) -> None:
    line, values = last
    if any(e.row == line for e in errors):
        return
    events[:] = [e for e in events if e.row != line]
    col = columns[min(len(values), len(columns)) - 1]
    errors.append(
        RowError(
            line,
            f"the last row ends without a line break, so the file may be cut off in column {col!r} "
            f"({values[-1].strip()!r}); if the row is whole, end the file with a line break",
        )
    )


_PLAIN = re.compile(r"[-+]?\d+(?:\.\d+)?")  # a decimal that float() reads as degrees() does
_KNOWN = {"name", "date", "lat", "lon", "site", "range_km", "azimuth_deg"}
_DEGREES = re.compile(
    rf"(?P<sign>[-+{_MINUS}])?\s*(?P<num>\d[\d.,]*)\s*°?\s*(?P<hemi>[NSEW])?", re.IGNORECASE
)


def degrees(text: str, axis: str) -> float:
    """A coordinate cell: decimal degrees, with an optional sign or hemisphere letter (38.5, -38.5, 38.5°S).

    Shared by :mod:`geo.cns`; ``axis`` is ``"latitude"`` or ``"longitude"``. The range is
    not checked here.

    Examples
    --------
    >>> degrees("38.5°S", "latitude"), degrees("127.2", "longitude")
    (-38.5, 127.2)
    """
    m = _DEGREES.fullmatch(text.strip())
    if not m:
        raise ParseError(f"{text!r} is not a number of degrees; give decimal degrees, e.g. 38.5 or 38.5°N")
    value = number(m["num"])[0]
    hemi = (m["hemi"] or "").upper()
    allowed = "NS" if axis == "latitude" else "EW"
    if hemi and hemi not in allowed:
        other = "longitude" if axis == "latitude" else "latitude"
        raise ParseError(
            f"{text!r} has the letter {hemi!r}, which belongs to a {other}; are the columns swapped? "
            f"({axis} takes {allowed[0]} or {allowed[1]})"
        )
    if hemi and m["sign"]:
        raise ParseError(f"{text!r} has both a sign and a hemisphere letter; give one of them")
    negative = m["sign"] in ("-", _MINUS) or hemi in {"S", "W"}
    return -value if negative else value


def _event(line: int, row: dict[str, str], extra: dict[str, str], names: dict[str, str]) -> Event:
    name = row.get("name", "")
    date = row.get("date", "")
    if row.get("lat") or row.get("lon"):
        if not (row.get("lat") and row.get("lon")):
            missing = "lat" if not row.get("lat") else "lon"
            raise GeoError(f"column {names.get(missing, missing)!r} is empty; fill both lat and lon")
        plain_lat, plain_lon = _PLAIN.fullmatch(row["lat"]), _PLAIN.fullmatch(row["lon"])
        if plain_lat and plain_lon:  # plain decimals (most rows): what degrees() and check_lonlat give, per row
            lat, lon = float(row["lat"]), float(row["lon"])
            if abs(lat) <= 90.0 and abs(lon) <= 360.0:
                return Event(line, name, date, (lon + 180.0) % 360.0 - 180.0, lat, row.get("site") or None, None, None, extra)
        lat = _in_column(names["lat"], degrees, row["lat"], "latitude")
        lon = _in_column(names["lon"], degrees, row["lon"], "longitude")
        try:
            lon_a, lat_a = geodesy.check_lonlat(lon, lat)
        except GeoError as exc:
            col = names["lat"] if "latitude" in str(exc) else names["lon"]
            raise GeoError(f"column {col!r}: {exc}") from None
        return Event(line, name, date, float(lon_a), float(lat_a), row.get("site") or None, None, None, extra)
    if row.get("site") and row.get("range_km"):
        from geo.places import lookup
        from geo.relative import parse_range

        _in_column(names["site"], lookup, row["site"])  # fails early, with candidates, for an unknown site
        _in_column(names["range_km"], parse_range, row["range_km"])
        azimuth = row.get("azimuth_deg") or None
        if azimuth:
            _in_column(names["azimuth_deg"], _check_azimuth, azimuth)
        return Event(line, name, date, None, None, row["site"], row["range_km"], azimuth, extra)
    raise GeoError("no location: fill lat and lon, or site and range_km")


def _in_column(column: str, fn: Callable[..., _T], value: str, *args: Any) -> _T:
    try:
        return fn(value, *args)
    except GeoError as exc:
        raise GeoError(f"column {column!r}: {exc}") from None


def _check_azimuth(azimuth: str) -> None:
    if ":" in azimuth:
        geodesy.parse_azimuth_interval(azimuth)
        return
    try:
        value = float(azimuth)
    except ValueError:
        raise GeoError(f"azimuth_deg must be degrees or A1:A2, got {azimuth!r}") from None
    if not 0.0 <= value <= 360.0:
        raise GeoError(f"azimuth_deg must be within [0, 360], got {azimuth!r}")
