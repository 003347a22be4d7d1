"""The SQL Server dialect on a real SQL Server, through testcontainers.

Runs wherever a Docker engine answers; elsewhere every test here is skipped with that reason
(these machines have only the Docker client). ``test_sqlserver_dialect.py`` holds the same
output to a T-SQL grammar and to the documented rules everywhere.
"""

from __future__ import annotations

import datetime as dt
import uuid
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from support.rows import required_columns
from test_postgres_dialect import AWKWARD, KINDS

from whizbang_schema import (
    BooleanDefault,
    DegradedRenderWarning,
    FunctionDefault,
    IntegerDefault,
    SchemaConfiguration,
    Statement,
    StringDefault,
    TableDefinition,
    WhizbangDataType,
    get_dialect,
)
from whizbang_schema.tables import ALL_TABLES

pytestmark = pytest.mark.sqlserver

T = WhizbangDataType


@pytest.fixture
def mssql(sqlserver_url: str) -> Iterator[Any]:
    """A pymssql connection to a new, empty database."""
    import urllib.parse

    import pymssql

    parts = urllib.parse.urlsplit(sqlserver_url)
    conn = pymssql.connect(
        server=parts.hostname,
        port=str(parts.port),
        user=parts.username,
        password=urllib.parse.unquote(parts.password or ""),
        database=parts.path.lstrip("/"),
        autocommit=True,
    )
    yield conn
    conn.close()


def statements(target: object) -> tuple[Statement, ...]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        return get_dialect("sqlserver").statements(target)  # type: ignore[arg-type]


def run(conn: Any, items: tuple[Statement, ...]) -> None:
    cursor = conn.cursor()
    for statement in items:  # one batch each, as apply sends them
        cursor.execute(statement.sql)


def test_nine_tables_twice_with_two_prefixes(mssql: Any) -> None:
    for prefix in ("wh_", "prod_", "wh_"):
        run(mssql, statements(SchemaConfiguration(prefix=prefix)))
    cursor = mssql.cursor()
    for prefix in ("wh_", "prod_"):
        for table in ALL_TABLES:
            cursor.execute(
                "SELECT count(*) FROM sys.indexes WHERE object_id = OBJECT_ID(%s) AND type > 0",
                (f"dbo.{prefix}{table.name}",),
            )
            assert cursor.fetchone()[0] == len(table.indexes) + 1


@pytest.mark.parametrize("table", ALL_TABLES, ids=lambda t: t.name)
def test_catalog_and_defaults(mssql: Any, table: TableDefinition) -> None:
    run(mssql, statements(table))
    cursor = mssql.cursor()
    name = f"wh_{table.name}"
    cursor.execute(
        "SELECT c.name, c.is_nullable, d.name FROM sys.columns c "
        "LEFT JOIN sys.default_constraints d ON d.object_id = c.default_object_id "
        "WHERE c.object_id = OBJECT_ID(%s) ORDER BY c.column_id",
        (f"dbo.{name}",),
    )
    rows = cursor.fetchall()
    assert [r[0] for r in rows] == list(table.column_names)
    for (column_name, nullable, default_name), column in zip(rows, table.columns):
        assert bool(nullable) == column.nullable
        assert default_name == (f"{name}_{column_name}_default" if column.default else None)
    required = required_columns(table)
    values = []
    for column in required:
        if column.data_type is T.UUID:
            values.append(str(uuid.uuid4()))
        elif column.data_type is T.TIMESTAMP_TZ:
            values.append(dt.datetime.now(dt.timezone.utc))
        elif column.data_type in (T.STRING, T.JSON):
            values.append("x")
        else:
            values.append(7)
    names = ", ".join(c.name for c in required)
    cursor.execute(
        f"INSERT INTO dbo.{name} ({names}) VALUES ({', '.join(['%s'] * len(values))})",
        tuple(values),
    )
    cursor.execute(f"SELECT * FROM dbo.{name}")
    row = dict(zip([d[0] for d in cursor.description], cursor.fetchone()))
    for column in table.columns:
        default = column.default
        if isinstance(default, (IntegerDefault, BooleanDefault)):
            assert int(row[column.name]) == int(default.value)
        elif isinstance(default, StringDefault):
            assert row[column.name] == default.value
        elif isinstance(default, FunctionDefault):
            assert row[column.name] is not None


def test_awkward_names_and_every_default(mssql: Any) -> None:
    run(mssql, statements(AWKWARD))
    run(mssql, statements(AWKWARD))
    run(mssql, statements(KINDS))
    cursor = mssql.cursor()
    cursor.execute("INSERT INTO dbo.wh_defaults DEFAULT VALUES")
    cursor.execute("SELECT id, flag_int, flag, s, u FROM dbo.wh_defaults")
    row = cursor.fetchone()
    assert uuid.UUID(str(row[0]))
    assert (row[1], row[2], row[3], row[4]) == (True, False, "it's a \\n test", "žluťoučký 🐍")


# -- issue 15: what the server rejects that the grammar and rules let through ----------------


def _batches(script: str) -> list[str]:
    """The script's batches as sqlcmd sends them: split at each GO line, GO itself not sent."""
    return [b for b in script.split("\nGO\n") if b.strip()]


def test_the_rendered_script_runs_batch_by_batch_as_sqlcmd_runs_it(mssql: Any) -> None:
    cursor = mssql.cursor()
    cursor.execute("SET QUOTED_IDENTIFIER OFF")  # the ODBC sqlcmd's setting without -I
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        script = get_dialect("sqlserver").render(SchemaConfiguration())
    for _ in range(2):
        for batch in _batches(script):
            cursor.execute(batch)
    cursor.execute("SELECT count(*) FROM sys.indexes WHERE has_filter = 1")
    assert cursor.fetchone()[0] >= 5  # the filtered indexes were created
    # DML on a table with a filtered index needs the options too ("CREATE INDEX").
    cursor.execute("SET QUOTED_IDENTIFIER OFF")
    with pytest.raises(Exception, match="QUOTED_IDENTIFIER"):
        cursor.execute("DELETE FROM dbo.wh_outbox")


def test_apply_sets_the_options_on_its_connection(sqlserver_url: str) -> None:
    from whizbang_schema import connect

    options = "ANSI_NULLS ANSI_PADDING ANSI_WARNINGS ARITHABORT CONCAT_NULL_YIELDS_NULL"
    options += " QUOTED_IDENTIFIER NUMERIC_ROUNDABORT"
    sql = "SELECT " + ", ".join(f"SESSIONPROPERTY('{o}')" for o in options.split())
    database = connect(sqlserver_url, dialect="sqlserver")
    try:
        assert [int(v) for v in database.query(sql)[0]] == [1, 1, 1, 1, 1, 1, 0]
    finally:
        database.close()


def test_typed_filter_constants_bigint_defaults_and_with_values(sqlserver_url: str) -> None:
    from whizbang_schema import (
        ColumnDefinition,
        DefaultValue,
        IndexDefinition,
        apply_schema,
        connect,
        diff_schema,
    )

    big = ColumnDefinition("b", T.BIG_INT, default=DefaultValue.integer(5_000_000_000))
    first = TableDefinition(
        "t",
        [ColumnDefinition("id", T.INTEGER, primary_key=True), big],
        indexes=[IndexDefinition("i", ("b",), where="b > 3000000000")],
    )
    config = SchemaConfiguration(tables=[first])
    apply_schema(sqlserver_url, config)
    database = connect(sqlserver_url, dialect="sqlserver")
    try:
        assert diff_schema(database, config).drift == ()  # CONVERT and ((5000000000.)) read back
        database.execute("INSERT INTO dbo.wh_t (id) VALUES (1)")
        added = ColumnDefinition("c", T.INTEGER, default=DefaultValue.integer(3))
        wider = SchemaConfiguration(tables=[TableDefinition("t", [*first.columns, added])])
        apply_schema(sqlserver_url, wider)
        assert database.query("SELECT c FROM dbo.wh_t") == [(3,)]  # WITH VALUES
    finally:
        database.close()


def test_the_server_refuses_the_row_the_dialect_refuses(mssql: Any) -> None:
    from whizbang_schema import ColumnDefinition

    def wide(count: int) -> TableDefinition:
        return TableDefinition("w", [ColumnDefinition(f"c{i}", T.BIG_INT) for i in range(count)])

    run(mssql, statements(wide(991)))  # 8,058 bytes: the dialect renders it, the server takes it
    columns = ", ".join(f"c{i} BIGINT NULL" for i in range(992))
    with pytest.raises(Exception, match="8060"):  # error 1701, as the dialect says
        mssql.cursor().execute(f"CREATE TABLE dbo.w992 ({columns})")


def test_a_filter_without_view_definition_reads_as_unreadable(
    mssql: Any, sqlserver_url: str
) -> None:
    import urllib.parse

    from whizbang_schema import connect, diff_schema

    run(mssql, statements(SchemaConfiguration()))
    login = f"reader_{uuid.uuid4().hex[:8]}"
    password = "Reader-" + uuid.uuid4().hex
    cursor = mssql.cursor()
    cursor.execute(f"CREATE LOGIN {login} WITH PASSWORD = '{password}'")
    cursor.execute(f"CREATE USER {login} FOR LOGIN {login}")
    cursor.execute(f"GRANT SELECT TO {login}")  # sees the tables, not their definitions
    parts = urllib.parse.urlsplit(sqlserver_url)
    url = f"mssql://{login}:{password}@{parts.hostname}:{parts.port}{parts.path}"
    database = connect(url, dialect="sqlserver", read_only=True)
    try:
        drift = diff_schema(database, SchemaConfiguration()).drift
    finally:
        database.close()
    # filter_definition is NULL without VIEW DEFINITION ("sys.indexes"): "cannot read", not
    # an unfiltered index.
    predicates = [d for d in drift if d.kind == "index_predicate"]
    assert predicates
    assert all("cannot read" in (d.actual or "") for d in predicates)
