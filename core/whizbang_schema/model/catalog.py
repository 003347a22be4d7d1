"""What a database holds, as read from its catalog (or as a dialect will make it hold).

Both sides of a comparison are expressed in these terms: :func:`read_schema` reads them from a
live database, :func:`expected_tables` derives them from definitions through the same dialect.
Names are the stored names (with the prefix); types, defaults and predicates are normalised
by the dialect, so that applying a definition and reading it back gives equal values. A
column whose type or default the dialect cannot map keeps its raw SQL and maps to ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs

from .columntypes import ColumnType
from .constraints import CheckDefinition, ForeignKeyAction, ForeignKeyDefinition
from .datatypes import WhizbangDataType
from .defaults import DefaultValue, NullDefault
from .definitions import (
    ColumnDefinition,
    IndexDefinition,
    TableDefinition,
    UniqueConstraintDefinition,
)
from .errors import DefinitionError

__all__ = [
    "LiveCheck",
    "LiveColumn",
    "LiveForeignKey",
    "LiveIndex",
    "LiveTable",
    "gather_tables",
    "like_prefix",
]


def like_prefix(prefix: str, escape: str = "\\") -> str:
    """A LIKE pattern matching names that start with ``prefix`` (its ``%`` and ``_`` are
    escaped with ``escape``, which is also every engine's default escape... except SQL
    Server's, which needs ``ESCAPE '\\'`` in the query)."""
    escaped = (
        prefix.replace(escape, escape * 2).replace("%", escape + "%").replace("_", escape + "_")
    )
    return escaped + "%"


def _tuple(value: Iterable[object]) -> tuple[object, ...]:
    return tuple(value)


@attrs.frozen(slots=True)
class LiveColumn:
    """A column as stored. ``type`` is the type value the dialect reads ``sql_type`` as, or
    ``None`` for a type it does not map; ``default`` is ``None`` without a default or for one
    it cannot read (``default_sql`` then says which). ``data_type`` and ``max_length`` read
    back the type's kind and length (``None`` without a type)."""

    name: str
    sql_type: str
    type: ColumnType | None
    nullable: bool
    default_sql: str | None = None
    default: DefaultValue | None = None
    data_type: WhizbangDataType | None = attrs.field(init=False, eq=False, repr=False)
    max_length: int | None = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        column_type = self.type
        object.__setattr__(self, "data_type", None if column_type is None else column_type.kind)
        object.__setattr__(
            self, "max_length", None if column_type is None else column_type.max_length
        )


@attrs.frozen(slots=True)
class LiveIndex:
    """An index or unique constraint as stored; ``predicate`` is canonical (see
    :func:`~whizbang_schema.canonical.canonical_predicate`), ``predicate_sql`` as printed."""

    name: str
    columns: tuple[str, ...] = attrs.field(converter=_tuple)
    unique: bool
    predicate: str | None = None
    predicate_sql: str | None = None


@attrs.frozen(slots=True)
class LiveForeignKey:
    """A foreign key as stored: ``references_table`` is the stored (prefixed) name."""

    name: str
    columns: tuple[str, ...] = attrs.field(converter=_tuple)
    references_table: str
    references_columns: tuple[str, ...] = attrs.field(converter=_tuple)
    on_delete: ForeignKeyAction = ForeignKeyAction.NO_ACTION
    on_update: ForeignKeyAction = ForeignKeyAction.NO_ACTION

    def describe(self) -> str:
        """``(a, b) -> t (x, y) ON DELETE CASCADE``: what the diff shows."""
        text = (
            f"({', '.join(self.columns)}) -> {self.references_table} "
            f"({', '.join(self.references_columns)})"
        )
        for label, action in (("ON DELETE", self.on_delete), ("ON UPDATE", self.on_update)):
            if action is not ForeignKeyAction.NO_ACTION:
                text += f" {label} {action.sql}"
        return text

    def same_shape(self, other: LiveForeignKey) -> bool:
        """Equal but for the name (table names compared as the engines do, ignoring case)."""
        return (
            self.columns,
            self.references_table.casefold(),
            self.references_columns,
            self.on_delete,
            self.on_update,
        ) == (
            other.columns,
            other.references_table.casefold(),
            other.references_columns,
            other.on_delete,
            other.on_update,
        )


@attrs.frozen(slots=True)
class LiveCheck:
    """A CHECK constraint as stored; ``predicate`` is canonical (see
    :func:`~whizbang_schema.canonical.canonical_predicate`), ``predicate_sql`` as printed."""

    name: str
    predicate: str
    predicate_sql: str


@attrs.frozen(slots=True)
class LiveTable:
    """A table as stored: columns in order, primary key, indexes (not those that back the
    key, unique constraints or foreign keys), unique constraints, foreign keys and CHECK
    constraints."""

    name: str
    columns: tuple[LiveColumn, ...] = attrs.field(converter=_tuple)
    primary_key: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    indexes: tuple[LiveIndex, ...] = attrs.field(default=(), converter=_tuple)
    unique_constraints: tuple[LiveIndex, ...] = attrs.field(default=(), converter=_tuple)
    foreign_keys: tuple[LiveForeignKey, ...] = attrs.field(default=(), converter=_tuple)
    checks: tuple[LiveCheck, ...] = attrs.field(default=(), converter=_tuple)

    def column(self, name: str) -> LiveColumn | None:
        for column in self.columns:
            if column.name == name:
                return column
        return None

    def to_definition(self) -> TableDefinition:
        """This table as a :class:`TableDefinition` (names as stored, prefix included).

        The form is canonical, so that a table read back and the same table expected from
        its definition give equal definitions: indexes and constraints in name order, and no
        ``DEFAULT NULL`` (which a nullable column has anyway). Raises
        :class:`DefinitionError` if a column's type is one the dialect does not map.
        """
        columns = []
        for column in self.columns:
            if column.type is None:
                raise DefinitionError(
                    f"type {column.sql_type!r} maps to no WhizbangDataType",
                    table=self.name,
                    column=column.name,
                    field="data_type",
                )
            columns.append(
                ColumnDefinition(
                    column.name,
                    column.type,
                    primary_key=column.name in self.primary_key,
                    nullable=column.nullable,
                    default=None if isinstance(column.default, NullDefault) else column.default,
                )
            )
        return TableDefinition(
            self.name,
            columns,
            indexes=[
                IndexDefinition(i.name, i.columns, unique=i.unique, where=i.predicate)
                for i in sorted(self.indexes, key=lambda i: i.name)
            ],
            unique_constraints=[
                UniqueConstraintDefinition(u.name, u.columns)
                for u in sorted(self.unique_constraints, key=lambda u: u.name)
            ],
            foreign_keys=[
                ForeignKeyDefinition(
                    f.name,
                    f.columns,
                    f.references_table,
                    f.references_columns,
                    on_delete=f.on_delete,
                    on_update=f.on_update,
                )
                for f in sorted(self.foreign_keys, key=lambda f: f.name)
            ],
            checks=[
                CheckDefinition(c.name, c.predicate)
                for c in sorted(self.checks, key=lambda c: c.name)
            ],
        )


def gather_tables(
    columns: Mapping[str, Sequence[LiveColumn]],
    primary_keys: Mapping[str, Sequence[str]],
    indexes: Mapping[str, Sequence[LiveIndex]],
    unique_constraints: Mapping[str, Sequence[LiveIndex]],
    foreign_keys: Mapping[str, Sequence[LiveForeignKey]],
    checks: Mapping[str, Sequence[LiveCheck]],
) -> list[LiveTable]:
    """One :class:`LiveTable` per table of ``columns``, in its order, from what a catalog
    reader gathered per table name (a table missing from a mapping has none of that)."""
    return [
        LiveTable(
            table,
            cols,
            primary_keys.get(table, ()),
            indexes.get(table, ()),
            unique_constraints.get(table, ()),
            foreign_keys.get(table, ()),
            checks.get(table, ()),
        )
        for table, cols in columns.items()
    ]
