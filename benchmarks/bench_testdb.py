"""Item 6: a fresh database holding the nine tables for every test (issue 18).

What a test suite pays per test for its own database, PostgreSQL and SQLite, side by side:

* **SQLAlchemy**: a new database (``CREATE DATABASE``; for SQLite a new file), then
  ``create_engine`` + ``MetaData.create_all()``, and after the test ``engine.dispose()`` and
  ``DROP DATABASE`` (the file deleted): the fixture people write by hand.
* **whizbang_database**: the pytest plugin's fixture (its ``DatabaseFactory``): a copy of the
  session's template (``CREATE DATABASE ... TEMPLATE``; SQLite's backup API), reused emptied
  when the test left its schema unchanged (PostgreSQL only: SQLite has no fingerprint).
* **whizbang_database, a copy per test**: the same with ``whizbang_reuse = false``.
* **whizbang_connection**: the plugin's rolled-back connection (on ``whizbang_database``).

Every test does the same work between set-up and tear-down, not timed: it opens its own
connection, writes one row to the outbox and commits (the connection fixture: writes, then
is rolled back). Timed is set-up plus tear-down, per test; the contenders take turns test by
test. The plugin's one-off cost per session (building the template) is reported apart.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable
from typing import Any

import sqla
from timing import median

from whizbang_schema import SchemaConfiguration
from whizbang_schema.tables import ALL_TABLES
from whizbang_schema.testing.databases import DatabaseFactory, TestDatabase

POSTGRES_URL = os.environ.get(
    "WHIZBANG_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)

INSERT = (
    "INSERT INTO wh_outbox (message_id, destination, event_type, event_data, metadata) "
    "VALUES ('{id}', 'orders', 'OrderPlaced', '{{}}', '{{}}')"
)


def _write_one_row(url: str) -> None:
    """The test's own work: a connection of its own, one row, committed."""
    if url.startswith("sqlite"):
        connection: Any = sqlite3.connect(url.removeprefix("sqlite:///"))
    else:
        import psycopg

        connection = psycopg.connect(url)
    try:
        connection.execute(INSERT.format(id=uuid.uuid4()))
        connection.commit()
    finally:
        connection.close()


class _Timed:
    """Set-up and tear-down of one contender, timed apart from the test between them."""

    def __init__(
        self,
        label: str,
        setup: Callable[[], Any],
        test: Callable[[Any], None],
        teardown: Callable[[Any], None],
    ) -> None:
        self.label = label
        self.setup, self.test, self.teardown = setup, test, teardown
        self.samples: list[int] = []

    def one_test(self) -> None:
        start = time.perf_counter_ns()
        handle = self.setup()
        middle = time.perf_counter_ns()
        self.test(handle)
        resumed = time.perf_counter_ns()
        self.teardown(handle)
        self.samples.append(middle - start + time.perf_counter_ns() - resumed)


def _sqlalchemy(engine_name: str, workdir: str, admin: Any) -> _Timed:
    import sqlalchemy as sa

    metadata, _ = sqla.build_all(ALL_TABLES, engine_name)

    def setup() -> tuple[Any, str, str]:
        name = f"wbbench_{uuid.uuid4().hex[:12]}"
        if engine_name == "sqlite":
            url = f"sqlite:///{workdir}/{name}.db"
            engine = sa.create_engine(url)
        else:
            admin.execute(f"CREATE DATABASE {name}")
            url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
            engine = sa.create_engine("postgresql+psycopg://" + url.split("://", 1)[1])
        metadata.create_all(engine)
        return engine, url, name

    def teardown(handle: tuple[Any, str, str]) -> None:
        engine, url, name = handle
        engine.dispose()
        if engine_name == "sqlite":
            os.remove(url.removeprefix("sqlite:///"))
        else:
            admin.execute(f"DROP DATABASE {name}")

    return _Timed(
        "SQLAlchemy: new database + create_all()", setup, lambda h: _write_one_row(h[1]), teardown
    )


def _plugin(label: str, factory: DatabaseFactory) -> _Timed:
    return _Timed(label, factory.acquire, lambda d: _write_one_row(d.url), factory.release)


def _connection_fixture(factory: DatabaseFactory) -> _Timed:
    from whizbang_schema import connect

    def setup() -> tuple[TestDatabase, Any]:
        database = factory.acquire()
        return database, connect(database.url).take_connection()  # type: ignore[attr-defined]

    def test(handle: tuple[TestDatabase, Any]) -> None:
        handle[1].execute(INSERT.format(id=uuid.uuid4()))

    def teardown(handle: tuple[TestDatabase, Any]) -> None:
        database, connection = handle
        connection.rollback()
        connection.close()
        factory.release(database)

    return _Timed("whizbang_connection (rolled back)", setup, test, teardown)


def _engine(engine_name: str, tests: int, workdir: str, admin: Any) -> dict[str, Any]:
    url = POSTGRES_URL if engine_name == "postgres" else f"sqlite:///{workdir}/seed.db"
    configuration = SchemaConfiguration()
    reused = DatabaseFactory(url, configuration, reuse=True)
    copied = DatabaseFactory(url, configuration, reuse=False)
    started = time.perf_counter_ns()
    reused.release(reused.acquire())  # the session's one-off work: the template, one copy
    session = time.perf_counter_ns() - started
    copied.release(copied.acquire())
    contenders = [
        _sqlalchemy(engine_name, workdir, admin),
        _plugin("whizbang_database", reused),
        _plugin("whizbang_database, a copy per test (whizbang_reuse = false)", copied),
        _connection_fixture(reused),
    ]
    try:
        for _ in range(tests):
            for contender in contenders:
                contender.one_test()
    finally:
        reused.close()
        copied.close()
    return {
        "tests": tests,
        "session": session,
        "medians": {c.label: median(c.samples) for c in contenders},
    }


def run(*, quick: bool) -> dict[str, Any]:
    try:
        import psycopg
        import sqlalchemy  # noqa: F401
    except ImportError:
        return {"skipped": "psycopg or SQLAlchemy is not installed (pip install -e '.[bench]')"}
    tests = 4 if quick else 25
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="wbbench-") as workdir:
        results["sqlite"] = _engine("sqlite", tests, workdir, None)
        try:
            admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5)
        except psycopg.Error as exc:
            results["postgres"] = {"skipped": f"PostgreSQL is not reachable: {exc}"}
            return results
        try:
            results["postgres"] = _engine("postgres", tests, workdir, admin)
        finally:
            admin.close()
    return results
