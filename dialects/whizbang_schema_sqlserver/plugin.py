"""SQL Server: guards instead of IF NOT EXISTS, named constraints, bounded key strings.

* SQL Server has no ``CREATE TABLE IF NOT EXISTS``: tables are guarded by
  ``IF OBJECT_ID(..., N'U') IS NULL``, indexes by a ``sys.indexes`` lookup and schemas by
  ``SCHEMA_ID`` (``CREATE SCHEMA`` must be alone in its batch, hence ``EXEC``).
* Every DEFAULT and key constraint is named (``<table>_<column>_default``, ``<table>_pkey``):
  unnamed ones get random system names that differ from database to database.
* Nullability is always explicit: a bare column's nullability depends on session settings.
* Unbounded strings that are keys get a bounded NVARCHAR (see :mod:`.keys`).
* SQL Server's UNIQUE treats NULLs as equal (one NULL allowed); PostgreSQL, SQLite and the
  definitions treat them as distinct. A unique key over nullable columns therefore becomes a
  unique index filtered on ``column IS NOT NULL``, which allows exactly the same rows.
* Filtered indexes take only simple predicates with constants of the column's type (see
  :mod:`.filters`); for others a non-unique index is rendered unfiltered with a warning and a
  unique one is refused.
* The script (:meth:`SQLServerDialect.render`) sets the options filtered indexes need and ends
  each statement with ``GO`` for ``sqlcmd`` and SSMS (see :mod:`.batches`); ``connect`` sets
  the same options on its session.
* A row's fixed-size part must fit in 8,060 bytes (see :mod:`.rows`); a nullable column added
  with a default says ``WITH VALUES`` so existing rows get it, as on the other engines.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any, Final

import attrs

from whizbang_schema import (
    INTEGER_RANGES,
    Capabilities,
    CheckDefinition,
    ColumnDefinition,
    ColumnType,
    DefaultValue,
    DefaultValueFunction,
    Dialect,
    DialectInfo,
    DialectOption,
    ForeignKeyAction,
    ForeignKeyDefinition,
    FunctionDefault,
    Hazard,
    IndexDefinition,
    LiveColumn,
    LiveDatabase,
    LiveIndex,
    LiveTable,
    NullDefault,
    RenderContext,
    RenderError,
    Statement,
    StatementKind,
    StringDefault,
    TableDefinition,
    Token,
    TokenKind,
    TypeChange,
    WhizbangDataType,
    cascade_path_problem,
    fit_key_strings,
    type_change,
)

from .batches import SESSION_OPTIONS, batch_script
from .columns import column_elements
from .filters import analyse, comparable_predicate, null_tests_only, plain
from .keys import LIMITS, MAX_NVARCHAR, MAX_VARBINARY
from .keywords import RESERVED_WORDS
from .rows import MAX_ROW_BYTES, smallest_row_bytes

NAME: Final = "sqlserver"

TYPES: Final = {
    WhizbangDataType.UUID: "UNIQUEIDENTIFIER",
    WhizbangDataType.STRING: "NVARCHAR(MAX)",
    WhizbangDataType.TIMESTAMP_TZ: "DATETIMEOFFSET",
    WhizbangDataType.JSON: "NVARCHAR(MAX)",
    WhizbangDataType.BIG_INT: "BIGINT",
    WhizbangDataType.INTEGER: "INT",
    WhizbangDataType.SMALL_INT: "SMALLINT",
    WhizbangDataType.BOOLEAN: "BIT",
    WhizbangDataType.DECIMAL: "DECIMAL",
    # date, not datetime: datetime starts in 1753, date holds 0001-01-01 to 9999-12-31.
    WhizbangDataType.DATE: "DATE",
    WhizbangDataType.DOUBLE: "FLOAT",  # float(53): 8 bytes, no infinities
    WhizbangDataType.BYTES: "VARBINARY(MAX)",
}

# CURRENT_TIMESTAMP and GETDATE() are local DATETIME without an offset: the wrong instant on
# a server outside UTC once stored as DATETIMEOFFSET. SYSUTCDATETIME() made +00:00 is exact.
FUNCTIONS: Final = {
    DefaultValueFunction.DATETIME_NOW: "SYSDATETIMEOFFSET()",
    DefaultValueFunction.DATETIME_UTC_NOW: "TODATETIMEOFFSET(SYSUTCDATETIME(), '+00:00')",
    DefaultValueFunction.GUID_NEW: "NEWID()",
}

#: Types whose integer defaults the server may store as a decimal constant, ``((5.))``.

#: The default that the ``key_uuid`` option may render as NEWSEQUENTIALID() on a key column.
SEQUENTIAL_CANDIDATE: Final = DefaultValue.function(DefaultValueFunction.GUID_NEW)

INFO: Final = DialectInfo(
    name=NAME,
    description="SQL Server 2016 and later, and Azure SQL",
    capabilities=Capabilities(
        partial_indexes=True,
        transactional_ddl=True,
        max_identifier_chars=128,
        reserved_words=RESERVED_WORDS,
        quote_start="[",
        quote_end="]",
        default_schema="dbo",
        max_index_columns=32,
        max_columns=1024,
        named_defaults=True,
        # No RESTRICT: NO ACTION is SQL Server's refusal (checked at the statement's end).
        foreign_key_actions=frozenset(ForeignKeyAction) - {ForeignKeyAction.RESTRICT},
    ),
    options=(
        DialectOption(
            "json",
            "nvarchar",
            "how JSON columns are stored: 'nvarchar' (NVARCHAR(MAX), every version) or "
            "'native' (the json type of SQL Server 2025 and Azure SQL)",
            choices=("nvarchar", "native"),
        ),
        DialectOption(
            "key_uuid",
            "newid",
            "how a new-UUID default renders on a primary key column (the clustered index): "
            "'newid' (NEWID(), random, so inserts split pages) or 'sequential' "
            "(NEWSEQUENTIALID(), ascending on one server, so fewer splits, but guessable "
            "and may restart lower after a Windows restart)",
            choices=("newid", "sequential"),
        ),
    ),
    url_schemes=("mssql", "sqlserver"),
)


def _string(context: RenderContext, value: str) -> str:
    # context.string_literal(value, prefix="N"), without the call: a few per statement.
    return "N'" + value.replace("'", "''") + "'"


def _check_string_default(
    column: ColumnDefinition, value: str, table: TableDefinition, context: RenderContext
) -> None:
    """Refuse a default that NVARCHAR(n) cannot hold: n counts UTF-16 code units, so a
    character beyond the BMP takes two, and a key column's chosen length may be shorter than
    the default. SQL Server accepts such a DEFAULT, and fails every insert that uses it."""
    sql_type = context.render_type(column, table)
    if not sql_type.startswith("NVARCHAR(") or sql_type == "NVARCHAR(MAX)":
        return
    length = int(sql_type[len("NVARCHAR(") : -1])
    units = len(value.encode("utf-16-le")) // 2
    if units > length:
        raise context.unsupported(
            f"the string default takes {units} UTF-16 code units, more than the {sql_type} "
            f"of this column holds (characters beyond the BMP take two); every insert relying "
            f"on it would fail",
            table=table.name,
            column=column.name,
            field="default",
        )


# Read once: an enum member is looked up through the enum's metaclass, slower than a global.
_CREATE_TABLE: Final = StatementKind.CREATE_TABLE
_CREATE_INDEX: Final = StatementKind.CREATE_INDEX

_is_unique: Final = operator.attrgetter("unique")


class _Facts:
    """What the dialect works out once per table it renders, for its columns and indexes:
    the key lengths (raising for keys that cannot fit), the table's name, its qualified name
    and the ``OBJECT_ID`` argument naming it."""

    __slots__ = ("context", "lengths", "name", "object_id", "qualified", "table")

    def __init__(self, context: RenderContext, table: TableDefinition) -> None:
        self.context = context
        self.table = table
        self.lengths = fit_key_strings(table, LIMITS)  # raises for keys that cannot fit
        self.name = name = context.prefix + table.name  # context.table_name(table)
        self.qualified = qualified = context.qualified(name)  # context.qualified_table(table)
        self.object_id = "N'" + qualified.replace("'", "''") + "'"  # _string(context, ...)


#: The last table's facts, by identity (replaced whole, so threads rendering at once see
#: one table's facts or another's, never a mix).
_last: _Facts | None = None


def _facts(context: RenderContext, table: TableDefinition) -> _Facts:
    global _last
    last = _last
    if last is not None and last.table is table and last.context is context:
        return last
    facts = _last = _Facts(context, table)
    return facts


#: The last decisions and dialect found to answer the column decisions with the dialect's
#: own methods (compared by identity: a plugin registered or removed makes new decisions).
_own_columns: tuple[object, object] = (None, None)

_COLUMN_DECISIONS: Final = ("render_column", "render_type", "render_default", "render_literal")


def _column_decisions_are_own(dialect: SQLServerDialect, decisions: Any) -> bool:
    """Whether ``decisions`` answers the column decisions with ``SQLServerDialect``'s own
    methods of ``dialect`` (no override plugin, no subclass method)."""
    global _own_columns
    for name in _COLUMN_DECISIONS:
        method = getattr(decisions, name)
        if getattr(method, "__self__", None) is not dialect or getattr(
            method, "__func__", None
        ) is not getattr(SQLServerDialect, name):
            return False
    _own_columns = (decisions, dialect)
    return True


def _index_statement(
    context: RenderContext,
    facts: _Facts,
    name: str,
    columns: tuple[str, ...],
    unique: bool,
    where: str | None,
    notes: tuple[str, ...] = (),
) -> Statement:
    literal = "N'" + name.replace("'", "''") + "'"  # _string(context, name), without the call
    sql = (
        f"IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = {literal} "
        f"AND object_id = OBJECT_ID({facts.object_id}))\n"
        f"CREATE {'UNIQUE ' if unique else ''}INDEX {context.quote(name)} ON {facts.qualified} "
        f"({context.quote_list(columns)})"
    )
    if where:
        sql += f" WHERE {where}"
    return Statement(_CREATE_INDEX, name, sql, facts.name, context.effective_schema, notes)


def _nullable(table: TableDefinition, columns: tuple[str, ...], covered: set[str]) -> list[str]:
    return [c for c in columns if table.column(c).nullable and c not in covered]


def _not_null_filter(context: RenderContext, columns: list[str]) -> str:
    return " AND ".join(f"{context.quote(c)} IS NOT NULL" for c in columns)


def _respell(token: Token) -> str | None:
    if token.kind is TokenKind.KEYWORD and token.value in ("TRUE", "FALSE"):
        return "1" if token.value == "TRUE" else "0"
    if token.kind is TokenKind.STRING:
        return "N" + token.text
    return None


def index_filter(
    context: RenderContext, table: TableDefinition, index: IndexDefinition
) -> tuple[str | None, tuple[str, ...]]:
    """The filter SQL Server gets for ``index`` (or ``None``) and the notes on what changed:
    the definition's predicate where SQL Server can filter by it, plus ``IS NOT NULL`` on the
    nullable columns of a unique index (so NULLs stay distinct, as the definition means)."""
    predicate = index.predicate
    where: str | None = None
    notes: tuple[str, ...] = ()
    covered: set[str] = set()
    if predicate is not None and not index.unique and null_tests_only(predicate):
        # analyse's answer without the table: no problem, nothing typed, and the columns it
        # covers only matter to a unique index.
        where = context.render_predicate(table, index)
    elif predicate is not None:
        problem, typed, covered = analyse(predicate, table)
        if problem is None and plain(predicate):
            where = context.render_predicate(table, index)  # only the column names change
        elif problem is None:

            def respell(token: Token) -> str | None:
                return typed.get(id(token), _respell(token))

            where = context.render_predicate(table, index, respell)
        else:
            notes = (context.drop_predicate(table, index, problem),)
    if index.unique:
        nullable = _nullable(table, index.columns, covered)
        if nullable:
            extra = _not_null_filter(context, nullable)
            where = f"{where} AND {extra}" if where else extra
    return where, notes


def nullable_unique_keys(
    context: RenderContext, table: TableDefinition
) -> tuple[list[tuple[str, tuple[str, ...]]], list[tuple[str, tuple[str, ...], str]]]:
    """The table's unique keys split in two: those that stay constraints, and those over
    nullable columns that become filtered unique indexes (with their filters)."""
    constraints, filtered = [], []
    for name, columns in context.unique_elements(table):
        nullable = _nullable(table, columns, set())
        if nullable:
            filtered.append((name, columns, _not_null_filter(context, nullable)))
        else:
            constraints.append((name, columns))
    return constraints, filtered


def _condition_problem(node: Any) -> str | None:
    """Why T-SQL cannot take ``node`` (a predicate tree) as a condition, or ``None``: it has no
    boolean type, so a bare value (a BIT column, TRUE) is no condition, and no ``IS TRUE``;
    ``IS DISTINCT FROM`` needs SQL Server 2022."""
    kind = node[0]
    if kind in ("and", "or"):
        for item in node[1]:
            problem = _condition_problem(item)
            if problem is not None:
                return problem
        return None
    if kind == "not":
        return _condition_problem(node[1])
    if kind == "is" and node[3] in ("TRUE", "FALSE"):
        return f"T-SQL has no IS {node[3]}: compare the BIT column with = 1 or = 0"
    if kind == "distinct":
        return "IS DISTINCT FROM needs SQL Server 2022: compare with = and IS NULL instead"
    if kind in ("cmp", "is", "like", "in", "between"):
        return None
    return (
        "T-SQL has no boolean values, so a column or value alone is no condition: write "
        "column = TRUE (a BIT compared with 1)"
    )


class SQLServerDialect(Dialect):
    """SQL Server 2016 and later and Azure SQL, through pymssql (the ``[sqlserver]`` extra)."""

    info = INFO
    TYPES = TYPES
    FUNCTIONS = FUNCTIONS
    # NVARCHAR(n) counts UTF-16 code units; LEN would also ignore trailing spaces.
    LENGTH_SQL = "(DATALENGTH({}) / 2)"

    def render(self, target: Any, **settings: Any) -> str:
        """The script as ``sqlcmd`` and SSMS run it: the SET options filtered indexes need,
        then ``GO`` after each statement (see :mod:`.batches`). :meth:`statements` stays
        one statement each, without ``GO``."""
        return batch_script(self.statements(target, **settings))

    def render_type(
        self, column: ColumnDefinition, table: TableDefinition, context: RenderContext
    ) -> str:
        kind = column.data_type
        if kind is WhizbangDataType.STRING:
            length = column.max_length
            facts = _last  # _facts(context, table), without the call when it is this table's
            if facts is None or facts.table is not table or facts.context is not context:
                facts = _facts(context, table)  # refuses keys that cannot fit
            if length is None:
                length = facts.lengths.get(column.name)
            return (
                f"NVARCHAR({length})"
                if length is not None and length <= MAX_NVARCHAR
                else "NVARCHAR(MAX)"
            )
        if kind is WhizbangDataType.JSON:
            if context.option("json") == "native":
                return "JSON"
        elif kind is WhizbangDataType.BYTES:
            length = column.max_length
            if length is not None and length <= MAX_VARBINARY:
                return f"VARBINARY({length})"
            return "VARBINARY(MAX)"  # unbounded, or longer than VARBINARY(n) takes
        elif column.max_length is None and kind is not WhizbangDataType.DECIMAL:
            sql = self.TYPES.get(kind)  # the common case, without the call below
            if sql is not None:
                return sql
        return super().render_type(column, table, context)

    def render_default(
        self,
        column: ColumnDefinition,
        default: DefaultValue,
        table: TableDefinition,
        context: RenderContext,
    ) -> str:
        if isinstance(default, FunctionDefault):
            if (
                default.value is DefaultValueFunction.GUID_NEW
                and column.name in table.primary_key
                and context.option("key_uuid") == "sequential"
            ):
                # NEWSEQUENTIALID() is allowed only in a DEFAULT of a UNIQUEIDENTIFIER column.
                return "NEWSEQUENTIALID()"
            sql = self.FUNCTIONS.get(default.value)
            if sql is not None:  # the common case, without the call below
                return sql
        elif isinstance(default, StringDefault):
            _check_string_default(column, default.value, table, context)
        return super().render_default(column, default, table, context)

    def render_literal(
        self, column: ColumnDefinition, value: object, context: RenderContext
    ) -> str:
        if isinstance(value, bool):
            return "1" if value else "0"  # BIT takes 0/1: T-SQL has no TRUE/FALSE literals
        if isinstance(value, str):
            return _string(context, value)  # N'...': NVARCHAR keeps every character
        if isinstance(value, (bytes, bytearray, memoryview)):
            return "0x" + bytes(value).hex().upper()  # T-SQL's binary constant
        if value.__class__ is int:
            return str(value)  # as the generic decision, without the call
        return super().render_literal(column, value, context)

    def render_column(
        self, column: ColumnDefinition, table: TableDefinition, context: RenderContext
    ) -> str:
        name = context.quote(column.name)
        null = "NULL" if column.nullable else "NOT NULL"
        # What context.render_type and render_default do, without a call through them each.
        decisions = context.decisions
        default = column.default
        try:
            sql_type: str | None = decisions.render_type(column, table, context)
            if sql_type is None:
                raise context.type_refused(column, table)
            if default is None:
                return f"{name} {sql_type} {null}"
            expression: str | None = decisions.render_default(column, default, table, context)
            if expression is None:
                raise context.default_refused(column, table)
        except RenderError as exc:
            raise exc.located(table=table.name, column=column.name) from None
        constraint = context.quote(context.default_constraint_name(table, column))
        return f"{name} {sql_type} CONSTRAINT {constraint} DEFAULT {expression} {null}"

    def render_create_table(
        self, table: TableDefinition, context: RenderContext
    ) -> Sequence[Statement]:
        # Refuses keys that cannot fit, whatever their types (a table without STRING columns
        # never asks for string lengths, yet may have a JSON key, which NVARCHAR(MAX) cannot be).
        facts = _facts(context, table)
        row = smallest_row_bytes(table)
        if row > MAX_ROW_BYTES:
            raise context.unsupported(
                f"a row takes at least {row} bytes (fixed-size columns, null bitmap and row "
                f"header), over SQL Server's {MAX_ROW_BYTES}: CREATE TABLE would fail",
                table=table.name,
            )
        decisions = context.decisions
        own = _own_columns
        if (own[0] is decisions and own[1] is self) or _column_decisions_are_own(self, decisions):
            # The four column decisions are this class's own: their answers without a call
            # per decision (see .columns).
            elements = column_elements(self, table, context, facts.lengths, facts.name)
        else:
            render_column = decisions.render_column
            elements = []
            for column in table.columns:
                try:
                    sql: str | None = render_column(column, table, context)
                except RenderError as exc:
                    raise exc.located(table=table.name, column=column.name) from None
                if sql is None:
                    raise context.unsupported(
                        "no plugin renders columns", table=table.name, column=column.name
                    )
                elements.append(sql)
        pk = context.primary_key_element(table)
        if pk is not None:
            elements.append(pk)
        nullable_keys: list[tuple[str, tuple[str, ...], str]] = []
        if table.unique_constraints or any(map(_is_unique, table.columns)):
            constraints, nullable_keys = nullable_unique_keys(context, table)
            for name, columns in constraints:
                elements.append(
                    f"CONSTRAINT {context.quote(name)} UNIQUE ({context.quote_list(columns)})"
                )
        if table.foreign_keys or table.checks:
            elements.extend(context.constraint_elements(table))
        # context.create_table_sql(table, elements=elements, if_not_exists=False) behind its
        # guard, in one string.
        body = ",\n  ".join(elements)
        statement = Statement(
            _CREATE_TABLE,
            facts.name,
            f"IF OBJECT_ID({facts.object_id}, N'U') IS NULL\n"
            f"CREATE TABLE {facts.qualified} (\n  {body}\n)",
            schema=context.effective_schema,
        )
        if not nullable_keys:
            return [statement]
        return [
            statement,
            *[
                _index_statement(context, facts, name, columns, True, where)
                for name, columns, where in nullable_keys
            ],
        ]

    def render_index(
        self, table: TableDefinition, index: IndexDefinition, context: RenderContext
    ) -> Statement:
        facts = _last  # _facts(context, table), without the call when it is this table's
        if facts is None or facts.table is not table or facts.context is not context:
            facts = _facts(context, table)  # refuses index keys that cannot fit
        if index.where is None and not index.unique:
            where: str | None = None  # index_filter's answer, without the call
            notes: tuple[str, ...] = ()
        else:
            where, notes = index_filter(context, table, index)
        # context.index_name(table, index), without the call.
        name = index.name if context.verbatim_names else context.prefix + index.name
        return _index_statement(context, facts, name, index.columns, index.unique, where, notes)

    def render_check(
        self, table: TableDefinition, check: CheckDefinition, context: RenderContext
    ) -> str:
        problem = _condition_problem(check.parsed.tree)
        if problem is not None:
            raise context.unsupported(
                f"check {check.name!r}: {problem}", table=table.name, field="checks"
            )
        # T-SQL has no TRUE/FALSE (BIT compares with 1/0) and wants N'' for NVARCHAR text.
        return context.render_predicate(table, check, _respell)

    def render_add_constraint(
        self,
        table: TableDefinition,
        constraint: ForeignKeyDefinition | CheckDefinition,
        context: RenderContext,
    ) -> Sequence[Statement]:
        # No ADD CONSTRAINT IF NOT EXISTS: guarded by the constraint's name in its schema.
        made = super().render_add_constraint(table, constraint, context)
        statements = [made] if isinstance(made, Statement) else list(made)
        guarded = []
        for statement in statements:
            name = context.qualified(statement.name)
            guarded.append(
                attrs.evolve(
                    statement,
                    sql=f"IF OBJECT_ID({_string(context, name)}) IS NULL\n{statement.sql}",
                )
            )
        return guarded

    def check_tables(self, tables: Sequence[TableDefinition], context: RenderContext) -> None:
        for event in ("delete", "update"):
            problem = cascade_path_problem(tables, event)
            if problem is not None:
                raise context.unsupported(problem, field="foreign_keys")
        # A unique key over nullable columns is a filtered unique index here, which no
        # foreign key can reference ("no primary or candidate keys in the referenced table").
        by_name = {t.name.casefold(): t for t in tables}
        for table in tables:
            for fk in table.foreign_keys:
                referenced = by_name.get(fk.references_table.casefold())
                if referenced is None:
                    continue
                nullable = [c for c in fk.references_columns if referenced.column(c).nullable]
                if nullable:
                    raise context.unsupported(
                        f"foreign key {fk.name!r} references {', '.join(nullable)} of "
                        f"{referenced.name!r}, which may be NULL: SQL Server keeps such a unique "
                        f"key as a filtered index, which a foreign key cannot reference; make "
                        f"the referenced columns NOT NULL",
                        table=table.name,
                        field="foreign_keys",
                    )

    def render_create_schema(self, schema: str, context: RenderContext) -> Statement:
        create = _string(context, f"CREATE SCHEMA {context.quote(schema)}")
        return Statement(
            StatementKind.CREATE_SCHEMA,
            schema,
            f"IF SCHEMA_ID({_string(context, schema)}) IS NULL EXEC({create})",
        )

    def connect(self, target: str, read_only: bool) -> LiveDatabase:
        from .live import SqlServerDatabase  # imports pymssql only when connecting

        database = SqlServerDatabase(target, read_only=read_only)
        # Whatever the driver's defaults: filtered indexes need these at creation and for
        # every later write (see .batches); SET changes the session only, so read-only too.
        try:
            database.execute(SESSION_OPTIONS)
        except BaseException:
            database.close()
            raise
        return database

    def expected_table(self, table: TableDefinition, context: RenderContext) -> LiveTable:
        expected = super().expected_table(table, context)
        indexes = []
        for index, live in zip(table.indexes, expected.indexes, strict=True):
            where, _ = index_filter(context, table, index)
            canonical = None if where is None else comparable_predicate(where)
            indexes.append(attrs.evolve(live, predicate=canonical, predicate_sql=where))
        constraints, nullable_keys = nullable_unique_keys(context, table)
        indexes.extend(
            LiveIndex(name, columns, True, comparable_predicate(where), where)
            for name, columns, where in nullable_keys
        )
        return attrs.evolve(
            expected,
            indexes=indexes,
            unique_constraints=[LiveIndex(name, columns, True) for name, columns in constraints],
            checks=[
                attrs.evolve(c, predicate=comparable_predicate(c.predicate_sql))
                for c in expected.checks
            ],
        )

    def parse_type(self, sql_type: str, context: RenderContext) -> ColumnType | None:
        from .catalog import parse_type

        return parse_type(sql_type)

    def parse_default(
        self, sql: str, data_type: WhizbangDataType | None, context: RenderContext
    ) -> DefaultValue | None:
        from .catalog import parse_decimal_integer, parse_function

        function = parse_function(sql)
        if function is not None:
            return function
        if data_type in INTEGER_RANGES or data_type is WhizbangDataType.DECIMAL:
            integer = parse_decimal_integer(sql)  # a DOUBLE's: the generic float reading
            if integer is not None:
                return DefaultValue.integer(integer)
        return super().parse_default(sql, data_type, context)

    def read_catalog(self, database: LiveDatabase, context: RenderContext) -> list[LiveTable]:
        from .catalog import read_catalog

        return read_catalog(database, context)

    def render_alter_table(
        self,
        table: TableDefinition,
        live: LiveTable,
        columns: Sequence[str],
        constraints: Sequence[str],
        context: RenderContext,
    ) -> Sequence[Statement]:
        return alter_table(context, table, live, columns, constraints)

    def render_change_index(
        self,
        table: TableDefinition,
        live: LiveIndex | None,
        index: IndexDefinition | None,
        context: RenderContext,
    ) -> Sequence[Statement]:
        # T-SQL's DROP INDEX names the table; the index is re-created in its guarded form.
        out = []
        lock = (Hazard.LOCKS_WRITES, Hazard.LOCKS_READS)
        if live is not None:
            out.append(
                _statement(
                    context,
                    table,
                    StatementKind.DROP_INDEX,
                    live.name,
                    f"DROP INDEX {context.quote(live.name)} ON {context.qualified_table(table)}",
                    lock,
                )
            )
        if index is not None:
            hazards: tuple[str, ...] = (Hazard.LOCKS_WRITES, Hazard.SCANS_TABLE)
            if index.unique:
                hazards += (Hazard.MAY_FAIL,)
            out.extend(attrs.evolve(s, hazards=hazards) for s in context.render_index(table, index))
        return out

    def render_rename(
        self, kind: str, table: str, old: str, new: str, context: RenderContext
    ) -> Sequence[Statement]:
        # sp_rename ("sp_rename"): the new name is not schema-qualified; a column is named
        # 'schema.table.column' with the type 'COLUMN'.
        schema = context.effective_schema
        hazards = (Hazard.RENAMES, Hazard.LOCKS_WRITES, Hazard.LOCKS_READS)
        if kind == "table":
            sql = (
                f"EXEC sp_rename {_string(context, context.qualified(old))}, "
                f"{_string(context, new)}"
            )
            return (
                Statement(StatementKind.RENAME_TABLE, new, sql, schema=schema, hazards=hazards),
            )
        column = context.qualified(table) + "." + context.quote(old)
        sql = f"EXEC sp_rename {_string(context, column)}, {_string(context, new)}, N'COLUMN'"
        return (
            Statement(
                StatementKind.RENAME_COLUMN, new, sql, table=table, schema=schema, hazards=hazards
            ),
        )

    def render_add_column(
        self, table: TableDefinition, column: ColumnDefinition, context: RenderContext
    ) -> Statement:
        default = context.render_default(column, table) if column.nullable else None
        if default is None or default == "NULL":
            definition = context.render_column(column, table)
        else:
            # "ALTER TABLE" (column_definition): without WITH VALUES the existing rows of a
            # nullable column stay NULL; PostgreSQL and SQLite give them the default.
            name = context.quote(context.default_constraint_name(table, column))
            definition = (
                f"{context.quote(column.name)} {context.render_type(column, table)} NULL "
                f"CONSTRAINT {name} DEFAULT {default} WITH VALUES"
            )
        return Statement(  # T-SQL: ADD, without COLUMN
            StatementKind.ADD_COLUMN,
            column.name,
            f"ALTER TABLE {context.qualified_table(table)} ADD {definition}",
            table=context.table_name(table),
            schema=context.effective_schema,
        )


# == migration plans: ALTER COLUMN, with named defaults and dependent keys around it ==========


def _statement(
    context: RenderContext,
    table: TableDefinition,
    kind: StatementKind,
    name: str,
    sql: str,
    hazards: tuple[str, ...],
) -> Statement:
    return Statement(
        kind,
        name,
        sql,
        table=context.table_name(table),
        schema=context.effective_schema,
        hazards=hazards,
    )


def alter_table(
    context: RenderContext,
    table: TableDefinition,
    live: LiveTable,
    columns: Sequence[str],
    constraints: Sequence[str],
) -> list[Statement]:
    """``ALTER TABLE ... ALTER COLUMN`` for each changed column ("ALTER TABLE",
    ALTER COLUMN: the column cannot be altered while a DEFAULT constraint or an index uses
    it): the column's named DEFAULT dropped first and added back after, and the stored
    indexes and unique keys over it dropped before and re-created after; then the new unique
    keys. A primary-key column is refused (the key would have to be re-created)."""
    qualified = context.qualified_table(table)
    expected = context.expected_table(table)
    before: list[Statement] = []
    alter: list[Statement] = []
    after: list[Statement] = []
    dropped: set[str] = set()
    lock = (Hazard.LOCKS_WRITES, Hazard.LOCKS_READS)
    for name in columns:
        column = table.column(name)
        stored, wanted = live.column(name), expected.column(name)
        assert stored is not None
        assert wanted is not None
        change = type_change(stored, wanted)
        if change is TypeChange.OTHER:
            raise context.unsupported(
                f"changing the type from {stored.sql_type} to {wanted.sql_type} is not planned",
                table=table.name,
                column=name,
                field="data_type",
            )
        reshaped = change is not TypeChange.SAME or stored.nullable != wanted.nullable
        if reshaped and name in table.primary_key:
            raise context.unsupported(
                "a primary-key column cannot be altered in place on SQL Server",
                table=table.name,
                column=name,
                field="data_type",
            )
        default_changed = _default_of(stored) != _default_of(wanted)
        constraint = context.default_constraint_name(table, column)
        if stored.default_sql is not None and (reshaped or default_changed):
            before.append(
                _statement(
                    context,
                    table,
                    StatementKind.DROP_CONSTRAINT,
                    constraint,
                    f"ALTER TABLE {qualified} DROP CONSTRAINT {context.quote(constraint)}",
                    lock,
                )
            )
        if reshaped:
            for index in live.indexes:
                if name in index.columns and index.name not in dropped:
                    dropped.add(index.name)
                    before.append(
                        _statement(
                            context,
                            table,
                            StatementKind.DROP_INDEX,
                            index.name,
                            f"DROP INDEX {context.quote(index.name)} ON {qualified}",
                            lock,
                        )
                    )
            for key in live.unique_constraints:
                if name in key.columns and key.name not in dropped:
                    dropped.add(key.name)
                    before.append(
                        _statement(
                            context,
                            table,
                            StatementKind.DROP_CONSTRAINT,
                            key.name,
                            f"ALTER TABLE {qualified} DROP CONSTRAINT {context.quote(key.name)}",
                            lock,
                        )
                    )
            work = Hazard.REWRITES_TABLE if change is not TypeChange.SAME else Hazard.SCANS_TABLE
            hazards: tuple[str, ...] = (*lock, work)
            if change is TypeChange.NARROW_STRING or not wanted.nullable:
                hazards += (Hazard.MAY_FAIL,)
            null = "NULL" if column.nullable else "NOT NULL"
            alter.append(
                _statement(
                    context,
                    table,
                    StatementKind.ALTER_COLUMN,
                    name,
                    f"ALTER TABLE {qualified} ALTER COLUMN {context.quote(name)} "
                    f"{context.render_type(column, table)} {null}",
                    hazards,
                )
            )
        default = context.render_default(column, table)
        if default is not None and default != "NULL" and (reshaped or default_changed):
            after.append(
                _statement(
                    context,
                    table,
                    StatementKind.ADD_CONSTRAINT,
                    constraint,
                    f"ALTER TABLE {qualified} ADD CONSTRAINT {context.quote(constraint)} "
                    f"DEFAULT {default} FOR {context.quote(name)}",
                    (Hazard.LOCKS_WRITES,),
                )
            )
    defined = {context.index_name(table, i): i for i in table.indexes}
    keys = dict(context.unique_elements(table))
    for name in sorted(dropped):
        if name in defined:
            after.append(attrs.evolve(context.render_index(table, defined[name])[0], hazards=lock))
        elif name in keys:
            constraints = [*constraints, name] if name not in constraints else constraints
    for name in constraints:
        columns_of = keys[name]
        if any(table.column(c).nullable for c in columns_of):
            raise context.unsupported(
                "a unique key over nullable columns is a filtered unique index on SQL Server; "
                "add it with migrate (additive) once the rows allow it",
                table=table.name,
                field="unique_constraints",
            )
        after.append(
            _statement(
                context,
                table,
                StatementKind.ADD_CONSTRAINT,
                name,
                f"ALTER TABLE {qualified} ADD CONSTRAINT {context.quote(name)} UNIQUE "
                f"({context.quote_list(columns_of)})",
                (Hazard.LOCKS_WRITES, Hazard.SCANS_TABLE, Hazard.MAY_FAIL),
            )
        )
    return [*before, *alter, *after]


def _default_of(column: LiveColumn) -> DefaultValue | None:
    return None if isinstance(column.default, NullDefault) else column.default
