"""SQLAlchemy connections given where a DB-API connection is expected.

People who use SQLAlchemy hold a ``Connection`` (from ``engine.connect()``, ``engine.begin()``,
``Session.connection()`` or Alembic's ``op.get_bind()``), not the driver's connection under
it. :func:`unwrap` finds the driver's connection and the whizbang-schema dialect for it, and
:func:`join` begins SQLAlchemy's own transaction when none is in progress: statements run
behind SQLAlchemy's back would otherwise sit in a transaction it does not know of, and its
``commit()`` would do nothing (SQLAlchemy commits only what it began), so the work would be
rolled back when the connection goes back to its pool.

Nothing here imports SQLAlchemy: objects are recognised by their class's module.
"""

from __future__ import annotations

from typing import Any, Final

from ..model.errors import DatabaseError

__all__ = [
    "SQLALCHEMY_DIALECTS",
    "SQLALCHEMY_URLS",
    "driver_hint",
    "is_sqlalchemy",
    "join",
    "unwrap",
]

#: SQLAlchemy's dialect names and the whizbang-schema dialect of each; a name missing here
#: is inferred from the connection's driver.
SQLALCHEMY_DIALECTS: Final = {
    "postgresql": "postgres",
    "sqlite": "sqlite",
    "mysql": "mysql",
    "mariadb": "mysql",
    "mssql": "sqlserver",
}

#: The SQLAlchemy URL scheme whose driver each dialect uses on a connection it is given
#: (``postgresql://`` alone is psycopg2 before SQLAlchemy 2.1, ``mysql://`` is mysqlclient).
SQLALCHEMY_URLS: Final = {
    "postgres": "postgresql+psycopg",
    "sqlite": "sqlite",
    "mysql": "mysql+pymysql",
}


def is_sqlalchemy(target: object) -> bool:
    """Whether ``target`` is one of SQLAlchemy's objects (an engine, a connection, ...)."""
    return type(target).__module__.split(".", 1)[0] == "sqlalchemy"


def unwrap(target: Any, dialect: str | None) -> tuple[object, str | None]:
    """The driver's connection under the SQLAlchemy ``Connection`` ``target``, and the
    dialect to use (``dialect``, else the one SQLAlchemy's dialect name maps to, else
    ``None`` for the driver to tell). Anything else of SQLAlchemy's is a
    :class:`DatabaseError` saying what to pass instead."""
    kind = type(target).__name__
    if kind == "Engine":
        raise DatabaseError(
            "pass a SQLAlchemy Connection, not the Engine: "
            "with engine.begin() as connection: apply_schema(connection)"
        )
    if kind == "Session":
        raise DatabaseError(
            "pass the Session's connection: apply_schema(session.connection()), then "
            "session.commit()"
        )
    if _is_pooled(target):
        # A Connection's own (connection.connection) looks the same: run behind the
        # Connection's back, its commit() would do nothing. Say what works for each.
        raise DatabaseError(
            "pass the SQLAlchemy Connection itself, not its pooled DB-API connection; from "
            "engine.raw_connection(), pass raw.dbapi_connection and then call raw.commit()"
        )
    if kind != "Connection" or not hasattr(target, "in_transaction"):
        raise DatabaseError(f"a SQLAlchemy {kind} is not a connection whizbang-schema can use")
    if target.invalidated:
        raise DatabaseError(
            "the SQLAlchemy connection is invalidated (its database connection was lost or "
            "discarded): roll it back or open a new one"
        )
    if target.closed:
        raise DatabaseError("the SQLAlchemy connection is closed")
    sa_dialect = target.dialect
    name = dialect or SQLALCHEMY_DIALECTS.get(sa_dialect.name)
    return target.connection.dbapi_connection, name


def _is_pooled(target: object) -> bool:
    """Whether ``target`` is the pool's proxy of a driver's connection
    (``PoolProxiedConnection``: ``engine.raw_connection()``, ``connection.connection``)."""
    return any(
        cls.__name__ in ("PoolProxiedConnection", "_ConnectionFairy")
        for cls in type(target).__mro__
    )


def join(target: Any, dialect: str, *, transactional_ddl: bool) -> None:
    """Begin SQLAlchemy's transaction on ``target`` if none is in progress: what its autobegin
    does before a statement of its own, so that its ``commit()`` commits the apply's work.

    Inside ``begin_nested()`` on an engine that commits every DDL statement (MySQL, MariaDB)
    the apply is refused before any statement: the implicit commit would end SQLAlchemy's
    savepoint behind its back, and it would fail releasing it with the tables made."""
    if not transactional_ddl and target.in_nested_transaction():
        raise DatabaseError(
            f"the {dialect} dialect's engine commits every DDL statement, which would end "
            f"SQLAlchemy's begin_nested() savepoint behind its back: apply outside the "
            f"nested block"
        )
    if not target.in_transaction():
        target.begin()


def driver_hint(target: Any, name: str | None, kin: bool) -> str:
    """What to say when the driver under a SQLAlchemy connection is not one the dialect
    ``name`` uses; ``kin``: whether ``name`` is the dialect of SQLAlchemy's dialect name, or
    derives from it (else ``dialect=`` names another engine's dialect)."""
    engine = SQLALCHEMY_DIALECTS.get(target.dialect.name)
    if name is not None and engine is not None and not kin:
        return (
            f"SQLAlchemy is connected to {target.dialect.name}, the {engine} dialect's engine, "
            f"not the {name} dialect's: leave dialect= out"
        )
    url = SQLALCHEMY_URLS.get(name or "")
    return f"SQLAlchemy connected through {target.dialect.driver!r}" + (
        f"; use a {url}:// URL" if url else ""
    )
