"""Big schemas on PostgreSQL (issue 13): 2,000 tables with three indexes each apply on a
server with the default ``max_locks_per_transaction`` (64), also with a second such apply
running at once into another database, and ``check`` finds them all.

One such apply takes about half a minute here, so these run when ``WHIZBANG_TEST_BIG=1``
(``.ci/run`` sets it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("WHIZBANG_TEST_BIG") != "1",
        reason="2,000-table applies: set WHIZBANG_TEST_BIG=1 (.ci/run does)",
    ),
]

SCRIPT = Path(sys.executable).parent / "whizbang-schema"
ENV = {**os.environ, "WHIZBANG_SCHEMA_URL": "", "WHIZBANG_SCHEMA_PREFIX": ""}

BIG = textwrap.dedent(
    """
    from whizbang_schema import ColumnDefinition, IndexDefinition, TableDefinition
    from whizbang_schema import WhizbangDataType as T

    TABLES = [
        TableDefinition(
            f"t{n:04}",
            [
                ColumnDefinition("id", T.INTEGER, primary_key=True),
                ColumnDefinition("a", T.STRING),
                ColumnDefinition("b", T.BIG_INT),
                ColumnDefinition("c", T.TIMESTAMP_TZ),
            ],
            indexes=[
                IndexDefinition(f"idx_t{n:04}_a", ["a"]),
                IndexDefinition(f"idx_t{n:04}_b", ["b"]),
                IndexDefinition(f"idx_t{n:04}_c", ["c"]),
            ],
        )
        for n in range(2000)
    ]
    """
)


@pytest.fixture
def two_databases(postgres_admin: Any, postgres_server_url: str) -> Iterator[list[str]]:
    names = [f"wbtest_{uuid.uuid4().hex[:16]}" for _ in range(2)]
    for name in names:
        postgres_admin.execute(f"CREATE DATABASE {name}")
    try:
        yield [f"{postgres_server_url.rpartition('/')[0]}/{name}" for name in names]
    finally:
        for name in names:
            postgres_admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_two_concurrent_2000_table_applies_succeed(
    two_databases: list[str], postgres_admin: Any, tmp_path: Path
) -> None:
    assert postgres_admin.execute("SHOW max_locks_per_transaction").fetchone() == ("64",)
    (tmp_path / "big.py").write_text(BIG)
    started = time.monotonic()
    processes = [
        subprocess.Popen(
            [str(SCRIPT), "apply", "--definitions", "big:TABLES", "--url", url],
            cwd=tmp_path,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for url in two_databases
    ]
    outputs = [process.communicate(timeout=900) for process in processes]
    elapsed = time.monotonic() - started
    for process, (stdout, stderr) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, stderr
        assert stdout.splitlines()[-1].endswith(": 8000 created, 0 already existed")
        assert re.fullmatch(
            r"whizbang-schema: hint: 8000 statements ran in \d+ transactions of at most \d+ "
            r"locks each \(an eighth of the lock table: [^)]+\)\), each table whole in one "
            r"of them\n",
            stderr,
        ), stderr
    print(f"two 2,000-table applies at once: {elapsed:.1f} s")
    for url in two_databases:
        check = subprocess.run(
            [str(SCRIPT), "check", "--definitions", "big:TABLES", "--url", url],
            cwd=tmp_path,
            env=ENV,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert check.returncode == 0, check.stderr
