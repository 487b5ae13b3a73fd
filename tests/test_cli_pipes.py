"""A CLI that pipes: ``-`` for stdin and stdout, exit codes 0/1/2, one-line usage errors,
progress bars only on a terminal, and a runnable example in every ``--help``.

The acceptance pipe of issue #12 runs through a real shell with the venv's ``geo``; the
other cases run in-process (most against the synthetic zones of ``patched``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import click
import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from _cns_header import CNS_HEADER
from bad_input.conftest import assert_clear_error, assert_json_error, run_cli
from shapely.geometry import Point, shape

from geo.cli import EXAMPLES, main

REPO = Path(__file__).resolve().parents[1]
JANUARY = REPO / "examples" / "data" / "january_2022.csv"
GEO = Path(sys.executable).with_name("geo")

GOOD = "name,date,lat,lon\na,2022-01-27,40.0,141.0\nb,2022-01-28,40.2,134.5\n"
ONE_BAD = "name,date,lat,lon\na,2022-01-27,40.0,141.0\nb,2022-01-28,forty,134.5\nc,2022-01-29,40.2,134.5\n"
ALL_BAD = "name,date,lat,lon\na,2022-01-27,forty,141.0\nb,2022-01-28,40.2,\n"

def _cns(*rows: tuple[str, str, str]) -> str:
    """A CNS CSV of made-up tests: (date, facility latitude, distance travelled) each."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CNS_HEADER)
    for i, (date, lat, distance) in enumerate(rows, start=1):
        w.writerow([str(i), date, "", "", f"Test-{i}", "SRBM", "", f"Range {i}", "Nowhere", "", lat, "127.21",
                    "Sea of Japan or East Sea", "55 km", distance, "Confirmed", "Success", "note", "https://example.org"])  # fmt: skip
    return buf.getvalue()


CNS_GOOD = _cns(("3-Mar-99", "39.31", "610 km"), ("5-Jun-07", "39.0", "300 km"))
CNS_ONE_BAD = _cns(("3-Mar-99", "39.31", "610 km"), ("5-Jun-07", "39.0", "410 lm"))
CNS_ALL_BAD = _cns(("31-Feb-05", "39.0", "300 km"), ("5-Jun-07", "95.0", "300 km"))


# ---------------------------------------------------------------------- the acceptance pipe


def _shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{GEO.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_acceptance_pipe_through_a_real_shell() -> None:
    """``cat events | geo assess-events - --json | python -c 'json.load'`` (issue #12's acceptance)."""
    check = "import json,sys; d=json.load(sys.stdin); print(d['rows'], d['assessed'], len(d['errors']))"
    r = _shell(
        f"cat examples/data/january_2022.csv | geo assess-events - --json | {shlex.quote(sys.executable)} "
        f"-c {shlex.quote(check)}",
        REPO,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["11", "11", "0"]
    assert r.stderr == ""  # no progress bar and no message on a pipe


def test_pipes_chain_in_a_real_shell(tmp_path: Path) -> None:
    """CSV from one geo to the next: assess-events on stdin, the table on stdout, read by pandas."""
    r = _shell(
        f"geo assess-events - -o - < {shlex.quote(str(JANUARY))} > table.csv && geo ring --at Hamhung "
        "--radius-km 500 -o - > ring.geojson",
        tmp_path,
    )
    assert r.returncode == 0, r.stderr
    table = pd.read_csv(tmp_path / "table.csv")
    assert len(table) == 11 and {"row", "name", "lat", "lon", "verdict"} <= set(table.columns)
    assert json.loads((tmp_path / "ring.geojson").read_text())["type"] == "Feature"
    assert not (tmp_path / "-").exists()


# ---------------------------------------------------------------------- stdin and stdout per command


def test_assess_events_stdin_gives_the_report_of_the_file(patched: None, tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text(GOOD)
    by_file = run_cli(["assess-events", str(tmp_path / "e.csv"), "--json", "--samples", "200"])
    by_pipe = run_cli(["assess-events", "-", "--json", "--samples", "200"], stdin=GOOD)
    assert by_file.code == by_pipe.code == 0
    assert json.loads(by_pipe.out) == json.loads(by_file.out)


def test_assess_events_names_stdin_in_file_errors(patched: None) -> None:
    assert_clear_error(run_cli(["assess-events", "-"], stdin=""), "<stdin>", "empty")


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_assess_events_table_on_stdout(patched: None, fmt: str) -> None:
    args = ["assess-events", "-", "-o", "-", *(["--format", fmt] if fmt != "csv" else [])]
    r = run_cli(args, stdin=GOOD)
    assert r.code == 0, r.err
    if fmt == "csv":
        table = pd.read_csv(io.StringIO(r.out))
        assert list(table["name"]) == ["a", "b"] and list(table["lon"]) == [141.0, 134.5]
    else:
        fc = json.loads(r.out)
        assert [f["geometry"]["coordinates"] for f in fc["features"]] == [[141.0, 40.0], [134.5, 40.2]]
        assert fc["features"][0]["properties"]["verdict"] == "JPN"
    assert "2022-01-27" not in r.err  # the human table is left out, not sent to stderr instead


def test_assess_events_geojson_file(patched: None, tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_text(GOOD)
    r = run_cli(["assess-events", str(tmp_path / "e.csv"), "-o", str(tmp_path / "a.geojson")])
    assert r.code == 0, r.err
    gdf = gpd.read_file(tmp_path / "a.geojson")
    assert list(gdf["name"]) == ["a", "b"] and gdf.geometry.iloc[0].equals(Point(141.0, 40.0))


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["-o", "-", "--format", "gpkg"], ("GeoPackage", "stdout", "--format csv")),
        (["-o", "-", "--json"], ("-o -", "--json", "stdout")),
        (["-o", "x.csv", "--format", "geojson"], ("--format geojson", "x.csv")),
        (["--format", "csv"], ("--format csv", "-o")),
        (["-o", "x.kml"], (".kml", ".geojson")),
    ],
    ids=["gpkg_to_stdout", "json_and_stdout", "format_against_suffix", "format_without_output", "kml"],
)
def test_assess_events_output_refusals(patched: None, args: list[str], needles: tuple[str, ...]) -> None:
    assert_clear_error(run_cli(["assess-events", "-", *args], stdin=GOOD), *needles)


def test_ring_on_stdout_writes_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = run_cli(["ring", "--lat", "40", "--lon", "135", "--radius-km", "100", "-o", "-"])
    assert r.code == 0, r.err
    assert shape(json.loads(r.out)["geometry"]).contains(Point(135, 40))
    assert list(tmp_path.iterdir()) == []  # before: a file named '-'


def test_missiles_rings_on_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = run_cli(["missiles", "rings", "Hwasong-15", "--at", "Sunan", "-o", "-"])
    assert r.code == 0, r.err
    assert json.loads(r.out)["type"] == "FeatureCollection"
    assert list(tmp_path.iterdir()) == []


def test_trajectory_track_on_stdout_summary_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["trajectory", "--apogee-km", "6000", "--range-km", "1000", "--site", "Sunan", "--azimuth", "90"]
    r = run_cli([*args, "-o", "-"])
    assert r.code == 0, r.err
    kinds = [f["properties"]["kind"] for f in json.loads(r.out)["features"]]
    assert kinds == ["trajectory", "launch", "burnout", "apogee", "impact"]
    assert "flight time" in r.err and list(tmp_path.iterdir()) == []
    assert_clear_error(run_cli([*args, "-o", "-", "--json"]), "-o -", "--json")


def test_map_html_on_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = run_cli(["map", "--site", "Hamhung", "--rings-km", "300", "--no-zones", "--offline", "-o", "-"])
    assert r.code == 0, r.err
    assert r.out.lstrip().lower().startswith("<!doctype html>") and "Hamhung" in r.out
    assert list(tmp_path.iterdir()) == []


def test_map_events_from_stdin(tmp_path: Path) -> None:
    r = run_cli(
        ["map", "--events", "-", "--no-zones", "--offline", "-o", str(tmp_path / "m.html")], stdin=GOOD
    )
    assert r.code == 0, r.err
    assert "2022-01-28" in (tmp_path / "m.html").read_text()


@pytest.mark.parametrize(
    ("fmt", "magic"), [(None, b"\x89PNG\r\n\x1a\n"), ("svg", b"<?xml"), ("pdf", b"%PDF")]
)
def test_figure_bytes_on_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str | None, magic: bytes
) -> None:
    from click.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    args = ["figure", "--site", "Hamhung", "--rings-km", "300", "--no-zones", "--dpi", "50", "-o", "-"]
    r = CliRunner().invoke(main, [*args, *(["--format", fmt] if fmt else [])])
    assert r.exit_code == 0, r.stderr
    assert r.stdout_bytes.startswith(magic)
    assert list(tmp_path.iterdir()) == []  # nor a scratch file


def test_import_cns_from_stdin(patched: None, tmp_path: Path) -> None:
    (tmp_path / "cns.csv").write_text(CNS_GOOD)
    by_file = run_cli(["import-cns", str(tmp_path / "cns.csv"), "--json", "--samples", "50"])
    by_pipe = run_cli(["import-cns", "-", "--json", "--samples", "50"], stdin=CNS_GOOD)
    assert by_file.code == by_pipe.code == 0, by_pipe.err
    assert json.loads(by_pipe.out) == json.loads(by_file.out)
    assert json.loads(by_pipe.out)["assessed"] == 2
    table = run_cli(["import-cns", "-", "-o", "-", "--samples", "50"], stdin=CNS_GOOD)
    assert table.code == 0 and len(pd.read_csv(io.StringIO(table.out))) == 2
    assert "2 rows (utf-8)" in table.err  # the summary moves to stderr


def test_import_cns_names_stdin_in_file_errors() -> None:
    r = run_cli(["import-cns", "-"], stdin="F1,Date\n1,2\n")
    assert_clear_error(r, "<stdin>")
    assert "geo-stdin-" not in r.err  # never the scratch copy's name


# ---------------------------------------------------------------------- exit status of catalogues


@pytest.mark.parametrize(
    ("text", "extra", "code", "assessed"),
    [
        (GOOD, [], 0, 2),
        (ONE_BAD, [], 1, 2),
        (ONE_BAD, ["--keep-going"], 1, 2),
        (ALL_BAD, [], 1, 0),
    ],
    ids=["all_good", "one_bad", "one_bad_keep_going", "all_bad"],
)
def test_assess_events_exit_status(
    patched: None, tmp_path: Path, text: str, extra: list[str], code: int, assessed: int
) -> None:
    out = tmp_path / "a.csv"
    r = run_cli(["assess-events", "-", "--json", "-o", str(out), *extra], stdin=text)
    assert r.code == code, r.err
    report = json.loads(r.out)
    assert report["assessed"] == assessed and len(report["errors"]) == report["rows"] - assessed
    assert len(pd.read_csv(out)) == assessed  # the good rows are written all the same
    for e in report["errors"]:
        assert f"row {e['row']}: " in r.err


def test_assess_events_strict_stops_at_the_first_bad_row(patched: None, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    r = run_cli(["assess-events", "-", "--strict", "-o", str(out)], stdin=ONE_BAD)
    assert r.code == 1 and r.err.startswith("error: <stdin>: row 3: column 'lat'"), r.err
    assert "--strict" in r.err and not out.exists()
    j = run_cli(["assess-events", "-", "--strict", "--json"], stdin=ONE_BAD)
    assert j.code == 1 and json.loads(j.out)["error"]["type"] == "BadRowsError"
    assert run_cli(["assess-events", "-", "--strict"], stdin=GOOD).code == 0


def test_assess_events_bad_invocation_is_2(patched: None) -> None:
    assert_clear_error(run_cli(["assess-events", "-", "--samples", "x"], stdin=GOOD), "--samples", "'x'")
    assert_clear_error(run_cli(["assess-events", "-"], stdin="name;date;lat;lon\na;b;1;2\n"), "comma")


@pytest.mark.parametrize("suffix", [".gpkg", ".csv", ".geojson"])
def test_assess_events_every_row_bad_writes_an_empty_layer(
    patched: None, tmp_path: Path, suffix: str
) -> None:
    """Before: a KeyError on 'lon' (a traceback) for .gpkg; now the columns and no rows, exit 1."""
    out = tmp_path / f"a{suffix}"
    r = run_cli(["assess-events", "-", "-o", str(out)], stdin=ALL_BAD)
    assert r.exception is None and r.code == 1, r.err
    assert "row 2:" in r.err and "row 3:" in r.err
    table = gpd.read_file(out) if suffix != ".csv" else pd.read_csv(out)
    assert len(table) == 0
    if suffix != ".geojson":  # a GeoJSON FeatureCollection without features has no columns to keep
        assert {"row", "name", "date", "lat", "lon", "verdict"} <= set(table.columns)
    if suffix == ".gpkg":
        assert pyogrio.read_info(out)["geometry_type"] == "Point"


def test_import_cns_exit_status(patched: None, tmp_path: Path) -> None:
    assert run_cli(["import-cns", "-", "--samples", "50"], stdin=CNS_GOOD).code == 0
    r = run_cli(["import-cns", "-", "--samples", "50", "--json"], stdin=CNS_ONE_BAD)
    assert r.code == 1 and json.loads(r.out)["assessed"] == 1 and "row 3:" in r.err
    s = run_cli(["import-cns", "-", "--strict", "-o", str(tmp_path / "x.csv")], stdin=CNS_ONE_BAD)
    assert s.code == 1 and "row 3" in s.err and "--strict" in s.err and not (tmp_path / "x.csv").exists()


def test_import_cns_every_row_unparsed_writes_an_empty_layer(patched: None, tmp_path: Path) -> None:
    """Before: the same KeyError on 'lon' through _write; now an empty layer with the CNS columns."""
    out = tmp_path / "cns.gpkg"
    r = run_cli(["import-cns", "-", "-o", str(out)], stdin=CNS_ALL_BAD)
    assert r.exception is None and r.code == 1, r.err
    layer = gpd.read_file(out)
    assert len(layer) == 0 and {"row", "date", "located", "assessed"} <= set(layer.columns)


# ---------------------------------------------------------------------- usage errors in one line


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (
            ["ring", "--lat", "38,5", "--lon", "135", "--radius-km", "10"],
            ("'--lat'", "'38,5'", "geo ring --help"),
        ),
        (["ring", "--lat", "38"], ("--radius-km", "geo ring --help")),
        (["assess", "--samples", "many"], ("--samples", "'many'", "geo assess --help")),
        (["figure", "--dpi", "high", "-o", "x.png"], ("--dpi", "'high'", "geo figure --help")),
        (["places", "show"], ("NAME", "geo places show --help")),
        (["missiles", "rings", "Hwasong-15", "--bogus"], ("--bogus", "geo missiles rings --help")),
        (["assess-events", "no-such.csv"], ("no-such.csv", "geo assess-events --help")),
        (["trajectory", "--apogee-km", "1e3", "--range-km", "x"], ("--range-km", "'x'")),
        (["no-such-command"], ("no-such-command", "geo --help")),
        (["--no-such-option"], ("--no-such-option", "geo --help")),
    ],
    ids=lambda v: "_".join(v)[:40] if isinstance(v, list) else None,
)
def test_usage_errors_are_one_line(args: list[str], needles: tuple[str, ...]) -> None:
    """Before: click's three-line usage text; now one ``error:`` line naming the value and the help."""
    r = run_cli(args)
    assert "Usage:" not in r.err
    assert_clear_error(r, *needles)
    obj = assert_json_error(run_cli([*args, "--json"]), *needles)
    assert obj["type"] in {"BadParameter", "MissingParameter", "NoSuchOption", "NoSuchCommand", "UsageError"}


def test_help_and_bare_groups_keep_clicks_behaviour() -> None:
    r = run_cli(["ring", "--help"])
    assert r.code == 0 and r.out.startswith("Usage: ") and r.err == ""
    bare = run_cli(["places"])
    assert bare.code == 2 and "Usage: " in bare.out + bare.err and "show" in bare.out + bare.err


# ---------------------------------------------------------------------- option checks in km


@pytest.mark.parametrize("command", ["map", "figure", "export"])
@pytest.mark.parametrize(
    ("rings", "needles"),
    [
        ("0", ("--rings-km", "positive", "0 km", "--rings-km 1000,3000")),
        ("-3", ("--rings-km", "positive", "-3 km")),
        ("20000", ("--rings-km 20000", "antipode", "km", "smaller --rings-km")),
        ("21000", ("--rings-km 21000", "beyond the antipode", "km")),
    ],
    ids=["zero", "negative", "cut_locus", "beyond_antipode"],
)
def test_rings_km_named_in_km(tmp_path: Path, command: str, rings: str, needles: tuple[str, ...]) -> None:
    """Before: 'a range ring must be a positive number of km, got 0.0' and a message in metres."""
    suffix = {"map": ".html", "figure": ".png", "export": ".geojson"}[command]
    r = run_cli(
        [
            command,
            "--site",
            "Hamhung",
            f"--rings-km={rings}",
            "--no-zones",
            "-o",
            str(tmp_path / f"x{suffix}"),
        ]
    )
    assert_clear_error(r, *needles)
    assert not (tmp_path / f"x{suffix}").exists()


@pytest.mark.parametrize(
    ("range_km", "needles"),
    [
        ("-5", ("--range-km must be positive", "'-5'", "--range-km 950")),
        ("0", ("--range-km must be positive", "'0'", "--range-km 950")),
    ],
    ids=["negative", "zero"],
)
def test_assess_range_km_must_be_positive(range_km: str, needles: tuple[str, ...]) -> None:
    """Before: "cannot read range '-5'" and, for 0, no fix."""
    assert_clear_error(run_cli(["assess", "--site", "Hamhung", f"--range-km={range_km}"]), *needles)


# ---------------------------------------------------------------------- progress bars


def test_no_progress_output_off_a_terminal(patched: None) -> None:
    """Before: click's progressbar printed its label 'assessing' on a pipe."""
    r = run_cli(["assess-events", "-", "--json"], stdin=GOOD)
    assert r.code == 0 and r.err == ""


def test_progress_bar_on_a_terminal(patched: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.cli import progress as _progress

    monkeypatch.setattr(_progress, "on_terminal", lambda: True)
    r = run_cli(["assess-events", "-", "-o", "-"], stdin=GOOD)
    assert r.code == 0
    # A bar counting the 2 events (tqdm redraws at most every 0.1 s, so the count may stay at 0/2).
    assert "assessing" in r.err and "/2 " in r.err
    assert "assessing" not in r.out  # the data on stdout stays clean


def test_progress_bar_on_cns_steps(patched: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """In steps of ten rows, with the same answer as one call of assess_cns."""
    from geo.cli import cns as _cli_cns
    from geo.cli import progress as _progress

    monkeypatch.setattr(_cli_cns, "_CHUNK", 10)  # the real step (500 rows) would make this one step
    many = _cns(*[("3-Mar-99", f"{39 + i / 100:.2f}", f"{300 + 10 * i} km") for i in range(23)])
    plain = run_cli(["import-cns", "-", "-o", "-", "--samples", "20"], stdin=many)
    monkeypatch.setattr(_progress, "on_terminal", lambda: True)
    barred = run_cli(["import-cns", "-", "-o", "-", "--samples", "20"], stdin=many)
    assert plain.code == barred.code == 0
    # 3 steps of at most 10 rows, and the same table as without a bar.
    assert plain.out == barred.out and "assessing" in barred.err and "/3 " in barred.err
    from geo.cns import assess_cns, read_cns

    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"geo-test-cns-{os.getpid()}.csv"
    path.write_text(many)
    try:
        whole = assess_cns(read_cns(path).frame, n=20, seed=0)
    finally:
        path.unlink()
    steps = pd.read_csv(io.StringIO(plain.out))
    assert list(steps["verdict"]) == list(whole["verdict"])
    assert steps["lon"].to_numpy() == pytest.approx(whole["lon"].to_numpy())


# ---------------------------------------------------------------------- an example in every --help


def _commands(
    command: click.Command = main, path: tuple[str, ...] = ()
) -> dict[tuple[str, ...], click.Command]:
    """Every command and group under ``geo``, by path (loaded as the CLI loads them)."""
    out = {path: command}
    if isinstance(command, click.Group):
        ctx = click.Context(command, info_name=" ".join(("geo", *path)))
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None
            out.update(_commands(sub, (*path, name)))
    return out


COMMANDS = _commands()
#: Examples that take minutes or the zone build's tools: parsed, not run.
PARSED_ONLY = (
    "geo warning",  # reads a warning text of the user's (tests/test_warnings.py runs the command)
    "geo brief",  # a map, a figure and three files (tests/test_brief.py and test_05_analyst_hour run it)
    "geo boundaries build",
    "geo boundaries import",  # reads a Marine Regions download
    "geo map",
    "geo figure",
    "geo export",
    "geo boundaries export --layer eez",
)


def _examples(path: tuple[str, ...]) -> list[str]:
    r = run_cli([*path, "--help"])
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() in {"Example:", "Examples:"}]
    assert starts, f"'geo {' '.join(path)} --help' has no Example section"
    return [line.strip() for line in lines[starts[-1] + 1 :] if line.strip().startswith(("geo ", "cat "))]


@pytest.mark.parametrize("path", list(COMMANDS), ids=lambda p: " ".join(p) or "geo")
def test_every_help_has_an_example_that_parses(path: tuple[str, ...]) -> None:
    examples = _examples(path)
    assert examples and set(examples) == set(EXAMPLES[" ".join(path)])
    for example in examples:
        words = shlex.split(example.split("|", 1)[-1] if example.startswith("cat ") else example)
        assert words[0] == "geo"
        leaf = max((p for p in COMMANDS if tuple(words[1 : 1 + len(p)]) == p), key=len)
        if " ".join(path):  # a command's own examples show that command
            assert leaf[: len(path)] == path, example
        command = COMMANDS[leaf]
        rest = words[1 + len(leaf) :]
        params = [p for p in command.params if isinstance(p, click.Argument) and p.name == "file"]
        if params and rest and not rest[0].startswith("-") and not Path(rest[0]).exists():
            continue  # an input file of the user's (parsing checks it exists); run below if it can be
        command.make_context(" ".join(("geo", *leaf)), rest)  # raises on a bad option or value


def _runnable() -> list[str]:
    every = sorted({e for lines in EXAMPLES.values() for e in lines})
    return [e for e in every if not e.startswith(PARSED_ONLY)]


@pytest.mark.slow
@pytest.mark.parametrize("example", _runnable())
def test_help_examples_run(example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each cheap example runs as written (in a scratch folder with examples/ and a CNS file)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(REPO / "examples")
    (tmp_path / "cns_missile_test_database.csv").write_text(CNS_GOOD)
    stdin = None
    if example.startswith("cat "):
        source, example = (part.strip() for part in example.split("|", 1))
        stdin = (tmp_path / shlex.split(source)[1]).read_bytes()
    r = run_cli(shlex.split(example)[1:], stdin=stdin)
    assert r.exception is None and r.code == 0, (example, r.err)
