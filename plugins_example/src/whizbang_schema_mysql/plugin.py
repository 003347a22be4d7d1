"""MySQL 8 and MariaDB 10.11: what differs from the core's generic SQL, and why.

:class:`MySQLDialect` holds the data (``TYPES``, ``FUNCTIONS``) and the decisions that differ,
each reaching the generic SQL with ``super()``; an engine that speaks MySQL's SQL subclasses it.

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
* Foreign keys: InnoDB indexes a foreign key's columns, making an index named after the
  constraint when none serves; reading back takes that index as the foreign key's. A string
  column of a foreign key is bounded like a key column (``VARCHAR``, never ``LONGTEXT``).
  ``ON DELETE/UPDATE SET DEFAULT`` is refused (InnoDB rejects it), and so is a reference
  to a key's columns in another order than the key's (InnoDB finds no index for it). CHECK
  constraints are enforced by MariaDB 10.2+ and MySQL 8.0.16+ (older MySQL parses and
  ignores them).
* DDL commits implicitly on both servers: an apply that fails mid-way keeps the statements
  before the failure. Everything is rendered, and so validated, before the first one runs.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Sequence
from typing import Final

import attrs

from whizbang_schema import (
    BytesDefault,
    Capabilities,
    CheckDefinition,
    ColumnDefinition,
    ColumnType,
    DecimalType,
    DefaultValue,
    DefaultValueFunction,
    Dialect,
    DialectInfo,
    DialectOption,
    ForeignKeyAction,
    FunctionDefault,
    Hazard,
    IdentifierError,
    IndexDefinition,
    KeyLimits,
    KeyWidth,
    LiveColumn,
    LiveDatabase,
    LiveIndex,
    LiveTable,
    RenderContext,
    Statement,
    StatementKind,
    StringDefault,
    TableDefinition,
    Token,
    TokenKind,
    TypeChange,
    WhizbangDataType,
    key_string_lengths,
    string_length,
    table_keys,
    type_change,
)

from .keywords import RESERVED_WORDS

NAME: Final = "mysql"

#: The longest VARCHAR of utf8mb4 characters; longer strings are LONGTEXT.
MAX_VARCHAR: Final = 16_383
#: MySQL's limit on a row's bytes, LONGTEXT/JSON excepted (they count a pointer).
MAX_ROW_BYTES: Final = 65_535
#: The longest VARBINARY: as many bytes as the longest VARCHAR; longer binary data is LONGBLOB.
MAX_VARBINARY: Final = 4 * MAX_VARCHAR
#: The most digits MySQL's DECIMAL takes after the point (MariaDB takes 38; MySQL refuses
#: more than 30, error 1425).
MAX_DECIMAL_SCALE: Final = 30

#: With the default options: UUIDs as ``str(uuid)``, strings unbounded (a bounded one, or a
#: key string, is ``VARCHAR(n)``: see :meth:`MySQLDialect.render_type`).
TYPES: Final = {
    WhizbangDataType.UUID: "CHAR(36)",
    WhizbangDataType.STRING: "LONGTEXT",
    WhizbangDataType.TIMESTAMP_TZ: "DATETIME(6)",
    WhizbangDataType.JSON: "JSON",
    WhizbangDataType.BIG_INT: "BIGINT",
    WhizbangDataType.INTEGER: "INT",
    WhizbangDataType.SMALL_INT: "SMALLINT",
    WhizbangDataType.BOOLEAN: "BOOLEAN",
    WhizbangDataType.DECIMAL: "DECIMAL",
    WhizbangDataType.DATE: "DATE",
    WhizbangDataType.DOUBLE: "DOUBLE",
    WhizbangDataType.BYTES: "LONGBLOB",
}

# Both "now" defaults store UTC: DATETIME(6) has no zone. UUID() makes version-1 UUIDs.
FUNCTIONS: Final = {
    DefaultValueFunction.DATETIME_NOW: "(UTC_TIMESTAMP(6))",
    DefaultValueFunction.DATETIME_UTC_NOW: "(UTC_TIMESTAMP(6))",
    DefaultValueFunction.GUID_NEW: "(UUID())",
}

#: The ``uuid`` option's storage types other than TYPES's CHAR(36), and their sizes in bytes.
UUID_TYPES: Final = {"binary16": "BINARY(16)", "uuid": "UUID"}
UUID_BYTES: Final = {"char36": 144, "binary16": 16, "uuid": 16}
#: GUID_NEW for ``uuid=binary16`` (the others take FUNCTIONS's UUID()).
UUID_BINARY_DEFAULT: Final = "(UNHEX(REPLACE(UUID(), '-', '')))"

FIXED_BYTES: Final = {
    WhizbangDataType.TIMESTAMP_TZ: 8,
    WhizbangDataType.BIG_INT: 8,
    WhizbangDataType.INTEGER: 4,
    WhizbangDataType.SMALL_INT: 2,
    WhizbangDataType.BOOLEAN: 1,
    WhizbangDataType.DATE: 3,
    WhizbangDataType.DOUBLE: 8,
}

#: Bytes of the leftover digits of a DECIMAL part, by count (MySQL manual, "Precision Math":
#: nine digits take four bytes).
_LEFTOVER_BYTES: Final = (0, 1, 1, 2, 2, 3, 3, 4, 4)


def decimal_bytes(column_type: ColumnType) -> int | None:
    """DECIMAL(p, s) stores its integer and fraction parts apart, 4 bytes per 9 digits."""
    assert isinstance(column_type, DecimalType)
    total = 0
    for digits in (column_type.precision - column_type.scale, column_type.scale):
        total += 4 * (digits // 9) + _LEFTOVER_BYTES[digits % 9]
    return total


def varbinary_bytes(column_type: ColumnType) -> int | None:
    """VARBINARY(n) keys take n bytes; a LONGBLOB cannot be a key (only a prefix of it)."""
    length = column_type.max_length
    return length if length is not None and length <= MAX_VARBINARY else None


_WIDTHS: dict[WhizbangDataType, KeyWidth] = {
    WhizbangDataType.DECIMAL: decimal_bytes,
    WhizbangDataType.BYTES: varbinary_bytes,
    **FIXED_BYTES,
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
        widths={**_WIDTHS, WhizbangDataType.UUID: uuid_bytes},
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
        schemas_in_database=False,  # a schema is a database
        # InnoDB parses SET DEFAULT and then refuses the table (both servers).
        foreign_key_actions=frozenset(ForeignKeyAction) - {ForeignKeyAction.SET_DEFAULT},
    ),
    options=(
        DialectOption(
            "uuid",
            "char36",
            "how UUID columns are stored: 'char36' (str(uuid)), 'binary16' (uuid.bytes) or "
            "'uuid' (MariaDB 10.7+'s native type)",
            choices=tuple(UUID_BYTES),
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


class MySQLDialect(Dialect):
    """MySQL 8.0.13+ and MariaDB 10.11, through PyMySQL (the ``[mysql]`` extra)."""

    info = INFO
    TYPES = TYPES
    FUNCTIONS = FUNCTIONS

    def quote_identifier(self, name: str, context: RenderContext) -> str:
        if any(ord(ch) > 0xFFFF for ch in name):
            raise IdentifierError(
                f"the name {name!r} has characters outside Unicode's Basic Multilingual Plane, "
                f"which MySQL and MariaDB do not allow in names",
                dialect=self.name,
                field="name",
            )
        return super().quote_identifier(name, context)  # with this dialect's backticks

    def render_type(
        self, column: ColumnDefinition, table: TableDefinition, context: RenderContext
    ) -> str:
        if column.data_type is WhizbangDataType.UUID:
            sql = UUID_TYPES.get(str(context.option("uuid")))
            if sql is not None:
                return sql
        elif column.data_type is WhizbangDataType.STRING:
            length = _string_length(column, table, context)
            # Beyond VARCHAR's reach (or unbounded and not a key): LONGTEXT, never the generic
            # VARCHAR(n) the server would refuse.
            return self.TYPES[column.data_type] if length is None else f"VARCHAR({length})"
        elif column.data_type is WhizbangDataType.BYTES:
            length = column.max_length
            if length is not None and length <= MAX_VARBINARY:
                return f"VARBINARY({length})"
            return self.TYPES[column.data_type]  # LONGBLOB: unbounded, or beyond VARBINARY
        elif isinstance(column.type, DecimalType) and column.type.scale > MAX_DECIMAL_SCALE:
            raise context.unsupported(
                f"{column.type} has {column.type.scale} digits after the point; MySQL takes "
                f"at most {MAX_DECIMAL_SCALE} (MariaDB 38), and this dialect serves both",
                column=column.name,
                field="type",
            )
        return super().render_type(column, table, context)

    def render_default(
        self,
        column: ColumnDefinition,
        default: DefaultValue,
        table: TableDefinition,
        context: RenderContext,
    ) -> str:
        if isinstance(default, StringDefault):
            length = _string_length(column, table, context)
            if length is not None and len(default.value) > length:
                # Only a key column's chosen VARCHAR can be too short (the definition checks
                # an explicit max_length); the server would refuse it: "Invalid default value".
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
        if (
            isinstance(default, FunctionDefault)
            and default.value is DefaultValueFunction.GUID_NEW
            and context.option("uuid") == "binary16"
        ):
            return UUID_BINARY_DEFAULT
        if isinstance(default, BytesDefault):
            # MariaDB folds a constant X'..' default into text and prints its bytes back in
            # the column's character set ('\0?\x10' for 00FF10: seen); an expression default
            # is printed as written. MySQL takes BLOB defaults only as expressions anyway.
            return f"(unhex('{default.value.hex().upper()}'))"
        # Integers, booleans (through render_literal), NULL and FUNCTIONS: the generic SQL.
        return super().render_default(column, default, table, context)

    def render_literal(
        self, column: ColumnDefinition, value: object, context: RenderContext
    ) -> str:
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, str):
            return _string_literal(value)
        if isinstance(value, dt.datetime):  # DATETIME(6) holds UTC, without a zone
            utc = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
            return "'" + utc.isoformat(sep=" ", timespec="microseconds") + "'"
        if isinstance(value, uuid.UUID) and context.option("uuid") == "binary16":
            return f"X'{value.hex}'"
        if column.data_type is WhizbangDataType.JSON and isinstance(value, (dict, list)):
            # The generic JSON text, but as this dialect's string: JSON escapes with
            # backslashes, which the server would otherwise take as its own escapes (seen).
            return _string_literal(json.dumps(value, sort_keys=True))
        return super().render_literal(column, value, context)

    def render_create_table(
        self, table: TableDefinition, context: RenderContext
    ) -> Statement | Sequence[Statement]:
        key_string_lengths(table, _limits(context))  # refuses keys that cannot fit
        for name, _columns in context.unique_elements(table):
            self._check_key_name(name)
        for index in table.indexes:
            self._check_key_name(context.index_name(table, index))
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
        return Statement(
            StatementKind.CREATE_TABLE,
            context.table_name(table),
            sql,
            schema=context.effective_schema,
            notes=notes,
        )

    def check_tables(self, tables: Sequence[TableDefinition], context: RenderContext) -> None:
        # InnoDB finds a referenced key by an index whose first columns are the referenced
        # columns in the same order ("Foreign key constraint is incorrectly formed"):
        # PRIMARY KEY (code, country) serves REFERENCES (code, country), not (country, code).
        by_name = {t.name.casefold(): t for t in tables}
        for table in tables:
            for fk in table.foreign_keys:
                referenced = by_name.get(fk.references_table.casefold())
                if referenced is None:
                    continue
                wanted = tuple(c.casefold() for c in fk.references_columns)
                if not any(
                    tuple(c.casefold() for c in columns[: len(wanted)]) == wanted
                    for _, columns, _ in table_keys(referenced)
                ):
                    raise context.unsupported(
                        f"foreign key {fk.name!r} references ({', '.join(fk.references_columns)})"
                        f" of {referenced.name!r}, which no key or index of that table begins "
                        f"with in this order: InnoDB needs one; list the referenced columns in "
                        f"the order of the key",
                        table=table.name,
                        field="foreign_keys",
                    )

    def render_check(
        self, table: TableDefinition, check: CheckDefinition, context: RenderContext
    ) -> str:
        for token in check.parsed.tokens:
            if token.kind is TokenKind.STRING and (
                "\\" in token.value or any(ord(ch) > 0xFFFF for ch in token.value)
            ):
                # A backslash means one thing or another with NO_BACKSLASH_ESCAPES, and
                # information_schema (utf8mb3) prints characters beyond the BMP as '?': the
                # CHECK could not be read back as written.
                raise context.unsupported(
                    f"check {check.name!r}: the string {token.text} holds a backslash or a "
                    f"character beyond Unicode's Basic Multilingual Plane, which MySQL and "
                    f"MariaDB cannot keep readable in a CHECK",
                    table=table.name,
                    field="checks",
                )
        # BOOLEAN is TINYINT(1): the servers store TRUE/FALSE as 1/0, so read back as 1/0.
        return context.render_predicate(table, check, _boolean_as_number())

    def render_index(
        self, table: TableDefinition, index: IndexDefinition, context: RenderContext
    ) -> Statement | Sequence[Statement]:
        return ()  # declared inside CREATE TABLE: MySQL has no CREATE INDEX IF NOT EXISTS

    def render_add_index(
        self, table: TableDefinition, index: IndexDefinition, context: RenderContext
    ) -> Statement | Sequence[Statement]:
        notes: tuple[str, ...] = ()
        if index.where is not None:
            notes = (context.drop_predicate(table, index, "it has no partial indexes"),)
        name = context.index_name(table, index)
        self._check_key_name(name)
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

    def connect(self, target: str, read_only: bool) -> LiveDatabase:
        from .live import MySQLDatabase  # imports PyMySQL only when connecting

        return MySQLDatabase(target, read_only=read_only)

    def borrow_connection(self, connection: object) -> LiveDatabase | None:
        from .live import MySQLDatabase

        return MySQLDatabase.borrow(connection) if MySQLDatabase.wraps(connection) else None

    # Databases for tests (whizbang-schema's pytest plugin): see .databases.

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

        parsed = parse_type(sql_type)
        return parsed if parsed is not None else super().parse_type(sql_type, context)

    def parse_default(
        self, sql: str, data_type: WhizbangDataType | None, context: RenderContext
    ) -> DefaultValue | None:
        from .catalog import parse_server_default

        parsed = parse_server_default(sql)
        return parsed if parsed is not None else super().parse_default(sql, data_type, context)

    def expected_table(self, table: TableDefinition, context: RenderContext) -> LiveTable:
        # MySQL and MariaDB record a unique index as a unique constraint: compare it as one.
        expected = super().expected_table(table, context)
        unique = [i for i in expected.indexes if i.unique]
        from .catalog import innodb_action

        return attrs.evolve(
            expected,
            indexes=[i for i in expected.indexes if not i.unique],
            unique_constraints=[*expected.unique_constraints, *unique],
            foreign_keys=[
                attrs.evolve(
                    f, on_delete=innodb_action(f.on_delete), on_update=innodb_action(f.on_update)
                )
                for f in expected.foreign_keys
            ],
        )

    # == migration plans: MODIFY COLUMN with ALGORITHM and LOCK ================================

    def render_alter_table(
        self,
        table: TableDefinition,
        live: LiveTable,
        columns: Sequence[str],
        constraints: Sequence[str],
        context: RenderContext,
    ) -> Sequence[Statement]:
        # One ALTER TABLE per table, with the cheapest ALGORITHM and LOCK the server allows for
        # every change in it (stated, so the server refuses rather than silently copying):
        # INSTANT for a default; INPLACE with LOCK=NONE (writers keep writing) for a longer
        # VARCHAR that keeps its length bytes, for nullability and for a new unique key; COPY
        # with LOCK=SHARED (readers keep reading) for anything else.
        expected = context.expected_table(table)
        clauses: list[str] = []
        rekeyed: dict[str, str] = {}
        modified: list[str] = []
        level = 0  # 0 INSTANT, 1 INPLACE, 2 COPY
        hazards: set[str] = {Hazard.NOT_TRANSACTIONAL}
        for name in columns:
            column = table.column(name)
            stored, wanted = live.column(name), expected.column(name)
            assert stored is not None
            assert wanted is not None
            change = type_change(stored, wanted)
            if change is TypeChange.OTHER:
                raise context.unsupported(
                    f"changing the type from {stored.sql_type} to {wanted.sql_type} is not "
                    f"planned (only longer or shorter strings and wider integers are)",
                    table=table.name,
                    column=name,
                    field="data_type",
                )
            if change is not TypeChange.SAME:
                # A key over the column is dropped and added back in the same statement (as
                # the definitions have it, else as stored): its length budget may not hold the
                # column's new type, and InnoDB rebuilds it anyway.
                for key in (*live.indexes, *live.unique_constraints):
                    if name in key.columns and key.name not in rekeyed:
                        rekeyed[key.name] = self._key_clause(table, key, wanted, context)
            if change is TypeChange.SAME and stored.nullable == wanted.nullable:
                default = context.render_default(column, table)
                clause = "DROP DEFAULT" if default is None else f"SET DEFAULT {default}"
                clauses.append(f"ALTER COLUMN {context.quote(name)} {clause}")
                continue
            clauses.append(f"MODIFY COLUMN {context.render_column(column, table)}")
            modified.append(name)
            if change is TypeChange.SAME or _same_length_bytes(stored, wanted):
                level = max(level, 1)
                hazards.add(
                    Hazard.REWRITES_TABLE if change is TypeChange.SAME else Hazard.SCANS_TABLE
                )
            else:
                level = 2
                hazards.update((Hazard.REWRITES_TABLE, Hazard.LOCKS_WRITES))
            if change is TypeChange.NARROW_STRING or not wanted.nullable:
                hazards.add(Hazard.MAY_FAIL)
        if rekeyed:
            drops = [f"DROP INDEX {context.quote(name)}" for name in rekeyed]
            clauses = [*drops, *clauses, *rekeyed.values()]
        keys = dict(context.unique_elements(table))
        for name in constraints:
            clauses.append(
                f"ADD CONSTRAINT {context.quote(name)} UNIQUE ({context.quote_list(keys[name])})"
            )
            level = max(level, 1)
            hazards.update((Hazard.SCANS_TABLE, Hazard.MAY_FAIL))
        if not clauses:
            return ()
        clauses.append(
            ("ALGORITHM=INSTANT", "ALGORITHM=INPLACE, LOCK=NONE", "ALGORITHM=COPY, LOCK=SHARED")[
                level
            ]
        )
        table_name = context.table_name(table)
        out: list[Statement] = []
        if modified:
            out.append(_kept_by_modify_check(context, table_name, modified))
        out.append(
            Statement(
                StatementKind.ALTER_COLUMN,
                table_name,
                f"ALTER TABLE {context.qualified_table(table)} " + ", ".join(clauses),
                table=table_name,
                schema=context.effective_schema,
                hazards=tuple(h for h in _HAZARD_ORDER if h in hazards),
            )
        )
        return out

    def _key_clause(
        self, table: TableDefinition, key: LiveIndex, column: LiveColumn, context: RenderContext
    ) -> str:
        """``ADD ...`` for a stored index or unique key: as the definitions have it (by name),
        else as stored; refused when the stored form cannot cover the column's new type."""
        for index in table.indexes:
            if context.index_name(table, index).casefold() == key.name.casefold():
                kind = "UNIQUE INDEX" if index.unique else "INDEX"
                listed = context.quote_list(index.columns)
                return f"ADD {kind} {context.quote(key.name)} ({listed})"
        for name, keyed in context.unique_elements(table):
            if name.casefold() == key.name.casefold():
                listed = context.quote_list(keyed)
                return f"ADD CONSTRAINT {context.quote(name)} UNIQUE ({listed})"
        if column.data_type is WhizbangDataType.STRING and string_length(column) is None:
            raise context.unsupported(
                f"the column {column.name!r} would become LONGTEXT, which the stored index "
                f"{key.name!r} cannot cover without a prefix length: drop the index "
                f"(--allow-drop, when the definitions no longer have it) or keep a bound",
                table=table.name,
                column=column.name,
                field="max_length",
            )
        kind = "UNIQUE INDEX" if key.unique else "INDEX"
        return f"ADD {kind} {context.quote(key.name)} ({context.quote_list(tuple(key.columns))})"

    def render_change_index(
        self,
        table: TableDefinition,
        live: LiveIndex | None,
        index: IndexDefinition | None,
        context: RenderContext,
    ) -> Sequence[Statement]:
        # Drop and add in one ALTER TABLE: the table is never without the index, and InnoDB
        # builds it in place while writers keep writing.
        clauses = []
        notes: tuple[str, ...] = ()
        name = live.name if live is not None else ""
        if live is not None:
            clauses.append(f"DROP INDEX {context.quote(live.name)}")
        if index is not None:
            name = context.index_name(table, index)
            self._check_key_name(name)
            if index.where is not None:
                notes = (context.drop_predicate(table, index, "it has no partial indexes"),)
            kind = "UNIQUE INDEX" if index.unique else "INDEX"
            clauses.append(
                f"ADD {kind} {context.quote(name)} ({context.quote_list(index.columns)})"
            )
        hazards = [Hazard.SCANS_TABLE, Hazard.NOT_TRANSACTIONAL]
        if index is not None and index.unique:
            hazards.append(Hazard.MAY_FAIL)
        return (
            Statement(
                StatementKind.CREATE_INDEX if index is not None else StatementKind.DROP_INDEX,
                name,
                f"ALTER TABLE {context.qualified_table(table)} {', '.join(clauses)}, "
                f"ALGORITHM=INPLACE, LOCK=NONE",
                table=context.table_name(table),
                schema=context.effective_schema,
                notes=notes,
                hazards=tuple(h for h in _HAZARD_ORDER if h in hazards),
            ),
        )

    def render_drop(
        self, kind: str, table: str, name: str | None, context: RenderContext
    ) -> Sequence[Statement]:
        if kind == "constraint" and name is not None:  # a unique key is an index here
            return (
                Statement(
                    StatementKind.DROP_CONSTRAINT,
                    name,
                    f"ALTER TABLE {context.qualified(table)} DROP INDEX {context.quote(name)}",
                    table=table,
                    schema=context.effective_schema,
                    hazards=(Hazard.DROPS_DATA, Hazard.NOT_TRANSACTIONAL),
                ),
            )
        return [
            attrs.evolve(s, hazards=(*s.hazards, Hazard.NOT_TRANSACTIONAL))
            for s in super().render_drop(kind, table, name, context)
        ]

    def _check_key_name(self, name: str) -> None:
        if name.casefold() == "primary":
            raise IdentifierError(
                f"an index or unique constraint cannot be named {name!r}: MySQL and MariaDB "
                f"keep the name PRIMARY (in any case) for the primary key",
                dialect=self.name,
                field="name",
            )


def _boolean_as_number() -> Callable[[Token], str | None]:
    """A fresh respelling of one predicate's TRUE and FALSE as 1 and 0, in token order.

    ``IS [NOT] TRUE`` keeps its keyword: ``IS 1`` is a syntax error, and the servers print
    ``is not true`` back as it was written.
    """
    after_is = False

    def spell(token: Token) -> str | None:
        nonlocal after_is
        keyword = token.value if token.kind is TokenKind.KEYWORD else None
        if keyword in ("TRUE", "FALSE") and not after_is:
            return "1" if keyword == "TRUE" else "0"
        after_is = keyword == "IS" or (after_is and keyword == "NOT")
        return None

    return spell


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


def _kept_by_modify_check(context: RenderContext, table: str, columns: Sequence[str]) -> Statement:
    """A check that the columns MODIFY COLUMN restates have nothing it would drop.

    MODIFY COLUMN replaces the whole column definition with the one the plan writes: a
    comment, a collation or character set other than the table's (case-insensitive where the
    table is binary, say), ON UPDATE or a generated expression would be gone without a word
    (a comment and a collation seen on MariaDB 10.11).
    """
    names = ", ".join(_string_literal(c) for c in columns)
    schema = "DATABASE()" if context.schema is None else _string_literal(context.schema)
    return Statement(
        StatementKind.CHECK,
        table,
        "SELECT c.COLUMN_NAME FROM information_schema.COLUMNS AS c "
        "JOIN information_schema.TABLES AS t "
        "ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME "
        f"WHERE c.TABLE_SCHEMA = {schema} AND c.TABLE_NAME = {_string_literal(table)} "
        f"AND c.COLUMN_NAME IN ({names}) AND (c.COLUMN_COMMENT <> '' "
        "OR c.COLLATION_NAME <> t.TABLE_COLLATION "
        "OR (c.EXTRA <> '' AND c.EXTRA <> 'DEFAULT_GENERATED'))",
        table=table,
        schema=context.effective_schema,
        notes=(
            "a comment, collation, character set, ON UPDATE or generated expression that "
            "MODIFY COLUMN would drop: change the column by hand",
        ),
        check=True,
    )


def _string_literal(value: str) -> str:
    if "\\" in value or any(ord(ch) > 0xFFFF for ch in value):
        # '\\' means one backslash or two depending on NO_BACKSLASH_ESCAPES; hex means one
        # thing. Not _utf8mb4 X'..': MariaDB 10.11 stores that default back unescaped and then
        # cannot parse its own table definition (seen); CONVERT(.. USING ..) survives.
        # Characters beyond the Basic Multilingual Plane too: information_schema is utf8mb3
        # and prints them as '?', so the default could not be read back (seen).
        return "(CONVERT(X'" + value.encode("utf-8").hex().upper() + "' USING utf8mb4))"
    return "'" + value.replace("'", "''") + "'"


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
        elif kind is WhizbangDataType.BYTES:
            width = varbinary_bytes(column.type)
            total += 12 if width is None else width + (2 if width > 255 else 1)
        elif kind is WhizbangDataType.DECIMAL:
            total += decimal_bytes(column.type) or 0
        else:
            total += FIXED_BYTES[kind]
    return total


#: Hazards in the order the plan lists them.
_HAZARD_ORDER: Final = (
    Hazard.LOCKS_WRITES,
    Hazard.LOCKS_READS,
    Hazard.REWRITES_TABLE,
    Hazard.SCANS_TABLE,
    Hazard.MAY_FAIL,
    Hazard.DROPS_DATA,
    Hazard.NOT_TRANSACTIONAL,
)


def _same_length_bytes(stored: LiveColumn, wanted: LiveColumn) -> bool:
    """Whether a longer VARCHAR keeps its length prefix (1 byte up to 255 bytes, utf8mb4 being
    4 bytes a character): only then can InnoDB widen it in place."""
    before, after = string_length(stored), string_length(wanted)
    if before is None or after is None or after < before:
        return False
    return (before * 4 <= 255) == (after * 4 <= 255)
