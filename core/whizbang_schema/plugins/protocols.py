"""The live database as the core uses it: what a dialect's ``connect`` returns.

It sits in the plugins layer because a dialect's ``connect`` and ``read_catalog`` speak it;
:class:`~whizbang_schema.DBAPIDatabase` (the live layer) implements all of it for DB-API 2
drivers, so a dialect usually writes only what its engine does differently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

from ..render.statements import Statement

__all__ = ["LiveDatabase"]


@runtime_checkable
class LiveDatabase(Protocol):
    """A connection to a live database.

    ``dialect`` is the dialect's name; ``transactional_ddl`` says whether
    :meth:`transaction` makes DDL all-or-nothing; every call that talks to the server adds
    one to ``round_trips``. A database opened read-only (``connect(..., read_only=True)``)
    changes nothing, and a file database that does not exist is not created: it reads as
    empty.
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
        """Run one statement; raise :class:`~whizbang_schema.DatabaseError` with the server's
        message (and its ``sqlstate`` when the driver reports one)."""
        ...

    def query(
        self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        """Run one query with parameters in the driver's ``paramstyle`` and return its rows
        (the driver's Python values)."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...
