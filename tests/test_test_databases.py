"""The decisions behind the pytest plugin's databases, on the real engines: a copy of a
template holds exactly the template's schema, a schema change moves the fingerprint and
rows do not, and a dropped database is gone even with a session still on it."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest

from whizbang_schema import DatabaseError, apply_schema, connect, get_dialect, with_database


def _fingerprint(url: str) -> str | None:
    database = connect(url)
    try:
        return get_dialect(database.dialect).decisions().schema_fingerprint(database)
    finally:
        database.close()


@pytest.fixture
def postgres_template(postgres_server_url: str, postgres_admin: Any) -> Any:
    name = f"wbtpl_{uuid.uuid4().hex[:12]}"
    decisions = get_dialect("postgres").decisions()
    url = decisions.create_database(postgres_server_url, name, None)
    apply_schema(url)
    made = [url]
    yield url, made
    for each in made:
        decisions.drop_database(each)


def test_postgres_copy_holds_the_template_schema_and_the_fingerprint_sees_changes(
    postgres_server_url: str, postgres_template: Any
) -> None:
    template, made = postgres_template
    decisions = get_dialect("postgres").decisions()
    copy = decisions.create_database(
        postgres_server_url, f"wbcopy_{uuid.uuid4().hex[:12]}", template
    )
    made.append(copy)
    assert copy == with_database(postgres_server_url, copy.rsplit("/", 1)[1])
    assert apply_schema(copy, dry_run=True).created == ()
    before = _fingerprint(copy)
    assert before == _fingerprint(template)  # a copy keeps its template's catalog rows

    connection = psycopg.connect(copy, autocommit=True)
    try:
        connection.execute(
            "INSERT INTO wh_outbox (message_id, destination, event_type, event_data, metadata) "
            "VALUES (gen_random_uuid(), 'd', 'e', '{}', '{}')"
        )
        assert _fingerprint(copy) == before  # rows are not schema
        for change in (
            "CREATE TABLE stray (id int)",
            "DROP TABLE stray",
            "ALTER TABLE wh_outbox ADD COLUMN extra int",
            "ALTER TABLE wh_outbox DROP COLUMN extra",
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "DROP INDEX wh_idx_outbox_published_at",
            "COMMENT ON TABLE wh_outbox IS 'changed'",
            "CREATE VIEW v AS SELECT 1 AS one",
            "CREATE TYPE mood AS ENUM ('ok')",
            "ALTER TABLE wh_outbox ALTER COLUMN destination SET DEFAULT 'x'",
            "GRANT SELECT ON wh_outbox TO PUBLIC",
            f"ALTER DATABASE {copy.rsplit('/', 1)[1]} SET work_mem = '8MB'",
        ):
            connection.execute(change)
            after = _fingerprint(copy)
            assert after != before, change
            before = after
    finally:
        connection.close()


def test_postgres_drop_ends_the_sessions_left_on_the_database(
    postgres_server_url: str, postgres_template: Any, postgres_admin: Any
) -> None:
    template, _ = postgres_template
    decisions = get_dialect("postgres").decisions()
    name = f"wbcopy_{uuid.uuid4().hex[:12]}"
    copy = decisions.create_database(postgres_server_url, name, template)
    left_open = psycopg.connect(copy)
    left_open.execute("SELECT 1")  # a transaction left open, as a careless test would
    assert decisions.drop_database(copy) is True
    rows = postgres_admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
    assert rows.fetchall() == []
    left_open.close()


def test_sqlite_copy_through_the_backup_api(tmp_path: Path) -> None:
    decisions = get_dialect("sqlite").decisions()
    template = decisions.create_database(f"sqlite:///{tmp_path}/seed.db", "template", None)
    assert template == f"sqlite:///{tmp_path}/template.sqlite3"
    apply_schema(template)
    copy = decisions.create_database(template, "copy", template)
    assert apply_schema(copy, dry_run=True).created == ()
    assert decisions.schema_fingerprint(connect(copy)) is None  # copies are cheap: no reuse
    assert decisions.drop_database(copy) is True
    assert not (tmp_path / "copy.sqlite3").exists()
    with sqlite3.connect(tmp_path / "template.sqlite3") as kept:
        assert kept.execute("SELECT count(*) FROM wh_outbox").fetchone() == (0,)


def test_sqlite_copy_in_a_directory_whose_name_means_something_in_a_uri(tmp_path: Path) -> None:
    # '#' '?' and '%41' are plain characters in a path, not a URI's fragment, query or escape.
    directory = tmp_path / "C# app?v=1 %41"
    directory.mkdir()
    decisions = get_dialect("sqlite").decisions()
    template = decisions.create_database(f"sqlite:///{directory}/seed.db", "template", None)
    apply_schema(template)
    copy = decisions.create_database(template, "copy", template)
    with sqlite3.connect(directory / "copy.sqlite3") as copied:
        assert copied.execute("SELECT count(*) FROM wh_outbox").fetchone() == (0,)
    assert sorted(p.name for p in tmp_path.iterdir()) == [directory.name]  # no stray file
    assert sorted(p.name for p in directory.iterdir()) == ["copy.sqlite3", "template.sqlite3"]
    decisions.drop_database(copy)


def test_sqlite_database_beside_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    decisions = get_dialect("sqlite").decisions()
    with pytest.raises(DatabaseError, match="does not exist"):
        decisions.create_database(f"sqlite:///{tmp_path}/missing/app.db", "template", None)


def test_postgres_admin_session_takes_a_password_with_a_bare_percent(
    postgres_server_url: str, postgres_admin: Any
) -> None:
    # Connecting for apply quotes such a password; the test databases' admin session must too
    # (libpq otherwise refuses the URL and its message quotes the password).
    password = "p%zzs3cr3t"
    server = postgres_server_url.replace("postgres@", f"postgres:{password}@", 1)
    assert password in server  # the server trusts any password: only the spelling matters
    decisions = get_dialect("postgres").decisions()
    name = f"wbpct_{uuid.uuid4().hex[:12]}"
    url = decisions.create_database(server, name, None)
    try:
        assert apply_schema(url, dry_run=True).created  # a real, empty database
    finally:
        decisions.drop_database(url)
    down = server.replace(":5432/", ":1/", 1)
    with pytest.raises(DatabaseError) as failed:
        decisions.create_database(down, name, None)
    assert "s3cr3t" not in str(failed.value)


def test_a_test_databases_repr_hides_its_password() -> None:
    from whizbang_schema.testing.databases import TestDatabase

    database = TestDatabase("postgresql://app:s3cr3tpw@db.example/t1", "postgres")
    assert "s3cr3tpw" not in repr(database)  # pytest prints a failing test's arguments
    assert str(database) == database.url == "postgresql://app:s3cr3tpw@db.example/t1"


def test_a_session_a_test_left_open_is_ended_before_the_database_is_reused(
    postgres_server_url: str,
) -> None:
    """A writer a test left connected must not put its rows into the next test's tables."""
    from whizbang_schema import SchemaConfiguration
    from whizbang_schema.testing.databases import DatabaseFactory

    factory = DatabaseFactory(postgres_server_url, SchemaConfiguration(), reuse=True)
    try:
        first = factory.acquire()
        left_open = psycopg.connect(first.url, autocommit=True)
        factory.release(first)
        second = factory.acquire()
        assert second.reused and second.url == first.url
        with pytest.raises(psycopg.OperationalError):
            left_open.execute(
                "INSERT INTO wh_outbox (message_id, destination, event_type, event_data, "
                "metadata) VALUES (gen_random_uuid(), 'd', 'e', '{}', '{}')"
            )
        rows = psycopg.connect(second.url, autocommit=True)
        try:
            assert rows.execute("SELECT count(*) FROM wh_outbox").fetchone() == (0,)
        finally:
            rows.close()
        factory.release(second)
    finally:
        left_open.close()
        factory.close()
