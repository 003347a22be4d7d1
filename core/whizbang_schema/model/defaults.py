"""Column default values: one small frozen class per kind, built through ``DefaultValue``.

A default is only a value here. Whether it fits its column (an integer in range, a string
within ``max_length``, a function that yields the column's type) is checked by
:class:`~whizbang_schema.ColumnDefinition`, which knows the column.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from typing import ClassVar

import attrs

from .datatypes import DefaultValueFunction
from .errors import DefinitionError
from .text import check_text

__all__ = [
    "LITERAL_DEFAULTS",
    "MAX_BYTES_DEFAULT",
    "BooleanDefault",
    "BytesDefault",
    "DateDefault",
    "DecimalDefault",
    "DefaultValue",
    "DoubleDefault",
    "FunctionDefault",
    "IntegerDefault",
    "NullDefault",
    "StringDefault",
]

#: The longest BYTES default: a default is a constant written into every CREATE TABLE and
#: ALTER TABLE (as 2 hex digits per byte), not data; larger values belong in rows.
MAX_BYTES_DEFAULT = 4000

# The factories DefaultValue.decimal and .bytes hide these names inside the class.
_Decimal = decimal.Decimal
_Bytes = bytes


@attrs.frozen(slots=True)
class DefaultValue:
    """Base of the default kinds; use the factories, e.g. ``DefaultValue.integer(0)``."""

    kind: ClassVar[str] = "abstract"

    @staticmethod
    def integer(value: int) -> IntegerDefault:
        """A literal integer. On a BOOLEAN column, 0 and 1 mean false and true."""
        return IntegerDefault(value)

    @staticmethod
    def string(value: str) -> StringDefault:
        """A literal string, quoted and escaped by each dialect."""
        return StringDefault(value)

    @staticmethod
    def boolean(value: bool) -> BooleanDefault:
        """A literal boolean, rendered as the dialect's boolean literal."""
        return BooleanDefault(value)

    @staticmethod
    def decimal(value: _Decimal | str) -> DecimalDefault:
        """An exact decimal for a DECIMAL column: a ``Decimal`` or its text (``"0.00"``),
        never a float (``0.1`` as a float is not 0.1)."""
        return DecimalDefault(value)

    @staticmethod
    def double(value: float) -> DoubleDefault:
        """A float for a DOUBLE column; an infinity only where the engine stores one."""
        return DoubleDefault(value)

    @staticmethod
    def date(value: dt.date) -> DateDefault:
        """A calendar date for a DATE column (a ``datetime`` is refused: it has a time)."""
        return DateDefault(value)

    @staticmethod
    def bytes(value: _Bytes) -> BytesDefault:
        """Binary data for a BYTES column, at most ``MAX_BYTES_DEFAULT`` bytes."""
        return BytesDefault(value)

    @staticmethod
    def function(function: DefaultValueFunction) -> FunctionDefault:
        """A value the database computes per row, such as the current instant or a new UUID."""
        return FunctionDefault(function)

    @staticmethod
    def null() -> NullDefault:
        """An explicit ``DEFAULT NULL``; always the same object."""
        return NULL_DEFAULT


def _check_int(instance: object, attribute: attrs.Attribute[int], value: object) -> None:
    # bool is a subclass of int; DefaultValue.integer(True) is almost always a mistake.
    if isinstance(value, bool) or not isinstance(value, int):
        raise DefinitionError(
            f"an integer default needs an int, got {type(value).__name__} {value!r}"
            + (" (use DefaultValue.boolean for booleans)" if isinstance(value, bool) else ""),
            field="default",
        )


def _check_str(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise DefinitionError(
            f"a string default needs a str, got {type(value).__name__} {value!r}", field="default"
        )
    problem = check_text(value)
    if problem:
        raise DefinitionError(f"a string default {problem}", field="default")


def _check_bool(instance: object, attribute: attrs.Attribute[bool], value: object) -> None:
    if not isinstance(value, bool):
        raise DefinitionError(
            f"a boolean default needs a bool, got {type(value).__name__} {value!r}",
            field="default",
        )


def _check_function(
    instance: object, attribute: attrs.Attribute[DefaultValueFunction], value: object
) -> None:
    if not isinstance(value, DefaultValueFunction):
        raise DefinitionError(
            f"a function default needs a DefaultValueFunction, got {value!r}", field="default"
        )


def _to_decimal(value: object) -> object:
    if isinstance(value, str):
        try:
            return decimal.Decimal(value.strip())
        except decimal.InvalidOperation:
            raise DefinitionError(
                f"a decimal default needs a number, got the text {value!r}", field="default"
            ) from None
    return value


def _check_decimal(
    instance: object, attribute: attrs.Attribute[decimal.Decimal], value: object
) -> None:
    if not isinstance(value, decimal.Decimal):
        hint = " (a float is not exact: pass Decimal('...') or the text)"
        raise DefinitionError(
            f"a decimal default needs a Decimal or its text, got {type(value).__name__} "
            f"{value!r}" + (hint if isinstance(value, float) else ""),
            field="default",
        )
    if not value.is_finite():
        raise DefinitionError(f"a decimal default must be a number, got {value}", field="default")


def _check_double(instance: object, attribute: attrs.Attribute[float], value: object) -> None:
    if not isinstance(value, float):
        raise DefinitionError(
            f"a double default needs a float, got {type(value).__name__} {value!r}"
            + (" (use DefaultValue.integer for a whole number)" if isinstance(value, int) else ""),
            field="default",
        )
    if math.isnan(value):
        raise DefinitionError(
            "a double default cannot be NaN: engines store it as NULL or refuse it, and it "
            "equals nothing, so no check could confirm it",
            field="default",
        )


def _check_date(instance: object, attribute: attrs.Attribute[dt.date], value: object) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise DefinitionError(
            f"a date default needs a datetime.date (not a datetime), got "
            f"{type(value).__name__} {value!r}",
            field="default",
        )


def _to_bytes(value: object) -> object:
    return bytes(value) if isinstance(value, (bytearray, memoryview)) else value


def _check_bytes(instance: object, attribute: attrs.Attribute[bytes], value: object) -> None:
    if not isinstance(value, bytes):
        raise DefinitionError(
            f"a bytes default needs bytes, got {type(value).__name__} {value!r}", field="default"
        )
    if len(value) > MAX_BYTES_DEFAULT:
        raise DefinitionError(
            f"a bytes default is at most {MAX_BYTES_DEFAULT} bytes, got {len(value)}",
            field="default",
        )


@attrs.frozen(slots=True)
class IntegerDefault(DefaultValue):
    """``DEFAULT <integer>``."""

    kind: ClassVar[str] = "integer"
    value: int = attrs.field(validator=_check_int)

    def __str__(self) -> str:
        return str(self.value)


@attrs.frozen(slots=True)
class StringDefault(DefaultValue):
    """``DEFAULT '<string>'``."""

    kind: ClassVar[str] = "string"
    value: str = attrs.field(validator=_check_str)

    def __str__(self) -> str:
        return "'" + self.value.replace("'", "''") + "'"


@attrs.frozen(slots=True)
class BooleanDefault(DefaultValue):
    """``DEFAULT TRUE`` / ``FALSE`` or the dialect's equivalent."""

    kind: ClassVar[str] = "boolean"
    value: bool = attrs.field(validator=_check_bool)

    def __str__(self) -> str:
        return "TRUE" if self.value else "FALSE"


@attrs.frozen(slots=True)
class DecimalDefault(DefaultValue):
    """``DEFAULT <exact decimal>``, e.g. ``0.00`` on a DECIMAL(18, 2) column."""

    kind: ClassVar[str] = "decimal"
    value: decimal.Decimal = attrs.field(converter=_to_decimal, validator=_check_decimal)

    def __str__(self) -> str:
        return format(self.value, "f")


@attrs.frozen(slots=True)
class DoubleDefault(DefaultValue):
    """``DEFAULT <float>`` on a DOUBLE column."""

    kind: ClassVar[str] = "double"
    value: float = attrs.field(validator=_check_double)

    def __str__(self) -> str:
        return repr(self.value)


@attrs.frozen(slots=True)
class DateDefault(DefaultValue):
    """``DEFAULT '<YYYY-MM-DD>'`` on a DATE column."""

    kind: ClassVar[str] = "date"
    value: dt.date = attrs.field(validator=_check_date)

    def __str__(self) -> str:
        return f"'{self.value.isoformat()}'"


@attrs.frozen(slots=True)
class BytesDefault(DefaultValue):
    """Binary data as a default on a BYTES column."""

    kind: ClassVar[str] = "bytes"
    value: bytes = attrs.field(converter=_to_bytes, validator=_check_bytes)

    def __str__(self) -> str:
        return f"X'{self.value.hex().upper()}'"


@attrs.frozen(slots=True)
class FunctionDefault(DefaultValue):
    """A default computed by the database, such as ``gen_random_uuid()``."""

    kind: ClassVar[str] = "function"
    value: DefaultValueFunction = attrs.field(validator=_check_function)

    def __str__(self) -> str:
        return f"{self.value.name}()"


@attrs.frozen(slots=True)
class NullDefault(DefaultValue):
    """``DEFAULT NULL``."""

    kind: ClassVar[str] = "null"

    def __str__(self) -> str:
        return "NULL"


NULL_DEFAULT = NullDefault()


#: The defaults that are literal values (rendered by a dialect's ``render_literal``).
LITERAL_DEFAULTS: tuple[type[DefaultValue], ...] = (
    IntegerDefault,
    StringDefault,
    BooleanDefault,
    DecimalDefault,
    DoubleDefault,
    DateDefault,
    BytesDefault,
)
