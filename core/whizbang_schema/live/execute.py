"""Running planned statements: one at a time, each failure named, progress reported.

Shared by ``apply`` and ``migrate`` (which both run inside their own transaction).
"""

from __future__ import annotations

from collections.abc import Callable

from ..model.errors import DatabaseError
from ..plugins.protocols import LiveDatabase
from ..render.statements import Statement

__all__ = ["Progress", "execute_statement", "run_plan"]

Progress = Callable[[int, int, Statement], None]
"""Called before each statement runs with (statements done, total, the statement), and once
more at the end with done == total."""


def execute_statement(database: LiveDatabase, statement: Statement, *, done: int) -> None:
    """Run one statement; on failure raise :class:`DatabaseError` naming it and saying what
    the ``done`` statements run before it became (kept where DDL commits as it goes)."""
    try:
        database.execute(statement.sql)
    except DatabaseError as exc:
        what = statement.kind.value.replace("_", " ")
        message = f"{what} {statement.name!r} failed: {exc}"
        if not database.transactional_ddl and done:
            message += (
                f"; this engine commits DDL as it goes, so the {done} statements before it "
                f"were kept"
            )
        raise DatabaseError(message, statement=statement, sqlstate=exc.sqlstate) from exc


def run_plan(
    database: LiveDatabase,
    statements: tuple[Statement, ...],
    progress: Progress | None = None,
) -> None:
    """Run ``statements`` in order (inside the caller's transaction)."""
    for done, statement in enumerate(statements):
        if progress is not None:
            progress(done, len(statements), statement)
        execute_statement(database, statement, done=done)
    if progress is not None and statements:
        progress(len(statements), len(statements), statements[-1])
