"""The PostgreSQL dialect against a real server: execute, read back, insert, compare."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import psycopg
import pytest
from support.catalog import (
    normalize_predicate,
    postgres_columns,
    postgres_indexes,
    postgres_primary_key,
)
from support.rows import required_columns, sample_value

from whizbang_schema import (
    BooleanDefault,
    ColumnDefinition,
    DefaultValue,
    DefaultValueFunction,
    FunctionDefault,
    IdentifierError,
    IndexDefinition,
    IntegerDefault,
    SchemaConfiguration,
    Statement,
    StringDefault,
    TableDefinition,
    UniqueConstraintDefinition,
    WhizbangDataType,
    get_dialect,
)
from whizbang_schema.tables import ALL_TABLES

T = WhizbangDataType
PG = get_dialect("postgres")

PG_TYPES = {
    T.UUID: "uuid",
    T.STRING: "text",
    T.TIMESTAMP_TZ: "timestamp with time zone",
    T.JSON: "jsonb",
    T.BIG_INT: "bigint",
    T.INTEGER: "integer",
    T.SMALL_INT: "smallint",
    T.BOOLEAN: "boolean",
}


def expected_type(column: ColumnDefinition) -> str:
    if column.data_type is T.STRING and column.max_length:
        return f"character varying({column.max_length})"
    return PG_TYPES[column.data_type]


def expected_default(column: ColumnDefinition) -> str | None:
    default = column.default
    if default is None:
        return None
    if isinstance(default, IntegerDefault):
        if column.data_type is T.BOOLEAN:
            return "true" if default.value else "false"
        return str(default.value)
    if isinstance(default, BooleanDefault):
        return "true" if default.value else "false"
    if isinstance(default, StringDefault):
        return f"'{default.value}'::character varying"
    if isinstance(default, FunctionDefault):
        return {
            DefaultValueFunction.DATETIME_NOW: "CURRENT_TIMESTAMP",
            DefaultValueFunction.DATETIME_UTC_NOW: "CURRENT_TIMESTAMP",
            DefaultValueFunction.GUID_NEW: "gen_random_uuid()",
        }[default.value]
    raise AssertionError(default)


def run(conn: Any, statements: tuple[Statement, ...]) -> None:
    for statement in statements:
        conn.execute(statement.sql)


def relation_count(conn: Any) -> int:
    return int(
        conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
        ).fetchone()[0]
    )


def test_nine_tables_execute_twice_as_one_script(postgres: Any) -> None:
    script = PG.render(SchemaConfiguration())
    postgres.execute(script)
    count = relation_count(postgres)
    postgres.execute(script)  # IF NOT EXISTS everywhere: a no-op
    assert relation_count(postgres) == count
    # 9 tables + 9 primary keys + 28 indexes (+ TOAST relations live in pg_toast)
    tables = postgres.execute(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
    ).fetchone()[0]
    assert tables == 9


@pytest.mark.parametrize("table", ALL_TABLES, ids=lambda t: t.name)
def test_catalog_reads_back_the_definition(postgres: Any, table: TableDefinition) -> None:
    run(postgres, PG.statements(table))
    name = "wh_" + table.name
    columns = postgres_columns(postgres, name)
    assert [c.name for c in columns] == list(table.column_names)
    for live, column in zip(columns, table.columns):
        assert live.type == expected_type(column), column.name
        assert live.nullable == column.nullable, column.name
        assert live.default == expected_default(column), column.name
    pk = postgres_primary_key(postgres, name)
    assert pk == (f"{name}_pkey", table.primary_key)
    indexes = postgres_indexes(postgres, name)
    assert set(indexes) == {f"{name}_pkey"} | {"wh_" + i.name for i in table.indexes}
    for index in table.indexes:
        live_index = indexes["wh_" + index.name]
        assert live_index.columns == index.columns
        assert live_index.unique == index.unique
        assert normalize_predicate(live_index.predicate) == normalize_predicate(index.where)


def test_two_prefixes_live_in_one_database_with_every_index(postgres: Any) -> None:
    for prefix in ("wh_", "prod_"):
        run(postgres, PG.statements(SchemaConfiguration(prefix=prefix)))
    for prefix in ("wh_", "prod_"):
        for table in ALL_TABLES:
            indexes = postgres_indexes(postgres, prefix + table.name)
            assert len(indexes) == len(table.indexes) + 1, (prefix, table.name)
            assert all(name.startswith(prefix) for name in indexes)


def test_verbatim_names_collide_across_prefixes_as_the_original_did(postgres: Any) -> None:
    # The compatibility mode keeps the original's names, and with them its limitation: the
    # second prefix's indexes are silently skipped. This is why prefixing is the default.
    for prefix in ("wh_", "prod_"):
        run(postgres, PG.statements(SchemaConfiguration(prefix=prefix, verbatim_names=True)))
    assert len(postgres_indexes(postgres, "wh_outbox")) == 7
    assert len(postgres_indexes(postgres, "prod_outbox")) == 1


@pytest.mark.parametrize("table", ALL_TABLES, ids=lambda t: t.name)
def test_defaults_fill_a_row_given_only_the_required_columns(
    postgres: Any, table: TableDefinition
) -> None:
    run(postgres, PG.statements(table))
    required = required_columns(table)
    names = ", ".join(c.name for c in required)
    marks = ", ".join(["%s"] * len(required))
    before = postgres.execute("SELECT clock_timestamp()").fetchone()[0]
    postgres.execute(
        f"INSERT INTO wh_{table.name} ({names}) VALUES ({marks})",
        [sample_value(c, "postgres") for c in required],
    )
    cursor = postgres.execute(f"SELECT * FROM wh_{table.name}")
    row = dict(zip([d.name for d in cursor.description], cursor.fetchone()))
    for column in table.columns:
        default = column.default
        value = row[column.name]
        if default is None:
            continue
        if isinstance(default, IntegerDefault):
            if column.data_type is T.BOOLEAN:
                assert value is bool(default.value), column.name
            else:
                assert value == default.value, column.name
        elif isinstance(default, BooleanDefault):
            assert value is default.value, column.name
        elif isinstance(default, StringDefault):
            assert value == default.value, column.name
        elif isinstance(default, FunctionDefault):
            assert isinstance(value, dt.datetime), column.name
            assert abs((value - before).total_seconds()) < 5, column.name


KINDS = TableDefinition(
    "defaults",
    [
        ColumnDefinition(
            "id",
            T.UUID,
            primary_key=True,
            default=DefaultValue.function(DefaultValueFunction.GUID_NEW),
        ),
        ColumnDefinition("n", T.INTEGER, nullable=False, default=DefaultValue.integer(-5)),
        ColumnDefinition("big", T.BIG_INT, nullable=False, default=DefaultValue.integer(-(2**63))),
        ColumnDefinition(
            "small", T.SMALL_INT, nullable=False, default=DefaultValue.integer(2**15 - 1)
        ),
        ColumnDefinition("flag_int", T.BOOLEAN, nullable=False, default=DefaultValue.integer(1)),
        ColumnDefinition("flag", T.BOOLEAN, nullable=False, default=DefaultValue.boolean(False)),
        ColumnDefinition(
            "s", T.STRING, nullable=False, default=DefaultValue.string("it's a \\n test")
        ),
        ColumnDefinition("u", T.STRING, default=DefaultValue.string("žluťoučký 🐍")),
        ColumnDefinition("j", T.JSON, default=DefaultValue.null()),
        ColumnDefinition(
            "now",
            T.TIMESTAMP_TZ,
            nullable=False,
            default=DefaultValue.function(DefaultValueFunction.DATETIME_NOW),
        ),
        ColumnDefinition(
            "utc",
            T.TIMESTAMP_TZ,
            nullable=False,
            default=DefaultValue.function(DefaultValueFunction.DATETIME_UTC_NOW),
        ),
    ],
)


@pytest.mark.parametrize("conforming", ["on", "off"])
def test_every_default_kind_gives_its_value(postgres: Any, conforming: str) -> None:
    # standard_conforming_strings decides what a backslash in '...' means; the rendered
    # default must mean the same either way.
    postgres.execute(f"SET standard_conforming_strings = {conforming}")
    run(postgres, PG.statements(KINDS))
    postgres.execute("INSERT INTO wh_defaults DEFAULT VALUES")
    cursor = postgres.execute("SELECT * FROM wh_defaults")
    row = dict(zip([d.name for d in cursor.description], cursor.fetchone()))
    assert isinstance(row["id"], uuid.UUID) and row["id"].version == 4
    assert row["n"] == -5
    assert row["big"] == -(2**63)
    assert row["small"] == 2**15 - 1
    assert row["flag_int"] is True
    assert row["flag"] is False
    assert row["s"] == "it's a \\n test"
    assert row["u"] == "žluťoučký 🐍"
    assert row["j"] is None


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata", "Pacific/Kiritimati"])
def test_utc_now_stores_the_current_instant_whatever_the_session_zone(
    postgres: Any, zone: str
) -> None:
    run(postgres, PG.statements(KINDS))
    postgres.execute(f"SET TIME ZONE '{zone}'")
    postgres.execute("INSERT INTO wh_defaults DEFAULT VALUES")
    now = dt.datetime.now(dt.timezone.utc)
    stored_now, stored_utc = postgres.execute("SELECT now, utc FROM wh_defaults").fetchone()
    assert abs((stored_utc - now).total_seconds()) < 5
    assert abs((stored_now - now).total_seconds()) < 5
    # The C# original's expression is off by the session's offset here: what we must not do.
    (wrong,) = postgres.execute("SELECT (now() AT TIME ZONE 'UTC')::timestamptz").fetchone()
    assert abs((wrong - now).total_seconds()) > 3000


AWKWARD = TableDefinition(
    "Order Items",
    [
        ColumnDefinition("select", T.UUID, primary_key=True),
        ColumnDefinition("Mixed", T.INTEGER, nullable=False, default=DefaultValue.integer(0)),
        ColumnDefinition('quote"d', T.STRING, max_length=20),
        ColumnDefinition("naïve", T.BOOLEAN, default=DefaultValue.boolean(True)),
        ColumnDefinition("user", T.STRING, unique=True),
    ],
    indexes=[
        IndexDefinition(
            "by mixed", ["Mixed", "select"], where='mixed > 0 AND "quote""d" IS NOT NULL'
        ),
        IndexDefinition("Order", ["naïve"], unique=True, where="naïve = TRUE"),
    ],
    unique_constraints=[UniqueConstraintDefinition("pair", ["Mixed", 'quote"d'])],
)


def test_awkward_names_are_quoted_and_kept_exactly(postgres: Any) -> None:
    statements = PG.statements(AWKWARD)
    run(postgres, statements)
    run(postgres, statements)
    columns = postgres_columns(postgres, "wh_Order Items")
    assert [c.name for c in columns] == ["select", "Mixed", 'quote"d', "naïve", "user"]
    indexes = postgres_indexes(postgres, "wh_Order Items")
    assert set(indexes) == {
        "wh_Order Items_pkey",
        "wh_Order Items_user_key",
        "wh_pair",
        "wh_by mixed",
        "wh_Order",
    }
    assert indexes["wh_by mixed"].predicate == '(("Mixed" > 0) AND ("quote""d" IS NOT NULL))'
    assert indexes["wh_pair"].unique and indexes["wh_Order Items_user_key"].unique


def test_plain_names_stay_bare() -> None:
    script = PG.render(ALL_TABLES[0])
    assert '"' not in script


def test_a_name_over_63_bytes_is_refused_not_truncated(postgres: Any) -> None:
    fits = TableDefinition("t" * 60, [ColumnDefinition("é" * 31, T.INTEGER)])  # 62 bytes
    run(postgres, PG.statements(fits))
    assert postgres_columns(postgres, "wh_" + "t" * 60)[0].name == "é" * 31
    too_long = TableDefinition("t", [ColumnDefinition("é" * 32, T.INTEGER)])  # 64 bytes
    with pytest.raises(IdentifierError, match="64 bytes") as caught:
        PG.render(too_long)
    assert caught.value.table == "t" and caught.value.dialect == "postgres"
    with pytest.raises(IdentifierError):
        PG.render(TableDefinition("x" * 61, [ColumnDefinition("c", T.INTEGER)]))


def test_derived_names_are_checked_too() -> None:
    # the table name fits, but its primary-key constraint name would not
    table = TableDefinition("k" * 57, [ColumnDefinition("id", T.UUID, primary_key=True)])
    with pytest.raises(IdentifierError, match="_pkey"):
        PG.render(table)


def test_tables_go_into_a_schema_created_if_missing(postgres: Any) -> None:
    statements = PG.statements(SchemaConfiguration(schema="Whizbang Data"))
    assert statements[0].sql == 'CREATE SCHEMA IF NOT EXISTS "Whizbang Data"'
    run(postgres, statements)
    run(postgres, statements)
    assert len(postgres_indexes(postgres, "wh_outbox", schema="Whizbang Data")) == 7
    assert postgres.execute("SELECT to_regclass('public.wh_outbox')").fetchone()[0] is None


def test_unique_partial_index_is_enforced_only_where_the_predicate_holds(postgres: Any) -> None:
    table = TableDefinition(
        "jobs",
        [
            ColumnDefinition("id", T.UUID, primary_key=True),
            ColumnDefinition("k", T.INTEGER),
            ColumnDefinition("live", T.BOOLEAN),
        ],
        indexes=[IndexDefinition("one_live", ["k"], unique=True, where="live = TRUE")],
    )
    run(postgres, PG.statements(table))
    insert = "INSERT INTO wh_jobs (id, k, live) VALUES (gen_random_uuid(), 1, %s)"
    postgres.execute(insert, [False])
    postgres.execute(insert, [False])
    postgres.execute(insert, [True])
    with pytest.raises(psycopg.errors.UniqueViolation):
        postgres.execute(insert, [True])
