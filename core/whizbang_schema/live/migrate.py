"""Additive migration: create what is missing, never drop or rewrite anything.

From a :class:`SchemaDiff`, the plan creates missing tables (with their indexes and
constraints, in the order their foreign keys need), adds missing columns that are nullable or
have a default, missing indexes, and missing foreign keys and CHECK constraints, in dependency
order (tables, then columns, then indexes, then constraints). Everything else a diff can find
is refused with its reason and left to a person: a NOT NULL column without a default
(existing rows would have no value), a missing unique constraint (existing rows may break it),
a unique index over rows that already share a key (the reason names the key), a foreign key or
CHECK that existing rows break (the reason counts them), a table or column declared renamed
(``renamed_from``) from one the database holds (created empty, it would strand the data), and
any change to what exists (types, nullability, defaults, keys, predicates, actions). Extra
objects are reported and kept. :mod:`~whizbang_schema.live.plan` plans what is refused here.

``apply`` runs the same plan: the command that creates a schema also brings it up to date.
"""

from __future__ import annotations

import attrs

from ..model.configuration import SchemaConfiguration
from ..model.constraints import CheckDefinition, ForeignKeyDefinition
from ..model.definitions import IndexDefinition, TableDefinition
from ..model.errors import RenderError
from ..model.predicate import TokenKind
from ..plugins.protocols import LiveDatabase
from ..plugins.registry import get_dialect
from ..render.context import RenderContext
from ..render.statements import Statement
from .diff import Difference, SchemaDiff
from .execute import Progress, run_plan
from .introspect import diff_schema

__all__ = ["MigrationPlan", "MigrationResult", "migrate_schema", "plan_migration"]

_REWRITE = "migrate only adds: changing an existing object is left to you"
_UNIQUE_KEY = "adding a unique constraint can fail on existing rows: add it by hand"


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
    notes: tuple[str, ...] = ()
    """What the output should say about how the plan ran (split by the lock budget)."""


def _shared_key(
    database: LiveDatabase, context: RenderContext, table: TableDefinition, index: IndexDefinition
) -> tuple[object, ...] | None:
    # Rows that a new unique index would refuse: one such key, or None. NULLs never collide.
    columns = context.quote_list(index.columns)
    where = [f"{context.quote(c)} IS NOT NULL" for c in index.columns]
    if index.predicate is not None:
        where.append(f"({context.render_predicate(table, index)})")
    rows = database.query(
        f"SELECT {columns} FROM {context.qualified_table(table)} WHERE {' AND '.join(where)} "
        f"GROUP BY {columns} HAVING COUNT(*) > 1"
    )
    return tuple(rows[0]) if rows else None


def _declared_rename(
    context: RenderContext,
    table: TableDefinition,
    difference: Difference,
    extra: set[tuple[str, str, str]],
) -> str | None:
    """Why a missing table or column is not created: it is declared renamed (``renamed_from``)
    from one the database holds, which only a migration plan renames (creating it empty
    would leave the data under the old name)."""
    if difference.kind == "missing_table" and table.renamed_from is not None:
        old = context.table_name(attrs.evolve(table, name=table.renamed_from, renamed_from=None))
        if ("extra_table", old.casefold(), "") in extra:
            return f"declared renamed from {old}, which the database holds: migrate --plan FILE"
    if difference.kind == "missing_column":
        column = table.column(str(difference.name))
        key = ("extra_column", difference.table.casefold(), (column.renamed_from or "").casefold())
        if column.renamed_from is not None and key in extra:
            return (
                f"declared renamed from {column.renamed_from!r}, which the table holds: "
                f"migrate --plan FILE"
            )
    return None


def _violations(
    database: LiveDatabase,
    context: RenderContext,
    table: TableDefinition,
    constraint: ForeignKeyDefinition | CheckDefinition,
    parent_exists: bool,
) -> int:
    """How many rows of ``table`` the constraint would refuse (NULLs pass both kinds, as SQL
    says: a foreign key with a NULL column is not checked, a CHECK that is unknown holds)."""
    qualified = context.qualified_table(table)
    if isinstance(constraint, CheckDefinition):
        predicate = context.render_check(table, constraint)
        sql = f"SELECT COUNT(*) FROM {qualified} WHERE NOT ({predicate})"
    else:
        child = [f"c.{context.quote(c)}" for c in constraint.columns]
        where = [f"{c} IS NOT NULL" for c in child]
        if parent_exists:
            parent = context.qualified(context.referenced_table_name(constraint))
            pairs = zip(constraint.references_columns, child, strict=True)
            match = " AND ".join(f"p.{context.quote(r)} = {c}" for r, c in pairs)
            where.append(f"NOT EXISTS (SELECT 1 FROM {parent} p WHERE {match})")
        sql = f"SELECT COUNT(*) FROM {qualified} c WHERE {' AND '.join(where)}"
    rows = database.query(sql)
    return int(rows[0][0]) if rows else 0


def _breaking_rows(
    database: LiveDatabase,
    context: RenderContext,
    table: TableDefinition,
    constraint: ForeignKeyDefinition | CheckDefinition,
    name: str,
    missing: set[str],
    adding: set[tuple[str, str]],
) -> str | None:
    """Why the foreign key or CHECK cannot be added to ``table``'s rows yet, or ``None``.

    ``missing`` are the tables and ``adding`` the (table, column) pairs this run creates: a
    column that does not exist yet cannot be queried, so its rows are counted on the next run.
    """
    if _null_in_every_row(context, table, constraint, adding):
        return None
    unknown = _new_columns(context, table, constraint, adding)
    if unknown is not None:
        rows = database.query(f"SELECT COUNT(*) FROM {context.qualified_table(table)}")
        if not rows or not rows[0][0]:
            return None
        return (
            f"it names {unknown}, which this run adds to a table that holds rows: run again "
            f"once the column exists, and the rows that would break it are counted first"
        )
    parent_exists = not isinstance(constraint, ForeignKeyDefinition) or (
        context.referenced_table_name(constraint).casefold() not in missing
    )
    count = _violations(database, context, table, constraint, parent_exists)
    if not count:
        return None
    what = "foreign key" if isinstance(constraint, ForeignKeyDefinition) else "check"
    return (
        f"{count} existing row{'s' if count != 1 else ''} of {context.table_name(table)} "
        f"break{'s' if count == 1 else ''} {what} {name}, so it cannot be added: fix or "
        f"remove {'them' if count != 1 else 'it'}, then run again"
    )


def _null_in_every_row(
    context: RenderContext,
    table: TableDefinition,
    constraint: ForeignKeyDefinition | CheckDefinition,
    adding: set[tuple[str, str]],
) -> bool:
    """Whether the foreign key has a column this run adds without a default: NULL in every
    existing row, which lets each row through (so no row can break it)."""
    name = context.table_name(table).casefold()
    return isinstance(constraint, ForeignKeyDefinition) and any(
        (name, c.casefold()) in adding and table.column(c).default is None
        for c in constraint.columns
    )


def _new_columns(
    context: RenderContext,
    table: TableDefinition,
    constraint: ForeignKeyDefinition | CheckDefinition,
    adding: set[tuple[str, str]],
) -> str | None:
    """The first column the constraint reads that this run adds (its rows cannot be counted
    before it exists), or ``None``."""
    name = context.table_name(table)
    if isinstance(constraint, CheckDefinition):
        reads = []
        for token in constraint.parsed.column_refs:
            column = table.resolve_column(token.value, quoted=token.kind is TokenKind.QUOTED)
            reads.append((name, column.name if column is not None else token.value))
    else:
        reads = [(name, c) for c in constraint.columns]
        parent = context.referenced_table_name(constraint)
        reads += [(parent, c) for c in constraint.references_columns]
    for owner, column_name in reads:
        if (owner.casefold(), column_name.casefold()) in adding:
            return f"column {column_name!r} of {owner}"
    return None


def _constraint(
    context: RenderContext, table: TableDefinition, difference: Difference
) -> ForeignKeyDefinition | CheckDefinition:
    """The definition of the foreign key or CHECK a ``missing_*`` difference names."""
    if difference.kind == "missing_foreign_key":
        return next(
            f for f in table.foreign_keys if context.foreign_key_name(table, f) == difference.name
        )
    return next(c for c in table.checks if context.check_name(table, c) == difference.name)


def plan_migration(
    context: RenderContext,
    configuration: SchemaConfiguration,
    diff: SchemaDiff,
    database: LiveDatabase | None = None,
) -> MigrationPlan:
    """The additive repair of ``diff`` for the dialect of ``context``.

    With ``database``, a missing unique index on a table that exists is first checked against
    its rows: one they would break is refused with the key they share.
    """
    tables = {context.table_name(t).casefold(): t for t in configuration.tables}
    created: list[Statement] = []
    statements: list[Statement] = []
    constraints: list[Statement] = []
    refused: list[tuple[Difference, str]] = []
    extra = {(d.kind, d.table.casefold(), (d.name or "").casefold()) for d in diff.extras}
    missing = {
        d.table.casefold()
        for d in diff.drift
        if d.kind == "missing_table"
        and _declared_rename(context, tables[d.table.casefold()], d, extra) is None
    }
    if missing:
        # Together, so that their foreign keys find their order (and a cycle its ALTERs).
        new = tuple(t for t in configuration.tables if context.table_name(t).casefold() in missing)
        try:
            created.extend(context.owner.statements(attrs.evolve(configuration, tables=new)))
        except RenderError as exc:
            refused.extend(
                (d, str(exc))
                for d in diff.drift
                if d.kind == "missing_table" and d.table.casefold() in missing
            )
    adding = {
        (d.table.casefold(), str(d.name).casefold())
        for d in diff.drift
        if d.kind == "missing_column"
    }
    for difference in diff.drift:
        table = tables[difference.table.casefold()]
        try:
            renamed = _declared_rename(context, table, difference, extra)
            if renamed is not None:
                refused.append((difference, renamed))
            elif difference.kind == "missing_table":
                continue
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
            elif difference.kind in ("missing_foreign_key", "missing_check"):
                constraint = _constraint(context, table, difference)
                added = context.render_add_constraint(table, constraint)
                if database is not None:
                    why = _breaking_rows(
                        database, context, table, constraint, str(difference.name), missing, adding
                    )
                    if why is not None:
                        refused.append((difference, why))
                        continue
                constraints.extend(added)
            elif difference.kind in ("missing_index", "missing_constraint"):
                # A unique index may be stored as a constraint (MySQL): either way, by name.
                index = next(
                    (i for i in table.indexes if context.index_name(table, i) == difference.name),
                    None,
                )
                if index is None:  # a unique key, or an index standing in for one (SQL Server)
                    refused.append((difference, _UNIQUE_KEY))
                    continue
                key = None
                if index.unique and database is not None:
                    key = _shared_key(database, context, table, index)
                if key is not None:
                    shown = ", ".join(f"{c}={v!r}" for c, v in zip(index.columns, key, strict=True))
                    refused.append(
                        (
                            difference,
                            f"rows share the key ({shown}), so the unique index cannot be "
                            f"created: remove the duplicates, then run again",
                        )
                    )
                    continue
                statements.extend(context.render_add_index(table, index))
            else:
                refused.append((difference, _REWRITE))
        except RenderError as exc:
            refused.append((difference, str(exc)))
    statements = created + statements + constraints
    return MigrationPlan(tuple(statements), tuple(refused), diff.extras)


def migrate_schema(
    database: LiveDatabase,
    configuration: SchemaConfiguration,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> MigrationResult:
    """Read ``database``, plan the additive repair and run it, inside one transaction and the
    dialect's schema lock (all or nothing where DDL is transactional)."""
    context = get_dialect(database.dialect).context(configuration)
    with database.transaction():
        diff = diff_schema(database, configuration)
        plan = plan_migration(context, configuration, diff, database)
        notes = run_plan(database, plan.statements, progress) if not dry_run else ()
    return MigrationResult(diff, plan, dry_run, notes)
