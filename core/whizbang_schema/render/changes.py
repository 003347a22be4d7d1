"""How a stored column's type relates to the type its definition now asks for.

The one place a migration reads and compares column types, so that what a plan does (widen
in place, check the data before narrowing, refuse) follows from one answer per column.
"""

from __future__ import annotations

import enum

from ..model.catalog import LiveColumn
from ..model.datatypes import WhizbangDataType

__all__ = ["TypeChange", "string_length", "type_change"]

#: Integer types from narrowest to widest.
_INTEGERS = (WhizbangDataType.SMALL_INT, WhizbangDataType.INTEGER, WhizbangDataType.BIG_INT)


class TypeChange(enum.Enum):
    """What changing a column from one type to another does to the values it holds."""

    SAME = "same"
    WIDEN_STRING = "widen-string"
    """A longer bound, or none: every stored value still fits."""
    NARROW_STRING = "narrow-string"
    """A shorter bound (or a bound where there was none): longer values would not fit."""
    WIDEN_INTEGER = "widen-integer"
    """A wider integer type: every stored value still fits."""
    OTHER = "other"
    """Anything else (a narrower integer, another kind of value): not planned."""


def string_length(column: LiveColumn) -> int | None:
    """The column's bound when it is a bounded string, else ``None``."""
    column_type = column.type
    if column_type is not None and column_type.kind is WhizbangDataType.STRING:
        return column_type.max_length
    return None


def same_type(stored: LiveColumn, wanted: LiveColumn) -> bool:
    """Whether the two columns have the same type (with its parameters)."""
    return stored.type == wanted.type


def type_change(stored: LiveColumn, wanted: LiveColumn) -> TypeChange:
    """What going from ``stored``'s type to ``wanted``'s does to the values (a type the
    dialect cannot read is ``OTHER``)."""
    if stored.type is not None and same_type(stored, wanted):
        return TypeChange.SAME
    if stored.type is None or wanted.type is None:
        return TypeChange.OTHER
    old, new = stored.type.kind, wanted.type.kind
    if old is WhizbangDataType.STRING and new is WhizbangDataType.STRING:
        before, after = stored.type.max_length, wanted.type.max_length
        if after is None or (before is not None and after >= before):
            return TypeChange.WIDEN_STRING
        return TypeChange.NARROW_STRING
    if old in _INTEGERS and new in _INTEGERS and _INTEGERS.index(new) > _INTEGERS.index(old):
        return TypeChange.WIDEN_INTEGER
    return TypeChange.OTHER
