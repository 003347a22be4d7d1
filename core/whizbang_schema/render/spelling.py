"""Spelling values and names as SQL: quoting decisions and the value of a literal default."""

from __future__ import annotations

from ..model.datatypes import WhizbangDataType
from ..model.defaults import LITERAL_DEFAULTS, DefaultValue, IntegerDefault
from ..model.definitions import ColumnDefinition
from .context import RenderContext

__all__ = ["literal_value", "needs_quoting", "quote_with"]


def needs_quoting(name: str, context: RenderContext) -> bool:
    """Whether ``name`` must be quoted: reserved in the dialect, or not a plain bare name."""
    return context.needs_quoting(name)


def quote_with(name: str, start: str, end: str) -> str:
    """Quote ``name`` between ``start`` and ``end``, doubling ``end`` inside it."""
    return start + name.replace(end, end + end) + end


def literal_value(column: ColumnDefinition, default: DefaultValue) -> object:
    """The Python value a literal default stands for (integer 0/1 on BOOLEAN: a bool; a
    ``Decimal``, ``float``, ``date`` or ``bytes`` as it is)."""
    assert isinstance(default, LITERAL_DEFAULTS)
    if isinstance(default, IntegerDefault) and column.data_type is WhizbangDataType.BOOLEAN:
        return bool(default.value)
    return default.value  # type: ignore[attr-defined]  # every literal default has one
