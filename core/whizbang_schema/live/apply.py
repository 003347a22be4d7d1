"""Apply rendered statements to a live database: idempotent, and all or nothing where the
engine allows it.

Inside one transaction, after the dialect's schema lock: ask the catalog which objects exist
(a constant number of queries), then run only the statements whose object is missing. A
second run therefore executes nothing, and concurrent appliers queue on the lock instead of
racing on the catalog. On an engine with transactional DDL a failing statement rolls back
everything the run did; on one without (MySQL, MariaDB) the statements before it stay, which
is why everything is rendered, and so validated, before the first statement runs.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..model.configuration import SchemaConfiguration
from ..model.errors import DatabaseError
from ..plugins.protocols import LiveDatabase
from ..render.statements import Statement

__all__ = ["ApplyResult", "apply_schema", "apply_statements", "execute_statement"]


@attrs.frozen(slots=True)
class ApplyResult:
    """What an apply did: ``created`` ran (or, in a dry run, would run); ``existing`` were
    already in the database and were skipped."""

    created: tuple[Statement, ...]
    existing: tuple[Statement, ...]
    dry_run: bool = False
    round_trips: int = 0


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
        raise DatabaseError(message, statement=statement) from exc


def apply_statements(
    database: LiveDatabase, statements: Sequence[Statement], *, dry_run: bool = False
) -> ApplyResult:
    """Run the statements whose objects are missing, in one transaction.

    Raises :class:`DatabaseError` naming the failing statement; on engines with transactional
    DDL the database is then exactly as it was before the call.
    """
    start = database.round_trips
    created: list[Statement] = []
    existing: list[Statement] = []
    with database.transaction():
        present = database.existing(statements)
        for position, statement in enumerate(statements):
            if position in present:
                existing.append(statement)
                continue
            created.append(statement)
            if not dry_run:
                execute_statement(database, statement, done=len(created) - 1)
    return ApplyResult(tuple(created), tuple(existing), dry_run, database.round_trips - start)


def apply_schema(
    target: str,
    configuration: SchemaConfiguration | None = None,
    *,
    dialect: str | None = None,
    dry_run: bool = False,
) -> ApplyResult:
    """Render ``configuration`` (the nine tables by default) for ``target``'s dialect, connect
    to ``target``, and apply it with :func:`apply_statements`."""
    from ..plugins.registry import get_dialect
    from .connect import connect, dialect_for_target

    configuration = configuration or SchemaConfiguration()
    # Render, and so validate, before connecting: a schema the dialect refuses leaves no trace,
    # not even an empty SQLite file.
    name = dialect or dialect_for_target(target)
    statements = get_dialect(name).statements(configuration)
    database = connect(target, dialect=name, read_only=dry_run)
    try:
        return apply_statements(database, statements, dry_run=dry_run)
    finally:
        database.close()
