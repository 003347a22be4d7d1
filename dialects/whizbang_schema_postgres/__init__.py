"""The PostgreSQL dialect of whizbang-schema (PostgreSQL 13 and later).

Registered through the ``whizbang_schema`` entry-point group like any third-party plugin; it
uses only the public API of :mod:`whizbang_schema`. Subclass :class:`PostgresDialect` for an
engine that speaks PostgreSQL's SQL.
"""

from __future__ import annotations

from .plugin import INFO, NAME, PostgresDialect

__all__ = ["INFO", "NAME", "PostgresDialect"]
