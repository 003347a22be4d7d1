"""The SQLite dialect of whizbang-schema (SQLite 3.35 and later).

Registered through the ``whizbang_schema`` entry-point group like any third-party plugin; it
uses only the public API of :mod:`whizbang_schema`. Subclass :class:`SQLiteDialect` for an
engine that speaks SQLite's SQL. :func:`format_timestamp` writes timestamps in the one text
form this dialect's defaults use.
"""

from __future__ import annotations

from .plugin import INFO, NAME, SQLiteDialect
from .values import TIMESTAMP_FORMAT, format_timestamp, parse_timestamp

__all__ = [
    "INFO",
    "NAME",
    "TIMESTAMP_FORMAT",
    "SQLiteDialect",
    "format_timestamp",
    "parse_timestamp",
]
