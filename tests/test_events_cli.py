"""geo assess and geo assess-events on synthetic zones (the bundled zones have their own tests)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner

from geo.cli import main
from geo.events import read_events


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_assess_point_json_keys(patched: None) -> None:
    code, out, _ = run("assess", "--lat", "40", "--lon", "141", "--json")
    assert code == 0, out
    d = json.loads(out)
    assert {
        "location",
        "perspective",
        "zones",
        "eez",
        "probability",
        "distance_to_eez_limit_km",
        "nearest_coast",
    } <= d.keys()
    assert d["eez"] == "JPN" and d["probability"] == {"JPN": 1.0}
    assert d["distance_to_eez_limit_km"]["JPN"] < 0


def test_assess_site_probabilities_and_perspective(patched: None) -> None:
    code, out, _ = run(
        "assess",
        "--site",
        "Hamhung",
        "--range-km",
        "500-700",
        "--azimuth",
        "60:120",
        "--json",
        "--samples",
        "2000",
    )
    assert code == 0, out
    d = json.loads(out)
    assert sum(d["probability"].values()) == pytest.approx(1.0)
    code, _, err = run("assess", "--lat", "40", "--lon", "137", "--perspective", "XYZ")
    assert code == 2 and "unknown perspective 'XYZ'" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--site", "Hamhung", "--range-km", "700-500"], "reversed"),
        (["--site", "Hamhung", "--range-km", "-5"], "--range-km must be positive"),
        (["--site", "Hamhung", "--range-km", "0"], "--range-km 950"),
        (["--site", "Hamhung", "--range-km", "500", "--azimuth", "400"], "within [0, 360]"),
        (["--lat", "40"], "give both --lat and --lon"),
        (["--lat", "40", "--lon", "141", "--text", "x"], "exactly one report"),
    ],
)
def test_assess_bad_input(patched: None, args: list[str], message: str) -> None:
    code, out, err = run("assess", *args)
    assert code == 2
    assert message in err + out


def _csv(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    f = tmp_path / "events.csv"
    f.write_bytes(text.encode(encoding))
    return f


def test_assess_events_keeps_good_rows_and_reports_bad(patched: None, tmp_path: Path) -> None:
    f = _csv(
        tmp_path,
        "Name,Date,Lat,Lon,Site,Range_km,Azimuth_deg,Note\n"
        "a,2022-01-27,40,141,,,,first\n"
        "b,2022-01-27,,,Hamhung,190,30:150,second\n"
        "c,2022-01-28,forty,141,,,,bad number\n"
        "d,2022-01-29,,,Atlantis,100,,bad site\n"
        "e,2022-01-30,,,Hamhung,300-200,,bad range\n",
    )
    out = tmp_path / "out.csv"
    code, stdout, _ = run("assess-events", str(f), "--json", "-o", str(out), "--samples", "500")
    assert code == 1, stdout  # some rows were bad: exit 1, the good ones assessed
    d = json.loads(stdout)
    assert d["rows"] == 5 and d["assessed"] == 2
    assert [e["row"] for e in d["errors"]] == [4, 5, 6]
    assert "column 'Lat': 'forty' is not a number of degrees" in d["errors"][0]["reason"]
    assert "column 'Site': unknown place 'Atlantis'" in d["errors"][1]["reason"]
    assert "column 'Range_km':" in d["errors"][2]["reason"]
    assert d["events"][0]["Note"] == "first"
    assert out.read_text().startswith("row,name,date,Note")


@pytest.mark.parametrize(
    ("text", "encoding", "match"),
    [
        ("", "utf-8", "empty"),
        ("name;date;lat;lon\na;b;1;2\n", "utf-8", "one column"),
        ("name,date,when\na,b,c\n", "utf-8", "missing columns"),
        ("name,date,lat,lon\n奥尻,2022,42,139\n", "shift_jis", "not UTF-8"),
    ],
)
def test_unreadable_event_files(tmp_path: Path, text: str, encoding: str, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        read_events(_csv(tmp_path, text, encoding))


def test_assess_events_gpkg_and_unknown_format(patched: None, tmp_path: Path) -> None:
    f = _csv(tmp_path, "name,date,lat,lon\na,2022,40,141\n")
    code, _, _ = run("assess-events", str(f), "-o", str(tmp_path / "o.gpkg"))
    assert code == 0
    assert gpd.read_file(tmp_path / "o.gpkg").loc[0, "eez"] == "JPN"
    code, _, err = run("assess-events", str(f), "-o", str(tmp_path / "o.xyz"))
    assert code == 2 and "unknown output format" in err
    assert not (tmp_path / "o.xyz").exists()
