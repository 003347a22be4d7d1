"""Applying schemas to live databases: idempotent, reported, all or nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from whizbang_schema import (
    ColumnDefinition,
    DatabaseError,
    IndexDefinition,
    SchemaConfiguration,
    StatementKind,
    TableDefinition,
    WhizbangDataType,
    apply_schema,
    apply_statements,
    connect,
    dialect_for_target,
    get_dialect,
    redact_url,
)
from whizbang_schema.tables import ALL_TABLES

T = WhizbangDataType

# Three statements; the third (an index whose predicate calls a function no engine has)
# is refused by the server, after the first two have run.
FIRST = TableDefinition("first", [ColumnDefinition("id", T.INTEGER, primary_key=True)])
SECOND = TableDefinition(
    "second",
    [ColumnDefinition("id", T.INTEGER, primary_key=True), ColumnDefinition("n", T.INTEGER)],
    indexes=[IndexDefinition("bad", ["n"], where="no_such_function(n) > 0")],
)
FAILING = SchemaConfiguration(tables=[FIRST, SECOND])


def sqlite_objects(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT type, name FROM sqlite_master ORDER BY name").fetchall()


def postgres_tables(conn: Any) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        )
    ]


def test_apply_twice_on_sqlite_creates_then_finds_everything(sqlite_path: Path) -> None:
    first = apply_schema(str(sqlite_path))
    assert len(first.created) == 37 and first.existing == ()
    assert [s.kind for s in first.created].count(StatementKind.CREATE_TABLE) == 9
    second = apply_schema(str(sqlite_path))
    assert second.created == () and len(second.existing) == 37
    assert second.round_trips <= 4  # begin, one catalog query, commit: no DDL at all


def test_apply_twice_on_postgres(postgres_url: str, postgres: Any) -> None:
    first = apply_schema(postgres_url)
    assert len(first.created) == 37
    second = apply_schema(postgres_url)
    assert second.created == () and len(second.existing) == 37
    assert len(postgres_tables(postgres)) == 9


def test_apply_reports_only_what_was_missing(postgres_url: str, postgres: Any) -> None:
    postgres.execute("CREATE TABLE wh_sequences (x int)")
    result = apply_schema(postgres_url)
    assert [s.name for s in result.existing] == ["wh_sequences"]
    # apply converges: the 36 missing objects, and the sequences table's three columns that
    # are defaulted; its key column (NOT NULL, no default) and primary key need a decision.
    assert len([s for s in result.created if s.kind.value != "add_column"]) == 36
    assert [s.name for s in result.created if s.kind.value == "add_column"] == [
        "current_value",
        "increment_by",
        "last_updated_at",
    ]
    assert {d.kind for d, _ in result.refused} == {"missing_column", "primary_key"}


def test_a_failing_third_statement_leaves_sqlite_as_it_was(sqlite_path: Path) -> None:
    apply_schema(str(sqlite_path), SchemaConfiguration(tables=ALL_TABLES[-1:]))
    before = sqlite_objects(sqlite_path)
    statements = get_dialect("sqlite").statements(FAILING)
    assert len(statements) == 3
    database = connect(str(sqlite_path))
    with pytest.raises(
        DatabaseError, match="create index 'wh_bad' failed: SQLite: no such function"
    ) as caught:
        apply_statements(database, statements)
    database.close()
    assert caught.value.statement == statements[2]
    assert sqlite_objects(sqlite_path) == before


def test_a_failing_third_statement_leaves_postgres_as_it_was(
    postgres_url: str, postgres: Any
) -> None:
    apply_schema(postgres_url, SchemaConfiguration(tables=ALL_TABLES[-1:]))
    before = postgres_tables(postgres)
    with pytest.raises(
        DatabaseError, match="function no_such_function\\(integer\\) does not exist"
    ):
        apply_schema(postgres_url, FAILING)
    assert postgres_tables(postgres) == before == ["wh_sequences"]


def test_dry_run_changes_nothing(tmp_path: Path, postgres_url: str, postgres: Any) -> None:
    path = tmp_path / "never.db"
    result = apply_schema(str(path), dry_run=True)
    assert len(result.created) == 37 and result.dry_run
    assert not path.exists()
    result = apply_schema(postgres_url, dry_run=True)
    assert len(result.created) == 37
    assert postgres_tables(postgres) == []


def test_targets_name_their_dialect() -> None:
    assert dialect_for_target("postgresql://u@h/db") == "postgres"
    assert dialect_for_target("postgres://u@h/db") == "postgres"
    assert dialect_for_target("postgresql+psycopg://u@h/db") == "postgres"
    assert dialect_for_target("some/file.db") == "sqlite"
    assert dialect_for_target("sqlite:///file.db") == "sqlite"
    with pytest.raises(DatabaseError, match="no installed dialect handles URLs starting oracle://"):
        dialect_for_target("oracle://x")


def test_passwords_never_appear_in_messages() -> None:
    assert redact_url("postgresql://me:s3cret@db:5432/x") == "postgresql://me:***@db:5432/x"
    with pytest.raises(DatabaseError) as caught:
        connect("postgresql://me:s3cret@127.0.0.1:1/x")
    assert "s3cret" not in str(caught.value)
    assert "127.0.0.1" in str(caught.value)


def test_sqlite_targets_that_cannot_be_databases(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="is a directory"):
        connect(str(tmp_path))
    with pytest.raises(DatabaseError, match="does not exist"):
        connect(str(tmp_path / "missing" / "x.db"))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database, just some bytes" * 100)
    with pytest.raises(DatabaseError, match="file is not a database"):
        connect(str(junk))
