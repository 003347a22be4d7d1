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
from .datatypes import WhizbangDataType
from .definitions import TableDefinition
from .errors import UnsupportedFeatureError

__all__ = ["KeyLimits", "KeyWidth", "key_string_lengths", "table_keys"]


#: A type's key bytes: a number for a fixed-width type, or a function of the type value for
#: one whose width depends on its parameters (``None``: it cannot be a key column).
KeyWidth = Union[int, Callable[[ColumnType], int | None]]  # noqa: UP007


def _widths(
    value: Mapping[WhizbangDataType, KeyWidth] | Iterable[tuple[WhizbangDataType, KeyWidth]],
) -> tuple[tuple[WhizbangDataType, KeyWidth], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted(items, key=lambda item: item[0].value))


@attrs.frozen(slots=True)
class KeyLimits:
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
        wanted = column_type if isinstance(column_type, WhizbangDataType) else column_type.kind
        for kind, width in self.widths:
            if kind is wanted:
                if isinstance(width, int):
                    return width
                if isinstance(column_type, WhizbangDataType):
                    return None  # the width depends on parameters the caller did not give
                return width(column_type)
        return None


def table_keys(table: TableDefinition) -> list[tuple[str, tuple[str, ...], bool]]:
    """Every key of ``table`` as ``(description, columns, is_primary_key)``, foreign keys
    included."""
    keys: list[tuple[str, tuple[str, ...], bool]] = []
    if table.primary_key:
        keys.append(("the primary key", table.primary_key, True))
    keys.extend((f"unique column {c.name!r}", (c.name,), False) for c in table.columns if c.unique)
    keys.extend(
        (f"unique constraint {u.name!r}", u.columns, False) for u in table.unique_constraints
    )
    keys.extend((f"index {i.name!r}", i.columns, False) for i in table.indexes)
    # A foreign key's columns are indexed (InnoDB requires it) or compared with a key: an
    # unbounded string there needs the same bounded type as in a key.
    keys.extend((f"foreign key {f.name!r}", f.columns, False) for f in table.foreign_keys)
    return keys


@functools.lru_cache(maxsize=2048)
def key_string_lengths(table: TableDefinition, limits: KeyLimits) -> dict[str, int]:
    """The bounded length of each unbounded STRING column that is part of a key.

    Raises :class:`UnsupportedFeatureError` for a key that cannot fit the budget.
    """
    lengths: dict[str, int] = {}
    for what, names, primary in table_keys(table):
        limit = limits.primary_key_bytes if primary else limits.key_bytes
        fixed = 0
        unbounded: list[str] = []
        for name in names:
            column_type = table.column(name).type
            length = column_type.max_length
            if column_type.kind is WhizbangDataType.STRING and length is None:
                unbounded.append(name)
            elif column_type.kind is WhizbangDataType.STRING:
                assert length is not None
                if length > limits.max_key_string:
                    raise _refuse(
                        limits,
                        table,
                        what,
                        f"{name!r} is longer than {limits.max_key_string} characters and so "
                        f"stored as {limits.unbounded_type}",
                    )
                fixed += limits.bytes_per_char * length
            else:
                width = limits.width(column_type)
                if width is None:
                    raise _refuse(limits, table, what, f"{name!r} is {column_type}")
                fixed += width
        if fixed > limit:
            raise _refuse(
                limits, table, what, f"its columns take {fixed} bytes, over the {limit}-byte limit"
            )
        if unbounded:
            room = (limit - fixed) // (limits.bytes_per_char * len(unbounded))
            if room < 1:
                raise _refuse(limits, table, what, f"no room is left for {', '.join(unbounded)}")
            for name in unbounded:
                lengths[name] = min(lengths.get(name, limits.default_string_length), room)
    return lengths


def _refuse(
    limits: KeyLimits, table: TableDefinition, what: str, why: str
) -> UnsupportedFeatureError:
    return UnsupportedFeatureError(
        f"{what} cannot be an index key on {limits.dialect}: {why}",
        dialect=limits.dialect,
        table=table.name,
    )
