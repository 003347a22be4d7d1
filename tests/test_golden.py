"""Golden files: the nine tables in each built-in dialect, byte for byte.

The files were reviewed by hand against each engine's documentation, and the PostgreSQL and
SQLite ones are executed on the real engines here. Regenerate with ``pytest --update-golden``
and review the diff: a change to a golden file is a change to what users run.
"""

from __future__ import annotations

import datetime as dt
import decimal
import subprocess
import sys
import uuid
import warnings
from pathlib import Path
from typing import Any

import pytest

from whizbang_schema import DegradedRenderWarning, SchemaConfiguration, connect, get_dialect
from whizbang_schema.testing import EXTREMES, LITERALS

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
    """The conformance kit's DECIMAL, DATE, DOUBLE and BYTES tables: keys over them, and a
    literal default of each."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)  # SQLite's 38-digit DECIMAL
        return get_dialect(dialect).render(SchemaConfiguration(tables=[EXTREMES, LITERALS]))


@pytest.mark.parametrize("dialect", [*DIALECTS, "mysql"])
def test_new_types_match_the_golden_file(dialect: str, request: pytest.FixtureRequest) -> None:
    path = GOLDEN / f"{dialect}_types.sql"
    script = rendered_types(dialect)
    if request.config.getoption("--update-golden"):
        path.write_text(script, encoding="utf-8", newline="\n")
    assert script == path.read_text(encoding="utf-8")


def test_golden_new_types_run_on_postgres_and_sqlite(postgres: Any, sqlite: Any) -> None:
    postgres.execute((GOLDEN / "postgres_types.sql").read_text(encoding="utf-8"))
    sqlite.executescript((GOLDEN / "sqlite_types.sql").read_text(encoding="utf-8"))
    # The literal defaults as the engines store them (the kit checks them through the dialect).
    postgres.execute("INSERT INTO wh_kit_literals (id) VALUES (1)")
    sqlite.execute("INSERT INTO wh_kit_literals (id) VALUES (1)")
    stored = postgres.execute(
        "SELECT price::text, balance::text, precise::text, ratio, tiny, huge, first_day, "
        "last_day, leap_day, every_byte, no_bytes, two_bytes FROM wh_kit_literals"
    ).fetchone()
    assert stored == (
        "-12.345",
        "0.00",
        "-12345.6789012345",
        0.1,
        -sys.float_info.min,
        sys.float_info.max,
        dt.date(1, 1, 1),
        dt.date(9999, 12, 31),
        dt.date(2024, 2, 29),
        bytes(range(256)),
        b"",
        b"\x00\xff",
    )
    row = sqlite.execute(
        "SELECT price, balance, ratio, first_day, every_byte, two_bytes FROM wh_kit_literals"
    ).fetchone()
    assert row == (-12.345, 0.0, 0.1, "0001-01-01", bytes(range(256)), b"\x00\xff")


def test_golden_new_types_run_on_mariadb(mariadb_admin: Any, mariadb_server_url: str) -> None:
    name = f"wbtest_{uuid.uuid4().hex[:16]}"
    mariadb_admin.execute(f"CREATE DATABASE {name}")
    try:
        live = connect(f"{mariadb_server_url.rpartition('/')[0]}/{name}", dialect="mysql")
        try:
            script = (GOLDEN / "mysql_types.sql").read_text(encoding="utf-8")
            for statement in script.split(";\n"):
                if statement.strip():
                    live.execute(statement)
            live.execute("INSERT INTO wh_kit_literals (id) VALUES (1)")
            stored = live.query(
                "SELECT price, balance, ratio, tiny, first_day, last_day, every_byte, "
                "no_bytes, two_bytes FROM wh_kit_literals"
            )
        finally:
            live.close()
    finally:
        mariadb_admin.execute(f"DROP DATABASE IF EXISTS {name}")
    assert [tuple(row) for row in stored] == [
        (
            decimal.Decimal("-12.345"),
            decimal.Decimal("0.00"),
            0.1,
            -sys.float_info.min,
            dt.date(1, 1, 1),
            dt.date(9999, 12, 31),
            bytes(range(256)),
            b"",
            b"\x00\xff",
        )
    ]


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
