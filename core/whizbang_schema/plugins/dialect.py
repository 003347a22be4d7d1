"""A dialect is a class: its identity and data are class attributes, its decisions methods.

:class:`Dialect` holds the generic SQL every dialect falls back on (``CREATE TABLE IF NOT
EXISTS``, double-quoted names, ``CREATE INDEX ... WHERE``), driven by the dialect's
:class:`~whizbang_schema.Capabilities`, so an engine that speaks ordinary SQL needs only its
``info``, ``TYPES`` and ``FUNCTIONS``. A subclass overrides a decision with a method of the
same name and reaches the inherited one with ``super()``; an engine compatible with another
subclasses that one (``class CockroachDialect(PostgresDialect)``) and overrides what differs.

The decisions are the hooks of :mod:`whizbang_schema.plugins.hookspecs` without their
``dialect`` parameter (the object is the dialect). Each method may take any subset of its
hook's parameters, by name. Override plugins (``@hookimpl(tryfirst=True)`` functions in a
module) are asked before the method; see :mod:`whizbang_schema.plugins.dispatch`.

The same object renders: :meth:`render`, :meth:`statements` and the design document's
:meth:`generate_create_table`. Get the installed one with :func:`~whizbang_schema.get_dialect`
(it sees the override plugins); an instance you create yourself renders with its own methods.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import json
import math
import operator
import re
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Final, Protocol, Union

import attrs

from ..model.capabilities import Capabilities, DialectInfo, OptionValue
from ..model.catalog import LiveColumn, LiveIndex, LiveTable
from ..model.columntypes import BytesType, ColumnType, DecimalType, StringType, column_type
from ..model.configuration import SchemaConfiguration
from ..model.constraints import CheckDefinition, ForeignKeyDefinition
from ..model.datatypes import DefaultValueFunction, WhizbangDataType
from ..model.defaults import (
    LITERAL_DEFAULTS,
    DecimalDefault,
    DefaultValue,
    DoubleDefault,
    FunctionDefault,
    NullDefault,
)
from ..model.definitions import ColumnDefinition, IndexDefinition, TableDefinition
from ..model.dependencies import creation_order
from ..model.errors import (
    DatabaseError,
    DefinitionError,
    DegradedRenderWarning,
    IdentifierError,
    RenderError,
    UnsupportedFeatureError,
)
from ..model.hazards import Hazard
from ..model.predicate import TokenKind
from ..render.changes import TypeChange, type_change
from ..render.context import RenderContext
from ..render.expected import expected_table, parse_literal_default
from ..render.spelling import literal_value, quote_with
from ..render.statements import (
    Statement,
    StatementKind,
    as_statements,
    created,
    render_script,
)
from .dispatch import Decisions
from .protocols import LiveDatabase


class _Host(Protocol):
    """What a dialect needs of the registry it is installed in."""

    @property
    def generation(self) -> int: ...

    def decisions_for(self, dialect: Dialect) -> Decisions: ...

    def check_usable(self) -> None: ...


__all__ = ["Dialect", "alter_statement"]

_data_type = operator.attrgetter("data_type")
_VARCHAR = re.compile(r"(?:VARCHAR|CHARACTER VARYING)\s*\(\s*(\d+)\s*\)")
_VARBINARY = re.compile(r"(?:VARBINARY|BINARY VARYING)\s*\(\s*(\d+)\s*\)")
_SIZED = re.compile(r"(\w+)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)")

_Target = Union[TableDefinition, SchemaConfiguration, Iterable[TableDefinition]]  # noqa: UP007


class Dialect:
    """The base class of every dialect, and its generic SQL.

    Class attributes a subclass sets:

    * ``info``: the :class:`~whizbang_schema.DialectInfo` (name, capabilities, options, URL
      schemes);
    * ``TYPES``: abstract type -> SQL type, e.g. ``{WhizbangDataType.JSON: "JSONB", ...}``;
      extend a parent's with ``{**Parent.TYPES, WhizbangDataType.JSON: "JSON"}``;
    * ``FUNCTIONS``: default function -> SQL, e.g. ``{DefaultValueFunction.GUID_NEW:
      "gen_random_uuid()", ...}``.
    """

    info: ClassVar[DialectInfo]
    TYPES: ClassVar[Mapping[WhizbangDataType, str]] = {}
    FUNCTIONS: ClassVar[Mapping[DefaultValueFunction, str]] = {}
    #: A string's length in the units of the type's bound, ``{}`` standing for the column
    #: (a migration plan checks the rows before it narrows a string).
    LENGTH_SQL: ClassVar[str] = "CHAR_LENGTH({})"
    #: The engine's name as error messages write it (``"PostgreSQL"``); the dialect's name
    #: when empty.
    ENGINE: ClassVar[str] = ""
    #: Types whose SQL in ``TYPES`` takes no length or precision: a bounded STRING or BYTES
    #: column, or a DECIMAL, is rendered as ``TYPES`` says (PostgreSQL's ``BYTEA``, SQLite's
    #: ``TEXT``), not as ``VARCHAR(n)``, ``VARBINARY(n)`` or ``NUMERIC(p,s)``.
    UNSIZED_TYPES: ClassVar[frozenset[WhizbangDataType]] = frozenset()
    #: The longest ``VARCHAR(n)`` the engine accepts (``None``: no limit); a STRING column
    #: with a longer ``max_length`` is refused, never widened.
    MAX_VARCHAR: ClassVar[int | None] = None
    #: Prefixes of the table and index names the engine keeps for its own objects, in lower
    #: case and compared case-insensitively (SQLite: ``("sqlite_",)``): such a name is refused
    #: with :class:`~whizbang_schema.IdentifierError` before any SQL runs.
    RESERVED_NAME_PREFIXES: ClassVar[tuple[str, ...]] = ()
    #: Column names every table of the engine already has (PostgreSQL's ``ctid``, ``xmin``...),
    #: compared exactly (a rendered name is case-sensitive): a column of such a name is refused
    #: with :class:`~whizbang_schema.IdentifierError` before any SQL runs.
    SYSTEM_COLUMNS: ClassVar[frozenset[str]] = frozenset()
    #: What an option's value changes in ``TYPES``, by ``(option, value)``: SQLite's
    #: ``{("uuid", "blob"): {WhizbangDataType.UUID: "BLOB"}}``. Rendering reads the result as
    #: ``context.types``.
    OPTION_TYPES: ClassVar[Mapping[tuple[str, OptionValue], Mapping[WhizbangDataType, str]]] = {}
    #: What an option's value changes in ``FUNCTIONS``, by ``(option, value)``; rendering
    #: reads the result as ``context.functions``.
    OPTION_FUNCTIONS: ClassVar[
        Mapping[tuple[str, OptionValue], Mapping[DefaultValueFunction, str]]
    ] = {}
    #: The type of a column that is the whole primary key, in place of the one ``TYPES``
    #: gives (by that SQL type): SQLite's ``{"INTEGER": "INT"}`` keeps such a column from
    #: becoming an alias of the rowid.
    SOLE_KEY_TYPES: ClassVar[Mapping[str, str]] = {}
    #: What follows ``CREATE TABLE (...)`` under an option's value, by ``(option, value)``:
    #: SQLite's ``{("strict", True): " STRICT"}``; a context holds them, in the options' order,
    #: as ``table_suffix``.
    OPTION_TABLE_SUFFIXES: ClassVar[Mapping[tuple[str, OptionValue], str]] = {}
    #: The most significant digits the SQL of ``TYPES[DECIMAL]`` keeps (``None``: every
    #: precision): a DECIMAL column of a greater precision is rendered with a note, raised as
    #: a :class:`~whizbang_schema.DegradedRenderWarning`, that its values may be rounded
    #: (SQLite's REAL: 15).
    DECIMAL_DIGITS: ClassVar[int | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        prefixes = cls.RESERVED_NAME_PREFIXES
        if isinstance(prefixes, str) or any(
            not isinstance(p, str) or p != p.lower() for p in prefixes
        ):
            # Compared with a lower-cased name: another case would silently never match.
            raise TypeError(
                f"{cls.__name__}.RESERVED_NAME_PREFIXES must be a tuple of lower-case "
                f"strings, got {prefixes!r}"
            )

    def __init__(self) -> None:
        if not isinstance(getattr(self, "info", None), DialectInfo):
            raise TypeError(
                f"{type(self).__name__} has no 'info' class attribute (a DialectInfo); "
                f"a dialect needs one to be used"
            )
        self._registry: _Host | None = None
        self._forget()

    def _forget(self) -> None:
        """Drop every cache (a copy of this object installed in another registry starts so)."""
        #: (registry generation, decisions, the decisions that are the generic methods)
        self._decisions: tuple[int, Decisions, frozenset[str]] | None = None
        self._contexts: dict[tuple[object, ...], RenderContext] = {}
        #: The decisions the contexts were made with (a new set empties ``_contexts``); kept
        #: apart so that no render scans ``_contexts``, which another thread may be filling.
        self._contexts_for: Decisions | None = None
        #: The configuration asked last (kept by identity: it is alive while kept here), the
        #: decisions then, and its context.
        self._last_context: tuple[SchemaConfiguration, Decisions, RenderContext] | None = None
        #: Ordered by age: the oldest goes first once ``_TABLES_KEPT`` are kept (popped whole,
        #: as threads rendering at once may both evict).
        self._tables: OrderedDict[tuple[int, str], list[_Cached]] = OrderedDict()

    def __repr__(self) -> str:
        origin = (
            f" from {self.info.distribution} {self.info.version}" if self.info.distribution else ""
        )
        return f"<{type(self).__name__} {self.name!r}{origin}>"

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def capabilities(self) -> Capabilities:
        return self.info.capabilities

    # == decisions: the generic SQL =============================================================

    def quote_identifier(self, name: str, context: RenderContext) -> str:
        """``name`` bare when safe, else between the capabilities' quote characters."""
        # context.needs_quoting(name), without the call: asked for every new name. The
        # default pattern [a-z_][a-z0-9_]* is an ASCII identifier without upper case.
        lower = name.lower()
        if (
            (lower == name and name.isascii() and name.isidentifier())
            if context._plain_bare
            else context._bare(name) is not None
        ) and lower not in context._reserved:
            return name
        caps = context.capabilities
        return quote_with(name, caps.quote_start, caps.quote_end)

    def render_type(
        self, column: ColumnDefinition, table: TableDefinition, context: RenderContext
    ) -> str:
        """``TYPES[column.data_type]`` (as ``context.types`` has it, under the options), sized
        unless in ``UNSIZED_TYPES``, ``SOLE_KEY_TYPES`` for a sole key column; a type the
        dialect does not map is refused."""
        sql = context.types.get(column.data_type)
        if sql is None:
            raise context.unsupported(
                f"the dialect has no SQL type for {column.data_type.name} (TYPES has no entry)",
                table=table.name,
                column=column.name,
                field="data_type",
            )
        max_length = column.max_length
        if max_length is None:  # the common case first, from the column's slots
            if (
                column.data_type is WhizbangDataType.DECIMAL
                and WhizbangDataType.DECIMAL not in self.UNSIZED_TYPES
            ):
                column_type = column.type
                assert isinstance(column_type, DecimalType)
                return f"{sql}({column_type.precision},{column_type.scale})"
            if column.primary_key and self.SOLE_KEY_TYPES:
                return self._sole_key_type(sql, column, table)
            return sql
        if column.data_type in self.UNSIZED_TYPES:
            if column.primary_key and self.SOLE_KEY_TYPES:
                return self._sole_key_type(sql, column, table)
            return sql
        # A bounded string (or binary string) must stay bounded: standard SQL's VARCHAR(n)
        # and VARBINARY(n), unless the dialect says otherwise.
        if column.data_type is WhizbangDataType.BYTES:
            return f"VARBINARY({max_length})"
        if self.MAX_VARCHAR is not None and max_length > self.MAX_VARCHAR:
            raise context.unsupported(
                f"max_length {max_length} exceeds {self.ENGINE or self.name}'s VARCHAR limit "
                f"of {self.MAX_VARCHAR}; leave max_length unset for unbounded {sql}",
                column=column.name,
                field="max_length",
            )
        return f"VARCHAR({max_length})"

    def _sole_key_type(self, sql: str, column: ColumnDefinition, table: TableDefinition) -> str:
        """``SOLE_KEY_TYPES``'s type for ``sql`` when ``column`` is the whole primary key."""
        keyed = self.SOLE_KEY_TYPES.get(sql)
        return keyed if keyed is not None and table.primary_key == (column.name,) else sql

    def render_default(
        self,
        column: ColumnDefinition,
        default: DefaultValue,
        table: TableDefinition,
        context: RenderContext,
    ) -> str:
        """Literals through :meth:`render_literal`, ``NULL``, functions from ``FUNCTIONS``
        (as ``context.functions`` has it, under the options)."""
        if isinstance(default, FunctionDefault):
            sql = context.functions.get(default.value)
            if sql is not None:
                return sql
        elif isinstance(default, LITERAL_DEFAULTS):
            # context.render_literal, without the call through it (errors are located on
            # the column by the caller).
            value = literal_value(column, default)
            literal: str | None = context.decisions.render_literal(column, value, context)
            if literal is None:
                raise context.literal_refused(column, value)
            return literal
        elif isinstance(default, NullDefault):
            return "NULL"
        what = (
            f"the function {default.value.name} (FUNCTIONS has no entry)"
            if isinstance(default, FunctionDefault)
            else f"a {type(default).__name__}"
        )
        raise context.unsupported(
            f"the dialect cannot render {what} as a default",
            table=table.name,
            column=column.name,
            field="default",
        )

    def render_literal(
        self, column: ColumnDefinition, value: object, context: RenderContext
    ) -> str:
        """``NULL``, ``TRUE``/``FALSE``, numbers (a ``Decimal`` in plain notation, a finite
        ``float`` as Python writes it back exactly), binary strings as ``X'...'``, and
        everything else as a quoted string (timestamps in ISO 8601 with their offset, dates
        as ``YYYY-MM-DD``, JSON as its text). An infinity or NaN is refused: standard SQL has
        no literal for it (a dialect whose engine stores them spells them itself)."""
        if value is None:
            return "NULL"
        if isinstance(value, bool):
            return "TRUE" if value else "FALSE"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, (float, decimal.Decimal)):
            if not math.isfinite(value):
                raise context.unsupported(
                    f"{self.name} has no literal for {value}", column=column.name, field="value"
                )
            return repr(value) if isinstance(value, float) else format(value, "f")
        if isinstance(value, (bytes, bytearray, memoryview)):
            return "X'" + bytes(value).hex().upper() + "'"
        if isinstance(value, dt.datetime):
            if value.utcoffset() is None:
                raise context.unsupported(
                    "a timestamp literal needs an aware datetime", field="value"
                )
            return context.string_literal(value.isoformat())
        if column.data_type is WhizbangDataType.JSON and not isinstance(value, str):
            return context.string_literal(json.dumps(value, sort_keys=True))
        return context.string_literal(str(value))

    def render_column(
        self, column: ColumnDefinition, table: TableDefinition, context: RenderContext
    ) -> str:
        """``name type [NOT NULL] [DEFAULT expr]``."""
        name = context._quoted.get(column.name) or context.quote(column.name)
        # What context.render_type and render_default do, without a call through them each.
        calls = context.decisions
        default = column.default
        try:
            sql_type: str | None = calls.render_type(column, table, context)
            if sql_type is None:
                raise context.type_refused(column, table)
            sql = f"{name} {sql_type}" if column.nullable else f"{name} {sql_type} NOT NULL"
            if default is None:
                return sql
            expression: str | None = calls.render_default(column, default, table, context)
            if expression is None:
                raise context.default_refused(column, table)
        except RenderError as exc:
            raise exc.located(table=table.name, column=column.name) from None
        return f"{sql} DEFAULT {expression}"

    def render_create_table(
        self, table: TableDefinition, context: RenderContext
    ) -> Statement | Sequence[Statement]:
        """``CREATE TABLE IF NOT EXISTS`` with the columns and the named key constraints;
        a name in ``RESERVED_NAME_PREFIXES`` or ``SYSTEM_COLUMNS`` is refused first."""
        if self.RESERVED_NAME_PREFIXES or self.SYSTEM_COLUMNS:
            self.refuse_reserved_names(context.prefix + table.name, table.columns)
        return Statement(
            StatementKind.CREATE_TABLE,
            context.table_name(table),
            context.create_table_sql(table, suffix=context.table_suffix),
            schema=context.effective_schema,
            notes=self._rounded_decimals(table, table.columns, context)
            if self.DECIMAL_DIGITS is not None
            else (),
        )

    def render_index(
        self, table: TableDefinition, index: IndexDefinition, context: RenderContext
    ) -> Statement | Sequence[Statement]:
        """``CREATE [UNIQUE] INDEX IF NOT EXISTS ... [WHERE ...]``; without partial indexes
        a non-unique index loses its predicate with a note, a unique one is refused."""
        # context.index_name and table_name, without a call each.
        prefix = context.prefix
        name = index.name if context.verbatim_names else prefix + index.name
        if self.RESERVED_NAME_PREFIXES:
            self.refuse_reserved_names(name)
        table_name = prefix + table.name
        capabilities = context.capabilities
        # The names quoted before (the usual case), without a call each.
        quoted, qualified = context._quoted, context._qualified
        if capabilities.schema_qualified_index_names:
            index_sql = qualified.get(name) or context.qualified(name)
            table_sql = quoted.get(table_name) or context.quote(table_name)
        else:
            index_sql = quoted.get(name) or context.quote(name)
            table_sql = qualified.get(table_name) or context.qualified(table_name)
        columns = index.columns
        columns_sql = (
            quoted.get(columns[0]) or context.quote(columns[0])
            if len(columns) == 1
            else context.quote_list(columns)
        )
        sql = (
            f"CREATE {'UNIQUE ' if index.unique else ''}INDEX IF NOT EXISTS {index_sql} "
            f"ON {table_sql} ({columns_sql})"
        )
        notes: tuple[str, ...] = ()
        if index.where is not None:
            if capabilities.partial_indexes:
                sql += f" WHERE {context.render_predicate(table, index)}"
            else:
                notes = (context.drop_predicate(table, index, "it has no partial indexes"),)
        return Statement(
            StatementKind.CREATE_INDEX, name, sql, table_name, context.effective_schema, notes
        )

    def render_foreign_key(
        self, table: TableDefinition, foreign_key: ForeignKeyDefinition, context: RenderContext
    ) -> str:
        """``CONSTRAINT name FOREIGN KEY (a) REFERENCES t (b) [ON DELETE ..] [ON UPDATE ..]``;
        an action the engine lacks (``Capabilities.foreign_key_actions``) is refused."""
        allowed = context.capabilities.foreign_key_actions
        clause = ""
        for label, action in foreign_key.actions:
            if action not in allowed:
                raise context.unsupported(
                    f"foreign key {foreign_key.name!r}: {self.name} has no {label} "
                    f"{action.sql}; it accepts "
                    f"{', '.join(a.sql for a in type(action) if a in allowed)}",
                    table=table.name,
                    field="foreign_keys",
                )
            if action.value != "NO ACTION":
                clause += f" {label} {action.sql}"
        name = context.quote(context.foreign_key_name(table, foreign_key))
        referenced = context.qualified(context.referenced_table_name(foreign_key))
        return (
            f"CONSTRAINT {name} FOREIGN KEY ({context.quote_list(foreign_key.columns)}) "
            f"REFERENCES {referenced} ({context.quote_list(foreign_key.references_columns)})"
            f"{clause}"
        )

    def render_check(
        self, table: TableDefinition, check: CheckDefinition, context: RenderContext
    ) -> str:
        """The predicate with its column names quoted for the dialect."""
        return context.render_predicate(table, check)

    def render_add_constraint(
        self,
        table: TableDefinition,
        constraint: ForeignKeyDefinition | CheckDefinition,
        context: RenderContext,
    ) -> Statement | Sequence[Statement]:
        """``ALTER TABLE t ADD CONSTRAINT ...``; refused where the engine cannot."""
        is_key = isinstance(constraint, ForeignKeyDefinition)
        what = "foreign key" if is_key else "CHECK constraint"
        if not context.capabilities.add_constraint:
            raise context.unsupported(
                f"{self.name} cannot add a {what} ({constraint.name!r}) to an existing table: "
                f"recreate the table with it (create a new table, copy the rows, drop the old "
                f"one and rename the new one)",
                table=table.name,
                field="foreign_keys" if is_key else "checks",
            )
        if isinstance(constraint, ForeignKeyDefinition):
            clause = context.render_foreign_key(table, constraint)
            name = context.foreign_key_name(table, constraint)
        else:
            clause = context.check_element(table, constraint)
            name = context.check_name(table, constraint)
        return Statement(
            StatementKind.ADD_CONSTRAINT,
            name,
            f"ALTER TABLE {context.qualified_table(table)} ADD {clause}",
            table=context.table_name(table),
            schema=context.effective_schema,
        )

    def check_tables(self, tables: Sequence[TableDefinition], context: RenderContext) -> None:
        """Refuse what only the tables together make impossible on this engine (SQL Server:
        multiple cascade paths). Called once per render, before any table is rendered; the
        generic dialect accepts everything."""

    def render_create_schema(
        self, schema: str, context: RenderContext
    ) -> Statement | Sequence[Statement]:
        """``CREATE SCHEMA IF NOT EXISTS``, or nothing where schemas are not made by DDL."""
        if not context.capabilities.create_schema:
            return ()
        return Statement(
            StatementKind.CREATE_SCHEMA,
            schema,
            f"CREATE SCHEMA IF NOT EXISTS {context.quote(schema)}",
        )

    def connect(self, target: str, read_only: bool) -> LiveDatabase:
        """Open a live database (see :class:`~whizbang_schema.DBAPIDatabase`); the generic
        dialect cannot."""
        raise DatabaseError(f"the {self.name} dialect cannot connect to live databases")

    def borrow_connection(self, connection: object) -> LiveDatabase | None:
        """Wrap a DB-API connection of this dialect's driver; the generic dialect has none."""
        return None

    def create_database(self, url: str, name: str, template: str | None) -> str:
        """Create a database beside ``url``'s (a copy of ``template``); the generic dialect
        cannot."""
        raise UnsupportedFeatureError("this dialect cannot create databases", dialect=self.name)

    def drop_database(self, url: str) -> bool:
        """Drop the database ``url`` names; the generic dialect cannot."""
        raise UnsupportedFeatureError("this dialect cannot drop databases", dialect=self.name)

    def end_other_sessions(self, database: LiveDatabase) -> bool:
        """End the other sessions on ``database``'s database; the generic dialect cannot."""
        return False

    def schema_fingerprint(self, database: LiveDatabase) -> str | None:
        """What tells a changed schema from an unchanged one; the generic dialect cannot."""
        return None

    def read_catalog(self, database: LiveDatabase, context: RenderContext) -> Sequence[LiveTable]:
        """Read the prefixed tables back; the generic dialect cannot."""
        raise UnsupportedFeatureError(
            "this dialect cannot read a live database back", dialect=self.name
        )

    def parse_type(self, sql_type: str, context: RenderContext) -> ColumnType | None:
        """``TYPES`` read backwards (exact spelling, any case), ``VARCHAR(n)`` and
        ``VARBINARY(n)`` as bounded strings, ``TYPES[DECIMAL]`` with ``(p,s)`` as a decimal;
        ``None`` for anything else."""
        wanted = sql_type.strip().upper()
        bounded = _VARCHAR.fullmatch(wanted)
        if bounded is not None:
            return StringType(int(bounded.group(1)))
        bounded = _VARBINARY.fullmatch(wanted)
        if bounded is not None:
            return BytesType(int(bounded.group(1)))
        sized = _SIZED.fullmatch(wanted)
        decimal = self.TYPES.get(WhizbangDataType.DECIMAL)
        if sized is not None and decimal is not None and sized.group(1) == decimal.upper():
            return DecimalType(int(sized.group(2)), int(sized.group(3) or 0))
        for data_type, sql in self.TYPES.items():
            if sql.upper() == wanted:
                return column_type(data_type)
        return None

    def parse_default(
        self, sql: str, data_type: WhizbangDataType | None, context: RenderContext
    ) -> DefaultValue | None:
        """``FUNCTIONS`` read backwards, then literals as any engine prints them."""
        wanted = sql.strip()
        for function, text in self.FUNCTIONS.items():
            if text == wanted:
                return DefaultValue.function(function)
        return parse_literal_default(sql, data_type)

    def expected_table(self, table: TableDefinition, context: RenderContext) -> LiveTable:
        """``table`` as the database will hold it (see :func:`~whizbang_schema.expected_table`)."""
        return expected_table(context, table)

    def render_add_column(
        self, table: TableDefinition, column: ColumnDefinition, context: RenderContext
    ) -> Statement:
        """``ALTER TABLE ... ADD COLUMN`` with the column's definition (a name in
        ``SYSTEM_COLUMNS`` is refused)."""
        if self.SYSTEM_COLUMNS:
            self.refuse_reserved_names(None, (column,))
        return Statement(
            StatementKind.ADD_COLUMN,
            column.name,
            f"ALTER TABLE {context.qualified_table(table)} ADD COLUMN "
            f"{context.render_column(column, table)}",
            table=context.table_name(table),
            schema=context.effective_schema,
            notes=self._rounded_decimals(table, (column,), context)
            if self.DECIMAL_DIGITS is not None
            else (),
        )

    def _rounded_decimals(
        self, table: TableDefinition, columns: Sequence[ColumnDefinition], context: RenderContext
    ) -> tuple[str, ...]:
        """A note for each DECIMAL column with more digits than ``DECIMAL_DIGITS``."""
        digits = self.DECIMAL_DIGITS
        if WhizbangDataType.DECIMAL not in map(_data_type, columns):  # most tables: a C scan
            return ()
        return tuple(
            f"column {column.name!r} of {table.name!r} is {column.type}, stored as "
            f"{context.types[WhizbangDataType.DECIMAL]} on {self.ENGINE or self.name}, which "
            f"keeps {digits} significant digits: longer values are rounded"
            for column in columns
            if isinstance(column.type, DecimalType)
            and digits is not None
            and column.type.precision > digits
        )

    def render_add_index(
        self, table: TableDefinition, index: IndexDefinition, context: RenderContext
    ) -> Statement | Sequence[Statement]:
        """The index as :meth:`render_index` creates it."""
        return context.render_index(table, index)

    def render_alter_table(
        self,
        table: TableDefinition,
        live: LiveTable,
        columns: Sequence[str],
        constraints: Sequence[str],
        context: RenderContext,
    ) -> Sequence[Statement]:
        """Standard SQL, one ``ALTER TABLE`` per change: ``SET DATA TYPE``, ``SET``/``DROP
        NOT NULL``, ``SET``/``DROP DEFAULT``, ``ADD CONSTRAINT ... UNIQUE``."""
        out: list[Statement] = []
        expected = context.expected_table(table)
        for name in columns:
            column = table.column(name)
            stored, wanted = live.column(name), expected.column(name)
            assert stored is not None, name
            assert wanted is not None, name
            for clause, hazards in self.column_changes(column, stored, wanted, table, context):
                out.append(alter_statement(context, table, column.name, clause, hazards))
        keys = dict(context.unique_elements(table))
        for name in constraints:
            sql = (
                f"ALTER TABLE {context.qualified_table(table)} ADD CONSTRAINT "
                f"{context.quote(name)} UNIQUE ({context.quote_list(keys[name])})"
            )
            out.append(
                Statement(
                    StatementKind.ADD_CONSTRAINT,
                    name,
                    sql,
                    table=context.table_name(table),
                    schema=context.effective_schema,
                    hazards=(
                        Hazard.LOCKS_WRITES,
                        Hazard.LOCKS_READS,
                        Hazard.SCANS_TABLE,
                        Hazard.MAY_FAIL,
                    ),
                )
            )
        return out

    def column_changes(
        self,
        column: ColumnDefinition,
        stored: LiveColumn,
        wanted: LiveColumn,
        table: TableDefinition,
        context: RenderContext,
    ) -> list[tuple[str, tuple[str, ...]]]:
        """The ``ALTER COLUMN`` clauses (after the column's name) that take ``stored`` to
        ``wanted``, each with its hazards: type, then nullability, then default. Not a hook: a
        helper of the generic :meth:`render_alter_table` a dialect may reuse or override."""
        out: list[tuple[str, tuple[str, ...]]] = []
        change = type_change(stored, wanted)
        if change is TypeChange.OTHER:
            raise context.unsupported(
                f"changing the type from {stored.sql_type} to {wanted.sql_type} is not planned "
                f"(only longer or shorter strings and wider integers are)",
                table=table.name,
                column=column.name,
                field="data_type",
            )
        if change is not TypeChange.SAME:
            hazards: tuple[str, ...] = (
                Hazard.LOCKS_WRITES,
                Hazard.LOCKS_READS,
                Hazard.REWRITES_TABLE,
            )
            if change is TypeChange.NARROW_STRING:
                hazards += (Hazard.MAY_FAIL,)
            out.append((f"SET DATA TYPE {context.render_type(column, table)}", hazards))
        if stored.nullable != wanted.nullable:
            if wanted.nullable:
                out.append(("DROP NOT NULL", (Hazard.LOCKS_WRITES, Hazard.LOCKS_READS)))
            else:
                hazards = (
                    Hazard.LOCKS_WRITES,
                    Hazard.LOCKS_READS,
                    Hazard.SCANS_TABLE,
                    Hazard.MAY_FAIL,
                )
                out.append(("SET NOT NULL", hazards))
        if _default_of(stored) != _default_of(wanted) or (
            stored.default is None and stored.default_sql is not None
        ):
            default = context.render_default(column, table)
            if default is None or isinstance(column.default, NullDefault):
                out.append(("DROP DEFAULT", (Hazard.LOCKS_WRITES, Hazard.LOCKS_READS)))
            else:
                out.append((f"SET DEFAULT {default}", (Hazard.LOCKS_WRITES, Hazard.LOCKS_READS)))
        return out

    def render_change_index(
        self,
        table: TableDefinition,
        live: LiveIndex | None,
        index: IndexDefinition | None,
        context: RenderContext,
    ) -> Sequence[Statement]:
        """``DROP INDEX`` the stored one, then create the defined one as
        :meth:`render_add_index` does; both inside the plan's transaction."""
        out: list[Statement] = []
        if live is not None:
            out.append(
                Statement(
                    StatementKind.DROP_INDEX,
                    live.name,
                    f"DROP INDEX {context.qualified(live.name)}",
                    table=context.table_name(table),
                    schema=context.effective_schema,
                    hazards=(Hazard.LOCKS_WRITES, Hazard.LOCKS_READS),
                )
            )
        if index is not None:
            hazards: tuple[str, ...] = (Hazard.LOCKS_WRITES, Hazard.SCANS_TABLE)
            if index.unique:
                hazards += (Hazard.MAY_FAIL,)
            out.extend(
                attrs.evolve(s, hazards=hazards) for s in context.render_add_index(table, index)
            )
        return out

    def render_drop(
        self, kind: str, table: str, name: str | None, context: RenderContext
    ) -> Sequence[Statement]:
        """``DROP TABLE``, ``ALTER TABLE ... DROP COLUMN`` or ``... DROP CONSTRAINT``."""
        qualified = context.qualified(table)
        hazards = (Hazard.DROPS_DATA, Hazard.LOCKS_WRITES, Hazard.LOCKS_READS)
        schema = context.effective_schema
        if kind == "table":
            return (
                Statement(
                    StatementKind.DROP_TABLE,
                    table,
                    f"DROP TABLE {qualified}",
                    schema=schema,
                    hazards=hazards,
                ),
            )
        assert name is not None
        what, statement_kind = (
            ("COLUMN", StatementKind.DROP_COLUMN)
            if kind == "column"
            else ("CONSTRAINT", StatementKind.DROP_CONSTRAINT)
        )
        return (
            Statement(
                statement_kind,
                name,
                f"ALTER TABLE {qualified} DROP {what} {context.quote(name)}",
                table=table,
                schema=schema,
                hazards=hazards,
            ),
        )

    def render_rename(
        self, kind: str, table: str, old: str, new: str, context: RenderContext
    ) -> Sequence[Statement]:
        """``ALTER TABLE old RENAME TO new`` or ``ALTER TABLE t RENAME COLUMN old TO new``."""
        hazards = (Hazard.RENAMES, Hazard.LOCKS_WRITES, Hazard.LOCKS_READS)
        schema = context.effective_schema
        if kind == "table":
            sql = f"ALTER TABLE {context.qualified(old)} RENAME TO {context.quote(new)}"
            return (
                Statement(StatementKind.RENAME_TABLE, new, sql, schema=schema, hazards=hazards),
            )
        sql = (
            f"ALTER TABLE {context.qualified(table)} RENAME COLUMN {context.quote(old)} TO "
            f"{context.quote(new)}"
        )
        return (
            Statement(
                StatementKind.RENAME_COLUMN, new, sql, table=table, schema=schema, hazards=hazards
            ),
        )

    def refuse_reserved_names(
        self, name: str | None, columns: Iterable[ColumnDefinition] = ()
    ) -> None:
        """Raise :class:`~whizbang_schema.IdentifierError` if the table or index ``name``
        starts with one of ``RESERVED_NAME_PREFIXES``, or one of ``columns`` is named in
        ``SYSTEM_COLUMNS`` (the generic table, index and added-column statements ask this; a
        dialect that writes its own asks it too). A helper, not a decision: the generic
        statements ask it only for names those two attributes reserve, so overriding it
        refuses nothing more there."""
        engine = self.ENGINE or self.name
        if name is not None:
            for prefix in self.RESERVED_NAME_PREFIXES:
                if name[: len(prefix)].lower() == prefix:
                    raise IdentifierError(
                        f"the name {name!r} starts with {prefix!r}, which {engine} reserves "
                        f"for its own tables and indexes",
                        dialect=self.name,
                        field="name",
                    )
        system = self.SYSTEM_COLUMNS
        if system:
            for column in columns:
                if column.name in system:
                    raise IdentifierError(
                        f"{column.name!r} is the name of a {engine} system column, which every "
                        f"table already has; choose another column name",
                        dialect=self.name,
                        column=column.name,
                        field="name",
                    )

    # == rendering ==============================================================================

    def generate_create_table(self, table: TableDefinition, prefix: str = "wh_") -> str:
        """The DDL for one table and its indexes, as a script (``ISchemaGenerator``)."""
        return self.render(table, prefix=prefix)

    def render(self, target: _Target, **settings: Any) -> str:
        """Render ``target`` as one script (see :meth:`statements`)."""
        statements = self._render(*_target(target, settings))
        self._warn(statements)
        return render_script(statements)

    def statements(self, target: _Target, **settings: Any) -> tuple[Statement, ...]:
        """Render ``target`` as statements, in the order they must run.

        ``target`` is a :class:`SchemaConfiguration`, one :class:`TableDefinition` or several.
        ``settings`` are :class:`SchemaConfiguration` fields (``prefix``, ``schema``,
        ``verbatim_names``, ``dialect_options``) applied on top. Notes on degraded statements
        are also raised as :class:`DegradedRenderWarning`.
        """
        statements = self._render(*_target(target, settings))
        self._warn(statements)
        return statements

    def clear_caches(self) -> None:
        """Forget everything this dialect has rendered: the next render asks every decision
        again. Rendering never needs this (the caches key on the frozen definitions and on
        the plugin set); it is for benchmarks and tests that compare cached with cold output."""
        self._contexts.clear()
        self._tables.clear()
        self._last_context = None

    def decisions(self) -> Decisions:
        """This dialect's decisions after the override plugins of its registry."""
        return self._current_decisions()[1]

    def _current_decisions(self) -> tuple[int, Decisions, frozenset[str]]:
        """The registry generation, the decisions and which of them are the generic methods,
        read as one (another thread may make new decisions between two reads)."""
        registry = self._registry
        generation = registry.generation if registry is not None else 0
        cached = self._decisions
        if cached is None or cached[0] != generation:
            made = registry.decisions_for(self) if registry is not None else Decisions.direct(self)
            cached = self._decisions = (generation, made, _generic_decisions(made))
        return cached

    def context(self, configuration: SchemaConfiguration) -> RenderContext:
        """The render context for ``configuration`` (cached; options checked here)."""
        _, decisions, generic = self._current_decisions()
        last = self._last_context
        if last is not None and last[0] is configuration and last[1] is decisions:
            return last[2]  # the configuration asked last (render(table)'s default one)
        options = configuration.options_for(self.name) if configuration.dialect_options else {}
        key = (
            id(decisions),
            configuration.prefix,
            configuration.schema,
            configuration.verbatim_names,
            # With each value's type: True == 1 == 1.0, but only True is a flag's value.
            tuple([(name, value.__class__, value) for name, value in sorted(options.items())])
            if options
            else (),
        )
        context = self._contexts.get(key)
        if context is None:
            if len(self._contexts) > 64 or self._contexts_for is not decisions:
                self.clear_caches()
                self._contexts_for = decisions
            info = self.info
            # resolve_options answers () for a dialect without options given none.
            resolved = info.resolve_options(options) if options or info.options else ()
            types, functions, suffix = self.TYPES, self.FUNCTIONS, ""
            for option in resolved:
                if option in self.OPTION_TYPES:
                    types = {**types, **self.OPTION_TYPES[option]}
                if option in self.OPTION_FUNCTIONS:
                    functions = {**functions, **self.OPTION_FUNCTIONS[option]}
                suffix += self.OPTION_TABLE_SUFFIXES.get(option, "")
            context = RenderContext(
                info,
                decisions,
                prefix=configuration.prefix,
                schema=configuration.schema,
                verbatim_names=configuration.verbatim_names,
                options=resolved,
                owner=self,
                generic_quoting="quote_identifier" in generic,
                generic=generic,
                types=types,
                functions=functions,
                table_suffix=suffix,
                sole_key_types=bool(self.SOLE_KEY_TYPES),
            )
            self._contexts[key] = context
        self._last_context = (configuration, decisions, context)
        return context

    def _warn(self, statements: tuple[Statement, ...]) -> None:
        for statement in statements:
            for note in statement.notes:
                warnings.warn(DegradedRenderWarning(f"{self.name}: {note}"), stacklevel=3)

    def _render(
        self, configuration: SchemaConfiguration, tables: tuple[TableDefinition, ...]
    ) -> tuple[Statement, ...]:
        if self._registry is not None:
            self._registry.check_usable()
        context = self.context(configuration)
        if len(tables) == 1 and configuration.schema is None and not tables[0].foreign_keys:
            # A lone table (the usual render(table)): nothing to order, no other table's
            # names to compare with; only its own must differ (else the long way, which
            # raises the error).
            cached = self._cached(tables[0], context)
            if cached.distinct:
                if cached.statements is None:
                    cached.statements = self._render_table(cached.table, context)
                return cached.statements
        out: list[Statement] = []
        if configuration.schema is not None:
            out.extend(context.render_create_schema(configuration.schema))
        deferred: dict[str, tuple[ForeignKeyDefinition, ...]] = {}
        if any(t.foreign_keys for t in tables):
            self.check_tables(tables, context)
            tables, deferred = creation_order(tables)
            if not context.capabilities.add_constraint:
                deferred = {}  # declared in CREATE TABLE: SQLite resolves them when rows change
        owners: dict[str, TableDefinition] = {}
        for table in tables:
            cached = self._cached(table, context)
            names = cached.names
            if cached.distinct and owners.keys().isdisjoint(names):
                owners.update(dict.fromkeys(names, table))  # the usual case, in one step
            else:
                for key in names:
                    if key in owners:
                        _name_collision(context, owners[key], table, key)
                    owners[key] = table
            later = deferred.get(table.name)
            if later:
                # Created without the keys to tables still to come (a cycle): added below.
                kept = tuple(fk for fk in table.foreign_keys if fk not in later)
                cached = self._cached(attrs.evolve(table, foreign_keys=kept), context)
            if cached.statements is None:
                cached.statements = self._render_table(cached.table, context)
            out.extend(cached.statements)
        for table in tables:
            for foreign_key in deferred.get(table.name, ()):
                try:
                    out.extend(context.render_add_constraint(table, foreign_key))
                except RenderError as exc:
                    raise exc.located(table=table.name) from None
        return tuple(out)

    def _cached(self, table: TableDefinition, context: RenderContext) -> _Cached:
        """The cache entry of ``table`` in ``context``: keyed on the context (which lives as
        long as the entry) and on the frozen definition, so an equal table finds it too.

        Entries are grouped by table name (equal tables have equal names) and compared by
        equality within the group, so a table is never hashed: hashing a new definition
        costs about as much as comparing an equal one, and a new table needs neither.
        """
        key = (id(context), table.name)
        group = self._tables.get(key)
        if group is None:
            tables = self._tables
            if len(tables) >= _TABLES_KEPT:
                with contextlib.suppress(KeyError):  # emptied meanwhile (clear_caches)
                    tables.popitem(last=False)  # the longest kept: bounded for long runs
            group = tables[key] = []
        else:
            for cached in group:
                if cached.table is table or (
                    cached.table == table
                    and (cached.numeric_defaults is False or cached.written_alike(table))
                ):
                    return cached
            if len(group) >= _SAME_NAME:
                del group[0]  # the oldest of many versions of one table
        cached = _Cached(table, context)
        group.append(cached)
        return cached

    def _render_table(
        self, table: TableDefinition, context: RenderContext
    ) -> tuple[Statement, ...]:
        context.check_limits(table)
        # context.render_create_table and render_index, without a call through them each,
        # and the generic methods' work without a call at all when they are the decisions.
        decisions = context.decisions
        generic = context._generic
        try:
            if "render_create_table" in generic:
                if self.RESERVED_NAME_PREFIXES or self.SYSTEM_COLUMNS:
                    self.refuse_reserved_names(context.prefix + table.name, table.columns)
                statements = [
                    created(
                        StatementKind.CREATE_TABLE,
                        context.prefix + table.name,
                        context.create_table_sql(table, suffix=context.table_suffix),
                        None,
                        context.effective_schema,
                        self._rounded_decimals(table, table.columns, context)
                        if self.DECIMAL_DIGITS is not None
                        else (),
                    )
                ]
            else:
                result = decisions.render_create_table(table, context)
                if type(result) is Statement:  # the usual answer, without describing it
                    statements = [result]
                else:
                    statements = list(
                        as_statements(result, f"table {table.name!r}", context.dialect)
                    )
            if table.indexes:
                if "render_index" in generic:
                    self._generic_indexes(table, context, statements)
                else:
                    self._asked_indexes(table, context, statements)
        except RenderError as exc:
            raise exc.located(table=table.name) from None
        return tuple(statements)

    def _asked_indexes(
        self, table: TableDefinition, context: RenderContext, statements: list[Statement]
    ) -> None:
        """Append each index's statements from the ``render_index`` decision."""
        render_index = context.decisions.render_index
        for index in table.indexes:
            result = render_index(table, index, context)
            if type(result) is Statement:
                statements.append(result)
            else:
                statements.extend(as_statements(result, f"index {index.name!r}", context.dialect))

    def _generic_indexes(
        self, table: TableDefinition, context: RenderContext, statements: list[Statement]
    ) -> None:
        """Append each index's statement as :meth:`render_index` writes it, without a call per
        index: only when that decision is the generic method (an index the engine cannot
        make partial still goes through it, for its note)."""
        prefix = context.prefix
        verbatim = context.verbatim_names
        table_name = prefix + table.name
        capabilities = context.capabilities
        partial = capabilities.partial_indexes
        index_qualified = capabilities.schema_qualified_index_names
        quoted, qualified = context._quoted, context._qualified
        schema = context.effective_schema
        reserved = self.RESERVED_NAME_PREFIXES
        if reserved and not verbatim and prefix.isascii() and not _may_start(prefix, reserved):
            reserved = ()  # no prefixed name can start with a reserved prefix
        for index in table.indexes:
            where = index.where
            if where is not None and not partial:
                statements.append(self._one(self.render_index(table, index, context)))
                continue
            name = index.name if verbatim else prefix + index.name
            if reserved:
                for start in reserved:
                    if name[: len(start)].lower() == start:
                        self.refuse_reserved_names(name)  # raises
            if index_qualified:
                index_sql = qualified.get(name) or context.qualified(name)
                table_sql = quoted.get(table_name) or context.quote(table_name)
            else:
                index_sql = quoted.get(name) or context.quote(name)
                table_sql = qualified.get(table_name) or context.qualified(table_name)
            columns = index.columns
            if len(columns) == 1:
                columns_sql = quoted.get(columns[0]) or context.quote(columns[0])
            else:  # context.quote_list(columns), without the call when all are known
                known = list(map(quoted.get, columns))
                columns_sql = (
                    ", ".join(known)  # type: ignore[arg-type]  # no None in it
                    if None not in known
                    else context.quote_list(columns)
                )
            if where is None:
                sql = (
                    f"CREATE {'UNIQUE ' if index.unique else ''}INDEX IF NOT EXISTS {index_sql} "
                    f"ON {table_sql} ({columns_sql})"
                )
            else:
                # context.render_predicate(table, index), without the call
                predicate = index.predicate
                assert predicate is not None
                names = []
                for token in predicate.column_refs:
                    column = table.resolve_column(token.value, token.kind is TokenKind.QUOTED)
                    assert column is not None  # checked when the table was built
                    names.append(quoted.get(column.name) or context.quote(column.name))
                sql = (
                    f"CREATE {'UNIQUE ' if index.unique else ''}INDEX IF NOT EXISTS "
                    f"{index_sql} ON {table_sql} ({columns_sql}) WHERE "
                    f"{predicate.with_columns(names)}"
                )
            statements.append(
                created(StatementKind.CREATE_INDEX, name, sql, table_name, schema, ())
            )

    @staticmethod
    def _one(result: Statement | Sequence[Statement]) -> Statement:
        assert isinstance(result, Statement)  # the generic render_index's answer
        return result


#: The decisions whose generic answers the core gives itself in their common cases (see
#: ``RenderContext`` and ``Dialect._render_table``), when no override replaces them.
_INLINED: Final = (
    "quote_identifier",
    "render_column",
    "render_type",
    "render_default",
    "render_literal",
    "render_create_table",
    "render_index",
)


def _generic_decisions(decisions: Decisions) -> frozenset[str]:
    """The decisions of ``decisions`` that are :class:`Dialect`'s own methods, unchanged: no
    override plugin, no method of the dialect's class or its parents but the generic one."""
    return frozenset(
        name
        for name in _INLINED
        if getattr(getattr(decisions, name), "__func__", None) is getattr(Dialect, name)
    )


#: Defaults whose values compare equal yet are written differently: ``Decimal("1.0")`` and
#: ``Decimal("1.00")``, ``0.0`` and ``-0.0``.
_NUMERIC_DEFAULTS: Final = (DecimalDefault, DoubleDefault)
_NUMERIC_DEFAULT_CLASSES: Final = frozenset(_NUMERIC_DEFAULTS)
_default: Final = operator.attrgetter("default")


def _defaults_written_alike(cached: TableDefinition, table: TableDefinition) -> bool:
    """Whether two equal tables' defaults are also written alike: an equal table may hold a
    default of an equal value that renders otherwise, and must not get the other's SQL."""
    for default, theirs in zip(
        map(_default, cached.columns), map(_default, table.columns), strict=True
    ):
        if isinstance(default, _NUMERIC_DEFAULTS):
            assert isinstance(theirs, _NUMERIC_DEFAULTS)  # equal tables: equal kinds
            if repr(default.value) != repr(theirs.value):
                return False
    return True


def _default_of(column: LiveColumn) -> DefaultValue | None:
    # DEFAULT NULL is what a nullable column has anyway (as the diff reads it).
    return None if isinstance(column.default, NullDefault) else column.default


def alter_statement(
    context: RenderContext,
    table: TableDefinition,
    column: str,
    clause: str,
    hazards: tuple[str, ...],
) -> Statement:
    """``ALTER TABLE t ALTER COLUMN c <clause>`` as a statement with ``hazards``."""
    return Statement(
        StatementKind.ALTER_COLUMN,
        column,
        f"ALTER TABLE {context.qualified_table(table)} ALTER COLUMN {context.quote(column)} "
        f"{clause}",
        table=context.table_name(table),
        schema=context.effective_schema,
        hazards=hazards,
    )


def _name_collision(
    context: RenderContext, first: TableDefinition, second: TableDefinition, key: str
) -> None:
    """Raise the :class:`DefinitionError` for two objects named ``key`` (casefolded)."""
    found = [
        (name, what)
        for table in ((first, second) if first is not second else (first,))
        for name, what in context.object_names(table)
        if name.casefold() == key
    ]
    (_, what), (name, other) = found[0], found[-1]
    raise DefinitionError(
        f"{other} and {what} would both be named {name!r} in the database; "
        f"the second would be silently skipped",
        table=second.name,
        field="name",
    )


class _Cached:
    """What a dialect keeps of one table rendered in one context: the table, the casefolded
    names it puts in the catalog (built when first asked), and its statements once rendered."""

    __slots__ = ("_distinct", "_names", "context", "numeric_defaults", "statements", "table")

    def __init__(self, table: TableDefinition, context: RenderContext) -> None:
        self.table = table
        self.context = context
        self._names: tuple[str, ...] | None = None
        self._distinct: bool | None = None
        self.statements: tuple[Statement, ...] | None = None
        #: Whether the table has a DECIMAL or DOUBLE default (``None``: not asked yet), whose
        #: equal values may be written otherwise (see :meth:`written_alike`).
        self.numeric_defaults: bool | None = None

    def written_alike(self, table: TableDefinition) -> bool:
        """Whether ``table``, equal to this entry's, also writes its defaults alike (an
        equal ``Decimal`` or float may be spelt otherwise: ``1.0`` and ``1.00``, ``-0.0``)."""
        if self.numeric_defaults is None:
            self.numeric_defaults = not _NUMERIC_DEFAULT_CLASSES.isdisjoint(
                map(type, map(_default, self.table.columns))
            )
        return not self.numeric_defaults or _defaults_written_alike(self.table, table)

    @property
    def names(self) -> tuple[str, ...]:
        """The casefolded catalog names (``RenderContext.catalog_keys``)."""
        names = self._names
        if names is None:
            names = self._names = self.context.catalog_keys(self.table)
        return names

    @property
    def distinct(self) -> bool:
        """Whether the table's own names differ from each other."""
        distinct = self._distinct
        if distinct is None:
            distinct = _own_names_differ(self.table, self.context)
            if not distinct:  # perhaps: compare the names themselves
                names = self.names
                distinct = len(set(names)) == len(names)
            self._distinct = distinct
        return distinct


def _may_start(prefix: str, reserved: tuple[str, ...]) -> bool:
    """Whether a name that starts with the ASCII ``prefix`` may start with one of
    ``reserved`` (lower case, compared as ``name[:len(start)].lower() == start``): only if
    ``prefix``'s first ``len(start)`` characters, in lower case, begin ``start`` (ASCII
    letters lower one by one, whatever follows them)."""
    return any(start.startswith(prefix[: len(start)].lower()) for start in reserved)


def _own_names_differ(table: TableDefinition, context: RenderContext) -> bool:
    """Whether ``table``'s catalog names certainly differ, decided without building them
    (``False``: perhaps not; compare them).

    Without ``verbatim_names`` every name is the prefix and then either the table's name
    (the table, ``_pkey``, unique-column keys, named defaults: all different, as the
    columns' casefolded names are), or an index, constraint, foreign key or CHECK name
    (different from each other, casefolded: checked when the table was built). Casefolding
    goes character by character, so such a name can equal one of the first kind only if
    it starts with the table's name, casefolded.
    """
    if context.verbatim_names:
        return False
    names = [index.name for index in table.indexes]
    if table.unique_constraints or table.foreign_keys or table.checks:
        for group in (table.unique_constraints, table.foreign_keys, table.checks):
            names.extend([item.name for item in group])
    # One casefold for all, NUL between them (a NUL in a name only makes this answer "perhaps").
    return "\0" + table.name.casefold() not in ("\0" + "\0".join(names)).casefold()


#: How many different tables of one name a context keeps (definitions being edited).
_SAME_NAME: Final = 8

#: How many table names a dialect keeps rendered statements for (about 9 KiB each for the
#: outbox): a process that renders ever new tables (a prefix or name per tenant, per test)
#: would otherwise keep every one it ever rendered.
_TABLES_KEPT: Final = 4096

_defaults: list[SchemaConfiguration] = []


def _target(
    target: _Target, settings: dict[str, Any]
) -> tuple[SchemaConfiguration, tuple[TableDefinition, ...]]:
    """The configuration to render and its tables."""
    if not settings and isinstance(target, TableDefinition):
        # One table with the default settings: what SchemaConfiguration(tables=(target,))
        # holds and checks (one table cannot collide with another), without making one.
        if not _defaults:
            _defaults.append(SchemaConfiguration(tables=()))
        return _defaults[0], (target,)
    configuration = _configuration(target, settings)
    return configuration, configuration.tables


def _configuration(target: _Target, settings: dict[str, Any]) -> SchemaConfiguration:
    try:
        if isinstance(target, SchemaConfiguration):
            return attrs.evolve(target, **settings) if settings else target
        if isinstance(target, TableDefinition):
            return SchemaConfiguration(tables=(target,), **settings)
        return SchemaConfiguration(tables=tuple(target), **settings)
    except TypeError as exc:
        raise TypeError(f"unknown rendering setting: {exc}") from None
