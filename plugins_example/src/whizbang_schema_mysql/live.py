"""A live MySQL or MariaDB database through PyMySQL (the ``[mysql]`` extra)."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

from whizbang_schema import DatabaseError, Statement, StatementKind, redact_url

#: A server-wide named lock: concurrent appliers queue on it (DDL itself cannot be in a
#: transaction here, so the lock is what keeps two appliers from racing).
LOCK_NAME: Final = "whizbang_schema apply"
LOCK_TIMEOUT_SECONDS: Final = 60


def _message(exc: Exception) -> str:
    args: tuple[Any, ...] = getattr(exc, "args", ())
    if len(args) == 2 and isinstance(args[0], int):
        return f"{args[1]} (error {args[0]})"
    return str(exc) or type(exc).__name__


class MySQLDatabase:
    """A PyMySQL connection in autocommit mode (MySQL commits DDL implicitly anyway)."""

    dialect = "mysql"
    transactional_ddl = False

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        try:
            parts = urllib.parse.urlsplit(url)
        except ValueError as exc:  # e.g. an unclosed IPv6 bracket
            raise DatabaseError(f"{redact_url(url)} is not a valid URL: {exc}") from None
        database = urllib.parse.unquote(parts.path.lstrip("/"))
        if parts.scheme.split("+")[0] not in ("mysql", "mariadb") or not database:
            raise DatabaseError(
                f"a MySQL URL is mysql://user:password@host:port/database, got {redact_url(url)}"
            )
        try:
            import pymysql
        except ImportError:
            raise DatabaseError(
                "connecting to MySQL needs PyMySQL: pip install 'whizbang-schema-mysql[mysql]'"
            ) from None
        self._errors: Any = pymysql.MySQLError
        self.read_only = read_only
        self.round_trips = 0
        try:
            self._conn: Any = pymysql.connect(
                host=parts.hostname or "127.0.0.1",
                port=parts.port or 3306,
                user=urllib.parse.unquote(parts.username or "root"),
                password=urllib.parse.unquote(parts.password or ""),
                database=database,
                charset="utf8mb4",
                autocommit=True,
                connect_timeout=10,
            )
        except (pymysql.MySQLError, ValueError) as exc:
            raise DatabaseError(
                f"cannot connect to MySQL at {redact_url(url)}: {_message(exc)}"
            ) from None
        self.round_trips += 1

    @contextmanager
    def transaction(self) -> Iterator[None]:
        (got,) = self.query("SELECT GET_LOCK(%s, %s)", (LOCK_NAME, LOCK_TIMEOUT_SECONDS))[0]
        if got != 1:
            raise DatabaseError(
                f"another apply held the schema lock for {LOCK_TIMEOUT_SECONDS} seconds"
            )
        try:
            yield
        finally:
            self.query("SELECT RELEASE_LOCK(%s)", (LOCK_NAME,))

    def existing(self, statements: Sequence[Statement]) -> set[int]:
        tables = sorted({s.name for s in statements if s.kind is StatementKind.CREATE_TABLE})
        schemas = sorted({s.name for s in statements if s.kind is StatementKind.CREATE_SCHEMA})
        marks = ", ".join(["%s"] * len(tables)) or "NULL"
        schema_marks = ", ".join(["%s"] * len(schemas)) or "NULL"
        rows = self.query(
            f"SELECT 't', TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES "
            f"WHERE TABLE_NAME IN ({marks}) "
            f"UNION ALL SELECT 's', SCHEMA_NAME, SCHEMA_NAME FROM information_schema.SCHEMATA "
            f"WHERE SCHEMA_NAME IN ({schema_marks}) "
            f"UNION ALL SELECT 'c', DATABASE(), ''",
            (*tables, *schemas),
        )
        found = {(r[1], r[2]) for r in rows if r[0] == "t"}
        found_schemas = {r[1] for r in rows if r[0] == "s"}
        current = next(r[1] for r in rows if r[0] == "c")
        present = set()
        for position, statement in enumerate(statements):
            if statement.kind is StatementKind.CREATE_SCHEMA:
                if statement.name in found_schemas:
                    present.add(position)
            elif (statement.schema or current, statement.name) in found:
                present.add(position)
        return present

    def query(self, sql: str, params: Sequence[object] | None = None) -> list[tuple[Any, ...]]:
        """Run a query and return its rows."""
        self.round_trips += 1
        try:
            with self._conn.cursor() as cursor:
                cursor.execute(sql, params)
                return list(cursor.fetchall())
        except self._errors as exc:
            raise DatabaseError(f"MySQL: {_message(exc)}") from exc

    def execute(self, sql: str) -> None:
        self.round_trips += 1
        try:
            with self._conn.cursor() as cursor:
                cursor.execute(sql)
        except self._errors as exc:
            raise DatabaseError(f"MySQL: {_message(exc)}") from exc

    def close(self) -> None:
        self._conn.close()
