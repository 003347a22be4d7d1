"""Column default values: one small frozen class per kind, built through ``DefaultValue``.

A default is only a value here. Whether it fits its column (an integer in range, a string
within ``max_length``, a function that yields the column's type) is checked by
:class:`~whizbang_schema.ColumnDefinition`, which knows the column.
"""

from __future__ import annotations

from typing import ClassVar

import attrs

from .datatypes import DefaultValueFunction
from .errors import DefinitionError
from .text import check_text

__all__ = [
    "BooleanDefault",
    "DefaultValue",
    "FunctionDefault",
    "IntegerDefault",
    "NullDefault",
    "StringDefault",
]


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
