"""Index-key size budgets, for engines that cap the bytes of a key.

SQL Server caps keys at 900 bytes (clustered) and 1,700 (nonclustered); InnoDB at 3,072. Their
unbounded string types (``NVARCHAR(MAX)``, ``LONGTEXT``) cannot be key columns at all (MariaDB
silently indexes only a prefix), so an unbounded STRING that is part of a key needs a bounded
type. :func:`key_string_lengths` chooses that bound from the dialect's numbers: a default
length (EF Core's NVARCHAR(450) on SQL Server), narrowed only when the key's other columns leave
less room, so every key fits and no insert can fail later on key size. Explicit lengths are
never narrowed: a key they make too large is refused.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Union

import attrs

from .columntypes import ColumnType
from .constraints import ForeignKeyDefinition
from .datatypes import WhizbangDataType
from .definitions import (
    ColumnDefinition,
    IndexDefinition,
    TableDefinition,
    UniqueConstraintDefinition,
)
from .errors import UnsupportedFeatureError

__all__ = ["KeyLimits", "KeyWidth", "fit_key_strings", "key_string_lengths", "table_keys"]


#: A type's key bytes: a number for a fixed-width type, or a function of the type value for
#: one whose width depends on its parameters (``None``: it cannot be a key column).
KeyWidth = Union[int, Callable[[ColumnType], int | None]]  # noqa: UP007


def _widths(
    value: Mapping[WhizbangDataType, KeyWidth] | Iterable[tuple[WhizbangDataType, KeyWidth]],
) -> tuple[tuple[WhizbangDataType, KeyWidth], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted(items, key=lambda item: item[0].value))


class _WidthIndex:
    """The slot a :class:`KeyLimits` keeps its widths by type in: not an attrs field (never
    compared, shown or pickled)."""

    __slots__ = ("_by_kind", "_fixed")

    _by_kind: dict[WhizbangDataType, KeyWidth]
    _fixed: dict[WhizbangDataType, int]


@attrs.frozen(slots=True)
class KeyLimits(_WidthIndex):
    """One engine's key budget.

    ``widths`` gives the key bytes of each type other than STRING: a number, or a function
    of the type value where the width depends on the parameters; a type missing from it (JSON)
    or whose function answers ``None`` can never be a key column. Strings cost
    ``bytes_per_char`` per character; a bounded STRING longer than ``max_key_string`` is
    stored in ``unbounded_type`` and cannot be a key.
    """

    dialect: str
    unbounded_type: str
    primary_key_bytes: int
    key_bytes: int
    bytes_per_char: int
    default_string_length: int
    max_key_string: int
    widths: tuple[tuple[WhizbangDataType, KeyWidth], ...] = attrs.field(converter=_widths)

    def width(self, column_type: ColumnType | WhizbangDataType) -> int | None:
        """The key bytes of a column of ``column_type`` (``None``: it cannot be a key)."""
        if isinstance(column_type, WhizbangDataType):
            width = self.widths_by_kind().get(column_type)
            # None too where the width depends on parameters the caller did not give.
            return width if isinstance(width, int) else None
        width = self.widths_by_kind().get(column_type.kind)
        if width is None or isinstance(width, int):
            return width
        return width(column_type)

    def widths_by_kind(self) -> dict[WhizbangDataType, KeyWidth]:
        """``widths`` as a dict (made once; do not change it)."""
        try:
            return self._by_kind
        except AttributeError:  # the first call, or an unpickled copy
            by_kind = dict(self.widths)
            object.__setattr__(self, "_by_kind", by_kind)
            return by_kind

    def _fixed_widths(self) -> dict[WhizbangDataType, int]:
        """The fixed widths alone (types whose width is a number), made once."""
        try:
            return self._fixed
        except AttributeError:
            fixed: dict[WhizbangDataType, int] = {
                k: w
                for k, w in self.widths_by_kind().items()
                if isinstance(w, int) and k is not WhizbangDataType.STRING
            }
            object.__setattr__(self, "_fixed", fixed)
            return fixed


def table_keys(table: TableDefinition) -> list[tuple[str, tuple[str, ...], bool]]:
    """Every key of ``table`` as ``(description, columns, is_primary_key)``, foreign keys
    included."""
    return [(_describe(owner), columns, owner is None) for columns, owner in _keys(table)]


def _keys(table: TableDefinition) -> list[tuple[tuple[str, ...], object]]:
    """Every key of ``table`` as ``(columns, what defines it)`` (``None``: the primary key);
    the descriptions are only written for an error."""
    # Plain loops: a comprehension is a call of its own, and this runs for every new table.
    keys: list[tuple[tuple[str, ...], object]] = []
    key = table.primary_key
    if key:
        keys.append((key, None))
    for column in table.columns:
        if column.unique:
            keys.append(((column.name,), column))
    for constraint in table.unique_constraints:
        keys.append((constraint.columns, constraint))
    for index in table.indexes:
        keys.append((index.columns, index))
    # A foreign key's columns are indexed (InnoDB requires it) or compared with a key: an
    # unbounded string there needs the same bounded type as in a key.
    for foreign_key in table.foreign_keys:
        keys.append((foreign_key.columns, foreign_key))
    return keys


def _describe(owner: object) -> str:
    if owner is None:
        return "the primary key"
    if isinstance(owner, ColumnDefinition):
        return f"unique column {owner.name!r}"
    if isinstance(owner, UniqueConstraintDefinition):
        return f"unique constraint {owner.name!r}"
    if isinstance(owner, ForeignKeyDefinition):
        return f"foreign key {owner.name!r}"
    assert isinstance(owner, IndexDefinition)
    return f"index {owner.name!r}"


@functools.lru_cache(maxsize=2048)
def key_string_lengths(table: TableDefinition, limits: KeyLimits) -> dict[str, int]:
    """The bounded length of each unbounded STRING column that is part of a key (cached:
    for a caller that asks once per column; see :func:`fit_key_strings`).

    Raises :class:`UnsupportedFeatureError` for a key that cannot fit the budget.
    """
    return fit_key_strings(table, limits)


def fit_key_strings(table: TableDefinition, limits: KeyLimits) -> dict[str, int]:
    """:func:`key_string_lengths` without its cache, for a caller that asks once per table:
    the cache hashes every table it is given, which costs about as much as this."""
    lengths: dict[str, int] = {}
    fixed_widths, widths = limits._fixed_widths(), limits.widths_by_kind()
    by_name = table._lookup()[0]  # the columns by name, kept by the table
    string = _STRING
    for names, owner in _keys(table):
        limit = limits.key_bytes if owner is not None else limits.primary_key_bytes
        fixed = 0
        unbounded: list[str] | None = None
        for name in names:
            column = by_name[name]
            kind = column.data_type
            width = fixed_widths.get(kind)  # the usual case: a fixed-width type
            if width is not None:
                fixed += width
                continue
            if kind is string:
                length = column.max_length
                if length is None:
                    if unbounded is None:
                        unbounded = [name]
                    else:
                        unbounded.append(name)
                    continue
                if length > limits.max_key_string:
                    raise _refuse(
                        limits,
                        table,
                        owner,
                        f"{name!r} is longer than {limits.max_key_string} characters and so "
                        f"stored as {limits.unbounded_type}",
                    )
                fixed += limits.bytes_per_char * length
                continue
            sized = widths.get(kind)
            width = None if sized is None or isinstance(sized, int) else sized(column.type)
            if width is None:
                raise _refuse(limits, table, owner, f"{name!r} is {column.type}")
            fixed += width
        if fixed > limit:
            raise _refuse(
                limits, table, owner, f"its columns take {fixed} bytes, over the {limit}-byte limit"
            )
        if unbounded:
            room = (limit - fixed) // (limits.bytes_per_char * len(unbounded))
            if room < 1:
                raise _refuse(limits, table, owner, f"no room is left for {', '.join(unbounded)}")
            for name in unbounded:
                lengths[name] = min(lengths.get(name, limits.default_string_length), room)
    return lengths


#: Read once (an enum member is looked up through the enum's metaclass).
_STRING = WhizbangDataType.STRING


def _refuse(
    limits: KeyLimits, table: TableDefinition, owner: object, why: str
) -> UnsupportedFeatureError:
    return UnsupportedFeatureError(
        f"{_describe(owner)} cannot be an index key on {limits.dialect}: {why}",
        dialect=limits.dialect,
        table=table.name,
    )
