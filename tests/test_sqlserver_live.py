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
