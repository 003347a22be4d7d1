"""MariaDB under locks, interrupts and wrong ports (issue 13): the schema lock is per
database and bounded, a metadata-lock wait ends at the lock timeout, an interrupt kills the
session (no statement left running, no lock left held) and says how many statements were
kept, and a port that does not speak MySQL is given up on with a message that says so."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from whizbang_schema import (
    DatabaseError,
    DegradedRenderWarning,
    SchemaConfiguration,
    apply_schema,
    connect,
)
from whizbang_schema.live.apply import converge
from whizbang_schema.live.introspect import diff_schema
from whizbang_schema.plugins.registry import get_dialect
from whizbang_schema_mysql.live import MySQLDatabase, lock_name


def timed(action: Any) -> tuple[DatabaseError, float]:
    started = time.monotonic()
    with pytest.raises(DatabaseError) as caught:
        action()
    return caught.value, time.monotonic() - started


def database_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


pytestmark = pytest.mark.filterwarnings(
    f"ignore::{DegradedRenderWarning.__module__}.DegradedRenderWarning"
)


@pytest.fixture
def quick_handshake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MySQLDatabase, "connect_timeout", 1.0)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


@pytest.mark.parametrize("where", ["silent", "postgres"])
def test_a_port_that_does_not_speak_mysql_is_given_up_on(
    quick_handshake: None, silent_port: int, where: str
) -> None:
    port = silent_port if where == "silent" else 5432
    error, seconds = timed(lambda: connect(f"mysql://root:pw@127.0.0.1:{port}/x"))
    assert seconds < 3
    assert str(error) == (
        f"cannot connect to MySQL at mysql://root:***@127.0.0.1:{port}/x: the server at "
        f"127.0.0.1:{port} did not answer as MySQL or MariaDB within 1 s (is that the right "
        f"port?)"
    )


def test_the_schema_lock_is_per_database(mysql_url: str, mysql_admin: Any) -> None:
    name = f"{database_of(mysql_url)}_other"
    with mysql_admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    other_url = f"{mysql_url}_other"
    first, second = connect(mysql_url, lock_timeout=1), connect(other_url, lock_timeout=1)
    same = connect(mysql_url, lock_timeout=1)
    try:
        with first.transaction():
            with second.transaction():  # another database: no wait
                pass
            error, seconds = timed(lambda: same.transaction().__enter__())
            assert seconds < 3
            thread = first.connection.thread_id()
            assert str(error).startswith(
                f"MySQL: waited 1 s for the schema lock of this database "
                f"('{lock_name(database_of(mysql_url))}'), held by connection {thread} (root, "
            )
        assert lock_name(database_of(mysql_url)) != lock_name(name)
    finally:
        for database in (first, second, same):
            database.close()
        with mysql_admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE {name}")


@pytest.fixture
def blocked(mysql_url: str, mysql: Any) -> Any:
    """The nine tables, less wh_outbox and wh_inbox and a column of wh_request_response,
    whose metadata lock another session holds: apply creates two tables (2 statements),
    then waits to add the column."""
    apply_schema(mysql_url)
    with mysql.cursor() as cursor:
        cursor.execute("DROP TABLE wh_outbox, wh_inbox")
        cursor.execute("ALTER TABLE wh_request_response DROP COLUMN expires_at")
        cursor.execute("BEGIN")
        cursor.execute("SELECT COUNT(*) FROM wh_request_response")
    return mysql


def converge_all(database: Any) -> None:
    configuration = SchemaConfiguration()
    converge(database, configuration, get_dialect("mysql").statements(configuration))


def sessions(mysql_admin: Any, thread: int) -> list[Any]:
    with mysql_admin.cursor() as cursor:
        cursor.execute("SELECT ID FROM information_schema.PROCESSLIST WHERE ID = %s", (thread,))
        return list(cursor.fetchall())


def lock_is_free(mysql_admin: Any, url: str) -> bool:
    with mysql_admin.cursor() as cursor:
        cursor.execute("SELECT IS_FREE_LOCK(%s)", (lock_name(database_of(url)),))
        return bool(cursor.fetchone()[0])


def test_a_metadata_lock_wait_ends_at_the_lock_timeout(
    mysql_url: str, blocked: Any, mysql_admin: Any
) -> None:
    database = connect(mysql_url, lock_timeout=1)
    try:
        error, seconds = timed(lambda: converge_all(database))
    finally:
        database.close()
    assert seconds < 4
    message = str(error)
    assert "Lock wait timeout exceeded" in message and "(error 1205)" in message
    assert "waited 1 s for a table's metadata lock" in message
    assert "the 2 statements before it were kept" in message
    assert lock_is_free(mysql_admin, mysql_url)


def test_an_interrupt_kills_the_session_and_says_what_was_kept(
    mysql_url: str, blocked: Any, mysql_admin: Any
) -> None:
    database = connect(mysql_url, lock_timeout=0)  # would wait for ever
    thread = database.connection.thread_id()

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 1.5)
    try:
        with pytest.raises(KeyboardInterrupt) as caught:
            converge_all(database)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert caught.value.args == (
        "MySQL commits DDL as it goes, so the 2 statements run before the interrupt were kept",
    )
    assert sessions(mysql_admin, thread) == []  # killed, not left waiting
    assert lock_is_free(mysql_admin, mysql_url)


def test_a_lost_connection_is_the_error_reported(
    mysql_url: str, blocked: Any, mysql_admin: Any
) -> None:
    database = connect(mysql_url, lock_timeout=0)
    thread = database.connection.thread_id()

    def kill() -> None:
        time.sleep(1)
        with mysql_admin.cursor() as cursor:
            cursor.execute(f"KILL CONNECTION {thread}")

    killer = threading.Thread(target=kill)
    killer.start()
    try:
        error, _ = timed(lambda: converge_all(database))
    finally:
        killer.join()
        database.close()
    message = str(error)
    assert "(error 0)" not in message
    assert "add column 'expires_at' failed: MySQL:" in message or "failed: MySQL" in message
    assert "the 2 statements before it were kept" in message


SCRIPT = Path(sys.executable).parent / "whizbang-schema"


@pytest.mark.parametrize(
    ("sent", "code", "word"),
    [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")],
)
def test_a_signalled_apply_leaves_no_session_and_no_lock(
    mysql_url: str, blocked: Any, mysql_admin: Any, sent: int, code: int, word: str
) -> None:
    env = {**os.environ, "WHIZBANG_SCHEMA_URL": "", "WHIZBANG_SCHEMA_PREFIX": ""}
    process = subprocess.Popen(
        [str(SCRIPT), "apply", "--url", mysql_url, "--quiet"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while not waiting_for_metadata(mysql_admin, mysql_url):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)
    process.send_signal(sent)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == code
    assert stderr == (
        f"whizbang-schema: {word}; MySQL commits DDL as it goes, so the 2 statements run before "
        f"the interrupt were kept\n"
    )
    assert not waiting_for_metadata(mysql_admin, mysql_url)
    assert lock_is_free(mysql_admin, mysql_url)


def waiting_for_metadata(mysql_admin: Any, url: str) -> bool:
    with mysql_admin.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST "
            "WHERE STATE = 'Waiting for table metadata lock' AND DB = %s",
            (database_of(url),),
        )
        return bool(cursor.fetchone()[0])


def test_readers_take_no_lock(mysql_url: str) -> None:
    apply_schema(mysql_url)
    writer = connect(mysql_url, lock_timeout=1)
    reader = connect(mysql_url, read_only=True, lock_timeout=1)
    try:
        with writer.transaction():
            started = time.monotonic()
            with reader.transaction():
                drift = diff_schema(reader, SchemaConfiguration()).drift
            assert time.monotonic() - started < 1
        assert drift == ()
    finally:
        writer.close()
        reader.close()


def test_a_stopped_applier_is_named_when_the_next_command_gives_up(
    mysql_url: str, blocked: Any, mysql_admin: Any
) -> None:
    env = {**os.environ, "WHIZBANG_SCHEMA_URL": "", "WHIZBANG_SCHEMA_PREFIX": ""}
    process = subprocess.Popen(
        [str(SCRIPT), "apply", "--url", mysql_url, "--quiet"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not waiting_for_metadata(mysql_admin, mysql_url):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
        process.send_signal(signal.SIGSTOP)
        with blocked.cursor() as cursor:
            cursor.execute("COMMIT")  # the stopped applier's statement ends; its lock stays
        database = connect(mysql_url, lock_timeout=1)
        try:
            error, seconds = timed(lambda: database.transaction().__enter__())
        finally:
            database.close()
        assert seconds < 3
        assert "waited 1 s for the schema lock of this database" in str(error)
        assert ", held by connection " in str(error)
    finally:
        process.send_signal(signal.SIGCONT)
        process.kill()
        process.communicate(timeout=30)
