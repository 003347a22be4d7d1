"""What a person sees on a terminal: progress during a long apply (and none in a pipe),
``--debug`` anywhere on the line with the user's own frames, ``--quiet`` and ``--strict``,
SIGTERM, and the hint for a MariaDB database that does not exist."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(sys.executable).parent / "whizbang-schema"
ENV = {**os.environ, "WHIZBANG_SCHEMA_URL": "", "WHIZBANG_SCHEMA_PREFIX": ""}

# 500 tables with an index each: 1,000 statements, several seconds on PostgreSQL.
MANY = textwrap.dedent(
    """
    from whizbang_schema import ColumnDefinition, IndexDefinition, TableDefinition
    from whizbang_schema import WhizbangDataType as T

    TABLES = [
        TableDefinition(
            f"t{n:03}",
            [ColumnDefinition("id", T.INTEGER, primary_key=True), ColumnDefinition("v", T.STRING)],
            indexes=[IndexDefinition(f"idx_t{n:03}_v", ["v"])],
        )
        for n in range(500)
    ]
    """
)


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def second_postgres_url(postgres_admin: Any, postgres_server_url: str) -> Iterator[str]:
    name = f"wbtest_{uuid.uuid4().hex[:16]}"
    postgres_admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{postgres_server_url.rpartition('/')[0]}/{name}"
    finally:
        postgres_admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run_with_terminal_stderr(args: list[str], cwd: Path) -> tuple[int, str, bytes]:
    """Run the command with stderr on a pseudo-terminal: (exit code, stdout, terminal bytes)."""
    controller, terminal = pty.openpty()
    with open(cwd / "stdout.txt", "w") as stdout:
        process = subprocess.Popen(
            [str(SCRIPT), *args], cwd=cwd, env=ENV, stdout=stdout, stderr=terminal
        )
    os.close(terminal)
    seen = b""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 1)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the child closed its end
                break
            if not chunk:
                break
            seen += chunk
        elif process.poll() is not None:
            break
    os.close(controller)
    code = process.wait(timeout=60)
    return code, (cwd / "stdout.txt").read_text(), seen


def test_progress_on_a_terminal_and_none_in_a_pipe(
    postgres_url: str, second_postgres_url: str, tmp_path: Path
) -> None:
    (tmp_path / "many.py").write_text(MANY)
    args = ["apply", "--definitions", "many:TABLES"]

    piped = cli(*args, "--url", postgres_url, cwd=tmp_path)
    assert piped.returncode == 0, piped.stderr
    # Nothing extra when stderr is not a terminal: only the hint that the lock budget split it.
    assert re.fullmatch(
        r"whizbang-schema: hint: 1000 statements ran in \d+ transactions of at most \d+ locks "
        r"each \(an eighth of the lock table: [^)]+\)\), each table whole in one of them\n",
        piped.stderr,
    ), piped.stderr

    code, stdout, seen = run_with_terminal_stderr([*args, "--url", second_postgres_url], tmp_path)
    assert code == 0, seen
    assert stdout == piped.stdout.replace(postgres_url, second_postgres_url)
    shown = seen.decode()
    assert "/1000] create_" in shown, shown[-500:]  # statements done of total, the object
    assert "wh_t" in shown
    assert shown.endswith("\r\x1b[K" + piped.stderr.replace("\n", "\r\n"))  # erased at the end

    quiet_code, _, quiet = run_with_terminal_stderr(
        [*args, "--url", second_postgres_url, "--quiet"], tmp_path
    )
    assert quiet_code == 0 and quiet == b""


def test_debug_anywhere_shows_the_users_own_frames(tmp_path: Path) -> None:
    (tmp_path / "explodes.py").write_text(
        "def build():\n    raise ValueError('boom')\nX = build()\n"
    )
    for args in (
        ["--debug", "render", "--dialect", "sqlite", "--definitions", "explodes:X"],
        ["render", "--dialect", "sqlite", "--definitions", "explodes:X", "--debug"],
    ):
        out = cli(*args, cwd=tmp_path)
        assert out.returncode == 2
        assert "Traceback" in out.stderr
        assert 'explodes.py", line 2, in build' in out.stderr  # the user's frame
        assert out.stderr.rstrip().splitlines()[-1] == (
            "whizbang-schema: error: importing 'explodes' failed: ValueError: boom "
            "(at explodes.py, line 2)"
        )


def test_quiet_silences_warnings_and_strict_makes_them_errors() -> None:
    args = ["render", "--dialect", "sqlserver", "--table", "outbox"]
    loud = cli(*args)
    assert loud.returncode == 0 and loud.stderr.count("whizbang-schema: warning: ") == 2
    quiet = cli(*args, "-q")
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == loud.stdout
    strict = cli("--strict", *args)
    assert strict.returncode == 2 and strict.stdout == ""
    assert strict.stderr.startswith("whizbang-schema: error: ")
    assert strict.stderr.rstrip().endswith("(a warning; --strict makes it an error)")
    mysql = cli("render", "--dialect", "mysql", "--quiet")
    assert mysql.returncode == 0 and mysql.stderr == ""


def test_sigterm_stops_with_143(tmp_path: Path) -> None:
    (tmp_path / "slow.py").write_text("import time\ntime.sleep(60)\n")
    process = subprocess.Popen(
        [str(SCRIPT), "render", "--dialect", "sqlite", "--definitions", "slow:X"],
        cwd=tmp_path,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(2)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 143
    assert stderr == "whizbang-schema: terminated\n"


def test_a_mariadb_database_that_does_not_exist(mariadb_server_url: str) -> None:
    url = f"{mariadb_server_url.rpartition('/')[0]}/wbtest_missing_{uuid.uuid4().hex[:8]}"
    out = cli("apply", "--url", url)
    assert out.returncode == 2
    assert "Unknown database" in out.stderr
    assert "create it first (CREATE DATABASE wbtest_missing_" in out.stderr
    assert len(out.stderr.splitlines()) == 1


def test_a_bad_column_names_its_table_and_line(tmp_path: Path) -> None:
    # A column is checked when it is built, before its table exists: the command line finds
    # the TableDefinition around the failing line in the user's file.
    (tmp_path / "bad_col.py").write_text(
        textwrap.dedent(
            """
            from whizbang_schema import ColumnDefinition, TableDefinition, WhizbangDataType as T

            ORDERS = TableDefinition(
                "orders",
                [ColumnDefinition("note", T.STRING, max_length=0)],
            )
            """
        )
    )
    out = cli("render", "--dialect", "sqlite", "--definitions", "bad_col:ORDERS", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr == (
        "whizbang-schema: error: importing 'bad_col' failed: DefinitionError: column 'note', "
        "field 'max_length': must be a positive int, got 0 (table 'orders', at bad_col.py, "
        "line 6)\n"
    )
    as_json = cli(
        "render", "--dialect", "sqlite", "--definitions", "bad_col:ORDERS", "--json", cwd=tmp_path
    )
    error = json.loads(as_json.stdout)["error"]
    assert (error["kind"], error["table"], error["column"], error["field"]) == (
        "definition",
        "orders",
        "note",
        "max_length",
    )
