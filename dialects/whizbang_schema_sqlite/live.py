"""A live SQLite database through the standard library's sqlite3 module."""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from whizbang_schema import DatabaseError, Statement, StatementKind


def database_path(target: str) -> str:
    """The file a target names: a plain path, or ``sqlite:///relative`` / ``sqlite:////abs``."""
    if target.startswith("sqlite://"):
        rest = target[len("sqlite://") :]
        if not rest.startswith("/"):
            raise DatabaseError(
                "a SQLite URL is sqlite:///relative/path or sqlite:////absolute/path, "
                f"got {target!r}"
            )
        return rest[1:] or ":memory:"
    return target


class SqliteDatabase:
    """A SQLite file; :meth:`transaction` is ``BEGIN IMMEDIATE``, so concurrent appliers
    wait for each other (up to ``timeout`` seconds) instead of failing mid-way."""

    dialect = "sqlite"
    transactional_ddl = True

    def __init__(self, target: str, *, read_only: bool = False, timeout: float = 30.0) -> None:
        path = database_path(target)
        self.path = path
        self.round_trips = 0
        self.read_only = read_only
        if read_only and path != ":memory:" and not os.path.exists(path):
            path = ":memory:"  # a file that does not exist reads as an empty database
        elif path != ":memory:":
            if os.path.isdir(path):
                raise DatabaseError(f"{path!r} is a directory, not a SQLite database file")
            parent = os.path.dirname(os.path.abspath(path))
            if not os.path.isdir(parent):
                raise DatabaseError(f"cannot create {path!r}: directory {parent!r} does not exist")
        try:
            if read_only and path != ":memory:":
                # The path's own bytes, so a name that is not UTF-8 still opens.
                uri = "file:" + urllib.parse.quote(os.fsencode(os.path.abspath(path))) + "?mode=ro"
                self.connection = sqlite3.connect(
                    uri, uri=True, isolation_level=None, timeout=timeout
                )
            else:
                self.connection = sqlite3.connect(path, isolation_level=None, timeout=timeout)
            self.connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except (sqlite3.Error, ValueError) as exc:  # ValueError: a NUL in the path
            raise DatabaseError(f"cannot open SQLite database {path!r}: {exc}") from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.execute("BEGIN" if self.read_only else "BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            self.round_trips += 1
            raise
        self.execute("COMMIT")

    def existing(self, statements: Sequence[Statement]) -> set[int]:
        catalogs: dict[str | None, set[str]] = {}
        for schema in sorted({s.schema or "" for s in statements}):
            prefix = f'"{schema}".' if schema else ""
            rows = self.query(
                f"SELECT name FROM {prefix}sqlite_master WHERE type IN ('table', 'index')"
            )
            catalogs[schema or None] = {str(r[0]).casefold() for r in rows}
        return {
            position
            for position, s in enumerate(statements)
            if s.kind is not StatementKind.CREATE_SCHEMA and s.name.casefold() in catalogs[s.schema]
        }

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        """Run a query and return its rows."""
        self.round_trips += 1
        try:
            return list(self.connection.execute(sql, params).fetchall())
        except sqlite3.Error as exc:
            raise DatabaseError(f"SQLite: {exc}") from exc

    def execute(self, sql: str) -> None:
        self.round_trips += 1
        try:
            self.connection.execute(sql)
        except sqlite3.Error as exc:
            raise DatabaseError(f"SQLite: {exc}") from exc

    def close(self) -> None:
        self.connection.close()
