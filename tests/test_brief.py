"""geo brief: one event's folder (brief.md, brief.json, map, figure, GeoPackage, KMZ), and examples/05."""

from __future__ import annotations

import importlib.util
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from geo.brief import FILES, BriefFolderError, make_brief, md_cell, write_brief
from geo.cli import main

REPO = Path(__file__).resolve().parents[1]
HAMHUNG = ["--site", "Hamhung", "--range-km", "190", "--azimuth", "30:150", "--perspective", "JPN"]
JAN11 = [  # Japan (< about 700 km), the JCS (about 700 km), KCNA (1,000 km): SOURCES.md
    "Chonchon County: 0-700 km, azimuth 45:135",
    "Chonchon County: about 700 km, azimuth 45:135",
    "Chonchon County: 1000 km, azimuth 45:135",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a | b", "a \\| b"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("two\nlines", "two lines"),
        ("[link](http://x)", "\\[link\\](http://x)"),
        ("osm_land", "osm\\_land"),
    ],
)
def test_md_cell_escapes_markdown_and_html(text: str, expected: str) -> None:
    assert md_cell(text) == expected


def _brief(tmp_path: Path, *args: str, code: int = 0) -> tuple[Path, dict[str, Any], str]:
    out = tmp_path / "brief"
    res = CliRunner().invoke(main, ["brief", *args, "--samples", "2000", "-o", str(out)])
    assert res.exit_code == code, res.output
    return out, json.loads((out / "brief.json").read_text()), (out / "brief.md").read_text()


@pytest.mark.slow
def test_brief_folder_holds_every_file_and_the_same_numbers(tmp_path: Path) -> None:
    out, data, md = _brief(tmp_path, *HAMHUNG)
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no scratch left
    a = data["assessment"]
    # JCS: 190 km from Hamhung, fired into the East Sea: nowhere near Japan's EEZ
    assert a["probability"].get("JPN", 0.0) == 0.0 and a["eez"] == "PRK"
    for k, p in a["probability"].items():  # brief.md's table carries brief.json's numbers
        assert f"| {md_cell(k)} | {p:.3f} | {a['probability_standard_error'][k]:.3f} |" in md
    for country, d in a["distance_to_eez_limit_km"].items():
        assert f"| {country} | {abs(d):.1f} | {'inside' if d < 0 else 'outside'} |" in md
    assert data["provenance"]["zones_region"] == "nwpacific" and "WGS84" in data["provenance"]["geodesy"]
    assert (out / "figure.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (out / "map.html").read_text()
    assert "Hamhung" in html and "https://unpkg" not in html  # offline
    with zipfile.ZipFile(out / "layers.kmz") as z:
        assert "doc.kml" in z.namelist()
    import pyogrio

    layers = {name for name, _ in pyogrio.list_layers(out / "layers.gpkg")}
    assert {"sites", "impacts", "regions"} <= layers


@pytest.mark.slow
def test_brief_escapes_user_text_in_markdown_and_html(tmp_path: Path) -> None:
    hostile = "<script>alert('x')</script> | col"
    out, data, md = _brief(
        tmp_path, "--report", "Hamhung: 190 km, azimuth 30:150", "--source", hostile, "--title", hostile
    )
    assert data["reports"][0]["source"] == hostile  # the JSON keeps the text as given
    assert "<script>" not in md and "<script>alert" not in (out / "map.html").read_text()
    row = next(line for line in md.splitlines() if line.startswith("| 1 |"))
    assert row.count(" | ") == 6  # seven cells: the pipe in the source did not add one


def test_reports_that_cannot_all_be_true_are_a_stated_result() -> None:
    b = make_brief(JAN11, n=2000, seed=0)  # KCNA's 1,000 km meets neither Japan's nor the JCS's range
    data, md = b.to_dict(), b.markdown()
    assert b.empty and data["assessment"] is None and data["combined"]["empty"]
    assert any("reports [1] and [3] cannot both be true" in f for f in data["combined"]["flags"])
    assert "NOTHING LEFT" in md and "cannot both be true" in md


@pytest.mark.slow
def test_a_statement_that_excludes_everything_is_stated(tmp_path: Path) -> None:
    out, data, md = _brief(tmp_path, *HAMHUNG, "--given", "inside JPN eez", code=1)
    assert data["empty"] and data["conditioned"]["excluded_share"] == 1.0
    assert "NOTHING LEFT" in md and "Probabilities (the prior" in md
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)  # written like any other brief


def test_folder_with_files_is_refused_unless_force(tmp_path: Path) -> None:
    out = tmp_path / "brief"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    res = CliRunner().invoke(main, ["brief", *HAMHUNG, "-o", str(out)])
    assert res.exit_code == 2 and "not empty" in res.output and "--force" in res.output
    assert (out / "keep.txt").read_text() == "mine"
    file = tmp_path / "file.txt"
    file.write_text("x")
    res = CliRunner().invoke(main, ["brief", *HAMHUNG, "-o", str(file)])
    assert res.exit_code == 2 and "is a file" in res.output


def test_write_brief_refuses_without_force_and_keeps_the_old_folder(tmp_path: Path) -> None:
    b = make_brief(point=(129.75, 39.90), perspective="JPN")
    out = tmp_path / "b"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with pytest.raises(BriefFolderError, match="not empty"):
        write_brief(b, out)
    assert (out / "old.txt").exists()


@pytest.mark.slow
def test_force_replaces_the_folder_whole(tmp_path: Path) -> None:
    b = make_brief(point=(129.75, 39.90), given=["outside JPN eez"], perspective="JPN")
    out = tmp_path / "b"
    out.mkdir()
    (out / "old.txt").write_text("old")
    write_brief(b, out, force=True)
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert b.given == [
        {"text": "outside JPN eez", "inside": False, "country": "JPN", "kind": "eez", "holds": True}
    ]
    assert "outside JPN eez: holds" in (out / "brief.md").read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--report", "Hamhung: 190 km", "--source", "a", "--source", "b"], "one source per report"),
        (["--report", "fell west of Okushiri Island"], "cannot read"),  # a report with no number
        (["--lat", "40"], "give both --lat and --lon"),
        ([*HAMHUNG, "--report", "Hamhung: 190 km"], "either all as --report"),
        (["--report", "Hamhung: 190 km", "--given", "outside JPN shelf"], "unknown zone kind"),
    ],
)
def test_bad_input_is_refused_before_any_file(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "brief"
    res = CliRunner().invoke(main, ["brief", *args, "--samples", "500", "-o", str(out)])
    assert res.exit_code == 2 and message in res.output, res.output
    assert not out.exists()


@pytest.mark.slow
def test_05_analyst_hour(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("analyst_hour", REPO / "examples" / "05_analyst_hour.py")
    assert spec and spec.loader
    ex = importlib.util.module_from_spec(spec)
    sys.modules["analyst_hour"] = ex
    spec.loader.exec_module(ex)
    assert ex.main(["--out", str(tmp_path), "--samples", "2000"]) == 0
    text = (tmp_path / "analyst_hour.md").read_text()
    assert "refused (NoAreaError)" in text  # the DPRK 2012 notice: no hemisphere letters
    assert "refused (ParseError): cannot read 'fell west of Okushiri Island'" in text
    assert "Japan + JCS + KCNA: empty True" in text and "cannot both be true" in text
    assert "excludes everything" in text and "empty True, excluded 1.000" in text
    # Japan's "outside" leaves for 11 and 30 January only the northern azimuths (towards Russia)
    jan = [line for line in text.splitlines() if line.startswith("| 2022-01-")]
    assert len(jan) == 3 and all("RUS" in line for line in jan)
    assert "Oshima-Oshima, 180-220 km; condition 'inside JPN eez'" in text
    assert "launched from Hamhung" in text
    brief = json.loads((tmp_path / "brief_2023-02-18" / "brief.json").read_text())
    assert brief["conditioned"]["excluded_share"] < 0.01  # Japan's "inside" agrees with the two numbers
    assert [r["source"].startswith("https://") for r in brief["reports"]] == [True, True]
    # the azimuths left are measured from Sunan; the kept samples all lie on them
    assert sum(a["mass"] for a in brief["conditioned"]["azimuths_left"]) == pytest.approx(1.0)
