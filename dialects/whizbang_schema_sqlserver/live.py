"""A live SQL Server database through pymssql (the ``[sqlserver]`` extra).

SQL Server cannot run on every machine the tests run on; this module is exercised through
testcontainers wherever a Docker engine answers.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

from whizbang_schema import DatabaseError, Statement, StatementKind, redact_url

#: sp_getapplock's resource: concurrent appliers queue on it inside their transactions.
LOCK_RESOURCE: Final = "whizbang_schema apply"
LOCK_TIMEOUT_MS: Final = 60_000


def _message(exc: Exception) -> str:
    args: tuple[Any, ...] = getattr(exc, "args", ())
    if len(args) >= 2 and isinstance(args[0], int):
        text = args[1].decode("utf-8", "replace") if isinstance(args[1], bytes) else str(args[1])
        return f"{text.splitlines()[0] if text else ''} (error {args[0]})"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


class SqlServerDatabase:
    """A pymssql connection; :meth:`transaction` is an explicit transaction holding an
    application lock, so DDL is all or nothing and appliers run one after another."""

    dialect = "sqlserver"
    transactional_ddl = True

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        try:
            parts = urllib.parse.urlsplit(url)
        except ValueError as exc:  # e.g. an unclosed IPv6 bracket
            raise DatabaseError(f"{redact_url(url)} is not a valid URL: {exc}") from None
        database = urllib.parse.unquote(parts.path.lstrip("/"))
        if parts.scheme.split("+")[0] not in ("mssql", "sqlserver") or not database:
            raise DatabaseError(
                "a SQL Server URL is mssql://user:password@host:port/database, "
                f"got {redact_url(url)}"
            )
        try:
            import pymssql
        except ImportError:
            raise DatabaseError(
                "connecting to SQL Server needs pymssql: pip install 'whizbang-schema[sqlserver]'"
            ) from None
        self._errors: Any = pymssql.Error
        self.read_only = read_only
        self.round_trips = 0
        try:
            self._conn: Any = pymssql.connect(
                server=parts.hostname or "127.0.0.1",
                port=str(parts.port or 1433),
                user=urllib.parse.unquote(parts.username or "sa"),
                password=urllib.parse.unquote(parts.password or ""),
                database=database,
                autocommit=True,
                login_timeout=10,
            )
        except (pymssql.Error, ValueError) as exc:
            raise DatabaseError(
                f"cannot connect to SQL Server at {redact_url(url)}: {_message(exc)}"
            ) from None
        self.round_trips += 1

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.execute("BEGIN TRANSACTION")
        try:
            (result,) = self.query(
                f"DECLARE @r int; EXEC @r = sp_getapplock @Resource = N'{LOCK_RESOURCE}', "
                f"@LockMode = 'Exclusive', @LockOwner = 'Transaction', "
                f"@LockTimeout = {LOCK_TIMEOUT_MS}; SELECT @r"
            )[0]
            if result < 0:
                raise DatabaseError(
                    f"could not take the schema lock (sp_getapplock returned {result})"
                )
            yield
        except BaseException:
            self._conn.cursor().execute("IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION")
            self.round_trips += 1
            raise
        self.execute("COMMIT TRANSACTION")

    def existing(self, statements: Sequence[Statement]) -> set[int]:
        rows = self.query(
            "SELECT 't', s.name, t.name, '' FROM sys.tables t "
            "JOIN sys.schemas s ON s.schema_id = t.schema_id "
            "UNION ALL SELECT 'i', s.name, t.name, i.name FROM sys.indexes i "
            "JOIN sys.tables t ON t.object_id = i.object_id "
            "JOIN sys.schemas s ON s.schema_id = t.schema_id WHERE i.name IS NOT NULL "
            "UNION ALL SELECT 's', name, '', '' FROM sys.schemas"
        )
        # Names compare as SQL Server's default collation does: case-insensitively.
        tables = {(r[1].casefold(), r[2].casefold()) for r in rows if r[0] == "t"}
        indexes = {(r[1].casefold(), r[2].casefold(), r[3].casefold()) for r in rows if r[0] == "i"}
        schemas = {r[1].casefold() for r in rows if r[0] == "s"}
        present = set()
        for position, s in enumerate(statements):
            schema = (s.schema or "dbo").casefold()
            if s.kind is StatementKind.CREATE_SCHEMA:
                found = s.name.casefold() in schemas
            elif s.kind is StatementKind.CREATE_INDEX:
                found = (schema, (s.table or "").casefold(), s.name.casefold()) in indexes
            else:
                found = (schema, s.name.casefold()) in tables
            if found:
                present.add(position)
        return present

    def query(self, sql: str, params: Sequence[object] | None = None) -> list[tuple[Any, ...]]:
        """Run a query and return its rows."""
        self.round_trips += 1
        try:
            cursor = self._conn.cursor()
            cursor.execute(sql, tuple(params) if params is not None else None)
            return list(cursor.fetchall())
        except self._errors as exc:
            raise DatabaseError(f"SQL Server: {_message(exc)}") from exc

    def execute(self, sql: str) -> None:
        self.round_trips += 1
        try:
            self._conn.cursor().execute(sql)
        except self._errors as exc:
            raise DatabaseError(f"SQL Server: {_message(exc)}") from exc

    def close(self) -> None:
        self._conn.close()
