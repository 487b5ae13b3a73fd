"""The examples run (with fewer samples), and the seed's verdict holds."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _load(name: str) -> object:
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_01_january_2022_regenerates_table_map_and_figure(tmp_path: Path) -> None:
    ex = _load("01_january_2022")
    assert ex.main(["--out", str(tmp_path), "--samples", "2000"]) == 0  # type: ignore[attr-defined]
    table = (tmp_path / "january_2022.md").read_text()
    assert sum(line.startswith("| 2022-01-") for line in table.splitlines()) == 11
    html = (tmp_path / "2022-01-27_hamhung.html").read_text()
    assert "Hamhung" in html and "https://unpkg" not in html
    assert (tmp_path / "2022-01-27_hamhung.png").stat().st_size > 100_000
    # Japan: the 27 January missiles "appeared to have landed outside Japan's EEZ".
    rows = ex.assess_month(2000)  # type: ignore[attr-defined]
    seed = [r for r in rows if r["date"] == "2022-01-27"]
    assert len(seed) == 2 and all(r["p_japan_eez"] <= 0.01 for r in seed)


def test_02_missile_ranges(tmp_path: Path) -> None:
    ex = _load("02_missile_ranges")
    assert ex.main(["--out", str(tmp_path), "--no-map"]) == 0  # type: ignore[attr-defined]
    rows = ex.table()  # type: ignore[attr-defined]
    seoul = [r for r in rows if r["target"] == "Seoul" and r["missile"] == "KN-23"]
    assert seoul and all(r["verdict"] == "in range" for r in seoul)  # Seoul is < 300 km from every site
    assert (tmp_path / "missile_ranges.gpkg").stat().st_size > 0


def test_03_japan_statements_agree_with_japan(tmp_path: Path) -> None:
    ex = _load("03_japan_statements")
    assert ex.main(["--out", str(tmp_path), "--samples", "4000"]) == 0  # type: ignore[attr-defined]
    rows = ex.assess_statements(4000)  # type: ignore[attr-defined]
    judged = [r for r in rows if r["japan_said"]]
    assert judged and all(r["agree"] in {"yes", "?"} for r in judged)


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")  # dask-geopandas 0.5 under pandas 3
def test_04_dask_points_match_in_process() -> None:
    ex = _load("04_ten_million_points")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        result = ex.run(100_000, 2, 4, Path(tmp))  # type: ignore[attr-defined]
    assert result["mismatches"] == 0 and result["points"] == 100_000
