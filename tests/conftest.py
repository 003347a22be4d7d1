"""Shared fixtures: real PostgreSQL and MariaDB servers, fresh databases per test.

A required server that is not reachable fails the tests that need it (never a skip): CI
starts the servers before running the suite, see ``.ci/run``.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

POSTGRES_URL = os.environ.get(
    "WHIZBANG_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
MARIADB_URL = os.environ.get("WHIZBANG_TEST_MARIADB_URL", "mysql://root@127.0.0.1:3306/test")

#: An application's own test suite, run in a subprocess by test_example_project.py.
collect_ignore = ["example_project"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/*.sql from the current output (review the diff before committing)",
    )


def _with_database(url: str, database: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{database}"


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Any]:
    """An autocommit connection to the server's maintenance database."""
    import psycopg

    try:
        conn = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is required at {POSTGRES_URL} (set WHIZBANG_TEST_POSTGRES_URL): {exc}",
            pytrace=False,
        )
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The URL of the test server's maintenance database (for building other URLs)."""
    return POSTGRES_URL


@pytest.fixture
def postgres_url(postgres_admin: Any) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    name = f"wbtest_{uuid.uuid4().hex[:16]}"
    postgres_admin.execute(f"CREATE DATABASE {name}")
    try:
        yield _with_database(POSTGRES_URL, name)
    finally:
        postgres_admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def postgres(postgres_url: str) -> Iterator[Any]:
    """An autocommit psycopg connection to a new, empty database."""
    import psycopg

    conn = psycopg.connect(postgres_url, autocommit=True)
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def mariadb_admin() -> Iterator[Any]:
    """A connection to the MariaDB server (its ``mysql`` database), through the example
    MySQL dialect, for creating and dropping scratch databases."""
    from whizbang_schema import SchemaError, connect

    try:
        live = connect(_with_database(MARIADB_URL, "mysql"), dialect="mysql")
    except SchemaError as exc:
        pytest.fail(
            f"MariaDB is required at {MARIADB_URL} (set WHIZBANG_TEST_MARIADB_URL): {exc}",
            pytrace=False,
        )
    yield live
    live.close()


@pytest.fixture(scope="session")
def mariadb_server_url() -> str:
    """The URL of the MariaDB test server (for building other URLs)."""
    return MARIADB_URL


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def sqlite(sqlite_path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(sqlite_path, isolation_level=None)
    yield conn
    conn.close()


SQLSERVER_IMAGE = "mcr.microsoft.com/mssql/server:2022-latest"


def docker_problem() -> str | None:
    """Why SQL Server cannot run here, or None when a Docker engine answers."""
    try:
        import docker

        docker.from_env(timeout=3).ping()
    except Exception as exc:
        return (
            f"no Docker engine answers here ({type(exc).__name__}); SQL Server runs only in a "
            f"container, through testcontainers"
        )
    return None


@pytest.fixture(scope="session")
def sqlserver_server() -> Iterator[dict[str, Any]]:
    """A SQL Server container for the session (skipped, with the reason, without Docker)."""
    problem = docker_problem()
    if problem:
        pytest.skip(problem)
    from testcontainers.community.mssql import SqlServerContainer

    with SqlServerContainer(SQLSERVER_IMAGE, dialect="mssql+pymssql") as container:
        yield {
            "host": container.get_container_host_ip(),
            "port": int(container.get_exposed_port(container.port)),
            "user": container.username,
            "password": container.password,
        }


@pytest.fixture
def sqlserver_url(sqlserver_server: dict[str, Any]) -> Iterator[str]:
    """The URL of a new, empty SQL Server database, dropped after the test."""
    import urllib.parse

    import pymssql

    server = sqlserver_server
    name = f"wbtest_{uuid.uuid4().hex[:16]}"
    admin = pymssql.connect(
        server=server["host"],
        port=str(server["port"]),
        user=server["user"],
        password=server["password"],
        database="master",
        autocommit=True,
    )
    admin.cursor().execute(f"CREATE DATABASE {name}")
    password = urllib.parse.quote(server["password"], safe="")
    try:
        yield f"mssql://{server['user']}:{password}@{server['host']}:{server['port']}/{name}"
    finally:
        admin.cursor().execute(
            f"ALTER DATABASE {name} SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE {name}"
        )
        admin.close()
