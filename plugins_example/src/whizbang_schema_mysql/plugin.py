"""MySQL 8 and MariaDB 10.11: what differs from the core's generic SQL, and why.

* Names: backticks, at most 64 characters, and only characters of Unicode's Basic Multilingual
  Plane (both servers refuse others in identifiers). No index or unique constraint may be
  named ``PRIMARY``, in any case: that is the primary key's.
* UUID: ``CHAR(36)`` holding ``str(uuid)`` by default, as Python drivers write it; option
  ``uuid=binary16`` stores ``uuid.bytes`` in ``BINARY(16)``, ``uuid=uuid`` uses MariaDB's
  native UUID type (MariaDB 10.7+, not MySQL). ``GUID_NEW`` uses the servers' ``UUID()``, which
  makes version-1 (time-based) UUIDs: unique, but not random.
* TIMESTAMP_TZ: ``DATETIME(6)`` holding UTC, defaulting to ``UTC_TIMESTAMP(6)``. Neither server
  has a zone-aware type, and ``TIMESTAMP`` (which converts to and from the session zone) ends
  in January 2038; an outbox must outlive that. Both "now" defaults store UTC.
* JSON: ``JSON`` (MySQL's binary JSON; on MariaDB an alias of LONGTEXT with a validity check).
* BOOLEAN: ``BOOLEAN`` (``TINYINT(1)``), defaults 0/1.
* STRING: ``VARCHAR(n)`` up to 16,383 characters (the utf8mb4 limit), ``LONGTEXT`` beyond and
  when unbounded. Key columns need bounded types within InnoDB's 3,072-byte key limit (4 bytes
  per utf8mb4 character): an unbounded key string becomes ``VARCHAR(768)`` or less (see
  :func:`whizbang_schema.key_string_lengths`). Rows must fit MySQL's 65,535-byte limit.
* Defaults are written so both servers read them alike: expressions in parentheses (MySQL
  8.0.13+), string defaults of TEXT columns too, and a string holding a backslash as a hex
  literal converted to utf8mb4 (whether ``\\`` escapes depends on the session's
  ``NO_BACKSLASH_ESCAPES``), as is one holding characters beyond the BMP (information_schema
  is utf8mb3 and shows them as ``?``).
* Indexes are declared inside CREATE TABLE: MySQL has no ``CREATE INDEX IF NOT EXISTS``.
* Neither server has partial indexes: a non-unique partial index becomes a full index with a
  warning; a unique one raises :class:`~whizbang_schema.UnsupportedFeatureError`.
* Tables are InnoDB, utf8mb4 with the binary collation ``utf8mb4_bin`` by default, so that
  equality and uniqueness mean what they mean on PostgreSQL and SQLite (case- and
  accent-sensitive); option ``collation=utf8mb4_unicode_ci`` for MySQL's usual behaviour.
* DDL commits implicitly on both servers: an apply that fails mid-way keeps the statements
  before the failure. Everything is rendered, and so validated, before the first one runs.
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
    KeyLimits,
    LiveTable,
    RenderContext,
    Statement,
    StatementKind,
    StringDefault,
    TableDefinition,
    WhizbangDataType,
    expected_table,
    hookimpl,
    key_string_lengths,
)

from .keywords import RESERVED_WORDS

NAME: Final = "mysql"

#: The longest VARCHAR of utf8mb4 characters; longer strings are LONGTEXT.
MAX_VARCHAR: Final = 16_383
#: MySQL's limit on a row's bytes, LONGTEXT/JSON excepted (they count a pointer).
MAX_ROW_BYTES: Final = 65_535

UUID_TYPES: Final = {"char36": "CHAR(36)", "binary16": "BINARY(16)", "uuid": "UUID"}
UUID_BYTES: Final = {"char36": 144, "binary16": 16, "uuid": 16}
UUID_DEFAULTS: Final = {
    "char36": "(UUID())",
    "binary16": "(UNHEX(REPLACE(UUID(), '-', '')))",
    "uuid": "(UUID())",
}

TYPES: Final = {
    WhizbangDataType.TIMESTAMP_TZ: "DATETIME(6)",
    WhizbangDataType.JSON: "JSON",
    WhizbangDataType.BIG_INT: "BIGINT",
    WhizbangDataType.INTEGER: "INT",
    WhizbangDataType.SMALL_INT: "SMALLINT",
    WhizbangDataType.BOOLEAN: "BOOLEAN",
}
FIXED_BYTES: Final = {
    WhizbangDataType.TIMESTAMP_TZ: 8,
    WhizbangDataType.BIG_INT: 8,
    WhizbangDataType.INTEGER: 4,
    WhizbangDataType.SMALL_INT: 2,
    WhizbangDataType.BOOLEAN: 1,
}

KEY_LIMITS: Final = {
    representation: KeyLimits(
        dialect=NAME,
        unbounded_type="LONGTEXT",
        primary_key_bytes=3072,
        key_bytes=3072,
        bytes_per_char=4,
        default_string_length=768,
        max_key_string=MAX_VARCHAR,
        widths={WhizbangDataType.UUID: uuid_bytes, **FIXED_BYTES},
    )
    for representation, uuid_bytes in UUID_BYTES.items()
}

INFO: Final = DialectInfo(
    name=NAME,
    description="MySQL 8.0.13+ and MariaDB 10.11 (an example third-party plugin)",
    capabilities=Capabilities(
        partial_indexes=False,
        transactional_ddl=False,
        max_identifier_chars=64,
        reserved_words=RESERVED_WORDS,
        quote_start="`",
        quote_end="`",
        max_index_columns=16,
        max_columns=1017,
    ),
    options=(
        DialectOption(
            "uuid",
            "char36",
            "how UUID columns are stored: 'char36' (str(uuid)), 'binary16' (uuid.bytes) or "
            "'uuid' (MariaDB 10.7+'s native type)",
            choices=tuple(UUID_TYPES),
        ),
        DialectOption(
            "collation",
            "utf8mb4_bin",
            "the tables' collation: 'utf8mb4_bin' compares exactly, like PostgreSQL and "
            "SQLite; 'utf8mb4_unicode_ci' ignores case and accents",
            choices=("utf8mb4_bin", "utf8mb4_unicode_ci"),
        ),
    ),
    url_schemes=("mysql", "mariadb"),
)


def _limits(context: RenderContext) -> KeyLimits:
    return KEY_LIMITS[str(context.option("uuid"))]


def _string_length(
    column: ColumnDefinition, table: TableDefinition, context: RenderContext
) -> int | None:
    """The VARCHAR length of a STRING column, or ``None`` for LONGTEXT."""
    length = column.max_length
    if length is None:
        length = key_string_lengths(table, _limits(context)).get(column.name)
    return length if length is not None and length <= MAX_VARCHAR else None


@hookimpl
def whizbang_schema_dialects() -> list[DialectInfo]:
    return [INFO]


@hookimpl
def whizbang_schema_quote_identifier(dialect: str, name: str, context: RenderContext) -> None:
    if dialect != NAME:
        return
    if any(ord(ch) > 0xFFFF for ch in name):
        raise IdentifierError(
            f"the name {name!r} has characters outside Unicode's Basic Multilingual Plane, "
            f"which MySQL and MariaDB do not allow in names",
            dialect=NAME,
            field="name",
        )
    return  # the generic quoting, with this dialect's backticks, does the rest


@hookimpl
def whizbang_schema_render_type(
    dialect: str, column: ColumnDefinition, table: TableDefinition, context: RenderContext
) -> str | None:
    if dialect != NAME:
        return None
    kind = column.data_type
    if kind is WhizbangDataType.UUID:
        return UUID_TYPES[str(context.option("uuid"))]
    if kind is WhizbangDataType.STRING:
        length = _string_length(column, table, context)
        return "LONGTEXT" if length is None else f"VARCHAR({length})"
    return TYPES[kind]


def _string_literal(value: str) -> str:
    if "\\" in value or any(ord(ch) > 0xFFFF for ch in value):
        # '\\' means one backslash or two depending on NO_BACKSLASH_ESCAPES; hex means one
        # thing. Not _utf8mb4 X'..': MariaDB 10.11 stores that default back unescaped and then
        # cannot parse its own table definition (seen); CONVERT(.. USING ..) survives.
        # Characters beyond the Basic Multilingual Plane too: information_schema is utf8mb3
        # and prints them as '?', so the default could not be read back (seen).
        return "(CONVERT(X'" + value.encode("utf-8").hex().upper() + "' USING utf8mb4))"
    return "'" + value.replace("'", "''") + "'"


@hookimpl
def whizbang_schema_render_default(
    dialect: str,
    column: ColumnDefinition,
    default: DefaultValue,
    table: TableDefinition,
    context: RenderContext,
) -> str | None:
    if dialect != NAME:
        return None
    if isinstance(default, StringDefault):
        length = _string_length(column, table, context)
        if length is not None and len(default.value) > length:
            # Only a key column's chosen VARCHAR can be too short (the definition checks an
            # explicit max_length); the server would refuse it: "Invalid default value".
            raise context.unsupported(
                f"the string default is {len(default.value)} characters, longer than the "
                f"VARCHAR({length}) this key column gets to fit the key limit; shorten it",
                table=table.name,
                column=column.name,
                field="default",
            )
        literal = context.render_literal(column, default.value)
        if literal.startswith("(") or length:
            return literal
        return f"({literal})"  # TEXT columns take only expression defaults, in parentheses
    if isinstance(default, FunctionDefault):
        if default.value is DefaultValueFunction.GUID_NEW:
            return UUID_DEFAULTS[str(context.option("uuid"))]
        return "(UTC_TIMESTAMP(6))"
    return None  # integers, booleans (through render_literal) and NULL: the generic SQL


@hookimpl
def whizbang_schema_render_literal(
    dialect: str, column: ColumnDefinition, value: object, context: RenderContext
) -> str | None:
    if dialect != NAME:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, str):
        return _string_literal(value)
    if isinstance(value, dt.datetime):  # DATETIME(6) holds UTC, without a zone
        utc = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return "'" + utc.isoformat(sep=" ", timespec="microseconds") + "'"
    if isinstance(value, uuid.UUID) and context.option("uuid") == "binary16":
        return f"X'{value.hex}'"
    return None


def _check_key_name(name: str) -> None:
    if name.casefold() == "primary":
        raise IdentifierError(
            f"an index or unique constraint cannot be named {name!r}: MySQL and MariaDB keep "
            f"the name PRIMARY (in any case) for the primary key",
            dialect=NAME,
            field="name",
        )


def _row_bytes(table: TableDefinition, context: RenderContext) -> int:
    total = (sum(1 for c in table.columns if c.nullable) + 7) // 8
    for column in table.columns:
        kind = column.data_type
        if kind is WhizbangDataType.UUID:
            total += UUID_BYTES[str(context.option("uuid"))]
        elif kind is WhizbangDataType.STRING:
            length = _string_length(column, table, context)
            total += 12 if length is None else 4 * length + (2 if 4 * length > 255 else 1)
        elif kind is WhizbangDataType.JSON:
            total += 12
        else:
            total += FIXED_BYTES[kind]
    return total


@hookimpl
def whizbang_schema_render_create_table(
    dialect: str, table: TableDefinition, context: RenderContext
) -> Sequence[Statement] | None:
    if dialect != NAME:
        return None
    key_string_lengths(table, _limits(context))  # refuses keys that cannot fit
    for name, _columns in context.unique_elements(table):
        _check_key_name(name)
    for index in table.indexes:
        _check_key_name(context.index_name(table, index))
    size = _row_bytes(table, context)
    if size > MAX_ROW_BYTES:
        raise context.unsupported(
            f"a row takes up to {size} bytes, over MySQL's {MAX_ROW_BYTES}-byte row limit; "
            f"leave some strings unbounded (LONGTEXT) or shorten them",
            table=table.name,
            field="columns",
        )
    elements = context.table_elements(table)
    notes = []
    for index in table.indexes:
        if index.where is not None:
            notes.append(context.drop_predicate(table, index, "it has no partial indexes"))
        kind = "UNIQUE INDEX" if index.unique else "INDEX"
        name = context.quote(context.index_name(table, index))
        elements.append(f"{kind} {name} ({context.quote_list(index.columns)})")
    collation = context.option("collation")
    sql = context.create_table_sql(
        table,
        elements=elements,
        suffix=f" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE={collation}",
    )
    return [
        Statement(
            StatementKind.CREATE_TABLE,
            context.table_name(table),
            sql,
            schema=context.effective_schema,
            notes=notes,
        )
    ]


@hookimpl
def whizbang_schema_render_index(dialect: str) -> tuple[()] | None:
    # Declared inside CREATE TABLE: MySQL has no CREATE INDEX IF NOT EXISTS.
    return () if dialect == NAME else None


@hookimpl
def whizbang_schema_connect(dialect: str, target: str, read_only: bool) -> object | None:
    if dialect != NAME:
        return None
    from .live import MySQLDatabase  # imports PyMySQL only when connecting

    return MySQLDatabase(target, read_only=read_only)


@hookimpl
def whizbang_schema_parse_type(
    dialect: str, sql_type: str
) -> tuple[WhizbangDataType, int | None] | None:
    if dialect != NAME:
        return None
    from .catalog import parse_type

    return parse_type(sql_type)


@hookimpl
def whizbang_schema_parse_default(
    dialect: str, sql: str, data_type: WhizbangDataType | None
) -> DefaultValue | None:
    if dialect != NAME:
        return None
    from .catalog import parse_default

    return parse_default(sql, data_type)


@hookimpl
def whizbang_schema_read_catalog(
    dialect: str, database: object, context: RenderContext
) -> list[LiveTable] | None:
    if dialect != NAME:
        return None
    from .catalog import read_catalog

    return read_catalog(database, context)


@hookimpl
def whizbang_schema_render_add_index(
    dialect: str, table: TableDefinition, index: IndexDefinition, context: RenderContext
) -> Statement | None:
    if dialect != NAME:
        return None
    notes: tuple[str, ...] = ()
    if index.where is not None:
        notes = (context.drop_predicate(table, index, "it has no partial indexes"),)
    name = context.index_name(table, index)
    _check_key_name(name)
    kind = "UNIQUE INDEX" if index.unique else "INDEX"
    return Statement(
        StatementKind.CREATE_INDEX,
        name,
        f"CREATE {kind} {context.quote(name)} ON {context.qualified_table(table)} "
        f"({context.quote_list(index.columns)})",
        table=context.table_name(table),
        schema=context.effective_schema,
        notes=notes,
    )


@hookimpl
def whizbang_schema_expected_table(
    dialect: str, table: TableDefinition, context: RenderContext
) -> LiveTable | None:
    if dialect != NAME:
        return None
    # MySQL and MariaDB record a unique index as a unique constraint: compare it as one.
    expected = expected_table(context, table)
    unique = [i for i in expected.indexes if i.unique]
    return attrs.evolve(
        expected,
        indexes=[i for i in expected.indexes if not i.unique],
        unique_constraints=[*expected.unique_constraints, *unique],
    )
