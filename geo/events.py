"""Event catalogues: a CSV of launches, each assessed against the zones.

Columns (any case, any order): ``name``, ``date``, and either ``lat``, ``lon`` or
``site``, ``range_km`` [, ``azimuth_deg``]. Ranges may be ``950``, ``950+/-50`` or
``900-1000``; azimuths ``90`` or an interval ``30:150`` (clockwise, may cross north).
Further columns are kept. A bad row is reported with its line number and reason, and
the good rows are still assessed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo import geodesy
from geo._errors import GeoError

__all__ = ["Event", "RowError", "read_events"]

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


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise GeoError(
            f"{path}: the file is empty; give a CSV with a header row (name,date,lat,lon or name,date,site,range_km)"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GeoError(
            f"{path}: not UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); "
            "save the file as UTF-8, e.g. `iconv -f SHIFT_JIS -t UTF-8 in.csv > out.csv`"
        ) from None


def read_events(path: str | Path) -> tuple[list[Event], list[RowError], list[str]]:
    """Read an events CSV: the good rows, the bad rows with reasons, and the column names.

    Raises
    ------
    GeoError
        For a file that cannot be read at all: empty, not UTF-8, wrong delimiter, or
        without the columns that locate an event.
    """
    path = Path(path)
    text = _decode(path)
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise GeoError(f"{path}: no header row") from None
    columns = [h.strip() for h in header]
    lower = [c.lower() for c in columns]
    if len(columns) == 1 and any(d in columns[0] for d in ";\t|"):
        raise GeoError(f"{path}: the header {columns[0]!r} is one column; the file must be comma-separated")
    if not any(all(c in lower for c in group) for group in _REQUIRED_ANY):
        raise GeoError(
            f"{path}: missing columns: need 'lat' and 'lon', or 'site' and 'range_km' (any case); found {columns}"
        )
    if "name" not in lower:
        raise GeoError(f"{path}: missing column 'name'; found {columns}")
    events: list[Event] = []
    errors: list[RowError] = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(columns):
            errors.append(RowError(line, f"{len(values)} fields where the header has {len(columns)}"))
            continue
        row = {lower[i]: values[i].strip() for i in range(len(columns))}
        extra = {columns[i]: values[i] for i in range(len(columns)) if lower[i] not in _KNOWN}
        try:
            events.append(_event(line, row, extra))
        except (GeoError, ValueError) as exc:
            errors.append(RowError(line, str(exc)))
    return events, errors, columns


_KNOWN = {"name", "date", "lat", "lon", "site", "range_km", "azimuth_deg"}


def _event(line: int, row: dict[str, str], extra: dict[str, str]) -> Event:
    name = row.get("name", "")
    date = row.get("date", "")
    if row.get("lat") or row.get("lon"):
        try:
            lat, lon = float(row.get("lat", "")), float(row.get("lon", ""))
        except ValueError:
            raise GeoError(
                f"lat/lon must be numbers, got lat={row.get('lat')!r}, lon={row.get('lon')!r}"
            ) from None
        lon_a, lat_a = geodesy._check_lonlat(lon, lat)
        return Event(line, name, date, float(lon_a), float(lat_a), row.get("site") or None, None, None, extra)
    if row.get("site") and row.get("range_km"):
        from geo.places import lookup
        from geo.uncertainty import parse_range

        lookup(row["site"])  # fails early, with candidates, for an unknown site
        parse_range(row["range_km"])
        azimuth = row.get("azimuth_deg") or None
        if azimuth and ":" in azimuth:
            geodesy.parse_azimuth_interval(azimuth)
        elif azimuth:
            try:
                value = float(azimuth)
            except ValueError:
                raise GeoError(f"azimuth_deg must be degrees or A1:A2, got {azimuth!r}") from None
            if not 0.0 <= value <= 360.0:
                raise GeoError(f"azimuth_deg must be within [0, 360], got {azimuth!r}")
        return Event(line, name, date, None, None, row["site"], row["range_km"], azimuth, extra)
    raise GeoError("no location: fill lat and lon, or site and range_km")
