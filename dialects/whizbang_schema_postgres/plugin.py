"""PostgreSQL: the design document's type table, ``gen_random_uuid()``, and schemas.

Almost everything is the core's generic SQL (``CREATE TABLE IF NOT EXISTS``, double-quoted
names, ``CREATE INDEX IF NOT EXISTS ... WHERE``); this module holds the data that differs.
Column names that are PostgreSQL's system columns (``ctid``, ``xmin``...) are refused with
:class:`~whizbang_schema.IdentifierError` before any SQL runs: the server refuses them.
"""

from __future__ import annotations

from typing import Final

from whizbang_schema import (
    Capabilities,
    ColumnDefinition,
    DefaultValue,
    DefaultValueFunction,
    DialectInfo,
    FunctionDefault,
    IdentifierError,
    LiveTable,
    RenderContext,
    WhizbangDataType,
    hookimpl,
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


@hookimpl
def whizbang_schema_dialects() -> list[DialectInfo]:
    return [INFO]


@hookimpl
def whizbang_schema_render_type(
    dialect: str, column: ColumnDefinition, context: RenderContext
) -> str | None:
    if dialect != NAME:
        return None
    if column.data_type is WhizbangDataType.STRING and column.max_length is not None:
        if column.max_length > MAX_VARCHAR:
            raise context.unsupported(
                f"max_length {column.max_length} exceeds PostgreSQL's VARCHAR limit of "
                f"{MAX_VARCHAR}; leave max_length unset for unbounded TEXT",
                column=column.name,
                field="max_length",
            )
        return f"VARCHAR({column.max_length})"
    return TYPES[column.data_type]


@hookimpl
def whizbang_schema_render_column(dialect: str, column: ColumnDefinition) -> None:
    # Rendered names are case-sensitive ("CTID" is quoted, so it is another name).
    if dialect == NAME and column.name in SYSTEM_COLUMNS:
        raise IdentifierError(
            f"{column.name!r} is the name of a PostgreSQL system column, which every table "
            f"already has; choose another column name",
            dialect=NAME,
            column=column.name,
            field="name",
        )
    return  # the generic column definition


@hookimpl
def whizbang_schema_render_default(dialect: str, default: DefaultValue) -> str | None:
    if dialect != NAME:
        return None
    if isinstance(default, FunctionDefault):
        return FUNCTIONS[default.value]
    return None  # literals (through render_literal) and NULL: the generic SQL is right


@hookimpl
def whizbang_schema_render_literal(dialect: str, value: object) -> str | None:
    if dialect != NAME or not isinstance(value, str) or "\\" not in value:
        return None
    # An escape string means the same whatever standard_conforming_strings is set to.
    return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


@hookimpl
def whizbang_schema_connect(dialect: str, target: str, read_only: bool) -> object | None:
    if dialect != NAME:
        return None
    from .live import PostgresDatabase  # imports psycopg only when connecting

    return PostgresDatabase(target, read_only=read_only)


@hookimpl
def whizbang_schema_parse_type(
    dialect: str, sql_type: str
) -> tuple[WhizbangDataType, int | None] | None:
    if dialect != NAME:
        return None
    from .catalog import parse_type

    return parse_type(sql_type)


@hookimpl
def whizbang_schema_parse_default(dialect: str, sql: str) -> DefaultValue | None:
    if dialect != NAME:
        return None
    from .catalog import parse_function

    return parse_function(sql)  # literals: the generic reading is right


@hookimpl
def whizbang_schema_read_catalog(
    dialect: str, database: object, context: RenderContext
) -> list[LiveTable] | None:
    if dialect != NAME:
        return None
    from .catalog import read_catalog

    return read_catalog(database, context)
