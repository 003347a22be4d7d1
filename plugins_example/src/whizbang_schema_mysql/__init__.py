"""A MySQL 8 / MariaDB 10.11 dialect for whizbang-schema, installed like any third-party plugin.

It uses only the public API of :mod:`whizbang_schema` and is found through the
``whizbang_schema`` entry-point group, which names :class:`MySQLDialect`. See
``docs/writing-a-dialect.md`` in the whizbang-schema repository for a walk through this package.
"""

from __future__ import annotations

from .plugin import INFO, NAME, MySQLDialect

__all__ = ["INFO", "NAME", "MySQLDialect"]
