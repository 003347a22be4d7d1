"""Generic SQL: the ``trylast`` implementations every dialect falls back on.

They are driven by the dialect's :class:`~whizbang_schema.Capabilities`, so a new dialect whose
engine speaks ordinary SQL (``CREATE TABLE IF NOT EXISTS``, double-quoted names) needs to
implement only its description, its type mapping and its function defaults. None of this
knows any particular database.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re

from ..model.catalog import LiveTable
from ..model.datatypes import WhizbangDataType
from ..model.defaults import (
    BooleanDefault,
    DefaultValue,
    IntegerDefault,
    NullDefault,
    StringDefault,
)
from ..model.definitions import ColumnDefinition, IndexDefinition, TableDefinition
from ..plugins.markers import hookimpl
from .context import RenderContext
from .expected import expected_table, parse_literal_default
from .statements import Statement, StatementKind

__all__ = ["literal_value", "needs_quoting", "quote_with"]


@functools.lru_cache(maxsize=64)
def _bare_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def needs_quoting(name: str, context: RenderContext) -> bool:
    """Whether ``name`` must be quoted: reserved in the dialect, or not a plain bare name."""
    caps = context.capabilities
    return (
        _bare_pattern(caps.bare_identifier).fullmatch(name) is None
        or name.lower() in caps.reserved_words
    )


def quote_with(name: str, start: str, end: str) -> str:
    """Quote ``name`` between ``start`` and ``end``, doubling ``end`` inside it."""
    return start + name.replace(end, end + end) + end


@hookimpl(trylast=True)
def whizbang_schema_quote_identifier(name: str, context: RenderContext) -> str:
    if not needs_quoting(name, context):
        return name
    caps = context.capabilities
    return quote_with(name, caps.quote_start, caps.quote_end)


@hookimpl(trylast=True)
def whizbang_schema_render_literal(
    column: ColumnDefinition, value: object, context: RenderContext
) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.utcoffset() is None:
            raise context.unsupported("a timestamp literal needs an aware datetime", field="value")
        return context.string_literal(value.isoformat())
    if column.data_type is WhizbangDataType.JSON and not isinstance(value, str):
        return context.string_literal(json.dumps(value, sort_keys=True))
    return context.string_literal(str(value))


def literal_value(column: ColumnDefinition, default: DefaultValue) -> object:
    """The Python value a literal default stands for (integer 0/1 on BOOLEAN: a bool)."""
    assert isinstance(default, (IntegerDefault, BooleanDefault, StringDefault))
    if isinstance(default, IntegerDefault) and column.data_type is WhizbangDataType.BOOLEAN:
        return bool(default.value)
    return default.value


@hookimpl(trylast=True)
def whizbang_schema_render_default(
    column: ColumnDefinition, default: DefaultValue, context: RenderContext
) -> str | None:
    if isinstance(default, (IntegerDefault, BooleanDefault, StringDefault)):
        return context.render_literal(column, literal_value(column, default))
    if isinstance(default, NullDefault):
        return "NULL"
    return None


@hookimpl(trylast=True)
def whizbang_schema_render_column(
    column: ColumnDefinition, table: TableDefinition, context: RenderContext
) -> str:
    parts = [context.quote(column.name), context.render_type(column, table)]
    if not column.nullable:
        parts.append("NOT NULL")
    default = context.render_default(column, table)
    if default is not None:
        parts.append(f"DEFAULT {default}")
    return " ".join(parts)


@hookimpl(trylast=True)
def whizbang_schema_render_create_table(
    table: TableDefinition, context: RenderContext
) -> Statement:
    return Statement(
        StatementKind.CREATE_TABLE,
        context.table_name(table),
        context.create_table_sql(table),
        schema=context.effective_schema,
    )


@hookimpl(trylast=True)
def whizbang_schema_render_index(
    table: TableDefinition, index: IndexDefinition, context: RenderContext
) -> Statement:
    name = context.index_name(table, index)
    if context.capabilities.schema_qualified_index_names:
        index_sql, table_sql = context.qualified(name), context.quote(context.table_name(table))
    else:
        index_sql, table_sql = context.quote(name), context.qualified_table(table)
    sql = (
        f"CREATE {'UNIQUE ' if index.unique else ''}INDEX IF NOT EXISTS {index_sql} "
        f"ON {table_sql} ({context.quote_list(index.columns)})"
    )
    notes: tuple[str, ...] = ()
    if index.where is not None:
        if context.capabilities.partial_indexes:
            sql += f" WHERE {context.render_predicate(table, index)}"
        else:
            notes = (context.drop_predicate(table, index, "it has no partial indexes"),)
    return Statement(
        StatementKind.CREATE_INDEX,
        name,
        sql,
        table=context.table_name(table),
        schema=context.effective_schema,
        notes=notes,
    )


@hookimpl(trylast=True)
def whizbang_schema_render_create_schema(
    schema: str, context: RenderContext
) -> Statement | tuple[()]:
    if not context.capabilities.create_schema:
        return ()
    return Statement(
        StatementKind.CREATE_SCHEMA, schema, f"CREATE SCHEMA IF NOT EXISTS {context.quote(schema)}"
    )


@hookimpl(trylast=True)
def whizbang_schema_parse_default(
    sql: str, data_type: WhizbangDataType | None
) -> DefaultValue | None:
    return parse_literal_default(sql, data_type)


@hookimpl(trylast=True)
def whizbang_schema_expected_table(table: TableDefinition, context: RenderContext) -> LiveTable:
    return expected_table(context, table)


@hookimpl(trylast=True)
def whizbang_schema_render_add_column(
    table: TableDefinition, column: ColumnDefinition, context: RenderContext
) -> Statement:
    return Statement(
        StatementKind.ADD_COLUMN,
        column.name,
        f"ALTER TABLE {context.qualified_table(table)} ADD COLUMN "
        f"{context.render_column(column, table)}",
        table=context.table_name(table),
        schema=context.effective_schema,
    )


@hookimpl(trylast=True)
def whizbang_schema_render_add_index(
    dialect: str, table: TableDefinition, index: IndexDefinition, context: RenderContext
) -> object:
    return context.hook.whizbang_schema_render_index(
        dialect=dialect, table=table, index=index, context=context
    )
