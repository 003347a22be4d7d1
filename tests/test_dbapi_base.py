"""DBAPIDatabase, the base of every live database, on the real engines.

Each engine's subclass supplies only how it opens, begins and locks; what the base owns is held
here once per engine: errors become DatabaseError with the server's message and SQLSTATE and
never the password, a failing transaction rolls back and releases the lock without hiding its
error, and file databases follow one URL rule.
"""

from __future__ import annotations

import sqlite3
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from whizbang_schema import (
    DatabaseError,
    DBAPIDatabase,
    LiveDatabase,
    Statement,
    StatementKind,
    connect,
    file_database_path,
    server_url,
)
from whizbang_schema_postgres.live import LOCK_KEY
from whizbang_schema_sqlite.live import SqliteDatabase

SECRET = "s3cret-Passw0rd"


class CallerError(Exception):
    """The error a caller's code raises inside a transaction."""


def fail_in_transaction(database: LiveDatabase, *steps: Callable[[], object]) -> None:
    """Run ``steps`` inside a transaction, then fail as a caller's code would."""
    with database.transaction():
        for step in steps:
            step()
        raise CallerError


def run_in_transaction(database: LiveDatabase, *statements: str) -> None:
    with database.transaction():
        for sql in statements:
            database.execute(sql)


@pytest.fixture
def mariadb_url(mariadb_admin: LiveDatabase, mariadb_server_url: str) -> Iterator[str]:
    """The URL of a new, empty MariaDB database, dropped after the test."""
    name = f"wbtest_{uuid.uuid4().hex[:16]}"
    mariadb_admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{mariadb_server_url.rsplit('/', 1)[0]}/{name}"
    finally:
        mariadb_admin.execute(f"DROP DATABASE IF EXISTS {name}")


@pytest.fixture(params=["sqlite", "postgres", "mysql"])
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveDatabase]:
    """A read-write connection to a new, empty database on each engine."""
    if request.param == "sqlite":
        target = str(tmp_path / "live.db")
    else:
        target = request.getfixturevalue(
            "postgres_url" if request.param == "postgres" else "mariadb_url"
        )
    database = connect(target)
    yield database
    database.close()


def table_names(database: LiveDatabase) -> set[str]:
    if database.dialect == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    elif database.dialect == "postgres":
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    else:
        sql = "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
    return {str(row[0]) for row in database.query(sql)}


# -- the protocol and the plain calls ----------------------------------------------------------


def test_every_engine_is_a_dbapi_database_and_a_live_database(live: LiveDatabase) -> None:
    assert isinstance(live, DBAPIDatabase)
    assert isinstance(live, LiveDatabase)
    # Opening: one round trip; MySQL/MariaDB one more, the Galera state a node must be
    # refused on (wsrep_ready, wsrep_cluster_status), answered in one query by a single server.
    assert live.round_trips == (2 if live.dialect == "mysql" else 1)


@pytest.mark.parametrize(
    ("live", "sql", "params"),
    [
        ("sqlite", "SELECT ? + 1, ?", [41, "x"]),
        ("sqlite", "SELECT :n + 1, :s", {"n": 41, "s": "x"}),
        ("postgres", "SELECT %s + 1, %s", [41, "x"]),
        ("postgres", "SELECT %(n)s + 1, %(s)s", {"n": 41, "s": "x"}),
        ("mysql", "SELECT %s + 1, %s", [41, "x"]),
        ("mysql", "SELECT %(n)s + 1, %(s)s", {"n": 41, "s": "x"}),
    ],
    indirect=["live"],
)
def test_query_takes_parameters_in_the_drivers_paramstyle(
    live: LiveDatabase, sql: str, params: Any
) -> None:
    before = live.round_trips
    assert live.query(sql, params) == [(42, "x")]
    assert live.round_trips - before == 1


def test_execute_takes_percent_and_question_marks_literally(live: LiveDatabase) -> None:
    live.execute("CREATE TABLE wh_pct (s VARCHAR(20) DEFAULT '100%?')")
    assert "wh_pct" in table_names(live)


def test_closing_twice_is_harmless(live: LiveDatabase) -> None:
    live.close()
    live.close()


# -- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("live", "message", "sqlstate"),
    [
        ("sqlite", "SQLite: no such table: wh_missing", None),
        ("postgres", 'PostgreSQL: relation "wh_missing" does not exist (SQLSTATE 42P01)', "42P01"),
        ("mysql", "doesn't exist (error 1146) (SQLSTATE 42S02)", "42S02"),
    ],
    indirect=["live"],
)
def test_a_driver_error_is_a_database_error_with_the_servers_message_and_sqlstate(
    live: LiveDatabase, message: str, sqlstate: str | None
) -> None:
    with pytest.raises(DatabaseError) as caught:
        live.query("SELECT * FROM wh_missing")
    assert message in str(caught.value)
    assert caught.value.sqlstate == sqlstate
    assert caught.value.__cause__ is not None  # the driver's exception, for debugging
    with pytest.raises(DatabaseError, match="wh_missing"):
        live.execute("DROP TABLE wh_missing")


def test_the_password_never_appears_even_when_the_server_quotes_it(postgres_url: str) -> None:
    # The server trusts local connections, so any password opens; then make it quote one.
    url = postgres_url.replace("postgres@", f"postgres:{SECRET}@")
    database = connect(url)
    try:
        assert SECRET not in repr(database)
        with pytest.raises(DatabaseError) as caught:
            database.query("SELECT %s::int", (SECRET,))
        assert "invalid input syntax for type integer" in str(caught.value)
        assert SECRET not in str(caught.value) and "***" in str(caught.value)
        assert caught.value.__cause__ is None  # the driver's exception quotes it
        assert caught.value.sqlstate == "22P02"
    finally:
        database.close()


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://postgres:{SECRET}@127.0.0.1:5432/wbtest_no_such_database",
        f"postgresql://postgres:{SECRET}@127.0.0.1:1/x",
        f"mysql://root:{SECRET}@127.0.0.1:3306/mysql",  # root has no password: refused
        f"mysql://root:{SECRET}@127.0.0.1:1/x",
    ],
)
def test_connection_errors_name_the_server_without_the_password(url: str) -> None:
    with pytest.raises(DatabaseError) as caught:
        connect(url)
    message = str(caught.value)
    assert message.startswith("cannot connect to ")
    assert SECRET not in message and ":***@127.0.0.1" in message
    assert caught.value.__cause__ is None  # the driver's exception may hold the password


def test_a_missing_driver_says_how_to_install_it(tmp_path: Path) -> None:
    class Missing(SqliteDatabase):
        engine = "Nothing"
        driver_module = "whizbang_no_such_driver"
        install_hint = "pip install 'whizbang-nothing[driver]'"

    with pytest.raises(DatabaseError) as caught:
        Missing(str(tmp_path / "x.db"))
    assert str(caught.value) == (
        "connecting to Nothing needs the whizbang_no_such_driver module: "
        "pip install 'whizbang-nothing[driver]'"
    )
    assert not (tmp_path / "x.db").exists()


def test_a_driver_that_fails_to_import_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "whizbang_broken_driver.py").write_text("import whizbang_missing_dependency\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "whizbang_broken_driver", raising=False)

    class Broken(SqliteDatabase):
        driver_module = "whizbang_broken_driver"

    with pytest.raises(DatabaseError, match="installed but cannot be imported: No module named"):
        Broken(str(tmp_path / "x.db"))


# -- transactions and the lock -------------------------------------------------------------------


@pytest.mark.parametrize("live", ["sqlite", "postgres"], indirect=True)  # MySQL: no DDL rollback
def test_an_error_in_a_transaction_rolls_back(live: LiveDatabase) -> None:
    create = "CREATE TABLE wh_kept_only_on_commit (x INTEGER)"
    with pytest.raises(CallerError):
        fail_in_transaction(live, lambda: live.execute(create))
    with pytest.raises(DatabaseError):
        run_in_transaction(live, create, create)  # the second is refused: it exists
    assert table_names(live) == set()
    run_in_transaction(live, create)
    assert table_names(live) == {"wh_kept_only_on_commit"}


def test_a_transaction_counts_begin_lock_and_commit(live: LiveDatabase) -> None:
    before = live.round_trips
    with live.transaction():
        pass
    # PostgreSQL: BEGIN, lock, COMMIT; SQLite: BEGIN IMMEDIATE, COMMIT; MySQL: lock, unlock.
    assert live.round_trips - before == {"postgres": 3, "sqlite": 2, "mysql": 2}[live.dialect]


def test_postgres_releases_its_lock_after_an_error(postgres_url: str, postgres: Any) -> None:
    database = connect(postgres_url)
    try:
        seen: list[bool] = []

        def try_lock() -> None:
            seen.append(
                postgres.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()[0]
            )

        with pytest.raises(CallerError):
            fail_in_transaction(database, try_lock)
        try_lock()
        assert seen == [False, True]  # held by the transaction, released by its rollback
        postgres.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
    finally:
        database.close()


def test_mysql_releases_its_lock_after_an_error(mariadb_url: str) -> None:
    from whizbang_schema_mysql.live import lock_name

    database, other = connect(mariadb_url), connect(mariadb_url)
    try:
        seen: list[Any] = []

        def is_free() -> None:
            seen.extend(
                other.query("SELECT IS_FREE_LOCK(%s)", (lock_name(mariadb_url.rsplit("/", 1)[1]),))
            )

        with pytest.raises(CallerError):
            fail_in_transaction(database, is_free)
        is_free()
        assert seen == [(0,), (1,)]
    finally:
        database.close()
        other.close()


def test_sqlite_releases_its_lock_after_an_error(sqlite_path: Path) -> None:
    database = connect(str(sqlite_path))
    other = sqlite3.connect(sqlite_path, isolation_level=None, timeout=0)
    try:
        refused: list[str] = []

        def begin_elsewhere() -> None:
            with pytest.raises(sqlite3.OperationalError, match="locked") as caught:
                other.execute("BEGIN IMMEDIATE")
            refused.append(str(caught.value))

        with pytest.raises(CallerError):
            fail_in_transaction(database, begin_elsewhere)
        assert refused == ["database is locked"]
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        database.close()
        other.close()


class FailingUnlock(SqliteDatabase):
    """SQLite with a lock whose release fails, as a lost connection would make it."""

    unlocked = 0

    def unlock(self) -> None:
        self.unlocked += 1
        self.execute("RELEASE no_such_savepoint")


def test_a_failing_unlock_or_rollback_never_hides_the_error(sqlite_path: Path) -> None:
    database = FailingUnlock(str(sqlite_path))
    try:
        with pytest.raises(CallerError):  # COMMIT first, so that the ROLLBACK fails too
            fail_in_transaction(database, lambda: database.connection.execute("COMMIT"))
        assert database.unlocked == 1
        with pytest.raises(DatabaseError, match="no such savepoint"):
            run_in_transaction(database)  # no error to hide: the failing unlock is reported
    finally:
        database.close()


def test_a_lock_that_is_not_taken_rolls_back_and_is_not_released(sqlite_path: Path) -> None:
    class Unlockable(FailingUnlock):
        def lock(self) -> None:
            raise DatabaseError("the lock is held elsewhere")

    database = Unlockable(str(sqlite_path))
    try:
        ran: list[bool] = []
        with pytest.raises(DatabaseError, match="held elsewhere"):
            fail_in_transaction(database, lambda: ran.append(True))
        assert ran == []
        assert database.unlocked == 0
        assert not database.connection.in_transaction
    finally:
        database.close()


# -- read-only ---------------------------------------------------------------------------------


def test_read_only_postgres_refuses_changes_and_keeps_the_urls_options(postgres_url: str) -> None:
    url = f"{postgres_url}?options=-c%20search_path%3Dwh_elsewhere"
    database = connect(url, read_only=True)
    try:
        assert database.query("SHOW search_path") == [("wh_elsewhere",)]
        with pytest.raises(DatabaseError) as caught:
            database.execute("CREATE TABLE wh_t (x integer)")
        assert caught.value.sqlstate == "25006"
    finally:
        database.close()


def test_read_only_mysql_refuses_changes(mariadb_url: str) -> None:
    database = connect(mariadb_url, read_only=True)
    try:
        with pytest.raises(DatabaseError, match="READ ONLY"):
            run_in_transaction(database, "CREATE TABLE wh_t (x integer)")
        assert table_names(database) == set()
    finally:
        database.close()


# -- the URL rule for file databases -----------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "path"),
    [
        ("sqlite:///data/app.db", "data/app.db"),
        ("sqlite:////var/data/app.db", "/var/data/app.db"),
        ("SQLite+pysqlite:///app.db", "app.db"),
        ("data/app.db", "data/app.db"),
        ("/var/data/app.db", "/var/data/app.db"),
        ("sqlite:///", ""),
        ("sqlite:///a%20b.db?mode=ro", "a%20b.db?mode=ro"),  # taken as written
    ],
)
def test_file_database_path(target: str, path: str) -> None:
    assert file_database_path(target, "sqlite") == path


@pytest.mark.parametrize("target", ["sqlite://app.db", "sqlite://host/app.db", "duckdb:///x.db"])
def test_file_database_urls_with_a_host_or_another_scheme_are_refused(target: str) -> None:
    with pytest.raises(
        DatabaseError, match=r"a SQLite URL is sqlite:///relative/path or sqlite:////absolute/path"
    ):
        file_database_path(target, "sqlite", engine="SQLite")


def test_relative_absolute_and_plain_targets_open_those_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    absolute = tmp_path / "absolute.db"
    for target, created in [
        ("sqlite:///sub/relative.db", tmp_path / "sub" / "relative.db"),
        (f"sqlite:///{absolute}", absolute),  # the path's own slash makes the fourth
        ("sub/plain.db", tmp_path / "sub" / "plain.db"),
    ]:
        database = connect(target)
        database.execute("CREATE TABLE wh_t (x INTEGER)")
        database.close()
        assert created.exists(), target
    assert f"sqlite:///{absolute}".startswith("sqlite:////")


def test_read_only_on_a_missing_file_creates_nothing_and_reads_as_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for target in ["missing.db", "sqlite:///missing.db", f"sqlite:///{tmp_path}/missing.db"]:
        database = connect(target, read_only=True)
        try:
            create = Statement(StatementKind.CREATE_TABLE, "wh_t", "CREATE TABLE wh_t (x)")
            assert database.existing([create]) == set()
            with database.transaction():
                assert table_names(database) == set()
            with pytest.raises(DatabaseError, match="attempt to write a readonly database"):
                database.execute("CREATE TABLE wh_t (x INTEGER)")
        finally:
            database.close()
    assert list(tmp_path.iterdir()) == []


def test_read_only_on_an_existing_file_refuses_changes(sqlite_path: Path) -> None:
    connect(str(sqlite_path)).close()
    database = connect(str(sqlite_path), read_only=True)
    try:
        with pytest.raises(DatabaseError, match="readonly"):
            database.execute("CREATE TABLE wh_t (x INTEGER)")
    finally:
        database.close()


# -- server URLs ---------------------------------------------------------------------------------


def test_server_url_parts_are_decoded_and_optional() -> None:
    url = server_url("mysql+pymysql://me:p%40ss@db.example:3307/my%20db", ["mysql"], engine="MySQL")
    assert (url.host, url.port, url.user, url.password, url.database) == (
        "db.example",
        3307,
        "me",
        "p@ss",
        "my db",
    )
    bare = server_url("mysql:///app", ["mysql"], engine="MySQL")
    assert (bare.host, bare.port, bare.user, bare.password) == (None, None, None, None)
    with pytest.raises(
        DatabaseError, match="a MySQL URL is mysql://user:password@host:port/database"
    ):
        server_url(f"mysql://me:{SECRET}@db/", ["mysql"], engine="MySQL")
