"""The distribution ships what a user who only runs ``pip install`` needs."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from geo import _resources

REPO = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_folder_is_listed() -> None:
    """A sub-package missing from the explicit list would be left out of the wheel."""
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(REPO).parts)
        for p in (REPO / "geo").rglob("*")
        if p.suffix in {".py", ".csv", ".js", ".css", ".md"} and "__pycache__" not in p.parts
    }
    assert found - listed == set(), f"add {sorted(found - listed)} to [tool.setuptools] packages"


def test_bundle_is_mapped_into_the_package() -> None:
    cfg = _pyproject()["tool"]["setuptools"]
    assert cfg["package-dir"]["geo._bundle"] == "data/boundaries"
    patterns = cfg["package-data"]["geo._bundle"]
    shipped = {p.name for pat in patterns for p in (REPO / "data" / "boundaries").glob(pat)}
    manifest = json.loads((REPO / "data" / "boundaries" / "manifest.json").read_text())
    assert {"README.md", "manifest.json", "eez.gpkg", "land.gpkg"} <= shipped, shipped
    assert manifest["crs"] == "EPSG:4326"


def test_checkout_finds_its_bundle_without_environment() -> None:
    assert _resources.bundle_dir() == REPO / "data" / "boundaries"


def test_distribution_name_is_not_the_taken_one() -> None:
    """``geo`` on PyPI is another project; the import name and the command stay ``geo``."""
    project = _pyproject()["project"]
    assert project["name"] == "geo-maritime"
    assert project["scripts"] == {"geo": "geo.cli:main"}
    assert (REPO / "LICENSE").is_file() and "LICENSE" in project["license-files"]
