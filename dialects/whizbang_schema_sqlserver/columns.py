"""A table's column definitions in one loop, for when the column decisions are SQL Server's own.

A column's definition is the ``render_column`` decision, which asks ``render_type`` and,
with a default, ``render_default`` (and through it ``render_literal``): four Python frames a
column, six with the ``super()`` of a literal default, and most of the time of a table no
cache has seen. When none of the four is overridden (no override plugin, no subclass method:
see ``SQLServerDialect.render_create_table``), :func:`column_elements` gives their answers
for the common cases itself (types from ``TYPES``, bounded strings, function, integer,
boolean and NULL defaults) and asks the dialect's own method for anything else, so the output
is the same, errors included. ``tests/test_render_fast_paths.py`` holds it to the long way.
"""

from __future__ import annotations

from typing import Any, Final

from whizbang_schema import (
    BooleanDefault,
    DefaultValueFunction,
    FunctionDefault,
    IntegerDefault,
    NullDefault,
    RenderContext,
    RenderError,
    TableDefinition,
    WhizbangDataType,
)

from .keys import MAX_NVARCHAR

#: The types whose SQL is ``TYPES[kind]`` when the column has no length (as ``render_type``).
PLAIN_KINDS: Final = frozenset(WhizbangDataType) - {
    WhizbangDataType.STRING,
    WhizbangDataType.JSON,
    WhizbangDataType.BYTES,
    WhizbangDataType.DECIMAL,
}

_STRING: Final = WhizbangDataType.STRING
_JSON: Final = WhizbangDataType.JSON
_GUID_NEW: Final = DefaultValueFunction.GUID_NEW


def column_elements(
    dialect: Any,
    table: TableDefinition,
    context: RenderContext,
    lengths: dict[str, int],
    table_name: str,
) -> list[str]:
    """What ``dialect.render_column`` answers for each column of ``table``, in order.

    ``lengths`` are the key lengths of the table's unbounded key strings (its ``_Facts``),
    ``table_name`` its prefixed name. ``dialect``'s ``render_type``, ``render_default`` and
    ``render_literal`` must be SQL Server's own (the caller checks).
    """
    types = dialect.TYPES
    functions = dialect.FUNCTIONS
    quote = context.quote
    native_json = None  # the json option, read once if a JSON column comes
    elements = []
    column = None
    try:
        for column in table.columns:
            name = quote(column.name)
            kind = column.data_type
            if kind is _STRING:
                length = column.max_length
                if length is None:
                    length = lengths.get(column.name)
                sql_type = (
                    f"NVARCHAR({length})"
                    if length is not None and length <= MAX_NVARCHAR
                    else "NVARCHAR(MAX)"
                )
            else:
                plain = kind in PLAIN_KINDS
                if kind is _JSON:
                    if native_json is None:
                        native_json = context.option("json") == "native"
                    plain = not native_json
                found = types.get(kind) if plain and column.max_length is None else None
                sql_type = (
                    found if found is not None else dialect.render_type(column, table, context)
                )
            null = "NULL" if column.nullable else "NOT NULL"
            default = column.default
            if default is None:
                elements.append(f"{name} {sql_type} {null}")
                continue
            expression: str | None = None
            if isinstance(default, FunctionDefault):
                # NEWID() on a key column may be NEWSEQUENTIALID(): the decision decides.
                if default.value is not _GUID_NEW or column.name not in table.primary_key:
                    expression = functions.get(default.value)
            elif isinstance(default, IntegerDefault):
                # render_literal's str(int); on a BIT column 0/1 read as False/True: "0"/"1".
                expression = str(default.value)
            elif isinstance(default, BooleanDefault):
                expression = "1" if default.value else "0"
            elif isinstance(default, NullDefault):
                expression = "NULL"
            if expression is None:  # anything else: the decision itself
                expression = dialect.render_default(column, default, table, context)
            constraint = quote(f"{table_name}_{column.name}_default")
            elements.append(
                f"{name} {sql_type} CONSTRAINT {constraint} DEFAULT {expression} {null}"
            )
    except RenderError as exc:
        if column is None:
            raise
        raise exc.located(table=table.name, column=column.name) from None
    return elements
