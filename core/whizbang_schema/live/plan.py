"""A migration plan: every change the definitions call for, as reviewed statements.

Where :mod:`~whizbang_schema.live.migrate` only adds, a plan also changes what exists: column
types (longer or shorter strings, wider integers), nullability (with a backfill), defaults,
indexes (drop and create), new unique keys, declared renames, and, only when asked, drops.
Each change is the dialect's own safe way (hooks ``render_alter_table``,
``render_change_index``, ``render_drop``, ``render_rename``) and every statement says what
it risks (:data:`~whizbang_schema.model.hazards.HAZARDS`).

The data is asked first, while planning: a narrowed string is refused with the number of
values that would not fit and the longest one's length, a NOT NULL column with no default and
no ``backfill`` value with the number of NULL rows, a unique key with the keys rows share. A
change that passes carries its check into the plan (a query that must return no rows), so a
plan run later still stops before changing anything if the rows moved on.

The plan records a fingerprint of the catalog it was written against
(:mod:`~whizbang_schema.live.fingerprint`); :mod:`~whizbang_schema.live.plan_run` runs it only
on that catalog.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Callable, Mapping, Sequence

import attrs

from ..model.catalog import LiveIndex, LiveTable
from ..model.configuration import SchemaConfiguration
from ..model.datatypes import WhizbangDataType
from ..model.defaults import NullDefault
from ..model.definitions import ColumnDefinition, IndexDefinition, TableDefinition
from ..model.errors import DatabaseError, OptionError, RenderError
from ..model.hazards import HAZARDS, Hazard
from ..plugins.protocols import LiveDatabase
from ..plugins.registry import get_dialect
from ..render.changes import TypeChange, string_length, type_change
from ..render.context import RenderContext
from ..render.statements import Statement, StatementKind
from .diff import Difference
from .fingerprint import catalog_fingerprint, table_hashes
from .introspect import diff_catalog, read_schema

__all__ = ["Plan", "PlannedChange", "build_plan", "parse_backfill"]

_ALTERED = frozenset({"column_type", "column_nullable", "column_default"})
_INDEX = frozenset({"index_columns", "index_unique", "index_predicate"})


@attrs.frozen(slots=True)
class PlannedChange:
    """The statements that resolve ``differences`` (all on ``table``), in order."""

    table: str
    differences: tuple[Difference, ...]
    statements: tuple[Statement, ...]

    @property
    def hazards(self) -> tuple[str, ...]:
        return tuple(h for h in HAZARDS if any(h in s.hazards for s in self.statements))


@attrs.frozen(slots=True)
class Plan:
    """A reviewed migration: for ``dialect`` and the tables of ``prefix`` in ``schema``, the
    catalog it starts from (``fingerprint``, per table in ``tables``), the ``changes`` in the
    order they run, what is ``refused`` (with why) and the ``extras`` kept."""

    dialect: str
    prefix: str
    schema: str | None
    fingerprint: str
    tables: tuple[tuple[str, str], ...]
    changes: tuple[PlannedChange, ...]
    refused: tuple[tuple[Difference, str], ...] = ()
    extras: tuple[Difference, ...] = ()

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for c in self.changes for s in c.statements)

    @property
    def hazards(self) -> tuple[str, ...]:
        return tuple(h for h in HAZARDS if any(h in s.hazards for s in self.statements))

    def denied(self, deny: Sequence[str]) -> list[tuple[Statement, str]]:
        """Each statement carrying a hazard in ``deny``, with the first such hazard."""
        out = []
        for statement in self.statements:
            hit = next((h for h in statement.hazards if h in deny), None)
            if hit is not None:
                out.append((statement, hit))
        return out


def parse_backfill(items: Sequence[str]) -> dict[str, str]:
    """``[TABLE.]COLUMN=VALUE`` arguments as a mapping (a bare COLUMN applies to every
    table); :class:`ValueError` for one without ``=``."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--backfill takes [TABLE.]COLUMN=VALUE, got {item!r}")
        out[key.strip()] = value
    return out


def _backfill_value(column: ColumnDefinition, text: str) -> object:
    """``text`` as a value of ``column``'s type (integers, booleans, decimals, doubles, ISO
    dates, timestamps with their offset, UUIDs and hexadecimal bytes parsed; JSON checked)."""
    if column.data_type in (
        WhizbangDataType.SMALL_INT,
        WhizbangDataType.INTEGER,
        WhizbangDataType.BIG_INT,
    ):
        return int(text)
    if column.data_type is WhizbangDataType.BOOLEAN:
        lowered = text.strip().lower()
        if lowered in ("true", "1", "yes"):
            return True
        if lowered in ("false", "0", "no"):
            return False
        raise ValueError(f"a boolean backfill is true or false, got {text!r}")
    parse = _BACKFILL_PARSERS.get(column.data_type)
    if parse is not None:
        try:
            return parse(text.strip())
        except (ArithmeticError, ValueError):
            raise ValueError(
                f"a {column.data_type.name} backfill is {_BACKFILL_FORMS[column.data_type]}, "
                f"got {text!r}"
            ) from None
    return text


def _timestamp(text: str) -> dt.datetime:
    """An ISO 8601 timestamp with its offset (``Z`` read as UTC); a naive one is refused."""
    value = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" else text)
    if value.utcoffset() is None:
        raise ValueError("no offset")
    return value


def _json_text(text: str) -> str:
    json.loads(text)
    return text


_BACKFILL_PARSERS: dict[WhizbangDataType, Callable[[str], object]] = {
    WhizbangDataType.DECIMAL: decimal.Decimal,
    WhizbangDataType.DOUBLE: float,
    WhizbangDataType.DATE: dt.date.fromisoformat,
    WhizbangDataType.BYTES: bytes.fromhex,
    # Typed, so that each dialect writes the value as it stores that type (SQLite's
    # timestamp text, MySQL's UTC DATETIME, a BLOB UUID): the text as given was stored
    # verbatim where the engine does not check it, another instant or text form.
    WhizbangDataType.TIMESTAMP_TZ: _timestamp,
    WhizbangDataType.UUID: uuid.UUID,
    WhizbangDataType.JSON: _json_text,
}
_BACKFILL_FORMS = {
    WhizbangDataType.DECIMAL: "a decimal number",
    WhizbangDataType.DOUBLE: "a number",
    WhizbangDataType.DATE: "a date written YYYY-MM-DD",
    WhizbangDataType.BYTES: "hexadecimal digits",
    WhizbangDataType.TIMESTAMP_TZ: "ISO 8601 with its offset (2024-05-01T12:00:00+00:00, or Z)",
    WhizbangDataType.UUID: "a UUID",
    WhizbangDataType.JSON: "JSON text",
}


class _Planner:
    """One plan being written, inside the caller's transaction."""

    def __init__(
        self,
        database: LiveDatabase,
        context: RenderContext,
        configuration: SchemaConfiguration,
        allow_drop: bool,
        backfill: Mapping[str, str],
    ) -> None:
        self.database = database
        self.context = context
        self.configuration = configuration
        self.allow_drop = allow_drop
        self.backfill = backfill
        self.changes: list[PlannedChange] = []
        self.refused: list[tuple[Difference, str]] = []

    # -- data questions ------------------------------------------------------------------------

    def _count(self, table: TableDefinition, where: str) -> int:
        rows = self.database.query(
            f"SELECT COUNT(*) FROM {self.context.qualified_table(table)} WHERE {where}"
        )
        return int(rows[0][0])

    def _too_long(self, table: TableDefinition, column: str, limit: int) -> str:
        return f"{self._length(column)} > {limit}"

    def _length(self, column: str) -> str:
        return str(self.context.owner.LENGTH_SQL).format(self.context.quote(column))

    def _duplicates(self, table: TableDefinition, columns: tuple[str, ...]) -> tuple[int, str]:
        """How many keys rows share, and the first few shown."""
        quoted = self.context.quote_list(columns)
        where = " AND ".join(f"{self.context.quote(c)} IS NOT NULL" for c in columns)
        rows = self.database.query(
            f"SELECT {quoted}, COUNT(*) FROM {self.context.qualified_table(table)} "
            f"WHERE {where} GROUP BY {quoted} HAVING COUNT(*) > 1"
        )
        shown = "; ".join(
            "(" + ", ".join(f"{c}={v!r}" for c, v in zip(columns, row, strict=False)) + ")"
            f" x{row[-1]}"
            for row in rows[:3]
        )
        return len(rows), shown + ("; ..." if len(rows) > 3 else "")

    def _check(self, table: TableDefinition, name: str, where: str, why: str) -> Statement:
        """A query that must return no rows when the plan runs."""
        return Statement(
            StatementKind.CHECK,
            name,
            f"SELECT 1 FROM {self.context.qualified_table(table)} WHERE {where}",
            table=self.context.table_name(table),
            schema=self.context.effective_schema,
            notes=(why,),
            check=True,
        )

    def _backfill_for(self, table: TableDefinition, column: ColumnDefinition) -> str | None:
        """The SQL of the value NULLs get: ``--backfill``, else the column's default."""
        stored = self.context.table_name(table)
        for key in (f"{table.name}.{column.name}", f"{stored}.{column.name}", column.name):
            if key in self.backfill:
                value = _backfill_value(column, self.backfill[key])
                return self.context.render_literal(column, value)
        if column.default is not None and not isinstance(column.default, NullDefault):
            return self.context.render_default(column, table)
        return None

    # -- changes -------------------------------------------------------------------------------

    def table_changes(
        self, table: TableDefinition, live: LiveTable, drift: Sequence[Difference]
    ) -> None:
        """Columns added, backfilled and altered, unique keys added: one change per table."""
        context = self.context
        expected = context.expected_table(table)
        statements: list[Statement] = []
        resolved: list[Difference] = []
        columns: list[str] = []
        constraints: list[str] = []
        view = list(live.columns)
        altered = {d.name for d in drift if d.kind in _ALTERED}
        for difference in drift:
            try:
                if difference.kind == "missing_column":
                    column = table.column(str(difference.name))
                    wanted = expected.column(column.name)
                    assert wanted is not None
                    if column.nullable or column.default is not None:
                        statements.extend(context.render_add_column(table, column))
                        view.append(wanted)
                        resolved.append(difference)
                        continue
                    value = self._backfill_for(table, column)
                    if value is None:
                        self.refused.append(
                            (
                                difference,
                                "a NOT NULL column without a default needs a value for the "
                                f"existing rows: --backfill {table.name}.{column.name}=VALUE, "
                                "or give it a default",
                            )
                        )
                        continue
                    loose = attrs.evolve(column, nullable=True)
                    statements.extend(context.render_add_column(table, loose))
                    statements.append(self._update(table, column, value))
                    view.append(attrs.evolve(wanted, nullable=True))
                    columns.append(column.name)
                    resolved.append(difference)
                elif difference.kind in _ALTERED:
                    if difference.name in columns:
                        resolved.append(difference)
                        continue
                    found = self._column_steps(table, live, expected, str(difference.name))
                    if isinstance(found, str):
                        self.refused.append((difference, found))
                        altered.discard(difference.name)
                        continue
                    statements.extend(found)
                    columns.append(str(difference.name))
                    resolved.append(difference)
                elif difference.kind == "missing_constraint":
                    keys = dict(context.unique_elements(table))
                    key = keys.get(str(difference.name))
                    if key is None:
                        self.refused.append((difference, "no unique key of that name to add"))
                        continue
                    count, shown = self._duplicates(table, key)
                    if count:
                        self.refused.append(
                            (
                                difference,
                                f"{count} keys are shared by several rows ({shown}): remove "
                                f"the duplicates, then plan again",
                            )
                        )
                        continue
                    statements.append(self._duplicate_check(table, str(difference.name), key))
                    constraints.append(str(difference.name))
                    resolved.append(difference)
            except (RenderError, ValueError) as exc:
                self.refused.append((difference, str(exc)))
        # Differences on one column resolve together: refused as one if one is refused.
        resolved = [d for d in resolved if d.kind not in _ALTERED or d.name in altered]
        if columns or constraints:
            stored = attrs.evolve(live, columns=view)
            try:
                altered_by = context.render_alter_table(
                    table, stored, tuple(columns), tuple(constraints)
                )
            except RenderError as exc:
                self.refused.extend((d, str(exc)) for d in resolved)
                return
            stopped = self._first_checks(altered_by)
            if stopped is not None:
                self.refused.extend((d, stopped) for d in resolved)
                return
            statements.extend(altered_by)
        if statements:
            self.changes.append(
                PlannedChange(context.table_name(table), tuple(resolved), tuple(statements))
            )

    def _first_checks(self, statements: Sequence[Statement]) -> str | None:
        """Run the checks a dialect puts before its alteration (SQLite's rebuild asks the
        catalog for what it would drop) while planning, so the plan says so now rather
        than stop when it runs; why the first one that finds rows does, else ``None``."""
        for statement in statements:
            if not statement.check:
                return None
            try:
                rows = self.database.query(statement.sql)
            except DatabaseError:  # a table this plan renames first: asked when it runs
                return None
            if rows:
                why = statement.notes[0] if statement.notes else "rows break the change"
                return f"{why} (found: {', '.join(str(r[0]) for r in rows[:3])})"
        return None

    def _update(self, table: TableDefinition, column: ColumnDefinition, value: str) -> Statement:
        name = self.context.quote(column.name)
        return Statement(
            StatementKind.BACKFILL,
            column.name,
            f"UPDATE {self.context.qualified_table(table)} SET {name} = {value} "
            f"WHERE {name} IS NULL",
            table=self.context.table_name(table),
            schema=self.context.effective_schema,
            hazards=(Hazard.UPDATES_ROWS, Hazard.LOCKS_WRITES),
        )

    def _duplicate_check(
        self, table: TableDefinition, name: str, columns: tuple[str, ...]
    ) -> Statement:
        quoted = self.context.quote_list(columns)
        where = " AND ".join(f"{self.context.quote(c)} IS NOT NULL" for c in columns)
        return Statement(
            StatementKind.CHECK,
            name,
            f"SELECT {quoted} FROM {self.context.qualified_table(table)} WHERE {where} "
            f"GROUP BY {quoted} HAVING COUNT(*) > 1",
            table=self.context.table_name(table),
            schema=self.context.effective_schema,
            notes=("rows share a key of the new unique key",),
            check=True,
        )

    def _column_steps(
        self, table: TableDefinition, live: LiveTable, expected: LiveTable, name: str
    ) -> list[Statement] | str:
        """The backfill and checks a changed column needs first, or why it is refused."""
        column = table.column(name)
        stored, wanted = live.column(name), expected.column(name)
        assert stored is not None
        assert wanted is not None
        out: list[Statement] = []
        change = type_change(stored, wanted)
        if change is TypeChange.OTHER:
            return (
                f"changing the type from {stored.sql_type} to {wanted.sql_type} is not planned "
                f"(only longer or shorter strings and wider integers are): migrate the data "
                f"into a new column"
            )
        if change is TypeChange.NARROW_STRING:
            limit = string_length(wanted)
            assert limit is not None
            where = self._too_long(table, name, limit)
            count = self._count(table, where)
            if count:
                longest = self.database.query(
                    f"SELECT MAX({self._length(name)}) FROM {self.context.qualified_table(table)}"
                )[0][0]
                return (
                    f"{count} values are longer than {limit} characters (the longest has "
                    f"{longest}): shorten them, then plan again"
                )
            out.append(self._check(table, name, where, f"values longer than {limit}"))
        if stored.nullable and not wanted.nullable:
            value = self._backfill_for(table, column)
            nulls = f"{self.context.quote(name)} IS NULL"
            if value is not None:
                out.append(self._update(table, column, value))
            else:
                count = self._count(table, nulls)
                if count:
                    return (
                        f"{count} rows hold NULL and the column has no default: --backfill "
                        f"{table.name}.{name}=VALUE, or update them, then plan again"
                    )
                out.append(self._check(table, name, nulls, "rows holding NULL"))
        return out

    def index_change(
        self,
        table: TableDefinition,
        live: LiveTable | None,
        differences: Sequence[Difference],
        index: IndexDefinition | None,
        stored: LiveIndex | None,
    ) -> None:
        """Create, replace or drop one index of an existing table."""
        context = self.context
        first = differences[0]
        try:
            statements: list[Statement] = []
            if index is not None and index.unique:
                count, shown = self._duplicates_where(table, index)
                if count:
                    self.refused.extend(
                        (
                            d,
                            f"{count} keys are shared by several rows ({shown}): remove the "
                            f"duplicates, then plan again",
                        )
                        for d in differences
                    )
                    return
            statements.extend(context.render_change_index(table, stored, index))
        except RenderError as exc:
            self.refused.extend((d, str(exc)) for d in differences)
            return
        self.changes.append(PlannedChange(first.table, tuple(differences), tuple(statements)))

    def _duplicates_where(self, table: TableDefinition, index: IndexDefinition) -> tuple[int, str]:
        if index.where is None:
            return self._duplicates(table, index.columns)
        quoted = self.context.quote_list(index.columns)
        where = [f"{self.context.quote(c)} IS NOT NULL" for c in index.columns]
        where.append(f"({self.context.render_predicate(table, index)})")
        rows = self.database.query(
            f"SELECT {quoted}, COUNT(*) FROM {self.context.qualified_table(table)} "
            f"WHERE {' AND '.join(where)} GROUP BY {quoted} HAVING COUNT(*) > 1"
        )
        shown = "; ".join(
            "(" + ", ".join(f"{c}={v!r}" for c, v in zip(index.columns, r, strict=False)) + ")"
            for r in rows[:3]
        )
        return len(rows), shown


_BOTH = (
    "both the old name and the new one are stored, so the rename is not planned and the old "
    "one is never dropped: move what it holds into the new one by hand, drop the old one, "
    "then plan again"
)


def _renames(
    context: RenderContext,
    tables: Sequence[TableDefinition],
    live: list[LiveTable],
    refused: list[tuple[Difference, str]],
) -> tuple[list[PlannedChange], list[LiveTable]]:
    """Declared renames whose old name is stored and new one is not, and the catalog as it
    will be after them. A declared rename whose old and new names are both stored is added
    to ``refused``: the old one holds the data the definitions say moved."""
    changes: list[PlannedChange] = []
    by_name = {t.name.casefold(): t for t in live}
    for table in tables:
        name = context.table_name(table)
        if table.renamed_from is not None:
            old = context.table_name(
                attrs.evolve(table, name=table.renamed_from, renamed_from=None)
            )
            if name.casefold() in by_name and old.casefold() in by_name:
                refused.append((Difference("renamed_table", name, name, name, old), _BOTH))
        if table.renamed_from is not None and name.casefold() not in by_name:
            found = by_name.pop(old.casefold(), None)
            if found is not None:
                by_name[name.casefold()] = attrs.evolve(found, name=name)
                changes.append(
                    PlannedChange(
                        name,
                        (Difference("renamed_table", name, name, name, old),),
                        context.render_rename("table", old, old, name),
                    )
                )
        stored = by_name.get(name.casefold())
        if stored is None:
            continue
        for column in table.columns:
            if column.renamed_from is None:
                continue
            old_column = stored.column(column.renamed_from)
            if stored.column(column.name) is not None:
                if old_column is not None:
                    difference = Difference(
                        "renamed_column", stored.name, column.name, column.name, old_column.name
                    )
                    refused.append((difference, _BOTH))
                continue
            if old_column is None:
                continue
            columns = [
                attrs.evolve(c, name=column.name) if c is old_column else c for c in stored.columns
            ]
            stored = attrs.evolve(stored, columns=columns)
            by_name[name.casefold()] = stored
            changes.append(
                PlannedChange(
                    stored.name,
                    (
                        Difference(
                            "renamed_column", stored.name, column.name, column.name, old_column.name
                        ),
                    ),
                    context.render_rename("column", stored.name, old_column.name, column.name),
                )
            )
    return changes, list(by_name.values())


def _check_backfill(
    context: RenderContext, configuration: SchemaConfiguration, backfill: Mapping[str, str]
) -> None:
    """Refuse a ``--backfill`` naming no defined column: a value silently unused would leave
    the rows to the column's default, or refuse the change, against what was asked."""
    known: set[str] = set()
    for table in configuration.tables:
        for column in table.columns:
            known.update(
                (
                    column.name,
                    f"{table.name}.{column.name}",
                    f"{context.table_name(table)}.{column.name}",
                )
            )
    unknown = [key for key in backfill if key not in known]
    if unknown:
        raise OptionError(
            f"--backfill {unknown[0]} names no column of the definitions: "
            f"[TABLE.]COLUMN, TABLE as defined (orders) or as stored (with the prefix)"
        )


def build_plan(
    database: LiveDatabase,
    configuration: SchemaConfiguration,
    *,
    allow_drop: bool = False,
    backfill: Mapping[str, str] | None = None,
) -> Plan:
    """Read ``database`` and write the plan that takes it to ``configuration`` (inside the
    caller's transaction: the catalog and the data are read once, consistently).

    ``backfill`` maps ``table.column`` (or ``column``) to the text of the value that NULL rows
    get when the column becomes NOT NULL without a default; ``allow_drop`` plans drops of
    what the definitions no longer have (otherwise they are extras, kept).
    """
    context = get_dialect(database.dialect).context(configuration)
    _check_backfill(context, configuration, backfill or {})
    live = list(read_schema(database, configuration))
    hashes = table_hashes(live)
    both: list[tuple[Difference, str]] = []
    renames, live = _renames(context, configuration.tables, live, both)
    diff = diff_catalog(database.dialect, configuration, live)
    planner = _Planner(database, context, configuration, allow_drop, backfill or {})
    planner.changes.extend(renames)
    planner.refused.extend(both)
    # The old name of a declared rename holds the data: never an extra to drop.
    held = {str(d.actual).casefold() for d, _ in both if d.kind == "renamed_table"}
    held_columns = {
        (d.table.casefold(), str(d.actual).casefold())
        for d, _ in both
        if d.kind == "renamed_column"
    }
    tables = {context.table_name(t).casefold(): t for t in configuration.tables}
    stored = {t.name.casefold(): t for t in live}
    by_table: dict[str, list[Difference]] = {}
    index_work: list[tuple[TableDefinition, list[Difference]]] = []
    for difference in diff.drift:
        table = tables[difference.table.casefold()]
        if difference.kind == "missing_table":
            single = attrs.evolve(configuration, tables=(table,))
            planner.changes.append(
                PlannedChange(difference.table, (difference,), context.owner.statements(single))
            )
        elif difference.kind in ("missing_index", *_INDEX) or (
            difference.kind == "missing_constraint"
            and any(context.index_name(table, i) == difference.name for i in table.indexes)
        ):
            entry = next(
                (e for e in index_work if e[1][0].name == difference.name and e[0] is table),
                None,
            )
            if entry is None:
                index_work.append((table, [difference]))
            else:
                entry[1].append(difference)
        elif difference.kind in ("primary_key", "constraint_columns"):
            planner.refused.append(
                (
                    difference,
                    "changing a primary key or a unique key's columns is not planned: add a "
                    "new key under another name, then drop the old one",
                )
            )
        else:
            by_table.setdefault(difference.table.casefold(), []).append(difference)
    extras = [
        d
        for d in diff.extras
        if not (d.kind == "extra_table" and d.table.casefold() in held)
        and not (
            d.kind == "extra_column"
            and (d.table.casefold(), str(d.name).casefold()) in held_columns
        )
    ]
    if allow_drop:
        # Indexes and unique keys go first: a column they cover may change in a way they
        # would block (MySQL cannot make an indexed column TEXT).
        early = [
            d for d in extras if d.kind in ("extra_index", "duplicate_index", "extra_constraint")
        ]
        extras = [d for d in extras if d not in early]
        _drops(planner, context, tables, stored, early)
        for extra in early:
            key = extra.table.casefold()
            stored[key] = attrs.evolve(
                stored[key],
                indexes=[i for i in stored[key].indexes if i.name != extra.name],
                unique_constraints=[
                    u for u in stored[key].unique_constraints if u.name != extra.name
                ],
            )
    for key, drift in by_table.items():
        planner.table_changes(tables[key], stored[key], drift)
    for table, differences in index_work:
        name = differences[0].name
        index = next(i for i in table.indexes if context.index_name(table, i) == name)
        live_table = stored.get(context.table_name(table).casefold())
        found = None
        if live_table is not None and differences[0].kind != "missing_index":
            found = next(
                (i for i in live_table.indexes if i.name.casefold() == str(name).casefold()), None
            )
        planner.index_change(table, live_table, differences, index, found)
    if allow_drop:
        extras = _drops(planner, context, tables, stored, extras)
    for change in planner.changes:
        for statement in change.statements:
            unknown = [h for h in statement.hazards if h not in HAZARDS]
            if unknown:
                raise RenderError(
                    f"{statement.kind.value} {statement.name!r} carries {unknown[0]!r}, which "
                    f"is not a hazard; hazards: {', '.join(HAZARDS)}",
                    dialect=database.dialect,
                    table=change.table,
                )
    return Plan(
        database.dialect,
        configuration.prefix,
        configuration.schema,
        catalog_fingerprint(hashes),
        tuple(hashes.items()),
        tuple(planner.changes),
        tuple(planner.refused),
        tuple(extras),
    )


def _drops(
    planner: _Planner,
    context: RenderContext,
    tables: Mapping[str, TableDefinition],
    stored: Mapping[str, LiveTable],
    extras: list[Difference],
) -> list[Difference]:
    """Plan the drop of every extra; return those that cannot be dropped."""
    kept: list[Difference] = []
    others = _other_prefixes(
        context,
        tables,
        [
            stored[e.table.casefold()]
            for e in extras
            if e.kind == "extra_table" and e.table.casefold() in stored
        ],
    )
    for extra in extras:
        try:
            if extra.kind == "extra_table":
                owner = _owner(context.prefix, extra.table, others)
                if owner is not None:
                    planner.refused.append((extra, owner))
                    continue
                statements = context.render_drop("table", extra.table, None)
            elif extra.kind == "extra_column":
                statements = context.render_drop("column", extra.table, extra.name)
            elif extra.kind == "extra_constraint":
                statements = context.render_drop("constraint", extra.table, extra.name)
            else:  # an extra or duplicate index
                live = stored[extra.table.casefold()]
                index = next(i for i in live.indexes if i.name == extra.name)
                statements = context.render_change_index(
                    tables[extra.table.casefold()], index, None
                )
                statements = tuple(
                    attrs.evolve(s, hazards=(*s.hazards, Hazard.DROPS_DATA))
                    if Hazard.DROPS_DATA not in s.hazards
                    else s
                    for s in statements
                )
        except RenderError as exc:
            planner.refused.append((extra, str(exc)))
            continue
        planner.changes.append(PlannedChange(extra.table, (extra,), tuple(statements)))
    return kept


def _other_prefixes(
    context: RenderContext, tables: Mapping[str, TableDefinition], extras: Sequence[LiveTable]
) -> list[str]:
    """The longer prefixes the extra tables show (longest first).

    Every table whose name starts with the prefix is read as this prefix's, but several
    prefixes share one database (``wh_`` and ``wh_eu_``): an extra table that is a defined
    table under a longer prefix, or whose index and key names carry a longer prefix than
    this one, shows that prefix, and every extra table under it belongs to it.
    """
    prefix = context.prefix.casefold()
    found: set[str] = set()
    for live in extras:
        name = live.name
        for table in tables.values():
            other = name[: len(name) - len(table.name)]
            if name.casefold().endswith(table.name.casefold()):
                found.add(other)
        found.update(_shared_prefix(name, key.name) for key in live.indexes)
        found.update(_shared_prefix(name, key.name) for key in live.unique_constraints)
    longer = [o for o in found if len(o) > len(prefix) and o.casefold().startswith(prefix)]
    return sorted(longer, key=len, reverse=True)


def _owner(prefix: str, name: str, others: Sequence[str]) -> str | None:
    """Why the extra table ``name`` is not this prefix's to drop, or ``None`` when it is."""
    if not prefix:
        return (
            "with an empty prefix every table of the schema is read as an extra: a plan drops "
            "no table then; drop it by hand if it is yours"
        )
    for other in others:
        if name.casefold().startswith(other.casefold()):
            return (
                f"the table belongs to prefix {other!r} (its name, or its neighbours' names, "
                f"say so), not to {prefix!r}: a plan for {prefix!r} never drops another "
                f"prefix's tables; drop it by hand if it is yours"
            )
    return None


def _shared_prefix(table: str, key: str) -> str:
    """The longest start of the names of ``table`` and of one of its indexes or keys
    (case-insensitively) that ends with ``_``: the prefix both were made with. Nothing
    when the key's name starts with the whole table name (named after the table)."""
    n = 0
    while n < min(len(table), len(key)) and table[n].casefold() == key[n].casefold():
        n += 1
    return "" if n == len(table) else table[: table.rfind("_", 0, n) + 1]
