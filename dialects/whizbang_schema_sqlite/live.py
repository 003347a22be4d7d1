"""A live SQLite database through the standard library's sqlite3 module.

What differs from the other engines: the target is a file (:func:`file_database_path`'s rule),
a read-only target that does not exist reads as an empty database instead of being created,
``BEGIN IMMEDIATE`` is the schema lock, the lock timeout is the busy timeout, and foreign keys
are enforced (``PRAGMA foreign_keys = ON``, which SQLite leaves off in every new connection).
"""

from __future__ import annotations

import os
import sqlite3
import urllib.parse
from collections.abc import Sequence

from whizbang_schema import (
    DatabaseError,
    DBAPIDatabase,
    Statement,
    StatementKind,
    file_database_path,
)


def database_path(target: str) -> str:
    """The file a target names: a plain path, or ``sqlite:///relative`` / ``sqlite:////abs``
    (``sqlite:///`` alone is an in-memory database)."""
    return file_database_path(target, "sqlite", engine="SQLite") or ":memory:"


class SqliteDatabase(DBAPIDatabase):
    """A SQLite file; :meth:`transaction` is ``BEGIN IMMEDIATE``, so concurrent appliers
    wait for each other (up to :attr:`lock_timeout` seconds) instead of failing mid-way. A
    reader's ``BEGIN`` takes no lock until it reads, and then only a shared one.

    Opened read-only, an existing file is opened with ``mode=ro`` and a missing one is not
    created: it reads as an empty (in-memory, query-only) database.
    """

    dialect = "sqlite"
    engine = "SQLite"
    driver_module = "sqlite3"
    install_hint = "sqlite3 is part of the standard library; use a Python built with it"

    def open(self, target: str, read_only: bool) -> sqlite3.Connection:
        path = self.path = database_path(target)
        if path == ":memory:" or (read_only and not os.path.exists(path)):
            connection = sqlite3.connect(":memory:", isolation_level=None)
            connection.execute("PRAGMA foreign_keys = ON")
            if read_only:
                connection.execute("PRAGMA query_only = ON")
            return connection
        if os.path.isdir(path):
            raise DatabaseError(f"{path!r} is a directory, not a SQLite database file")
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            raise DatabaseError(f"cannot create {path!r}: directory {parent!r} does not exist")
        timeout = _busy_seconds(self.lock_timeout)
        if read_only:
            # The path's own bytes, so a name that is not UTF-8 still opens.
            uri = "file:" + urllib.parse.quote(os.fsencode(os.path.abspath(path))) + "?mode=ro"
            connection = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout)
        else:
            connection = sqlite3.connect(path, isolation_level=None, timeout=timeout)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a database?
            # Off by default in every connection: without it foreign keys are not enforced.
            connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error:
            connection.close()
            raise
        return connection

    def cursor(self) -> sqlite3.Cursor:
        cursor: sqlite3.Cursor = self.connection.cursor()
        cursor.row_factory = None  # tuples, whatever the caller's connection.row_factory
        return cursor

    def autocommit(self) -> bool:
        # isolation_level None is sqlite3's autocommit mode (before Python 3.12's attribute).
        own = getattr(self.connection, "autocommit", None)
        return own is True or (own is not False and self.connection.isolation_level is None)

    def in_transaction(self) -> bool:
        # sqlite3 begins implicitly only before INSERT, UPDATE, DELETE and REPLACE.
        return bool(self.connection.in_transaction)

    def take_connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection = self.connection
        self._closed = True  # forgotten: the caller closes it
        connection.isolation_level = "DEFERRED"
        connection.execute("BEGIN")  # DDL too is inside, not only what sqlite3 begins for
        return connection

    def set_lock_timeout(self, seconds: float) -> None:
        self.execute(f"PRAGMA busy_timeout = {round(_busy_seconds(seconds) * 1000)}")

    def begin(self) -> None:
        if not self.read_only and not self.borrowed:
            # A schema change runs with foreign keys off, as SQLite's documented procedure for
            # changing a table says: a migration plan's rebuild drops the old table, which
            # with them on would fire its referencing tables' ON DELETE actions (CASCADE
            # would delete their rows). The plan checks them after (foreign_key_check); they
            # are on again when the transaction ends. (Inside a transaction the pragma is a
            # no-op, so it is set before BEGIN. In-process, not a round trip: not counted.)
            self.connection.execute("PRAGMA foreign_keys = OFF")
        try:
            self.execute("BEGIN" if self.read_only else "BEGIN IMMEDIATE")
        except DatabaseError as exc:
            self._keys_on()
            if "locked" not in str(exc) or not self.lock_timeout:
                raise
            raise DatabaseError(
                f"{exc}: waited {self.lock_timeout:g} s for another connection to finish "
                f"writing (SQLite cannot tell which)",
                sqlstate=exc.sqlstate,
            ) from exc

    def commit(self) -> None:
        super().commit()
        self._keys_on()

    def rollback(self) -> None:
        super().rollback()
        self._keys_on()

    def _keys_on(self) -> None:
        if not self.read_only and not self.borrowed:
            self.connection.execute("PRAGMA foreign_keys = ON")

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


def _busy_seconds(seconds: float) -> float:
    """SQLite's busy timeout for a lock timeout: 0 (wait forever) is the longest it takes."""
    return seconds or 2_000_000.0
