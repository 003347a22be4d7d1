"""Fixtures for the MySQL dialect's tests: a real MySQL or MariaDB server, a fresh database
per test. Set WHIZBANG_TEST_MARIADB_URL to use another server than 127.0.0.1:3306 (root, no
password). A server that is not there fails the tests; it never skips them."""

from __future__ import annotations

import os
import urllib.parse
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

MYSQL_URL = os.environ.get("WHIZBANG_TEST_MARIADB_URL", "mysql://root@127.0.0.1:3306/test")


def _connect(database: str | None = None) -> Any:
    import pymysql

    parts = urllib.parse.urlsplit(MYSQL_URL)
    return pymysql.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=urllib.parse.unquote(parts.username or "root"),
        password=urllib.parse.unquote(parts.password or ""),
        database=database,
        autocommit=True,
        charset="utf8mb4",
    )


@pytest.fixture(scope="session")
def mysql_admin() -> Iterator[Any]:
    import pymysql

    try:
        conn = _connect()
    except pymysql.MySQLError as exc:
        pytest.fail(
            f"MySQL/MariaDB is required at {MYSQL_URL} (set WHIZBANG_TEST_MARIADB_URL): {exc}",
            pytrace=False,
        )
    yield conn
    conn.close()


@pytest.fixture
def mysql_url(mysql_admin: Any) -> Iterator[str]:
    """The URL of a new, empty database, dropped after the test."""
    name = f"wbtest_{uuid.uuid4().hex[:16]}"
    with mysql_admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    base = MYSQL_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with mysql_admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")


@pytest.fixture
def mysql(mysql_url: str) -> Iterator[Any]:
    """A PyMySQL connection to a new, empty database."""
    conn = _connect(mysql_url.rsplit("/", 1)[1])
    yield conn
    conn.close()
