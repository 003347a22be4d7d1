"""Foreign keys and CHECK constraints on the real engines: PostgreSQL, MariaDB (through the
example MySQL plugin) and SQLite.

A shop next to the nine tables: customers, orders referencing them (ON DELETE SET NULL, with a
CHECK on the quantity) and order lines referencing orders (ON DELETE CASCADE). Applied, it
reads back without drift and a second apply does nothing; the engine refuses an orphan row
and a row the CHECK forbids, and deleting a customer or an order does what the keys declare.
Two tables that reference each other are created and read back. A constraint added to a
table that holds rows breaking it is refused with the rows counted, and added once they are
fixed (SQLite cannot add one at all, and says so).
"""

from __future__ import annotations

import sqlite3
import urllib.parse
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from whizbang_schema import (
    CheckDefinition,
    ColumnDefinition,
    DecimalType,
    DegradedRenderWarning,
    ForeignKeyAction,
    ForeignKeyDefinition,
    SchemaConfiguration,
    TableDefinition,
    UnsupportedFeatureError,
    WhizbangDataType,
    apply_schema,
    connect,
    diff_schema,
)
from whizbang_schema.tables import ALL_TABLES

T = WhizbangDataType
C = ColumnDefinition

CUSTOMERS = TableDefinition(
    "customers",
    [C("id", T.BIG_INT, primary_key=True), C("email", T.STRING, max_length=200, nullable=False)],
)
ORDERS_COLUMNS = [
    C("id", T.BIG_INT, primary_key=True),
    C("customer_id", T.BIG_INT),
    C("qty", T.INTEGER, nullable=False),
]
ORDERS = TableDefinition(
    "orders",
    ORDERS_COLUMNS,
    foreign_keys=[
        ForeignKeyDefinition(
            "fk_orders_customer",
            ["customer_id"],
            "customers",
            ["id"],
            on_delete=ForeignKeyAction.SET_NULL,
        )
    ],
    checks=[CheckDefinition("ck_orders_qty", "qty > 0 AND qty <= 1000")],
)
LINES = TableDefinition(
    "order_lines",
    [
        C("order_id", T.BIG_INT, primary_key=True),
        C("line", T.INTEGER, primary_key=True),
        C("sku", T.STRING, max_length=40, nullable=False),
    ],
    foreign_keys=[
        ForeignKeyDefinition("fk_lines_order", ["order_id"], "orders", ["id"], on_delete="CASCADE")
    ],
)
# Listed children first: the tables are created in the order their keys need.
SHOP = SchemaConfiguration(prefix="shop_", tables=[*ALL_TABLES, LINES, ORDERS, CUSTOMERS])


class Engine:
    """A fresh database: its URL for the library, and SQL run by hand as an application
    would (SQLite's application connection turns foreign keys on, as the README says)."""

    def __init__(self, name: str, url: str, run: Callable[[str], list[tuple[Any, ...]]]) -> None:
        self.name = name
        self.url = url
        self.sql = run

    def refuses(self, sql: str) -> str:
        with pytest.raises(Exception) as caught:
            self.sql(sql)
        return str(caught.value)


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
    if request.param == "postgres":
        import psycopg

        url = request.getfixturevalue("postgres_url")
        with psycopg.connect(url, autocommit=True) as conn:

            def run_pg(sql: str) -> list[tuple[Any, ...]]:
                cursor = conn.execute(sql)
                return cursor.fetchall() if cursor.description else []

            yield Engine("postgres", url, run_pg)
    elif request.param == "mariadb":
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

        yield Engine("mariadb", url, run_mariadb)
        conn.close()
    else:
        path = tmp_path / "shop.db"

        def run_sqlite(sql: str) -> list[tuple[Any, ...]]:
            conn = sqlite3.connect(path, isolation_level=None)
            try:
                conn.execute("PRAGMA foreign_keys = ON")
                return conn.execute(sql).fetchall()
            finally:
                conn.close()

        yield Engine("sqlite", str(path), run_sqlite)


def _apply(url: str, configuration: SchemaConfiguration) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)  # MariaDB's partial indexes
        return apply_schema(url, configuration)


def _diff(url: str, configuration: SchemaConfiguration) -> list[str]:
    database = connect(url)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegradedRenderWarning)
            return [str(d) for d in diff_schema(database, configuration).differences]
    finally:
        database.close()


def test_the_shop_applies_reads_back_and_its_keys_act_as_declared(engine: Engine) -> None:
    first = _apply(engine.url, SHOP)
    assert first.refused == ()
    assert _diff(engine.url, SHOP) == []
    assert _apply(engine.url, SHOP).created == ()

    engine.sql("INSERT INTO shop_customers (id, email) VALUES (1, 'a@example.com')")
    engine.sql("INSERT INTO shop_customers (id, email) VALUES (2, 'b@example.com')")
    engine.sql("INSERT INTO shop_orders (id, customer_id, qty) VALUES (10, 1, 3)")
    engine.sql("INSERT INTO shop_orders (id, customer_id, qty) VALUES (11, 2, 1)")
    engine.sql("INSERT INTO shop_order_lines (order_id, line, sku) VALUES (10, 1, 'x')")
    engine.sql("INSERT INTO shop_order_lines (order_id, line, sku) VALUES (10, 2, 'y')")
    engine.sql("INSERT INTO shop_order_lines (order_id, line, sku) VALUES (11, 1, 'z')")

    orphan = engine.refuses("INSERT INTO shop_orders (id, customer_id, qty) VALUES (12, 99, 1)")
    assert "foreign key" in orphan.lower()
    lost = engine.refuses("INSERT INTO shop_order_lines (order_id, line, sku) VALUES (99, 1, 'q')")
    assert "foreign key" in lost.lower()
    for qty in (0, 1001):
        refused = engine.refuses(
            f"INSERT INTO shop_orders (id, customer_id, qty) VALUES (13, 1, {qty})"
        )
        assert "ck_orders_qty" in refused.lower() or "check" in refused.lower()
    assert engine.sql("SELECT count(*) FROM shop_orders")[0][0] == 2

    engine.sql("DELETE FROM shop_customers WHERE id = 1")  # ON DELETE SET NULL
    assert engine.sql("SELECT customer_id FROM shop_orders WHERE id = 10") == [(None,)]
    engine.sql("DELETE FROM shop_orders WHERE id = 10")  # ON DELETE CASCADE
    assert engine.sql("SELECT order_id, line FROM shop_order_lines") == [(11, 1)]
    # NO ACTION on update: a referenced key cannot change under its rows.
    engine.refuses("UPDATE shop_orders SET id = 50 WHERE id = 11")


def test_two_tables_that_reference_each_other_are_created_and_read_back(engine: Engine) -> None:
    teams = TableDefinition(
        "teams",
        [C("id", T.INTEGER, primary_key=True), C("captain_id", T.INTEGER)],
        foreign_keys=[ForeignKeyDefinition("fk_teams_captain", ["captain_id"], "players", ["id"])],
    )
    players = TableDefinition(
        "players",
        [
            C("id", T.INTEGER, primary_key=True),
            C("team_id", T.INTEGER),
            C("mentor_id", T.INTEGER),
        ],
        foreign_keys=[
            ForeignKeyDefinition("fk_players_team", ["team_id"], "teams", ["id"]),
            ForeignKeyDefinition(
                "fk_players_mentor", ["mentor_id"], "players", ["id"], on_delete="SET NULL"
            ),
        ],
    )
    league = SchemaConfiguration(prefix="lg_", tables=[teams, players])
    result = _apply(engine.url, league)
    assert result.refused == ()
    kinds = [s.kind.value for s in result.created]
    if engine.name == "sqlite":  # forward references in CREATE TABLE: no ALTER needed
        assert kinds == ["create_table", "create_table"]
    else:
        assert kinds == ["create_table", "create_table", "add_constraint"]
    assert _diff(engine.url, league) == []
    assert _apply(engine.url, league).created == ()
    engine.sql("INSERT INTO lg_teams (id, captain_id) VALUES (1, NULL)")
    engine.sql("INSERT INTO lg_players (id, team_id, mentor_id) VALUES (7, 1, NULL)")
    engine.sql("INSERT INTO lg_players (id, team_id, mentor_id) VALUES (8, 1, 7)")
    engine.sql("UPDATE lg_teams SET captain_id = 7 WHERE id = 1")
    engine.refuses("UPDATE lg_teams SET captain_id = 70 WHERE id = 1")
    engine.sql("UPDATE lg_teams SET captain_id = NULL WHERE id = 1")
    engine.sql("DELETE FROM lg_players WHERE id = 7")  # the mentor: SET NULL on the pupil
    assert engine.sql("SELECT mentor_id FROM lg_players WHERE id = 8") == [(None,)]


def test_a_constraint_that_rows_break_is_refused_with_them_counted(engine: Engine) -> None:
    before = SchemaConfiguration(
        prefix="shop_", tables=[CUSTOMERS, TableDefinition("orders", ORDERS_COLUMNS)]
    )
    after = SchemaConfiguration(prefix="shop_", tables=[CUSTOMERS, ORDERS])
    _apply(engine.url, before)
    engine.sql("INSERT INTO shop_customers (id, email) VALUES (1, 'a@example.com')")
    for id_, customer, qty in ((1, 1, 5), (2, 98, 5), (3, 99, 0), (4, None, 5000)):
        shown = "NULL" if customer is None else customer
        engine.sql(f"INSERT INTO shop_orders (id, customer_id, qty) VALUES ({id_}, {shown}, {qty})")
    result = _apply(engine.url, after)
    reasons = {d.name: why for d, why in result.refused}
    assert result.created == ()
    assert set(reasons) == {"shop_fk_orders_customer", "shop_ck_orders_qty"}
    if engine.name == "sqlite":
        for why in reasons.values():
            assert "sqlite cannot add a" in why.lower() and "recreate the table" in why
        return
    # Two orders name customers that do not exist (NULL is not checked); two break the CHECK.
    assert reasons["shop_fk_orders_customer"].startswith(
        "2 existing rows of shop_orders break foreign key shop_fk_orders_customer"
    )
    assert reasons["shop_ck_orders_qty"].startswith(
        "2 existing rows of shop_orders break check shop_ck_orders_qty"
    )
    engine.sql("DELETE FROM shop_orders WHERE id IN (2, 3)")
    engine.sql("UPDATE shop_orders SET qty = 1 WHERE id = 4")
    fixed = _apply(engine.url, after)
    assert fixed.refused == ()
    assert sorted(s.name for s in fixed.created) == [
        "shop_ck_orders_qty",
        "shop_fk_orders_customer",
    ]
    assert _diff(engine.url, after) == []
    engine.refuses("INSERT INTO shop_orders (id, customer_id, qty) VALUES (9, 42, 1)")


def test_sqlite_connections_the_tool_opens_enforce_foreign_keys(tmp_path: Path) -> None:
    path = str(tmp_path / "fk.db")
    _apply(path, SchemaConfiguration(prefix="shop_", tables=[CUSTOMERS, ORDERS]))
    database = connect(path)
    try:
        assert database.query("PRAGMA foreign_keys") == [(1,)]
    finally:
        database.close()
    # What an application's own connection gets unless it turns them on: no enforcement.
    plain = sqlite3.connect(path, isolation_level=None)
    try:
        plain.execute("INSERT INTO shop_orders (id, customer_id, qty) VALUES (1, 99, 1)")
        assert plain.execute("SELECT count(*) FROM shop_orders").fetchone() == (1,)
    finally:
        plain.close()


DEFINITIONS = """
from whizbang_schema import (
    CheckDefinition, ColumnDefinition as C, ForeignKeyDefinition, SchemaConfiguration,
    TableDefinition, WhizbangDataType as T,
)

CUSTOMERS = TableDefinition(
    "customers", [C("id", T.BIG_INT, primary_key=True), C("name", T.STRING, max_length=80)]
)
ORDERS = TableDefinition(
    "orders",
    [
        C("id", T.BIG_INT, primary_key=True),
        C("customer_id", T.BIG_INT, nullable=False),
        C("total_cents", T.BIG_INT, nullable=False),
    ],
    foreign_keys=[
        ForeignKeyDefinition(
            "fk_orders_customer", ["customer_id"], "customers", ["id"], on_delete="CASCADE"
        )
    ],
    checks=[CheckDefinition("ck_orders_total", "total_cents >= 0")],
)
SHOP = SchemaConfiguration(prefix="shop_", tables=[ORDERS, CUSTOMERS])
"""


def test_apply_then_check_pass_on_the_command_line(engine: Engine, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    (tmp_path / "shop.py").write_text(DEFINITIONS)
    script = Path(sys.executable).parent / "whizbang-schema"
    flag = "--database" if engine.name == "sqlite" else "--url"

    def cli(command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(script), command, flag, engine.url, "--definitions", "shop:SHOP"],
            cwd=tmp_path,
            env={**os.environ, "WHIZBANG_SCHEMA_URL": "", "WHIZBANG_SCHEMA_PREFIX": ""},
            capture_output=True,
            text=True,
            timeout=300,
        )

    applied = cli("apply")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    checked = cli("check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    engine.sql("INSERT INTO shop_customers (id, name) VALUES (1, 'a')")
    engine.refuses("INSERT INTO shop_orders (id, customer_id, total_cents) VALUES (1, 2, 5)")
    engine.refuses("INSERT INTO shop_orders (id, customer_id, total_cents) VALUES (1, 1, -5)")


# A SQLite migration plan rebuilds a table to change it (SQLite's documented procedure). The
# parent is rebuilt under its children's ON DELETE CASCADE, the child keeps its own keys.
REBUILT_PARENT = TableDefinition(
    "customers",
    [C("id", T.BIG_INT, primary_key=True), C("email", T.STRING, max_length=200)],
)
REBUILT_CHILD = TableDefinition(
    "orders",
    [
        C("id", T.BIG_INT, primary_key=True),
        C("customer_id", T.BIG_INT, nullable=False),
        C("qty", T.INTEGER, nullable=False),
        C("note", T.STRING),
    ],
    foreign_keys=[
        ForeignKeyDefinition(
            "fk_orders_customer", ["customer_id"], "customers", ["id"], on_delete="CASCADE"
        )
    ],
    checks=[CheckDefinition("ck_orders_qty", "qty > 0")],
)
REBUILD_V1 = (REBUILT_PARENT, REBUILT_CHILD)
REBUILD_V2 = (
    TableDefinition(
        "customers",
        [
            C("id", T.BIG_INT, primary_key=True),
            C("email", T.STRING, max_length=200, nullable=False),
        ],
    ),
    TableDefinition(
        "orders",
        [*REBUILT_CHILD.columns[:3], C("note", T.STRING, nullable=False)],
        foreign_keys=REBUILT_CHILD.foreign_keys,
        checks=REBUILT_CHILD.checks,
    ),
)


def test_a_sqlite_rebuild_keeps_the_rows_that_reference_the_table_and_its_own_keys(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from whizbang_schema.cli import main

    target = str(tmp_path / "rebuild.db")
    _apply(target, SchemaConfiguration(tables=REBUILD_V1))
    database = connect(target)
    try:
        database.execute("INSERT INTO wh_customers (id, email) VALUES (1, 'a@example.com')")
        database.execute("INSERT INTO wh_orders (id, customer_id, qty, note) VALUES (7, 1, 2, 'n')")
    finally:
        database.close()
    here = str(Path(__file__).resolve())
    common = ["--database", target, "--definitions", f"{here}:REBUILD_V2"]
    plan = str(tmp_path / "plan.json")
    backfill = ["--backfill", "email=x@example.com", "--backfill", "note=-"]
    assert main(["migrate", *common, *backfill, "--plan", plan]) == 0, capsys.readouterr()
    assert main(["migrate", *common, *backfill, "--execute", plan]) == 0, capsys.readouterr()
    database = connect(target)
    try:
        # Rebuilding the parent dropped it: with foreign keys on, that DELETE would have
        # cascaded into the orders.
        assert database.query("SELECT id, customer_id FROM wh_orders") == [(7, 1)]
        assert database.query("PRAGMA foreign_keys") == [(1,)]  # on again after the plan
        configuration = SchemaConfiguration(tables=REBUILD_V2)
        assert [str(d) for d in diff_schema(database, configuration).differences] == []
        with pytest.raises(Exception, match="FOREIGN KEY"):
            database.execute(
                "INSERT INTO wh_orders (id, customer_id, qty, note) VALUES (8, 9, 1, 'x')"
            )
        with pytest.raises(Exception, match="CHECK"):
            database.execute(
                "INSERT INTO wh_orders (id, customer_id, qty, note) VALUES (9, 1, 0, 'x')"
            )
    finally:
        database.close()


def test_a_column_and_the_constraints_on_it_are_added_to_a_table_with_rows(engine: Engine) -> None:
    # The rows of a new column cannot be counted before it exists: a foreign key on a new
    # column without a default is added (NULL in every row), a CHECK on one waits a run.
    before = SchemaConfiguration(
        prefix="shop_", tables=[CUSTOMERS, TableDefinition("orders", ORDERS_COLUMNS[:1])]
    )
    _apply(engine.url, before)
    engine.sql("INSERT INTO shop_orders (id) VALUES (1)")
    after = SchemaConfiguration(
        prefix="shop_",
        tables=[
            CUSTOMERS,
            attrs.evolve(ORDERS, columns=[*ORDERS_COLUMNS[:2], C("qty", T.INTEGER)]),
        ],
    )
    first = _apply(engine.url, after)
    reasons = {d.name: why for d, why in first.refused}
    if engine.name == "sqlite":
        assert [s.name for s in first.created] == ["customer_id", "qty"]
        assert all("recreate the table" in why for why in reasons.values())
        return
    assert sorted(s.name for s in first.created) == [
        "customer_id",
        "qty",
        "shop_fk_orders_customer",
    ]
    assert list(reasons) == ["shop_ck_orders_qty"]
    assert "column 'qty' of shop_orders, which this run adds" in reasons["shop_ck_orders_qty"]
    second = _apply(engine.url, after)  # qty is NULL in the row: the CHECK holds
    assert (second.refused, [s.name for s in second.created]) == ((), ["shop_ck_orders_qty"])
    assert _diff(engine.url, after) == []
    engine.refuses("INSERT INTO shop_orders (id, customer_id) VALUES (2, 42)")


def test_a_check_with_is_not_true_is_created_and_read_back(engine: Engine) -> None:
    # MySQL writes TRUE as 1, but not after IS: "IS NOT 1" is a syntax error there.
    table = TableDefinition(
        "flags",
        [C("id", T.BIG_INT, primary_key=True), C("paid", T.BOOLEAN), C("qty", T.INTEGER)],
        checks=[CheckDefinition("ck_paid", "paid IS NOT TRUE OR qty > 0 OR paid = FALSE")],
    )
    configuration = SchemaConfiguration(prefix="shop_", tables=[table])
    _apply(engine.url, configuration)
    assert _diff(engine.url, configuration) == []
    engine.sql("INSERT INTO shop_flags (id, paid, qty) VALUES (1, FALSE, 0)")
    engine.refuses("INSERT INTO shop_flags (id, paid, qty) VALUES (2, TRUE, 0)")


def test_check_numbers_in_any_notation_read_back_without_drift(engine: Engine) -> None:
    # PostgreSQL prints 2.5e3 as ('2500'::numeric)::double precision, and PostgreSQL and
    # MariaDB print -0.0 as 0.0: the same numbers, so no drift (and 30 digits stay 30 digits).
    table = TableDefinition(
        "measures",
        [
            C("id", T.BIG_INT, primary_key=True),
            C("ratio", T.DOUBLE),
            C("amount", DecimalType(38, 0)),
        ],
        checks=[
            CheckDefinition("ck_ratio", "ratio BETWEEN -2.5e3 AND 1E20 AND ratio <> -0.0"),
            CheckDefinition("ck_amount", "amount IN (-1e2, 123456789012345678901234567890)"),
        ],
    )
    configuration = SchemaConfiguration(prefix="shop_", tables=[table])
    _apply(engine.url, configuration)
    assert _diff(engine.url, configuration) == []
    changed = CheckDefinition("ck_amount", "amount IN (-1e2, 123456789012345678901234567891)")
    checks = [table.checks[0], changed]
    other = SchemaConfiguration(prefix="shop_", tables=[attrs.evolve(table, checks=checks)])
    assert [d for d in _diff(engine.url, other) if "'shop_ck_amount'" in d] != []


def test_mariadb_refuses_a_composite_reference_out_of_key_order_before_any_sql(
    mariadb_url: str,
) -> None:
    # PRIMARY KEY (code, country) serves InnoDB for REFERENCES (code, country) only: the
    # other order failed with errno 150 after the referenced table had been created.
    regions = TableDefinition(
        "regions",
        [
            C("code", T.STRING, max_length=8, primary_key=True),
            C("country", T.STRING, max_length=2, primary_key=True),
        ],
    )
    people = TableDefinition(
        "people",
        [
            C("id", T.BIG_INT, primary_key=True),
            C("rc", T.STRING, max_length=8),
            C("rn", T.STRING, max_length=2),
        ],
        foreign_keys=[
            ForeignKeyDefinition("fk_region", ["rn", "rc"], "regions", ["country", "code"])
        ],
    )
    with pytest.raises(UnsupportedFeatureError, match="in this order: InnoDB needs one"):
        _apply(mariadb_url, SchemaConfiguration(prefix="a_", tables=[people, regions]))
    database = connect(mariadb_url)
    try:
        assert database.query("SHOW TABLES") == []  # refused before the first statement
    finally:
        database.close()
    in_order = attrs.evolve(
        people,
        foreign_keys=[
            ForeignKeyDefinition("fk_region", ["rc", "rn"], "regions", ["code", "country"])
        ],
    )
    configuration = SchemaConfiguration(prefix="a_", tables=[in_order, regions])
    _apply(mariadb_url, configuration)
    assert _diff(mariadb_url, configuration) == []
