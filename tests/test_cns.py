"""The CNS missile-test importer: cell parsers, files good and bad, assessment, CLI, the real copy.

Every fixture here is synthetic (made-up tests at made-up facilities); the real CNS copy
is only read, when present, from ../shared/reference.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from _cns_header import CNS_HEADER
from click.testing import CliRunner

from geo._errors import GeoError, MissingExtraError, ParseError
from geo.cli import main
from geo.cns import assess_cns, landing_sector, parse_date, parse_km, read_cns, water_body

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
CNS_CSV = REFERENCE / "cns_missile_tests" / "north_korea_missile_test_database.csv"

HEADER = CNS_HEADER


def _row(i: int, date: str, lat: str, lon: str, landing: str, apogee: str, distance: str) -> list[str]:
    return [str(i), date, "", "", f"Test-{i}", "SRBM", "", f"Range {i}", "Nowhere Province", "",
            lat, lon, landing, apogee, distance, "Confirmed", "Success", "note", "https://example.org"]  # fmt: skip


# Row numbers in the file (header = row 1) are i + 1.
GOOD = [
    _row(1, "3-Mar-99", "39.31", "127.21", "Sea of Japan or East Sea", "55 km", "610 km"),
    _row(2, "Oct-88", "Unknown", "Unknown", "Unknown", "Unknown", "Unknown"),
    _row(3, "2021-06-02", "38.71", "125.31", "Yellow Sea or West Sea", "N/A", "~150"),
    _row(4, "11/7/2020", "40.11", "128.01", "Sea of Japan or East Sea", "between 30 and 60 km", "1,050 km"),
    _row(5, "14-Feb-03", "39.05", "127.41", "", "", "0 km"),
    _row(6, "2-Jan-11", "39.51", "125.81", "Pacific Ocean", "2200 km", "3100 km"),
]
BAD = [
    _row(7, "31-Feb-05", "39.0", "127.0", "Sea of Japan", "50 km", "300 km"),
    _row(8, "5-Jun-07", "39.0", "127.0", "Sea of Japan", "50 km", "410 lm"),
    _row(9, "5-Jun-07", "95.0", "127.0", "Sea of Japan", "50 km", "300 km"),
    _row(10, "5-Jun-07", "39.0", "127.0", "the Moon", "50 km", "300 km"),
]


def _write_csv(path: Path, rows: list[list[str]], *, encoding: str = "utf-8", delimiter: str = ",") -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows([HEADER, *rows])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


# ---------------------------------------------------------------------- cells


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9-Apr-84", ("1984-04-09", "day")),
        ("Sep-84", ("1984-09", "month")),
        ("2017-05-14", ("2017-05-14", "day")),
        ("5/14/2017", ("2017-05-14", "day")),
        ("April 9, 1984", ("1984-04-09", "day")),
        ("1990", ("1990", "year")),
        ("30-Dec-22", ("2022-12-30", "day")),
        ("", (None, "unknown")),
        ("Unknown", (None, "unknown")),
    ],
)
def test_parse_date(text: str, expected: tuple[str | None, str]) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31-Feb-05", "Smarch-84", "last spring", "13/40/2020"])
def test_parse_date_refuses(text: str) -> None:
    with pytest.raises(ParseError, match="Date"):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,380 km", (1380.0, 1380.0)),
        ("950", (950.0, 950.0)),
        ("600-700 km", (600.0, 700.0)),
        ("between 25 and 90 km", (25.0, 90.0)),
        ("~200", (180.0, 220.0)),
        ("100 nm", (185.2, 185.2)),
        ("0 km", (0.0, 0.0)),
        (420.0, (420.0, 420.0)),
        ("Unknown", None),
        ("N/A", None),
        ("", None),
    ],
)
def test_parse_km(text: str | float, expected: tuple[float, float] | None) -> None:
    assert parse_km(text) == expected


@pytest.mark.parametrize("text", ["330 lm", "far", "700-600 km", "-5 km"])
def test_parse_km_refuses_instead_of_guessing(text: str) -> None:
    with pytest.raises(ParseError):
        parse_km(text)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Sea of Japan or East Sea", "sea_of_japan"),
        ("Japan Sea", "sea_of_japan"),
        ("Yellow Sea or West Sea", "yellow_sea"),
        ("Pacific Ocean", "pacific_ocean"),
        ("about 500 km into the Pacific", "pacific_ocean"),
        ("Japan EEZ", "japan_eez"),
        ("Unknown", None),
    ],
)
def test_water_body(text: str, key: str | None) -> None:
    assert water_body(text) == key


def _inside(az: float, start: float, end: float) -> bool:
    return (az - start) % 360.0 <= (end - start) % 360.0


@pytest.mark.parametrize(
    ("lon", "lat", "text", "toward"),
    [
        (127.2, 39.3, "Sea of Japan or East Sea", 90.0),  # east coast: due east is seaward
        (125.3, 38.7, "Yellow Sea or West Sea", 250.0),  # west coast: west-south-west
        (125.8, 39.5, "Pacific Ocean", 100.0),  # across Japan
        (126.0, 39.0, "Japan EEZ", 110.0),
    ],
)
def test_landing_sector_points_to_the_water(lon: float, lat: float, text: str, toward: float) -> None:
    sector = landing_sector(lon, lat, text)
    assert sector is not None
    start, end, _ = sector
    assert _inside(toward, start, end)
    assert not _inside((toward + 180.0) % 360.0, start, end)


def test_landing_sector_toward_a_named_place() -> None:
    sector = landing_sector(127.2, 39.3, "about 300 km off Kamaishi")
    assert sector is not None and sector[2] == "place:Kamaishi"
    assert (sector[1] - sector[0]) % 360.0 == pytest.approx(30.0)


def test_landing_sector_unknown_and_unreadable() -> None:
    assert landing_sector(127.2, 39.3, "N/A") is None
    with pytest.raises(ParseError, match="no known water body"):
        landing_sector(127.2, 39.3, "the Moon")


# ---------------------------------------------------------------------- files


def test_read_cns_parses_good_rows_and_reports_bad(tmp_path: Path) -> None:
    read = read_cns(_write_csv(tmp_path / "cns.csv", GOOD + BAD))
    frame, unparsed = read
    assert read.rows == len(GOOD) + len(BAD)
    assert frame["row"].tolist() == [2, 3, 4, 5, 6, 7]
    assert [u["row"] for u in unparsed] == [8, 9, 10, 11]
    reasons = [u["reason"] for u in unparsed]
    assert "Date" in reasons[0] and "'410 lm'" in reasons[1] and "latitude" in reasons[2]
    assert "the Moon" in reasons[3]
    assert read.encoding == "utf-8"
    by_row = frame.set_index("row")
    assert by_row.loc[4, ["distance_lo_km", "distance_hi_km"]].tolist() == [135.0, 165.0]
    assert by_row.loc[3, "date_precision"] == "month" and by_row.loc[3, "date"] == "1988-10"
    assert by_row["located"].to_dict() == {2: True, 3: False, 4: True, 5: True, 6: False, 7: True}
    assert "facility unknown" in by_row.loc[3, "not_located"]
    assert "0 km" in by_row.loc[6, "not_located"]


def test_cp1252_file_is_read_and_the_encoding_reported(tmp_path: Path) -> None:
    rows = [_row(1, "3-Mar-99", "39.31", "127.21", "Sea of Japan\xa0or East Sea", "55 km", "610 km")]
    rows[0][17] = "bearing 95° from the range"
    read = read_cns(_write_csv(tmp_path / "cns.csv", rows, encoding="cp1252"))
    assert read.encoding == "cp1252"
    assert read.frame["located"].tolist() == [True]


def test_fixing_twice_changes_nothing(tmp_path: Path) -> None:
    first = read_cns(_write_csv(tmp_path / "a.csv", GOOD)).frame
    again = read_cns(_write_csv(tmp_path / "b.csv", GOOD)).frame
    assert first.equals(again)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "empty"),
        (b"   \r\n", "empty"),
        (b"F1;Date;Facility Latitude\r\n1;3-Mar-99;39.3\r\n", "one column"),
        ("Date,Facility Latitude,Facility Longitude\r\n".encode("utf-16"), "UTF-16"),
        (b"name,date,lat,lon\r\nx,2020-01-01,40,140\r\n", "missing column"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "cns.csv"
    path.write_bytes(content)
    with pytest.raises(GeoError, match=match):
        read_cns(path)


def test_semicolon_delimited_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GeoError, match="comma-separated"):
        read_cns(_write_csv(tmp_path / "cns.csv", GOOD, delimiter=";"))


def test_truncated_file_reports_the_cut_row(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "cns.csv", GOOD)
    data = path.read_bytes()
    path.write_bytes(data[: data.rindex(b"Pacific Ocean") + 3])  # cut inside the last row
    frame, unparsed = read_cns(path)
    assert len(frame) == len(GOOD) - 1
    assert unparsed == [{"row": len(GOOD) + 1, "reason": f"13 fields where the header has {len(HEADER)}"}]


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "cns.txt"
    path.write_text("x")
    with pytest.raises(GeoError, match="unknown extension"):
        read_cns(path)


def test_xlsx_reads_like_csv(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for r in [HEADER, *GOOD, *BAD]:
        sheet.append(r)
    sheet["B2"].value = datetime(1999, 3, 3)  # a real date cell
    sheet["K2"].value, sheet["L2"].value = 39.31, 127.21  # numeric cells
    book.save(tmp_path / "cns.xlsx")
    from_xlsx = read_cns(tmp_path / "cns.xlsx")
    from_csv = read_cns(_write_csv(tmp_path / "cns.csv", GOOD + BAD))
    assert from_xlsx.encoding == "xlsx"
    assert from_xlsx.unparsed == from_csv.unparsed
    cols = ["row", "date", "facility_lon", "facility_lat", "distance_lo_km", "azimuth_start_deg", "located"]
    assert from_xlsx.frame[cols].equals(from_csv.frame[cols])


def test_truncated_or_empty_xlsx(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.save(tmp_path / "full.xlsx")
    data = (tmp_path / "full.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    with pytest.raises(GeoError, match="truncated"):
        read_cns(tmp_path / "cut.xlsx")
    (tmp_path / "zero.xlsx").write_bytes(b"")
    with pytest.raises(GeoError, match="empty"):
        read_cns(tmp_path / "zero.xlsx")


def test_xlsx_without_openpyxl_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    (tmp_path / "cns.xlsx").write_bytes(b"PK")
    with pytest.raises(MissingExtraError, match="openpyxl"):
        read_cns(tmp_path / "cns.xlsx")


# ---------------------------------------------------------------------- assessment and CLI


def test_assess_cns_is_reproducible_and_complete(patched: None, tmp_path: Path) -> None:
    frame, _ = read_cns(_write_csv(tmp_path / "cns.csv", GOOD))
    a = assess_cns(frame, n=300, seed=7)
    b = assess_cns(frame.iloc[::-1], n=300, seed=7).sort_values("row").reset_index(drop=True)
    assert a["assessed"].tolist() == frame["located"].tolist()
    p = a[[c for c in a.columns if c.startswith("p_")]]
    done = a["assessed"].to_numpy(bool)
    np.testing.assert_allclose(p[done].sum(axis=1), 1.0)
    assert p[~done].isna().all().all()
    assert a.geometry[~done].isna().all() and a.crs.to_epsg() == 4326
    np.testing.assert_allclose(p.fillna(-1).to_numpy(), b[p.columns].fillna(-1).to_numpy())


def test_the_cli_in_steps_gives_the_layer_of_one_call(
    patched: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geo.cli import cns as cli_cns

    frame, _ = read_cns(_write_csv(tmp_path / "cns.csv", GOOD))
    assert not frame["located"].all() and frame["located"].any()
    one = cli_cns._assess(frame, perspective=None, n=300, seed=7)
    monkeypatch.setattr(cli_cns, "_CHUNK", 1)  # a step per row: some steps locate nothing
    steps = cli_cns._assess(frame, perspective=None, n=300, seed=7)
    assert list(steps.columns) == list(one.columns)  # the same schema, whatever the steps held
    pd.testing.assert_frame_equal(pd.DataFrame(steps), pd.DataFrame(one), check_dtype=False)


def _run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


@pytest.mark.parametrize("suffix", [".csv", ".gpkg"])
def test_cli_json_report_and_output(patched: None, tmp_path: Path, suffix: str) -> None:
    src = _write_csv(tmp_path / "cns.csv", GOOD + BAD)
    out = tmp_path / f"out{suffix}"
    code, stdout, _ = _run("import-cns", str(src), "-o", str(out), "--samples", "200", "--json")
    assert code == 1  # BAD rows: exit 1, the parsed ones assessed and written
    report = json.loads(stdout)
    assert set(report) == {"rows", "parsed", "unparsed", "located", "assessed", "assess_errors", "encoding"}
    assert (report["rows"], report["parsed"], report["located"], report["assessed"]) == (10, 6, 4, 4)
    assert report["assess_errors"] == []  # every located test was assessed
    assert [u["row"] for u in report["unparsed"]] == [8, 9, 10, 11]
    written = gpd.read_file(out) if suffix == ".gpkg" else pd.read_csv(out)
    assert len(written) == 6
    assert {"row", "date", "verdict", "located", "assessed"} <= set(written.columns)
    assert any(c.startswith("p_") for c in written.columns)


def test_cli_text_output_and_bad_output_format(patched: None, tmp_path: Path) -> None:
    src = _write_csv(tmp_path / "cns.csv", GOOD + BAD)
    code, stdout, stderr = _run("import-cns", str(src), "--samples", "100")
    assert code == 1 and "10 rows (utf-8): 6 parsed, 4 located, 4 assessed" in stdout
    assert "row 9:" in stderr
    code, _, stderr = _run("import-cns", str(src), "-o", str(tmp_path / "out.kml"))
    assert code == 2 and "unknown output format" in stderr
    assert not (tmp_path / "out.kml").exists()


def test_cli_empty_file(tmp_path: Path) -> None:
    (tmp_path / "cns.csv").write_bytes(b"")
    code, _, stderr = _run("import-cns", str(tmp_path / "cns.csv"), "--json")
    assert code == 2 and "empty" in stderr


# ---------------------------------------------------------------------- the real copy


@pytest.fixture
def cns_copy() -> Path:
    if not CNS_CSV.is_file():
        pytest.skip(f"the CNS reference copy is not at {CNS_CSV}")
    return CNS_CSV


def test_real_copy_parses_at_least_95_percent(cns_copy: Path) -> None:
    read = read_cns(cns_copy)
    frame, unparsed = read
    assert read.rows == len(frame) + len(unparsed) > 200
    assert len(frame) / read.rows >= 0.95
    assert read.encoding == "cp1252"
    for u in unparsed:
        assert set(u) == {"row", "reason"} and isinstance(u["row"], int) and u["reason"]
    assert frame["date"].notna().all()
    assert frame["located"].sum() >= 100  # about half the tests have a distance and a facility


def test_real_copy_assesses_with_the_bundled_zones(cns_copy: Path) -> None:
    frame, _ = read_cns(cns_copy)
    sample = frame[frame["located"]].head(3)
    layer = assess_cns(sample, n=500, seed=0)
    assert layer["assessed"].all()
    p = layer[[c for c in layer.columns if c.startswith("p_")]]
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
