"""A column's type as a value: the abstract type together with its parameters.

A type is compared, hashed, rendered, read back and diffed as one value, so a parameter (a
string's length, a decimal's precision) never travels as a loose optional field beside it. Each
parameterised type is a small frozen class that checks its own parameters; every other type is
a :class:`SimpleType`. ``column.type.kind`` is the :class:`WhizbangDataType`.

Build one with the class (``StringType(100)``) or from the abstract type with
:func:`column_type` (``column_type(WhizbangDataType.STRING, max_length=100)``), which is what
the 0.1 spelling ``ColumnDefinition("q", WhizbangDataType.STRING, max_length=100)`` does.
"""

from __future__ import annotations

import decimal
import sys
from collections.abc import Callable
from typing import Any, ClassVar

import attrs

from .datatypes import INTEGER_RANGES, WhizbangDataType
from .errors import DefinitionError

__all__ = [
    "MAX_DECIMAL_PRECISION",
    "BytesType",
    "ColumnType",
    "DecimalType",
    "SimpleType",
    "StringType",
    "as_column_type",
    "column_type",
]

#: The most digits a DECIMAL may have: SQL Server's and MySQL's decimal(38) and decimal(65),
#: PostgreSQL's numeric(1000): 38 is what every engine stores exactly.
MAX_DECIMAL_PRECISION = 38


def _positive_length(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DefinitionError(f"must be a positive int, got {value!r}", field=attribute.name)


class ColumnType:
    """Base of the type values. ``kind`` is the abstract type; ``max_length`` is ``None``
    except on a bounded string (or another type with a length)."""

    __slots__ = ()

    kind: WhizbangDataType
    #: The names of the parameters, in the order they are written: ``DECIMAL(18, 2)``.
    parameters: ClassVar[tuple[str, ...]] = ()

    @property
    def max_length(self) -> int | None:
        return None

    @property
    def arguments(self) -> tuple[int, ...]:
        """The parameters that are set, in order (``(18, 2)``, ``(100,)``, ``()``)."""
        values = (getattr(self, name) for name in self.parameters)
        return tuple(v for v in values if v is not None)

    def integer_problem(self, value: int) -> str | None:
        """Why an integer literal (a default) does not fit this type, or ``None`` if the type
        holds it exactly: the one place each type says which integers it takes."""
        kind = self.kind
        if kind is WhizbangDataType.BOOLEAN:
            if value in (0, 1):
                return None
            return (
                f"an integer default on a BOOLEAN column must be 0 (false) or 1 (true), got {value}"
            )
        bounds = INTEGER_RANGES.get(kind)
        if bounds is not None:
            low, high = bounds
            if low <= value <= high:
                return None
            return f"{value} is out of range for {kind.name} ({low}..{high})"
        if kind is WhizbangDataType.DOUBLE:
            if abs(value) > _FLOAT_MAX:
                return f"{value} is no 8-byte float: beyond a DOUBLE's range"
            if float(value) != value:
                return f"{value} is no 8-byte float: a DOUBLE would store {float(value)!r}"
            return None
        return f"an integer default does not fit a {kind.name} column"

    def literal_problem(self, kind: str, value: object) -> str | None:
        """Why a literal default of ``kind`` (``DefaultValue.kind``: ``"integer"``,
        ``"decimal"``...) with ``value`` does not fit this type, or ``None`` if it does: the
        one table saying which literal each type takes (see ``_LITERAL_RULES``)."""
        if kind == "integer":
            return self.integer_problem(value)  # type: ignore[arg-type]  # an IntegerDefault's
        rule = _LITERAL_RULES.get((self.kind, kind))
        if rule is None:
            article = "an" if kind[0] in "aeiou" else "a"
            return f"{article} {kind} default does not fit a {self.kind.name} column"
        return rule(self, value)

    def __str__(self) -> str:
        arguments = self.arguments
        if not arguments:
            return self.kind.name
        return f"{self.kind.name}({', '.join(map(str, arguments))})"


#: The largest finite 8-byte float, as an int (integers beyond it are no float at all).
_FLOAT_MAX = int(sys.float_info.max)

#: Types that take parameters, so a :class:`SimpleType` of them would lose them.
_PARAMETERISED: dict[WhizbangDataType, type[ColumnType]] = {}


def _simple_kind(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, WhizbangDataType):
        raise DefinitionError(f"must be a WhizbangDataType, got {value!r}", field="data_type")
    special = _PARAMETERISED.get(value)
    if special is not None:
        raise DefinitionError(
            f"{value.name} is written {special.__name__}(...), not SimpleType", field="data_type"
        )


@attrs.frozen(slots=True)
class SimpleType(ColumnType):
    """A type without parameters: UUID, TIMESTAMP_TZ, JSON, the integers, BOOLEAN, DATE,
    DOUBLE."""

    kind: WhizbangDataType = attrs.field(validator=_simple_kind)

    def __repr__(self) -> str:
        return f"SimpleType({self.kind!r})"


@attrs.frozen(slots=True)
class StringType(ColumnType):
    """Text; ``max_length`` in characters, ``None`` for unbounded text."""

    parameters: ClassVar[tuple[str, ...]] = ("max_length",)
    max_length: int | None = attrs.field(default=None, validator=_positive_length)
    kind: WhizbangDataType = attrs.field(
        default=WhizbangDataType.STRING, init=False, eq=False, repr=False
    )


@attrs.frozen(slots=True)
class BytesType(ColumnType):
    """Binary data; ``max_length`` in bytes, ``None`` for unbounded binary data."""

    parameters: ClassVar[tuple[str, ...]] = ("max_length",)
    max_length: int | None = attrs.field(default=None, validator=_positive_length)
    kind: WhizbangDataType = attrs.field(
        default=WhizbangDataType.BYTES, init=False, eq=False, repr=False
    )


def _precision(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DefinitionError(f"must be an int, got {value!r}", field=attribute.name)
    if not 1 <= value <= MAX_DECIMAL_PRECISION:
        raise DefinitionError(
            f"must be 1..{MAX_DECIMAL_PRECISION} digits (what every engine stores exactly), "
            f"got {value}",
            field=attribute.name,
        )


def _scale(instance: DecimalType, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DefinitionError(f"must be an int, got {value!r}", field=attribute.name)
    if not 0 <= value <= instance.precision:
        raise DefinitionError(
            f"must be 0..precision ({instance.precision}) digits after the point, got {value}",
            field=attribute.name,
        )


@attrs.frozen(slots=True)
class DecimalType(ColumnType):
    """An exact decimal number: ``precision`` digits in all, ``scale`` of them after the
    point (``DecimalType(18, 2)`` holds -9999999999999999.99 to 9999999999999999.99)."""

    parameters: ClassVar[tuple[str, ...]] = ("precision", "scale")
    precision: int = attrs.field(validator=_precision)
    scale: int = attrs.field(default=0, validator=_scale)
    kind: WhizbangDataType = attrs.field(
        default=WhizbangDataType.DECIMAL, init=False, eq=False, repr=False
    )

    def integer_problem(self, value: int) -> str | None:
        digits = self.precision - self.scale
        if abs(value) < 10**digits:
            return None
        return f"{value} has more than the {digits} digits before the point of {self}"


def _fits_string(column_type: ColumnType, value: Any) -> str | None:
    limit = column_type.max_length
    if limit is not None and len(value) > limit:
        return f"the string default is {len(value)} characters, longer than max_length {limit}"
    return None


def _fits_bytes(column_type: ColumnType, value: Any) -> str | None:
    limit = column_type.max_length
    if limit is not None and len(value) > limit:
        return f"the bytes default is {len(value)} bytes, longer than max_length {limit}"
    return None


def _fits_decimal(column_type: Any, value: decimal.Decimal) -> str | None:
    """Digits after the point beyond the scale would be rounded by the engine (and read back
    as another value); digits before it beyond precision - scale are refused by it."""
    if not value:
        return None  # zero fits every DECIMAL, DECIMAL(2, 2) too
    digits, exponent = value.normalize().as_tuple()[1:]
    assert isinstance(exponent, int)  # a finite Decimal (DecimalDefault checks it)
    after = max(0, -exponent)
    before = max(0, len(digits) + exponent)
    if after > column_type.scale:
        return (
            f"{value} has {after} digits after the point, more than the scale of "
            f"{column_type} ({column_type.scale}): the engine would round it"
        )
    if before > column_type.precision - column_type.scale:
        return (
            f"{value} has {before} digits before the point, more than the "
            f"{column_type.precision - column_type.scale} of {column_type}"
        )
    return None


def _fits_anything(column_type: ColumnType, value: Any) -> str | None:
    return None


#: Which literal default each type takes, beyond integers (``integer_problem``): one rule per
#: (type, default kind); a pair not listed does not fit.
_LITERAL_RULES: dict[tuple[WhizbangDataType, str], Callable[[Any, Any], str | None]] = {
    (WhizbangDataType.STRING, "string"): _fits_string,
    (WhizbangDataType.BOOLEAN, "boolean"): _fits_anything,
    (WhizbangDataType.DECIMAL, "decimal"): _fits_decimal,
    (WhizbangDataType.DOUBLE, "double"): _fits_anything,  # DoubleDefault refuses NaN
    (WhizbangDataType.DATE, "date"): _fits_anything,  # every date is 0001..9999
    (WhizbangDataType.BYTES, "bytes"): _fits_bytes,
}

_PARAMETERISED[WhizbangDataType.STRING] = StringType
_PARAMETERISED[WhizbangDataType.BYTES] = BytesType
_PARAMETERISED[WhizbangDataType.DECIMAL] = DecimalType

#: The one value of each type without parameters, by kind (and an unbounded STRING's).
SIMPLE_TYPES: dict[object, ColumnType] = {
    kind: SimpleType(kind) for kind in WhizbangDataType if kind not in _PARAMETERISED
}
SIMPLE_TYPES[WhizbangDataType.STRING] = StringType()
SIMPLE_TYPES[WhizbangDataType.BYTES] = BytesType()

#: Type values already made, by ``(kind, max_length)``: a schema uses a few types many times,
#: and columns are built by the thousand. Only exact ``int`` lengths are keys (``True == 1``).
COMMON_TYPES: dict[tuple[object, object], ColumnType] = {
    (kind, None): value for kind, value in SIMPLE_TYPES.items()
}


def column_type(kind: WhizbangDataType, *, max_length: int | None = None) -> ColumnType:
    """The type value for ``kind`` with the 0.1 keyword ``max_length`` (STRING and BYTES).

    Raises :class:`DefinitionError` for a parameter the type does not take.
    """
    lengthy = kind is WhizbangDataType.STRING or kind is WhizbangDataType.BYTES
    if max_length is not None and not lengthy and isinstance(kind, WhizbangDataType):
        raise DefinitionError(
            f"only STRING and BYTES columns take a max_length, not {kind.name}",
            field="max_length",
        )
    simple = SIMPLE_TYPES.get(kind)
    if simple is not None and not lengthy:
        return simple
    if lengthy:
        value: ColumnType = (
            StringType(max_length) if kind is WhizbangDataType.STRING else BytesType(max_length)
        )  # checks the length
        if max_length.__class__ is int and len(COMMON_TYPES) < 4096:
            COMMON_TYPES[kind, max_length] = value
        return value
    if not isinstance(kind, WhizbangDataType):
        raise DefinitionError(
            f"must be a WhizbangDataType or a column type, got {kind!r}", field="data_type"
        )
    raise DefinitionError(
        f"{kind.name} needs its parameters: pass {_PARAMETERISED[kind].__name__}(...) as the "
        f"type (e.g. DecimalType(18, 2))",
        field="data_type",
    )


def as_column_type(value: object) -> ColumnType | None:
    """A ``parse_type`` answer as a type value: a type value or ``None`` as it is, and the
    0.1 answer ``(WhizbangDataType, max_length)`` as the type value it means."""
    if value is None or isinstance(value, ColumnType):
        return value
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], WhizbangDataType):
        return column_type(value[0], max_length=value[1])
    raise TypeError(f"parse_type answered {value!r}: expected a column type value or None")
