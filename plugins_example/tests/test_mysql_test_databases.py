"""MySQL/MariaDB: apply_schema on the caller's PyMySQL connection, and the test databases'
decisions (a copy through CREATE TABLE ... LIKE holds the template's schema exactly)."""

from __future__ import annotations

import urllib.parse
import uuid
from typing import Any

import pymysql

from whizbang_schema import apply_schema, get_dialect


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
