"""The SQLite dialect of whizbang-schema (SQLite 3.35 and later).

Registered through the ``whizbang_schema`` entry-point group like any third-party plugin; it
uses only the public API of :mod:`whizbang_schema`. :func:`format_timestamp` writes
timestamps in the one text form this dialect's defaults use.
"""

from __future__ import annotations

from .plugin import INFO, NAME
from .values import TIMESTAMP_FORMAT, format_timestamp, parse_timestamp

__all__ = ["INFO", "NAME", "TIMESTAMP_FORMAT", "format_timestamp", "parse_timestamp"]
