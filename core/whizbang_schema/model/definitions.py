"""Columns, indexes, unique constraints and tables, as immutable values.

Each class is an attrs ``frozen``/``slots`` class: collections become tuples, so two
definitions built separately from equal data are equal and hash equal, and assigning to a
field raises. Everything that cannot be valid on any engine is refused at construction with a
:class:`~whizbang_schema.DefinitionError` naming the table, the column and the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from typing import Any

import attrs

from .columntypes import COMMON_TYPES as _COMMON_TYPES
from .columntypes import ColumnType, column_type
from .constants import constant_mismatches
from .constraints import CheckDefinition, ForeignKeyAction, ForeignKeyDefinition
from .datatypes import DefaultValueFunction, WhizbangDataType
from .defaults import LITERAL_DEFAULTS, DefaultValue, FunctionDefault, NullDefault
from .errors import DefinitionError
from .names import check_column_list as _check_column_list
from .names import check_name
from .predicate import Predicate, Token, TokenKind

__all__ = [
    "CheckDefinition",
    "ColumnDefinition",
    "ForeignKeyAction",
    "ForeignKeyDefinition",
    "IndexDefinition",
    "TableDefinition",
    "UniqueConstraintDefinition",
    "check_reference",
]


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _tuple_or_same(value: Any) -> Any:
    # Lists and other iterables become tuples; anything else is left for the type checks in
    # __attrs_post_init__, which know the table and can say exactly what is wrong. Sets and
    # mappings are refused there too: their order is not the caller's, so the DDL would vary.
    if isinstance(value, (str, bytes, Set, Mapping)) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def _names(value: Iterable[str]) -> tuple[str, ...]:
    result: tuple[str, ...] = _tuple_or_same(value)
    return result


def _columns(value: Iterable[ColumnDefinition]) -> tuple[ColumnDefinition, ...]:
    result: tuple[ColumnDefinition, ...] = _tuple_or_same(value)
    return result


def _indexes(value: Iterable[IndexDefinition]) -> tuple[IndexDefinition, ...]:
    result: tuple[IndexDefinition, ...] = _tuple_or_same(value)
    return result


def _constraints(
    value: Iterable[UniqueConstraintDefinition],
) -> tuple[UniqueConstraintDefinition, ...]:
    result: tuple[UniqueConstraintDefinition, ...] = _tuple_or_same(value)
    return result


#: Marks an argument left out, where ``None`` is a value the caller may pass.
_UNSET: Any = object()


class _CachedHash:
    """The slot a column keeps its hash in: not an attrs field, so never pickled (a string's
    hash differs from process to process)."""

    __slots__ = ("_hash_value",)

    _hash_value: int


@attrs.frozen(slots=True, init=False, hash=False)  # __hash__ below (cached: keys of caches)
class ColumnDefinition(_CachedHash):
    """One column: its name, type and constraints.

    The type is a value (:mod:`whizbang_schema.model.columntypes`): pass one
    (``ColumnDefinition("total", DecimalType(18, 2))``) or the abstract type with the 0.1
    keyword (``ColumnDefinition("q", WhizbangDataType.STRING, max_length=100)``).
    ``data_type`` and ``max_length`` read back the type's kind and length.

    A key column (``primary_key=True``) is NOT NULL: leave ``nullable`` unset (or pass
    ``False``); passing ``nullable=True`` with it is an error. Two or more key columns in a
    table form one composite key.
    """

    name: str
    type: ColumnType
    primary_key: bool = attrs.field(default=False, kw_only=True)
    nullable: bool = attrs.field(
        default=attrs.Factory(lambda self: not self.primary_key, takes_self=True), kw_only=True
    )
    default: DefaultValue | None = attrs.field(default=None, kw_only=True)
    unique: bool = attrs.field(default=False, kw_only=True)
    renamed_from: str | None = attrs.field(default=None, kw_only=True)
    """The column's former name: a migration plan renames a stored column of that name
    instead of adding this one (renames are declared, never guessed)."""
    # Derived from ``type`` (not compared, not passed): plain slots, as the renderers read them
    # for every column; attrs keeps them across copies and pickles.
    data_type: WhizbangDataType = attrs.field(init=False, eq=False, repr=False)
    max_length: int | None = attrs.field(init=False, eq=False, repr=False)

    def __init__(
        self,
        name: str,
        data_type: WhizbangDataType | ColumnType | None = None,
        *,
        type: ColumnType | None = None,
        max_length: int | None = None,
        primary_key: bool = False,
        nullable: bool = _UNSET,
        default: DefaultValue | None = None,
        unique: bool = False,
        renamed_from: str | None = None,
    ) -> None:
        # The common spellings first, without a call: columns are built by the thousand.
        resolved = (
            _COMMON_TYPES.get((data_type, max_length))
            if type is None
            and data_type.__class__ is WhizbangDataType
            and (max_length is None or max_length.__class__ is int)
            else None
        )
        if resolved is None:
            resolved = _resolve_type(name, data_type, type, max_length)
        if nullable is _UNSET:
            self.__attrs_init__(
                name,
                resolved,
                primary_key=primary_key,
                default=default,
                unique=unique,
                renamed_from=renamed_from,
            )
        else:
            self.__attrs_init__(
                name,
                resolved,
                primary_key=primary_key,
                nullable=nullable,
                default=default,
                unique=unique,
                renamed_from=renamed_from,
            )

    def __attrs_post_init__(self) -> None:
        problem = check_name(self.name, what="column")
        if problem:
            raise DefinitionError(
                problem, column=self.name if isinstance(self.name, str) else None, field="name"
            )
        column_type = self.type
        setattr_ = object.__setattr__
        setattr_(self, "data_type", column_type.kind)
        setattr_(self, "max_length", column_type.max_length)
        if self.renamed_from is not None:
            problem = check_name(self.renamed_from, what="former column")
            if problem:
                raise DefinitionError(problem, column=self.name, field="renamed_from")
        for flag in ("primary_key", "nullable", "unique"):
            if not _is_bool(getattr(self, flag)):
                self._fail(flag, f"must be True or False, got {getattr(self, flag)!r}")
        if self.primary_key and self.nullable:
            self._fail("nullable", "a primary-key column is NOT NULL; do not pass nullable=True")
        self._check_default()

    def __hash__(self) -> int:
        try:
            return self._hash_value
        except AttributeError:
            value = hash(
                (self.name, self.type, self.primary_key, self.nullable, self.default, self.unique)
            )
            object.__setattr__(self, "_hash_value", value)
            return value

    def _fail(self, field: str, reason: str) -> None:
        raise DefinitionError(reason, column=self.name, field=field)

    def _check_default(self) -> None:
        default, data_type = self.default, self.data_type
        if default is None:
            return
        if not isinstance(default, DefaultValue) or type(default) is DefaultValue:
            self._fail("default", f"must be built with DefaultValue, got {default!r}")
        if isinstance(default, NullDefault):
            if not self.nullable:
                self._fail("default", "DEFAULT NULL on a NOT NULL column")
        elif isinstance(default, LITERAL_DEFAULTS):
            # Each type says which literals it holds (columntypes._LITERAL_RULES).
            problem = self.type.literal_problem(default.kind, default.value)  # type: ignore[attr-defined]
            if problem is not None:
                self._fail("default", problem)
        elif isinstance(default, FunctionDefault):
            wanted = (
                WhizbangDataType.UUID
                if default.value is DefaultValueFunction.GUID_NEW
                else WhizbangDataType.TIMESTAMP_TZ
            )
            if data_type is not wanted:
                self._fail(
                    "default",
                    f"{default.value.name} yields {wanted.name}, not {data_type.name}",
                )


def _resolve_type(
    name: object,
    data_type: WhizbangDataType | ColumnType | None,
    given: ColumnType | None,
    max_length: int | None,
) -> ColumnType:
    """The column's type value from the ways of passing it (see :class:`ColumnDefinition`)."""
    column = name if isinstance(name, str) else None
    try:
        if given is not None:
            if data_type is None and max_length is None:
                if not isinstance(given, ColumnType):
                    raise DefinitionError(f"must be a column type, got {given!r}", field="type")
                return given
            # attrs.evolve(column, data_type=..., max_length=...): the type it passes along
            # gives way to the parameters the caller changed.
            if data_type is None:
                data_type = given.kind
            if max_length is None and data_type is given.kind:
                return given
        if isinstance(data_type, ColumnType):
            if max_length is not None:
                raise DefinitionError(
                    f"max_length is part of the type value; got both {data_type!r} and "
                    f"max_length={max_length!r}",
                    field="max_length",
                )
            return data_type
        if data_type is None:
            raise DefinitionError("a column needs a type", field="data_type")
        if not isinstance(data_type, WhizbangDataType):
            raise DefinitionError(
                f"must be a WhizbangDataType or a column type, got {data_type!r}",
                field="data_type",
            )
        return column_type(data_type, max_length=max_length)
    except DefinitionError as exc:
        raise DefinitionError(exc.reason, column=column, field=exc.field) from None


class _Derived:
    """Slots for what a definition derives from its fields once, while it is checked: not
    attrs fields, so never compared, hashed, shown or pickled (a copy derives them again).

    A plain base class rather than ``functools.cached_property``, which would give the attrs
    class a ``__getattr__`` and so slow down every attribute read of its instances.
    """

    __slots__ = ("_by_folded", "_by_name", "_hash_value", "_key", "_parsed")

    _by_name: dict[str, ColumnDefinition]
    _by_folded: dict[str, ColumnDefinition]
    _hash_value: int
    _key: tuple[str, ...]
    _parsed: Predicate | None


@attrs.frozen(slots=True, cache_hash=True)
class IndexDefinition(_Derived):
    """An index over one or more columns, optionally unique and optionally partial.

    ``where`` is a predicate in portable SQL (see :mod:`whizbang_schema.predicate`); it is
    written by the developer, never by end users.
    """

    name: str
    columns: tuple[str, ...] = attrs.field(converter=_names)
    unique: bool = attrs.field(default=False, kw_only=True)
    where: str | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        problem = check_name(self.name, what="index")
        if problem:
            raise DefinitionError(problem, field="name")
        _check_column_list("index", self.name, self.columns)
        if not _is_bool(self.unique):
            raise DefinitionError(
                f"index {self.name!r}: unique must be True or False, got {self.unique!r}",
                field="unique",
            )
        if self.where is not None:
            try:
                self.predicate  # noqa: B018  (parsed, checked and kept)
            except DefinitionError as exc:
                raise DefinitionError(f"index {self.name!r}: {exc.reason}", field="where") from None

    @property
    def predicate(self) -> Predicate | None:
        """The parsed ``where`` predicate, or ``None``."""
        try:
            return self._parsed  # parsed while the index was checked at construction
        except AttributeError:  # a copy or an unpickled index, made without that check
            parsed = None if self.where is None else Predicate.parse(self.where)
            object.__setattr__(self, "_parsed", parsed)
            return parsed


@attrs.frozen(slots=True, cache_hash=True)
class UniqueConstraintDefinition:
    """A named UNIQUE constraint over one or more columns."""

    name: str
    columns: tuple[str, ...] = attrs.field(converter=_names)

    def __attrs_post_init__(self) -> None:
        problem = check_name(self.name, what="constraint")
        if problem:
            raise DefinitionError(problem, field="name")
        _check_column_list("unique constraint", self.name, self.columns)


@attrs.frozen(slots=True, hash=False)  # __hash__ below
class TableDefinition(_Derived):
    """A table: ordered columns, indexes and unique constraints.

    ``name`` carries no prefix; the prefix (``wh_`` by default) is applied when rendering.
    """

    name: str
    columns: tuple[ColumnDefinition, ...] = attrs.field(converter=_columns)
    indexes: tuple[IndexDefinition, ...] = attrs.field(default=(), converter=_indexes, kw_only=True)
    unique_constraints: tuple[UniqueConstraintDefinition, ...] = attrs.field(
        default=(), converter=_constraints, kw_only=True
    )
    renamed_from: str | None = attrs.field(default=None, kw_only=True)
    """The table's former name (without the prefix): a migration plan renames the stored
    table of that name instead of creating this one."""
    foreign_keys: tuple[ForeignKeyDefinition, ...] = attrs.field(
        default=(), converter=_tuple_or_same, kw_only=True
    )
    checks: tuple[CheckDefinition, ...] = attrs.field(
        default=(), converter=_tuple_or_same, kw_only=True
    )

    def __attrs_post_init__(self) -> None:
        problem = check_name(self.name, what="table")
        if problem:
            raise DefinitionError(
                problem, table=self.name if isinstance(self.name, str) else None, field="name"
            )
        if self.renamed_from is not None:
            problem = check_name(self.renamed_from, what="former table")
            if problem:
                raise DefinitionError(problem, table=self.name, field="renamed_from")
        self._check_columns()
        by_name = {c.name: c for c in self.columns}
        folded = {c.name.casefold(): c for c in self.columns}
        # Kept for resolve_column and column (names are unique, also casefolded: checked above).
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_by_folded", folded)
        seen: dict[str, str] = {}
        groups: tuple[tuple[str, Any, type, str], ...] = (
            ("indexes", self.indexes, IndexDefinition, "index"),
            (
                "unique_constraints",
                self.unique_constraints,
                UniqueConstraintDefinition,
                "unique constraint",
            ),
            ("foreign_keys", self.foreign_keys, ForeignKeyDefinition, "foreign key"),
            ("checks", self.checks, CheckDefinition, "check"),
        )
        for field, items, cls, owner in groups:
            if not isinstance(items, tuple):
                self._fail(field, f"must be a list or tuple, got {items!r}")
            for item in items:
                if not isinstance(item, cls):
                    self._fail(field, f"expected {cls.__name__}, got {item!r}")
                key = item.name.casefold()
                if key in seen:
                    self._fail(
                        field,
                        f"{owner} name {item.name!r} is already used by {seen[key]} in this table",
                    )
                seen[key] = f"{owner} {item.name!r}"
                if isinstance(item, CheckDefinition):
                    self._check_predicate_columns(item, field)
                    continue
                for column in item.columns:
                    if column not in by_name:
                        hint = ""
                        if column.casefold() in folded:
                            hint = f" (did you mean {folded[column.casefold()].name!r}?)"
                        self._fail(
                            field, f"{owner} {item.name!r} names missing column {column!r}{hint}"
                        )
                if isinstance(item, IndexDefinition) and item.where is not None:
                    self._check_predicate_columns(item, field)
                if isinstance(item, ForeignKeyDefinition):
                    self._check_actions(item)
        self._check_duplicate_keys()
        for foreign_key in self.foreign_keys:
            if foreign_key.references_table == self.name:
                check_reference(self, foreign_key, self)

    def _fail(self, field: str, reason: str) -> None:
        raise DefinitionError(reason, table=self.name, field=field)

    def _check_columns(self) -> None:
        columns = self.columns
        if not isinstance(columns, tuple):
            self._fail("columns", f"must be a list or tuple of ColumnDefinition, got {columns!r}")
        if not columns:
            self._fail("columns", "a table needs at least one column")
        seen: dict[str, str] = {}
        for column in columns:
            if not isinstance(column, ColumnDefinition):
                self._fail("columns", f"expected ColumnDefinition, got {column!r}")
            key = column.name.casefold()
            if key in seen:
                raise DefinitionError(
                    f"duplicate column name (names are compared case-insensitively, as several "
                    f"engines fold case): {seen[key]!r} and {column.name!r}",
                    table=self.name,
                    column=column.name,
                    field="name",
                )
            seen[key] = column.name

    def _check_duplicate_keys(self) -> None:
        # PostgreSQL and SQLite keep one of two keys over the same columns in the same order
        # (the primary key, else the first): the other would not exist under its name.
        key = self.primary_key
        seen: dict[tuple[str, ...], str] = {key: "the primary key"} if key else {}
        keys: list[tuple[str, tuple[str, ...]]] = [
            (f"unique column {c.name!r}", (c.name,)) for c in self.columns if c.unique
        ]
        keys.extend((f"unique constraint {u.name!r}", u.columns) for u in self.unique_constraints)
        for what, columns in keys:
            if columns == key and what.startswith("unique column"):
                continue  # a unique sole key column: already unique, nothing is named for it
            if columns in seen:
                self._fail(
                    "unique_constraints",
                    f"{what} is over the same columns as {seen[columns]}; engines keep only "
                    f"one of them, so drop it",
                )
            seen[columns] = what

    def _check_predicate_columns(self, item: IndexDefinition | CheckDefinition, field: str) -> None:
        if isinstance(item, CheckDefinition):
            predicate: Predicate | None = item.parsed
            what = f"check {item.name!r}"
        else:
            predicate = item.predicate
            what = f"index {item.name!r}"
        assert predicate is not None
        for token in predicate.column_refs:
            if self.resolve_column(token.value, quoted=token.kind is TokenKind.QUOTED) is None:
                self._fail(
                    field,
                    f"{what}: the predicate names {token.text}, which is not a column of this "
                    f"table",
                )
        for problem in constant_mismatches(predicate.tree, self._column_type):
            self._fail(field, f"{what}: the predicate {problem}")

    def _check_actions(self, foreign_key: ForeignKeyDefinition) -> None:
        # SET NULL and SET DEFAULT write into every column of the key: each must accept it.
        for label, action in foreign_key.actions:
            for name in foreign_key.columns:
                column = self.column(name)
                if action is ForeignKeyAction.SET_NULL and not column.nullable:
                    self._fail(
                        "foreign_keys",
                        f"foreign key {foreign_key.name!r}: {label} SET NULL, but column "
                        f"{name!r} is NOT NULL",
                    )
                if (
                    action is ForeignKeyAction.SET_DEFAULT
                    and not column.nullable
                    and column.default is None
                ):
                    self._fail(
                        "foreign_keys",
                        f"foreign key {foreign_key.name!r}: {label} SET DEFAULT, but column "
                        f"{name!r} is NOT NULL without a default",
                    )

    def _column_type(self, token: Token) -> WhizbangDataType | None:
        column = self.resolve_column(token.value, quoted=token.kind is TokenKind.QUOTED)
        return None if column is None else column.data_type

    def resolve_column(self, name: str, quoted: bool = False) -> ColumnDefinition | None:
        """Find a column as SQL would: exactly for a quoted name, else case-insensitively."""
        try:
            column = self._by_name.get(name)  # kept at construction (see _lookup)
        except AttributeError:
            column = self._lookup()[0].get(name)
        if column is None and not quoted:
            column = self._lookup()[1].get(name.casefold())
        return column

    def column(self, name: str) -> ColumnDefinition:
        """The column called exactly ``name``; ``KeyError`` if there is none."""
        column = self._lookup()[0].get(name)
        if column is None:
            raise KeyError(name)
        return column

    def _lookup(self) -> tuple[dict[str, ColumnDefinition], dict[str, ColumnDefinition]]:
        """The columns by name and by casefolded name (kept at construction)."""
        try:
            return self._by_name, self._by_folded
        except AttributeError:  # a copy or an unpickled table, made without the checks
            by_name = {c.name: c for c in self.columns}
            by_folded = {c.name.casefold(): c for c in self.columns}
            object.__setattr__(self, "_by_name", by_name)
            object.__setattr__(self, "_by_folded", by_folded)
            return by_name, by_folded

    @property
    def column_names(self) -> tuple[str, ...]:
        """Column names in table order."""
        return tuple(c.name for c in self.columns)

    def __hash__(self) -> int:
        try:
            return self._hash_value
        except AttributeError:
            # Equal tables have equal names throughout: hashing the names alone is consistent
            # with equality and spares a call per column and index (caches keyed on a new
            # table hash it). Not pickled: a string's hash differs from process to process.
            value = hash(
                (
                    self.name,
                    tuple([c.name for c in self.columns]),
                    tuple([i.name for i in self.indexes]),
                    len(self.unique_constraints),
                    len(self.foreign_keys),
                    len(self.checks),
                )
            )
            object.__setattr__(self, "_hash_value", value)
            return value

    @property
    def primary_key(self) -> tuple[str, ...]:
        """Names of the key columns in table order; two or more form a composite key."""
        try:
            return self._key  # computed while the table was checked: renders ask it often
        except AttributeError:
            key = tuple([c.name for c in self.columns if c.primary_key])
            object.__setattr__(self, "_key", key)
            return key


def check_reference(
    table: TableDefinition, foreign_key: ForeignKeyDefinition, referenced: TableDefinition
) -> None:
    """Refuse ``foreign_key`` of ``table`` unless it references a key of ``referenced`` (its
    primary key or a unique one, as every engine requires) with columns of the same types."""

    def fail(reason: str) -> None:
        raise DefinitionError(
            f"foreign key {foreign_key.name!r} references {referenced.name!r}: {reason}",
            table=table.name,
            field="foreign_keys",
        )

    wanted = foreign_key.references_columns
    for name in wanted:
        if name not in referenced._lookup()[0]:
            fail(f"it has no column {name!r}")
    keys = [referenced.primary_key]
    keys.extend((c.name,) for c in referenced.columns if c.unique)
    keys.extend(u.columns for u in referenced.unique_constraints)
    keys.extend(i.columns for i in referenced.indexes if i.unique and i.where is None)
    if not any(set(key) == set(wanted) and len(key) == len(wanted) for key in keys):
        fail(
            f"({', '.join(wanted)}) is not its primary key or a unique key; engines refuse a "
            f"foreign key to columns that are not unique"
        )
    for mine, theirs in zip(foreign_key.columns, wanted, strict=True):
        own, other = table.column(mine), referenced.column(theirs)
        # The same kind, and the same parameters but a string's length (which engines let
        # differ): InnoDB refuses integers of two widths and decimals of two precisions.
        if own.type.kind is not other.type.kind or (
            own.type.kind is not WhizbangDataType.STRING and own.type != other.type
        ):
            fail(
                f"column {mine!r} is {own.type} but {theirs!r} is {other.type}; engines compare "
                f"keys of different types differently (MySQL refuses them): use the same type"
            )
