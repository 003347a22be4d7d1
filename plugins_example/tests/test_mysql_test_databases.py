"""MySQL/MariaDB: apply_schema on the caller's PyMySQL connection, and the test databases'
decisions (a copy through CREATE TABLE ... LIKE holds the template's schema exactly)."""

from __future__ import annotations

import urllib.parse
import uuid
from typing import Any

import pymysql
import pytest

from whizbang_schema import apply_schema, get_dialect

pytest_plugins = ["pytester"]


def test_apply_on_the_callers_connection_commits_what_it_wrote_before(
    mysql_url: str, mysql: Any
) -> None:
    import warnings

    parts = urllib.parse.urlsplit(mysql_url)
    name = parts.path.lstrip("/")
    mine = pymysql.connect(  # autocommit off: PyMySQL's default
        host=parts.hostname, port=parts.port or 3306, user=parts.username or "root", database=name
    )
    try:
        with mine.cursor() as cursor:
            cursor.execute("CREATE TABLE mine (id int) ENGINE=InnoDB")
            cursor.execute("INSERT INTO mine VALUES (1)")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the inbox's partial indexes degrade here
            result = apply_schema(mine)
        assert result.created and mine.open
        mine.rollback()  # too late: the DDL committed the caller's transaction (documented)
        with mysql.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM mine")
            assert cursor.fetchone() == (1,)
            cursor.execute(
                "SELECT count(*) FROM information_schema.TABLES "
                "WHERE TABLE_SCHEMA = %s AND TABLE_NAME LIKE 'wh\\\\_%%'",
                (name,),
            )
            assert cursor.fetchone() == (9,)
    finally:
        mine.close()


def test_apply_on_a_connection_whose_cursors_make_dicts(mysql_url: str, mysql: Any) -> None:
    import warnings

    import pymysql.cursors

    parts = urllib.parse.urlsplit(mysql_url)
    mine = pymysql.connect(  # DictCursor: a common PyMySQL setup
        host=parts.hostname,
        port=parts.port or 3306,
        user=parts.username or "root",
        database=parts.path.lstrip("/"),
        cursorclass=pymysql.cursors.DictCursor,
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the inbox's partial indexes degrade here
            assert len(apply_schema(mine).created) == 9
            assert apply_schema(mine).created == ()  # read back through the same connection
        with mine.cursor() as cursor:
            cursor.execute("SELECT 1 AS one")
            assert cursor.fetchone() == {"one": 1}  # left as it was
    finally:
        mine.close()


def test_a_copy_holds_the_template_schema(mysql_url: str, mysql_admin: Any) -> None:
    import warnings

    decisions = get_dialect("mysql").decisions()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        apply_schema(mysql_url)
        copy = decisions.create_database(mysql_url, f"wbcopy_{uuid.uuid4().hex[:12]}", mysql_url)
        try:
            again = apply_schema(copy, dry_run=True)
            assert again.created == () and again.refused == ()
            assert len(again.existing) == 9  # MySQL declares indexes inside CREATE TABLE
        finally:
            assert decisions.drop_database(copy) is True
    with mysql_admin.cursor() as cursor:
        cursor.execute("SHOW DATABASES LIKE %s", (copy.rsplit("/", 1)[1],))
        assert cursor.fetchall() == ()


def test_test_databases_refuse_a_schema_that_is_a_database_of_its_own(
    mysql_url: str, mysql_admin: Any, pytester: Any, monkeypatch: Any
) -> None:
    # On MySQL a schema is a database beside the test's: every test would share its tables.
    schema = f"wbshared_{uuid.uuid4().hex[:12]}"
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makeini(
        f"[pytest]\nwhizbang_database_url = {mysql_url}\n"
        "whizbang_definitions = app_schema:SCHEMA\nfilterwarnings = ignore\n"
    )
    pytester.makepyfile(
        app_schema=(
            "from whizbang_schema import SchemaConfiguration\n"
            "from whizbang_schema.tables import SEQUENCES\n"
            f"SCHEMA = SchemaConfiguration(schema={schema!r}, tables=(SEQUENCES,))\n"
        ),
        test_app="def test_one(whizbang_database):\n    pass\n",
    )
    pytester.syspathinsert()
    try:
        result = pytester.runpytest_inprocess("-p", "whizbang_schema.testing.databases")
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(["*schema*is a database of its own*"])
    finally:
        with mysql_admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {schema}")


def test_apply_on_a_sqlalchemy_connection(mysql_url: str, mysql: Any) -> None:
    import warnings

    import sqlalchemy as sa

    # SQLAlchemy's dialect name (mysql, or mariadb) picks the MySQL dialect.
    engine = sa.create_engine(mysql_url.replace("mysql://", "mysql+pymysql://", 1))
    try:
        with engine.connect() as connection, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the inbox's partial indexes degrade here
            assert len(apply_schema(connection).created) == 9
            connection.rollback()  # too late for DDL: MySQL commits it (documented)
        with mysql.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM information_schema.TABLES "
                "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'wh\\\\_%%'"
            )
            assert cursor.fetchone() == (9,)
    finally:
        engine.dispose()


def test_apply_inside_a_sqlalchemy_nested_transaction_is_refused_before_any_ddl(
    mysql_url: str, mysql: Any
) -> None:
    import sqlalchemy as sa

    from whizbang_schema import DatabaseError

    engine = sa.create_engine(mysql_url.replace("mysql://", "mysql+pymysql://", 1))
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("CREATE TABLE mine (id int) ENGINE=InnoDB")
            with connection.begin_nested():
                connection.exec_driver_sql("INSERT INTO mine VALUES (1)")
                # DDL would commit implicitly and end the savepoint SQLAlchemy then releases.
                with pytest.raises(DatabaseError, match="begin_nested"):
                    apply_schema(connection)
            connection.commit()
        with mysql.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM mine")
            assert cursor.fetchone() == (1,)
            cursor.execute(
                "SELECT count(*) FROM information_schema.TABLES "
                "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'wh\\\\_%%'"
            )
            assert cursor.fetchone() == (0,)
    finally:
        engine.dispose()
