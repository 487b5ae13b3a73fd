"""Bad-input corpus: event CSVs (``geo assess-events``) and the CNS database (``geo import-cns``).

A file-level problem (empty, binary, a duplicated column, a quote that never closes, a
header and no rows) is one clear error; a bad row is reported by row number (header = 1)
and column while the good rows are kept. Pinned silent wrong answers: ``Lat,LAT`` (the
last one won), a cut last row ``38.0,13`` read as lon 13, an unterminated quote read as
one short row, and KeyError tracebacks on header-only files.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from bad_input.conftest import assert_clear_error, assert_json_error, run_cli
from geo._errors import GeoError
from geo.cns import read_cns
from geo.events import RowError, read_events

# ---------------------------------------------------------------- events CSV, library

EVENT_ERRORS = [
    ("dup-lat", "name,date,lat,lon,lat\na,2022,38,131,39\n", ["'lat'", "2 times", "column 3", "column 5"]),
    ("dup-Lat-LAT", "name,date,Lat,LAT,lon\na,2022,38,39,131\n", ["'Lat' at column 3", "'LAT' at column 4"]),
    ("dup-extra", "name,date,lat,lon,note,Note\na,2022,38,131,x,y\n", ["'note'", "2 times"]),
    ("header-only", "name,date,lat,lon\n", ["a header and no rows"]),
    ("header-only-blank-lines", "name,date,lat,lon\n\n\n", ["a header and no rows"]),
    (
        "unterminated-quote",
        'name,date,lat,lon\na,2022,38,131\n"b,2022,38,131\nc,2022,39,132\n',
        ["row 3", "cell 1", "never closes", "lines 3-4"],
    ),
    ("empty", "", ["empty"]),
    ("nul-bytes", "name,date,lat,lon\na\x00,2022,38,131\n", ["NUL", "binary"]),
    ("semicolons", "name;date;lat;lon\na;2022;38;131\n", ["one column", "comma-separated"]),
]


@pytest.mark.parametrize(("text", "needles"), [c[1:] for c in EVENT_ERRORS], ids=[c[0] for c in EVENT_ERRORS])
def test_event_file_errors(tmp_path: Path, text: str, needles: list[str]) -> None:
    f = tmp_path / "events.csv"
    f.write_text(text, encoding="utf-8", newline="")
    with pytest.raises(GeoError) as info:
        read_events(f)
    for n in needles:
        assert n in str(info.value), (n, str(info.value))


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ("name,date,lat,lon\nÉté,2022,38,131\n".encode("latin-1"), "not UTF-8"),
        ("name,date,lat,lon\n奥尻,2022,42,139\n".encode("shift_jis"), "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("name,date,lat,lon\n".encode("utf-16"), "UTF-16"),
    ],
    ids=["latin-1", "shift-jis", "png", "utf-16"],
)
def test_event_file_encodings_refused(tmp_path: Path, data: bytes, needle: str) -> None:
    f = tmp_path / "events.csv"
    f.write_bytes(data)
    with pytest.raises(GeoError, match=needle):
        read_events(f)


ROW_ERRORS = [
    ("cut-last-row", "a,2022,38.0,131.5\nb,2022,38.0,13", 3, ["line break", "'lon'", "'13'"]),
    ("short-row", "a,2022,38.0\nb,2022,38.0,131.5\n", 2, ["3 fields", "has 4", "'lon'"]),
    ("long-row", "a,2022,38.0,131.5,x\nb,2022,38.0,131.5\n", 2, ["5 fields", "has 4"]),
    ("junk-after-quote", 'a,"2022"x,38,131\nb,2022,38.0,131.5\n', 2, ["closing quote"]),
    ("long-field", "a," + "9" * 200_000 + ",38,131\nb,2022,38.0,131.5\n", 2, ["longer than 131072"]),
    ("nan-lat", "a,2022,nan,131\nb,2022,38.0,131.5\n", 2, ["column 'lat'", "'nan'"]),
    ("inf-lon", "a,2022,38,inf\nb,2022,38.0,131.5\n", 2, ["column 'lon'", "'inf'"]),
    ("lat-91", "a,2022,91,131\nb,2022,38.0,131.5\n", 2, ["column 'lat'", "91", "swapped"]),
    ("lon-360.0001", "a,2022,38,360.0001\nb,2022,38.0,131.5\n", 2, ["column 'lon'", "360.0001"]),
    ("decimal-comma-lat", 'a,2022,"38,5",131\nb,2022,38.0,131.5\n', 2, ["column 'lat'", "'38,5'", "38.5"]),
    ("lat-with-E", "a,2022,127°E,38\nb,2022,38.0,131.5\n", 2, ["column 'lat'", "'127°E'", "swapped"]),
    ("lat-only", "a,2022,38,\nb,2022,38.0,131.5\n", 2, ["column 'lon'", "empty"]),
]


@pytest.mark.parametrize(
    ("body", "row", "needles"), [c[1:] for c in ROW_ERRORS], ids=[c[0] for c in ROW_ERRORS]
)
def test_event_row_errors_keep_the_good_rows(tmp_path: Path, body: str, row: int, needles: list[str]) -> None:
    f = tmp_path / "events.csv"
    f.write_text("name,date,lat,lon\n" + body, encoding="utf-8", newline="")
    events, errors, _ = read_events(f)
    assert [e.row for e in errors] == [row], errors
    for n in needles:
        assert n in errors[0].reason, (n, errors[0].reason)
    assert [e.name for e in events] == [n for n in "ab" if n != ("b" if row == 3 else "a")]


def test_the_whole_last_row_with_a_line_break_is_read(tmp_path: Path) -> None:
    f = tmp_path / "events.csv"
    f.write_text("name,date,lat,lon\na,2022,38.0,131.5\nb,2022,38.0,13\n", encoding="utf-8")
    events, errors, _ = read_events(f)
    assert errors == [] and [(e.lat, e.lon) for e in events] == [(38.0, 131.5), (38.0, 13.0)]


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("\ufeffname,date,lat,lon\r\na,2022,38.5,131.25\r\n", 38.5, 131.25),  # BOM and CRLF
        ("name,date,lat,lon\na,2022,38°N,131.25°E\n", 38.0, 131.25),
        ("name,date,lat,lon\na,2022,38.5°S,131.25°W\n", -38.5, -131.25),
        ("name,date,lat,lon\na,2022,−38.5,131.25\n", -38.5, 131.25),  # U+2212 minus
        ("name,date,lat,lon\n\n\na,2022,90,180\n", 90.0, -180.0),  # blank lines, pole, antimeridian
    ],
    ids=["bom-crlf", "degrees-N-E", "degrees-S-W", "unicode-minus", "blank-lines-pole"],
)
def test_event_cells_read_right(tmp_path: Path, text: str, lat: float, lon: float) -> None:
    f = tmp_path / "events.csv"
    f.write_text(text, encoding="utf-8", newline="")
    events, errors, columns = read_events(f)
    assert errors == [] and columns == ["name", "date", "lat", "lon"]
    assert (events[0].lat, events[0].lon) == (lat, lon)
    assert events[0].row == (4 if "\n\n" in text else 2)


def test_a_quoted_cell_over_two_lines_is_one_row(tmp_path: Path) -> None:
    f = tmp_path / "events.csv"
    f.write_text('name,date,lat,lon,note\na,2022,38,131,"two\nlines"\nb,2022,39,132,x\n', encoding="utf-8")
    events, errors, _ = read_events(f)
    assert errors == [] and [(e.row, e.extra["note"]) for e in events] == [(2, "two\nlines"), (3, "x")]


def test_decimal_comma_in_range_is_a_row_error(tmp_path: Path) -> None:
    f = tmp_path / "events.csv"
    f.write_text(
        'name,date,site,range_km\na,2022,Hamhung,"250,5"\nb,2022,Hamhung,"1,380"\n', encoding="utf-8"
    )
    events, errors, _ = read_events(f)
    assert errors == [RowError(2, errors[0].reason)] and "column 'range_km'" in errors[0].reason
    assert "'250,5' has a decimal comma; write 250.5" in errors[0].reason
    assert [(e.row, e.range_km) for e in events] == [(3, "1,380")]


# ---------------------------------------------------------------- events CSV, CLI


def _file(tmp_path: Path, text: str) -> str:
    f = tmp_path / "events.csv"
    f.write_text(text, encoding="utf-8", newline="")
    return str(f)


def test_cli_header_only_with_gpkg_output(tmp_path: Path) -> None:
    out = tmp_path / "x.gpkg"
    r = run_cli(["assess-events", _file(tmp_path, "name,date,lat,lon\n"), "-o", str(out)])
    assert_clear_error(r, "a header and no rows")
    assert not out.exists()


def test_cli_duplicate_columns_json(tmp_path: Path) -> None:
    r = run_cli(["assess-events", _file(tmp_path, "name,date,Lat,LAT,lon\na,2022,38,39,131\n"), "--json"])
    assert_json_error(r, "'Lat' at column 3", "'LAT' at column 4")


def test_cli_unterminated_quote(tmp_path: Path) -> None:
    r = run_cli(["assess-events", _file(tmp_path, 'name,date,lat,lon\n"a,2022,38,131\nb,2022,39,132\n')])
    assert_clear_error(r, "row 2", "never closes")


def test_cli_cut_last_row_is_reported(patched: None, tmp_path: Path) -> None:
    r = run_cli(
        ["assess-events", _file(tmp_path, "name,date,lat,lon\na,2022,40,141\nb,2022,40,14"), "--json"]
    )
    assert r.code == 1, r.err  # a bad (cut) row: exit 1
    d = json.loads(r.out)
    assert d["assessed"] == 1 and [e["row"] for e in d["errors"]] == [3]
    assert "line break" in d["errors"][0]["reason"]


# ---------------------------------------------------------------- CNS database

CNS_HEADER = ["F1", "Date", "Facility Name", "Facility Latitude", "Facility Longitude",
              "Landing Location", "Apogee", "Distance Travelled"]  # fmt: skip
CNS_ROW = ["1", "3-Mar-99", "Range 1", "39.31", "127.21", "Sea of Japan or East Sea", "55 km", "610 km"]


def _cns_csv(
    tmp_path: Path, rows: list[list[str]], *, header: list[str] = CNS_HEADER, end: str = "\r\n"
) -> Path:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([header, *rows])
    f = tmp_path / "cns.csv"
    f.write_text(buf.getvalue().removesuffix("\r\n") + end, encoding="utf-8", newline="")
    return f


def _cns_xlsx(tmp_path: Path, rows: list[list[object]]) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for r in [CNS_HEADER, *rows]:
        book.active.append(r)
    book.save(tmp_path / "cns.xlsx")
    return tmp_path / "cns.xlsx"


def test_cns_header_only_xlsx_and_csv(tmp_path: Path) -> None:
    with pytest.raises(GeoError, match="a header and no rows"):
        read_cns(_cns_xlsx(tmp_path, []))
    with pytest.raises(GeoError, match="a header and no rows"):
        read_cns(_cns_csv(tmp_path, []))


def test_cli_import_cns_header_only_xlsx(tmp_path: Path) -> None:
    out = tmp_path / "x.gpkg"
    r = run_cli(["import-cns", str(_cns_xlsx(tmp_path, [])), "-o", str(out), "--json"])
    assert_json_error(r, "a header and no rows")
    assert not out.exists()


@pytest.mark.parametrize(
    ("header", "needles"),
    [
        ([*CNS_HEADER, "Date"], ["'Date'", "column 2", "column 9"]),
        ([*CNS_HEADER[:3], "FACILITY LATITUDE", *CNS_HEADER[3:]], ["'FACILITY LATITUDE' at column 4"]),
    ],
    ids=["Date-twice", "latitude-in-two-cases"],
)
def test_cns_duplicate_columns(tmp_path: Path, header: list[str], needles: list[str]) -> None:
    with pytest.raises(GeoError) as info:
        read_cns(_cns_csv(tmp_path, [[*CNS_ROW, ""]], header=header))
    for n in needles:
        assert n in str(info.value)


def test_cns_cut_last_row(tmp_path: Path) -> None:
    cut = [*CNS_ROW[:-1], "61"]  # "610 km" cut after "61"
    frame, unparsed = read_cns(_cns_csv(tmp_path, [CNS_ROW, cut], end=""))
    assert frame["row"].tolist() == [2]
    assert [u["row"] for u in unparsed] == [3] and "line break" in unparsed[0]["reason"]


def test_cns_unterminated_quote(tmp_path: Path) -> None:
    f = tmp_path / "cns.csv"
    f.write_text(
        ",".join(CNS_HEADER) + '\r\n1,3-Mar-99,"Range 1,39.31,127.21,Sea,55 km,610 km\r\n', encoding="utf-8"
    )
    with pytest.raises(GeoError, match=r"row 2: a quote opens in cell 3 and never closes"):
        read_cns(f)


@pytest.mark.parametrize(
    ("cell", "value", "needle"),
    [
        (3, "nan", "not a number of degrees"),
        (3, "39,31", "'39,31' has a decimal comma; write 39.31"),
        (7, "610,5 km", "'610,5' has a decimal comma; write 610.5"),
        (7, "inf km", "cannot read distance"),
    ],
    ids=["nan-latitude", "decimal-comma-latitude", "decimal-comma-distance", "inf-distance"],
)
def test_cns_bad_cells(tmp_path: Path, cell: int, value: str, needle: str) -> None:
    bad = list(CNS_ROW)
    bad[cell] = value
    frame, unparsed = read_cns(_cns_csv(tmp_path, [bad, CNS_ROW]))
    assert frame["row"].tolist() == [3]
    assert [u["row"] for u in unparsed] == [2] and needle in unparsed[0]["reason"], unparsed


def test_cns_latin1_is_read_and_said(tmp_path: Path) -> None:
    f = _cns_csv(tmp_path, [[*CNS_ROW[:2], "Musudan-ri (Tonghae) °", *CNS_ROW[3:]]])
    f.write_bytes(f.read_text(encoding="utf-8").encode("latin-1"))
    read = read_cns(f)
    assert read.encoding == "cp1252" and read.frame["facility_name"].tolist() == ["Musudan-ri (Tonghae) °"]


def test_cns_degrees_with_hemisphere_read_right(tmp_path: Path) -> None:
    row = [*CNS_ROW[:3], "39.31°N", "127.21°E", *CNS_ROW[5:]]
    frame, unparsed = read_cns(_cns_csv(tmp_path, [row]))
    assert unparsed == [] and frame[["facility_lat", "facility_lon"]].values.tolist() == [[39.31, 127.21]]
