"""The installed ``whizbang-schema`` console script, run as a user would run it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(sys.executable).parent / "whizbang-schema"


def cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def fails(result: subprocess.CompletedProcess[str], code: int, message: str) -> None:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr  # one line


@pytest.fixture
def user_module(tmp_path: Path) -> Path:
    """A directory with the user's own definitions, as modules."""
    (tmp_path / "my_tables.py").write_text(
        textwrap.dedent(
            """
            from whizbang_schema import ColumnDefinition, DefaultValue, IndexDefinition, SchemaConfiguration, TableDefinition, WhizbangDataType as T

            ORDERS = TableDefinition(
                "orders",
                [
                    ColumnDefinition("id", T.UUID, primary_key=True),
                    ColumnDefinition("total", T.BIG_INT, nullable=False, default=DefaultValue.integer(0)),
                    ColumnDefinition("state", T.STRING, max_length=20, nullable=False, default=DefaultValue.string("new")),
                ],
                indexes=[IndexDefinition("idx_orders_state", ["state"], where="state <> 'done'")],
            )
            CUSTOMERS = TableDefinition("customers", [ColumnDefinition("id", T.UUID, primary_key=True)])
            ALL = [ORDERS, CUSTOMERS]
            CONFIG = SchemaConfiguration(prefix="shop_", tables=ALL)
            NOT_A_TABLE = 42
            EMPTY = []
            TOO_LONG = TableDefinition("x" * 70, [ColumnDefinition("id", T.UUID)])
            """
        )
    )
    (tmp_path / "explodes.py").write_text("raise ValueError('boom at import')\n")
    (tmp_path / "needs_missing.py").write_text("import not_installed_anywhere\n")
    return tmp_path


def test_python_dash_m_is_the_same_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "whizbang_schema", "tables"], capture_output=True, text=True
    )
    assert out.returncode == 0 and "outbox" in out.stdout


def test_dialects_json_lists_the_built_ins_with_versions() -> None:
    out = cli("dialects", "--json")
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    dialects = {d["name"]: d for d in payload["dialects"]}
    assert {"postgres", "sqlite", "sqlserver"} <= set(dialects)
    for name in ("postgres", "sqlite", "sqlserver"):
        assert dialects[name]["distribution"] == "whizbang-schema"
        assert dialects[name]["version"] == "0.1.0"
    assert dialects["postgres"]["capabilities"]["max_identifier_bytes"] == 63
    assert dialects["sqlserver"]["capabilities"]["max_identifier_chars"] == 128
    assert payload["failures"] == []


def test_dialects_human_output_names_capabilities_and_options() -> None:
    out = cli("dialects")
    assert "postgres: PostgreSQL 13 and later" in out.stdout
    assert "option uuid=text (text|blob)" in out.stdout


def test_tables_lists_counts() -> None:
    out = cli("tables")
    assert out.returncode == 0
    lines = {line.split()[0]: line.split()[1:3] for line in out.stdout.splitlines()[1:]}
    assert lines["outbox"] == ["18", "6"]
    assert lines["inbox"] == ["18", "8"]
    assert lines["sequences"] == ["4", "0"]


def test_render_output_executes_in_sqlite(tmp_path: Path) -> None:
    out = cli("render", "--dialect", "sqlite")
    assert out.returncode == 0, out.stderr
    conn = sqlite3.connect(tmp_path / "r.db")
    conn.executescript(out.stdout)
    conn.executescript(out.stdout)
    assert (
        conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] == 9
    )


def test_render_output_executes_on_postgres(postgres: Any) -> None:
    out = cli("render", "--dialect", "postgres", "--prefix", "cli_", "--schema", "app")
    assert out.returncode == 0, out.stderr
    postgres.execute(out.stdout)
    postgres.execute(out.stdout)
    count = postgres.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'app'").fetchone()[
        0
    ]
    assert count == 9


def test_render_to_a_file_and_select_tables(tmp_path: Path) -> None:
    target = tmp_path / "out.sql"
    out = cli(
        "render",
        "--dialect",
        "postgres",
        "--table",
        "sequences",
        "--table",
        "outbox",
        "-o",
        str(target),
    )
    assert out.returncode == 0 and out.stdout == ""
    text = target.read_text()
    assert text.index("wh_sequences") < text.index("wh_outbox")
    assert "wh_inbox" not in text


def test_render_sqlserver_warns_about_degraded_indexes_on_stderr() -> None:
    out = cli("render", "--dialect", "sqlserver", "--table", "outbox")
    assert out.returncode == 0
    warnings = [
        line for line in out.stderr.splitlines() if line.startswith("whizbang-schema: warning:")
    ]
    assert len(warnings) == 2 and "idx_outbox_status_lease" in out.stderr


def test_render_with_options() -> None:
    out = cli("render", "--dialect", "sqlite", "--table", "sequences", "--option", "strict=true")
    assert out.stdout.rstrip().endswith(") STRICT;")


def test_apply_twice_on_the_default_sqlite_file(tmp_path: Path) -> None:
    first = cli("apply", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "whizbang.db").exists()
    assert "created  table  wh_outbox" in first.stdout
    assert first.stdout.rstrip().endswith("whizbang.db (sqlite): 37 created, 0 already existed")
    second = cli("apply", cwd=tmp_path)
    assert second.stdout.rstrip().endswith("whizbang.db (sqlite): 0 created, 37 already existed")
    assert not any(line.startswith("created") for line in second.stdout.splitlines())
    assert "exists   table  wh_outbox" in second.stdout


def test_apply_twice_on_postgres(postgres_url: str) -> None:
    first = cli("apply", "--url", postgres_url, "--json")
    assert first.returncode == 0, first.stderr
    payload = json.loads(first.stdout)
    assert payload["dialect"] == "postgres" and len(payload["created"]) == 37
    second = json.loads(cli("apply", "--url", postgres_url, "--json").stdout)
    assert second["created"] == [] and len(second["existing"]) == 37


def test_apply_dry_run_prints_sql_and_changes_nothing(
    tmp_path: Path, postgres_url: str, postgres: Any
) -> None:
    out = cli("apply", "--dry-run", "--database", str(tmp_path / "d.db"))
    assert out.returncode == 0
    assert "CREATE TABLE IF NOT EXISTS wh_outbox" in out.stdout
    assert "would create 37" in out.stdout
    assert not (tmp_path / "d.db").exists()
    out = cli("apply", "--dry-run", "--url", postgres_url)
    assert "CREATE INDEX IF NOT EXISTS wh_idx_outbox_status_created_at" in out.stdout
    assert (
        postgres.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
        == 0
    )


def test_user_definitions_render_and_apply(user_module: Path, postgres_url: str) -> None:
    out = cli("render", "--dialect", "postgres", "--definitions", "my_tables:ALL", cwd=user_module)
    assert out.returncode == 0, out.stderr
    assert "CREATE TABLE IF NOT EXISTS wh_orders" in out.stdout
    assert "WHERE state <> 'done'" in out.stdout
    config = cli(
        "apply", "--url", postgres_url, "--definitions", "my_tables:CONFIG", cwd=user_module
    )
    assert config.returncode == 0, config.stderr
    assert "created  table  shop_orders" in config.stdout
    single = cli("tables", "--definitions", "my_tables.py:ORDERS", cwd=user_module)
    assert single.returncode == 0 and "orders" in single.stdout


BAD_INPUTS = [
    (["frobnicate"], 2, "invalid choice"),
    (["render"], 2, "--dialect"),
    (
        ["render", "--dialect", "oracle"],
        2,
        "unknown dialect 'oracle'; available dialects: ",
    ),
    (["render", "--dialect", "sqlite", "--option", "uuid"], 2, "--option takes KEY=VALUE"),
    (
        ["render", "--dialect", "sqlite", "--option", "colour=red"],
        2,
        "sqlite has no option 'colour'; its options: strict, uuid",
    ),
    (["render", "--dialect", "sqlite", "--option", "uuid=binary"], 2, "must be one of text, blob"),
    (["render", "--dialect", "sqlite", "--option", "strict=maybe"], 2, "is true or false"),
    (["render", "--dialect", "sqlite", "--table", "nope"], 2, "no table named 'nope'"),
    (
        ["render", "--dialect", "sqlite", "--definitions", "my_tables"],
        2,
        "--definitions takes MODULE:ATTRIBUTE",
    ),
    (
        ["render", "--dialect", "sqlite", "--definitions", "nowhere_module:X"],
        2,
        "cannot import definitions module 'nowhere_module': no such module",
    ),
    (
        ["render", "--dialect", "sqlite", "--definitions", "explodes:X"],
        2,
        "importing 'explodes' failed: ValueError: boom at import",
    ),
    (
        ["render", "--dialect", "sqlite", "--definitions", "needs_missing:X"],
        2,
        "importing 'needs_missing' failed: ModuleNotFoundError",
    ),
    (
        ["render", "--dialect", "sqlite", "--definitions", "my_tables:NOPE"],
        2,
        "module 'my_tables' has no attribute 'NOPE'",
    ),
    (
        ["render", "--dialect", "sqlite", "--definitions", "my_tables:NOT_A_TABLE"],
        2,
        "my_tables:NOT_A_TABLE is a int, not a TableDefinition",
    ),
    (["render", "--dialect", "sqlite", "--definitions", "my_tables:EMPTY"], 2, "is an empty list"),
    (
        ["render", "--dialect", "sqlite", "--definitions", "missing_file.py:X"],
        2,
        "definitions file 'missing_file.py' does not exist",
    ),
    (
        ["render", "--dialect", "postgres", "--definitions", "my_tables:TOO_LONG"],
        2,
        "postgres allows at most 63",
    ),
    (["render", "--dialect", "sqlite", "--prefix", "a\tb "], 2, "field 'prefix'"),
    (
        ["render", "--dialect", "sqlite", "-o", "/nonexistent-dir/out.sql"],
        2,
        "cannot write '/nonexistent-dir/out.sql'",
    ),
    (
        ["apply", "--url", "oracle://scott@db/orcl"],
        2,
        "no installed dialect handles URLs starting oracle://",
    ),
    (
        ["apply", "--url", "postgresql://postgres@127.0.0.1:1/x"],
        2,
        "cannot connect to PostgreSQL at postgresql://postgres@127.0.0.1:1/x",
    ),
    (
        ["apply", "--url", "postgresql://u:hunter2@127.0.0.1:1/x"],
        2,
        "postgresql://u:***@127.0.0.1:1/x",
    ),
    (["apply", "--url", "postgresql://[::1"], 2, "cannot connect to PostgreSQL"),
    (
        ["apply", "--database", "/nonexistent-dir/x.db"],
        2,
        "directory '/nonexistent-dir' does not exist",
    ),
    (["apply", "--database", "."], 2, "is a directory"),
    (["apply", "--database", "x.db", "--url", "postgresql://h/d"], 2, "not allowed with argument"),
    (["apply", "--dialect", "nope"], 2, "unknown dialect 'nope'"),
]


@pytest.mark.parametrize(
    ("args", "code", "message"), BAD_INPUTS, ids=[" ".join(a) for a, _, _ in BAD_INPUTS]
)
def test_bad_input_gives_one_line_and_its_exit_code(
    user_module: Path, args: list[str], code: int, message: str
) -> None:
    out = cli(*args, cwd=user_module)
    if code == 2 and message in ("invalid choice", "--dialect", "not allowed with argument"):
        # argparse's own usage errors: a usage line, then the error line
        assert out.returncode == 2 and message in out.stderr and "Traceback" not in out.stderr
        return
    fails(out, code, message)
    assert "hunter2" not in out.stderr


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "junk.db").write_text("not a database" * 200)
    fails(cli("apply", "--database", "junk.db", cwd=tmp_path), 2, "file is not a database")


def test_a_missing_driver_names_the_extra_to_install(tmp_path: Path) -> None:
    shim = tmp_path / "shim" / "psycopg"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'psycopg'\", name='psycopg')\n"
    )
    out = cli("apply", "--url", "postgresql://h/d", env={"PYTHONPATH": str(shim.parent)})
    # the package is installed from a checkout, not an index: the hint names the driver
    fails(out, 2, "pip install 'psycopg[binary]>=3.1'")
    assert "whizbang-schema[" not in out.stderr


def test_debug_shows_the_traceback() -> None:
    out = cli("--debug", "render", "--dialect", "oracle")
    assert (
        out.returncode == 2 and "Traceback" in out.stderr and "DialectNotFoundError" in out.stderr
    )


def test_listing_dialects_imports_no_database_driver() -> None:
    code = (
        "import sys; from whizbang_schema.cli import main; main(['dialects']);"
        "print([m for m in sys.modules if m.split('.')[0] in ('psycopg', 'pymysql', 'pymssql', 'sqlite3')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_a_reader_that_stops_early_is_not_an_error() -> None:
    # `whizbang-schema dialects | head -1`: the reader may be gone before we write. Closing
    # our end before the child has started makes its first write fail, every time.
    process = subprocess.Popen(
        [str(SCRIPT), "dialects"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    process.stdout.close()
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert b"Error" not in stderr
