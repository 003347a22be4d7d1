"""Foreign keys and CHECK constraints: what definitions refuse, what each dialect renders.

The shop's golden files were checked by hand; the PostgreSQL and SQLite ones run on the real
engines here, the SQL Server one is held to sqlfluff's T-SQL grammar and the dialect's rules
(SQL Server cannot run here). Regenerate with ``pytest --update-golden`` and review the diff.
"""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path
from typing import Any

import pytest
import sqlfluff

from whizbang_schema import (
    CheckDefinition,
    ColumnDefinition,
    DefaultValue,
    DefinitionError,
    DegradedRenderWarning,
    ForeignKeyAction,
    ForeignKeyDefinition,
    LiveForeignKey,
    LiveTable,
    SchemaConfiguration,
    StatementKind,
    TableDefinition,
    UnsupportedFeatureError,
    WhizbangDataType,
    creation_order,
    diff_tables,
    get_dialect,
)
from whizbang_schema_sqlserver.rules import check_statements

T = WhizbangDataType
C = ColumnDefinition
GOLDEN = Path(__file__).parent / "golden"

CUSTOMERS = TableDefinition(
    "customers",
    [
        C("id", T.BIG_INT, primary_key=True),
        C("email", T.STRING, max_length=200, nullable=False, unique=True),
    ],
)
ORDERS = TableDefinition(
    "orders",
    [
        C("id", T.BIG_INT, primary_key=True),
        C("customer_id", T.BIG_INT),
        C("customer_email", T.STRING, max_length=200),
        C("qty", T.INTEGER, nullable=False),
        C("paid", T.BOOLEAN, nullable=False, default=DefaultValue.boolean(False)),
    ],
    foreign_keys=[
        ForeignKeyDefinition(
            "fk_orders_customer", ["customer_id"], "customers", ["id"], on_delete="SET NULL"
        ),
        ForeignKeyDefinition(
            "fk_orders_email", ["customer_email"], "customers", ["email"], on_update="CASCADE"
        ),
    ],
    checks=[
        CheckDefinition("ck_orders_qty", "qty BETWEEN 1 AND 1000"),
        CheckDefinition("ck_orders_paid", "paid = TRUE OR qty < 100"),
    ],
)
LINES = TableDefinition(
    "order_lines",
    [C("order_id", T.BIG_INT, primary_key=True), C("line", T.INTEGER, primary_key=True)],
    foreign_keys=[
        ForeignKeyDefinition(
            "fk_lines_order", ["order_id"], "orders", ["id"], on_delete=ForeignKeyAction.CASCADE
        )
    ],
)
TEAMS = TableDefinition(
    "teams",
    [C("id", T.INTEGER, primary_key=True), C("captain_id", T.INTEGER)],
    foreign_keys=[ForeignKeyDefinition("fk_teams_captain", ["captain_id"], "players", ["id"])],
)
PLAYERS = TableDefinition(
    "players",
    [C("id", T.INTEGER, primary_key=True), C("team_id", T.INTEGER)],
    foreign_keys=[ForeignKeyDefinition("fk_players_team", ["team_id"], "teams", ["id"])],
)
SHOP = SchemaConfiguration(prefix="shop_", tables=[LINES, ORDERS, CUSTOMERS, TEAMS, PLAYERS])


def render(dialect: str, configuration: SchemaConfiguration = SHOP) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        return get_dialect(dialect).render(configuration)


# -- definitions ------------------------------------------------------------------------------


def _orders(*foreign_keys: ForeignKeyDefinition, **columns: Any) -> TableDefinition:
    return TableDefinition(
        "orders",
        [
            C("id", T.BIG_INT, primary_key=True),
            C("customer_id", T.BIG_INT, **columns),
            C("note", T.STRING),
        ],
        foreign_keys=foreign_keys,
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: _orders(
                ForeignKeyDefinition("fk", ["customer_id"], "c", ["id"], on_delete="SET NULL"),
                nullable=False,
            ),
            "ON DELETE SET NULL, but column 'customer_id' is NOT NULL",
        ),
        (
            lambda: _orders(
                ForeignKeyDefinition("fk", ["customer_id"], "c", ["id"], on_update="SET DEFAULT"),
                nullable=False,
            ),
            "ON UPDATE SET DEFAULT, but column 'customer_id' is NOT NULL without a default",
        ),
        (
            lambda: _orders(ForeignKeyDefinition("fk", ["customer"], "c", ["id"])),
            "foreign key 'fk' names missing column 'customer'",
        ),
        (
            lambda: ForeignKeyDefinition("fk", ["a", "b"], "c", ["id"]),
            "foreign key 'fk' has 2 columns but references 1",
        ),
        (
            lambda: ForeignKeyDefinition("fk", ["a"], "c", ["id"], on_delete="DROP"),
            "on_delete must be a ForeignKeyAction",
        ),
        (
            lambda: CheckDefinition("ck", "qty >"),
            "check 'ck':",
        ),
        (
            lambda: TableDefinition(
                "t", [C("qty", T.INTEGER)], checks=[CheckDefinition("ck", "quantity > 0")]
            ),
            "check 'ck': the predicate names quantity, which is not a column of this table",
        ),
        (
            lambda: TableDefinition(
                "t", [C("qty", T.INTEGER)], checks=[CheckDefinition("ck", "qty > 'a'")]
            ),
            "check 'ck': the predicate compares INTEGER column qty with the string",
        ),
        (
            lambda: TableDefinition(
                "t",
                [C("qty", T.INTEGER, unique=True)],
                checks=[CheckDefinition("same", "qty > 0")],
                foreign_keys=[ForeignKeyDefinition("SAME", ["qty"], "t", ["qty"])],
            ),
            "check name 'same' is already used by foreign key 'SAME'",
        ),
    ],
)
def test_impossible_constraints_are_refused(make: Any, message: str) -> None:
    with pytest.raises(DefinitionError, match=None) as caught:
        make()
    assert message in str(caught.value)


def _customers(**options: Any) -> TableDefinition:
    return TableDefinition(
        "customers",
        [C("id", T.BIG_INT, primary_key=True), C("email", T.STRING), C("code", T.BIG_INT)],
        **options,
    )


@pytest.mark.parametrize(
    ("foreign_key", "message"),
    [
        (
            ForeignKeyDefinition("fk", ["customer_id"], "customers", ["code"]),
            "(code) is not its primary key or a unique key",
        ),
        (
            ForeignKeyDefinition("fk", ["customer_id"], "customers", ["missing"]),
            "it has no column 'missing'",
        ),
        (
            ForeignKeyDefinition("fk", ["note"], "customers", ["id"]),
            "column 'note' is STRING but 'id' is BIG_INT",
        ),
    ],
)
def test_a_reference_within_the_configuration_must_be_a_key_of_the_same_types(
    foreign_key: ForeignKeyDefinition, message: str
) -> None:
    with pytest.raises(DefinitionError) as caught:
        SchemaConfiguration(tables=[_orders(foreign_key), _customers()])
    assert message in str(caught.value)
    assert caught.value.table == "orders"


def test_a_unique_constraint_or_an_unfiltered_unique_index_is_a_key_too() -> None:
    from whizbang_schema import IndexDefinition, UniqueConstraintDefinition

    fk = ForeignKeyDefinition("fk", ["customer_id"], "customers", ["code"])
    for options in (
        {"unique_constraints": [UniqueConstraintDefinition("uq_code", ["code"])]},
        {"indexes": [IndexDefinition("ix_code", ["code"], unique=True)]},
    ):
        SchemaConfiguration(tables=[_orders(fk), _customers(**options)])
    partial = {"indexes": [IndexDefinition("ix_code", ["code"], unique=True, where="code > 0")]}
    with pytest.raises(DefinitionError, match="not its primary key or a unique key"):
        SchemaConfiguration(tables=[_orders(fk), _customers(**partial)])


def test_constraint_names_are_prefixed_and_may_not_collide() -> None:
    sql = render("postgres")
    assert "CONSTRAINT shop_fk_orders_customer FOREIGN KEY (customer_id) REFERENCES" in sql
    assert "REFERENCES shop_customers (id) ON DELETE SET NULL" in sql
    clash = TableDefinition("fk_orders_customer", [C("id", T.INTEGER, primary_key=True)])
    with pytest.raises(DefinitionError, match="would both be named 'shop_fk_orders_customer'"):
        render("postgres", SchemaConfiguration(prefix="shop_", tables=[*SHOP.tables, clash]))


def test_tables_come_after_the_tables_they_reference_and_a_cycle_is_closed_last() -> None:
    order, deferred = creation_order(SHOP.tables)
    assert [t.name for t in order] == ["customers", "orders", "order_lines", "teams", "players"]
    assert {name: [f.name for f in keys] for name, keys in deferred.items()} == {
        "teams": ["fk_teams_captain"]
    }
    statements = get_dialect("postgres").statements(SHOP)
    assert [(s.kind, s.name) for s in statements][-1] == (
        StatementKind.ADD_CONSTRAINT,
        "shop_fk_teams_captain",
    )
    # SQLite resolves references when rows change: no ALTER, everything in CREATE TABLE.
    sqlite_kinds = {s.kind for s in get_dialect("sqlite").statements(SHOP)}
    assert StatementKind.ADD_CONSTRAINT not in sqlite_kinds


@pytest.mark.parametrize("dialect", ["postgres", "sqlite", "sqlserver", "mysql"])
def test_shop_matches_its_golden_file(dialect: str, request: pytest.FixtureRequest) -> None:
    path = GOLDEN / f"shop_{dialect}.sql"
    script = render(dialect)
    if request.config.getoption("--update-golden"):
        path.write_text(script, encoding="utf-8", newline="\n")
    assert script == path.read_text(encoding="utf-8")


def test_golden_shop_runs_on_postgres(postgres: Any) -> None:
    postgres.execute((GOLDEN / "shop_postgres.sql").read_text(encoding="utf-8"))
    rows = postgres.execute(
        "SELECT conname FROM pg_constraint WHERE contype IN ('f', 'c') "
        "AND conname LIKE 'shop%' ORDER BY conname"
    ).fetchall()
    assert [r[0] for r in rows] == [
        "shop_ck_orders_paid",
        "shop_ck_orders_qty",
        "shop_fk_lines_order",
        "shop_fk_orders_customer",
        "shop_fk_orders_email",
        "shop_fk_players_team",
        "shop_fk_teams_captain",
    ]


def test_golden_shop_runs_on_sqlite(sqlite: sqlite3.Connection) -> None:
    script = (GOLDEN / "shop_sqlite.sql").read_text(encoding="utf-8")
    sqlite.executescript(script)
    sqlite.executescript(script)
    assert sqlite.execute("PRAGMA foreign_key_check").fetchall() == []
    keys = sqlite.execute("SELECT count(*) FROM pragma_foreign_key_list('shop_teams')")
    assert keys.fetchone() == (1,)


def test_golden_shop_parses_as_tsql_and_follows_the_rules() -> None:
    statements = get_dialect("sqlserver").statements(SHOP)
    assert check_statements(statements) == []
    for statement in statements:
        sqlfluff.parse(statement.sql + ";\n", dialect="tsql")
    text = (GOLDEN / "shop_sqlserver.sql").read_text(encoding="utf-8")
    assert "CHECK (paid = 1 OR qty < 100)" in text  # T-SQL has no TRUE


def test_the_rules_catch_foreign_keys_sql_server_refuses() -> None:
    statements = list(get_dialect("sqlserver").statements(SHOP))
    broken = [
        type(s)(s.kind, s.name, s.sql.replace("ON DELETE CASCADE", "ON DELETE RESTRICT"))
        for s in statements
    ]
    assert any("no RESTRICT" in p for p in check_statements(broken))
    unguarded = [
        type(s)(s.kind, s.name, s.sql.split("\n", 1)[1])
        if s.kind is StatementKind.ADD_CONSTRAINT
        else s
        for s in statements
    ]
    assert any("without an OBJECT_ID guard (rule 13)" in p for p in check_statements(unguarded))
    early = [s for s in statements if s.name != "shop_customers"]
    assert any("not created before it (rule 12)" in p for p in check_statements(early))
    wrong = [
        type(s)(s.kind, s.name, s.sql.replace("shop_orders (id)", "shop_orders (qty)"))
        for s in statements
    ]
    assert any("not its primary key or a UNIQUE constraint" in p for p in check_statements(wrong))


# -- what an engine cannot do -------------------------------------------------------------------


def _pair(on_delete: str = "NO ACTION", on_update: str = "NO ACTION") -> SchemaConfiguration:
    child = TableDefinition(
        "child",
        [C("id", T.INTEGER, primary_key=True), C("parent_id", T.INTEGER)],
        foreign_keys=[
            ForeignKeyDefinition(
                "fk_child",
                ["parent_id"],
                "parent",
                ["id"],
                on_delete=on_delete,
                on_update=on_update,
            )
        ],
    )
    parent = TableDefinition("parent", [C("id", T.INTEGER, primary_key=True)])
    return SchemaConfiguration(tables=[parent, child])


def test_sql_server_has_no_restrict_and_innodb_no_set_default() -> None:
    with pytest.raises(UnsupportedFeatureError, match="sqlserver has no ON DELETE RESTRICT"):
        render("sqlserver", _pair(on_delete="RESTRICT"))
    with pytest.raises(UnsupportedFeatureError, match="mysql has no ON UPDATE SET DEFAULT"):
        render("mysql", _pair(on_update="SET DEFAULT"))
    for dialect in ("postgres", "sqlite"):
        assert "ON DELETE RESTRICT ON UPDATE SET DEFAULT" in render(
            dialect, _pair("RESTRICT", "SET DEFAULT")
        )


def test_sql_server_multiple_cascade_paths_are_refused_before_rendering() -> None:
    # customers -> orders -> lines and customers -> lines: two paths (SQL Server's 1785).
    lines = TableDefinition(
        "order_lines",
        [
            C("order_id", T.BIG_INT, primary_key=True),
            C("line", T.INTEGER, primary_key=True),
            C("customer_id", T.BIG_INT, nullable=False),
        ],
        foreign_keys=[
            ForeignKeyDefinition(
                "fk_lines_order", ["order_id"], "orders", ["id"], on_delete="CASCADE"
            ),
            ForeignKeyDefinition(
                "fk_lines_customer", ["customer_id"], "customers", ["id"], on_delete="CASCADE"
            ),
        ],
    )
    two_paths = SchemaConfiguration(tables=[CUSTOMERS, ORDERS, lines])
    with pytest.raises(UnsupportedFeatureError, match="by two paths") as caught:
        render("sqlserver", two_paths)
    assert "error 1785" in str(caught.value)
    assert "CASCADE" in render("postgres", two_paths)  # PostgreSQL takes it

    boss = TableDefinition(
        "staff",
        [C("id", T.INTEGER, primary_key=True), C("boss_id", T.INTEGER)],
        foreign_keys=[
            ForeignKeyDefinition("fk_boss", ["boss_id"], "staff", ["id"], on_delete="SET NULL")
        ],
    )
    with pytest.raises(UnsupportedFeatureError, match="form a cycle"):
        render("sqlserver", SchemaConfiguration(tables=[boss]))
    no_action = TableDefinition(
        "staff",
        boss.columns,
        foreign_keys=[ForeignKeyDefinition("fk_boss", ["boss_id"], "staff", ["id"])],
    )
    assert "REFERENCES dbo.wh_staff (id)" in render(
        "sqlserver", SchemaConfiguration(tables=[no_action])
    )


def test_sql_server_refuses_a_reference_to_a_nullable_unique_key() -> None:
    customers = TableDefinition(
        "customers",
        [C("id", T.BIG_INT, primary_key=True), C("email", T.STRING, max_length=200, unique=True)],
    )
    orders = TableDefinition(
        "orders",
        [C("id", T.BIG_INT, primary_key=True), C("email", T.STRING, max_length=200)],
        foreign_keys=[ForeignKeyDefinition("fk_email", ["email"], "customers", ["email"])],
    )
    config = SchemaConfiguration(tables=[customers, orders])
    with pytest.raises(UnsupportedFeatureError, match="filtered index, which a foreign key"):
        render("sqlserver", config)
    assert "REFERENCES wh_customers (email)" in render("postgres", config)


def test_sqlite_cannot_add_a_constraint_to_an_existing_table() -> None:
    context = get_dialect("sqlite").context(SHOP)
    with pytest.raises(UnsupportedFeatureError, match="sqlite cannot add a foreign key"):
        context.render_add_constraint(ORDERS, ORDERS.foreign_keys[0])


def test_a_changed_foreign_key_is_drift_described_both_ways() -> None:
    expected = LiveTable(
        "t", [], foreign_keys=[LiveForeignKey("fk", ["a"], "p", ["id"], ForeignKeyAction.CASCADE)]
    )
    live = LiveTable("t", [], foreign_keys=[LiveForeignKey("fk", ["a"], "p", ["id"])])
    (difference,) = diff_tables([expected], [live]).differences
    assert difference.kind == "foreign_key_definition"
    assert str(difference) == (
        "t: foreign key 'fk' is (a) -> p (id), expected (a) -> p (id) ON DELETE CASCADE"
    )
    unnamed = LiveTable(
        "t", [], foreign_keys=[LiveForeignKey("#0", ["a"], "p", ["id"], ForeignKeyAction.CASCADE)]
    )
    assert diff_tables([expected], [unnamed]).differences == ()
    missing = diff_tables([expected], [LiveTable("t", [])]).differences
    assert [str(d) for d in missing] == ["t: foreign key 'fk' is missing"]


def test_sql_server_reads_its_keys_and_checks_back_as_expected() -> None:
    # As sys.foreign_keys and sys.check_constraints print them (BETWEEN stored expanded,
    # columns bracketed, constants parenthesised): read back, they compare equal.
    import attrs

    from whizbang_schema_sqlserver.catalog import read_constraints

    expected = get_dialect("sqlserver").context(SHOP).expected_table(ORDERS)
    rows = [
        (
            "shop_orders",
            "shop_ck_orders_paid",
            "C",
            None,
            None,
            None,
            "([paid]=(1) OR [qty]<(100))",
            None,
            0,
        ),
        (
            "shop_orders",
            "shop_ck_orders_qty",
            "C",
            None,
            None,
            None,
            "([qty]>=(1) AND [qty]<=(1000))",
            None,
            0,
        ),
        (
            "shop_orders",
            "shop_fk_orders_customer",
            "F",
            "shop_customers",
            "SET_NULL",
            "NO_ACTION",
            "customer_id",
            "id",
            1,
        ),
        (
            "shop_orders",
            "shop_fk_orders_email",
            "F",
            "shop_customers",
            "NO_ACTION",
            "CASCADE",
            "customer_email",
            "email",
            1,
        ),
    ]
    keys, checks = read_constraints(rows)
    live = attrs.evolve(expected, foreign_keys=keys["shop_orders"], checks=checks["shop_orders"])
    assert diff_tables([expected], [live]).differences == ()
    first, second = checks["shop_orders"]
    changed = attrs.evolve(live, checks=[attrs.evolve(first, predicate="x"), second])
    assert [d.kind for d in diff_tables([expected], [changed]).differences] == ["check_predicate"]


@pytest.mark.parametrize(
    ("predicate", "problem"),
    [
        ("done OR id > 1", "a column or value alone is no condition"),
        ("NOT done", "a column or value alone is no condition"),
        ("done IS TRUE", "T-SQL has no IS TRUE"),
        ("id IS DISTINCT FROM 3", "needs SQL Server 2022"),
    ],
)
def test_sql_server_refuses_conditions_t_sql_does_not_have(predicate: str, problem: str) -> None:
    table = TableDefinition(
        "t",
        [C("id", T.INTEGER, primary_key=True), C("done", T.BOOLEAN)],
        checks=[CheckDefinition("ck", predicate)],
    )
    with pytest.raises(UnsupportedFeatureError, match=problem):
        render("sqlserver", SchemaConfiguration(tables=[table]))
    assert "CHECK (" in render("postgres", SchemaConfiguration(tables=[table]))
    fixed = TableDefinition(
        table.name, table.columns, checks=[CheckDefinition("ck", "done = TRUE")]
    )
    assert "CHECK (done = 1)" in render("sqlserver", SchemaConfiguration(tables=[fixed]))
