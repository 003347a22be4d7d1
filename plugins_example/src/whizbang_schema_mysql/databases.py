"""Databases for tests: MySQL and MariaDB have no database templates, so a copy is a new
database and one ``CREATE TABLE ... LIKE`` per table of the template (columns, defaults,
keys and indexes exactly as the server holds them, no rows), sent in one round trip."""

from __future__ import annotations

from typing import Any, Final

from whizbang_schema import DatabaseError, server_url, with_database

SCHEMES: Final = ("mysql", "mariadb")

_TABLES_SQL: Final = (
    "SELECT TABLE_NAME FROM information_schema.TABLES "
    "WHERE TABLE_SCHEMA = %s AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME"
)


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _admin(url: str) -> Any:
    import pymysql
    from pymysql.constants import CLIENT

    parts = server_url(url, SCHEMES, engine="MySQL")
    try:
        return pymysql.connect(
            host=parts.host or "127.0.0.1",
            port=parts.port or 3306,
            user=parts.user or "root",
            password=(parts.password or "").encode(),
            autocommit=True,
            client_flag=CLIENT.MULTI_STATEMENTS,
        )
    except pymysql.MySQLError as exc:
        raise DatabaseError(f"MySQL: cannot connect to create a database: {exc}") from None


def create_database(url: str, name: str, template: str | None) -> str:
    admin = _admin(url)
    try:
        cursor = admin.cursor()
        statements = [f"CREATE DATABASE {_quote(name)}"]
        if template is not None:
            source = server_url(template, SCHEMES, engine="MySQL").database
            cursor.execute(_TABLES_SQL, (source,))
            statements += [
                f"CREATE TABLE {_quote(name)}.{_quote(t)} LIKE {_quote(source)}.{_quote(t)}"
                for (t,) in cursor.fetchall()
            ]
        cursor.execute("; ".join(statements))
        while cursor.nextset():  # each statement's result, so that an error surfaces here
            pass
    except Exception as exc:
        raise DatabaseError(f"MySQL: cannot create database {name!r}: {exc}") from None
    finally:
        admin.close()
    return with_database(url, name)


def drop_database(url: str) -> bool:
    name = server_url(url, SCHEMES, engine="MySQL").database
    admin = _admin(url)
    try:
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {_quote(name)}")
    finally:
        admin.close()
    return True
