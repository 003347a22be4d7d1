"""The SQLite dialect against the real engine (Python's sqlite3)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid

import pytest
from support.catalog import normalize_predicate, sqlite_columns, sqlite_indexes, sqlite_primary_key
from support.rows import required_columns, sample_value
from test_postgres_dialect import AWKWARD, KINDS

from whizbang_schema import (
    BooleanDefault,
    ColumnDefinition,
    FunctionDefault,
    IndexDefinition,
    IntegerDefault,
    OptionError,
    SchemaConfiguration,
    Statement,
    StringDefault,
    TableDefinition,
    WhizbangDataType,
    get_dialect,
)
from whizbang_schema.tables import ALL_TABLES
from whizbang_schema_sqlite import format_timestamp, parse_timestamp

T = WhizbangDataType
SQLITE = get_dialect("sqlite")
SQLITE_TYPES = {
    T.UUID: "TEXT",
    T.STRING: "TEXT",
    T.TIMESTAMP_TZ: "TEXT",
    T.JSON: "TEXT",
    T.BIG_INT: "INTEGER",
    T.INTEGER: "INTEGER",
    T.SMALL_INT: "INTEGER",
    T.BOOLEAN: "INTEGER",
}
NOW_TEXT = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"


def run(conn: sqlite3.Connection, statements: tuple[Statement, ...]) -> None:
    for statement in statements:
        conn.execute(statement.sql)


def objects(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return conn.execute("SELECT type, name FROM sqlite_master ORDER BY name").fetchall()


def test_nine_tables_execute_twice_as_one_script(sqlite: sqlite3.Connection) -> None:
    script = SQLITE.render(SchemaConfiguration())
    sqlite.executescript(script)
    before = objects(sqlite)
    sqlite.executescript(script)
    assert objects(sqlite) == before
    assert sum(1 for kind, _ in before if kind == "table") == 9
    assert sum(1 for kind, name in before if kind == "index" and name.startswith("wh_idx")) == 28


def expected_default(column: ColumnDefinition) -> str | None:
    default = column.default
    if default is None:
        return None
    if isinstance(default, (IntegerDefault, BooleanDefault)):
        return str(int(default.value))
    if isinstance(default, StringDefault):
        return "'" + default.value.replace("'", "''") + "'"
    if isinstance(default, FunctionDefault):
        return NOW_TEXT
    raise AssertionError(default)


@pytest.mark.parametrize("table", ALL_TABLES, ids=lambda t: t.name)
def test_catalog_reads_back_the_definition(
    sqlite: sqlite3.Connection, table: TableDefinition
) -> None:
    run(sqlite, SQLITE.statements(table))
    name = "wh_" + table.name
    columns = sqlite_columns(sqlite, name)
    assert [c.name for c in columns] == list(table.column_names)
    for live, column in zip(columns, table.columns):
        assert live.type == SQLITE_TYPES[column.data_type], column.name
        assert live.nullable == column.nullable, column.name
        assert live.default == expected_default(column), column.name
    assert sqlite_primary_key(sqlite, name) == table.primary_key
    indexes = {
        k: v
        for k, v in sqlite_indexes(sqlite, name).items()
        if not k.startswith("sqlite_autoindex")
    }
    assert set(indexes) == {"wh_" + i.name for i in table.indexes}
    for index in table.indexes:
        live = indexes["wh_" + index.name]
        assert live.columns == index.columns
        assert live.unique == index.unique
        assert normalize_predicate(live.predicate) == normalize_predicate(index.where)


def test_composite_key_is_one_constraint(sqlite: sqlite3.Connection) -> None:
    run(sqlite, SQLITE.statements(ALL_TABLES[4]))
    assert sqlite_primary_key(sqlite, "wh_perspective_checkpoints") == (
        "stream_id",
        "perspective_name",
    )


def test_two_prefixes_live_in_one_database_with_every_index(sqlite: sqlite3.Connection) -> None:
    for prefix in ("wh_", "prod_"):
        run(sqlite, SQLITE.statements(SchemaConfiguration(prefix=prefix)))
    for prefix in ("wh_", "prod_"):
        for table in ALL_TABLES:
            indexes = [
                n
                for n in sqlite_indexes(sqlite, prefix + table.name)
                if not n.startswith("sqlite_")
            ]
            assert len(indexes) == len(table.indexes), (prefix, table.name)


@pytest.mark.parametrize("table", ALL_TABLES, ids=lambda t: t.name)
def test_defaults_fill_a_row_given_only_the_required_columns(
    sqlite: sqlite3.Connection, table: TableDefinition
) -> None:
    run(sqlite, SQLITE.statements(table))
    required = required_columns(table)
    names = ", ".join(c.name for c in required)
    marks = ", ".join(["?"] * len(required))
    before = dt.datetime.now(dt.timezone.utc)
    sqlite.execute(
        f"INSERT INTO wh_{table.name} ({names}) VALUES ({marks})",
        [sample_value(c, "sqlite") for c in required],
    )
    cursor = sqlite.execute(f"SELECT * FROM wh_{table.name}")
    row = dict(zip([d[0] for d in cursor.description], cursor.fetchone()))
    for column in table.columns:
        default, value = column.default, row[column.name]
        if isinstance(default, (IntegerDefault, BooleanDefault)):
            assert value == int(default.value), column.name
        elif isinstance(default, StringDefault):
            assert value == default.value, column.name
        elif isinstance(default, FunctionDefault):
            stored = parse_timestamp(value)
            assert abs((stored - before).total_seconds()) < 5, column.name


def test_every_default_kind_gives_its_value(sqlite: sqlite3.Connection) -> None:
    run(sqlite, SQLITE.statements(KINDS))
    for _ in range(200):
        sqlite.execute("INSERT INTO wh_defaults DEFAULT VALUES")
    cursor = sqlite.execute("SELECT * FROM wh_defaults")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r)) for r in cursor.fetchall()]
    ids = [uuid.UUID(r["id"]) for r in rows]
    assert all(str(u) == r["id"] for u, r in zip(ids, rows))  # canonical lower-case text
    assert all(u.version == 4 and u.variant == uuid.RFC_4122 for u in ids)
    assert len(set(ids)) == 200
    row = rows[0]
    assert (row["n"], row["big"], row["small"]) == (-5, -(2**63), 2**15 - 1)
    assert (row["flag_int"], row["flag"]) == (1, 0)
    assert row["s"] == "it's a \\n test"
    assert row["u"] == "žluťoučký 🐍"
    assert row["j"] is None
    for column in ("now", "utc"):
        stored = parse_timestamp(row[column])
        assert abs((stored - dt.datetime.now(dt.timezone.utc)).total_seconds()) < 5


def test_uuid_blob_option_stores_sixteen_byte_version_four_uuids(
    sqlite: sqlite3.Connection,
) -> None:
    config = SchemaConfiguration(tables=[KINDS], dialect_options={"sqlite": {"uuid": "blob"}})
    run(sqlite, SQLITE.statements(config))
    for _ in range(500):
        sqlite.execute("INSERT INTO wh_defaults DEFAULT VALUES")
    blobs = [r[0] for r in sqlite.execute("SELECT id FROM wh_defaults")]
    assert all(isinstance(b, bytes) and len(b) == 16 for b in blobs)
    ids = [uuid.UUID(bytes=b) for b in blobs]
    assert all(u.version == 4 and u.variant == uuid.RFC_4122 for u in ids)
    assert len(set(ids)) == 500
    assert sqlite_columns(sqlite, "wh_defaults")[0].type == "BLOB"


def test_strict_tables_enforce_types(sqlite: sqlite3.Connection) -> None:
    config = SchemaConfiguration(dialect_options={"sqlite": {"strict": True}})
    run(sqlite, SQLITE.statements(config))
    run(sqlite, SQLITE.statements(config))
    with pytest.raises(sqlite3.IntegrityError, match="cannot store TEXT value in INTEGER"):
        sqlite.execute(
            "INSERT INTO wh_sequences (sequence_name, current_value) VALUES ('s', 'many')"
        )


def test_text_columns_keep_numeric_looking_text(sqlite: sqlite3.Connection) -> None:
    # A column declared UUID or JSON would get NUMERIC affinity and turn '123' into 123.
    run(sqlite, SQLITE.statements(ALL_TABLES[0]))
    sqlite.execute(
        "INSERT INTO wh_outbox (message_id, destination, event_type, event_data, metadata) "
        "VALUES ('1234e567', 'd', 't', '123', '{}')"
    )
    row = sqlite.execute(
        "SELECT message_id, typeof(event_data), event_data FROM wh_outbox"
    ).fetchone()
    assert row == ("1234e567", "text", "123")


def test_timestamp_text_order_is_time_order(sqlite: sqlite3.Connection) -> None:
    run(sqlite, SQLITE.statements(KINDS))
    sqlite.execute("INSERT INTO wh_defaults DEFAULT VALUES")
    (default_text,) = sqlite.execute("SELECT now FROM wh_defaults").fetchone()
    base = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    written = [
        format_timestamp(base + dt.timedelta(milliseconds=ms))
        for ms in (0, 1, 999, 1000, 59_999, 3_600_000)
    ]
    written.append(
        format_timestamp(dt.datetime(2024, 1, 1, 3, tzinfo=dt.timezone(dt.timedelta(hours=5))))
    )
    assert len(default_text) == len(written[0])  # one width, one zone: text order is time order
    assert sorted(written) == sorted(written, key=parse_timestamp)
    # SQLite's own date functions read the form
    assert sqlite.execute("SELECT julianday(?) IS NOT NULL", (default_text,)).fetchone()[0] == 1
    with pytest.raises(ValueError, match="naive"):
        format_timestamp(dt.datetime(2024, 1, 1))


def test_awkward_names_are_quoted_and_kept_exactly(sqlite: sqlite3.Connection) -> None:
    statements = SQLITE.statements(AWKWARD)
    run(sqlite, statements)
    run(sqlite, statements)
    assert [c.name for c in sqlite_columns(sqlite, "wh_Order Items")] == [
        "select",
        "Mixed",
        'quote"d',
        "naïve",
        "user",
    ]
    indexes = sqlite_indexes(sqlite, "wh_Order Items")
    # SQLite names constraint indexes itself (sqlite_autoindex_*); the names stay in the DDL
    auto = sorted(i.columns for n, i in indexes.items() if n.startswith("sqlite_autoindex"))
    assert auto == [("Mixed", 'quote"d'), ("select",), ("user",)]
    (ddl,) = sqlite.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'wh_Order Items'"
    ).fetchone()
    assert 'CONSTRAINT wh_pair UNIQUE ("Mixed", "quote""d")' in ddl
    assert set(indexes) - {n for n in indexes if n.startswith("sqlite_")} == {
        "wh_by mixed",
        "wh_Order",
    }
    assert indexes["wh_Order"].unique and indexes["wh_Order"].predicate == '"naïve" = TRUE'


def test_attached_schema_qualifies_tables_and_index_names(
    sqlite: sqlite3.Connection, tmp_path: object
) -> None:
    sqlite.execute("ATTACH DATABASE ':memory:' AS side")
    statements = SQLITE.statements(SchemaConfiguration(schema="side", tables=ALL_TABLES[:1]))
    assert not any(s.kind.value == "create_schema" for s in statements)
    run(sqlite, statements)
    run(sqlite, statements)
    count = sqlite.execute(
        "SELECT count(*) FROM side.sqlite_master WHERE type = 'index' AND name LIKE 'wh_idx%'"
    ).fetchone()[0]
    assert count == 6


def test_unknown_or_bad_options_are_refused() -> None:
    with pytest.raises(
        OptionError, match="unknown option 'uuids'; this dialect's options: strict, uuid"
    ):
        SQLITE.render(SchemaConfiguration(dialect_options={"sqlite": {"uuids": "blob"}}))
    with pytest.raises(OptionError, match="must be one of text, blob"):
        SQLITE.render(SchemaConfiguration(dialect_options={"sqlite": {"uuid": "binary"}}))
    with pytest.raises(OptionError, match="flag"):
        SQLITE.render(SchemaConfiguration(dialect_options={"sqlite": {"strict": "yes"}}))
    # options of other dialects are not this dialect's business
    SQLITE.render(SchemaConfiguration(dialect_options={"sqlserver": {"json": "native"}}))


def test_bitwise_partial_index_serves_its_query(sqlite: sqlite3.Connection) -> None:
    run(sqlite, SQLITE.statements(ALL_TABLES[0]))
    plan = sqlite.execute(
        "EXPLAIN QUERY PLAN SELECT message_id FROM wh_outbox "
        "WHERE (status & 32768) = 0 AND (status & 2) != 2 AND status = 1"
    ).fetchall()
    assert any("wh_idx_outbox_status_lease" in str(step) for step in plan)


def test_index_columns_in_predicate_must_exist_even_when_quoted_differently() -> None:
    with pytest.raises(Exception, match="not a column"):
        TableDefinition(
            "t",
            [ColumnDefinition("a", T.INTEGER)],
            indexes=[IndexDefinition("i", ["a"], where='"A" > 1')],
        )
