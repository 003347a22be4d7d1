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
* Foreign keys are declared inside CREATE TABLE, even those of a cycle of tables (SQLite
  resolves the referenced table when rows change, not when the table is created), and are
  enforced only on connections that turn ``PRAGMA foreign_keys`` on: the connections this
  tool opens do; an application must do the same on its own. A foreign key or CHECK missing
  from an existing table cannot be added (no ``ALTER TABLE ... ADD CONSTRAINT``): ``migrate``
  refuses it with that reason.
* Lengths and integer widths are not enforced by SQLite (TEXT holds any length, INTEGER is
  64-bit, BLOB any number of bytes); this dialect does not pretend otherwise.
* DATE: TEXT holding ``YYYY-MM-DD`` (text order is date order, years 1 to 9999); DOUBLE: REAL,
  an 8-byte IEEE float, infinities included; BYTES: BLOB.
* DECIMAL: SQLite has no exact decimal type, so this dialect chooses order over exactness: a
  DECIMAL is REAL, compared and sorted as a number, exact to 15 significant digits (every
  decimal of up to 15 digits survives the round trip). A DECIMAL of more than 15 digits is
  rendered with a :class:`~whizbang_schema.DegradedRenderWarning`: its values may be rounded.
  (TEXT would keep every digit but sort ``'10' < '9'`` and compare as text.)
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Mapping, Sequence
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
    DialectOption,
    FunctionDefault,
    Hazard,
    LiveColumn,
    LiveDatabase,
    LiveIndex,
    LiveTable,
    OptionValue,
    RenderContext,
    Statement,
    StatementKind,
    TableDefinition,
    WhizbangDataType,
)

from .functions import UUID_BLOB_SQL, UUID_TEXT_SQL
from .keywords import RESERVED_WORDS
from .values import NOW_SQL, format_timestamp

NAME: Final = "sqlite"

#: Integer affinity, as INTEGER, without making a sole key column an alias of the rowid.
ROWID_SAFE_INTEGER: Final = "INT"

#: The most significant digits an 8-byte REAL keeps exactly (DBL_DIG).
REAL_DIGITS: Final = 15

TYPES: Final = {
    WhizbangDataType.UUID: "TEXT",
    WhizbangDataType.STRING: "TEXT",
    WhizbangDataType.TIMESTAMP_TZ: "TEXT",
    WhizbangDataType.JSON: "TEXT",
    WhizbangDataType.BIG_INT: "INTEGER",
    WhizbangDataType.INTEGER: "INTEGER",
    WhizbangDataType.SMALL_INT: "INTEGER",
    WhizbangDataType.BOOLEAN: "INTEGER",
    WhizbangDataType.DECIMAL: "REAL",
    WhizbangDataType.DATE: "TEXT",
    WhizbangDataType.DOUBLE: "REAL",
    WhizbangDataType.BYTES: "BLOB",
}

# Function defaults need parentheses in SQLite. GUID_NEW is the text form; the ``uuid="blob"``
# option swaps in UUID_BLOB_SQL (see SQLiteDialect.OPTION_FUNCTIONS).
FUNCTIONS: Final = {
    DefaultValueFunction.DATETIME_NOW: f"({NOW_SQL})",
    DefaultValueFunction.DATETIME_UTC_NOW: f"({NOW_SQL})",
    DefaultValueFunction.GUID_NEW: f"({UUID_TEXT_SQL})",
}

# ``uuid="blob"``: 16-byte blobs, and GUID_NEW makes one.
OPTION_TYPES: Final[Mapping[tuple[str, OptionValue], Mapping[WhizbangDataType, str]]] = {
    ("uuid", "blob"): {WhizbangDataType.UUID: "BLOB"}
}
OPTION_FUNCTIONS: Final[Mapping[tuple[str, OptionValue], Mapping[DefaultValueFunction, str]]] = {
    ("uuid", "blob"): {DefaultValueFunction.GUID_NEW: f"({UUID_BLOB_SQL})"}
}

#: ``strict=True``: STRICT tables, which enforce column types.
OPTION_TABLE_SUFFIXES: Final[Mapping[tuple[str, OptionValue], str]] = {("strict", True): " STRICT"}

#: A sole integer key column is not a rowid alias (see the module's docstring).
SOLE_KEY_TYPES: Final = {"INTEGER": ROWID_SAFE_INTEGER}

INFO: Final = DialectInfo(
    name=NAME,
    description="SQLite 3.35 and later (the sqlite3 module of Python)",
    capabilities=Capabilities(
        partial_indexes=True,
        transactional_ddl=True,
        reserved_words=RESERVED_WORDS,
        create_schema=False,
        schemas_in_database=False,
        schema_qualified_index_names=True,
        max_columns=2000,
        # Constraints are declared in CREATE TABLE only (no ALTER TABLE ADD CONSTRAINT); a
        # foreign key may name a table created later: SQLite resolves it when rows change.
        add_constraint=False,
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


class SQLiteDialect(Dialect):
    """SQLite 3.35 and later, through the standard library's sqlite3 module."""

    info = INFO
    TYPES = TYPES
    FUNCTIONS = FUNCTIONS
    LENGTH_SQL = "LENGTH({})"  # characters, for TEXT
    ENGINE = "SQLite"
    # TEXT, BLOB: SQLite enforces no length; REAL for DECIMAL (see above)
    UNSIZED_TYPES = frozenset(
        {WhizbangDataType.STRING, WhizbangDataType.BYTES, WhizbangDataType.DECIMAL}
    )
    RESERVED_NAME_PREFIXES = ("sqlite_",)  # SQLite's own tables and indexes
    OPTION_TYPES = OPTION_TYPES
    OPTION_FUNCTIONS = OPTION_FUNCTIONS
    SOLE_KEY_TYPES = SOLE_KEY_TYPES
    OPTION_TABLE_SUFFIXES = OPTION_TABLE_SUFFIXES
    DECIMAL_DIGITS = REAL_DIGITS  # REAL for DECIMAL (see the module's docstring)

    def render_literal(
        self, column: ColumnDefinition, value: object, context: RenderContext
    ) -> str:
        if value.__class__ is int:
            return str(value)  # the generic answer, without super(): most literal defaults
        if isinstance(value, bool):
            return "1" if value else "0"  # SQLite's booleans
        if isinstance(value, dt.datetime):
            return context.string_literal(format_timestamp(value))
        if isinstance(value, uuid.UUID) and context.option("uuid") == "blob":
            return f"X'{value.hex}'"
        if isinstance(value, float) and math.isinf(value):
            return "9e999" if value > 0 else "-9e999"  # beyond REAL's range: the infinity
        return super().render_literal(column, value, context)

    def render_add_column(
        self, table: TableDefinition, column: ColumnDefinition, context: RenderContext
    ) -> Statement:
        if isinstance(column.default, FunctionDefault):
            raise context.unsupported(
                "SQLite cannot add a column whose default is an expression (ALTER TABLE ADD "
                "COLUMN takes only constant defaults); recreate the table, or add the column "
                "without that default",
                table=table.name,
                column=column.name,
                field="default",
            )
        return super().render_add_column(table, column, context)  # DECIMAL notes included

    def connect(self, target: str, read_only: bool) -> LiveDatabase:
        from .live import SqliteDatabase  # the live layer only when connecting

        return SqliteDatabase(target, read_only=read_only)

    def borrow_connection(self, connection: object) -> LiveDatabase | None:
        from .live import SqliteDatabase

        return SqliteDatabase.borrow(connection) if SqliteDatabase.wraps(connection) else None

    # Databases for tests (the pytest plugin): see .databases.

    def create_database(self, url: str, name: str, template: str | None) -> str:
        from .databases import create_database

        return create_database(url, name, template)

    def drop_database(self, url: str) -> bool:
        from .databases import drop_database

        return drop_database(url)

    # Reading back imports .catalog when first asked, so listing dialects stays cheap.

    def read_catalog(self, database: LiveDatabase, context: RenderContext) -> list[LiveTable]:
        from .catalog import read_catalog

        return read_catalog(database, context)

    def parse_type(self, sql_type: str, context: RenderContext) -> ColumnType | None:
        from .catalog import parse_type

        return parse_type(sql_type)

    def parse_default(
        self, sql: str, data_type: WhizbangDataType | None, context: RenderContext
    ) -> DefaultValue | None:
        from .catalog import parse_function

        function = parse_function(sql)
        return function if function is not None else super().parse_default(sql, data_type, context)

    def expected_table(self, table: TableDefinition, context: RenderContext) -> LiveTable:
        from .catalog import refine  # what a TEXT column holds, told alike on both sides

        expected = super().expected_table(table, context)
        return attrs.evolve(expected, columns=[refine(c) for c in expected.columns])

    # == migration plans: the documented table rebuild ========================================

    def render_alter_table(
        self,
        table: TableDefinition,
        live: LiveTable,
        columns: Sequence[str],
        constraints: Sequence[str],
        context: RenderContext,
    ) -> Sequence[Statement]:
        # SQLite's ALTER TABLE cannot change a column or add a constraint: the table is rebuilt
        # as its documentation describes ("Making Other Kinds Of Table Schema Changes"), inside
        # the plan's transaction: create the new table under a temporary name, copy the rows,
        # drop the old table, rename the new one, re-create the stored indexes, and check the
        # foreign keys. Columns the plan does not change keep their stored declaration, and
        # columns the definitions do not have are kept (dropping them is a separate step).
        name = context.table_name(table)
        self.refuse_reserved_names(name)  # sqlite_: SQLite keeps those for its own
        temporary = f"{name}__whz_rebuild"
        schema = context.effective_schema
        changing = set(columns)
        stored = {c.name: c for c in live.columns}
        lines = []
        for column in table.columns:
            if column.name in changing or column.name not in stored:
                lines.append(context.render_column(column, table))
            else:
                lines.append(_stored_column(context, stored[column.name]))
        defined = {c.name for c in table.columns}
        lines.extend(_stored_column(context, c) for c in live.columns if c.name not in defined)
        if tuple(live.primary_key) != tuple(table.primary_key):
            # The plan refuses a changed primary key: the rebuild must not make it anyway.
            raise context.unsupported(
                f"the stored primary key ({', '.join(live.primary_key)}) is not the defined "
                f"one ({', '.join(table.primary_key)}), and rebuilding the table would change "
                f"it: rebuild the table by hand",
                table=table.name,
                field="primary_key",
            )
        key = context.primary_key_element(table)
        if key is not None:
            lines.append(key)
        # Every stored unique key is kept as stored (one the definitions lack, or whose
        # columns they change, is an extra or a refused change: neither is the rebuild's to
        # drop); the new ones the plan adds come after.
        for stored_key in live.unique_constraints:
            named = (
                ""
                if stored_key.name.lower().startswith("sqlite_")  # unnamed: SQLite's own name
                else f"CONSTRAINT {context.quote(stored_key.name)} "
            )
            lines.append(f"{named}UNIQUE ({context.quote_list(tuple(stored_key.columns))})")
        for constraint, keys in context.unique_elements(table):
            if constraint in constraints:
                lines.append(
                    f"CONSTRAINT {context.quote(constraint)} UNIQUE ({context.quote_list(keys)})"
                )
        # The table's foreign keys and CHECKs as defined: DROP TABLE takes the stored ones with
        # it, and a rebuild is SQLite's only way to add one to a table that exists.
        lines.extend(context.constraint_elements(table))
        suffix = " STRICT" if context.option("strict") else ""
        body = ",\n  ".join(lines)
        copied = context.quote_list(tuple(c.name for c in live.columns))
        rebuild = (Hazard.LOCKS_WRITES, Hazard.LOCKS_READS, Hazard.REWRITES_TABLE)
        fails = (Hazard.MAY_FAIL,) if changing or constraints else ()

        def step(kind: StatementKind, sql: str, hazards: tuple[str, ...] = ()) -> Statement:
            return Statement(kind, name, sql, table=name, schema=schema, hazards=hazards)

        master = f"{context.quote(schema)}.sqlite_master" if schema else "sqlite_master"
        literal = context.string_literal(name)
        _refuse_lost_constraints(context, table, live)
        for index in live.indexes:
            if any(not column for column in index.columns):
                raise context.unsupported(
                    f"the index {index.name!r} is on an expression, which the rebuild cannot "
                    f"re-create from the catalog: rebuild the table by hand",
                    table=table.name,
                    field="indexes",
                )
        out = [
            # DROP TABLE drops the table's triggers, which the rebuild cannot re-create from
            # the catalog it reads: a table with triggers stops the plan here.
            Statement(
                StatementKind.CHECK,
                name,
                f"SELECT name FROM {master} WHERE type = 'trigger' AND tbl_name = "
                f"{context.string_literal(name)}",
                table=name,
                schema=schema,
                notes=("triggers the rebuild would drop: rebuild the table by hand",),
                check=True,
            ),
            # The rebuild declares the table and its indexes from the catalog it reads,
            # which has no COLLATE, generated column, AUTOINCREMENT, WITHOUT ROWID or
            # descending index column: a table or index declared with one stops the plan
            # rather than lose it.
            Statement(
                StatementKind.CHECK,
                name,
                f"SELECT name FROM {master} WHERE ((type = 'table' AND name = {literal}) OR "
                f"(type = 'index' AND tbl_name = {literal})) AND ({_LOST_BY_REBUILD})",
                table=name,
                schema=schema,
                notes=(
                    "COLLATE, a generated column, AUTOINCREMENT, WITHOUT ROWID or DESC, which "
                    "the rebuild would drop: rebuild the table by hand",
                ),
                check=True,
            ),
            step(
                StatementKind.REBUILD_TABLE,
                f"CREATE TABLE {context.qualified(temporary)} (\n  {body}\n){suffix}",
            ),
            step(
                StatementKind.REBUILD_TABLE,
                f"INSERT INTO {context.qualified(temporary)} ({copied}) SELECT {copied} "
                f"FROM {context.qualified(name)}",
                rebuild + fails,
            ),
            step(StatementKind.REBUILD_TABLE, f"DROP TABLE {context.qualified(name)}", rebuild),
            step(
                StatementKind.REBUILD_TABLE,
                f"ALTER TABLE {context.qualified(temporary)} RENAME TO {context.quote(name)}",
            ),
        ]
        out.extend(
            step(StatementKind.CREATE_INDEX, _stored_index(context, name, index), rebuild)
            for index in live.indexes
        )
        out.append(
            Statement(
                StatementKind.CHECK,
                name,
                f"PRAGMA {context.quote(schema) + '.' if schema else ''}foreign_key_check("
                f"{context.quote(name)})",
                table=name,
                schema=schema,
                notes=("rows whose foreign keys the rebuild broke",),
                check=True,
            )
        )
        return out

    def render_drop(
        self, kind: str, table: str, name: str | None, context: RenderContext
    ) -> Sequence[Statement]:
        if kind == "constraint":
            raise context.unsupported(
                "SQLite cannot drop a unique key without rebuilding the table; leave it, or "
                "rebuild the table by hand",
                table=table,
                field="unique_constraints",
            )
        return super().render_drop(kind, table, name, context)


#: Table and index declarations the rebuild cannot re-create from the catalog, found in the
#: stored CREATE text (spaces normalised, upper case, so `b DESC)` and `b desc )` both
#: match; a name merely containing a word, such as `description`, does not).
_DECLARED = (
    "(' ' || upper(replace(replace(replace(sql, char(10), ' '), char(13), ' '), char(9), ' ')))"
)
_NORMAL = f"replace(replace(replace({_DECLARED}, ' (', '('), ' ,', ','), ' )', ')')"
_LOST_BY_REBUILD = " OR ".join(
    f"instr({_NORMAL}, '{word}') > 0"
    for word in (
        " COLLATE ",
        " AS(",
        " AUTOINCREMENT",
        " WITHOUT ROWID",
        " DESC,",
        " DESC)",
    )
)


def _refuse_lost_constraints(
    context: RenderContext, table: TableDefinition, live: LiveTable
) -> None:
    """The rebuild declares the defined foreign keys and CHECKs: refuse it when the table
    holds one the definitions lack, which DROP TABLE would take with it unsaid."""
    expected = context.expected_table(table)
    defined_keys = {
        (fk.columns, fk.references_table.casefold(), fk.references_columns)
        for fk in expected.foreign_keys
    }
    for fk in live.foreign_keys:
        if (fk.columns, fk.references_table.casefold(), fk.references_columns) not in defined_keys:
            raise context.unsupported(
                f"the stored foreign key {fk.describe()} is not in the definitions, and "
                f"rebuilding the table would drop it: add it to the definitions, or rebuild "
                f"the table by hand",
                table=table.name,
                field="foreign_keys",
            )
    defined_checks = {check.predicate for check in expected.checks}
    for check in live.checks:
        if check.predicate not in defined_checks:
            raise context.unsupported(
                f"the stored CHECK ({check.predicate_sql}) is not in the definitions, and "
                f"rebuilding the table would drop it: add it to the definitions, or rebuild "
                f"the table by hand",
                table=table.name,
                field="checks",
            )


def _stored_column(context: RenderContext, column: LiveColumn) -> str:
    """A column as the catalog declares it (type, NOT NULL and default kept verbatim)."""
    sql = f"{context.quote(column.name)} {column.sql_type}".rstrip()
    if not column.nullable:
        sql += " NOT NULL"
    if column.default_sql is not None:
        sql += f" DEFAULT {column.default_sql}"
    return sql


def _stored_index(context: RenderContext, table: str, index: LiveIndex) -> str:
    """A stored index re-created as it was."""
    unique = "UNIQUE " if index.unique else ""
    sql = (
        f"CREATE {unique}INDEX {context.qualified(index.name)} ON {context.quote(table)} "
        f"({context.quote_list(tuple(index.columns))})"
    )
    if index.predicate_sql is not None:
        sql += f" WHERE {index.predicate_sql}"
    return sql
