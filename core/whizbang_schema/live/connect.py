"""Live databases: the small interface the core needs to apply schemas to a real engine.

Each dialect that can reach a live engine implements :class:`LiveDatabase` and returns it from
its ``whizbang_schema_connect`` hook, so ``apply`` is not tied to the built-in engines: a
third-party dialect tells the core how to connect. Database drivers are imported only there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

from ..model.errors import DatabaseError
from ..plugins.registry import PluginRegistry, default_registry
from ..render.statements import Statement

__all__ = ["LiveDatabase", "connect", "dialect_for_target", "redact_url"]

_URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")


@runtime_checkable
class LiveDatabase(Protocol):
    """A connection to a live database, as the core uses it.

    ``transactional_ddl`` says whether :meth:`transaction` makes DDL all-or-nothing. Every
    call that talks to the server adds one to ``round_trips``.
    """

    dialect: str
    transactional_ddl: bool
    round_trips: int

    def transaction(self) -> AbstractContextManager[None]:
        """Begin a transaction and take the dialect's schema lock (so that concurrent
        appliers run one after another); commit on success, roll back on error."""
        ...

    def existing(self, statements: Sequence[Statement]) -> set[int]:
        """The positions in ``statements`` of those whose object already exists, found with
        a constant number of catalog queries."""
        ...

    def execute(self, sql: str) -> None:
        """Run one statement; raise :class:`DatabaseError` with the server's message."""
        ...

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Run one query and return its rows (the driver's Python values)."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...


def redact_url(url: str) -> str:
    """``url`` with any password replaced by ``***``, for messages and logs."""
    return re.sub(r"(://[^/@:]*:)[^/@]*@", r"\1***@", url)


def dialect_for_target(target: str, *, registry: PluginRegistry | None = None) -> str:
    """The dialect a target names: the one claiming its URL scheme, or ``sqlite`` for a path."""
    registry = registry or default_registry()
    match = _URL_SCHEME.match(target)
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
) -> LiveDatabase:
    """Open ``target`` (a URL, or a path for SQLite) through its dialect's plugin.

    With ``read_only`` nothing is created or changed, not even a missing SQLite file.
    """
    registry = registry or default_registry()
    name = dialect or dialect_for_target(target, registry=registry)
    registry.dialect_info(name)  # DialectNotFoundError for an unknown name
    registry.check_usable()
    database = registry.hook.whizbang_schema_connect(
        dialect=name, target=target, read_only=read_only
    )
    if database is None:
        raise DatabaseError(f"the {name} dialect cannot connect to live databases")
    if not isinstance(database, LiveDatabase):
        raise DatabaseError(f"the {name} plugin returned {database!r}, not a LiveDatabase")
    return database
