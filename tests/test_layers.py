"""The layers of docs/ARCHITECTURE.md, kept: read every module's imports with ``ast``.

A module may import from its own layer and the layers below it, never from a layer above;
and never a private name (``_x``) from another module: a name two modules use is public.
Imports under ``if TYPE_CHECKING:`` are annotations only and are not counted; imports
inside functions (lazy imports) are.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "geo"

# Lowest first. A module belongs to the layer of the longest prefix that names it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("geo", "geo._errors", "geo._io", "geo._resources", "geo._text", "geo.style")),
    ("geometry", ("geo.geodesy", "geo._shapes")),
    ("parse", ("geo.places", "geo.relative", "geo.relative_cjk", "geo.events", "geo.warnings", "geo._coords")),
    ("model", ("geo.uncertainty", "geo.reports", "geo.ballistics")),
    ("zones", ("geo.zones", "geo.marine_regions", "geo._zonefile", "geo._zonebuild", "geo._index", "geo._grid_kernel", "geo._distance", "geo._distance_bounds", "geo._distance_kdtree", "geo._distance_kernel", "geo._distance_feet")),
    ("assess", ("geo.assess", "geo.evidence", "geo.frames", "geo.parallel", "geo.cns")),
    ("outputs", ("geo.maps", "geo.figures", "geo.io", "geo.brief")),
    ("cli", ("geo.cli",)),
]
RANK = {prefix: i for i, (_, prefixes) in enumerate(LAYERS) for prefix in prefixes}

# Inside a package of one layer, the order its modules may import each other in, lowest
# first (docs/ARCHITECTURE.md, "The tree"); the package's __init__ re-exports from them all.
WITHIN: dict[str, tuple[str, ...]] = {
    "geo.maps": (
        "_leaflet",
        "display",
        "zone_layers",
        "event_layers",
        "layers",
        "popups",
        "features",
        "overlays",
        "controls",
        "page",
    ),
}
NAME = {i: name for i, (name, _) in enumerate(LAYERS)}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int | None:
    best = None
    for prefix, rank in RANK.items():
        nested = prefix != "geo" and module.startswith(prefix + ".")  # the root holds only itself
        if (module == prefix or nested) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, rank)
    return None if best is None else best[1]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports(path: Path) -> list[tuple[int, str, str | None]]:
    """(line, imported module, imported name or None) for every geo import outside TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = module_name(path)
    is_package = path.name == "__init__.py"
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            skip |= {id(n) for child in node.body for n in ast.walk(child)}
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name, None) for a in node.names if a.name.split(".")[0] == "geo"]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node, is_package)
            if target.split(".")[0] == "geo":
                found += [(node.lineno, target, a.name) for a in node.names]
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def layer_violations() -> list[str]:
    out = []
    for path in _modules():
        module = module_name(path)
        own = layer_of(module)
        if own is None:
            out.append(f"{module}: not in any layer of docs/ARCHITECTURE.md")
            continue
        for line, target, name in imports(path):
            full = f"{target}.{name}" if name and (PACKAGE / Path(*target.split(".")[1:], name)).exists() else target
            theirs = layer_of(full) if layer_of(full) is not None else layer_of(target)
            if theirs is not None and theirs > own:
                out.append(
                    f"{module}:{line} ({NAME[own]}) imports {full} ({NAME[theirs]}), a layer above"
                )
    return out


def within_violations() -> list[str]:
    """Imports inside a package of :data:`WITHIN` that go up its order (or name a module it does not list)."""
    out = []
    for package, order in WITHIN.items():
        rank = {f"{package}.{m}": i for i, m in enumerate(order)}
        folder = PACKAGE / Path(*package.split(".")[1:])
        for path in sorted(folder.rglob("*.py")):
            module = module_name(path)
            if module == package:
                continue
            own = next((r for m, r in rank.items() if module == m or module.startswith(m + ".")), None)
            if own is None:
                out.append(f"{module}: not in the order of {package} (tests/test_layers.py WITHIN)")
                continue
            for line, target, name in imports(path):
                full = f"{target}.{name}" if name else target
                theirs = next(
                    (r for m, r in rank.items() if m in (target, full) or target.startswith(m + ".")), None
                )
                if theirs is not None and theirs > own:
                    out.append(f"{module}:{line} imports {full}, which comes after it in {package}")
    return out


def private_imports() -> list[str]:
    out = []
    for path in _modules():
        module = module_name(path)
        for line, target, name in imports(path):
            if name is None or not _is_private(name) or target == module:
                continue
            # A private sub-module (geo._io) is fine; a private name from a module is not.
            if (PACKAGE / Path(*target.split(".")[1:], name)).is_dir() or (
                PACKAGE / Path(*target.split(".")[1:], f"{name}.py")
            ).exists():
                continue
            out.append(f"{module}:{line} imports the private name {name} from {target}")
    return out


def private_attributes() -> list[str]:
    """``module._name`` on an imported geo module (the same leak as importing the name)."""
    out = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = module_name(path)
        aliases = {}
        for _line, target, name in imports(path):
            if name is None:
                continue
            full = f"{target}.{name}"
            if (PACKAGE / Path(*full.split(".")[1:])).is_dir() or (
                PACKAGE / Path(*full.split(".")[1:]).with_suffix(".py")
            ).exists():
                aliases[name] = full
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                for a in node.names:
                    if a.asname and a.name in aliases:
                        aliases[a.asname] = aliases[a.name]
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and _is_private(node.attr)
                and aliases[node.value.id] != module
            ):
                out.append(f"{module}:{node.lineno} uses the private name {aliases[node.value.id]}.{node.attr}")
    return out


def test_every_module_is_in_a_layer_and_imports_only_downwards() -> None:
    problems = layer_violations()
    assert problems == [], "\n".join(problems)


def test_package_modules_import_only_down_their_order() -> None:
    problems = within_violations()
    assert problems == [], "\n".join(problems)


def test_the_order_check_can_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the order of geo.maps turned round, page and overlays import upwards."""
    monkeypatch.setitem(WITHIN, "geo.maps", WITHIN["geo.maps"][::-1])
    found = "\n".join(within_violations())
    assert "geo.maps.overlays" in found and "comes after it in geo.maps" in found


def test_no_private_name_crosses_a_module() -> None:
    problems = private_imports() + private_attributes()
    assert problems == [], "\n".join(problems)


def test_the_architecture_page_names_every_layer() -> None:
    page = (REPO / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for name, prefixes in LAYERS:
        assert f"**{name}**" in page, name
        for prefix in prefixes:
            if prefix != "geo":
                assert f"`{prefix.removeprefix('geo.')}" in page or f"`{prefix}" in page, prefix


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from geo.maps import collect_layers\n", ["imports geo.maps"]),
        ("from geo.relative import _number\n", ["private name _number"]),
    ],
    ids=["upward import", "private name"],
)
def test_the_checks_can_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, expected: list[str]) -> None:
    """The checks find a planted upward import and a planted private import."""
    fake = PACKAGE / "_layers_probe.py"
    monkeypatch.setitem(RANK, "geo._layers_probe", 0)
    fake.write_text(source, encoding="utf-8")
    try:
        found = "\n".join(layer_violations() + private_imports())
    finally:
        fake.unlink()
    for e in expected:
        assert e in found
