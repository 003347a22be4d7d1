"""The SQL Server dialect of whizbang-schema (SQL Server 2016 and later, Azure SQL).

Registered through the ``whizbang_schema`` entry-point group like any third-party plugin; it
uses only the public API of :mod:`whizbang_schema`. :mod:`.rules` checks rendered T-SQL
against SQL Server's documented rules without a server.
"""

from __future__ import annotations

from .plugin import INFO, NAME, SQLServerDialect

__all__ = ["INFO", "NAME", "SQLServerDialect"]
