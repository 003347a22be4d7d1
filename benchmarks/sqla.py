"""The same tables in SQLAlchemy Core 2.x: ``MetaData``, ``Table``, ``Column``, ``Index``.

Built from whizbang-schema definitions so that both sides render exactly the same tables
(the nine canonical ones and the synthetic schema): same prefixed names, types, nullability,
server defaults (written in each engine's SQL, as whizbang-schema renders them), named
composite primary keys, unique constraints and partial indexes (``postgresql_where``,
``sqlite_where``, ``mssql_where``). Building these objects is not timed; compiling their DDL
is, as is rendering ours.

SQLAlchemy is a benchmark dependency only (the ``bench`` extra), never a runtime one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mssql, postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from whizbang_schema import (
    BooleanDefault,
    ColumnDefinition,
    DefaultValueFunction,
    FunctionDefault,
    IntegerDefault,
    NullDefault,
    StringDefault,
    TableDefinition,
    WhizbangDataType,
)

#: whizbang-schema dialect name -> SQLAlchemy dialect name.
DIALECTS = {"postgres": "postgresql", "sqlite": "sqlite", "sqlserver": "mssql"}

_F = DefaultValueFunction
#: Function defaults in each engine's SQL (as whizbang-schema renders them).
_FUNCTIONS = {
    "postgres": {
        _F.DATETIME_NOW: "CURRENT_TIMESTAMP",
        _F.DATETIME_UTC_NOW: "CURRENT_TIMESTAMP",
        _F.GUID_NEW: "gen_random_uuid()",
    },
    "sqlite": {
        _F.DATETIME_NOW: "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        _F.DATETIME_UTC_NOW: "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        _F.GUID_NEW: "(lower(hex(randomblob(16))))",
    },
    "sqlserver": {
        _F.DATETIME_NOW: "SYSDATETIMEOFFSET()",
        _F.DATETIME_UTC_NOW: "TODATETIMEOFFSET(SYSUTCDATETIME(), '+00:00')",
        _F.GUID_NEW: "NEWID()",
    },
}
_BOOLEANS = {"postgres": ("FALSE", "TRUE"), "sqlite": ("0", "1"), "sqlserver": ("0", "1")}


def sa_dialect(name: str) -> Dialect:
    """SQLAlchemy's dialect object for whizbang-schema dialect ``name`` (no driver needed)."""
    module: Any = {"postgres": postgresql, "sqlite": sqlite, "sqlserver": mssql}[name]
    dialect: Dialect = module.dialect()
    return dialect


def _type(column: ColumnDefinition) -> Any:
    kind = column.data_type
    t = WhizbangDataType
    if kind is t.UUID:
        return sa.Uuid()
    if kind is t.STRING:
        return sa.Unicode(column.max_length) if column.max_length else sa.UnicodeText()
    if kind is t.TIMESTAMP_TZ:
        return sa.DateTime(timezone=True)
    if kind is t.JSON:
        return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    return {
        t.BIG_INT: sa.BigInteger,
        t.INTEGER: sa.Integer,
        t.SMALL_INT: sa.SmallInteger,
        t.BOOLEAN: sa.Boolean,
    }[kind]()


def _server_default(column: ColumnDefinition, dialect: str) -> Any:
    default = column.default
    if default is None:
        return None
    false, true = _BOOLEANS[dialect]
    if isinstance(default, BooleanDefault):
        return sa.text(true if default.value else false)
    if isinstance(default, IntegerDefault):
        if column.data_type is WhizbangDataType.BOOLEAN:
            return sa.text(true if default.value else false)
        return sa.text(str(default.value))
    if isinstance(default, StringDefault):
        return default.value  # SQLAlchemy quotes a plain str as a string literal
    if isinstance(default, NullDefault):
        return sa.text("NULL")
    assert isinstance(default, FunctionDefault)
    return sa.text(_FUNCTIONS[dialect][default.value])


def _where(table: TableDefinition, where: str | None, dialect: str) -> dict[str, Any]:
    if where is None:
        return {}
    if dialect == "sqlserver":
        # Only where whizbang-schema keeps the filter (it drops, with a warning, predicates
        # SQL Server cannot filter on); SQLAlchemy would pass them through and fail there.
        from whizbang_schema import Predicate
        from whizbang_schema_sqlserver.filters import filter_problem

        if filter_problem(Predicate.parse(where), table) is not None:
            return {}
    return {f"{DIALECTS[dialect]}_where": sa.text(where)}


class SaTable:
    """One SQLAlchemy table with its indexes in definition order (``Table.indexes`` is a
    set, and the output must be deterministic)."""

    __slots__ = ("indexes", "table")

    def __init__(self, table: sa.Table, indexes: list[sa.Index]) -> None:
        self.table = table
        self.indexes = indexes


def build(
    definition: TableDefinition, metadata: sa.MetaData, dialect: str, prefix: str = "wh_"
) -> SaTable:
    """The SQLAlchemy equivalent of ``definition`` for ``dialect``, added to ``metadata``."""
    name = prefix + definition.name
    items: list[Any] = [
        sa.Column(
            column.name,
            _type(column),
            nullable=column.nullable,
            server_default=_server_default(column, dialect),
            autoincrement=False,
        )
        for column in definition.columns
    ]
    if definition.primary_key:
        items.append(sa.PrimaryKeyConstraint(*definition.primary_key, name=f"{name}_pkey"))
    sole_key = definition.primary_key if len(definition.primary_key) == 1 else ()
    for column in definition.columns:
        if column.unique and (column.name,) != sole_key:
            items.append(sa.UniqueConstraint(column.name, name=f"{name}_{column.name}_key"))
    for constraint in definition.unique_constraints:
        items.append(sa.UniqueConstraint(*constraint.columns, name=prefix + constraint.name))
    table = sa.Table(name, metadata, *items)
    indexes = [
        sa.Index(
            prefix + index.name,
            *(table.c[c] for c in index.columns),
            unique=index.unique,
            **_where(definition, index.where, dialect),
        )
        for index in definition.indexes
    ]
    return SaTable(table, indexes)


def build_all(
    definitions: Iterable[TableDefinition], dialect: str, prefix: str = "wh_"
) -> tuple[sa.MetaData, list[SaTable]]:
    """Every definition in one ``MetaData``."""
    metadata = sa.MetaData()
    return metadata, [build(d, metadata, dialect, prefix) for d in definitions]


def compile_ddl(table: SaTable, dialect: Dialect, *, if_not_exists: bool) -> list[str]:
    """CREATE TABLE and one CREATE INDEX per index, compiled to strings (SQLAlchemy does
    not cache DDL compilation, so every call does the whole work)."""
    out = [str(CreateTable(table.table, if_not_exists=if_not_exists).compile(dialect=dialect))]
    out.extend(
        str(CreateIndex(index, if_not_exists=if_not_exists).compile(dialect=dialect))
        for index in table.indexes
    )
    return out


def compile_all(tables: Sequence[SaTable], dialect: Dialect, *, if_not_exists: bool) -> int:
    """Compile every table's DDL; the number of statements."""
    count = 0
    for table in tables:
        count += len(compile_ddl(table, dialect, if_not_exists=if_not_exists))
    return count


def if_not_exists(dialect: str) -> bool:
    """Whether SQLAlchemy can guard the DDL on this engine (not on SQL Server)."""
    return dialect != "sqlserver"
