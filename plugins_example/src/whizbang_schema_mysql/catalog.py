"""Reading MySQL's and MariaDB's catalogs back, from information_schema: three queries,
whatever the number of tables.

The two servers print some things differently; both are read. MariaDB quotes literal
defaults and escapes quotes with backslashes (``'it\\'s'``); MySQL 8 prints literals bare and
marks expression defaults ``DEFAULT_GENERATED``. MariaDB's JSON is a LONGTEXT with a
``json_valid`` check, which tells it from a plain LONGTEXT.
"""

from __future__ import annotations

import re
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
    LiveDatabase,
    LiveForeignKey,
    LiveIndex,
    LiveTable,
    RenderContext,
    StringDefault,
    StringType,
    WhizbangDataType,
    canonical_predicate,
    column_type,
    gather_tables,
    like_prefix,
    strip_parentheses,
)

from .galera import LOCK_TABLE

T = WhizbangDataType

TYPE_NAMES: Final = {
    "char(36)": T.UUID,
    "binary(16)": T.UUID,
    "uuid": T.UUID,
    "longtext": T.STRING,
    "json": T.JSON,
    "datetime(6)": T.TIMESTAMP_TZ,
    "bigint": T.BIG_INT,
    "int": T.INTEGER,
    "smallint": T.SMALL_INT,
    "tinyint(1)": T.BOOLEAN,
    "boolean": T.BOOLEAN,
    "date": T.DATE,
    "double": T.DOUBLE,
    "longblob": T.BYTES,
}
_DISPLAY_WIDTH = re.compile(r"^(bigint|int|smallint)\(\d+\)$")
_VARCHAR = re.compile(r"^varchar\((\d+)\)$")
_VARBINARY = re.compile(r"^varbinary\((\d+)\)$")
_DECIMAL = re.compile(r"^decimal\((\d+),(\d+)\)$")
_HEX = re.compile(r"^convert\(x'([0-9a-f]*)'usingutf8mb4\)$")

FUNCTIONS: Final = {
    "utc_timestamp(6)": DefaultValueFunction.DATETIME_NOW,
    "uuid()": DefaultValueFunction.GUID_NEW,
    "unhex(replace(uuid(),'-',''))": DefaultValueFunction.GUID_NEW,
}

COLUMNS_SQL: Final = """
SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, VERSION()
  FROM information_schema.COLUMNS
 WHERE TABLE_SCHEMA = COALESCE(%s, DATABASE()) AND TABLE_NAME LIKE %s ESCAPE '!'
 ORDER BY TABLE_NAME, ORDINAL_POSITION
"""

INDEXES_SQL: Final = """
SELECT s.TABLE_NAME, s.INDEX_NAME, s.NON_UNIQUE, s.COLUMN_NAME, c.CONSTRAINT_TYPE
  FROM information_schema.STATISTICS AS s
  LEFT JOIN information_schema.TABLE_CONSTRAINTS AS c
    ON c.TABLE_SCHEMA = s.TABLE_SCHEMA AND c.TABLE_NAME = s.TABLE_NAME
   AND c.CONSTRAINT_NAME = s.INDEX_NAME AND c.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE')
 WHERE s.TABLE_SCHEMA = COALESCE(%s, DATABASE()) AND s.TABLE_NAME LIKE %s ESCAPE '!'
 ORDER BY s.TABLE_NAME, s.INDEX_NAME, s.SEQ_IN_INDEX
"""

# (Only key constraints are joined: MariaDB names a JSON column's CHECK after the column,
# so a JSON column "primary" would otherwise match the key's index, PRIMARY, seen.)

# MariaDB only (MySQL's JSON is a type of its own, and its CHECK_CONSTRAINTS has no table).
JSON_CHECKS_SQL: Final = """
SELECT TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
 WHERE CONSTRAINT_SCHEMA = COALESCE(%s, DATABASE()) AND TABLE_NAME LIKE %s ESCAPE '!'
   AND CHECK_CLAUSE LIKE 'json!_valid(%%' ESCAPE '!'
"""


def parse_type(sql_type: str) -> ColumnType | None:
    text = sql_type.strip().lower()
    varchar = _VARCHAR.match(text)
    if varchar:
        return StringType(int(varchar.group(1)))
    varbinary = _VARBINARY.match(text)
    if varbinary:
        return BytesType(int(varbinary.group(1)))
    decimal = _DECIMAL.match(text.replace(" ", ""))
    if decimal:
        return DecimalType(int(decimal.group(1)), int(decimal.group(2)))
    width = _DISPLAY_WIDTH.match(text)  # MariaDB prints int(11), bigint(20)...
    kind = TYPE_NAMES.get(width.group(1) if width else text)
    return None if kind is None else column_type(kind)


#: MySQL's backslash escapes (MariaDB prints a default's CR and LF escaped, seen); any
#: other escaped character stands for itself.
_ESCAPES: Final = {"0": "\x00", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}


def _unescape(body: str) -> str:
    """A MariaDB-printed string body: backslash escapes and doubled quotes."""

    def one(match: re.Match[str]) -> str:
        escaped = match.group(1)
        if escaped is None:
            return "'"
        return _ESCAPES.get(escaped, escaped)

    return re.sub(r"\\(.)|''", one, body, flags=re.DOTALL)


def parse_server_default(sql: str) -> DefaultValue | None:
    """A default only these servers print so: their functions, a hex-encoded string, a
    backslash-escaped string; ``None`` for anything else (plain literals: the generic parse)."""
    compact = re.sub(r"\s+", "", strip_parentheses(sql)).lower()
    function = FUNCTIONS.get(compact)
    if function is not None:
        return FunctionDefault(function)
    hexed = _HEX.match(compact)
    if hexed:
        return StringDefault(bytes.fromhex(hexed.group(1)).decode("utf-8"))
    text = strip_parentheses(sql)
    if len(text) >= 2 and text[0] == text[-1] == "'" and "\\" in text:
        return StringDefault(_unescape(text[1:-1]))
    return None


FOREIGN_KEYS_SQL: Final = """
SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME,
       k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE
  FROM information_schema.REFERENTIAL_CONSTRAINTS AS r
  JOIN information_schema.KEY_COLUMN_USAGE AS k
    ON k.CONSTRAINT_SCHEMA = r.CONSTRAINT_SCHEMA AND k.TABLE_NAME = r.TABLE_NAME
   AND k.CONSTRAINT_NAME = r.CONSTRAINT_NAME
 WHERE r.CONSTRAINT_SCHEMA = COALESCE(%s, DATABASE()) AND r.TABLE_NAME LIKE %s ESCAPE '!'
 ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION
"""

#: Table CHECKs. MariaDB names a column's CHECK (JSON's json_valid) after the column and keeps
#: check names per table, so it is matched on the table too; MySQL's CHECK_CONSTRAINTS has no
#: table column (its check names are unique per schema).
CHECKS_SQL: Final = """
SELECT t.TABLE_NAME, t.CONSTRAINT_NAME, c.CHECK_CLAUSE
  FROM information_schema.TABLE_CONSTRAINTS AS t
  JOIN information_schema.CHECK_CONSTRAINTS AS c
    ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME
   {same_table}
 WHERE t.CONSTRAINT_TYPE = 'CHECK' AND t.TABLE_SCHEMA = COALESCE(%s, DATABASE())
   AND t.TABLE_NAME LIKE %s ESCAPE '!'
 ORDER BY t.TABLE_NAME, t.CONSTRAINT_NAME
"""


def _foreign_keys(
    database: LiveDatabase, params: tuple[object, ...]
) -> dict[str, list[LiveForeignKey]]:
    found: dict[tuple[str, str], list[Any]] = {}
    for table, name, column, parent, target, on_delete, on_update in database.query(
        FOREIGN_KEYS_SQL, params
    ):
        entry = found.setdefault((table, name), [parent, [], [], on_delete, on_update])
        entry[1].append(column)
        entry[2].append(target)
    keys: dict[str, list[LiveForeignKey]] = {}
    for (table, name), (parent, cols, refs, on_delete, on_update) in found.items():
        keys.setdefault(table, []).append(
            LiveForeignKey(
                name, cols, parent, refs, innodb_action(on_delete), innodb_action(on_update)
            )
        )
    return keys


def innodb_action(rule: str | ForeignKeyAction) -> ForeignKeyAction:
    """The action as InnoDB performs it: RESTRICT and NO ACTION are the same immediate check
    there (MariaDB reports an omitted action as RESTRICT, MySQL as NO ACTION), so both read
    as NO ACTION; applied to both sides of a comparison."""
    action = ForeignKeyAction(rule)
    return ForeignKeyAction.NO_ACTION if action is ForeignKeyAction.RESTRICT else action


def _checks(
    database: LiveDatabase, params: tuple[object, ...], mariadb: bool, columns: set[tuple[str, str]]
) -> dict[str, list[LiveCheck]]:
    same_table = "AND c.TABLE_NAME = t.TABLE_NAME" if mariadb else ""
    checks: dict[str, list[LiveCheck]] = {}
    for table, name, clause in database.query(CHECKS_SQL.format(same_table=same_table), params):
        if (table, name) in columns and clause.lower().startswith("json_valid("):
            continue  # MariaDB's check of a JSON column, named after it
        standard = standard_strings(clause)
        checks.setdefault(table, []).append(LiveCheck(name, canonical_predicate(standard), clause))
    return checks


def standard_strings(clause: str) -> str:
    """``clause`` with each string literal in standard SQL's spelling: the servers print
    ``'it\\'s'`` (backslash escapes) where the standard writes ``'it''s'``. Backquoted names
    are copied as they are."""
    out: list[str] = []
    at = 0
    while at < len(clause):
        char = clause[at]
        if char == "`":
            end = at + 1
            while end < len(clause):
                if clause[end] == "`" and clause[end + 1 : end + 2] == "`":
                    end += 2
                elif clause[end] == "`":
                    break
                else:
                    end += 1
            out.append(clause[at : end + 1])
            at = end + 1
        elif char == "'":
            value: list[str] = []
            at += 1
            while at < len(clause):
                char = clause[at]
                if char == "\\" and at + 1 < len(clause):
                    value.append(_ESCAPES.get(clause[at + 1], clause[at + 1]))
                    at += 2
                elif char == "'" and clause[at + 1 : at + 2] == "'":
                    value.append("'")
                    at += 2
                elif char == "'":
                    at += 1
                    break
                else:
                    value.append(char)
                    at += 1
            out.append("'" + "".join(value).replace("'", "''") + "'")
        else:
            out.append(char)
            at += 1
    return "".join(out)


def read_catalog(database: LiveDatabase, context: RenderContext) -> list[LiveTable]:
    params = (context.schema, like_prefix(context.prefix, escape="!"))
    rows = database.query(COLUMNS_SQL, params)
    mariadb = bool(rows) and "mariadb" in str(rows[0][6]).lower()
    json_columns: set[tuple[str, str]] = set()
    if mariadb:
        for table, clause in database.query(JSON_CHECKS_SQL, params):
            names = re.findall(r"json_valid\(`((?:[^`]|``)+)`\)", clause)
            json_columns.update((table, name.replace("``", "`")) for name in names)
    columns: dict[str, list[LiveColumn]] = {}
    for table, name, sql_type, nullable, default_sql, extra, _version in rows:
        if table == LOCK_TABLE:  # the Galera lease's own table (without a prefix, it matches)
            continue
        parsed = context.parse_type(sql_type)  # through the dialect: subclasses may extend it
        if (table, name) in json_columns:
            parsed = column_type(T.JSON)
        data_type = None if parsed is None else parsed.kind
        bare = not mariadb and "DEFAULT_GENERATED" not in (extra or "")
        if default_sql is not None and bare and data_type is T.STRING:
            # MySQL prints a literal default bare: quote it so it reads like the others.
            default_sql = "'" + default_sql.replace("'", "''") + "'"
        default = None if default_sql is None else context.parse_default(default_sql, data_type)
        live = LiveColumn(name, sql_type, parsed, nullable == "YES", default_sql, default)
        columns.setdefault(table, []).append(live)
    found: dict[tuple[str, str], tuple[bool, str | None, list[str]]] = {}
    for table, index, non_unique, column, constraint in database.query(INDEXES_SQL, params):
        entry = found.setdefault((table, index), (not non_unique, constraint, []))
        entry[2].append(column)
    keys: dict[str, tuple[str, ...]] = {}
    indexes: dict[str, list[LiveIndex]] = {}
    uniques: dict[str, list[LiveIndex]] = {}
    foreign_keys = _foreign_keys(database, params)
    # InnoDB indexes a foreign key's columns, naming the index it makes after the constraint:
    # that index is the foreign key's, not one of the definitions'.
    implicit = {(table, key.name) for table, keys_ in foreign_keys.items() for key in keys_}
    checks = _checks(
        database, params, mariadb, {(t, c.name) for t, cols in columns.items() for c in cols}
    )
    for (table, index), (unique, constraint, cols) in found.items():
        if (table, index) in implicit and constraint is None:
            continue
        if constraint == "PRIMARY KEY":
            keys[table] = tuple(cols)
        elif constraint == "UNIQUE":
            uniques.setdefault(table, []).append(LiveIndex(index, cols, True))
        else:
            indexes.setdefault(table, []).append(LiveIndex(index, cols, unique))
    return gather_tables(columns, keys, indexes, uniques, foreign_keys, checks)
