"""The render context: everything a hook needs to know besides the definition it renders.

A context binds one dialect to one set of settings (prefix, schema, naming mode, options) and
gives hook implementations the shared building blocks: derived names, identifier quoting with
length checks, and calls into the other hooks. Quoted identifiers are cached on the context
(a name recurs in many statements); whole tables are cached by the
:class:`~whizbang_schema.Dialect`, keyed on the context and the frozen table definition, so a
column's type, default and definition are asked of the hooks once per table and context.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from ..model.capabilities import PLAIN_BARE_IDENTIFIER, Capabilities, DialectInfo, OptionValue
from ..model.catalog import LiveIndex, LiveTable
from ..model.columntypes import ColumnType, as_column_type
from ..model.constraints import CheckDefinition, ForeignKeyDefinition
from ..model.datatypes import DefaultValueFunction, WhizbangDataType
from ..model.defaults import BooleanDefault, DefaultValue, FunctionDefault, IntegerDefault
from ..model.definitions import (
    ColumnDefinition,
    IndexDefinition,
    TableDefinition,
    UniqueConstraintDefinition,
)
from ..model.errors import (
    DefinitionError,
    IdentifierError,
    RenderError,
    UnsupportedFeatureError,
)
from ..model.predicate import Token, TokenKind
from .statements import Statement, as_statements

_bare_pattern = functools.lru_cache(maxsize=64)(re.compile)
_unique = operator.attrgetter("unique")

__all__ = ["RenderContext"]

#: How many quoted (and qualified) names a context keeps: past it they are forgotten and
#: quoted again when met, so a process rendering ever new names stays bounded.
_NAMES_KEPT: Final = 65536


class RenderContext:
    """One dialect with one set of settings. Built by :class:`~whizbang_schema.Dialect`."""

    __slots__ = (
        "_ascii_limit",
        "_bare",
        "_calls",
        "_generic",
        "_generic_quoting",
        "_inline_column",
        "_inline_default",
        "_inline_literal",
        "_inline_type",
        "_max_bytes",
        "_max_chars",
        "_parsed",
        "_plain_bare",
        "_qualified",
        "_quoted",
        "_reserved",
        "_short",
        "_sole_key",
        "capabilities",
        "decisions",
        "dialect",
        "effective_schema",
        "functions",
        "info",
        "options",
        "owner",
        "prefix",
        "schema",
        "table_suffix",
        "types",
        "verbatim_names",
    )

    def __init__(
        self,
        info: DialectInfo,
        decisions: Any,
        *,
        prefix: str,
        schema: str | None,
        verbatim_names: bool,
        options: tuple[tuple[str, OptionValue], ...],
        owner: Any = None,
        generic_quoting: bool = False,
        generic: frozenset[str] = frozenset(),
        types: Mapping[WhizbangDataType, str] | None = None,
        functions: Mapping[DefaultValueFunction, str] | None = None,
        table_suffix: str = "",
        sole_key_types: bool = False,
    ) -> None:
        self.info = info
        self.dialect: str = info.name
        self.capabilities: Capabilities = info.capabilities
        self.prefix = prefix
        self.schema = schema
        self.verbatim_names = verbatim_names
        self.options = options
        self._calls = decisions
        #: The dialect's decisions under its plugins, each a plain function of the hook's
        #: arguments without ``dialect`` (``context.decisions.render_type(column, table,
        #: context)``): what the methods below call, for a dialect's hot paths, which then
        #: check for ``None`` and locate errors themselves.
        self.decisions = decisions
        #: The dialect object that made this context (it renders whole tables).
        self.owner = owner
        self._quoted: dict[str, str] = {}
        self._qualified: dict[str, str] = {}
        self._parsed: dict[tuple[object, ...], Any] = {}
        caps = self.capabilities
        #: The configured schema, else the dialect's default schema (SQL Server: ``dbo``).
        self.effective_schema: str | None = schema if schema is not None else caps.default_schema
        # Asked for every name: resolved once here rather than per call.
        self._bare = _bare_pattern(caps.bare_identifier).fullmatch
        #: Whether bare names are the default pattern, which string methods test faster
        #: than the regular expression (see ``Dialect.quote_identifier``).
        self._plain_bare = caps.bare_identifier == PLAIN_BARE_IDENTIFIER
        #: Whether the ``quote_identifier`` decision is the generic one (no override plugin,
        #: no dialect method of its own), whose answer for a plain bare name :meth:`quote`
        #: gives without the call.
        self._generic_quoting = generic_quoting and self._plain_bare
        # The decisions in ``generic`` are the generic methods of the dialect's base class
        # (no override plugin, no method of the dialect's own; decided when the context is
        # made): table_elements answers their common cases itself, from the dialect's
        # ``types`` and ``functions``, and asks the decision for anything else.
        #: The decisions that are the generic methods (for the dialect's own fast paths).
        self._generic = generic
        self._inline_column = "render_column" in generic
        self._inline_type = "render_type" in generic
        self._inline_default = "render_default" in generic
        self._inline_literal = "render_literal" in generic
        #: Whether the dialect has ``SOLE_KEY_TYPES`` (a sole key column's type: the method).
        self._sole_key = sole_key_types
        #: The dialect's ``TYPES`` under this context's options (``OPTION_TYPES``).
        self.types: Mapping[WhizbangDataType, str] = {} if types is None else types
        #: What follows ``CREATE TABLE (...)`` under this context's options
        #: (``OPTION_TABLE_SUFFIXES``).
        self.table_suffix = table_suffix
        #: The dialect's ``FUNCTIONS`` under this context's options (``OPTION_FUNCTIONS``).
        self.functions: Mapping[DefaultValueFunction, str] = {} if functions is None else functions
        self._reserved = caps.reserved_words
        self._max_bytes = max_bytes = caps.max_identifier_bytes
        self._max_chars = max_chars = caps.max_identifier_chars
        unlimited = 1 << 62
        # No character takes more than four UTF-8 bytes or two UTF-16 units.
        self._short = min(
            unlimited if max_bytes is None else max_bytes // 4,
            unlimited if max_chars is None else max_chars // 2,
        )
        self._ascii_limit = min(
            unlimited if max_bytes is None else max_bytes,
            unlimited if max_chars is None else max_chars,
        )

    def __repr__(self) -> str:
        return (
            f"RenderContext(dialect={self.dialect!r}, prefix={self.prefix!r}, "
            f"schema={self.schema!r}, verbatim_names={self.verbatim_names}, options={self.options})"
        )

    @property
    def hook(self) -> Any:
        """The 0.1 way to ask another decision: ``context.hook.whizbang_schema_<hook>(...)``
        answers through this context's dialect (prefer the context's own methods)."""
        return self._calls.relay

    # -- settings ---------------------------------------------------------------------------

    def option(self, name: str) -> OptionValue:
        """The value of this dialect's option ``name`` (its default when not given)."""
        for key, value in self.options:
            if key == name:
                return value
        raise KeyError(f"{self.dialect} has no option {name!r}")

    def needs_quoting(self, name: str) -> bool:
        """Whether ``name`` must be quoted: reserved in the dialect, or not a plain bare name
        (``Capabilities.bare_identifier``)."""
        return self._bare(name) is None or name.lower() in self._reserved

    def unsupported(
        self,
        reason: str,
        *,
        table: str | None = None,
        column: str | None = None,
        field: str | None = None,
    ) -> UnsupportedFeatureError:
        """Build an :class:`UnsupportedFeatureError` for this dialect (for hooks to raise)."""
        return UnsupportedFeatureError(
            reason, dialect=self.dialect, table=table, column=column, field=field
        )

    def drop_predicate(self, table: TableDefinition, index: IndexDefinition, why: str) -> str:
        """Decide what to do with a predicate this dialect cannot express.

        A non-unique index may lose its predicate: it then covers every row, answers the same
        queries and is only larger; the returned note says so (it becomes a
        :class:`~whizbang_schema.DegradedRenderWarning`). A unique index may not: without the
        predicate it would reject rows the definition allows, so this raises
        :class:`UnsupportedFeatureError`.
        """
        if index.unique:
            raise self.unsupported(
                f"unique index {index.name!r} is partial (WHERE {index.where}), and "
                f"{self.dialect} cannot express that predicate: {why}; without it the index "
                f"would reject rows the definition allows",
                table=table.name,
                field="where",
            )
        return (
            f"index {index.name!r} on {table.name!r} is rendered without its predicate "
            f"(WHERE {index.where}) because {self.dialect} cannot express it: {why}; it covers "
            f"every row and answers the same queries"
        )

    def check_limits(self, table: TableDefinition) -> None:
        """Raise :class:`UnsupportedFeatureError` if ``table`` exceeds the engine's column
        limits (columns per table, columns per key or index)."""
        caps = self.capabilities
        if caps.max_columns is not None and len(table.columns) > caps.max_columns:
            raise self.unsupported(
                f"{len(table.columns)} columns; {self.dialect} allows at most {caps.max_columns}",
                table=table.name,
                field="columns",
            )
        limit = caps.max_index_columns
        if limit is None:
            return
        widest = len(table.primary_key)
        for group in (table.unique_constraints, table.indexes):
            for item in group:
                if len(item.columns) > widest:
                    widest = len(item.columns)
        if widest <= limit:
            return  # the common case, without building the messages below
        keys: list[tuple[str, tuple[str, ...], str]] = [
            ("the primary key", table.primary_key, "columns")
        ]
        keys.extend(
            (f"unique constraint {u.name!r}", u.columns, "unique_constraints")
            for u in table.unique_constraints
        )
        keys.extend((f"index {i.name!r}", i.columns, "indexes") for i in table.indexes)
        for what, columns, field in keys:
            if len(columns) > limit:
                raise self.unsupported(
                    f"{what} has {len(columns)} columns; {self.dialect} allows at most {limit}",
                    table=table.name,
                    field=field,
                )

    # -- names as the catalog stores them ---------------------------------------------------

    def table_name(self, table: TableDefinition) -> str:
        """``prefix + table.name``."""
        return self.prefix + table.name

    def index_name(self, table: TableDefinition, index: IndexDefinition) -> str:
        """The index's name, prefixed so that several prefixes coexist in one database.

        With ``verbatim_names`` it is kept as defined, for databases the C# original created.
        """
        return index.name if self.verbatim_names else self.prefix + index.name

    def constraint_name(
        self, table: TableDefinition, constraint: UniqueConstraintDefinition
    ) -> str:
        """A unique constraint's name, prefixed like an index's."""
        return constraint.name if self.verbatim_names else self.prefix + constraint.name

    def foreign_key_name(self, table: TableDefinition, foreign_key: ForeignKeyDefinition) -> str:
        """A foreign key's name, prefixed like a unique constraint's."""
        return foreign_key.name if self.verbatim_names else self.prefix + foreign_key.name

    def check_name(self, table: TableDefinition, check: CheckDefinition) -> str:
        """A CHECK constraint's name, prefixed like a unique constraint's."""
        return check.name if self.verbatim_names else self.prefix + check.name

    def referenced_table_name(self, foreign_key: ForeignKeyDefinition) -> str:
        """The stored name of the table ``foreign_key`` references: prefixed, like its own."""
        return self.prefix + foreign_key.references_table

    def primary_key_name(self, table: TableDefinition) -> str:
        """``<table>_pkey``; it carries the prefix through the table name."""
        return f"{self.prefix}{table.name}_pkey"

    def unique_column_name(self, table: TableDefinition, column: ColumnDefinition) -> str:
        """The constraint of a ``unique=True`` column: ``<table>_<column>_key``."""
        return f"{self.prefix}{table.name}_{column.name}_key"

    def default_constraint_name(self, table: TableDefinition, column: ColumnDefinition) -> str:
        """A named DEFAULT constraint (SQL Server): ``<table>_<column>_default``."""
        return f"{self.prefix}{table.name}_{column.name}_default"

    def object_names(self, table: TableDefinition) -> list[tuple[str, str]]:
        """Every name ``table`` puts in the catalog, with what it names.

        Used to refuse two objects with one name: most engines would keep the first and
        silently skip the second (``IF NOT EXISTS`` only looks at the name).
        """
        names = [(self.table_name(table), f"table {table.name!r}")]
        if table.primary_key:
            names.append((self.primary_key_name(table), f"the primary key of {table.name!r}"))
        for column in self._unique_columns(table):
            names.append(
                (
                    self.unique_column_name(table, column),
                    f"unique column {table.name}.{column.name}",
                )
            )
        for constraint in table.unique_constraints:
            names.append(
                (self.constraint_name(table, constraint), f"unique constraint {constraint.name!r}")
            )
        for index in table.indexes:
            names.append((self.index_name(table, index), f"index {index.name!r}"))
        for foreign_key in table.foreign_keys:
            names.append(
                (self.foreign_key_name(table, foreign_key), f"foreign key {foreign_key.name!r}")
            )
        for check in table.checks:
            names.append((self.check_name(table, check), f"check {check.name!r}"))
        if self.capabilities.named_defaults:
            names.extend(
                (self.default_constraint_name(table, c), f"the default of {table.name}.{c.name}")
                for c in table.columns
                if c.default is not None
            )
        return names

    def catalog_keys(self, table: TableDefinition) -> tuple[str, ...]:
        """The names of :meth:`object_names`, casefolded, in the same order: what the
        duplicate-name check compares (the descriptions are only built for its error)."""
        prefix = self.prefix
        table_name = prefix + table.name
        keys = [table_name]
        key = table.primary_key
        if key:
            keys.append(table_name + "_pkey")
        sole_key = key[0] if len(key) == 1 else None  # as _unique_columns, in one loop
        named_defaults = self.capabilities.named_defaults
        defaults = []
        for c in table.columns:
            if c.unique and c.name != sole_key:
                keys.append(f"{table_name}_{c.name}_key")
            if named_defaults and c.default is not None:
                defaults.append(f"{table_name}_{c.name}_default")
        verbatim = self.verbatim_names
        keys.extend([u.name if verbatim else prefix + u.name for u in table.unique_constraints])
        keys.extend([i.name if verbatim else prefix + i.name for i in table.indexes])
        if table.foreign_keys or table.checks:
            keys.extend(
                [f.name if verbatim else prefix + f.name for f in table.foreign_keys]
                + [c.name if verbatim else prefix + c.name for c in table.checks]
            )
        keys.extend(defaults)
        # One casefold for all (a NUL never casefolds into or out of anything): the keys
        # are new for every new table.
        folded = "\0".join(keys).casefold().split("\0")
        if len(folded) != len(keys):  # a NUL in a name: never checked in, but be exact
            folded = [key.casefold() for key in keys]
        return tuple(folded)

    # -- SQL spellings ----------------------------------------------------------------------

    def check_identifier(self, name: str) -> None:
        """Raise :class:`IdentifierError` if ``name`` exceeds the dialect's limit."""
        # The common case, decided on the length alone: no character takes more than four
        # UTF-8 bytes or two UTF-16 units.
        size, max_bytes, max_chars = len(name), self._max_bytes, self._max_chars
        if (max_bytes is None or size <= max_bytes // 4) and (
            max_chars is None or size <= max_chars // 2
        ):
            return
        caps = self.capabilities
        if caps.max_identifier_bytes is not None:
            size = len(name.encode("utf-8"))
            if size > caps.max_identifier_bytes:
                raise IdentifierError(
                    f"the name {name!r} is {size} bytes in UTF-8; {self.dialect} allows at most "
                    f"{caps.max_identifier_bytes} and names are never truncated (shorten the "
                    f"prefix or the name)",
                    dialect=self.dialect,
                    field="name",
                )
        # UTF-16 code units: a character outside the BMP takes two of nvarchar's characters.
        if caps.max_identifier_chars is not None and (
            len(name) > caps.max_identifier_chars // 2
            and (chars := len(name.encode("utf-16-le")) // 2) > caps.max_identifier_chars
        ):
            wide = " (outside the BMP a character counts two)" if chars != len(name) else ""
            raise IdentifierError(
                f"the name {name!r} is {chars} characters{wide}; {self.dialect} allows at most "
                f"{caps.max_identifier_chars} and names are never truncated (shorten the prefix "
                f"or the name)",
                dialect=self.dialect,
                field="name",
            )

    def quote(self, name: str) -> str:
        """``name`` as SQL: checked against the length limit, quoted only when needed."""
        quoted = self._quoted.get(name)
        if quoted is None:
            size = len(name)
            if self._generic_quoting and name.isascii():
                if size > self._ascii_limit:  # one byte, one UTF-16 unit a character
                    self.check_identifier(name)
                # An ASCII identifier in lower case (names without letters ask the decision)
                # and not reserved: the generic quote_identifier's answer, without the call.
                if name.isidentifier() and name.islower() and name not in self._reserved:
                    quoted = name
                else:
                    quoted = self._calls.quote_identifier(name, self)
            else:
                # check_identifier's common cases, decided here: a name short enough in any
                # encoding, or an ASCII one within the limit.
                if size > self._short and (size > self._ascii_limit or not name.isascii()):
                    self.check_identifier(name)
                quoted = self._calls.quote_identifier(name, self)
            if quoted is None:
                raise self.unsupported(f"no plugin quotes identifiers for {self.dialect}")
            if len(self._quoted) >= _NAMES_KEPT:
                self._quoted.clear()  # bounded: a long run of new names would keep them all
            self._quoted[name] = quoted
        return quoted

    def quote_list(self, names: tuple[str, ...]) -> str:
        """``a, b, c`` with each name quoted as needed."""
        quoted = self._quoted  # names seen before, without a call each
        if len(names) == 1:
            return quoted.get(names[0]) or self.quote(names[0])
        known = list(map(quoted.get, names))  # all seen before: the usual case, in C
        if None not in known:
            return ", ".join(known)  # type: ignore[arg-type]  # no None in it
        return ", ".join([quoted.get(name) or self.quote(name) for name in names])

    def qualified(self, name: str) -> str:
        """``name`` quoted and qualified with the effective schema, if any."""
        sql = self._qualified.get(name)  # a table's name recurs in each of its statements
        if sql is None:
            schema = self.effective_schema
            sql = f"{self.quote(schema)}.{self.quote(name)}" if schema else self.quote(name)
            if len(self._qualified) >= _NAMES_KEPT:
                self._qualified.clear()
            self._qualified[name] = sql
        return sql

    def qualified_table(self, table: TableDefinition) -> str:
        """The table's full name as SQL, schema-qualified when a schema applies."""
        return self.qualified(self.prefix + table.name)

    def string_literal(self, value: str, *, prefix: str = "") -> str:
        """``value`` as a single-quoted SQL string, quotes doubled (``prefix`` e.g. ``N``)."""
        return prefix + "'" + value.replace("'", "''") + "'"

    # -- calls into the other hooks ---------------------------------------------------------

    def _located(
        self, exc: RenderError, table: TableDefinition, column: ColumnDefinition | None
    ) -> RenderError:
        return exc.located(table=table.name, column=None if column is None else column.name)

    def render_type(self, column: ColumnDefinition, table: TableDefinition) -> str:
        """The column's SQL type, from the ``whizbang_schema_render_type`` hooks."""
        try:
            sql: str | None = self._calls.render_type(column, table, self)
        except RenderError as exc:
            raise self._located(exc, table, column) from None
        if sql is None:
            raise self.type_refused(column, table)
        return sql

    def type_refused(
        self, column: ColumnDefinition, table: TableDefinition
    ) -> UnsupportedFeatureError:
        """The error for a column type no decision rendered (``None`` from all of them)."""
        return UnsupportedFeatureError(
            f"no plugin renders type {column.data_type.name}",
            dialect=self.dialect,
            table=table.name,
            column=column.name,
            field="data_type",
        )

    def default_refused(
        self, column: ColumnDefinition, table: TableDefinition
    ) -> UnsupportedFeatureError:
        """The error for a column default no decision rendered (``None`` from all of them)."""
        return UnsupportedFeatureError(
            f"no plugin renders the default {column.default!r}",
            dialect=self.dialect,
            table=table.name,
            column=column.name,
            field="default",
        )

    def render_default(self, column: ColumnDefinition, table: TableDefinition) -> str | None:
        """The column default's SQL expression, or ``None`` when it has no default."""
        default: DefaultValue | None = column.default
        if default is None:
            return None
        try:
            sql: str | None = self._calls.render_default(column, default, table, self)
        except RenderError as exc:
            raise self._located(exc, table, column) from None
        if sql is None:
            raise self.default_refused(column, table)
        return sql

    def parse_type(self, sql_type: str) -> ColumnType | None:
        """Map a SQL type back through the ``parse_type`` hooks (``None``: not known).

        A hook written for 0.1 answers a ``(WhizbangDataType, max_length)`` pair; it is read
        as the type value it means.
        """
        key = ("parse_type", sql_type)
        if key not in self._parsed:
            self._parsed[key] = as_column_type(self._calls.parse_type(sql_type, self))
        result: ColumnType | None = self._parsed[key]
        return result

    def parse_default(self, sql: str, data_type: WhizbangDataType | None) -> DefaultValue | None:
        """Map a default expression back through the ``parse_default`` hooks; ``None`` (an
        unreadable default, reported as drift) when it reads as no value a definition may
        hold, such as text with a NUL in it (MariaDB prints a BYTES default 00FF as '\\0?')."""
        key = ("parse_default", sql, data_type)
        if key not in self._parsed:
            try:
                self._parsed[key] = self._calls.parse_default(sql, data_type, self)
            except DefinitionError:
                self._parsed[key] = None
        result: DefaultValue | None = self._parsed[key]
        return result

    def render_literal(self, column: ColumnDefinition, value: object) -> str:
        """``value`` as a SQL literal for ``column``, from the ``render_literal`` hooks."""
        try:
            literal: str | None = self._calls.render_literal(column, value, self)
        except RenderError as exc:
            raise exc.located(column=column.name) from None
        if literal is None:
            raise self.literal_refused(column, value)
        return literal

    def literal_refused(self, column: ColumnDefinition, value: object) -> UnsupportedFeatureError:
        """The error for a literal no decision wrote (``None`` from all of them)."""
        return UnsupportedFeatureError(
            f"no plugin writes {value!r} as a literal", dialect=self.dialect, column=column.name
        )

    def render_column(self, column: ColumnDefinition, table: TableDefinition) -> str:
        """The column's definition inside CREATE TABLE."""
        try:
            sql: str | None = self._calls.render_column(column, table, self)
        except RenderError as exc:
            raise self._located(exc, table, column) from None
        if sql is None:
            raise self.unsupported(
                "no plugin renders columns", table=table.name, column=column.name
            )
        return sql

    def render_create_table(self, table: TableDefinition) -> tuple[Statement, ...]:
        """The statements that create ``table`` (without its indexes)."""
        result = self._calls.render_create_table(table, self)
        if type(result) is Statement:  # the usual answer, without describing it for errors
            return (result,)
        return as_statements(result, f"table {table.name!r}", self.dialect)

    def render_index(self, table: TableDefinition, index: IndexDefinition) -> tuple[Statement, ...]:
        """The statements that create ``index`` along with its new table (``()`` when the
        dialect declares it inside CREATE TABLE)."""
        result = self._calls.render_index(table, index, self)
        if type(result) is Statement:
            return (result,)
        return as_statements(result, f"index {index.name!r}", self.dialect)

    def render_create_schema(self, schema: str) -> tuple[Statement, ...]:
        """The statements that create ``schema`` (``()`` where schemas are not made by DDL)."""
        return as_statements(
            self._calls.render_create_schema(schema, self), f"schema {schema!r}", self.dialect
        )

    def render_add_column(
        self, table: TableDefinition, column: ColumnDefinition
    ) -> tuple[Statement, ...]:
        """The statements that add ``column`` to the existing ``table``."""
        try:
            result = self._calls.render_add_column(table, column, self)
        except RenderError as exc:
            raise self._located(exc, table, column) from None
        return as_statements(result, f"column {column.name!r}", self.dialect)

    def render_add_index(
        self, table: TableDefinition, index: IndexDefinition
    ) -> tuple[Statement, ...]:
        """The statements that add ``index`` to the existing ``table``."""
        try:
            result = self._calls.render_add_index(table, index, self)
        except RenderError as exc:
            raise self._located(exc, table, None) from None
        return as_statements(result, f"index {index.name!r}", self.dialect)

    def render_alter_table(
        self,
        table: TableDefinition,
        live: LiveTable,
        columns: Sequence[str],
        constraints: Sequence[str],
    ) -> tuple[Statement, ...]:
        """The statements that bring the stored ``live`` table to ``table`` (a plan's step)."""
        try:
            result = self._calls.render_alter_table(table, live, columns, constraints, self)
        except RenderError as exc:
            raise self._located(exc, table, None) from None
        return as_statements(result, f"changes to table {table.name!r}", self.dialect)

    def render_change_index(
        self, table: TableDefinition, live: LiveIndex | None, index: IndexDefinition | None
    ) -> tuple[Statement, ...]:
        """The statements that create, drop or replace an index of the existing ``table``."""
        try:
            result = self._calls.render_change_index(table, live, index, self)
        except RenderError as exc:
            raise self._located(exc, table, None) from None
        name = index.name if index is not None else live.name if live is not None else "?"
        return as_statements(result, f"index {name!r}", self.dialect)

    def render_drop(self, kind: str, table: str, name: str | None) -> tuple[Statement, ...]:
        """The statements that drop a table, column or unique key (``--allow-drop``)."""
        result = self._calls.render_drop(kind, table, name, self)
        return as_statements(result, f"drop of {kind} {name or table!r}", self.dialect)

    def render_rename(self, kind: str, table: str, old: str, new: str) -> tuple[Statement, ...]:
        """The statements that rename a table or column (``renamed_from=``)."""
        result = self._calls.render_rename(kind, table, old, new, self)
        return as_statements(result, f"rename of {kind} {old!r}", self.dialect)

    def expected_table(self, table: TableDefinition) -> LiveTable:
        """``table`` as this dialect will store it, to compare with what is read back."""
        result: LiveTable = self._calls.expected_table(table, self)
        return result

    def read_catalog(self, database: Any) -> list[LiveTable]:
        """The prefixed tables of ``database`` (a live database of this dialect)."""
        tables = self._calls.read_catalog(database, self)
        if tables is None:
            raise self.unsupported("this dialect cannot read a live database back")
        return list(tables)

    def render_predicate(
        self,
        table: TableDefinition,
        index: IndexDefinition | CheckDefinition,
        replace: Callable[[Token], str | None] | None = None,
    ) -> str:
        """The index's ``where`` predicate (or the CHECK's predicate) with every column name
        spelled for this dialect.

        ``replace`` may respell other tokens (SQL Server writes ``TRUE`` as ``1``).
        """
        predicate = index.parsed if isinstance(index, CheckDefinition) else index.predicate
        if predicate is None:
            raise ValueError(f"index {index.name!r} has no predicate")
        if replace is None:
            quoted = self._quoted  # names seen before, without a call each
            names = []
            for token in predicate.column_refs:
                column = table.resolve_column(token.value, token.kind is TokenKind.QUOTED)
                assert column is not None  # checked when the table was built
                name = column.name
                names.append(quoted.get(name) or self.quote(name))
            return predicate.with_columns(names)

        # The column references are some of the predicate's own token objects: compare by
        # identity (cheap), not by the tokens' value equality.
        refs = {id(token) for token in predicate.column_refs}

        def spell(token: Token) -> str | None:
            if id(token) in refs:
                column = table.resolve_column(token.value, quoted=token.kind is TokenKind.QUOTED)
                assert column is not None  # checked when the table was built
                return self.quote(column.name)
            return replace(token) if replace is not None else None

        return predicate.render(spell)

    def _unique_columns(self, table: TableDefinition) -> list[ColumnDefinition]:
        # A unique column that is the whole primary key is already unique.
        key = table.primary_key
        sole_key = key if len(key) == 1 else ()
        return [c for c in table.columns if c.unique and (c.name,) != sole_key]

    def primary_key_element(self, table: TableDefinition) -> str | None:
        """``CONSTRAINT <t>_pkey PRIMARY KEY (a, b)``, or ``None`` without a key."""
        key = table.primary_key
        if not key:
            return None
        name = self.quote(f"{self.prefix}{table.name}_pkey")  # primary_key_name(table)
        return f"CONSTRAINT {name} PRIMARY KEY ({self.quote_list(key)})"

    def unique_elements(self, table: TableDefinition) -> list[tuple[str, tuple[str, ...]]]:
        """The table's unique keys as ``(constraint name, columns)``: unique columns first,
        then the unique constraints, in definition order."""
        keys: list[tuple[str, tuple[str, ...]]] = [
            (self.unique_column_name(table, c), (c.name,)) for c in self._unique_columns(table)
        ]
        if table.unique_constraints:
            keys.extend(
                [(self.constraint_name(table, uc), uc.columns) for uc in table.unique_constraints]
            )
        return keys

    def table_elements(self, table: TableDefinition) -> list[str]:
        """The lines inside CREATE TABLE's parentheses: columns, then the primary key, then the
        unique constraints, each named."""
        each = self._generic_columns if self._inline_column else self._asked_columns
        lines = each(table)
        pk = self.primary_key_element(table)
        if pk is not None:
            lines.append(pk)
        # Most tables have no unique key but the primary one: told by a scan in C.
        if table.unique_constraints or True in map(_unique, table.columns):
            for name, columns in self.unique_elements(table):
                lines.append(f"CONSTRAINT {self.quote(name)} UNIQUE ({self.quote_list(columns)})")
        if table.foreign_keys or table.checks:
            lines.extend(self.constraint_elements(table))
        return lines

    def _asked_columns(self, table: TableDefinition) -> list[str]:
        """Each column from the ``render_column`` decision (render_column's work, without a
        call through it per column)."""
        render_column = self._calls.render_column
        lines = []
        for column in table.columns:
            try:
                sql: str | None = render_column(column, table, self)
            except RenderError as exc:
                raise self._located(exc, table, column) from None
            if sql is None:
                raise self.unsupported(
                    "no plugin renders columns", table=table.name, column=column.name
                )
            lines.append(sql)
        return lines

    def _generic_columns(self, table: TableDefinition) -> list[str]:
        """Each column as the generic ``render_column`` writes it, without a call per column:
        only when that decision is the generic method (see ``__init__``). The type, the
        default and the literal are answered here in their common cases when their decisions
        are generic too, and asked of the decisions otherwise, with the same arguments as
        the generic method passes."""
        calls = self._calls
        render_type = calls.render_type
        render_default = calls.render_default
        render_literal = calls.render_literal
        types = self.types if self._inline_type else None
        sole_key = self._sole_key
        functions = self.functions if self._inline_default else None
        inline_literal = self._inline_literal
        quoted = self._quoted
        lines = []
        for column in table.columns:
            try:
                name = quoted.get(column.name) or self.quote(column.name)
                sql_type = None
                if types is not None and column.max_length is None:
                    kind = column.data_type
                    # DECIMAL(p,s) and a sole key's type: the method's
                    if kind is not WhizbangDataType.DECIMAL and not (
                        sole_key and column.primary_key
                    ):
                        sql_type = types.get(kind)
                if sql_type is None:
                    sql_type = render_type(column, table, self)
                    if sql_type is None:
                        raise self.type_refused(column, table)
                default = column.default
                if default is None:
                    lines.append(
                        f"{name} {sql_type}" if column.nullable else f"{name} {sql_type} NOT NULL"
                    )
                    continue
                expression: str | None = None
                if functions is not None:
                    kind_of_default = default.__class__
                    if kind_of_default is FunctionDefault:
                        expression = functions.get(default.value)  # type: ignore[attr-defined]
                    elif kind_of_default is IntegerDefault or kind_of_default is BooleanDefault:
                        # literal_value's answer and the generic render_literal's, inline
                        value = default.value  # type: ignore[attr-defined]
                        if column.data_type is WhizbangDataType.BOOLEAN:
                            value = bool(value)
                        if inline_literal and value.__class__ is int:
                            expression = str(value)
                        elif inline_literal and value.__class__ is bool:
                            expression = "TRUE" if value else "FALSE"
                        else:
                            expression = render_literal(column, value, self)
                            if expression is None:
                                raise self.literal_refused(column, value)
                if expression is None:
                    expression = render_default(column, default, table, self)
                    if expression is None:
                        raise self.default_refused(column, table)
            except RenderError as exc:
                raise self._located(exc, table, column) from None
            lines.append(
                f"{name} {sql_type} DEFAULT {expression}"
                if column.nullable
                else f"{name} {sql_type} NOT NULL DEFAULT {expression}"
            )
        return lines

    def constraint_elements(self, table: TableDefinition) -> list[str]:
        """``CONSTRAINT ... FOREIGN KEY ...`` and ``CONSTRAINT ... CHECK (...)`` for each
        foreign key and CHECK of ``table``, in definition order (foreign keys first)."""
        lines = [self.render_foreign_key(table, fk) for fk in table.foreign_keys]
        lines.extend(self.check_element(table, check) for check in table.checks)
        return lines

    def render_foreign_key(self, table: TableDefinition, foreign_key: ForeignKeyDefinition) -> str:
        """The foreign key's ``CONSTRAINT name FOREIGN KEY ...`` clause, from the
        ``render_foreign_key`` hooks."""
        try:
            sql: str | None = self._calls.render_foreign_key(table, foreign_key, self)
        except RenderError as exc:
            raise exc.located(table=table.name) from None
        if sql is None:
            raise self.unsupported("no plugin renders foreign keys", table=table.name)
        return sql

    def render_check(self, table: TableDefinition, check: CheckDefinition) -> str:
        """The CHECK's predicate as this dialect spells it, from the ``render_check`` hooks."""
        try:
            sql: str | None = self._calls.render_check(table, check, self)
        except RenderError as exc:
            raise exc.located(table=table.name) from None
        if sql is None:
            raise self.unsupported("no plugin renders CHECK constraints", table=table.name)
        return sql

    def check_element(self, table: TableDefinition, check: CheckDefinition) -> str:
        """``CONSTRAINT name CHECK (predicate)``."""
        name = self.quote(self.check_name(table, check))
        return f"CONSTRAINT {name} CHECK ({self.render_check(table, check)})"

    def render_add_constraint(
        self, table: TableDefinition, constraint: ForeignKeyDefinition | CheckDefinition
    ) -> tuple[Statement, ...]:
        """The statements that add a foreign key or CHECK to the existing ``table``."""
        try:
            result = self._calls.render_add_constraint(table, constraint, self)
        except RenderError as exc:
            raise exc.located(table=table.name) from None
        return as_statements(result, f"constraint {constraint.name!r}", self.dialect)

    def create_table_sql(
        self,
        table: TableDefinition,
        *,
        elements: list[str] | None = None,
        if_not_exists: bool = True,
        suffix: str = "",
    ) -> str:
        """``CREATE TABLE [IF NOT EXISTS] name (\n  element,\n  ...\n)suffix``.

        ``elements`` defaults to :meth:`table_elements`; dialects add to it (MySQL's inline
        indexes) or append table options through ``suffix`` (SQLite's `` STRICT``).
        """
        body = ",\n  ".join(self.table_elements(table) if elements is None else elements)
        guard = "IF NOT EXISTS " if if_not_exists else ""
        name = self.prefix + table.name  # qualified_table(table), without the calls
        qualified = self._qualified.get(name) or self.qualified(name)
        return f"CREATE TABLE {guard}{qualified} (\n  {body}\n){suffix}"
