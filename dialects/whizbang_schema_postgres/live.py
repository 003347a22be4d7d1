"""A live PostgreSQL database through psycopg 3 (the ``[postgres]`` extra)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final

from whizbang_schema import DatabaseError, Statement, StatementKind, redact_url

#: The advisory-lock key every whizbang-schema apply takes, so concurrent appliers queue
#: instead of racing (concurrent CREATE TABLE IF NOT EXISTS can fail on pg_type's index).
LOCK_KEY: Final = zlib.crc32(b"whizbang_schema apply")

_EXISTING_SQL: Final = """
SELECT 'r', n.nspname, c.relname
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relname = ANY(%(names)s)
UNION ALL
SELECT 's', nspname, nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY(%(schemas)s)
UNION ALL
SELECT 'c', current_schema(), ''
"""


def _message(exc: Exception) -> str:
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None)
    sqlstate = getattr(exc, "sqlstate", None)
    text = primary or (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return f"{text} (SQLSTATE {sqlstate})" if sqlstate else text


class PostgresDatabase:
    """A PostgreSQL connection in autocommit mode; :meth:`transaction` opens explicit ones."""

    dialect = "postgres"
    transactional_ddl = True

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        try:
            import psycopg
        except ImportError:
            raise DatabaseError(
                "connecting to PostgreSQL needs psycopg 3: pip install 'whizbang-schema[postgres]'"
            ) from None
        self._psycopg: Any = psycopg
        self.round_trips = 0
        try:
            self._conn: Any = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except (psycopg.Error, ValueError) as exc:
            raise DatabaseError(
                f"cannot connect to PostgreSQL at {redact_url(url)}: {_message(exc)}"
            ) from None
        self.round_trips += 1
        if read_only:
            self.execute("SET default_transaction_read_only = on")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        try:
            with self._conn.transaction():
                self.execute(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
                yield
        except self._psycopg.Error as exc:
            raise DatabaseError(f"PostgreSQL: {_message(exc)}") from exc
        self.round_trips += 2  # BEGIN and COMMIT

    def existing(self, statements: Sequence[Statement]) -> set[int]:
        names = sorted({s.name for s in statements if s.kind is not StatementKind.CREATE_SCHEMA})
        schemas = sorted({s.name for s in statements if s.kind is StatementKind.CREATE_SCHEMA})
        rows = self.query(_EXISTING_SQL, {"names": names, "schemas": schemas})
        relations = {(r[1], r[2]) for r in rows if r[0] == "r"}
        found_schemas = {r[1] for r in rows if r[0] == "s"}
        current = next(r[1] for r in rows if r[0] == "c")
        present = set()
        for position, statement in enumerate(statements):
            if statement.kind is StatementKind.CREATE_SCHEMA:
                if statement.name in found_schemas:
                    present.add(position)
            elif (statement.schema or current, statement.name) in relations:
                present.add(position)
        return present

    def query(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a query and return its rows."""
        self.round_trips += 1
        try:
            with self._conn.cursor() as cursor:
                cursor.execute(sql, params)
                return list(cursor.fetchall())
        except self._psycopg.Error as exc:
            raise DatabaseError(f"PostgreSQL: {_message(exc)}") from exc

    def execute(self, sql: str) -> None:
        self.round_trips += 1
        try:
            self._conn.execute(sql)
        except self._psycopg.Error as exc:
            raise DatabaseError(f"PostgreSQL: {_message(exc)}") from exc

    def close(self) -> None:
        self._conn.close()
