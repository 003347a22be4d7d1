"""Plain regression tests for defects the property tests found (tests/properties/).

Each test names the input that went wrong; the comment above it says what was wrong.
"""

from __future__ import annotations

import sqlite3
import uuid
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from whizbang_schema import (
    ColumnDefinition,
    DefaultValue,
    DefinitionError,
    DegradedRenderWarning,
    IdentifierError,
    IndexDefinition,
    SchemaConfiguration,
    TableDefinition,
    UniqueConstraintDefinition,
    UnsupportedFeatureError,
    WhizbangDataType,
    canonical_predicate,
    connect,
    diff_schema,
    get_dialect,
)

T = WhizbangDataType


def statements(dialect: str, config: SchemaConfiguration) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        return [s.sql for s in get_dialect(dialect).statements(config)]


@pytest.fixture
def mariadb_url(mariadb_admin: Any, mariadb_server_url: str) -> Iterator[str]:
    name = f"wbtest_{uuid.uuid4().hex[:16]}"
    mariadb_admin.execute(f"CREATE DATABASE {name}")
    try:
        yield mariadb_server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        mariadb_admin.execute(f"DROP DATABASE IF EXISTS {name}")


# SQLite: a sole INTEGER key column became an alias of the rowid, so an explicit NULL was
# replaced by a new number although the definition says NOT NULL.
def test_sqlite_sole_integer_key_is_not_a_rowid_alias(sqlite_path: Any) -> None:
    table = TableDefinition("t", [ColumnDefinition("id", T.BIG_INT, primary_key=True)])
    config = SchemaConfiguration(tables=[table])
    conn = sqlite3.connect(sqlite_path)
    for sql in statements("sqlite", config):
        conn.execute(sql)
    with pytest.raises(sqlite3.IntegrityError, match="NOT NULL"):
        conn.execute("INSERT INTO wh_t (id) VALUES (NULL)")
    conn.close()
    live = connect(str(sqlite_path))
    assert diff_schema(live, config).differences == ()
    live.close()


# SQLite: table and index names starting with sqlite_ were rendered, and SQLite refused them
# ("object name reserved for internal use") only when the DDL ran.
def test_sqlite_refuses_its_own_name_space() -> None:
    columns = [ColumnDefinition("a", T.INTEGER)]
    table = TableDefinition("t", columns)
    with pytest.raises(IdentifierError, match="sqlite_"):
        statements("sqlite", SchemaConfiguration(prefix="SQLite_", tables=[table]))
    indexed = TableDefinition("t", columns, indexes=[IndexDefinition("sqlite_ix", ["a"])])
    with pytest.raises(IdentifierError, match="sqlite_"):
        statements("sqlite", SchemaConfiguration(tables=[indexed], verbatim_names=True))
    statements("sqlite", SchemaConfiguration(prefix="sqlitex_", tables=[table]))


# PostgreSQL: a column named after a system column (ctid, xmin...) was rendered and failed on
# the server; it must be refused before any SQL runs.
@pytest.mark.parametrize("name", ["ctid", "xmin", "xmax", "cmin", "cmax", "tableoid"])
def test_postgres_refuses_system_column_names(name: str) -> None:
    table = TableDefinition("t", [ColumnDefinition(name, T.INTEGER)])
    with pytest.raises(IdentifierError, match="system column"):
        statements("postgres", SchemaConfiguration(tables=[table]))


def test_postgres_accepts_names_that_only_look_like_system_columns(postgres: Any) -> None:
    table = TableDefinition(
        "t", [ColumnDefinition("CTID", T.INTEGER), ColumnDefinition("oid", T.INTEGER)]
    )
    for sql in statements("postgres", SchemaConfiguration(tables=[table])):
        postgres.execute(sql)


# Canonical predicates: a quote character of another dialect inside a quoted name ("a`b",
# "a[b") was read as the start of a name, and the read-back comparison failed.
def test_canonical_predicate_reads_quotes_inside_names() -> None:
    assert canonical_predicate('"0`" IS NULL AND "a[b" = 1') == ('(("0`" IS NULL) AND ("a[b" = 1))')
    assert canonical_predicate("[a]]b] = 1 AND `c``d` = 2") == '(("a]b" = 1) AND ("c`d" = 2))'


# Canonical predicates: BETWEEN nested in an AND stayed nested, while PostgreSQL prints it
# flattened, so a partial index with "a IS NULL AND (b BETWEEN 0 AND 1)" always drifted.
def test_canonical_predicate_flattens_between_and_in() -> None:
    assert canonical_predicate("a IS NULL AND (b BETWEEN 0 AND 1)") == canonical_predicate(
        "((a IS NULL) AND (b >= 0) AND (b <= 1))"
    )
    assert canonical_predicate("a IS NULL OR b IN (1, 2)") == canonical_predicate(
        "a IS NULL OR b = 1 OR b = 2"
    )


def test_postgres_between_in_a_conjunction_reads_back_without_drift(postgres_url: str) -> None:
    table = TableDefinition(
        "t",
        [ColumnDefinition("a", T.INTEGER), ColumnDefinition("b", T.INTEGER)],
        indexes=[IndexDefinition("ix", ["a"], where="a IS NULL AND (b BETWEEN 0 AND 1)")],
    )
    config = SchemaConfiguration(tables=[table])
    live = connect(postgres_url)
    for sql in statements("postgres", config):
        live.execute(sql)
    assert diff_schema(live, config).differences == ()
    live.close()


# SQL Server: a JSON primary key in a table without STRING columns was rendered as an
# NVARCHAR(MAX) key, which SQL Server refuses; key budgets were only checked for strings.
def test_sqlserver_refuses_a_json_key_in_any_table() -> None:
    table = TableDefinition("t", [ColumnDefinition("doc", T.JSON, primary_key=True)])
    with pytest.raises(UnsupportedFeatureError, match="JSON"):
        statements("sqlserver", SchemaConfiguration(tables=[table]))


# MySQL/MariaDB: an index or unique constraint named PRIMARY (any case) was rendered and
# refused by the server ("Incorrect index name").
@pytest.mark.parametrize("verbatim", [True, False])
def test_mysql_refuses_key_names_called_primary(verbatim: bool) -> None:
    prefix = "" if not verbatim else "wh_"
    columns = [ColumnDefinition("a", T.INTEGER, nullable=False)]
    for table in (
        TableDefinition("t", columns, indexes=[IndexDefinition("Primary", ["a"])]),
        TableDefinition(
            "t", columns, unique_constraints=[UniqueConstraintDefinition("primary", ["a"])]
        ),
    ):
        config = SchemaConfiguration(prefix=prefix, tables=[table], verbatim_names=verbatim)
        with pytest.raises(IdentifierError, match="PRIMARY"):
            statements("mysql", config)


# MariaDB: a JSON column named "primary" has a CHECK constraint of that name, which the
# catalog reader joined to the key's index PRIMARY and so read the key's columns twice.
def test_mariadb_json_column_named_primary_reads_back(mariadb_url: str) -> None:
    table = TableDefinition(
        "t",
        [ColumnDefinition("id", T.INTEGER, primary_key=True), ColumnDefinition("primary", T.JSON)],
    )
    config = SchemaConfiguration(tables=[table])
    live = connect(mariadb_url)
    for sql in statements("mysql", config):
        live.execute(sql)
    assert diff_schema(live, config).differences == ()
    live.close()


# MariaDB: a string default with characters beyond the BMP read back as '?' (information_schema
# is utf8mb3), so the column always drifted although the stored default was right.
def test_mariadb_string_default_beyond_the_bmp_reads_back(mariadb_url: str) -> None:
    table = TableDefinition(
        "t", [ColumnDefinition("s", T.STRING, max_length=10, default=DefaultValue.string("a𐀀🐍"))]
    )
    config = SchemaConfiguration(tables=[table])
    live = connect(mariadb_url)
    for sql in statements("mysql", config):
        live.execute(sql)
    live.execute("INSERT INTO wh_t () VALUES ()")
    assert live.query("SELECT s FROM wh_t") == [("a𐀀🐍",)]
    assert diff_schema(live, config).differences == ()
    live.close()


# Definitions: a unique constraint over the primary key's columns, or two unique keys over the
# same columns, were accepted; PostgreSQL and SQLite keep only one, so the named constraint
# did not exist and the read-back always reported it missing.
def test_duplicate_unique_keys_are_refused() -> None:
    columns = [
        ColumnDefinition("id", T.INTEGER, primary_key=True),
        ColumnDefinition("b", T.INTEGER, unique=True),
        ColumnDefinition("c", T.INTEGER),
    ]
    for constraints in (
        [UniqueConstraintDefinition("u1", ["id"])],
        [UniqueConstraintDefinition("u1", ["b"])],
        [UniqueConstraintDefinition("u1", ["c"]), UniqueConstraintDefinition("u2", ["c"])],
    ):
        with pytest.raises(DefinitionError, match="same columns"):
            TableDefinition("t", columns, unique_constraints=constraints)
    # Another order is another index, which every engine keeps.
    TableDefinition(
        "t",
        columns,
        unique_constraints=[
            UniqueConstraintDefinition("u1", ["b", "c"]),
            UniqueConstraintDefinition("u2", ["c", "b"]),
        ],
    )


# Definitions: lone surrogates in names and string defaults were accepted; PostgreSQL's render
# raised UnicodeEncodeError and the other engines' drivers failed at execution.
def test_lone_surrogates_are_refused() -> None:
    with pytest.raises(DefinitionError, match="surrogate"):
        ColumnDefinition("a\ud800", T.INTEGER)
    with pytest.raises(DefinitionError, match="surrogate"):
        TableDefinition("t\udfff", [ColumnDefinition("a", T.INTEGER)])
    with pytest.raises(DefinitionError, match="surrogate"):
        DefaultValue.string("x\udc00")
    with pytest.raises(DefinitionError, match="surrogate"):
        SchemaConfiguration(prefix="p\ud800_")


# MariaDB: a string default holding CR or LF is printed back escaped (\r, \n) and the reader
# took the escape for the letter, so the column always drifted.
def test_mariadb_string_default_with_line_breaks_reads_back(mariadb_url: str) -> None:
    table = TableDefinition(
        "t",
        [ColumnDefinition("s", T.STRING, max_length=10, default=DefaultValue.string("a\r\nb\t"))],
    )
    config = SchemaConfiguration(tables=[table])
    live = connect(mariadb_url)
    for sql in statements("mysql", config):
        live.execute(sql)
    live.execute("INSERT INTO wh_t () VALUES ()")
    assert live.query("SELECT s FROM wh_t") == [("a\r\nb\t",)]
    assert diff_schema(live, config).differences == ()
    live.close()


# MySQL/MariaDB: an unbounded unique STRING column gets VARCHAR(768) to fit the key limit; a
# longer default was rendered, and the server refused the table ("Invalid default value").
def test_mysql_refuses_a_default_longer_than_a_key_columns_varchar() -> None:
    table = TableDefinition(
        "t", [ColumnDefinition("s", T.STRING, unique=True, default=DefaultValue.string("x" * 800))]
    )
    with pytest.raises(UnsupportedFeatureError, match=r"VARCHAR\(768\)"):
        statements("mysql", SchemaConfiguration(tables=[table]))


# SQL Server: NVARCHAR(n) counts UTF-16 code units, so a default of n characters beyond the BMP
# (or longer than a key column's chosen NVARCHAR(450)) was rendered, and every insert relying
# on it would fail with "String or binary data would be truncated".
def test_sqlserver_refuses_a_default_its_nvarchar_cannot_hold() -> None:
    for column in (
        ColumnDefinition("s", T.STRING, max_length=2, default=DefaultValue.string("😀😀")),
        ColumnDefinition("s", T.STRING, unique=True, default=DefaultValue.string("x" * 451)),
    ):
        table = TableDefinition("t", [column])
        with pytest.raises(UnsupportedFeatureError, match="UTF-16"):
            statements("sqlserver", SchemaConfiguration(tables=[table]))
    fits = TableDefinition(
        "t", [ColumnDefinition("s", T.STRING, max_length=4, default=DefaultValue.string("😀😀"))]
    )
    assert "DEFAULT N'😀😀'" in statements("sqlserver", SchemaConfiguration(tables=[fits]))[0]


# SQL Server names every DEFAULT (<table>_<column>_default) as a schema-wide object, but those
# names were not in the collision check: table a's column b_c and table a_b's column c both
# rendered [wh_a_b_c_default], and the server would refuse the second CREATE TABLE. (Found by
# reading the code while reviewing the properties; SQL Server does not run here.)
def test_sqlserver_default_names_are_checked_for_collisions() -> None:
    def table(name: str, column: str) -> TableDefinition:
        return TableDefinition(
            name,
            [
                ColumnDefinition("id", T.UUID, primary_key=True),
                ColumnDefinition(column, T.INTEGER, default=DefaultValue.integer(1)),
            ],
        )

    config = SchemaConfiguration(tables=[table("a", "b_c"), table("a_b", "c")])
    with pytest.raises(DefinitionError, match="wh_a_b_c_default") as caught:
        statements("sqlserver", config)
    assert caught.value.field == "name"
    # Engines whose defaults are not named objects take the same schema.
    for dialect in ("postgres", "sqlite"):
        assert len(statements(dialect, config)) == 2
