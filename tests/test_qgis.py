"""The seed analysis exported as a GeoPackage, opened in a real GIS client (headless PyQGIS).

Opt-in by presence: the test runs when the system Python has PyQGIS (Debian's
``python3-qgis``, which ``.ci/run`` installs) and skips otherwise.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli import main

REPO = Path(__file__).resolve().parents[1]
SYSTEM_PYTHON = Path("/usr/bin/python3")
CLIENT = REPO / "tests" / "clients" / "qgis_load.py"


def _has_qgis() -> bool:
    if not SYSTEM_PYTHON.exists():
        return False
    probe = subprocess.run([str(SYSTEM_PYTHON), "-c", "import qgis.core"], capture_output=True, check=False)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(not _has_qgis(), reason="PyQGIS not installed (apt-get install python3-qgis)")


def _load(path: Path, png: Path) -> dict:  # type: ignore[type-arg]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(png.parent)}
    r = subprocess.run(
        [str(SYSTEM_PYTHON), str(CLIENT), str(path), str(png)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    assert r.returncode == 0, r.stderr[-2000:]
    return dict(json.loads(r.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path, str]:  # type: ignore[type-arg]
    folder = tmp_path_factory.mktemp("qgis")
    gpkg = folder / "seed.gpkg"
    r = CliRunner().invoke(
        main,
        ["export", "--site", "Hamhung", "--rings-km", "190,500", "--events",
         str(REPO / "examples" / "data" / "january_2022.csv"), "-o", str(gpkg)],
    )
    assert r.exit_code == 0, r.output
    report = _load(gpkg, folder / "seed.png")
    warnings = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-al", str(gpkg)], capture_output=True, text=True, check=False
    ).stderr if Path("/usr/bin/ogrinfo").exists() else ""
    return report, folder / "seed.png", warnings


def test_every_layer_loads_with_its_stored_style(seed: tuple[dict, Path, str]) -> None:  # type: ignore[type-arg]
    layers = seed[0]["layers"]
    assert {"sites", "rings", "impacts", "tracks", "zones"} <= set(layers), sorted(layers)
    for name, info in layers.items():
        assert info["valid"], name
        assert info["styled"] and info["style_message"] == "Loaded from Provider", (name, info)


def test_every_feature_of_the_seed_is_drawable(seed: tuple[dict, Path, str]) -> None:  # type: ignore[type-arg]
    """A layer of mixed polygons and lines is loaded as one type and silently drops the rest."""
    for name, info in seed[0]["layers"].items():
        assert info["features"] > 0, name
        assert info["drawable"] == info["features"], (name, info)


def test_the_rendering_is_not_blank(seed: tuple[dict, Path, str]) -> None:  # type: ignore[type-arg]
    assert seed[1].stat().st_size > 10_000
    assert seed[0]["painted_pixels_sampled"] > 1_000  # of 30,000 sampled pixels


def test_gdal_opens_it_without_warnings(seed: tuple[dict, Path, str]) -> None:  # type: ignore[type-arg]
    if not Path("/usr/bin/ogrinfo").exists():
        pytest.skip("ogrinfo (gdal-bin) not installed")
    assert "Warning" not in seed[2], seed[2]
