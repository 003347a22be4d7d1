"""Databases for tests: created as copies of a template, dropped, and told apart by their
catalogs (the pytest plugin's decisions).

``CREATE DATABASE ... TEMPLATE`` copies the template's files, catalogs and all, so a copy
holds the schema at the cost of one statement (about 130 ms here, against about 300 ms for an
empty database and the nine tables created in it). The template must have no other session:
the plugin closes its own before copying. A schema's fingerprint sums the transaction ids
(``xmin``) of the catalog rows that describe it: creating or altering an object writes rows
with a newer id, dropping one removes rows, and a copy keeps the ids of its template.
"""

from __future__ import annotations

import time
from typing import Any, Final

from whizbang_schema import DatabaseError, LiveDatabase, redact_url, server_url, with_database

SCHEMES: Final = ("postgresql", "postgres")

#: The catalogs that describe a database's schema; each contributes its row count and the
#: sum of its rows' creating transaction ids.
CATALOGS: Final = (
    "pg_namespace",
    "pg_class",
    "pg_attribute",
    "pg_attrdef",
    "pg_constraint",
    "pg_index",
    "pg_proc",
    "pg_type",
    "pg_enum",
    "pg_trigger",
    "pg_rewrite",
    "pg_sequence",
    "pg_extension",
    "pg_policy",
    "pg_event_trigger",
    "pg_largeobject_metadata",
    "pg_default_acl",
    "pg_description",
    "pg_statistic_ext",
    "pg_inherits",
    "pg_operator",
    "pg_opclass",
    "pg_aggregate",
    "pg_cast",
    "pg_collation",
    "pg_conversion",
    "pg_language",
    "pg_ts_config",
    "pg_ts_dict",
    "pg_foreign_data_wrapper",
    "pg_foreign_server",
    "pg_foreign_table",
    "pg_user_mapping",
    "pg_publication",
)

#: ``ALTER DATABASE ... SET`` lives in a catalog shared by every database: this one's rows.
_SETTINGS: Final = (
    "(SELECT count(*) || ':' || coalesce(sum(s.xmin::text::bigint), 0) "
    "FROM pg_catalog.pg_db_role_setting s JOIN pg_catalog.pg_database d "
    "ON d.oid = s.setdatabase WHERE d.datname = current_database())"
)

FINGERPRINT_SQL: Final = (
    "SELECT concat_ws(' ', "
    + ", ".join(
        [
            f"(SELECT count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM pg_catalog.{c})"
            for c in CATALOGS
        ]
        + [_SETTINGS]
    )
    + ")"
)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _admin(url: str) -> Any:
    """An autocommit session on ``url``'s server, for CREATE and DROP DATABASE."""
    import psycopg

    from .live import _DRIVER_SUFFIX

    parts = server_url(url, SCHEMES, engine="PostgreSQL")
    # with_database percent-encodes the password, as connecting for apply does: a bare '%'
    # in it otherwise makes libpq refuse the URL, quoting the password in its message.
    quoted = with_database(url, parts.database or "")
    try:
        return psycopg.connect(_DRIVER_SUFFIX.sub(r"\1://", quoted), autocommit=True)
    except psycopg.Error as exc:
        message = redact_url(str(exc))
        if parts.password:
            message = message.replace(parts.password, "***")
        raise DatabaseError(f"PostgreSQL: cannot connect to create a database: {message}") from None


def create_database(url: str, name: str, template: str | None) -> str:
    copy = ""
    if template is not None:
        copy = f" TEMPLATE {_quote(server_url(template, SCHEMES, engine='PostgreSQL').database)}"
    with _admin(url) as admin:
        try:
            admin.execute(f"CREATE DATABASE {_quote(name)}{copy}")
        except Exception as exc:
            raise DatabaseError(f"PostgreSQL: {str(exc).strip()}") from None
    return with_database(url, name)


def drop_database(url: str) -> bool:
    name = server_url(url, SCHEMES, engine="PostgreSQL").database
    with _admin(with_database(url, "postgres")) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")
    return True


#: pg_terminate_backend only signals; the sessions are gone a moment later.
_END_SESSIONS_WAIT: Final = 2.0

_OTHER_SESSIONS: Final = (
    "SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity "
    "WHERE datname = pg_catalog.current_database() AND pid <> pg_catalog.pg_backend_pid()"
)


def end_other_sessions(database: LiveDatabase) -> bool:
    """Terminate every other session on ``database``'s database, then wait (briefly) until
    none is listed: a session that is still there could write after the emptying."""
    deadline = time.monotonic() + _END_SESSIONS_WAIT
    while database.query(_OTHER_SESSIONS):  # one row for each session still listed
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def schema_fingerprint(database: LiveDatabase) -> str:
    return str(database.query(FINGERPRINT_SQL)[0][0])
