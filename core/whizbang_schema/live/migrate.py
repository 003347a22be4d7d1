"""Additive migration: create what is missing, never drop or rewrite anything.

From a :class:`SchemaDiff`, the plan creates missing tables (with their indexes), adds missing
indexes, and adds missing columns that are nullable or have a default. Everything else a diff
can find is refused with its reason and left to a person: a NOT NULL column without a default
(existing rows would have no value), a missing unique constraint (existing rows may break it),
and any change to what exists (types, nullability, defaults, keys, predicates). Extra objects
are reported and kept.
"""

from __future__ import annotations

import attrs

from ..model.configuration import SchemaConfiguration
from ..model.errors import RenderError
from ..plugins.protocols import LiveDatabase
from ..plugins.registry import get_dialect
from ..render.context import RenderContext
from ..render.statements import Statement
from .apply import execute_statement
from .diff import Difference, SchemaDiff
from .introspect import diff_schema

__all__ = ["MigrationPlan", "MigrationResult", "migrate_schema", "plan_migration"]

_REWRITE = "migrate only adds: changing an existing object is left to you"


@attrs.frozen(slots=True)
class MigrationPlan:
    """The statements that repair what is additive, and what is refused, with reasons."""

    statements: tuple[Statement, ...]
    refused: tuple[tuple[Difference, str], ...]
    extras: tuple[Difference, ...]


@attrs.frozen(slots=True)
class MigrationResult:
    """A migration's outcome: the diff before it, the plan, whether it was a dry run."""

    diff: SchemaDiff
    plan: MigrationPlan
    dry_run: bool


def plan_migration(
    context: RenderContext, configuration: SchemaConfiguration, diff: SchemaDiff
) -> MigrationPlan:
    """The additive repair of ``diff`` for the dialect of ``context``."""
    tables = {context.table_name(t).casefold(): t for t in configuration.tables}
    statements: list[Statement] = []
    refused: list[tuple[Difference, str]] = []
    for difference in diff.drift:
        table = tables[difference.table.casefold()]
        try:
            if difference.kind == "missing_table":
                single = attrs.evolve(configuration, tables=(table,))
                statements.extend(
                    s for s in context.owner.statements(single) if s not in statements
                )
            elif difference.kind == "missing_column":
                column = table.column(str(difference.name))
                if not column.nullable and column.default is None:
                    refused.append(
                        (
                            difference,
                            "a NOT NULL column without a default cannot be added to a table "
                            "that may hold rows: give it a default or make it nullable",
                        )
                    )
                    continue
                statements.extend(context.render_add_column(table, column))
            elif difference.kind == "missing_index":
                index = next(
                    i for i in table.indexes if context.index_name(table, i) == difference.name
                )
                statements.extend(context.render_add_index(table, index))
            elif difference.kind == "missing_constraint":
                refused.append(
                    (
                        difference,
                        "adding a unique constraint can fail on existing rows: add it by hand",
                    )
                )
            else:
                refused.append((difference, _REWRITE))
        except RenderError as exc:
            refused.append((difference, str(exc)))
    return MigrationPlan(tuple(statements), tuple(refused), diff.extras)


def migrate_schema(
    database: LiveDatabase, configuration: SchemaConfiguration, *, dry_run: bool = False
) -> MigrationResult:
    """Read ``database``, plan the additive repair and run it, inside one transaction and the
    dialect's schema lock (all or nothing where DDL is transactional)."""
    context = get_dialect(database.dialect).context(configuration)
    with database.transaction():
        diff = diff_schema(database, configuration)
        plan = plan_migration(context, configuration, diff)
        if not dry_run:
            for done, statement in enumerate(plan.statements):
                execute_statement(database, statement, done=done)
    return MigrationResult(diff, plan, dry_run)
