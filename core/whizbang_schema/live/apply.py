"""Apply rendered statements to a live database: idempotent, and all or nothing where the
engine allows it.

Inside one transaction, after the dialect's schema lock: ask the catalog which objects exist
(a constant number of queries), then run only the statements whose object is missing. A
second run therefore executes nothing, and concurrent appliers queue on the lock instead of
racing on the catalog. On an engine with transactional DDL a failing statement rolls back
everything the run did; on one without (MySQL, MariaDB) the statements before it stay, which
is why everything is rendered, and so validated, before the first statement runs.

:func:`apply_schema` converges: where the dialect can read its catalog back it runs the
additive plan of :mod:`~whizbang_schema.live.migrate` (missing tables, then missing columns
that are nullable or defaulted, then missing indexes), so ``apply`` followed by ``check`` is
clean whenever nothing needs a decision; what needs one comes back in ``refused``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ..model.configuration import SchemaConfiguration
from ..model.errors import UnsupportedFeatureError
from ..plugins.protocols import LiveDatabase
from ..render.statements import Statement
from .execute import Progress, execute_statement, run_plan

if TYPE_CHECKING:
    from .diff import Difference

__all__ = ["ApplyResult", "apply_schema", "apply_statements", "converge", "execute_statement"]


@attrs.frozen(slots=True)
class ApplyResult:
    """What an apply did: ``created`` ran (or, in a dry run, would run); ``existing`` were
    already in the database and were skipped; ``refused`` are differences that need a
    person's decision (with the reason), ``extras`` what the database has beyond the
    definitions (kept), ``hints`` advice such as ``--verbatim-names``."""

    created: tuple[Statement, ...]
    existing: tuple[Statement, ...]
    dry_run: bool = False
    round_trips: int = 0
    refused: tuple[tuple[Difference, str], ...] = ()
    extras: tuple[Difference, ...] = ()
    hints: tuple[str, ...] = ()


def apply_statements(
    database: LiveDatabase,
    statements: Sequence[Statement],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ApplyResult:
    """Run the statements whose objects are missing, in one transaction.

    Raises :class:`DatabaseError` naming the failing statement; on engines with transactional
    DDL the database is then exactly as it was before the call.
    """
    start = database.round_trips
    with database.transaction():
        created, existing = _create_missing(database, statements, dry_run, progress)
    return ApplyResult(created, existing, dry_run, database.round_trips - start)


def _create_missing(
    database: LiveDatabase,
    statements: Sequence[Statement],
    dry_run: bool,
    progress: Progress | None,
) -> tuple[tuple[Statement, ...], tuple[Statement, ...]]:
    # Inside the caller's transaction: run the statements whose objects the catalog lacks.
    present = database.existing(statements)
    created = tuple(s for i, s in enumerate(statements) if i not in present)
    existing = tuple(s for i, s in enumerate(statements) if i in present)
    if not dry_run:
        run_plan(database, created, progress)
    return created, existing


def converge(
    database: LiveDatabase,
    configuration: SchemaConfiguration,
    statements: Sequence[Statement],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ApplyResult:
    """Bring ``database`` up to ``configuration`` additively, in one transaction.

    ``statements`` are the configuration's rendered statements (for the report of what
    already existed). A dialect that cannot read its catalog back gets what
    :func:`apply_statements` does: the missing objects created by name.
    """
    from ..plugins.registry import get_dialect
    from .introspect import diff_schema
    from .migrate import plan_migration

    start = database.round_trips
    context = get_dialect(database.dialect).context(configuration)
    with database.transaction():
        try:
            diff = diff_schema(database, configuration)
        except UnsupportedFeatureError:  # no catalog reader: create what is missing by name
            ran, found = _create_missing(database, statements, dry_run, progress)
            return ApplyResult(ran, found, dry_run, database.round_trips - start)
        plan = plan_migration(context, configuration, diff, database)
        # CREATE SCHEMA comes with a missing table's statements even when the schema exists.
        present = database.existing(plan.statements) if plan.statements else set()
        created = tuple(s for i, s in enumerate(plan.statements) if i not in present)
        notes = run_plan(database, created, progress) if not dry_run else ()
    made = {(s.kind, s.name.casefold(), (s.table or "").casefold()) for s in created}
    existing = tuple(
        s for s in statements if (s.kind, s.name.casefold(), (s.table or "").casefold()) not in made
    )
    return ApplyResult(
        created,
        existing,
        dry_run,
        database.round_trips - start,
        plan.refused,
        plan.extras,
        diff.hints + notes,
    )


def apply_schema(
    target: str | Any,
    configuration: SchemaConfiguration | None = None,
    *,
    dialect: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    lock_timeout: float | None = None,
) -> ApplyResult:
    """Render ``configuration`` (the nine tables by default) for ``target``'s dialect and
    bring ``target`` up to date with :func:`converge`. ``progress`` is called before each
    statement with (done, total, statement).

    ``target`` is a URL (or a path for SQLite), opened, applied to in one transaction and
    closed; ``lock_timeout`` bounds every lock wait (seconds, 0 for none; default 10).

    ``target`` may instead be an open DB-API connection the caller owns (psycopg, sqlite3,
    PyMySQL, or any connection an installed dialect recognises); the dialect is inferred
    from its driver unless ``dialect`` names it. It is never committed or closed. Where the
    engine has transactional DDL (PostgreSQL, SQLite) and the connection is not in
    autocommit mode, the apply runs inside the caller's transaction, in a savepoint: an
    error rolls back only what the apply did, and the tables exist for the caller's own
    statements but are only kept if the caller commits (a sqlite3 connection that is not in
    a transaction gets one begun, which its ``commit()`` ends). In autocommit mode it runs
    in a transaction of its own, committed at the end, unless the caller began one
    (psycopg's ``transaction()`` block, an explicit ``BEGIN``), which it then joins. MySQL
    and MariaDB commit every DDL statement implicitly, and that commit also ends the
    caller's open transaction: what the caller wrote before the call is committed, whatever
    it does next. The connection's own
    lock timeouts apply (``lock_timeout`` is for URLs only), and the schema lock the apply
    takes in a joined transaction is held until the caller's transaction ends.
    """
    from ..plugins.registry import get_dialect
    from .connect import borrow, connect, dialect_for_target

    configuration = configuration or SchemaConfiguration()
    if not isinstance(target, str):
        if lock_timeout is not None:
            raise ValueError("lock_timeout applies to URLs; a connection keeps its own settings")
        database = borrow(target, dialect=dialect)
        statements = get_dialect(database.dialect).statements(configuration)
        return converge(database, configuration, statements, dry_run=dry_run, progress=progress)
    # Render, and so validate, before connecting: a schema the dialect refuses leaves no trace,
    # not even an empty SQLite file.
    name = dialect or dialect_for_target(target)
    statements = get_dialect(name).statements(configuration)
    database = connect(target, dialect=name, read_only=dry_run, lock_timeout=lock_timeout)
    try:
        return converge(database, configuration, statements, dry_run=dry_run, progress=progress)
    finally:
        database.close()
