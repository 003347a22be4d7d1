"""Running planned statements: one at a time, each failure named, progress reported.

Shared by ``apply`` and ``migrate`` (which both run inside their own transaction).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model.errors import DatabaseError
from ..plugins.protocols import LiveDatabase
from ..render.statements import Statement
from .batches import lock_batches

__all__ = ["Progress", "execute_statement", "run_plan"]

Progress = Callable[[int, int, Statement], None]
"""Called before each statement runs with (statements done, total, the statement), and once
more at the end with done == total."""


def execute_statement(
    database: LiveDatabase, statement: Statement, *, done: int, committed: int = 0
) -> None:
    """Run one statement; on failure raise :class:`DatabaseError` naming it and saying what
    the ``done`` statements run before it became (kept where DDL commits as it goes; where
    it does not, the ``committed`` ones of earlier batches are kept)."""
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
        elif committed:
            message += (
                f"; the {committed} statements of the transactions committed before it (the "
                f"lock budget split the work, each table whole) were kept, the rest rolled back"
            )
        raise DatabaseError(message, statement=statement, sqlstate=exc.sqlstate) from exc


def run_plan(
    database: LiveDatabase,
    statements: Sequence[Statement],
    progress: Progress | None = None,
) -> tuple[str, ...]:
    """Run ``statements`` in order, inside the caller's transaction; where they need more
    locks than the database's budget allows one transaction, in batches that each stay
    within it (:func:`~whizbang_schema.live.batches.lock_batches`), committed one by one
    with the lock kept. Returns what the output should say about it (nothing, or one line).
    """
    batches = lock_batches(database, statements)
    done = 0
    for number, batch in enumerate(batches):
        if number:
            database.checkpoint()  # type: ignore[attr-defined]  # a budget implies it
        committed = done
        for statement in batch:
            if progress is not None:
                progress(done, len(statements), statement)
            execute_statement(database, statement, done=done, committed=committed)
            done += 1
    if progress is not None and statements:
        progress(len(statements), len(statements), statements[-1])
    if len(batches) == 1:
        return ()
    budget = database.lock_budget()  # type: ignore[attr-defined]
    setting = getattr(database, "lock_budget_setting", "the lock budget")
    return (
        f"{len(statements)} statements ran in {len(batches)} transactions of at most "
        f"{budget} locks each ({setting}), each table whole in one of them",
    )
