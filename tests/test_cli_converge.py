"""``apply`` converges, ``check`` answers, on the real engines: PostgreSQL, MariaDB (through the
example MySQL plugin) and SQLite, as a new user would use them.

A definition grows a column and an index on it; ``apply`` brings the database up to date and
``check`` passes. A unique index dropped over rows that now share a key: ``migrate`` makes the
safe repairs, refuses that one naming the key, exits 1. A database built with the C# original's
unprefixed index names: nothing is duplicated, ``--verbatim-names`` is suggested once, and
duplicates made on purpose are listed by ``diff``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(sys.executable).parent / "whizbang-schema"

DEFINITIONS = textwrap.dedent(
    """
    from whizbang_schema import (
        ColumnDefinition, DefaultValue, IndexDefinition, SchemaConfiguration, TableDefinition,
        WhizbangDataType as T,
    )
    from whizbang_schema.tables import ALL_TABLES

    ORDER_COLUMNS = [
        ColumnDefinition("id", T.INTEGER, primary_key=True),
        ColumnDefinition("total", T.BIG_INT, nullable=False, default=DefaultValue.integer(0)),
        ColumnDefinition("state", T.STRING, max_length=20, nullable=False,
                         default=DefaultValue.string("new")),
    ]
    ORDERS = TableDefinition(
        "orders", ORDER_COLUMNS, indexes=[IndexDefinition("idx_orders_state", ["state"])]
    )
    # The next version: a nullable column, and an index on it.
    ORDERS_V2 = TableDefinition(
        "orders",
        [*ORDER_COLUMNS, ColumnDefinition("shipped_at", T.TIMESTAMP_TZ)],
        indexes=[
            IndexDefinition("idx_orders_state", ["state"]),
            IndexDefinition("idx_orders_shipped_at", ["shipped_at"]),
        ],
    )
    CUSTOMERS = TableDefinition(
        "customers",
        [
            ColumnDefinition("id", T.INTEGER, primary_key=True),
            ColumnDefinition("email", T.STRING, max_length=200),
        ],
        indexes=[IndexDefinition("idx_customers_email", ["email"], unique=True)],
    )
    V1 = SchemaConfiguration(prefix="shop_", tables=[*ALL_TABLES, ORDERS, CUSTOMERS])
    V2 = SchemaConfiguration(prefix="shop_", tables=[*ALL_TABLES, ORDERS_V2, CUSTOMERS])
    SHOP = SchemaConfiguration(prefix="shop_", tables=[ORDERS, CUSTOMERS])
    """
)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args],
        cwd=cwd,
        env={**os.environ, "WHIZBANG_SCHEMA_URL": "", "WHIZBANG_SCHEMA_PREFIX": ""},
        capture_output=True,
        text=True,
        timeout=300,
    )


class Engine:
    """A fresh database of one engine: its CLI flags, and SQL run on it by hand."""

    def __init__(self, name: str, flags: list[str], run: Callable[[str], list[tuple[Any, ...]]]):
        self.name = name
        self.flags = flags
        self.sql = run

    def index_count(self) -> int:
        query = {
            "postgres": "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'",
            "mariadb": "SELECT count(DISTINCT table_name, index_name) "
            "FROM information_schema.statistics WHERE table_schema = DATABASE()",
            "sqlite": "SELECT count(*) FROM sqlite_master WHERE type = 'index'",
        }[self.name]
        return int(self.sql(query)[0][0])

    def drop_index(self, table: str, index: str) -> None:
        on = f" ON {table}" if self.name == "mariadb" else ""
        self.sql(f"DROP INDEX {index}{on}")


@pytest.fixture
def mariadb_url(mariadb_admin: Any, mariadb_server_url: str) -> Iterator[str]:
    name = f"wbtest_{uuid.uuid4().hex[:16]}"
    mariadb_admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{mariadb_server_url.rpartition('/')[0]}/{name}"
    finally:
        mariadb_admin.execute(f"DROP DATABASE IF EXISTS {name}")


@pytest.fixture(params=["postgres", "mariadb", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    (tmp_path / "shop.py").write_text(DEFINITIONS)
    if request.param == "postgres":
        import psycopg

        url = request.getfixturevalue("postgres_url")
        with psycopg.connect(url, autocommit=True) as conn:

            def run_pg(sql: str) -> list[tuple[Any, ...]]:
                cursor = conn.execute(sql)
                return cursor.fetchall() if cursor.description else []

            yield Engine("postgres", ["--url", url], run_pg)
    elif request.param == "mariadb":
        import urllib.parse

        import pymysql

        url = request.getfixturevalue("mariadb_url")
        parts = urllib.parse.urlsplit(url)
        conn = pymysql.connect(
            host=parts.hostname,
            port=parts.port or 3306,
            user=parts.username or "root",
            password=parts.password or "",
            database=parts.path.lstrip("/"),
            autocommit=True,
        )

        def run_mariadb(sql: str) -> list[tuple[Any, ...]]:
            with conn.cursor() as cursor:
                cursor.execute(sql)
                return list(cursor.fetchall())

        yield Engine("mariadb", ["--url", url], run_mariadb)
        conn.close()
    else:
        path = tmp_path / "shop.db"

        def run_sqlite(sql: str) -> list[tuple[Any, ...]]:
            with sqlite3.connect(path, isolation_level=None) as conn:
                return conn.execute(sql).fetchall()

        yield Engine("sqlite", ["--database", str(path)], run_sqlite)


def test_a_new_column_and_an_index_on_it_apply_then_check_passes(
    engine: Engine, tmp_path: Path
) -> None:
    first = cli("apply", *engine.flags, "--definitions", "shop:V1", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert cli("check", *engine.flags, "--definitions", "shop:V1", cwd=tmp_path).returncode == 0

    drift = cli("check", *engine.flags, "--definitions", "shop:V2", cwd=tmp_path)
    assert drift.returncode == 1, drift.stdout + drift.stderr
    assert "drift: shop_orders: column 'shipped_at' is missing" in drift.stdout
    assert "drift: shop_orders: index 'shop_idx_orders_shipped_at' is missing" in drift.stdout
    assert drift.stderr.endswith("drifts from the definitions (2 differences)\n")
    assert drift.stderr.startswith("whizbang-schema: error: ")

    second = cli("apply", *engine.flags, "--definitions", "shop:V2", cwd=tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    created = [line for line in second.stdout.splitlines() if line.startswith("created")]
    # the column before the index that needs it
    assert created == [
        "created  column shop_orders.shipped_at",
        "created  index  shop_idx_orders_shipped_at",
    ]
    assert ": 2 created, " in second.stdout

    after = cli("check", *engine.flags, "--definitions", "shop:V2", cwd=tmp_path)
    assert after.returncode == 0, after.stdout + after.stderr
    assert after.stdout.rstrip().endswith("matches the definitions")
    assert after.stderr == ""


def test_apply_lists_what_needs_a_decision_and_exits_1(engine: Engine, tmp_path: Path) -> None:
    assert cli("apply", *engine.flags, "--definitions", "shop:SHOP", cwd=tmp_path).returncode == 0
    engine.sql("ALTER TABLE shop_customers ADD COLUMN note VARCHAR(10)")  # an extra: kept
    engine.drop_index("shop_orders", "shop_idx_orders_state")
    engine.drop_index("shop_customers", "shop_idx_customers_email")
    engine.sql("INSERT INTO shop_customers (id, email) VALUES (1, 'a@example.com')")
    engine.sql("INSERT INTO shop_customers (id, email) VALUES (2, 'a@example.com')")
    engine.sql("INSERT INTO shop_customers (id, email) VALUES (3, NULL)")
    engine.sql("INSERT INTO shop_customers (id, email) VALUES (4, NULL)")

    out = cli("migrate", *engine.flags, "--definitions", "shop:SHOP", "--json", cwd=tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr
    payload = json.loads(out.stdout)
    # the safe repair was made ...
    assert [s["name"] for s in payload["statements"]] == ["shop_idx_orders_state"]
    # ... and the one the rows would break refused, naming the key they share (NULLs do not)
    (refused,) = payload["refused"]
    # (MariaDB stores a unique index as a unique constraint)
    assert refused["kind"] in ("missing_index", "missing_constraint")
    assert (refused["table"], refused["name"]) == ("shop_customers", "shop_idx_customers_email")
    assert "email='a@example.com'" in refused["reason"]
    assert [e["name"] for e in payload["extras"]] == ["note"]
    assert out.stderr == "whizbang-schema: error: 1 difference left for you (see 'refused')\n"

    check = cli("check", *engine.flags, "--definitions", "shop:SHOP", cwd=tmp_path)
    assert check.returncode == 1
    (line,) = [line for line in check.stdout.splitlines() if line.startswith("drift")]
    assert line.startswith("drift: shop_customers: ")
    assert line.endswith(" 'shop_idx_customers_email' is missing")
    again = cli("apply", *engine.flags, "--definitions", "shop:SHOP", cwd=tmp_path)
    assert again.returncode == 1
    assert "'shop_idx_customers_email' is missing: rows share the key" in again.stdout
    assert again.stderr.endswith("1 difference needs your decision (see 'refused')\n")

    engine.sql("DELETE FROM shop_customers WHERE id = 2")
    fixed = cli("apply", *engine.flags, "--definitions", "shop:SHOP", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "created  index  shop_idx_customers_email" in fixed.stdout


def _plain_index() -> tuple[str, tuple[str, ...]]:
    # An outbox index every engine stores as defined: not unique, no predicate.
    from whizbang_schema.tables import OUTBOX

    index = next(i for i in OUTBOX.indexes if not i.unique and i.where is None)
    return index.name, index.columns


def test_a_database_with_the_c_sharp_original_names(engine: Engine, tmp_path: Path) -> None:
    built = cli("apply", *engine.flags, "--verbatim-names", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    indexes = engine.index_count()

    check = cli("check", *engine.flags, cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stderr.count("use --verbatim-names") == 1
    assert check.stderr.startswith("whizbang-schema: hint: ")

    applied = cli("apply", *engine.flags, cwd=tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert not [line for line in applied.stdout.splitlines() if line.startswith("created")]
    assert applied.stderr.count("use --verbatim-names") == 1
    assert engine.index_count() == indexes  # no duplicate of any of them

    migrated = cli("migrate", *engine.flags, cwd=tmp_path)
    assert migrated.returncode == 0 and "0 statements ran" in migrated.stdout
    assert engine.index_count() == indexes

    name, columns = _plain_index()
    engine.sql(f"CREATE INDEX dup_one ON wh_outbox ({', '.join(columns)})")
    engine.sql(f"CREATE INDEX dup_two ON wh_outbox ({', '.join(columns)})")
    diff = cli("diff", *engine.flags, "--verbatim-names", "--json", cwd=tmp_path)
    assert diff.returncode == 0, diff.stderr
    duplicates = [e for e in json.loads(diff.stdout)["extras"] if e["kind"] == "duplicate_index"]
    assert sorted((d["name"], d["expected"]) for d in duplicates) == [
        ("dup_one", name),
        ("dup_two", name),
    ]
    text = cli("diff", *engine.flags, "--verbatim-names", cwd=tmp_path)
    assert f"extra: wh_outbox: index 'dup_one' duplicates '{name}'" in text.stdout
    # duplicates cost writes, but the database still matches the definitions
    assert cli("check", *engine.flags, "--verbatim-names", cwd=tmp_path).returncode == 0
