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


def test_every_public_name_exists() -> None:
    for name in whizbang_schema.__all__:
        assert hasattr(whizbang_schema, name), name


def test_the_package_ships_its_type_marker() -> None:
    assert (CORE / "py.typed").exists()
    for directory in DIALECT_DIRS:
        assert (directory / "py.typed").exists(), directory.name
