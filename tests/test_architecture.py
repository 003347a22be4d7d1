"""Structural rules: the core knows no database; dialects use only the public API."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import whizbang_schema

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "core" / "whizbang_schema"
DIALECT_DIRS = sorted(
    p for p in (ROOT / "dialects").iterdir() if p.is_dir() and not p.name.startswith(".")
)
EXAMPLE = ROOT / "plugins_example" / "src"


def imports(path: Path) -> list[tuple[str, tuple[str, ...], int]]:
    """(module, names, level) for every import in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, (), 0) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", tuple(a.name for a in node.names), node.level))
    return found


def python_files(*roots: Path) -> list[Path]:
    return sorted(p for root in roots if root.exists() for p in root.rglob("*.py"))


@pytest.mark.parametrize("path", python_files(CORE), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_imports_no_dialect(path: Path) -> None:
    for module, _, level in imports(path):
        if level == 0:
            assert not module.startswith("whizbang_schema_"), f"{path.name} imports {module}"
            assert module.split(".")[0] not in {"psycopg", "pymysql", "pymssql", "sqlite3"}, (
                f"{path.name} imports the driver {module}; drivers belong to dialects"
            )


def test_importing_the_core_loads_no_dialect_and_no_driver() -> None:
    code = (
        "import sys, whizbang_schema;"
        "from whizbang_schema import tables, SchemaConfiguration;"
        "SchemaConfiguration();"
        "bad = [m for m in sys.modules if m.startswith(('whizbang_schema_', 'psycopg', 'sqlite3'))];"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "path", python_files(*DIALECT_DIRS, EXAMPLE), ids=lambda p: str(p.relative_to(ROOT))
)
def test_dialects_use_only_the_public_api(path: Path) -> None:
    public = set(whizbang_schema.__all__)
    for module, names, level in imports(path):
        if level or not module.startswith("whizbang_schema"):
            continue
        if module.startswith("whizbang_schema_"):
            continue  # its own package, imported absolutely
        assert module == "whizbang_schema", f"{path.name} reaches into {module}"
        private = set(names) - public
        assert not private, f"{path.name} imports {private}, which is not public API"


#: The core's layers, lowest first: a module may import its own layer and those below it.
LAYERS = ("model", "render", "plugins", "live", "cli")
#: Folders outside the layer folders, and the layer each belongs to.
PLACED = {"tables": "model", "testing": "testing", "__init__": "top", "__main__": "top"}
RANK = {**{name: i for i, name in enumerate(LAYERS)}, "testing": len(LAYERS), "top": 99}

#: The upward calls the design keeps, each made inside a function, and why. Nothing else.
ALLOWED_UPWARD = {
    # The seed's API: SchemaConfiguration.generate_full_schema("postgres") looks a dialect up.
    ("model/configuration.py", "plugins"),
}


def _layer_of_module(parts: tuple[str, ...]) -> str:
    head = parts[0] if parts else "__init__"
    return head if head in LAYERS else PLACED.get(head, "top")


def _core_imports(path: Path) -> list[str]:
    """The core modules ``path`` imports, as dotted names under ``whizbang_schema``."""
    relative = path.relative_to(CORE).with_suffix("").parts
    package = relative[:-1]  # a module's package; for __init__.py, the package itself
    found = []
    for module, names, level in imports(path):
        if level == 0:
            if module == "whizbang_schema" or module.startswith("whizbang_schema."):
                base = module.split(".")[1:]
            else:
                continue
        else:
            base = list(package[: len(package) - (level - 1)]) + (
                module.split(".") if module else []
            )
        if module or level == 0:
            found.append(".".join(base))
        for name in names:  # "from . import hookspecs" names a module
            if (CORE.joinpath(*base, name + ".py")).exists() or (
                CORE.joinpath(*base, name)
            ).is_dir():
                found.append(".".join([*base, name]))
    return [f for f in found if f]


@pytest.mark.parametrize("path", python_files(CORE), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_layer_imports_a_higher_one(path: Path) -> None:
    relative = path.relative_to(CORE)
    layer = _layer_of_module(relative.with_suffix("").parts)
    for target in _core_imports(path):
        other = _layer_of_module(tuple(target.split(".")))
        if RANK[other] > RANK[layer] and (relative.as_posix(), other) not in ALLOWED_UPWARD:
            raise AssertionError(f"{relative} ({layer}) imports {target} ({other}), a higher layer")


def test_core_modules_import_no_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for path in python_files(CORE):
        parts = path.relative_to(CORE).with_suffix("").parts
        name = ".".join(p for p in parts if p != "__init__")
        graph[name] = {t for t in _core_imports(path) if t != name}
    allowed = {(".".join(Path(f).with_suffix("").parts), layer) for f, layer in ALLOWED_UPWARD}
    # A package's __init__ re-exporting its modules is not a cycle of the modules themselves.
    packages = {n for n, p in zip(graph, python_files(CORE)) if p.name == "__init__.py"}

    def edges(node: str) -> set[str]:
        out = set()
        for target in graph.get(node, ()):
            if (node, _layer_of_module(tuple(target.split(".")))) in allowed:
                continue
            if target in packages or target == "":
                continue
            out.add(target)
        return out

    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(edges(node)):
            if state.get(target) == 1:
                cycle = [*stack[stack.index(target) :], target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target in graph and not state.get(target):
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in packages and not state.get(node):
            visit(node)


def test_every_public_name_exists() -> None:
    for name in whizbang_schema.__all__:
        assert hasattr(whizbang_schema, name), name


def test_the_package_ships_its_type_marker() -> None:
    assert (CORE / "py.typed").exists()
    for directory in DIALECT_DIRS:
        assert (directory / "py.typed").exists(), directory.name
