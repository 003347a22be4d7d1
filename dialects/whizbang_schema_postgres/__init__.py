"""The PostgreSQL dialect of whizbang-schema (PostgreSQL 13 and later).

Registered through the ``whizbang_schema`` entry-point group like any third-party plugin; it
uses only the public API of :mod:`whizbang_schema`.
"""

from __future__ import annotations

from .plugin import INFO, NAME

__all__ = ["INFO", "NAME"]
