"""Migration plans, reviewed (issue 17): what a plan must never lose or change silently.

Another prefix's tables in the same database are never dropped by this prefix's plan, nor is
every table when the prefix is empty; a ``--backfill`` naming the table as stored is the value
the rows get (never the default instead), one naming no column is an error; SQLite's rebuild
keeps the stored unique keys and primary key, and stops at what it cannot re-create (CHECK,
REFERENCES, COLLATE); the MariaDB session is strict, so a value that slips in after a check
fails the ALTER rather than being truncated.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest

from whizbang_schema import (
    ColumnDefinition as C,
)
from whizbang_schema import (
    DefaultValue,
    IndexDefinition,
    SchemaConfiguration,
    TableDefinition,
    apply_schema,
    connect,
)
from whizbang_schema import (
    WhizbangDataType as T,
)
from whizbang_schema.cli import main

DEFS = str(Path(__file__).resolve())

ORDERS = TableDefinition(
    "orders",
    [C("id", T.INTEGER, primary_key=True), C("v", T.STRING, max_length=20)],
    indexes=[IndexDefinition("idx_v", ["v"])],
)
LEGACY = TableDefinition("legacy", [C("id", T.INTEGER, primary_key=True), C("v", T.STRING)])
BILLING = TableDefinition(
    "billing",
    [C("id", T.INTEGER, primary_key=True), C("amount", T.INTEGER)],
    indexes=[IndexDefinition("idx_amount", ["amount"])],
)
BOTH = (ORDERS, LEGACY)
ONLY_ORDERS = (ORDERS,)
OTHER_APP = (BILLING,)

REGION_V1 = (
    TableDefinition(
        "t",
        [
            C("id", T.INTEGER, primary_key=True),
            C("r", T.STRING, max_length=10, default=DefaultValue.string("us")),
        ],
    ),
)
REGION_V2 = (
    TableDefinition(
        "t",
        [
            C("id", T.INTEGER, primary_key=True),
            C("r", T.STRING, max_length=10, nullable=False, default=DefaultValue.string("us")),
        ],
    ),
)

KEYED_V1 = (
    TableDefinition(
        "k",
        [C("id", T.INTEGER, primary_key=True), C("a", T.STRING), C("b", T.STRING)],
    ),
)
KEYED_V2 = (
    TableDefinition(
        "k",
        [
            C("id", T.INTEGER, primary_key=True),
            C("a", T.STRING),
            C("b", T.STRING, nullable=False, default=DefaultValue.string("d")),
        ],
    ),
)
KEYED_NEW_KEY = (
    TableDefinition(
        "k",
        [
            C("id", T.INTEGER, primary_key=True),
            C("a", T.STRING, primary_key=True),
            C("b", T.STRING, nullable=False, default=DefaultValue.string("d")),
        ],
    ),
)


def _args(target: str) -> list[str]:
    return ["--url", target] if "://" in target else ["--database", target]


def _statements(plan_file: Path) -> list[str]:
    plan = json.loads(plan_file.read_text())
    return [s["sql"] for c in plan["changes"] for s in c["statements"]]


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "prefixes.db")
    return str(request.getfixturevalue("postgres_url"))


def test_allow_drop_never_drops_another_prefixs_tables(
    target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    apply_schema(target, SchemaConfiguration(tables=BOTH, prefix="wh_"))
    apply_schema(target, SchemaConfiguration(tables=BOTH, prefix="wh_eu_"))
    apply_schema(target, SchemaConfiguration(tables=OTHER_APP, prefix="wh_billing_"))
    live = connect(target)
    try:
        for table in ("wh_eu_orders", "wh_eu_legacy", "wh_billing_billing"):
            live.execute(f"INSERT INTO {table} VALUES (1, 1)")
    finally:
        live.close()
    plan_file = tmp_path / "plan.json"
    definitions = ["--definitions", DEFS + ":ONLY_ORDERS", "--prefix", "wh_"]
    code = main(["migrate", *_args(target), *definitions, "--plan", str(plan_file), "--allow-drop"])
    out = capsys.readouterr().out
    sql = _statements(plan_file)
    assert any(s.startswith("DROP TABLE") and "wh_legacy" in s for s in sql), sql
    assert not [s for s in sql if "wh_eu_" in s or "wh_billing_" in s], sql
    refused = json.loads(plan_file.read_text())["refused"]
    assert {r["table"] for r in refused} == {"wh_eu_orders", "wh_eu_legacy", "wh_billing_billing"}
    assert "prefix 'wh_eu_'" in out and "prefix 'wh_billing_'" in out
    assert code == 1
    assert main(["migrate", *_args(target), *definitions, "--execute", str(plan_file)]) == 0
    live = connect(target)
    try:
        for table in ("wh_eu_orders", "wh_eu_legacy", "wh_billing_billing"):
            assert live.query(f"SELECT COUNT(*) FROM {table}")[0][0] == 1, table
    finally:
        live.close()


def test_allow_drop_with_an_empty_prefix_drops_no_table(tmp_path: Path) -> None:
    target = str(tmp_path / "empty.db")
    with sqlite3.connect(target) as raw:
        raw.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        raw.execute("INSERT INTO users VALUES (1, 'alice')")
    raw.close()
    apply_schema(target, SchemaConfiguration(tables=ONLY_ORDERS, prefix=""))
    plan_file = tmp_path / "plan.json"
    definitions = ["--definitions", DEFS + ":ONLY_ORDERS", "--prefix", ""]
    main(["migrate", *_args(target), *definitions, "--plan", str(plan_file), "--allow-drop"])
    assert not [s for s in _statements(plan_file) if "DROP TABLE" in s]
    refused = json.loads(plan_file.read_text())["refused"]
    assert [r["table"] for r in refused] == ["users"]
    assert "empty prefix" in refused[0]["reason"]


def test_a_backfill_naming_the_stored_table_is_the_value_the_rows_get(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = str(tmp_path / "backfill.db")
    apply_schema(target, SchemaConfiguration(tables=REGION_V1))
    with sqlite3.connect(target) as raw:
        raw.execute("INSERT INTO wh_t (id, r) VALUES (1, NULL), (2, 'jp')")
    raw.close()
    plan_file = tmp_path / "plan.json"
    base = ["migrate", "--database", target, "--definitions", DEFS + ":REGION_V2"]
    # Every message names the table as stored (wh_t): that name must work as well as t.
    assert main([*base, "--plan", str(plan_file), "--backfill", "wh_t.r=eu"]) == 0
    assert main([*base, "--execute", str(plan_file)]) == 0
    with sqlite3.connect(target) as raw:
        assert raw.execute("SELECT id, r FROM wh_t ORDER BY id").fetchall() == [
            (1, "eu"),
            (2, "jp"),
        ]
    raw.close()
    capsys.readouterr()
    # A value for a column the definitions do not have is a mistake, never silently unused.
    assert main([*base, "--plan", str(plan_file), "--backfill", "wh_t.region=eu"]) == 2
    assert "--backfill wh_t.region" in capsys.readouterr().err


def _sqlite_keyed(target: str, extra: str) -> None:
    with sqlite3.connect(target) as raw:
        raw.execute(
            "CREATE TABLE wh_k (id INT NOT NULL, a TEXT, b TEXT, "
            f"CONSTRAINT wh_k_pkey PRIMARY KEY (id){extra})"
        )
        raw.execute("INSERT INTO wh_k VALUES (1, 'x', NULL), (2, 'y', 'z')")
    raw.close()


def test_sqlite_rebuild_keeps_a_stored_unique_key_the_definitions_lack(tmp_path: Path) -> None:
    target = str(tmp_path / "unique.db")
    _sqlite_keyed(target, ", CONSTRAINT user_uq UNIQUE (a)")
    plan_file = tmp_path / "plan.json"
    base = ["migrate", "--database", target, "--definitions", DEFS + ":KEYED_V2"]
    assert main([*base, "--plan", str(plan_file)]) == 0
    assert main([*base, "--execute", str(plan_file)]) == 0
    with sqlite3.connect(target) as raw:
        assert raw.execute("SELECT id, a, b FROM wh_k ORDER BY id").fetchall() == [
            (1, "x", "d"),
            (2, "y", "z"),
        ]
        with pytest.raises(sqlite3.IntegrityError):
            raw.execute("INSERT INTO wh_k VALUES (3, 'x', 'w')")
    raw.close()


def test_sqlite_rebuild_never_changes_a_primary_key_it_refused(tmp_path: Path) -> None:
    target = str(tmp_path / "pk.db")
    _sqlite_keyed(target, "")
    plan_file = tmp_path / "plan.json"
    base = ["migrate", "--database", target, "--definitions", DEFS + ":KEYED_NEW_KEY"]
    assert main([*base, "--plan", str(plan_file)]) == 1
    assert main([*base, "--execute", str(plan_file)]) == 0
    with sqlite3.connect(target) as raw:
        keys = [r[1] for r in raw.execute("PRAGMA table_info(wh_k)") if r[5]]
    raw.close()
    assert keys == ["id"]


@pytest.mark.parametrize(
    "extra",
    [
        ", CONSTRAINT a_ok CHECK (a <> 'bad')",
        ", CONSTRAINT b_ref FOREIGN KEY (b) REFERENCES other (x)",
        ", CONSTRAINT a_ci UNIQUE (a COLLATE NOCASE)",
    ],
)
def test_sqlite_rebuild_stops_at_what_it_cannot_recreate(
    tmp_path: Path, extra: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = str(tmp_path / "features.db")
    _sqlite_keyed(target, extra)
    plan_file = tmp_path / "plan.json"
    base = ["migrate", "--database", target, "--definitions", DEFS + ":KEYED_V2"]
    assert main([*base, "--plan", str(plan_file)]) == 1
    assert "rebuild the table by hand" in capsys.readouterr().out
    with sqlite3.connect(target) as raw:
        (sql,) = raw.execute("SELECT sql FROM sqlite_master WHERE name = 'wh_k'").fetchone()
    raw.close()
    assert extra.removeprefix(", ") in sql


def test_mariadb_session_is_strict_whatever_the_server_default(
    mariadb_admin: Any, mariadb_server_url: str
) -> None:
    # A server whose sql_mode is not strict (MySQL 5.6's default, many managed servers)
    # truncates a too-long value and turns NULL into '' in ALTER TABLE ... MODIFY with only
    # a warning (seen on MariaDB 10.11 with sql_mode=''): the tool's own session must be strict.
    name = "wbtest_strict_review17"
    mariadb_admin.execute(f"DROP DATABASE IF EXISTS {name}")
    mariadb_admin.execute(f"CREATE DATABASE {name}")
    try:
        live = connect(f"{mariadb_server_url.rsplit('/', 1)[0]}/{name}", dialect="mysql")
        try:
            (mode,) = live.query("SELECT @@SESSION.sql_mode")[0]
            assert "STRICT_ALL_TABLES" in str(mode).split(","), mode
        finally:
            live.close()
    finally:
        mariadb_admin.execute(f"DROP DATABASE IF EXISTS {name}")


RENAMED_V1 = (
    TableDefinition("r", [C("id", T.INTEGER, primary_key=True), C("old", T.STRING)]),
    TableDefinition("legacy", [C("id", T.INTEGER, primary_key=True), C("v", T.STRING)]),
)
#: The new names created before the renames were declared (apply adds them, empty).
RENAMED_BOTH = (
    TableDefinition(
        "r", [C("id", T.INTEGER, primary_key=True), C("old", T.STRING), C("new", T.STRING)]
    ),
    TableDefinition("legacy", [C("id", T.INTEGER, primary_key=True), C("v", T.STRING)]),
    TableDefinition("archive", [C("id", T.INTEGER, primary_key=True), C("v", T.STRING)]),
)
RENAMED_V2 = (
    TableDefinition(
        "r", [C("id", T.INTEGER, primary_key=True), C("new", T.STRING, renamed_from="old")]
    ),
    TableDefinition(
        "archive", [C("id", T.INTEGER, primary_key=True), C("v", T.STRING)], renamed_from="legacy"
    ),
)


def test_a_declared_rename_whose_new_name_exists_keeps_the_old_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = str(tmp_path / "renamed.db")
    apply_schema(target, SchemaConfiguration(tables=RENAMED_V1))
    with sqlite3.connect(target) as raw:
        raw.execute("INSERT INTO wh_r VALUES (1, 'kept')")
        raw.execute("INSERT INTO wh_legacy VALUES (1, 'kept')")
    raw.close()
    apply_schema(target, SchemaConfiguration(tables=RENAMED_BOTH))
    plan_file = tmp_path / "plan.json"
    base = ["migrate", "--database", target, "--definitions", DEFS + ":RENAMED_V2"]
    # Without the guard: exit 0, the renames silently skipped, and the data dropped.
    assert main([*base, "--plan", str(plan_file), "--allow-drop"]) == 1
    assert "both the old name and the new one are stored" in capsys.readouterr().out
    assert not [s for s in _statements(plan_file) if "DROP" in s]
    refused = json.loads(plan_file.read_text())["refused"]
    assert sorted(r["kind"] for r in refused) == ["renamed_column", "renamed_table"]
    assert main([*base, "--execute", str(plan_file)]) == 0
    with sqlite3.connect(target) as raw:
        assert raw.execute("SELECT old FROM wh_r").fetchall() == [("kept",)]
        assert raw.execute("SELECT v FROM wh_legacy").fetchall() == [("kept",)]
    raw.close()


TYPED_V1 = (
    TableDefinition(
        "b",
        [
            C("id", T.INTEGER, primary_key=True),
            C("ts", T.TIMESTAMP_TZ),
            C("j", T.JSON),
        ],
    ),
)
TYPED_V2 = (
    TableDefinition(
        "b",
        [
            C("id", T.INTEGER, primary_key=True),
            C("ts", T.TIMESTAMP_TZ, nullable=False),
            C("j", T.JSON, nullable=False),
        ],
    ),
)


def test_a_backfill_is_written_as_the_dialect_stores_its_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # SQLite checks no type: the text as given was stored verbatim, a timestamp in another
    # text form than every other row's (so text order was not time order) and a JSON column
    # holding what is no JSON.
    target = str(tmp_path / "typed.db")
    apply_schema(target, SchemaConfiguration(tables=TYPED_V1))
    with sqlite3.connect(target) as raw:
        raw.execute("INSERT INTO wh_b (id) VALUES (1)")
    raw.close()
    plan_file = tmp_path / "plan.json"
    base = ["migrate", "--database", target, "--definitions", DEFS + ":TYPED_V2"]
    stamp = "--backfill", "ts=2024-01-02T03:04:05+02:00"
    assert main([*base, "--plan", str(plan_file), *stamp, "--backfill", "j=hello"]) == 1
    assert "a JSON backfill is JSON text, got 'hello'" in capsys.readouterr().out
    assert (
        main([*base, "--plan", str(plan_file), "--backfill", "ts=2024-01-02", "--backfill", "j=1"])
        == 1
    )
    assert "ISO 8601 with its offset" in capsys.readouterr().out
    assert main([*base, "--plan", str(plan_file), *stamp, "--backfill", 'j={"a": 1}']) == 0
    assert main([*base, "--execute", str(plan_file)]) == 0
    with sqlite3.connect(target) as raw:
        assert raw.execute("SELECT ts, j FROM wh_b").fetchall() == [
            ("2024-01-02T01:04:05.000Z", '{"a": 1}')
        ]
    raw.close()


@pytest.mark.parametrize(
    "index",
    [
        "CREATE UNIQUE INDEX wh_user_a ON wh_k (a COLLATE NOCASE)",  # re-created case-sensitive
        "CREATE INDEX wh_user_b ON wh_k (lower(b))",  # crashed the rebuild (no column name)
        "CREATE INDEX wh_user_d ON wh_k (b DESC)",
    ],
)
def test_sqlite_rebuild_stops_at_an_index_it_cannot_recreate(
    tmp_path: Path, index: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = str(tmp_path / "index.db")
    _sqlite_keyed(target, "")
    with sqlite3.connect(target) as raw:
        raw.execute(index)
    raw.close()
    plan_file = tmp_path / "plan.json"
    base = ["migrate", "--database", target, "--definitions", DEFS + ":KEYED_V2"]
    assert main([*base, "--plan", str(plan_file)]) == 1
    assert "rebuild the table by hand" in capsys.readouterr().out
    assert _statements(plan_file) == []


WIDE_V1 = (
    TableDefinition("m", [C("id", T.INTEGER, primary_key=True), C("c", T.STRING, max_length=20)]),
)
WIDE_V2 = (
    TableDefinition("m", [C("id", T.INTEGER, primary_key=True), C("c", T.STRING, max_length=100)]),
)


def test_mariadb_modify_column_stops_at_what_it_would_drop(
    mariadb_admin: Any, mariadb_server_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # MODIFY COLUMN restates the whole column: a collation other than the table's (here
    # case-insensitive in a binary table) and a comment were dropped without a word.
    name = f"wbtest_{uuid.uuid4().hex[:16]}"
    mariadb_admin.execute(f"CREATE DATABASE {name}")
    try:
        url = f"{mariadb_server_url.rsplit('/', 1)[0]}/{name}"
        apply_schema(url, SchemaConfiguration(tables=WIDE_V1))
        live = connect(url)
        try:
            live.execute(
                "ALTER TABLE wh_m MODIFY c VARCHAR(20) COLLATE utf8mb4_general_ci "
                "COMMENT 'case does not matter'"
            )
        finally:
            live.close()
        plan_file = tmp_path / "plan.json"
        base = ["migrate", "--url", url, "--definitions", DEFS + ":WIDE_V2"]
        assert main([*base, "--plan", str(plan_file)]) == 1
        assert "MODIFY COLUMN would drop" in capsys.readouterr().out
        assert _statements(plan_file) == []
        live = connect(url)
        try:
            assert live.query(
                "SELECT COLLATION_NAME, COLUMN_COMMENT FROM information_schema.COLUMNS "
                "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'wh_m' AND COLUMN_NAME = 'c'"
            ) == [("utf8mb4_general_ci", "case does not matter")]
        finally:
            live.close()
    finally:
        mariadb_admin.execute(f"DROP DATABASE IF EXISTS {name}")


NO_INDEX = (TableDefinition("w", [C("id", T.INTEGER, primary_key=True), C("v", T.INTEGER)]),)
WITH_INDEX = (
    TableDefinition(
        "w",
        [C("id", T.INTEGER, primary_key=True), C("v", T.INTEGER)],
        indexes=[IndexDefinition("idx_v", ["v"])],
    ),
)


def test_postgres_a_failed_concurrent_build_never_drops_an_index_it_did_not_make(
    postgres_url: str, postgres: Any
) -> None:
    # The concurrent build runs after the plan's transaction: another session can create an
    # index of that name in between. The build then fails ("already exists"), and the
    # cleanup of its leftover dropped that other, valid index.
    from whizbang_schema import DatabaseError, build_plan, execute_plan

    apply_schema(postgres_url, SchemaConfiguration(tables=NO_INDEX))
    configuration = SchemaConfiguration(tables=WITH_INDEX)
    live = connect(postgres_url)
    try:
        with live.transaction():
            plan = build_plan(live, configuration)
        assert [s.concurrent for s in plan.statements] == [True]

        def behind(done: int, total: int, statement: Any) -> None:
            if statement.concurrent and done < total:
                postgres.execute("CREATE UNIQUE INDEX wh_idx_v ON wh_w (v)")

        with pytest.raises(DatabaseError, match="already exists"):
            execute_plan(live, configuration, plan, progress=behind)
    finally:
        live.close()
    rows = postgres.execute(
        "SELECT i.indisvalid, i.indisunique FROM pg_index AS i "
        "WHERE i.indexrelid = to_regclass('wh_idx_v')"
    ).fetchall()
    assert rows == [(True, True)]
