"""Signals on a live PostgreSQL apply (issue 13): SIGTERM cancels the statement the server is
running, rolls back, releases the lock and exits 143; a stopped applier (SIGSTOP) holds the
lock, and the next command gives up at its lock timeout naming it instead of hanging."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from whizbang_schema import DatabaseError, connect
from whizbang_schema_postgres.live import LOCK_KEY

SCRIPT = Path(sys.executable).parent / "whizbang-schema"
ENV = {**os.environ, "WHIZBANG_SCHEMA_URL": "", "WHIZBANG_SCHEMA_PREFIX": ""}


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(SCRIPT), *args],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def others(conn: Any, *mine: int) -> list[tuple[int, str, str | None]]:
    """The other sessions in ``conn``'s database: pid, state, what they wait for."""
    rows = conn.execute(
        "SELECT pid, state, wait_event_type FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> ALL(%s)",
        ([conn.info.backend_pid, *mine],),
    ).fetchall()
    return [(int(pid), str(state), wait) for pid, state, wait in rows]


def wait_until(condition: Any, seconds: float = 20.0) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


@pytest.fixture
def applied(postgres_url: str) -> str:
    assert subprocess.run([str(SCRIPT), "apply", "--url", postgres_url], env=ENV).returncode == 0
    return postgres_url


@pytest.fixture
def holder(applied: str) -> Iterator[Any]:
    """A session holding wh_outbox in ACCESS EXCLUSIVE mode, as a person's would."""
    conn = psycopg.connect(applied, autocommit=True)
    conn.execute("BEGIN")
    conn.execute("LOCK TABLE wh_outbox IN ACCESS EXCLUSIVE MODE")
    yield conn
    conn.close()


def waiting(monitor: Any, holder: Any) -> list[tuple[int, str, str | None]]:
    """The sessions other than the holder's that wait for a lock."""
    return [s for s in others(monitor, holder.info.backend_pid) if s[2] == "Lock"]


def test_sigterm_cancels_the_waiting_statement_and_leaves_no_lock(
    applied: str, holder: Any, postgres: Any
) -> None:
    # migrate takes the schema lock, then waits for wh_outbox behind the holder.
    process = start("migrate", "--url", applied)
    wait_until(lambda: waiting(postgres, holder) != [])
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert time.monotonic() - started < 5
    assert process.returncode == 143
    assert stderr == "whizbang-schema: terminated\n"
    # Its backend is gone and the schema lock is free for the next command.
    wait_until(lambda: others(postgres, holder.info.backend_pid) == [], 5)
    assert postgres.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone() == (True,)


def test_a_stopped_applier_is_named_when_the_next_command_gives_up(
    applied: str, holder: Any, postgres: Any
) -> None:
    process = start("migrate", "--url", applied)
    try:
        wait_until(lambda: waiting(postgres, holder) != [])
        (applier,) = waiting(postgres, holder)
        process.send_signal(signal.SIGSTOP)
        holder.execute("COMMIT")  # the stopped applier's statement ends; its lock stays
        for read_only in (True, False):  # check and diff share the lock; apply takes it
            database = connect(applied, read_only=read_only, lock_timeout=1)
            started = time.monotonic()
            with pytest.raises(DatabaseError) as caught, database.transaction():
                pass
            assert time.monotonic() - started < 3
            database.close()
            assert caught.value.sqlstate == "55P03"
            assert f"held by pid {applier[0]} (" in str(caught.value)
    finally:
        process.send_signal(signal.SIGCONT)
        process.kill()
        process.communicate(timeout=30)


def interrupted_after(database: Any, sql: str) -> None:
    with database.transaction():
        database.execute(sql)
        raise KeyboardInterrupt


def test_an_interrupt_between_statements_releases_the_lock(applied: str, postgres: Any) -> None:
    database = connect(applied)
    with pytest.raises(KeyboardInterrupt):
        interrupted_after(database, "CREATE TABLE wh_never_kept (x int)")
    # The session ends as soon as the server reads the connection's end: wait for that.
    wait_until(
        lambda: (
            postgres.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone() == (True,)
        ),
        5,
    )
    assert postgres.execute("SELECT to_regclass('wh_never_kept')").fetchone() == (None,)
