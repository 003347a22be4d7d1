"""SQLite: type affinities, UUIDs as text (or 16-byte blobs), and UTC timestamp text.

Decisions, each checked against SQLite 3.40 in the tests:

* Every type is one SQLite accepts in STRICT tables (TEXT, INTEGER, BLOB), so ``strict=True``
  works and no column gets NUMERIC affinity (a column declared ``UUID`` or ``JSON`` would turn
  the text ``'123'`` into the integer 123).
* UUIDs: by default TEXT holding the canonical form ``str(uuid.uuid4())`` gives, which is what
  Python drivers write; ``uuid="blob"`` stores ``uuid.bytes`` instead. Either way ``GUID_NEW``
  produces a valid RFC 4122 version-4 UUID in that form.
* Timestamps: UTC text in one fixed form (see :mod:`.values`), so text order is time order.
* Booleans: INTEGER 0/1.
* A sole integer primary key is declared ``INT``, not ``INTEGER``: only the exact type name
  ``INTEGER`` makes a key column an alias of the rowid, which fills in NULL with a new number
  (the definition says NOT NULL) and refuses any value that is not an integer.
* Names of tables and indexes that start with ``sqlite_`` (in any case) are SQLite's own;
  they are refused with :class:`~whizbang_schema.IdentifierError` before any SQL runs.
* Lengths and integer widths are not enforced by SQLite (TEXT holds any length, INTEGER is
  64-bit); this dialect does not pretend otherwise.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Final

import attrs

from whizbang_schema import (
    Capabilities,
    ColumnDefinition,
    DefaultValue,
    DefaultValueFunction,
    DialectInfo,
    DialectOption,
    FunctionDefault,
    IdentifierError,
    IndexDefinition,
    LiveTable,
    RenderContext,
    Statement,
    StatementKind,
    TableDefinition,
    WhizbangDataType,
    expected_table,
    hookimpl,
)

from .keywords import RESERVED_WORDS
from .values import NOW_SQL, format_timestamp

NAME: Final = "sqlite"

#: Integer affinity, as INTEGER, without making a sole key column an alias of the rowid.
ROWID_SAFE_INTEGER: Final = "INT"

TYPES: Final = {
    WhizbangDataType.UUID: "TEXT",
    WhizbangDataType.STRING: "TEXT",
    WhizbangDataType.TIMESTAMP_TZ: "TEXT",
    WhizbangDataType.JSON: "TEXT",
    WhizbangDataType.BIG_INT: "INTEGER",
    WhizbangDataType.INTEGER: "INTEGER",
    WhizbangDataType.SMALL_INT: "INTEGER",
    WhizbangDataType.BOOLEAN: "INTEGER",
}

# A version-4 UUID in canonical text form: random hex with the version nibble 4 and the
# variant nibble one of 8, 9, a, b.
UUID_TEXT_SQL: Final = (
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
    "substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || "
    "substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
)

# The same as 16 bytes, without unhex() (SQLite 3.41+): || keeps blob bytes as they are, and
# the two fixed bytes are picked from 0x40-0x4F (version 4, ASCII, so char() gives one byte)
# and from a literal table of 0x80-0xBF (variant 10xx).
_VARIANT_BYTES = "".join(f"{b:02X}" for b in range(0x80, 0xC0))
UUID_BLOB_SQL: Final = (
    "CAST(randomblob(6) || char(64 + (abs(random()) % 16)) || randomblob(1) || "
    f"substr(x'{_VARIANT_BYTES}', 1 + (abs(random()) % 64), 1) || randomblob(7) AS BLOB)"
)

INFO: Final = DialectInfo(
    name=NAME,
    description="SQLite 3.35 and later (the sqlite3 module of Python)",
    capabilities=Capabilities(
        partial_indexes=True,
        transactional_ddl=True,
        reserved_words=RESERVED_WORDS,
        create_schema=False,
        schema_qualified_index_names=True,
        max_columns=2000,
    ),
    options=(
        DialectOption(
            "uuid",
            "text",
            "how UUID columns are stored: 'text' (str(uuid), as Python drivers write) or "
            "'blob' (uuid.bytes, 16 bytes)",
            choices=("text", "blob"),
        ),
        DialectOption("strict", False, "create STRICT tables, which enforce column types"),
    ),
    url_schemes=("sqlite",),
)


@hookimpl
def whizbang_schema_dialects() -> list[DialectInfo]:
    return [INFO]


@hookimpl
def whizbang_schema_render_type(
    dialect: str, column: ColumnDefinition, table: TableDefinition, context: RenderContext
) -> str | None:
    if dialect != NAME:
        return None
    if column.data_type is WhizbangDataType.UUID and context.option("uuid") == "blob":
        return "BLOB"
    sql_type = TYPES[column.data_type]
    if sql_type == "INTEGER" and table.primary_key == (column.name,):
        return ROWID_SAFE_INTEGER  # not a rowid alias (see the module's docstring)
    return sql_type


def _check_object_name(name: str) -> None:
    if name[:7].lower() == "sqlite_":
        raise IdentifierError(
            f"the name {name!r} starts with 'sqlite_', which SQLite reserves for its own "
            f"tables and indexes",
            dialect=NAME,
            field="name",
        )


@hookimpl
def whizbang_schema_render_default(
    dialect: str, column: ColumnDefinition, default: DefaultValue, context: RenderContext
) -> str | None:
    if dialect != NAME:
        return None
    if isinstance(default, FunctionDefault):
        # Function defaults need parentheses in SQLite.
        if default.value is DefaultValueFunction.GUID_NEW:
            blob = context.option("uuid") == "blob"
            return f"({UUID_BLOB_SQL if blob else UUID_TEXT_SQL})"
        return f"({NOW_SQL})"
    return None


@hookimpl
def whizbang_schema_render_literal(
    dialect: str, column: ColumnDefinition, value: object, context: RenderContext
) -> str | None:
    if dialect != NAME:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"  # SQLite's booleans
    if isinstance(value, dt.datetime):
        return context.string_literal(format_timestamp(value))
    if isinstance(value, uuid.UUID) and context.option("uuid") == "blob":
        return f"X'{value.hex}'"
    return None


@hookimpl
def whizbang_schema_render_create_table(
    dialect: str, table: TableDefinition, context: RenderContext
) -> Sequence[Statement] | None:
    if dialect != NAME:
        return None
    _check_object_name(context.table_name(table))
    if not context.option("strict"):
        return None  # the generic CREATE TABLE IF NOT EXISTS is right
    return [
        Statement(
            StatementKind.CREATE_TABLE,
            context.table_name(table),
            context.create_table_sql(table, suffix=" STRICT"),
            schema=context.effective_schema,
        )
    ]


@hookimpl
def whizbang_schema_render_index(
    dialect: str, table: TableDefinition, index: IndexDefinition, context: RenderContext
) -> None:
    if dialect == NAME:
        _check_object_name(context.index_name(table, index))
    return  # the generic CREATE INDEX IF NOT EXISTS


@hookimpl
def whizbang_schema_connect(dialect: str, target: str, read_only: bool) -> object | None:
    if dialect != NAME:
        return None
    from .live import SqliteDatabase

    return SqliteDatabase(target, read_only=read_only)


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

    return parse_function(sql)


@hookimpl
def whizbang_schema_read_catalog(
    dialect: str, database: object, context: RenderContext
) -> list[LiveTable] | None:
    if dialect != NAME:
        return None
    from .catalog import read_catalog

    return read_catalog(database, context)


@hookimpl
def whizbang_schema_expected_table(
    dialect: str, table: TableDefinition, context: RenderContext
) -> LiveTable | None:
    if dialect != NAME:
        return None
    from .catalog import refine

    expected = expected_table(context, table)
    return attrs.evolve(expected, columns=[refine(c) for c in expected.columns])


@hookimpl
def whizbang_schema_render_add_column(
    dialect: str, table: TableDefinition, column: ColumnDefinition, context: RenderContext
) -> None:
    if dialect == NAME and isinstance(column.default, FunctionDefault):
        raise context.unsupported(
            "SQLite cannot add a column whose default is an expression (ALTER TABLE ADD "
            "COLUMN takes only constant defaults); recreate the table, or add the column "
            "without that default",
            table=table.name,
            column=column.name,
            field="default",
        )
    return  # the generic ALTER TABLE ... ADD COLUMN
