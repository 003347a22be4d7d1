"""What an application tests against its database: every test starts from the definitions
and no rows, whatever the test before it (on this xdist worker) wrote or changed."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from conftest import open_connection

OUTBOX = "app_outbox"


def count(connection: Any, sql: str) -> int:
    cursor = connection.cursor()
    cursor.execute(sql)
    (value,) = cursor.fetchone()
    cursor.close()
    return int(value)


def tables(connection: Any) -> set[str]:
    cursor = connection.cursor()
    if type(connection).__module__.startswith("sqlite3"):
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    elif type(connection).__module__.startswith("psycopg"):
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    else:
        cursor.execute("SHOW TABLES")
    names = {str(row[0]) for row in cursor.fetchall()}
    cursor.close()
    return names


def insert(connection: Any, marker: str) -> None:
    mark = "?" if type(connection).__module__.startswith("sqlite3") else "%s"
    cursor = connection.cursor()
    cursor.execute(
        f"INSERT INTO {OUTBOX} (message_id, destination, event_type, event_data, metadata) "
        f"VALUES ({mark}, {mark}, 'Created', '{{}}', '{{}}')",
        (str(uuid.uuid4()), marker),
    )
    cursor.close()


@pytest.mark.parametrize("n", range(6))
def test_committed_writes_and_new_tables_stay_in_their_test(whizbang_database: Any, n: int) -> None:
    connection = open_connection(whizbang_database.url)
    try:
        assert tables(connection) == {"app_outbox", "app_inbox"}
        assert count(connection, f"SELECT count(*) FROM {OUTBOX}") == 0
        insert(connection, f"database test {n}")
        connection.commit()
        if n % 3 == 0:  # a schema change: this database must not reach another test
            cursor = connection.cursor()
            cursor.execute("CREATE TABLE stray (id INTEGER)")
            cursor.close()
            connection.commit()
    finally:
        connection.close()


@pytest.mark.parametrize("n", range(4))
def test_connection_fixture_rolls_back(whizbang_connection: Any, n: int) -> None:
    assert tables(whizbang_connection) == {"app_outbox", "app_inbox"}
    assert count(whizbang_connection, f"SELECT count(*) FROM {OUTBOX}") == 0
    insert(whizbang_connection, f"connection test {n}")
    assert count(whizbang_connection, f"SELECT count(*) FROM {OUTBOX}") == 1
    if n == 3:  # committed despite the fixture: still gone before the next test
        whizbang_connection.commit()
