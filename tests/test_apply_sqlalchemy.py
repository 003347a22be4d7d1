"""apply_schema on a SQLAlchemy Connection: the driver's connection under it, in SQLAlchemy's
transaction, so that SQLAlchemy's commit() keeps the tables and its rollback() drops them
(real PostgreSQL and SQLite; MariaDB in plugins_example/tests/test_mysql_test_databases.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from whizbang_schema import DatabaseError, apply_schema

NINE = "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'wh\\_%%'"
SQLITE_NINE = (
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 'wh\\_%%' ESCAPE '\\'"
)


@pytest.fixture
def pg_engine(postgres_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(sqlite_path: Path) -> Iterator[sa.Engine]:
    engine = sa.create_engine(f"sqlite:///{sqlite_path}")
    yield engine
    engine.dispose()


def _count(engine: sa.Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql(sql).scalar_one())


def test_postgres_commit_keeps_what_the_apply_did(pg_engine: sa.Engine, postgres: Any) -> None:
    with pg_engine.connect() as connection:
        result = apply_schema(connection)
        assert len(result.created) == 37
        # SQLAlchemy knows a transaction is open: its commit() is not a no-op.
        assert connection.in_transaction()
        assert postgres.execute(NINE.replace("%%", "%")).fetchone() == (0,)  # not yet
        connection.commit()
    assert _count(pg_engine, NINE) == 9


def test_postgres_connection_closed_without_commit_keeps_nothing(pg_engine: sa.Engine) -> None:
    # SQLAlchemy's "commit as you go": what was not committed is rolled back at close.
    with pg_engine.connect() as connection:
        apply_schema(connection)
    assert _count(pg_engine, NINE) == 0


def test_postgres_apply_shares_the_callers_transaction(pg_engine: sa.Engine) -> None:
    with pg_engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE mine (id int)")
        connection.exec_driver_sql("INSERT INTO mine VALUES (1)")
        apply_schema(connection)
        connection.rollback()  # the caller's decision: its table and the nine go together
    assert _count(pg_engine, NINE) == 0
    assert _count(pg_engine, "SELECT count(*) FROM pg_tables WHERE tablename = 'mine'") == 0

    with pg_engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE mine (id int)")
        apply_schema(connection)
    assert _count(pg_engine, NINE) == 9
    assert _count(pg_engine, "SELECT count(*) FROM mine") == 0


def test_postgres_failing_apply_leaves_the_callers_work(pg_engine: sa.Engine) -> None:
    with pg_engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE mine (id int)")
        connection.exec_driver_sql("INSERT INTO mine VALUES (1)")
        # CREATE TABLE wh_inbox also creates a row type of that name: this one makes it fail.
        connection.exec_driver_sql("CREATE TYPE wh_inbox AS (a int)")
        with pytest.raises(DatabaseError, match="wh_inbox"):
            apply_schema(connection)
        assert connection.exec_driver_sql("SELECT count(*) FROM mine").scalar_one() == 1
        connection.commit()
    assert _count(pg_engine, "SELECT count(*) FROM mine") == 1
    assert _count(pg_engine, NINE) == 0


def test_postgres_autocommit_connection(pg_engine: sa.Engine) -> None:
    with pg_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        apply_schema(connection)
    assert _count(pg_engine, NINE) == 9


def test_orm_session_connection(pg_engine: sa.Engine) -> None:
    with Session(pg_engine) as session:
        apply_schema(session.connection())
        session.commit()
    assert _count(pg_engine, NINE) == 9


def test_sqlite_commit_and_rollback(sqlite_engine: sa.Engine) -> None:
    with sqlite_engine.connect() as connection:
        apply_schema(connection)
        connection.rollback()
    assert _count(sqlite_engine, SQLITE_NINE) == 0
    with sqlite_engine.connect() as connection:
        apply_schema(connection)
    assert _count(sqlite_engine, SQLITE_NINE) == 0  # closed without commit
    with sqlite_engine.connect() as connection:
        assert len(apply_schema(connection).created) == 37
        connection.commit()
    assert _count(sqlite_engine, SQLITE_NINE) == 9


def test_sqlite_apply_in_the_callers_begin_block(sqlite_engine: sa.Engine) -> None:
    with sqlite_engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE mine (id INTEGER)")
        assert len(apply_schema(connection).created) == 37
    assert _count(sqlite_engine, SQLITE_NINE) == 9
    assert _count(sqlite_engine, "SELECT count(*) FROM mine") == 0


def test_the_dialect_comes_from_sqlalchemys_dialect_name(sqlite_engine: sa.Engine) -> None:
    with sqlite_engine.begin() as connection:
        with pytest.raises(DatabaseError, match="postgres dialect"):
            apply_schema(connection, dialect="postgres")  # named: not inferred
        assert len(apply_schema(connection, dialect="sqlite").created) == 37
    assert _count(sqlite_engine, SQLITE_NINE) == 9


def test_a_driver_no_dialect_uses_names_the_url_that_works(postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg2://", 1))
    try:
        with engine.connect() as connection:
            with pytest.raises(DatabaseError, match=r"'psycopg2'.*postgresql\+psycopg://"):
                apply_schema(connection)
            assert connection.exec_driver_sql(NINE).scalar_one() == 0
    finally:
        engine.dispose()


def test_what_is_not_a_connection_says_what_to_pass(pg_engine: sa.Engine) -> None:
    with pytest.raises(DatabaseError, match=r"with engine\.begin\(\) as connection"):
        apply_schema(pg_engine)
    with (
        Session(pg_engine) as session,
        pytest.raises(DatabaseError, match=r"session\.connection\(\)"),
    ):
        apply_schema(session)
    connection = pg_engine.connect()
    connection.close()
    with pytest.raises(DatabaseError, match="closed"):
        apply_schema(connection)
    assert _count(pg_engine, NINE) == 0


def test_a_dialect_given_for_another_engine_is_named_as_the_mismatch(
    sqlite_engine: sa.Engine, pg_engine: sa.Engine
) -> None:
    # Not "use a postgresql+psycopg:// URL": the database is SQLite, dialect= is wrong.
    with sqlite_engine.connect() as connection, pytest.raises(DatabaseError) as refused:
        apply_schema(connection, dialect="postgres")
    message = str(refused.value)
    assert "connected to sqlite, the sqlite dialect's engine" in message
    assert "URL" not in message
    with (
        pg_engine.connect() as connection,
        pytest.raises(DatabaseError, match=r"connected to postgresql.*leave dialect= out"),
    ):
        apply_schema(connection, dialect="sqlite")
    assert _count(pg_engine, NINE) == 0


def test_a_pooled_connection_is_refused_with_what_works_instead(
    pg_engine: sa.Engine, sqlite_engine: sa.Engine
) -> None:
    # engine.raw_connection() and connection.connection are the pool's proxies of the
    # driver's connection: one cannot tell them apart, and behind a Connection's back its
    # commit() does nothing. The message names what works for each.
    for engine, nine in ((pg_engine, NINE), (sqlite_engine, SQLITE_NINE)):
        with (
            engine.connect() as connection,
            pytest.raises(DatabaseError, match=r"Connection itself.*raw\.dbapi_connection"),
        ):
            apply_schema(connection.connection)
        raw = engine.raw_connection()
        with pytest.raises(DatabaseError, match=r"raw\.commit\(\)"):
            apply_schema(raw)
        assert len(apply_schema(raw.dbapi_connection).created) == 37  # as the message says
        raw.commit()
        raw.close()
        assert _count(engine, nine) == 9


def test_an_invalidated_connection_is_called_so(pg_engine: sa.Engine) -> None:
    with pg_engine.connect() as connection:
        connection.invalidate()
        with pytest.raises(DatabaseError, match="invalidated"):
            apply_schema(connection)
    assert _count(pg_engine, NINE) == 0
