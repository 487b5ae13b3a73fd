"""Start-up stays light: ``geo --help`` and ``import geo`` load no geopandas (issue 14).

Each check runs in a fresh interpreter, since this test session has long since imported
everything; timings are for ``benchmarks/latency.py``, these tests check which modules load.
"""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from geo.cli import _Group, _lazy_short_help, main

HEAVY = ("geopandas", "pandas", "shapely", "pyproj", "scipy", "pyogrio", "matplotlib", "folium", "numba")


def _modules_after(code: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)), file=sys.__stderr__)"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return list(json.loads(out.stderr.strip().splitlines()[-1]))


def _heavy(modules: list[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


def test_geo_help_imports_no_heavy_module_and_no_command_module() -> None:
    modules = _modules_after(
        "import sys\nsys.argv = ['geo', '--help']\nfrom geo.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )
    assert _heavy(modules) == []
    # the command list is read from the commands' sources, none of them imported
    commands = sorted(m for m in modules if m.startswith("geo.cli."))
    assert commands == ["geo.cli.common"]


def test_import_geo_is_light() -> None:
    assert _heavy(_modules_after("import geo")) == []


def test_geo_help_lists_every_command() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import sys\nsys.argv = ['geo', '--help']\nfrom geo.cli import main\nmain()"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    listed = result.stdout.split("Commands:")[1]
    for name in _Group.lazy:
        assert f"\n  {name} " in listed


@pytest.mark.parametrize("name", sorted(_Group.lazy))
def test_short_help_read_from_source_is_the_commands_own(name: str) -> None:
    """The help text read without importing equals what the imported command says (or is not used)."""
    command = main.get_command(click.Context(main), name)
    assert command is not None
    for limit in (45, 60, 1000):
        text = _lazy_short_help(_Group.lazy[name], limit)
        if text is not None:
            assert text == command.get_short_help_str(limit)


def test_every_lazy_command_is_read_from_its_source() -> None:
    """None of today's commands needs importing for its help (a fallback that would make --help slow)."""
    assert [n for n, t in _Group.lazy.items() if _lazy_short_help(t, 60) is None] == []
