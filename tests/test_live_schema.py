"""Reading live databases back: diff, check and migrate on PostgreSQL and SQLite."""

from __future__ import annotations

import multiprocessing
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any, ClassVar

import psycopg
import pytest
from support.race import apply_at_once, apply_each_round

from whizbang_schema import (
    ColumnDefinition,
    DefaultValue,
    IndexDefinition,
    SchemaConfiguration,
    TableDefinition,
    WhizbangDataType,
    apply_schema,
    connect,
    diff_schema,
    migrate_schema,
    read_schema,
)
from whizbang_schema.tables import ALL_TABLES, OUTBOX

T = WhizbangDataType
SCRIPT = Path(sys.executable).parent / "whizbang-schema"

# What the hand changes below must produce, exactly.
EXPECTED_DRIFT = {
    ("column_default", "wh_outbox", "status"),
    ("missing_column", "wh_outbox", "error"),
    ("missing_index", "wh_outbox", "wh_idx_outbox_published_at"),
}
EXPECTED_EXTRAS = {("extra_table", "wh_audit", None)}


def kinds(differences: Any) -> set[tuple[str, str, str | None]]:
    return {(d.kind, d.table, d.name) for d in differences}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=120)


def change_postgres_by_hand(conn: Any) -> None:
    conn.execute("ALTER TABLE wh_outbox DROP COLUMN error")
    conn.execute("DROP INDEX wh_idx_outbox_published_at")
    conn.execute("ALTER TABLE wh_outbox ALTER COLUMN status SET DEFAULT 5")
    conn.execute("CREATE TABLE wh_audit (id int)")


def change_sqlite_by_hand(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("ALTER TABLE wh_outbox DROP COLUMN error")
    conn.execute("DROP INDEX wh_idx_outbox_published_at")
    # SQLite has no ALTER COLUMN; editing the stored definition is how a default changes.
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET sql = replace(sql, 'status INTEGER NOT NULL DEFAULT 1', "
        "'status INTEGER NOT NULL DEFAULT 5') WHERE name = 'wh_outbox'"
    )
    conn.execute("PRAGMA writable_schema = OFF")
    conn.execute("CREATE TABLE wh_audit (id INTEGER)")
    conn.close()


@pytest.fixture(params=["postgres", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Any]:
    """(target, hand-change function) for a fresh database of each engine."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
        conn = request.getfixturevalue("postgres")
        return url, lambda: change_postgres_by_hand(conn)
    path = tmp_path / "live.db"
    return str(path), lambda: change_sqlite_by_hand(path)


def test_round_trip_drift_and_additive_repair(engine: tuple[str, Any]) -> None:
    target, change_by_hand = engine
    configuration = SchemaConfiguration()
    apply_schema(target, configuration)
    database = connect(target)
    try:
        assert diff_schema(database, configuration).differences == ()
        change_by_hand()
        found = diff_schema(database, configuration)
        assert kinds(found.drift) == EXPECTED_DRIFT
        assert kinds(found.extras) == EXPECTED_EXTRAS
    finally:
        database.close()

    check = cli("check", "--url" if "://" in target else "--database", target)
    assert check.returncode == 1
    lines = [line for line in check.stdout.splitlines() if line.startswith("drift: ")]
    assert sorted(lines) == sorted(
        [
            "drift: wh_outbox: column 'status' default is 5, expected 1",
            "drift: wh_outbox: column 'error' is missing",
            "drift: wh_outbox: index 'wh_idx_outbox_published_at' is missing",
        ]
    )

    migrated = cli("migrate", "--url" if "://" in target else "--database", target)
    assert migrated.returncode == 1  # the changed default is left for a person
    assert "refused: wh_outbox: column 'status' default is 5, expected 1" in migrated.stdout
    assert (
        "extra: table wh_audit is in the database but not in the definitions (kept)"
        in migrated.stdout
    )

    database = connect(target)
    try:
        after = diff_schema(database, configuration)
        assert kinds(after.drift) == {("column_default", "wh_outbox", "status")}
        assert kinds(after.extras) == EXPECTED_EXTRAS  # reported, never dropped
    finally:
        database.close()

    # With the default put back as the definition has it, check passes; the extra stays.
    restored = SchemaConfiguration(
        tables=[
            TableDefinition(
                OUTBOX.name,
                [
                    c
                    if c.name != "status"
                    else ColumnDefinition(
                        "status", T.INTEGER, nullable=False, default=DefaultValue.integer(5)
                    )
                    for c in OUTBOX.columns
                ],
                indexes=OUTBOX.indexes,
            ),
            *ALL_TABLES[1:],
        ]
    )
    database = connect(target)
    try:
        final = diff_schema(database, restored)
        assert final.drift == ()
        assert kinds(final.extras) == EXPECTED_EXTRAS
    finally:
        database.close()


def test_check_passes_with_only_extras(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    assert cli("apply", "--database", str(path)).returncode == 0
    sqlite3.connect(path).execute("CREATE TABLE wh_mine (x)").connection.commit()
    out = cli("check", "--database", str(path))
    assert out.returncode == 0, out.stdout + out.stderr
    assert (
        "extra: table wh_mine is in the database but not in the definitions (not a failure)"
        in out.stdout
    )
    assert "matches the definitions" in out.stdout


def test_diff_json(postgres_url: str, postgres: Any) -> None:
    import json

    apply_schema(postgres_url, SchemaConfiguration(tables=ALL_TABLES[:1]))
    postgres.execute("ALTER TABLE wh_outbox ALTER COLUMN scope SET NOT NULL")
    payload = json.loads(cli("diff", "--url", postgres_url, "--table", "outbox", "--json").stdout)
    assert payload == {
        "format": 1,
        "target": postgres_url,
        "dialect": "postgres",
        "matches": False,
        "drift": [
            {
                "kind": "column_nullable",
                "table": "wh_outbox",
                "name": "scope",
                "expected": "NULL",
                "actual": "NOT NULL",
                "message": "wh_outbox: column 'scope' nullable is NOT NULL, expected NULL",
            }
        ],
        "extras": [],
        "hints": [],
    }


def test_a_not_null_column_without_default_is_refused(postgres_url: str) -> None:
    base = TableDefinition("t", [ColumnDefinition("id", T.INTEGER, primary_key=True)])
    grown = TableDefinition(
        "t",
        [
            ColumnDefinition("id", T.INTEGER, primary_key=True),
            ColumnDefinition("note", T.STRING),
            ColumnDefinition(
                "flag", T.BOOLEAN, nullable=False, default=DefaultValue.boolean(False)
            ),
            ColumnDefinition("owner", T.UUID, nullable=False),
        ],
        indexes=[IndexDefinition("idx_t_note", ["note"], where="note IS NOT NULL")],
    )
    apply_schema(postgres_url, SchemaConfiguration(tables=[base]))
    database = connect(postgres_url)
    try:
        result = migrate_schema(database, SchemaConfiguration(tables=[grown]))
        assert [s.sql for s in result.plan.statements] == [
            "ALTER TABLE wh_t ADD COLUMN note TEXT",
            "ALTER TABLE wh_t ADD COLUMN flag BOOLEAN NOT NULL DEFAULT FALSE",
            "CREATE INDEX IF NOT EXISTS wh_idx_t_note ON wh_t (note) WHERE note IS NOT NULL",
        ]
        ((difference, reason),) = result.plan.refused
        assert (difference.kind, difference.name) == ("missing_column", "owner")
        assert "NOT NULL column without a default" in reason
        assert kinds(diff_schema(database, SchemaConfiguration(tables=[grown])).drift) == {
            ("missing_column", "wh_t", "owner")
        }
    finally:
        database.close()


def test_sqlite_refuses_to_add_a_column_with_an_expression_default(tmp_path: Path) -> None:
    from whizbang_schema import DefaultValueFunction

    path = str(tmp_path / "a.db")
    base = TableDefinition("t", [ColumnDefinition("id", T.INTEGER, primary_key=True)])
    grown = TableDefinition(
        "t",
        [
            ColumnDefinition("id", T.INTEGER, primary_key=True),
            ColumnDefinition(
                "at",
                T.TIMESTAMP_TZ,
                default=DefaultValue.function(DefaultValueFunction.DATETIME_NOW),
            ),
        ],
    )
    apply_schema(path, SchemaConfiguration(tables=[base]))
    database = connect(path)
    try:
        result = migrate_schema(database, SchemaConfiguration(tables=[grown]))
        ((difference, reason),) = result.plan.refused
        assert difference.name == "at"
        assert "SQLite cannot add a column whose default is an expression" in reason
    finally:
        database.close()


def test_eight_processes_apply_at_the_same_moment_twenty_rounds(
    postgres_admin: Any, postgres_server_url: str
) -> None:
    base = postgres_server_url.rsplit("/", 1)[0]
    context = multiprocessing.get_context("spawn")
    tasks, results = context.Queue(), context.Queue()
    barrier = context.Barrier(8)
    workers = [
        context.Process(target=apply_each_round, args=(tasks, barrier, results)) for _ in range(8)
    ]
    for worker in workers:
        worker.start()
    try:
        for round_number in range(20):
            name = f"wbtest_race_{uuid.uuid4().hex[:12]}"
            postgres_admin.execute(f"CREATE DATABASE {name}")
            url = f"{base}/{name}"
            try:
                for _ in workers:
                    tasks.put(url)
                outcomes = [results.get(timeout=120) for _ in workers]
                assert outcomes == ["ok"] * 8, f"round {round_number}: {outcomes}"
                with psycopg.connect(url) as conn:
                    tables = conn.execute(
                        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                    ).fetchone()[0]
                    indexes = conn.execute(
                        "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'"
                    ).fetchone()[0]
                assert (tables, indexes) == (9, 9 + 28)
            finally:
                postgres_admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        for _ in workers:
            tasks.put(None)
        for worker in workers:
            worker.join(timeout=60)
    assert all(w.exitcode == 0 for w in workers)


def _synthetic(count: int) -> tuple[TableDefinition, ...]:
    return tuple(
        TableDefinition(
            f"synthetic_{n:04d}",
            [
                ColumnDefinition("id", T.UUID, primary_key=True),
                ColumnDefinition(
                    "state", T.SMALL_INT, nullable=False, default=DefaultValue.integer(0)
                ),
                ColumnDefinition("note", T.STRING, max_length=100),
            ],
            indexes=[IndexDefinition(f"idx_synthetic_{n:04d}_state", ["state"], where="state > 0")],
        )
        for n in range(count)
    )


def test_introspecting_1000_tables_takes_as_many_queries_as_ten(postgres_url: str) -> None:
    tables = _synthetic(1000)
    counts = {}
    database = connect(postgres_url)
    try:
        apply_schema(postgres_url, SchemaConfiguration(prefix="big_", tables=tables))
        apply_schema(postgres_url, SchemaConfiguration(prefix="small_", tables=tables[:10]))
        for prefix, selected in (("small_", tables[:10]), ("big_", tables)):
            configuration = SchemaConfiguration(prefix=prefix, tables=selected)
            before = database.round_trips
            read = read_schema(database, configuration)
            counts[prefix] = database.round_trips - before
            assert len(read) == len(selected)
        assert counts["big_"] == counts["small_"] == 3  # columns, indexes, FKs and CHECKs
        assert (
            diff_schema(database, SchemaConfiguration(prefix="big_", tables=tables)).differences
            == ()
        )
    finally:
        database.close()


def test_sqlite_schema_read_is_two_queries(tmp_path: Path) -> None:
    path = str(tmp_path / "q.db")
    apply_schema(path, SchemaConfiguration(tables=_synthetic(50)))
    database = connect(path)
    try:
        before = database.round_trips
        assert len(read_schema(database, SchemaConfiguration(tables=_synthetic(50)))) == 50
        assert database.round_trips - before == 2  # no foreign keys: no query for them
    finally:
        database.close()


def test_concurrent_sqlite_appliers_wait_for_each_other(tmp_path: Path) -> None:
    path = str(tmp_path / "race.db")
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(6)
    errors = context.Queue()
    workers = [
        context.Process(target=apply_at_once, args=(path, barrier, errors)) for _ in range(6)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert failures == []
    count = (
        sqlite3.connect(path)
        .execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        .fetchone()[0]
    )
    assert count == 9


def test_a_default_stored_as_defined_is_no_drift_even_when_unreadable(tmp_path: Path) -> None:
    # A subclass mapping BOOLEAN to a type SQLite's reader does not know: its default reads
    # back as text alone, on both sides. The same text is no drift; another text is.
    import sqlite3

    import attrs

    from whizbang_schema import PluginRegistry, get_dialect
    from whizbang_schema.live.connect import connect
    from whizbang_schema.live.introspect import diff_schema
    from whizbang_schema.tables import OUTBOX
    from whizbang_schema_sqlite import SQLiteDialect

    class BoolSQLite(SQLiteDialect):
        info = attrs.evolve(SQLiteDialect.info, name="boolsqlite", url_schemes=("boolsqlite",))
        TYPES: ClassVar[dict[WhizbangDataType, str]] = {
            **SQLiteDialect.TYPES,
            WhizbangDataType.BOOLEAN: "BOOLEAN",
        }

    registry = PluginRegistry()
    registry.register(BoolSQLite)
    configuration = SchemaConfiguration(tables=(OUTBOX,))
    statements = get_dialect("boolsqlite", registry=registry).statements(configuration)
    assert "is_event BOOLEAN NOT NULL DEFAULT 0" in statements[0].sql

    def drift(default: str) -> list[str]:
        path = tmp_path / f"bool{default}.db"
        connection = sqlite3.connect(path)
        for statement in statements:
            connection.execute(
                statement.sql.replace(
                    "is_event BOOLEAN NOT NULL DEFAULT 0",
                    f"is_event BOOLEAN NOT NULL DEFAULT {default}",
                )
            )
        connection.commit()
        connection.close()
        database = connect(str(path), dialect="boolsqlite", registry=registry, read_only=True)
        try:
            return [str(d) for d in diff_schema(database, configuration, registry=registry).drift]
        finally:
            database.close()

    assert drift("0") == []
    assert drift("1") == [
        "wh_outbox: column 'is_event' default is unreadable '1', expected unreadable '0'"
    ]
