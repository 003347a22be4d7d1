"""Small per-engine adapters for the property tests: a cheap fresh state per example, and the
engine's own catalog read without the library (names, nullability, index names).

* SQLite: a new in-memory database per example.
* PostgreSQL: one database per module; each example runs in ``BEGIN`` ... ``ROLLBACK``
  (PostgreSQL's DDL is transactional), with a savepoint around statements expected to fail.
* MariaDB: one database per module; the example's tables are dropped after it.
"""

from __future__ import annotations

import collections
import datetime as dt
import decimal
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from whizbang_schema import (
    ColumnType,
    DatabaseError,
    DecimalType,
    LiveDatabase,
    RenderContext,
    TableDefinition,
    WhizbangDataType,
    connect,
)

T = WhizbangDataType

#: Examples per engine, by outcome ("executed", or the refusal's class name); printed at the
#: end of the session (see conftest.py).
COUNTS: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
#: Seconds spent in each engine's property, summed over its examples.
SECONDS: dict[str, float] = collections.defaultdict(float)


@contextmanager
def timed(engine: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        SECONDS[engine] += time.perf_counter() - start


def sample(column_type: ColumnType) -> object:
    """A value of every type, for NOT NULL columns without a default."""
    data_type = column_type.kind
    if isinstance(column_type, DecimalType):  # the smallest step: fits every precision
        return decimal.Decimal(1).scaleb(-column_type.scale)
    if data_type is T.BYTES:
        return bytes(range(min(column_type.max_length or 5, 5)))
    return {
        T.DATE: dt.date(2024, 2, 29),
        T.DOUBLE: 0.5,
        T.UUID: uuid.UUID("0f8fad5b-d9cb-469f-a165-70867728950e"),
        T.STRING: "x",
        T.JSON: {"k": [1, "two"]},
        T.TIMESTAMP_TZ: dt.datetime(2024, 2, 29, 12, 0, 0, tzinfo=dt.timezone.utc),
        T.BOOLEAN: True,
    }.get(data_type, 7)


class Engine:
    """One engine: a fresh state per example and its own catalog."""

    dialect: str

    def __init__(self, live: LiveDatabase) -> None:
        self.live = live

    @contextmanager
    def example(self) -> Iterator[LiveDatabase]:
        yield self.live

    @contextmanager
    def failing(self) -> Iterator[None]:
        """Around a statement expected to fail: keep the example's state usable after it."""
        yield

    def insert_sql(
        self, context: RenderContext, table: TableDefinition, values: dict[str, Any]
    ) -> str:
        target = context.qualified_table(table)
        if not values:
            return f"INSERT INTO {target} DEFAULT VALUES"
        names = ", ".join(context.quote(name) for name in values)
        literals = ", ".join(
            context.render_literal(table.column(name), value) for name, value in values.items()
        )
        return f"INSERT INTO {target} ({names}) VALUES ({literals})"

    def columns(self, table: str) -> list[tuple[str, bool]]:
        """``(name, nullable)`` of each column, in order, from the engine's catalog."""
        raise NotImplementedError

    def index_names(self, table: str) -> set[str]:
        """The names of the table's indexes (those the engine names after the definition)."""
        raise NotImplementedError


class Sqlite(Engine):
    dialect = "sqlite"

    def __init__(self) -> None:
        pass  # each example opens its own database

    @contextmanager
    def example(self) -> Iterator[LiveDatabase]:
        live = connect(":memory:", dialect="sqlite")
        self.live = live
        try:
            yield live
        finally:
            live.close()

    def columns(self, table: str) -> list[tuple[str, bool]]:
        rows = self.live.query('SELECT name, "notnull" FROM pragma_table_xinfo(?)', (table,))
        return [(str(name), not notnull) for name, notnull in rows]

    def index_names(self, table: str) -> set[str]:
        rows = self.live.query("SELECT name FROM pragma_index_list(?) WHERE origin = 'c'", (table,))
        return {str(r[0]) for r in rows}


class Postgres(Engine):
    dialect = "postgres"

    def __init__(self, live: LiveDatabase) -> None:
        super().__init__(live)
        # Examples run the same query texts over tables that differ (each rolled back), so
        # psycopg's automatically prepared statements would go stale: do not prepare.
        live.connection.prepare_threshold = None  # type: ignore[attr-defined]

    @contextmanager
    def example(self) -> Iterator[LiveDatabase]:
        self.live.execute("BEGIN")
        try:
            yield self.live
        finally:
            self.live.execute("ROLLBACK")

    @contextmanager
    def failing(self) -> Iterator[None]:
        self.live.execute("SAVEPOINT failing")
        try:
            yield
        finally:
            self.live.execute("ROLLBACK TO SAVEPOINT failing")

    def columns(self, table: str) -> list[tuple[str, bool]]:
        rows = self.live.query(
            "SELECT column_name, is_nullable FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %(t)s "
            "ORDER BY ordinal_position",
            {"t": table},
        )
        return [(name, nullable == "YES") for name, nullable in rows]

    def index_names(self, table: str) -> set[str]:
        rows = self.live.query(
            "SELECT indexname FROM pg_catalog.pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = %(t)s",
            {"t": table},
        )
        return {r[0] for r in rows}


class MariaDB(Engine):
    dialect = "mysql"

    @contextmanager
    def example(self) -> Iterator[LiveDatabase]:
        try:
            yield self.live
        finally:
            rows = self.live.query(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
            )
            if rows:
                names = ", ".join("`" + r[0].replace("`", "``") + "`" for r in rows)
                self.live.execute(f"DROP TABLE {names}")

    def insert_sql(
        self, context: RenderContext, table: TableDefinition, values: dict[str, Any]
    ) -> str:
        if not values:
            return f"INSERT INTO {context.qualified_table(table)} () VALUES ()"
        return super().insert_sql(context, table, values)

    def columns(self, table: str) -> list[tuple[str, bool]]:
        rows = self.live.query(
            "SELECT COLUMN_NAME, IS_NULLABLE FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s ORDER BY ORDINAL_POSITION",
            (table,),
        )
        return [(name, nullable == "YES") for name, nullable in rows]

    def index_names(self, table: str) -> set[str]:
        rows = self.live.query(
            "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s",
            (table,),
        )
        return {r[0] for r in rows}


def expect_failure(engine: Engine, sql: str) -> DatabaseError | None:
    """Run ``sql``, which should fail; return the error, or ``None`` if it succeeded."""
    with engine.failing():
        try:
            engine.live.execute(sql)
        except DatabaseError as exc:
            return exc
    return None
