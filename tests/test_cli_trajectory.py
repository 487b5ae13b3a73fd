"""``geo trajectory`` and ``geo missiles``: the keys and exit codes later checks rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from shapely.geometry import shape

from geo import geodesy
from geo.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_trajectory_json_keys() -> None:
    code, out, _ = run("trajectory", "--apogee-km", "4475", "--range-km", "950", "--json")
    assert code == 0
    d = json.loads(out)
    assert {
        "flight_time_min",
        "burnout_speed_km_s",
        "flight_path_angle_deg",
        "standard_range_km",
        "assumptions",
    } <= (d.keys())
    assert d["flight_time_min"] == pytest.approx(53.0, rel=0.1)  # KCNA: 53 min
    lo, hi = d["standard_range_km"]
    assert lo < 13000 <= hi * 1.2  # D. Wright: > 13,000 km
    assert d["assumptions"]["earth"] == "non-rotating sphere"
    assert d["assumptions"]["burnout_alt_km"] == 200.0


def test_trajectory_with_latitude_and_azimuth_rotates_and_takes_burnout_altitude() -> None:
    code, out, _ = run(
        "trajectory", "--apogee-km", "4475", "--range-km", "950", "--burnout-alt-km", "300",
        "--lat", "39.2", "--azimuth", "90", "--json",
    )  # fmt: skip
    assert code == 0
    a = json.loads(out)["assumptions"]
    assert a["earth"] == "rotating sphere" and a["burnout_alt_km"] == 300.0 and a["azimuth_deg"] == 90.0


def test_trajectory_writes_the_track(tmp_path: Path) -> None:
    out = tmp_path / "track.geojson"
    code, _, err = run(
        "trajectory", "--site", "Sunan", "--azimuth", "75", "--range-km", "950", "--apogee-km", "4475",
        "-o", str(out),
    )  # fmt: skip
    assert code == 0 and "wrote" in err
    fc = json.loads(out.read_text())
    kinds = [f["properties"]["kind"] for f in fc["features"]]
    assert kinds == ["trajectory", "launch", "burnout", "apogee", "impact"]
    line = shape(fc["features"][0]["geometry"])
    assert line.has_z and max(z for _, _, z in line.coords) == pytest.approx(4475e3, rel=1e-4)
    impact = fc["features"][-1]
    lon, lat = impact["geometry"]["coordinates"]
    _, _, d = geodesy.inverse(125.67, 39.2239, lon, lat)
    assert d == pytest.approx(950e3, abs=1.0)
    assert not list(tmp_path.glob(".*.part"))  # atomic write leaves no temporary file


def test_rotating_track_moves_the_impact(tmp_path: Path) -> None:
    paths = [tmp_path / "still.geojson", tmp_path / "turned.geojson"]
    for p, extra in zip(paths, [[], ["--rotating"]], strict=True):
        args = [
            "trajectory",
            "--site",
            "Sunan",
            "--azimuth",
            "90",
            "--range-km",
            "950",
            "--apogee-km",
            "4475",
        ]
        assert run(*args, *extra, "-o", str(p))[0] == 0
    ends = [json.loads(p.read_text())["features"][-1]["geometry"]["coordinates"] for p in paths]
    _, _, d = geodesy.inverse(*ends[0], *ends[1])
    assert d > 100e3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--apogee-km", "0", "--range-km", "900"], "--apogee-km must be positive, got 0 km"),
        (["--apogee-km", "2000", "--range-km", "-5"], "--range-km must be positive, got -5 km"),
        (["--apogee-km", "10", "--range-km", "5000", "--burnout-alt-km", "0"], "too low for --range-km 5000"),
    ],
)
def test_trajectory_bad_input_exits_2(args: list[str], message: str) -> None:
    code, _, err = run("trajectory", *args, "--json")
    assert code == 2 and message in err


def test_trajectory_output_needs_site_and_azimuth(tmp_path: Path) -> None:
    code, _, err = run("trajectory", "--apogee-km", "4475", "--range-km", "950", "-o", str(tmp_path / "x"))
    assert code == 2 and "-o needs a launch site" in err


def test_missiles_list_and_show() -> None:
    code, out, _ = run("missiles", "list", "--json")
    assert code == 0
    names = {m["name"] for m in json.loads(out)}
    assert {"KN-23", "Hwasong-15", "Hwasong-19", "Nodong"} <= names
    code, out, _ = run("missiles", "show", "KN-22", "--json")
    m = json.loads(out)
    assert code == 0 and m["name"] == "Hwasong-15" and m["sources"]


def test_unknown_missile_class_exits_2_with_close_names() -> None:
    code, _, err = run("missiles", "show", "Hwasong-16")
    assert code == 2 and "unknown missile class 'Hwasong-16'" in err and "Hwasong-15" in err


def test_missiles_rings_geojson(tmp_path: Path) -> None:
    out = tmp_path / "rings.geojson"
    code, _, _ = run("missiles", "rings", "Hwasong-12", "--at", "Sunan", "-o", str(out))
    assert code == 0
    fc = json.loads(out.read_text())
    assert [f["properties"]["outer_km"] for f in fc["features"]] == [4500.0, 5000.0]
    assert all(shape(f["geometry"]).is_valid for f in fc["features"])


def test_hwasong_19_json_is_valid_and_says_the_standard_range_is_orbital() -> None:
    """Issue 11 item 10: 7687.5 km apogee, 1001.2 km range (31 Oct 2024) crashed on NaN."""
    code, out, err = run("trajectory", "--apogee-km", "7687.5", "--range-km", "1001.2", "--json")
    assert code == 0, err
    d = json.loads(out)  # strict JSON: no NaN
    assert d["flight_time_min"] == pytest.approx(86, abs=1.0)  # Japan MoD: about 86 min
    assert d["standard_flight_path_angle_deg"] is None  # no minimum-energy trajectory exists
    assert d["standard_range_capped"] == [True, True]
    assert any("circular speed" in n for n in d["assumptions"]["notes"])
    code, text, _ = run("trajectory", "--apogee-km", "7687.5", "--range-km", "1001.2")
    assert code == 0 and "standard range  any point on Earth (orbital speed)" in text
    assert "20,015" not in text


def test_a_standard_test_is_not_capped() -> None:
    code, out, _ = run("trajectory", "--apogee-km", "4475", "--range-km", "950", "--json")
    d = json.loads(out)
    assert code == 0 and d["standard_range_capped"] == [False, False]
    assert d["standard_flight_path_angle_deg"] == pytest.approx(24.6, abs=0.1)
