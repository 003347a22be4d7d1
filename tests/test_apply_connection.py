"""apply_schema on a connection the caller opened: inside the caller's transaction where the
engine has transactional DDL, never committed or closed by the apply (real PostgreSQL and
SQLite; MySQL/MariaDB in plugins_example/tests/test_mysql_test_databases.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import psycopg
import pytest

from whizbang_schema import DatabaseError, apply_schema

NINE = "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'wh\\_%'"
SQLITE_NINE = (
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 'wh\\_%' ESCAPE '\\'"
)


def test_postgres_apply_joins_the_callers_transaction(postgres_url: str, postgres: Any) -> None:
    connection = psycopg.connect(postgres_url)  # not autocommit: psycopg's default
    try:
        connection.execute("CREATE TABLE mine (id int)")
        connection.execute("INSERT INTO mine VALUES (1)")
        result = apply_schema(connection)
        assert len(result.created) == 37
        # Inside the caller's transaction: visible to it, to no one else yet.
        assert connection.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        assert connection.execute(NINE).fetchone() == (9,)
        assert postgres.execute(NINE).fetchone() == (0,)
        connection.rollback()  # the caller's decision: everything goes, its own table too
        assert postgres.execute(NINE).fetchone() == (0,)
        assert postgres.execute("SELECT to_regclass('mine')").fetchone() == (None,)

        apply_schema(connection)
        connection.commit()
        assert postgres.execute(NINE).fetchone() == (9,)
        assert not connection.closed
    finally:
        connection.close()


def test_postgres_failing_apply_undoes_only_itself(postgres_url: str, postgres: Any) -> None:
    connection = psycopg.connect(postgres_url)
    try:
        connection.execute("CREATE TABLE mine (id int)")
        connection.execute("INSERT INTO mine VALUES (1)")
        # CREATE TABLE wh_inbox also creates a row type of that name: this one makes it fail.
        connection.execute("CREATE TYPE wh_inbox AS (a int)")
        with pytest.raises(DatabaseError, match="wh_inbox"):
            apply_schema(connection)
        # The caller's transaction goes on, with its own work and none of the apply's.
        assert connection.execute("SELECT count(*) FROM mine").fetchone() == (1,)
        assert connection.execute(NINE).fetchone() == (0,)
        connection.commit()
        assert postgres.execute("SELECT count(*) FROM mine").fetchone() == (1,)
    finally:
        connection.close()


def test_postgres_autocommit_connection_gets_its_own_transaction(
    postgres_url: str, postgres: Any
) -> None:
    connection = psycopg.connect(postgres_url, autocommit=True)
    try:
        apply_schema(connection)
        assert postgres.execute(NINE).fetchone() == (9,)
        assert connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    finally:
        connection.close()


def test_sqlite_apply_joins_or_begins_the_callers_transaction(sqlite_path: Path) -> None:
    connection = sqlite3.connect(sqlite_path)  # sqlite3's default: not autocommit
    other = sqlite3.connect(sqlite_path)
    try:
        assert not connection.in_transaction
        apply_schema(connection)
        assert connection.in_transaction  # begun for the caller, ended by its rollback
        assert connection.execute(SQLITE_NINE).fetchone() == (9,)
        connection.rollback()
        assert other.execute(SQLITE_NINE).fetchone() == (0,)

        connection.execute("CREATE TABLE mine (id)")
        connection.execute("INSERT INTO mine VALUES (1)")  # sqlite3 begins here
        apply_schema(connection)
        connection.commit()
        assert other.execute(SQLITE_NINE).fetchone() == (9,)
        assert other.execute("SELECT count(*) FROM mine").fetchone() == (1,)
        connection.execute("SELECT 1")  # still open
    finally:
        connection.close()
        other.close()


def test_sqlite_autocommit_connection_is_committed(sqlite_path: Path) -> None:
    connection = sqlite3.connect(sqlite_path, isolation_level=None)
    other = sqlite3.connect(sqlite_path)
    try:
        apply_schema(connection)
        assert not connection.in_transaction
        assert other.execute(SQLITE_NINE).fetchone() == (9,)
    finally:
        connection.close()
        other.close()


def test_a_connection_no_dialect_knows_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="is not a connection any installed dialect"):
        apply_schema(object())
    connection = sqlite3.connect(tmp_path / "x.db")
    try:
        with pytest.raises(DatabaseError, match="the postgres dialect can use"):
            apply_schema(connection, dialect="postgres")
        with pytest.raises(ValueError, match="lock_timeout applies to URLs"):
            apply_schema(connection, lock_timeout=1)
    finally:
        connection.close()


def test_postgres_autocommit_connection_inside_the_callers_transaction_block_joins_it(
    postgres_url: str, postgres: Any
) -> None:
    # psycopg's own idiom: an autocommit connection, a transaction block where it matters.
    connection = psycopg.connect(postgres_url, autocommit=True)
    try:
        connection.execute("CREATE TABLE mine (id int)")

        def work_then_change_mind() -> None:
            with connection.transaction():
                connection.execute("INSERT INTO mine VALUES (1)")
                apply_schema(connection)
                assert connection.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
                raise RuntimeError("the caller rolls back")

        with pytest.raises(RuntimeError, match="the caller rolls back"):
            work_then_change_mind()
        # Nothing was committed behind the caller's back: its row and the tables are gone.
        assert postgres.execute("SELECT count(*) FROM mine").fetchone() == (0,)
        assert postgres.execute(NINE).fetchone() == (0,)
    finally:
        connection.close()


def test_sqlite_autocommit_connection_with_an_explicit_begin_joins_it(sqlite_path: Path) -> None:
    # sqlite3's documented way to control transactions: isolation_level=None and BEGIN.
    connection = sqlite3.connect(sqlite_path, isolation_level=None)
    other = sqlite3.connect(sqlite_path)
    try:
        connection.execute("CREATE TABLE mine (id)")
        connection.execute("BEGIN")
        connection.execute("INSERT INTO mine VALUES (1)")
        apply_schema(connection)
        assert connection.in_transaction
        assert connection.execute(SQLITE_NINE).fetchone() == (9,)
        connection.execute("ROLLBACK")
        assert other.execute(SQLITE_NINE).fetchone() == (0,)
        assert other.execute("SELECT count(*) FROM mine").fetchone() == (0,)
    finally:
        connection.close()
        other.close()


def test_postgres_connection_with_a_row_factory_of_its_own(
    postgres_url: str, postgres: Any
) -> None:
    from psycopg.rows import dict_row

    connection = psycopg.connect(postgres_url, row_factory=dict_row)  # a common psycopg setup
    try:
        assert len(apply_schema(connection).created) == 37
        connection.commit()
        assert postgres.execute(NINE).fetchone() == (9,)
        assert apply_schema(connection).created == ()  # read back through the same connection
        assert connection.execute("SELECT 1 AS one").fetchone() == {"one": 1}  # left as it was
    finally:
        connection.close()


def test_sqlite_connection_with_a_row_factory_of_its_own(sqlite_path: Path) -> None:
    connection = sqlite3.connect(sqlite_path)
    connection.row_factory = lambda cursor, row: dict(zip([d[0] for d in cursor.description], row))
    try:
        assert len(apply_schema(connection).created) == 37
        connection.commit()
        assert apply_schema(connection).created == ()  # read back through the same connection
        assert connection.execute("SELECT 1 AS one").fetchone() == {"one": 1}
    finally:
        connection.close()


def test_a_closed_connection_is_a_database_error(postgres_url: str, sqlite_path: Path) -> None:
    closed_postgres = psycopg.connect(postgres_url)
    closed_postgres.close()
    closed_sqlite = sqlite3.connect(sqlite_path)
    closed_sqlite.close()
    for closed in (closed_postgres, closed_sqlite):
        with pytest.raises(DatabaseError, match=r"(?i)closed"):
            apply_schema(closed)
