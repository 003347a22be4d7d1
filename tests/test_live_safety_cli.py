"""``--lock-timeout`` on every live command (issue 13), on the real servers: with another
session holding a table, each command exits 2 within the timeout plus a little, with one line
naming the holder; ``0`` waits until a signal ends it (143, nothing left held); a bad value
is a usage error."""

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

from whizbang_schema_postgres.live import LOCK_KEY

SCRIPT = Path(sys.executable).parent / "whizbang-schema"
ENV = {**os.environ, "WHIZBANG_SCHEMA_URL": "", "WHIZBANG_SCHEMA_PREFIX": ""}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], env=ENV, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def applied(postgres_url: str) -> str:
    assert cli("apply", "--url", postgres_url, "--quiet").returncode == 0
    return postgres_url


@pytest.fixture
def holder(applied: str, postgres: Any) -> Iterator[Any]:
    postgres.execute("ALTER TABLE wh_inbox DROP COLUMN error")  # migrate has work to do
    conn = psycopg.connect(applied, autocommit=True)
    conn.execute("BEGIN")
    conn.execute("LOCK TABLE wh_outbox IN ACCESS EXCLUSIVE MODE")
    yield conn
    conn.close()


@pytest.mark.parametrize(
    "command",
    [["check"], ["diff"], ["migrate"], ["apply"], ["migrate", "--dry-run"]],
    ids=" ".join,
)
def test_every_live_command_gives_up_naming_the_holder(
    applied: str, holder: Any, postgres: Any, command: list[str]
) -> None:
    started = time.monotonic()
    result = cli(*command, "--url", applied, "--lock-timeout", "1")
    assert time.monotonic() - started < 5
    assert result.returncode == 2
    pid = holder.info.backend_pid
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        "whizbang-schema: error: PostgreSQL: canceling statement due to lock timeout: waited 1 s "
        f"for a lock held by pid {pid} (idle in transaction, query started "
    )
    assert line.endswith("LOCK TABLE wh_outbox IN ACCESS EXCLUSIVE MODE) (SQLSTATE 55P03)")
    # Nothing half-done, nothing left held.
    assert postgres.execute(
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_name = 'wh_inbox' AND column_name = 'error'"
    ).fetchone() == (0,)
    assert postgres.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone() == (True,)
    postgres.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))


def test_zero_waits_until_terminated(applied: str, holder: Any, postgres: Any) -> None:
    process = subprocess.Popen(
        [str(SCRIPT), "migrate", "--url", applied, "--lock-timeout", "0"],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)
    assert process.poll() is None
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 143
    assert stderr == "whizbang-schema: terminated\n"
    assert postgres.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone() == (True,)


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "soon"])
def test_a_bad_lock_timeout_is_a_usage_error(value: str) -> None:
    result = cli("check", "--database", "x.db", "--lock-timeout", value)
    assert result.returncode == 2
    assert "--lock-timeout" in result.stderr and "0 (wait forever) or more seconds" in result.stderr
