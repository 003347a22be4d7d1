"""Reading MariaDB back: diff, check and migrate through the example dialect."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

from whizbang_schema import (
    DegradedRenderWarning,
    SchemaConfiguration,
    apply_schema,
    connect,
    diff_schema,
    read_schema,
)

SCRIPT = Path(sys.executable).parent / "whizbang-schema"


def kinds(differences: Any) -> set[tuple[str, str, str | None]]:
    return {(d.kind, d.table, d.name) for d in differences}


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=120)


def test_round_trip_drift_and_additive_repair(mysql_url: str, mysql: Any) -> None:
    configuration = SchemaConfiguration()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        apply_schema(mysql_url, configuration)
    database = connect(mysql_url)
    try:
        assert diff_schema(database, configuration).differences == ()
        with mysql.cursor() as cursor:
            cursor.execute("ALTER TABLE wh_outbox DROP COLUMN error")
            cursor.execute("DROP INDEX wh_idx_outbox_published_at ON wh_outbox")
            cursor.execute("ALTER TABLE wh_outbox ALTER COLUMN status SET DEFAULT 5")
            cursor.execute("CREATE TABLE wh_audit (id INT)")
        found = diff_schema(database, configuration)
        assert kinds(found.drift) == {
            ("column_default", "wh_outbox", "status"),
            ("missing_column", "wh_outbox", "error"),
            ("missing_index", "wh_outbox", "wh_idx_outbox_published_at"),
        }
        assert kinds(found.extras) == {("extra_table", "wh_audit", None)}
    finally:
        database.close()

    check = cli("check", "--url", mysql_url)
    assert check.returncode == 1
    assert "drift: wh_outbox: column 'status' default is 5, expected 1" in check.stdout

    migrated = cli("migrate", "--url", mysql_url)
    assert "ran: ALTER TABLE wh_outbox ADD COLUMN error LONGTEXT;" in migrated.stdout
    assert (
        "ran: CREATE INDEX wh_idx_outbox_published_at ON wh_outbox (published_at);"
        in migrated.stdout
    )
    assert (
        "extra: table wh_audit is in the database but not in the definitions (kept)"
        in migrated.stdout
    )

    with mysql.cursor() as cursor:
        cursor.execute("ALTER TABLE wh_outbox ALTER COLUMN status SET DEFAULT 1")
    after = cli("check", "--url", mysql_url)
    assert after.returncode == 0, after.stdout + after.stderr
    assert "extra: table wh_audit" in after.stdout


def test_catalog_reads_take_five_queries(mysql_url: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegradedRenderWarning)
        apply_schema(mysql_url)
    database = connect(mysql_url)
    try:
        before = database.round_trips
        assert len(read_schema(database, SchemaConfiguration())) == 9
        # Columns, indexes, MariaDB's JSON checks, foreign keys, CHECK constraints.
        assert database.round_trips - before == 5
    finally:
        database.close()
