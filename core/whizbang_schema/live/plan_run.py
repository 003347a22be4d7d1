"""Running a written migration plan: exactly its statements, on exactly its catalog.

Inside one transaction and the dialect's schema lock: read the catalog again, compare it with
the plan's fingerprint (a mismatch stops everything and says which tables changed), then run
the plan's statements in order. A ``check`` statement is a query: any row it returns stops the
plan (rolled back where DDL is transactional) before the change it guards. Statements marked
``concurrent`` (PostgreSQL's ``CREATE INDEX CONCURRENTLY``) cannot run in a transaction: they
run after it commits, in plan order; one that fails has its leftover (an INVALID index)
removed by the database's ``cleanup_failed`` before the error is raised.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..model.configuration import SchemaConfiguration
from ..model.errors import DatabaseError
from ..plugins.protocols import LiveDatabase
from ..render.statements import Statement
from .execute import Progress, execute_statement
from .fingerprint import catalog_fingerprint, changed_tables, table_hashes
from .introspect import read_schema
from .plan import Plan

__all__ = ["PlanRefusedError", "PlanResult", "execute_plan"]

#: SQLSTATE "duplicate table" (an index name already taken), standard SQL's class 42.
DUPLICATE_OBJECT = "42P07"


class PlanRefusedError(DatabaseError):
    """The plan was not run (or stopped at a check): the database is not what it was
    written for. ``changes`` lists what differs."""

    def __init__(self, message: str, changes: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.changes = tuple(changes)


@attrs.frozen(slots=True)
class PlanResult:
    """What ran: every statement of the plan, in the order it ran."""

    ran: tuple[Statement, ...]


def _refuse_stale(plan: Plan, database: LiveDatabase, configuration: SchemaConfiguration) -> None:
    if (plan.dialect, plan.prefix, plan.schema) != (
        database.dialect,
        configuration.prefix,
        configuration.schema,
    ):
        raise PlanRefusedError(
            f"the plan is for {plan.dialect} tables with prefix {plan.prefix!r} in schema "
            f"{plan.schema!r}, not {database.dialect} with prefix {configuration.prefix!r} in "
            f"schema {configuration.schema!r}"
        )
    now = table_hashes(read_schema(database, configuration))
    if catalog_fingerprint(now) != plan.fingerprint:
        changes = changed_tables(dict(plan.tables), now)
        raise PlanRefusedError(
            "the database changed since the plan was written ("
            + "; ".join(changes or ["the fingerprint differs"])
            + "): nothing was run; write the plan again",
            changes,
        )


def _run(database: LiveDatabase, statement: Statement, done: int) -> None:
    if statement.check:
        rows = database.query(statement.sql)
        if rows:
            why = statement.notes[0] if statement.notes else "rows break the change"
            shown = ", ".join(repr(tuple(r)) for r in rows[:3])
            raise PlanRefusedError(
                f"check on {statement.table}.{statement.name} found {len(rows)} rows "
                f"({why}: {shown}): the plan stopped before changing it"
            )
        return
    execute_statement(database, statement, done=done)


def execute_plan(
    database: LiveDatabase,
    configuration: SchemaConfiguration,
    plan: Plan,
    *,
    progress: Progress | None = None,
) -> PlanResult:
    """Run ``plan`` on ``database`` if its catalog still matches the plan's fingerprint;
    otherwise raise :class:`PlanRefusedError` naming the tables that changed."""
    statements = plan.statements
    inside = [s for s in statements if not s.concurrent]
    after = [s for s in statements if s.concurrent]
    total = len(statements)
    done = 0
    with database.transaction():
        _refuse_stale(plan, database, configuration)
        for statement in inside:
            if progress is not None:
                progress(done, total, statement)
            _run(database, statement, done)
            done += 1
    for statement in after:
        if progress is not None:
            progress(done, total, statement)
        try:
            _run(database, statement, done)
        except DatabaseError as exc:
            cleanup = getattr(database, "cleanup_failed", None)
            if exc.sqlstate == DUPLICATE_OBJECT:
                cleanup = None  # the name was taken by another session: nothing of ours left
            if cleanup is not None:
                cleanup(statement)
            raise DatabaseError(
                f"{exc}; it ran after the plan's transaction, so the {done} statements before "
                f"it were kept" + ("; what it left behind was removed" if cleanup else ""),
                statement=statement,
                sqlstate=exc.sqlstate,
            ) from exc
        done += 1
    if progress is not None and statements:
        progress(total, total, statements[-1])
    return PlanResult(tuple(inside + after))
