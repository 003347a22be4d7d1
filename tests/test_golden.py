"""Golden files: the nine tables in each built-in dialect, byte for byte.

The files were reviewed by hand against each engine's documentation, and the PostgreSQL and
SQLite ones are executed on the real engines here. Regenerate with ``pytest --update-golden``
and review the diff: a change to a golden file is a change to what users run.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from whizbang_schema import DegradedRenderWarning, SchemaConfiguration, get_dialect
from whizbang_schema.testing import EXTREMES

GOLDEN = Path(__file__).parent / "golden"
DIALECTS = ["postgres", "sqlite", "sqlserver"]


def rendered(dialect: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        return get_dialect(dialect).render(SchemaConfiguration())


@pytest.mark.parametrize("dialect", DIALECTS)
def test_nine_tables_match_the_golden_file(dialect: str, request: pytest.FixtureRequest) -> None:
    path = GOLDEN / f"{dialect}.sql"
    script = rendered(dialect)
    if request.config.getoption("--update-golden"):
        path.write_text(script, encoding="utf-8", newline="\n")
    assert script == path.read_text(encoding="utf-8")
    # SQL Server's script ends each batch with GO for sqlcmd and SSMS (see its batches module).
    assert "\r" not in script and script.endswith(";\nGO\n" if dialect == "sqlserver" else ";\n")


def rendered_types(dialect: str) -> str:
    """The conformance kit's DECIMAL, DATE, DOUBLE and BYTES table (keys over them too)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)  # SQLite's 38-digit DECIMAL
        return get_dialect(dialect).render(SchemaConfiguration(tables=[EXTREMES]))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_new_types_match_the_golden_file(dialect: str, request: pytest.FixtureRequest) -> None:
    path = GOLDEN / f"{dialect}_types.sql"
    script = rendered_types(dialect)
    if request.config.getoption("--update-golden"):
        path.write_text(script, encoding="utf-8", newline="\n")
    assert script == path.read_text(encoding="utf-8")


def test_golden_new_types_run_on_postgres_and_sqlite(postgres: Any, sqlite: Any) -> None:
    postgres.execute((GOLDEN / "postgres_types.sql").read_text(encoding="utf-8"))
    sqlite.executescript((GOLDEN / "sqlite_types.sql").read_text(encoding="utf-8"))


def test_golden_postgres_runs_on_postgres(postgres: Any) -> None:
    script = (GOLDEN / "postgres.sql").read_text(encoding="utf-8")
    postgres.execute(script)
    postgres.execute(script)


def test_golden_sqlite_runs_on_sqlite(sqlite: Any) -> None:
    script = (GOLDEN / "sqlite.sql").read_text(encoding="utf-8")
    sqlite.executescript(script)
    sqlite.executescript(script)


def test_output_is_the_same_in_another_process_with_another_hash_seed() -> None:
    code = (
        "import sys, warnings; warnings.simplefilter('ignore');"
        "from whizbang_schema import SchemaConfiguration, get_dialect;"
        "sys.stdout.write(''.join(get_dialect(d).render(SchemaConfiguration(prefix='p_')) "
        "for d in ('postgres', 'sqlite', 'sqlserver')))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(outputs) == 1
