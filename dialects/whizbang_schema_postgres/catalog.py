"""Reading PostgreSQL's catalog back: three queries, whatever the number of tables."""

from __future__ import annotations

import re
from typing import Any, Final

from whizbang_schema import (
    ColumnType,
    DecimalType,
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
    StringType,
    WhizbangDataType,
    canonical_predicate,
    column_type,
    gather_tables,
    like_prefix,
    strip_parentheses,
)

T = WhizbangDataType

#: format_type() spellings and the rendered ones, both mapped back.
TYPE_NAMES: Final = {
    "uuid": T.UUID,
    "text": T.STRING,
    "character varying": T.STRING,
    "varchar": T.STRING,
    "timestamp with time zone": T.TIMESTAMP_TZ,
    "timestamptz": T.TIMESTAMP_TZ,
    "jsonb": T.JSON,
    "json": T.JSON,
    "bigint": T.BIG_INT,
    "integer": T.INTEGER,
    "smallint": T.SMALL_INT,
    "boolean": T.BOOLEAN,
    "numeric": T.DECIMAL,
    "date": T.DATE,
    "double precision": T.DOUBLE,
    "bytea": T.BYTES,
}
_SIZED = re.compile(r"(?P<name>[a-z ]+?)\s*\((?P<length>\d+)(?:\s*,\s*(?P<scale>\d+))?\)")

FUNCTION_SQL: Final = {
    "current_timestamp": DefaultValueFunction.DATETIME_NOW,
    "now()": DefaultValueFunction.DATETIME_NOW,
    "gen_random_uuid()": DefaultValueFunction.GUID_NEW,
}

COLUMNS_SQL: Final = """
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid)
  FROM pg_catalog.pg_attribute a
  JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
 WHERE n.nspname = coalesce(%(schema)s, current_schema()) AND c.relkind IN ('r', 'p')
   AND c.relname LIKE %(pattern)s AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY c.relname, a.attnum
"""

INDEXES_SQL: Final = """
SELECT t.relname, coalesce(con.conname, i.relname), ix.indisunique, con.contype,
       pg_get_expr(ix.indpred, ix.indrelid), ix.indexprs IS NOT NULL,
       ARRAY(SELECT a.attname
               FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum
              ORDER BY k.ord)
  FROM pg_catalog.pg_index ix
  JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid
  JOIN pg_catalog.pg_class t ON t.oid = ix.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
  LEFT JOIN pg_catalog.pg_constraint con
         ON con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid
        AND con.contype IN ('p', 'u')
 WHERE n.nspname = coalesce(%(schema)s, current_schema()) AND t.relname LIKE %(pattern)s
 ORDER BY t.relname, 2
"""

#: Foreign keys (f) and CHECK constraints (c) of the prefixed tables, columns in key order.
CONSTRAINTS_SQL: Final = """
SELECT t.relname, con.conname, con.contype, r.relname, con.confdeltype, con.confupdtype,
       pg_get_expr(con.conbin, con.conrelid),
       ARRAY(SELECT a.attname
               FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
              ORDER BY k.ord),
       ARRAY(SELECT a.attname
               FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
              ORDER BY k.ord)
  FROM pg_catalog.pg_constraint con
  JOIN pg_catalog.pg_class t ON t.oid = con.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
  LEFT JOIN pg_catalog.pg_class r ON r.oid = con.confrelid
 WHERE n.nspname = coalesce(%(schema)s, current_schema()) AND t.relname LIKE %(pattern)s
   AND con.contype IN ('f', 'c')
 ORDER BY t.relname, con.conname
"""

#: pg_constraint's action codes.
ACTIONS: Final = {
    "a": ForeignKeyAction.NO_ACTION,
    "r": ForeignKeyAction.RESTRICT,
    "c": ForeignKeyAction.CASCADE,
    "n": ForeignKeyAction.SET_NULL,
    "d": ForeignKeyAction.SET_DEFAULT,
}


def parse_type(sql_type: str) -> ColumnType | None:
    text = sql_type.strip().lower()
    sized = _SIZED.fullmatch(text)
    if sized:
        kind = TYPE_NAMES.get(sized.group("name").strip())
        length, scale = int(sized.group("length")), sized.group("scale")
        if kind is T.DECIMAL:
            return DecimalType(length, int(scale or 0))
        return StringType(length) if kind is T.STRING and scale is None else None
    kind = TYPE_NAMES.get(text)
    if kind is T.DECIMAL:
        return None  # numeric without a precision holds any number: not a DECIMAL(p, s)
    return None if kind is None else column_type(kind)


def parse_function(sql: str) -> DefaultValue | None:
    function = FUNCTION_SQL.get(strip_parentheses(sql).lower())
    return None if function is None else FunctionDefault(function)


def read_catalog(database: Any, context: RenderContext) -> list[LiveTable]:
    params = {"schema": context.schema, "pattern": like_prefix(context.prefix)}
    columns: dict[str, list[LiveColumn]] = {}
    for table, name, sql_type, nullable, default_sql in database.query(COLUMNS_SQL, params):
        parsed = context.parse_type(sql_type)  # through the dialect: subclasses may extend it
        kind = None if parsed is None else parsed.kind
        default = None if default_sql is None else context.parse_default(default_sql, kind)
        columns.setdefault(table, []).append(
            LiveColumn(name, sql_type, parsed, nullable, default_sql, default)
        )
    keys: dict[str, tuple[str, ...]] = {}
    indexes: dict[str, list[LiveIndex]] = {}
    uniques: dict[str, list[LiveIndex]] = {}
    for table, name, unique, contype, predicate_sql, expression, names in database.query(
        INDEXES_SQL, params
    ):
        cols = ("(expression)",) if expression else tuple(names)
        if contype == "p":
            keys[table] = cols
        elif contype == "u":
            uniques.setdefault(table, []).append(LiveIndex(name, cols, True))
        else:
            predicate = None if predicate_sql is None else canonical_predicate(predicate_sql)
            indexes.setdefault(table, []).append(
                LiveIndex(name, cols, unique, predicate, predicate_sql)
            )
    foreign_keys: dict[str, list[LiveForeignKey]] = {}
    checks: dict[str, list[LiveCheck]] = {}
    for table, name, contype, parent, on_delete, on_update, check_sql, cols, refs in database.query(
        CONSTRAINTS_SQL, params
    ):
        if contype == "f":
            foreign_keys.setdefault(table, []).append(
                LiveForeignKey(name, cols, parent, refs, ACTIONS[on_delete], ACTIONS[on_update])
            )
        else:
            sql = strip_parentheses(check_sql)
            checks.setdefault(table, []).append(LiveCheck(name, canonical_predicate(sql), sql))
    return gather_tables(columns, keys, indexes, uniques, foreign_keys, checks)
