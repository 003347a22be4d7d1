"""Reading SQLite's catalog back: two queries over sqlite_master joined with the pragma
table-valued functions, whatever the number of tables (a third when a table has foreign keys).

SQLite keeps no names for foreign keys and no CHECK constraints in its pragmas: both are read
from the stored CREATE TABLE text (kept as written), the foreign keys' columns and actions
from ``pragma_foreign_key_list``."""

from __future__ import annotations

import re
from typing import Any, Final

import attrs

from whizbang_schema import (
    ColumnType,
    DefaultValue,
    DefaultValueFunction,
    ForeignKeyAction,
    FunctionDefault,
    LiveCheck,
    LiveColumn,
    LiveForeignKey,
    LiveIndex,
    LiveTable,
    RenderContext,
    WhizbangDataType,
    canonical_predicate,
    column_type,
    like_prefix,
    strip_parentheses,
)

from .functions import UUID_BLOB_SQL, UUID_TEXT_SQL
from .values import NOW_SQL

T = WhizbangDataType

# SQLite keeps declared types as written. TEXT holds UUIDs, strings, JSON, timestamps and dates,
# INTEGER every integer width and booleans, REAL doubles and decimals, BLOB bytes and UUIDs
# stored as blobs, so they read back canonically as STRING, BIG_INT, DOUBLE and BYTES (the
# expected side maps the rendered types the same way, so the comparison holds). A sole integer
# key is declared INT, so that it is not an alias of the rowid.
TYPE_NAMES: Final = {
    "TEXT": T.STRING,
    "INTEGER": T.BIG_INT,
    "INT": T.BIG_INT,
    "BLOB": T.BYTES,
    "REAL": T.DOUBLE,
}

#: The function defaults as rendered, without their outer parentheses, mapped back.
FUNCTION_SQL: Final = {
    NOW_SQL: DefaultValueFunction.DATETIME_NOW,
    UUID_TEXT_SQL: DefaultValueFunction.GUID_NEW,
    UUID_BLOB_SQL: DefaultValueFunction.GUID_NEW,
}

COLUMNS_SQL: Final = """
SELECT m.name, p.name, p.type, p."notnull", p.dflt_value, p.pk, m.sql
  FROM {schema}sqlite_master AS m JOIN pragma_table_xinfo(m.name{schema_arg}) AS p
 WHERE m.type = 'table' AND m.name LIKE ? ESCAPE '\\' AND p.hidden = 0
 ORDER BY m.name, p.cid
"""

INDEXES_SQL: Final = """
SELECT m.name, l.name, l."unique", l.origin, l.partial, i.name, x.sql
  FROM {schema}sqlite_master AS m
  JOIN pragma_index_list(m.name{schema_arg}) AS l
  JOIN pragma_index_info(l.name{schema_arg}) AS i
  LEFT JOIN {schema}sqlite_master AS x ON x.type = 'index' AND x.name = l.name
 WHERE m.type = 'table' AND m.name LIKE ? ESCAPE '\\'
 ORDER BY m.name, l.name, i.seqno
"""

FOREIGN_KEYS_SQL: Final = """
SELECT m.name, f.id, f."table", f."from", f."to", f.on_delete, f.on_update
  FROM {schema}sqlite_master AS m JOIN pragma_foreign_key_list(m.name{schema_arg}) AS f
 WHERE m.type = 'table' AND m.name LIKE ? ESCAPE '\\'
 ORDER BY m.name, f.id, f.seq
"""

_IDENTIFIER = r'(?:"(?:[^"]|"")+"|[^\s"(),]+)'
_UNIQUE = re.compile(rf"CONSTRAINT\s+({_IDENTIFIER})\s+UNIQUE\s*\(([^)]*)\)", re.IGNORECASE)


def _unquote(name: str) -> str:
    name = name.strip()
    return name[1:-1].replace('""', '"') if name.startswith('"') else name


def _constraint_names(table_sql: str) -> dict[tuple[str, ...], str]:
    """Unique constraint names by columns, from the stored CREATE TABLE text."""
    return {
        tuple(_unquote(c) for c in re.findall(_IDENTIFIER, columns)): _unquote(name)
        for name, columns in _UNIQUE.findall(table_sql or "")
    }


_FOREIGN_KEY = re.compile(
    rf"CONSTRAINT\s+({_IDENTIFIER})\s+FOREIGN\s+KEY\s*\(([^)]*)\)", re.IGNORECASE
)
_CHECK = re.compile(rf"CONSTRAINT\s+({_IDENTIFIER})\s+CHECK\s*\(", re.IGNORECASE)


def _foreign_key_names(table_sql: str) -> dict[tuple[str, ...], str]:
    """Foreign key names by columns, from the stored CREATE TABLE text."""
    return {
        tuple(_unquote(c) for c in re.findall(_IDENTIFIER, columns)): _unquote(name)
        for name, columns in _FOREIGN_KEY.findall(table_sql or "")
    }


def _checks(table_sql: str) -> list[LiveCheck]:
    """The named CHECK constraints of the stored CREATE TABLE text: each predicate runs to
    its closing parenthesis (quoted text and names skipped)."""
    checks = []
    for match in _CHECK.finditer(table_sql or ""):
        depth, at, quote = 1, match.end(), ""
        while at < len(table_sql) and depth:
            char = table_sql[at]
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"`[":
                quote = "]" if char == "[" else char
            else:
                depth += (char == "(") - (char == ")")
            at += 1
        sql = table_sql[match.end() : at - 1].strip()
        checks.append(LiveCheck(_unquote(match.group(1)), canonical_predicate(sql), sql))
    return checks


def _action(text: str) -> ForeignKeyAction:
    return ForeignKeyAction(" ".join(text.upper().split()))


def _predicate(index_sql: str | None) -> str | None:
    if not index_sql:
        return None
    match = re.search(r"\sWHERE\s", index_sql, re.IGNORECASE)
    return index_sql[match.end() :].strip() if match else None


def refine(column: LiveColumn) -> LiveColumn:
    """Use a function default to tell what a TEXT or BLOB column holds: only a timestamp
    column defaults to "now" and only a UUID column to a new UUID. Applied to both sides of a
    comparison, like the type mapping itself."""
    if column.data_type in (T.STRING, T.BYTES) and isinstance(column.default, FunctionDefault):
        kind = T.UUID if column.default.value is DefaultValueFunction.GUID_NEW else T.TIMESTAMP_TZ
        return attrs.evolve(column, type=column_type(kind))
    return column


def parse_type(sql_type: str) -> ColumnType | None:
    kind = TYPE_NAMES.get(sql_type.strip().upper())
    return None if kind is None else column_type(kind)


def parse_function(sql: str) -> DefaultValue | None:
    function = FUNCTION_SQL.get(strip_parentheses(sql))
    return None if function is None else FunctionDefault(function)


def read_catalog(database: Any, context: RenderContext) -> list[LiveTable]:
    schema = context.effective_schema
    quoted = '"' + schema.replace('"', '""') + '".' if schema else ""
    schema_arg = ", " + context.string_literal(schema) if schema else ""
    pattern = (like_prefix(context.prefix),)
    columns: dict[str, list[LiveColumn]] = {}
    keys: dict[str, list[tuple[int, str]]] = {}
    table_sql: dict[str, str] = {}
    for table, name, sql_type, notnull, default_sql, pk, sql in database.query(
        COLUMNS_SQL.format(schema=quoted, schema_arg=schema_arg), pattern
    ):
        parsed = context.parse_type(sql_type)  # through the dialect: subclasses may extend it
        kind = None if parsed is None else parsed.kind
        default = None if default_sql is None else context.parse_default(default_sql, kind)
        columns.setdefault(table, []).append(
            refine(LiveColumn(name, sql_type, parsed, not notnull, default_sql, default))
        )
        if pk:
            keys.setdefault(table, []).append((pk, name))
        table_sql[table] = sql
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for table, index, unique, origin, _partial, column, index_sql in database.query(
        INDEXES_SQL.format(schema=quoted, schema_arg=schema_arg), pattern
    ):
        entry = found.setdefault(
            (table, index), {"unique": bool(unique), "origin": origin, "sql": index_sql, "cols": []}
        )
        entry["cols"].append(column)
    indexes: dict[str, list[LiveIndex]] = {}
    uniques: dict[str, list[LiveIndex]] = {}
    for (table, index), entry in found.items():
        cols = tuple(entry["cols"])
        if entry["origin"] == "pk":
            continue
        if entry["origin"] == "u":
            name = _constraint_names(table_sql.get(table, "")).get(cols, index)
            uniques.setdefault(table, []).append(LiveIndex(name, cols, True))
            continue
        predicate_sql = _predicate(entry["sql"])
        predicate = None if predicate_sql is None else canonical_predicate(predicate_sql)
        indexes.setdefault(table, []).append(
            LiveIndex(index, cols, entry["unique"], predicate, predicate_sql)
        )
    foreign: dict[tuple[str, int], dict[str, Any]] = {}
    # Only when a stored CREATE TABLE has a REFERENCES clause (the text holds every one).
    referencing = any("references" in (sql or "").lower() for sql in table_sql.values())
    rows = (
        database.query(FOREIGN_KEYS_SQL.format(schema=quoted, schema_arg=schema_arg), pattern)
        if referencing
        else []
    )
    for table, number, parent, column, target, on_delete, on_update in rows:
        entry = foreign.setdefault(
            (table, number),
            {"parent": parent, "cols": [], "refs": [], "actions": (on_delete, on_update)},
        )
        entry["cols"].append(column)
        entry["refs"].append(target)
    foreign_keys: dict[str, list[LiveForeignKey]] = {}
    for (table, number), entry in sorted(foreign.items()):
        cols = tuple(entry["cols"])
        name = _foreign_key_names(table_sql.get(table, "")).get(cols, f"#{number}")
        on_delete, on_update = entry["actions"]
        foreign_keys.setdefault(table, []).append(
            LiveForeignKey(
                name, cols, entry["parent"], entry["refs"], _action(on_delete), _action(on_update)
            )
        )
    return [
        LiveTable(
            table,
            cols,
            tuple(name for _, name in sorted(keys.get(table, []))),
            indexes.get(table, ()),
            uniques.get(table, ()),
            foreign_keys.get(table, ()),
            _checks(table_sql.get(table, "")),
        )
        for table, cols in columns.items()
    ]
