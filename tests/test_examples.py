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
