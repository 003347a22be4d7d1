"""Constants of the wrong kind in a predicate: ``s = 1`` on a string column, ``u = 1`` on a
UUID one, ``n = 'x'`` or ``n = TRUE`` on an integer one.

Engines disagree on such comparisons: PostgreSQL refuses them (there is no ``text = integer``
operator), SQL Server converts the *column* to the constant's type (an error in a filtered
index), MySQL and SQLite compare by their own coercion rules. A definition must mean one thing
everywhere, so a table refuses a predicate that compares a column with a constant of another
kind. Only ``column <op> constant``, ``column [NOT] IN (constants)`` and ``column [NOT]
BETWEEN constants`` are checked; NULL is a constant of every kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .datatypes import INTEGER_RANGES, WhizbangDataType
from .predicate import Token, TokenKind

__all__ = ["constant_mismatches"]

_TEXT_TYPES = frozenset(
    {
        WhizbangDataType.STRING,
        WhizbangDataType.JSON,
        WhizbangDataType.UUID,
        WhizbangDataType.TIMESTAMP_TZ,
        WhizbangDataType.DATE,  # '2024-02-29': the constant converts, never the column
    }
)
_NUMBER_TYPES = frozenset({WhizbangDataType.DECIMAL, WhizbangDataType.DOUBLE})


def _kind(node: Any) -> tuple[str, str] | None:
    """``(kind, text)`` of a literal, a signed number included; ``None`` for anything else
    (and for NULL, which every column type takes)."""
    sign = ""
    while node[0] == "unary" and node[1] in ("-", "+"):
        sign += node[1]
        node = node[2]
    if node[0] != "literal":
        return None
    token: Token = node[1]
    if token.kind is TokenKind.NUMBER:
        return "number", sign + token.text
    if sign:
        return None
    if token.kind is TokenKind.STRING:
        return "string", token.text
    if token.value in ("TRUE", "FALSE"):
        return "boolean", token.value
    return None


def _wanted(data_type: WhizbangDataType) -> str:
    if data_type in INTEGER_RANGES or data_type in _NUMBER_TYPES:
        return "number"
    if data_type is WhizbangDataType.BOOLEAN:
        return "boolean"
    return "string" if data_type in _TEXT_TYPES else ""


def _comparisons(tree: Any) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    """Each (column side, constants) that the predicate compares directly."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if not isinstance(node, tuple) or not node or not isinstance(node[0], str):
            continue
        kind = node[0]
        if kind == "cmp":
            yield node[2], (node[3],)
            yield node[3], (node[2],)
        elif kind == "in":
            yield node[2], tuple(node[3])
        elif kind == "between":
            yield node[2], (node[3], node[4])
        stack.extend(part for part in node[1:] if isinstance(part, tuple))


def constant_mismatches(
    tree: Any, column_type: Callable[[Token], WhizbangDataType | None]
) -> list[str]:
    """Why each comparison of a column with a constant of another kind is wrong (empty when
    there is none). ``column_type`` gives the type of the column a token names."""
    problems = []
    for side, constants in _comparisons(tree):
        if side[0] != "column":
            continue
        data_type = column_type(side[1])
        if data_type is None:
            continue
        wanted = _wanted(data_type)
        for constant in constants:
            found = _kind(constant)
            if found is not None and found[0] != wanted:
                problems.append(
                    f"compares {data_type.name} column {side[1].text} with the {found[0]} "
                    f"{found[1]}; engines read that differently (PostgreSQL refuses it, SQL "
                    f"Server converts the column): write a {wanted or 'matching'} constant"
                )
    return problems
