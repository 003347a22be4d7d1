"""Live databases: the small interface the core needs to apply schemas to a real engine.

Each dialect that can reach a live engine returns a :class:`LiveDatabase` from its ``connect``
decision, so ``apply`` is not tied to the built-in engines: a
third-party dialect tells the core how to connect. Database drivers are imported only there.
"""

from __future__ import annotations

from typing import Any

from ..model.errors import DatabaseError, DialectNotFoundError
from ..plugins.protocols import LiveDatabase
from ..plugins.registry import PluginRegistry, default_registry
from . import sqla_connections
from .urls import URL_SCHEME, redact_url

__all__ = ["LiveDatabase", "borrow", "connect", "dialect_for_target", "redact_url"]


def dialect_for_target(target: str, *, registry: PluginRegistry | None = None) -> str:
    """The dialect a target names: the one claiming its URL scheme, or ``sqlite`` for a path."""
    registry = registry or default_registry()
    match = URL_SCHEME.match(target)
    if match is None:
        return "sqlite"
    scheme = match.group(1).lower().split("+", 1)[0]
    for info in registry.dialects().values():
        if scheme in info.url_schemes:
            return info.name
    known = sorted(s for info in registry.dialects().values() for s in info.url_schemes)
    raise DatabaseError(
        f"no installed dialect handles URLs starting {scheme}://; known schemes: "
        f"{', '.join(known) or 'none'}"
    )


def connect(
    target: str,
    *,
    dialect: str | None = None,
    read_only: bool = False,
    registry: PluginRegistry | None = None,
    lock_timeout: float | None = None,
) -> LiveDatabase:
    """Open ``target`` (a URL, or a path for SQLite) through its dialect's plugin.

    With ``read_only`` nothing is created or changed, not even a missing SQLite file.
    ``lock_timeout`` (seconds, 0 to wait forever) bounds every lock wait of a database that
    has the setting (every :class:`~whizbang_schema.DBAPIDatabase`); ``None`` keeps its
    default (10 s).
    """
    registry = registry or default_registry()
    name = dialect or dialect_for_target(target, registry=registry)
    registry.check_usable()
    database = registry.dialect(name).decisions().connect(target, read_only)
    if database is None:
        raise DatabaseError(f"the {name} dialect cannot connect to live databases")
    if not isinstance(database, LiveDatabase):
        raise DatabaseError(f"the {name} plugin returned {database!r}, not a LiveDatabase")
    # A subclass under a new name (pgjson from PostgresDialect) opens its parent's kind of
    # connection: reading back must still go through the subclass's decisions.
    database.dialect = name
    if lock_timeout is not None and hasattr(database, "lock_timeout"):
        try:
            database.lock_timeout = lock_timeout
        except BaseException:
            database.close()
            raise
    return database


def borrow(
    connection: object, *, dialect: str | None = None, registry: PluginRegistry | None = None
) -> LiveDatabase:
    """Wrap ``connection``, an open DB-API connection the caller owns (psycopg, sqlite3,
    PyMySQL, or any a dialect's ``borrow_connection`` recognises), as a
    :class:`LiveDatabase` that never commits, closes or interrupts it.

    A SQLAlchemy ``Connection`` is taken for the driver's connection under it (the dialect
    from SQLAlchemy's dialect name), with SQLAlchemy's transaction begun if none was, so that
    its ``commit()`` keeps what the apply did (see :mod:`.sqla_connections`).

    The dialect is the one given, or the one whose driver made the connection; where several
    dialects recognise it (a subclass of a dialect shares its parent's driver), the one none
    of the others derives from, unless that is ambiguous.
    """
    registry = registry or default_registry()
    registry.check_usable()
    owner = None
    if sqla_connections.is_sqlalchemy(connection):
        owner = connection
        connection, dialect = sqla_connections.unwrap(connection, dialect)
    names = [dialect] if dialect is not None else list(registry.dialects())
    found: dict[str, LiveDatabase] = {}
    for name in names:
        database = registry.dialect(name).decisions().borrow_connection(connection)
        if database is not None:
            found[name] = database
    if not found:
        kind = f"{type(connection).__module__}.{type(connection).__qualname__}"
        wanted = f"the {dialect} dialect" if dialect else "any installed dialect"
        hint = ""
        if owner is not None:
            kin = _kin(registry, dialect, owner)
            hint = f": {sqla_connections.driver_hint(owner, dialect, kin)}"
        raise DatabaseError(f"{kind} is not a connection {wanted} can use{hint}")
    if len(found) > 1:
        classes = {name: type(registry.dialect(name)) for name in found}
        roots = [
            name
            for name, cls in classes.items()
            if not any(cls is not other and issubclass(cls, other) for other in classes.values())
        ]
        if len(roots) != 1:
            raise DatabaseError(
                f"dialects {', '.join(sorted(found))} all use this connection's driver: "
                f"pass dialect=NAME"
            )
        found = {roots[0]: found[roots[0]]}
    (name, database), *_ = found.items()
    if not isinstance(database, LiveDatabase):
        raise DatabaseError(f"the {name} plugin returned {database!r}, not a LiveDatabase")
    database.dialect = name
    if owner is not None:
        sqla_connections.join(owner, name, transactional_ddl=database.transactional_ddl)
    return database


def _kin(registry: PluginRegistry, name: str | None, owner: Any) -> bool:
    """Whether the dialect ``name`` is the one SQLAlchemy's dialect name of ``owner`` maps to,
    or derives from it (the driver, not ``dialect=``, is then what does not fit)."""
    engine = sqla_connections.SQLALCHEMY_DIALECTS.get(owner.dialect.name)
    if name is None or engine is None or name == engine:
        return True
    try:
        return isinstance(registry.dialect(name), type(registry.dialect(engine)))
    except DialectNotFoundError:
        return False
