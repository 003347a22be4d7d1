"""PostgreSQL: the design document's type table, ``gen_random_uuid()``, and schemas.

Almost everything is the core's generic SQL (``CREATE TABLE IF NOT EXISTS``, double-quoted
names, ``CREATE INDEX IF NOT EXISTS ... WHERE``); :class:`PostgresDialect` holds the data that
differs and the few decisions that do. An engine that speaks PostgreSQL's SQL subclasses it.
Column names that are PostgreSQL's system columns (``ctid``, ``xmin``...) are refused with
:class:`~whizbang_schema.IdentifierError` before any SQL runs: the server refuses them.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Final

import attrs

from whizbang_schema import (
    Capabilities,
    ColumnDefinition,
    ColumnType,
    DefaultValue,
    DefaultValueFunction,
    Dialect,
    DialectInfo,
    Hazard,
    IndexDefinition,
    LiveColumn,
    LiveDatabase,
    LiveIndex,
    LiveTable,
    RenderContext,
    Statement,
    StatementKind,
    TableDefinition,
    TypeChange,
    WhizbangDataType,
    type_change,
)

from .keywords import RESERVED_WORDS

NAME: Final = "postgres"

#: Every table has these system columns; a column of the same name is refused by the server.
#: (``oid`` was one until PostgreSQL 12; this dialect targets 13 and later.)
SYSTEM_COLUMNS: Final = frozenset({"tableoid", "xmin", "cmin", "xmax", "cmax", "ctid"})

#: The longest VARCHAR PostgreSQL accepts; longer max_length values are refused, not widened.
MAX_VARCHAR: Final = 10_485_760

TYPES: Final = {
    WhizbangDataType.UUID: "UUID",
    WhizbangDataType.STRING: "TEXT",
    WhizbangDataType.TIMESTAMP_TZ: "TIMESTAMPTZ",
    WhizbangDataType.JSON: "JSONB",
    WhizbangDataType.BIG_INT: "BIGINT",
    WhizbangDataType.INTEGER: "INTEGER",
    WhizbangDataType.SMALL_INT: "SMALLINT",
    WhizbangDataType.BOOLEAN: "BOOLEAN",
    WhizbangDataType.DECIMAL: "NUMERIC",
    WhizbangDataType.DATE: "DATE",
    WhizbangDataType.DOUBLE: "DOUBLE PRECISION",
    WhizbangDataType.BYTES: "BYTEA",
}

# TIMESTAMPTZ stores an instant, so "now" and "UTC now" are the same value. The C# original's
# NOW() AT TIME ZONE 'UTC' yields a zone-less timestamp that is re-read in the session's zone:
# the wrong instant unless the session is in UTC.
FUNCTIONS: Final = {
    DefaultValueFunction.DATETIME_NOW: "CURRENT_TIMESTAMP",
    DefaultValueFunction.DATETIME_UTC_NOW: "CURRENT_TIMESTAMP",
    DefaultValueFunction.GUID_NEW: "gen_random_uuid()",
}

INFO: Final = DialectInfo(
    name=NAME,
    description="PostgreSQL 13 and later",
    capabilities=Capabilities(
        partial_indexes=True,
        transactional_ddl=True,
        max_identifier_bytes=63,
        reserved_words=RESERVED_WORDS,
        max_index_columns=32,
        max_columns=1600,
    ),
    url_schemes=("postgresql", "postgres"),
)


class PostgresDialect(Dialect):
    """PostgreSQL 13 and later, through psycopg 3 (the ``[postgres]`` extra)."""

    info = INFO
    TYPES = TYPES
    FUNCTIONS = FUNCTIONS
    ENGINE = "PostgreSQL"
    UNSIZED_TYPES = frozenset({WhizbangDataType.BYTES})  # BYTEA has no length (README: types)
    MAX_VARCHAR = MAX_VARCHAR
    SYSTEM_COLUMNS = SYSTEM_COLUMNS

    def render_literal(
        self, column: ColumnDefinition, value: object, context: RenderContext
    ) -> str:
        if isinstance(value, str) and "\\" in value:
            # An escape string means the same whatever standard_conforming_strings is set to.
            return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
        if isinstance(value, float) and not math.isfinite(value):
            return f"'{value!r}'".replace("inf", "Infinity").replace("nan", "NaN")  # float8's
        if isinstance(value, (bytes, bytearray, memoryview)):
            return f"decode('{bytes(value).hex()}', 'hex')"  # X'..' would be a bit string
        return super().render_literal(column, value, context)

    def connect(self, target: str, read_only: bool) -> LiveDatabase:
        from .live import PostgresDatabase  # imports psycopg only when connecting

        return PostgresDatabase(target, read_only=read_only)

    def borrow_connection(self, connection: object) -> LiveDatabase | None:
        from .live import PostgresDatabase

        return PostgresDatabase.borrow(connection) if PostgresDatabase.wraps(connection) else None

    # Databases for tests (the pytest plugin): see .databases.

    def create_database(self, url: str, name: str, template: str | None) -> str:
        from .databases import create_database

        return create_database(url, name, template)

    def drop_database(self, url: str) -> bool:
        from .databases import drop_database

        return drop_database(url)

    def end_other_sessions(self, database: LiveDatabase) -> bool:
        from .databases import end_other_sessions

        return end_other_sessions(database)

    def schema_fingerprint(self, database: LiveDatabase) -> str | None:
        from .databases import schema_fingerprint

        return schema_fingerprint(database)

    def parse_type(self, sql_type: str, context: RenderContext) -> ColumnType | None:
        from .catalog import parse_type

        return parse_type(sql_type)

    def parse_default(
        self, sql: str, data_type: WhizbangDataType | None, context: RenderContext
    ) -> DefaultValue | None:
        from .catalog import parse_function

        function = parse_function(sql)
        return function if function is not None else super().parse_default(sql, data_type, context)

    def read_catalog(self, database: LiveDatabase, context: RenderContext) -> list[LiveTable]:
        from .catalog import read_catalog

        return read_catalog(database, context)

    # == migration plans: the engine's own safe way ==========================================

    def column_changes(
        self,
        column: ColumnDefinition,
        stored: LiveColumn,
        wanted: LiveColumn,
        table: TableDefinition,
        context: RenderContext,
    ) -> list[tuple[str, tuple[str, ...]]]:
        # ALTER COLUMN TYPE ... USING: a longer VARCHAR (or TEXT) is a catalog change only;
        # a shorter one is checked row by row and a wider integer rewrites the table.
        out = []
        for clause, hazards in super().column_changes(column, stored, wanted, table, context):
            if clause.startswith("SET DATA TYPE "):
                sql_type = clause.removeprefix("SET DATA TYPE ")
                # USING the bare column, never column::type: an explicit cast to a shorter
                # VARCHAR silently truncates (SQL's rule), the assignment conversion fails.
                clause = f"TYPE {sql_type} USING {context.quote(column.name)}"
                change = type_change(stored, wanted)
                hazards = (Hazard.LOCKS_WRITES, Hazard.LOCKS_READS)
                if change is TypeChange.NARROW_STRING:
                    hazards += (Hazard.SCANS_TABLE, Hazard.MAY_FAIL)
                elif change is TypeChange.WIDEN_INTEGER:
                    hazards += (Hazard.REWRITES_TABLE,)
            out.append((clause, hazards))
        return out

    def render_change_index(
        self,
        table: TableDefinition,
        live: LiveIndex | None,
        index: IndexDefinition | None,
        context: RenderContext,
    ) -> Sequence[Statement]:
        # CONCURRENTLY, outside the transaction: writers never wait for the build. A replaced
        # index is built under a temporary name first, so the table is never without it (nor
        # a unique key unenforced), then the old one is dropped and the new one renamed.
        table_name = context.table_name(table)
        schema = context.effective_schema
        out: list[Statement] = []
        temporary = None
        if index is not None:
            created = _one(super().render_add_index(table, index, context))
            sql = created.sql.replace(" INDEX IF NOT EXISTS ", " INDEX CONCURRENTLY ", 1)
            if live is not None:
                temporary = "whz_" + hashlib.sha256(created.name.encode()).hexdigest()[:24]
                sql = sql.replace(
                    f" CONCURRENTLY {context.quote(created.name)} ",
                    f" CONCURRENTLY {context.quote(temporary)} ",
                    1,
                )
            hazards: tuple[str, ...] = (Hazard.SCANS_TABLE, Hazard.NOT_TRANSACTIONAL)
            if index.unique:
                hazards += (Hazard.MAY_FAIL,)
            out.append(
                attrs.evolve(
                    created,
                    name=temporary or created.name,
                    sql=sql,
                    hazards=hazards,
                    concurrent=True,
                )
            )
        if live is not None:
            out.append(
                Statement(
                    StatementKind.DROP_INDEX,
                    live.name,
                    f"DROP INDEX CONCURRENTLY IF EXISTS {context.qualified(live.name)}",
                    table=table_name,
                    schema=schema,
                    hazards=(Hazard.NOT_TRANSACTIONAL,),
                    concurrent=True,
                )
            )
        if temporary is not None and index is not None:
            name = context.index_name(table, index)
            out.append(
                Statement(
                    StatementKind.RENAME_INDEX,
                    name,
                    f"ALTER INDEX {context.qualified(temporary)} RENAME TO {context.quote(name)}",
                    table=table_name,
                    schema=schema,
                    hazards=(Hazard.NOT_TRANSACTIONAL,),
                    concurrent=True,
                )
            )
        return out


def _one(result: Statement | Sequence[Statement]) -> Statement:
    """The generic answer's one statement."""
    if isinstance(result, Statement):
        return result
    (statement,) = result
    return statement
