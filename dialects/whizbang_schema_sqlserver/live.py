"""A live SQL Server database through pymssql (the ``[sqlserver]`` extra).

What differs from the other engines: the driver takes the address in parts, a transaction is
``BEGIN TRANSACTION`` (rolled back only if still open, since a failed batch may have ended it),
the schema lock is an application lock owned by the transaction (shared for readers), every
lock wait is bounded by ``SET LOCK_TIMEOUT`` sent with ``BEGIN TRANSACTION``, names compare
case-insensitively, and the error number joins the server's message.

SQL Server cannot run on every machine the tests run on; this module is exercised through
testcontainers wherever a Docker engine answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from whizbang_schema import DatabaseError, DBAPIDatabase, Statement, StatementKind, server_url

#: sp_getapplock's resource: concurrent appliers queue on it inside their transactions.
LOCK_RESOURCE: Final = "whizbang_schema apply"

_EXISTING_SQL: Final = (
    "SELECT 't', s.name, t.name, '' FROM sys.tables t "
    "JOIN sys.schemas s ON s.schema_id = t.schema_id "
    "UNION ALL SELECT 'i', s.name, t.name, i.name FROM sys.indexes i "
    "JOIN sys.tables t ON t.object_id = i.object_id "
    "JOIN sys.schemas s ON s.schema_id = t.schema_id WHERE i.name IS NOT NULL "
    "UNION ALL SELECT 's', name, '', '' FROM sys.schemas"
)


class SqlServerDatabase(DBAPIDatabase):
    """A pymssql connection; :meth:`transaction` is an explicit transaction holding an
    application lock, so DDL is all or nothing and appliers run one after another.

    SQL Server has no read-only session to ask for, so ``read_only`` is a promise of the
    caller's (the core sends no change on such a connection), not the server's.
    """

    dialect = "sqlserver"
    engine = "SQL Server"
    driver_module = "pymssql"
    install_hint = "pip install 'whizbang-schema[sqlserver]'"

    def open(self, target: str, read_only: bool) -> Any:
        url = server_url(target, ("mssql", "sqlserver"), engine=self.engine)
        return self.driver.connect(
            server=url.host or "127.0.0.1",
            port=str(url.port or 1433),
            user=url.user or "sa",
            password=url.password or "",
            database=url.database,
            autocommit=True,
            login_timeout=10,
        )

    def begin(self) -> None:
        self.execute(f"SET LOCK_TIMEOUT {_milliseconds(self.lock_timeout)}; BEGIN TRANSACTION")

    def commit(self) -> None:
        self.execute("COMMIT TRANSACTION")

    def rollback(self) -> None:
        self.execute("IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION")

    def lock(self) -> None:
        (result,) = self.query(
            f"DECLARE @r int; EXEC @r = sp_getapplock @Resource = N'{LOCK_RESOURCE}', "
            f"@LockMode = '{'Shared' if self.read_only else 'Exclusive'}', "
            f"@LockOwner = 'Transaction', @LockTimeout = {_milliseconds(self.lock_timeout)}; "
            f"SELECT @r"
        )[0]
        if result == -1:
            raise DatabaseError(
                f"{self.engine}: waited {self.lock_timeout:g} s for the schema lock "
                f"({LOCK_RESOURCE!r}), held by another session"
            )
        if result < 0:
            raise DatabaseError(f"could not take the schema lock (sp_getapplock returned {result})")

    def existing(self, statements: Sequence[Statement]) -> set[int]:
        rows = self.query(_EXISTING_SQL)
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

    def describe_error(self, exc: BaseException) -> tuple[str, str | None]:
        message, sqlstate = super().describe_error(exc)
        args: tuple[Any, ...] = getattr(exc, "args", ())
        if len(args) == 1 and isinstance(args[0], tuple):  # connecting: ((number, bytes),)
            args = args[0]
        if len(args) >= 2 and isinstance(args[0], int):  # (error number, message bytes)
            raw = args[1]
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
            message = f"{_server_message(text)} (error {args[0]})"
        return message, sqlstate


def _milliseconds(seconds: float) -> int:
    """SQL Server's lock timeout for one in seconds: -1 waits forever."""
    return max(1, round(seconds * 1000)) if seconds else -1


def _server_message(text: str) -> str:
    """The server's sentence in a pymssql message, without DB-Lib's trailer: a statement's
    error reads "Invalid object name 'x'.DB-Lib error message 20018, severity 16:\nGeneral
    SQL Server error: ...", a connection's starts with that header."""
    head = text.split("DB-Lib error message", 1)[0].strip()
    if head:
        return head.splitlines()[0]
    lines = [line for line in text.splitlines()[1:] if line.strip()]
    return lines[0] if lines else text.strip()
