"""Reading SQL Server's catalog back: three queries over the sys views, whatever the number
of tables. SQL Server cannot run on every machine the tests run on: the queries are held to a
golden file and run through testcontainers wherever Docker exists."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Final

from whizbang_schema import (
    BytesType,
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
    column_type,
    gather_tables,
    like_prefix,
    strip_parentheses,
)

from .filters import comparable_predicate

T = WhizbangDataType

#: What ``check`` shows for a filter the login cannot read (it never equals a predicate).
UNREADABLE_FILTER: Final = "(cannot read: the filter needs VIEW DEFINITION permission)"

TYPE_NAMES: Final = {
    "uniqueidentifier": T.UUID,
    "datetimeoffset": T.TIMESTAMP_TZ,
    "json": T.JSON,
    "bigint": T.BIG_INT,
    "int": T.INTEGER,
    "smallint": T.SMALL_INT,
    "bit": T.BOOLEAN,
    "date": T.DATE,
    "float": T.DOUBLE,
}
_NVARCHAR = re.compile(r"^nvarchar\((\d+|max)\)$")
_VARBINARY = re.compile(r"^varbinary\((\d+|max)\)$")
_DECIMAL = re.compile(r"^(?:decimal|numeric)\((\d+),(\d+)\)$")

FUNCTIONS: Final = {
    "sysdatetimeoffset()": DefaultValueFunction.DATETIME_NOW,
    "todatetimeoffset(sysutcdatetime(),'+00:00')": DefaultValueFunction.DATETIME_UTC_NOW,
    "newid()": DefaultValueFunction.GUID_NEW,
    "newsequentialid()": DefaultValueFunction.GUID_NEW,  # the key_uuid='sequential' option
}

COLUMNS_SQL: Final = """\
SELECT t.name, c.name, ty.name, c.max_length, c.[precision], c.scale, c.is_nullable,
       dc.[definition]
  FROM sys.tables AS t
  JOIN sys.schemas AS s ON s.schema_id = t.schema_id
  JOIN sys.columns AS c ON c.object_id = t.object_id
  JOIN sys.types AS ty ON ty.user_type_id = c.user_type_id
  LEFT JOIN sys.default_constraints AS dc ON dc.object_id = c.default_object_id
 WHERE s.name = %s AND t.name LIKE %s ESCAPE '!'
 ORDER BY t.name, c.column_id"""

INDEXES_SQL: Final = """\
SELECT t.name, i.name, i.is_unique, i.is_primary_key, i.is_unique_constraint,
       i.has_filter, i.filter_definition, c.name
  FROM sys.indexes AS i
  JOIN sys.tables AS t ON t.object_id = i.object_id
  JOIN sys.schemas AS s ON s.schema_id = t.schema_id
  JOIN sys.index_columns AS ic
    ON ic.object_id = i.object_id AND ic.index_id = i.index_id AND ic.is_included_column = 0
  JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
 WHERE s.name = %s AND t.name LIKE %s ESCAPE '!' AND i.type > 0
 ORDER BY t.name, i.name, ic.key_ordinal"""


#: Foreign keys (one row per column, in key order) and CHECK constraints of the tables.
CONSTRAINTS_SQL: Final = """\
SELECT t.name, fk.name, 'F', rt.name, fk.delete_referential_action_desc,
       fk.update_referential_action_desc, pc.name, rc.name, fkc.constraint_column_id
  FROM sys.foreign_keys AS fk
  JOIN sys.tables AS t ON t.object_id = fk.parent_object_id
  JOIN sys.schemas AS s ON s.schema_id = t.schema_id
  JOIN sys.tables AS rt ON rt.object_id = fk.referenced_object_id
  JOIN sys.foreign_key_columns AS fkc ON fkc.constraint_object_id = fk.object_id
  JOIN sys.columns AS pc
    ON pc.object_id = fkc.parent_object_id AND pc.column_id = fkc.parent_column_id
  JOIN sys.columns AS rc
    ON rc.object_id = fkc.referenced_object_id AND rc.column_id = fkc.referenced_column_id
 WHERE s.name = %s AND t.name LIKE %s ESCAPE '!'
UNION ALL
SELECT t.name, cc.name, 'C', NULL, NULL, NULL, cc.[definition], NULL, 0
  FROM sys.check_constraints AS cc
  JOIN sys.tables AS t ON t.object_id = cc.parent_object_id
  JOIN sys.schemas AS s ON s.schema_id = t.schema_id
 WHERE s.name = %s AND t.name LIKE %s ESCAPE '!'
 ORDER BY 1, 2, 9"""


def read_constraints(
    rows: Iterable[Sequence[Any]],
) -> tuple[dict[str, list[LiveForeignKey]], dict[str, list[LiveCheck]]]:
    """The rows of CONSTRAINTS_SQL as foreign keys and CHECKs by table. The actions read
    ``NO_ACTION``, ``SET_NULL``...; a CHECK's definition as SQL Server stores it
    (``([qty]>=(1))``) compares in canonical form."""
    found: dict[tuple[str, str], list[Any]] = {}
    checks: dict[str, list[LiveCheck]] = {}
    for table, name, kind, parent, on_delete, on_update, column, target, _ in rows:
        if kind == "C":
            sql = strip_parentheses(column)
            checks.setdefault(table, []).append(LiveCheck(name, comparable_predicate(sql), sql))
            continue
        entry = found.setdefault((table, name), [parent, [], [], on_delete, on_update])
        entry[1].append(column)
        entry[2].append(target)
    keys: dict[str, list[LiveForeignKey]] = {}
    for (table, name), (parent, cols, refs, on_delete, on_update) in found.items():
        keys.setdefault(table, []).append(
            LiveForeignKey(name, cols, parent, refs, _action(on_delete), _action(on_update))
        )
    return keys, checks


def _action(text: str) -> ForeignKeyAction:
    return ForeignKeyAction(text.replace("_", " "))


def parse_type(sql_type: str) -> ColumnType | None:
    text = sql_type.strip().lower()
    nvarchar = _NVARCHAR.match(text)
    if nvarchar:
        length = nvarchar.group(1)
        return StringType(None if length == "max" else int(length))
    varbinary = _VARBINARY.match(text)
    if varbinary:
        length = varbinary.group(1)
        return BytesType(None if length == "max" else int(length))
    decimal = _DECIMAL.match(re.sub(r"\s+", "", text))
    if decimal:
        return DecimalType(int(decimal.group(1)), int(decimal.group(2)))
    kind = TYPE_NAMES.get(text)
    return None if kind is None else column_type(kind)


def parse_function(sql: str) -> DefaultValue | None:
    compact = re.sub(r"\s+", "", strip_parentheses(sql)).lower()
    function = FUNCTIONS.get(compact)
    return None if function is None else FunctionDefault(function)


_DECIMAL_INTEGER = re.compile(r"[+-]?\d+\.")


def parse_decimal_integer(sql: str) -> int | None:
    """An integer default the server stores as a decimal constant: a literal over INT's range
    is DECIMAL ("Constants"), so ``DEFAULT 5000000000`` reads back as ``((5000000000.))``."""
    compact = re.sub(r"[()\s]", "", sql)
    return int(compact[:-1]) if _DECIMAL_INTEGER.fullmatch(compact) else None


def _type_text(type_name: str, max_length: int, precision: int = 0, scale: int = 0) -> str:
    name = type_name.lower()
    if name == "nvarchar":  # sys.columns counts bytes: 2 per character
        return "nvarchar(max)" if max_length == -1 else f"nvarchar({max_length // 2})"
    if name == "varbinary":
        return "varbinary(max)" if max_length == -1 else f"varbinary({max_length})"
    if name in ("decimal", "numeric"):
        return f"{name}({precision},{scale})"
    if name == "float" and precision != 53:
        return f"float({precision})"  # a 4-byte float(24) is not a DOUBLE
    return type_name


def prefix_pattern(prefix: str) -> str:
    """The LIKE pattern (with ``ESCAPE '!'``) of names starting with ``prefix``: ``[`` opens a
    character class in T-SQL's LIKE ("LIKE"), so it is escaped too, like ``%`` and ``_``."""
    return like_prefix(prefix, escape="!").replace("[", "![")


Keys = dict[str, tuple[str, ...]]
Indexes = dict[str, list[LiveIndex]]


def read_indexes(rows: Iterable[Sequence[Any]]) -> tuple[Keys, Indexes, Indexes]:
    """The primary keys, indexes and unique constraints of each table, from the rows of
    :data:`INDEXES_SQL` (one per index column, in key order)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for table, index, unique, primary, constraint, filtered, filter_sql, column in rows:
        entry = found.setdefault(
            (table, index),
            {
                "unique": bool(unique),
                "primary": primary,
                "constraint": constraint,
                "filtered": bool(filtered),
                "filter": filter_sql,
                "cols": [],
            },
        )
        entry["cols"].append(column)
    keys: Keys = {}
    indexes: Indexes = {}
    uniques: Indexes = {}
    for (table, index), entry in found.items():
        cols = tuple(entry["cols"])
        if entry["primary"]:
            keys[table] = cols
        elif entry["constraint"]:
            uniques.setdefault(table, []).append(LiveIndex(index, cols, True))
        else:
            where = entry["filter"]
            if where is not None:
                predicate: str | None = comparable_predicate(where)
            elif entry["filtered"]:
                # filter_definition is NULL without VIEW DEFINITION ("sys.indexes"): the index
                # is filtered by a predicate this login cannot read, not unfiltered.
                predicate, where = UNREADABLE_FILTER, UNREADABLE_FILTER
            else:
                predicate = None
            indexes.setdefault(table, []).append(
                LiveIndex(index, cols, entry["unique"], predicate, where)
            )
    return keys, indexes, uniques


def read_catalog(database: Any, context: RenderContext) -> list[LiveTable]:
    params = (context.effective_schema or "dbo", prefix_pattern(context.prefix))
    columns: dict[str, list[LiveColumn]] = {}
    for (
        table,
        name,
        type_name,
        max_length,
        precision,
        scale,
        nullable,
        default_sql,
    ) in database.query(COLUMNS_SQL, params):
        sql_type = _type_text(type_name, max_length, precision, scale)
        parsed = parse_type(sql_type)
        kind = None if parsed is None else parsed.kind
        default = None if default_sql is None else context.parse_default(default_sql, kind)
        columns.setdefault(table, []).append(
            LiveColumn(name, sql_type, parsed, bool(nullable), default_sql, default)
        )
    keys, indexes, uniques = read_indexes(database.query(INDEXES_SQL, params))
    foreign_keys, checks = read_constraints(database.query(CONSTRAINTS_SQL, params * 2))
    return gather_tables(columns, keys, indexes, uniques, foreign_keys, checks)
