"""The command line: names, keys and exit codes that later work relies on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from shapely.geometry import Point, shape

from geo import geodesy, places
from geo.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_places_show_json_keys() -> None:
    code, out, _ = run("places", "show", "okushiri", "--json")
    assert code == 0
    d = json.loads(out)
    assert {"name", "lat", "lon", "kind", "country", "precision_km", "source"} <= d.keys()
    assert d["name"] == "Okushiri Island" and d["country"] == "JPN"


def test_places_list_kind_json() -> None:
    code, out, _ = run("places", "list", "--kind", "launch_site", "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows and {r["kind"] for r in rows} == {"launch_site"}


def test_unknown_place_exits_2_with_candidates() -> None:
    code, _, err = run("places", "show", "Hamhong", "--json")
    assert code == 2
    assert "unknown place 'Hamhong'" in err and "Hamhung" in err


def test_ring_feature_with_area(tmp_path: Path) -> None:
    out = tmp_path / "ring.geojson"
    code, _, _ = run("ring", "--at", "Hamhung", "--radius-km", "13000", "-o", str(out))
    assert code == 0
    feature = json.loads(out.read_text())
    assert feature["type"] == "Feature"
    geom = shape(feature["geometry"])
    assert geom.is_valid and geom.intersects(Point(0, 90))
    assert feature["properties"]["area_km2"] == pytest.approx(370.5005e6, rel=1e-3)


def test_ring_sector_on_stdout() -> None:
    code, out, _ = run(
        "ring",
        "--lat",
        "40",
        "--lon",
        "179.5",
        "--radius-km",
        "1000",
        "--inner-km",
        "200",
        "--azimuth",
        "350:10",
    )
    assert code == 0
    feature = json.loads(out)
    assert feature["properties"]["azimuth_deg"] == [350.0, 10.0]
    assert shape(feature["geometry"]).is_valid


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lat", "91", "--lon", "0", "--radius-km", "10"], "latitude must be within [-90, 90]"),
        (["--lat", "40", "--lon", "0", "--radius-km", "-10"], "--radius-km must be positive, got -10 km"),
        (["--lat", "40", "--lon", "0", "--radius-km", "25000"], "beyond the antipode"),
        (["--lat", "40", "--lon", "0", "--radius-km", "100", "--azimuth", "30:30"], "is empty"),
        (["--lat", "nan", "--lon", "0", "--radius-km", "100"], "finite"),
    ],
)
def test_ring_bad_input(args: list[str], message: str) -> None:
    code, _, err = run("ring", *args)
    assert code == 2
    assert message in err


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--radius-km", "0"], ["--radius-km must be positive, got 0 km", "e.g. --radius-km 190"]),
        (["--radius-km", "-5", "--azimuth", "10:50"], ["--radius-km must be positive, got -5 km"]),
        (["--radius-km", "inf"], ["--radius-km must be a finite number of km, got inf"]),
        (["--radius-km", "20010"], ["--radius-km 20010 reaches beyond the antipode", "20,003.9 km away"]),
        (
            ["--radius-km", "20000"],
            ["--radius-km 20000", "within 3.9 km of the antipode", "smaller --radius-km"],
        ),
        (
            ["--radius-km", "100", "--inner-km", "100"],
            ["--inner-km 100 must be smaller than --radius-km 100"],
        ),
        (["--radius-km", "100", "--inner-km", "-1"], ["--inner-km must be zero or positive, got -1 km"]),
        (["--radius-km", "100", "--tolerance-m", "0"], ["--tolerance-m must be positive, got 0 m"]),
    ],
    ids=["zero", "negative-sector", "inf", "past-antipode", "cut-locus", "inner-equal", "inner-neg", "tol-0"],
)
def test_ring_refuses_in_the_users_km_and_options(args: list[str], needles: list[str]) -> None:
    """Issue 11 item 9: not 'radius_m=...', not metres, not '180 deg to the azimuth'."""
    code, _, err = run("ring", "--lat", "40", "--lon", "134", *args)
    assert code == 2 and err.count("\n") == 1, err
    for n in needles:
        assert n in err
    assert "radius_m" not in err and "metres" not in err and "azimuth" not in err


def test_places_group_holds_only_its_own_commands() -> None:
    code, out, _ = run("places", "--help")
    assert code == 0 and "trajectory" not in out and "assess" not in out
    code, _, err = run("places", "trajectory", "--apogee-km", "4475", "--range-km", "950")
    assert code == 2 and "No such command 'trajectory'" in err


def test_ring_refuses_two_centres() -> None:
    code, _, err = run("ring", "--at", "Hamhung", "--lat", "1", "--lon", "1", "--radius-km", "1")
    assert code == 2 and "not both" in err


def test_locate_json_keys_and_accuracy() -> None:
    code, out, _ = run("locate", "about 250 km west of Okushiri Island", "--json")
    assert code == 0
    d = json.loads(out)
    assert {"lat", "lon", "region", "place", "distance_km", "bearing_deg"} <= d.keys()
    ok = places.lookup("Okushiri Island")
    lon, lat, _ = geodesy.GEOD.fwd(ok.lon, ok.lat, 270.0, 250_000.0)
    _, _, miss = geodesy.GEOD.inv(d["lon"], d["lat"], lon, lat)
    assert miss < 100.0
    assert d["distance_km"] == [225.0, 275.0]
    assert shape(d["region"]).is_valid


def test_locate_structured_form() -> None:
    code, out, _ = run(
        "locate", "--from", "Cape Tappi", "--distance-km", "300-350", "--bearing", "WNW", "--json"
    )
    assert code == 0
    assert json.loads(out)["bearing_deg"] == [281.25, 303.75]


def test_locate_unparseable_text() -> None:
    code, _, err = run("locate", "it fell somewhere", "--json")
    assert code == 2 and "cannot read 'it fell somewhere'" in err


def test_console_script_and_version() -> None:
    exe = Path(sys.executable).with_name("geo")
    result = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    assert "geo, version" in result.stdout


def test_import_geo_is_light() -> None:
    code = (
        "import sys, geo; import geo.places, geo.relative, geo.cli; "
        "heavy = {'folium', 'matplotlib', 'dask', 'geopandas', 'pandas'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_output_file_gets_ordinary_permissions_and_no_leftovers(tmp_path: Path) -> None:
    out = tmp_path / "r.geojson"
    code, _, _ = run("ring", "--lat", "40", "--lon", "130", "--radius-km", "10", "-o", str(out))
    assert code == 0
    assert out.stat().st_mode & 0o044  # readable by group/others under a usual umask
    assert [p.name for p in tmp_path.iterdir()] == ["r.geojson"]


def test_failed_write_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "r.geojson"
    code, _, err = run("ring", "--lat", "95", "--lon", "130", "--radius-km", "10", "-o", str(out))
    assert code == 2 and "latitude" in err
    assert list(tmp_path.iterdir()) == []
