"""Splitting a big apply into transactions the server has room for.

Every lock a transaction takes lives in the server's lock table until the transaction ends;
PostgreSQL sizes that table by ``max_locks_per_transaction`` (64 by default) per connection,
so 2,000 new tables in one transaction run it out of shared memory. A database that has such
a budget (:meth:`~whizbang_schema.DBAPIDatabase.lock_budget`) gets its statements in batches
that each stay within it, each batch its own transaction: a table and the statements on it
(its indexes, its new columns) are never split, so every table is whole or absent, and an
error keeps only whole tables of the batches committed before it.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..plugins.protocols import LiveDatabase
from ..render.statements import Statement, StatementKind

__all__ = ["lock_batches"]

Batch = tuple[Statement, ...]


def lock_batches(database: LiveDatabase, statements: Sequence[Statement]) -> tuple[Batch, ...]:
    """``statements`` in batches that each stay within ``database``'s lock budget, in order;
    one batch when the database has no budget or everything fits in it."""
    budget_of = getattr(database, "lock_budget", None)
    cost_of = getattr(database, "lock_cost", None)
    # A borrowed connection's transaction is the caller's: it is never committed in parts.
    borrowed = getattr(database, "borrowed", False)
    if not statements or budget_of is None or cost_of is None or borrowed:
        return (tuple(statements),)
    costs = [int(cost_of(s)) for s in statements]
    budget = budget_of()
    if budget is None or sum(costs) <= budget:
        return (tuple(statements),)
    batches: list[list[Statement]] = [[]]
    used = 0
    for group, cost in _groups(statements, costs):
        if used and used + cost > budget:
            batches.append([])
            used = 0
        batches[-1].extend(group)
        used += cost
    return tuple(tuple(batch) for batch in batches)


def _groups(
    statements: Sequence[Statement], costs: Sequence[int]
) -> list[tuple[list[Statement], int]]:
    """Runs of statements on one table (a schema's CREATE goes with the table after it)."""
    groups: list[tuple[list[Statement], int]] = []
    key: object = None
    pending: list[Statement] = []
    pending_cost = 0
    for statement, cost in zip(statements, costs, strict=True):
        if statement.kind is StatementKind.CREATE_SCHEMA:
            pending.append(statement)
            pending_cost += cost
            continue
        table = statement.name if statement.kind is StatementKind.CREATE_TABLE else statement.table
        this = (statement.schema or "", (table or statement.name).casefold())
        if groups and this == key and not pending:
            groups[-1][0].append(statement)
            groups[-1] = (groups[-1][0], groups[-1][1] + cost)
        else:
            groups.append(([*pending, statement], pending_cost + cost))
            pending, pending_cost = [], 0
        key = this
    if pending:
        groups.append((pending, pending_cost))
    return groups
