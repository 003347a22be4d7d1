"""The JSON every command prints with ``--json``: one object, ``"format": 1``, shapes
documented by the JSON Schema files in ``docs/json/``.

Rows are built here, once, so that ``apply``, ``diff``, ``check`` and ``migrate`` describe a
statement, a difference and a refusal the same way.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..live.diff import Difference
    from ..render.statements import Statement

FORMAT = 1
"""Raised when a field changes meaning or disappears; new fields may come without it."""


def emit(payload: dict[str, Any]) -> None:
    """Print ``payload`` as the command's one JSON object, ``format`` first."""
    sys.stdout.write(json.dumps({"format": FORMAT, **payload}, indent=2) + "\n")


def statement_row(statement: Statement) -> dict[str, Any]:
    return {
        "kind": statement.kind.value,
        "name": statement.name,
        "table": statement.table,
        "schema": statement.schema,
        "sql": statement.sql,
        "notes": list(statement.notes),
    }


def statement_rows(statements: Iterable[Statement]) -> list[dict[str, Any]]:
    return [statement_row(s) for s in statements]


def difference_row(difference: Difference) -> dict[str, Any]:
    return {
        "kind": difference.kind,
        "table": difference.table,
        "name": difference.name,
        "expected": difference.expected,
        "actual": difference.actual,
        "message": str(difference),
    }


def refusal_row(difference: Difference, reason: str) -> dict[str, Any]:
    """A difference left for a person: the difference's fields and the ``reason``."""
    return {**difference_row(difference), "reason": reason}


def error_payload(kind: str, message: str, exc: BaseException | None = None) -> dict[str, Any]:
    """An error as JSON: ``kind`` (usage, definition, render, plugin, database, warning,
    interrupted, terminated, internal), the one-line ``message``, and where a definition
    error points (``table``, ``column``, ``field``) and the failing statement's name."""
    error: dict[str, Any] = {
        "kind": kind,
        "message": message,
        "table": getattr(exc, "table", None),
        "column": getattr(exc, "column", None),
        "field": getattr(exc, "field", None),
        "reason": getattr(exc, "reason", None) or message,
    }
    statement = getattr(exc, "statement", None)
    error["name"] = getattr(statement, "name", None)
    if error["table"] is None and statement is not None:
        error["table"] = getattr(statement, "table", None)
    return {"error": error}
