"""The conformance kit's own promises: a failing kit check shows the compared values, the
pytest plugin's fixture runs the kit on one configured database and fails clearly without
one, and pytest stays optional.

Each runs pytest in a subprocess on a tiny test file, as a dialect author would: the plugin is
loaded through its ``pytest11`` entry point, not by this test session.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import sqlfluff

from whizbang_schema import SchemaConfiguration, get_dialect
from whizbang_schema.testing import COMMON_KEYWORDS, RANGES, ZONES
from whizbang_schema.testing.tables import keyword_tables
from whizbang_schema_sqlserver.rules import check_statements

#: A PostgreSQL dialect that writes every boolean literal backwards, and the kit run on it
#: and, unchanged, on PostgreSQL; neither class brings a database: the plugin's fixture does.
KIT_RUN = """
import attrs

from whizbang_schema import default_registry
from whizbang_schema.testing import ConformanceSuite
from whizbang_schema_postgres import PostgresDialect


class BackwardsDialect(PostgresDialect):
    info = attrs.evolve(PostgresDialect.info, name="backwards", url_schemes=())

    def render_literal(self, column, value, context):
        if isinstance(value, bool):
            value = not value
        return super().render_literal(column, value, context)


default_registry().register(BackwardsDialect, name="backwards-test")


class TestBackwards(ConformanceSuite):
    dialect = "backwards"


class TestPostgres(ConformanceSuite):
    dialect = "postgres"
"""


def run_pytest(directory: Path, *args: str, url: str | None = None) -> str:
    """Run pytest on ``directory`` (its own rootdir and ini file) and return its output."""
    (directory / "pytest.ini").write_text(
        "[pytest]\n" + (f"whizbang_url = {url}\n" if url else ""), encoding="utf-8"
    )
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTEST_ADDOPTS", "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "WHIZBANG_TEST_URL")
    }
    finished = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=directory,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return finished.stdout + finished.stderr


def tables_in(url: str) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
    return [row[0] for row in rows]


def test_a_failing_kit_check_shows_the_values_and_the_fixture_shares_one_database(
    tmp_path: Path, postgres_url: str
) -> None:
    (tmp_path / "test_kit_run.py").write_text(KIT_RUN, encoding="utf-8")
    output = run_pytest(
        tmp_path,
        "-k",
        "test_every_type_round_trips or TestPostgres and (test_apply_twice or test_read_back)",
        url=postgres_url,
    )
    assert "1 failed, 3 passed" in output, output
    # The kit's `assert first == written`, rewritten: the differing values, not a bare error.
    assert "Differing items" in output, output
    assert "{'a_boolean': False} != {'a_boolean': True}" in output, output
    # Both classes applied the same tables to the one database; each test left it empty.
    assert tables_in(postgres_url) == []


def test_a_database_holding_the_kit_tables_is_refused_clearly(
    tmp_path: Path, postgres_url: str
) -> None:
    (tmp_path / "test_kit_run.py").write_text(KIT_RUN, encoding="utf-8")
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE wh_outbox (id INT)")
    output = run_pytest(
        tmp_path, "-k", "TestPostgres and test_apply_twice", f"--whizbang-url={postgres_url}"
    )
    assert "1 error" in output, output
    assert "the kit needs an empty database, and wh_outbox are already there" in output, output
    assert tables_in(postgres_url) == ["wh_outbox"], "a table the kit did not make is kept"


def test_without_a_database_the_fixture_says_how_to_configure_one(tmp_path: Path) -> None:
    (tmp_path / "test_kit_run.py").write_text(KIT_RUN, encoding="utf-8")
    output = run_pytest(
        tmp_path, "-k", "TestPostgres and (test_apply_twice or test_rendering_is_deterministic)"
    )
    assert "1 passed" in output and "1 error" in output, output
    assert "no database to run against: pass --whizbang-url=URL" in output, output
    assert "WHIZBANG_TEST_URL" in output


def test_the_library_and_the_kit_package_import_without_pytest() -> None:
    code = (
        "import sys, whizbang_schema, whizbang_schema.testing; "
        "print('pytest' in sys.modules, 'whizbang_schema.testing.suite' in sys.modules)"
    )
    finished = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert finished.stdout.split() == ["False", "False"]


def test_sqlserver_takes_the_kit_tables_by_its_documented_rules() -> None:
    """SQL Server cannot run here: its keyword, range and zone tables are held to the T-SQL
    rules and the tsql grammar instead (a few statements parsed: the grammar is slow)."""
    sqlserver = get_dialect("sqlserver")
    words = {*sqlserver.capabilities.reserved_words, *COMMON_KEYWORDS}
    statements = sqlserver.statements(
        SchemaConfiguration(tables=[*keyword_tables(words, per_table=100), RANGES, ZONES])
    )
    assert check_statements(statements) == []
    for statement in (*statements[:2], *statements[-2:]):
        sqlfluff.parse(statement.sql + ";\n", dialect="tsql")
    assert "[select] " in "\n".join(s.sql for s in statements)
