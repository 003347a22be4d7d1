"""Lock timeouts on the real engines (issue 13): with another session holding what a command
needs, the command gives up within its lock timeout (plus a little), names the holder where
the engine can tell, and leaves nothing half-done; readers share the lock instead of taking
it; 0 waits forever."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from whizbang_schema import DatabaseError, SchemaConfiguration, apply_schema, connect
from whizbang_schema.live.introspect import diff_schema
from whizbang_schema.live.migrate import migrate_schema
from whizbang_schema_postgres.live import LOCK_KEY


def timed(action: Any) -> tuple[DatabaseError, float]:
    started = time.monotonic()
    with pytest.raises(DatabaseError) as caught:
        action()
    return caught.value, time.monotonic() - started


@pytest.fixture
def applied(postgres_url: str) -> str:
    apply_schema(postgres_url)
    return postgres_url


@pytest.fixture
def table_holder(applied: str) -> Iterator[Any]:
    conn = psycopg.connect(applied, autocommit=True)
    conn.execute("BEGIN")
    conn.execute("LOCK TABLE wh_outbox IN ACCESS EXCLUSIVE MODE")
    yield conn
    conn.close()


def read(url: str, seconds: float) -> None:
    database = connect(url, read_only=True, lock_timeout=seconds)
    try:
        with database.transaction():
            diff_schema(database, SchemaConfiguration())
    finally:
        database.close()


def migrate(url: str, seconds: float) -> None:
    database = connect(url, lock_timeout=seconds)
    try:
        migrate_schema(database, SchemaConfiguration())
    finally:
        database.close()


@pytest.mark.parametrize("command", [read, migrate])
def test_postgres_gives_up_on_a_locked_table_naming_the_holder(
    applied: str, table_holder: Any, postgres: Any, command: Any
) -> None:
    postgres.execute("ALTER TABLE wh_inbox DROP COLUMN error")  # migrate has work to do
    error, seconds = timed(lambda: command(applied, 1))
    assert seconds < 4
    pid = table_holder.info.backend_pid
    message = str(error)
    assert message.startswith("PostgreSQL: canceling statement due to lock timeout: waited 1 s")
    assert f"held by pid {pid} (idle in transaction, query started " in message
    assert "LOCK TABLE wh_outbox IN ACCESS EXCLUSIVE MODE" in message
    assert error.sqlstate == "55P03"
    # Nothing half-done, and the schema lock is free again.
    assert postgres.execute(
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_name = 'wh_inbox' AND column_name = 'error'"
    ).fetchone() == (0,)
    assert postgres.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone() == (True,)


def test_postgres_names_the_holder_of_the_schema_lock(applied: str, postgres: Any) -> None:
    postgres.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
    for command in (read, migrate):
        error, seconds = timed(lambda: command(applied, 1.5))  # noqa: B023
        assert seconds < 4.5
        assert f"waited 1.5 s for a lock held by pid {postgres.info.backend_pid} (idle" in str(
            error
        )


def test_postgres_readers_share_the_lock(applied: str) -> None:
    first = connect(applied, read_only=True, lock_timeout=1)
    second = connect(applied, read_only=True, lock_timeout=1)
    try:
        with first.transaction(), second.transaction():
            pass
        writer = connect(applied, lock_timeout=1)
        with first.transaction():  # an applier waits for a reader, but not forever
            error, _ = timed(lambda: writer.transaction().__enter__())
        assert "waited 1 s for a lock held by pid" in str(error)
        writer.close()
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize(("seconds", "shown"), [(0, "0"), (2.5, "2500ms"), (10, "10s")])
def test_postgres_lock_timeout_is_the_sessions(applied: str, seconds: float, shown: str) -> None:
    database = connect(applied, lock_timeout=seconds)
    try:
        assert database.query("SHOW lock_timeout") == [(shown,)]
    finally:
        database.close()
    default = connect(applied)
    try:  # the default (10 s) costs no round trip: it is in the start-up packet
        assert default.round_trips == 1 and default.query("SHOW lock_timeout") == [("10s",)]
    finally:
        default.close()


def test_a_negative_lock_timeout_is_refused(applied: str) -> None:
    with pytest.raises(ValueError, match="0 \\(wait forever\\) or more seconds"):
        connect(applied, lock_timeout=-1)


def test_sqlite_gives_up_on_a_writer_and_lets_readers_read(sqlite_path: Path) -> None:
    apply_schema(str(sqlite_path))
    other = sqlite3.connect(sqlite_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        error, seconds = timed(lambda: migrate(str(sqlite_path), 0.5))
        assert seconds < 3
        assert "database is locked: waited 0.5 s for another connection" in str(error)
        read(str(sqlite_path), 0.5)  # a reader is not kept out by a writer that has not written
    finally:
        other.close()
