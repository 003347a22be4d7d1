"""Compare the tables definitions call for with the tables a database holds.

Only structure is compared, never data. What the database has and the definitions do not
(tables carrying the prefix, columns, indexes, constraints) is reported as *extra*; extras are
never drift (``check`` passes with them) and are never dropped. An index that repeats another
of its table (same columns, uniqueness and predicate) is a ``duplicate_index``, an extra of its
own kind: it costs every write and answers no query the other does not.

A database the C# original created names its indexes and constraints without the prefix. An
object found under that verbatim name that matches the expected one in every other respect is
taken as present (so nothing creates a duplicate of it), and :attr:`SchemaDiff.verbatim` lists
it so that callers can suggest ``--verbatim-names``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs

from ..model.catalog import LiveCheck, LiveColumn, LiveForeignKey, LiveIndex, LiveTable
from ..model.defaults import DefaultValue, NullDefault

__all__ = ["Difference", "SchemaDiff", "diff_tables"]


@attrs.frozen(slots=True)
class Difference:
    """One difference. ``kind`` is one of: missing_table, missing_column, missing_index,
    missing_constraint, column_type, column_nullable, column_default, primary_key,
    index_columns, index_unique, index_predicate, constraint_columns, missing_foreign_key,
    foreign_key_definition, missing_check, check_predicate, extra_table, extra_column,
    extra_index, extra_constraint, extra_foreign_key, extra_check, duplicate_index
    (``expected`` names the index it duplicates); in a migration plan also renamed_table and
    renamed_column (``actual`` is the stored name, ``expected`` the defined one)."""

    kind: str
    table: str
    name: str | None = None
    expected: str | None = None
    actual: str | None = None

    @property
    def extra(self) -> bool:
        """Whether this is something the database has beyond the definitions."""
        return self.kind.startswith("extra_") or self.kind == "duplicate_index"

    def __str__(self) -> str:
        if self.kind == "duplicate_index":
            return (
                f"{self.table}: index {self.name!r} duplicates {self.expected!r} "
                f"(same columns, uniqueness and predicate)"
            )
        if self.kind.startswith("renamed_"):
            what = self.kind.removeprefix("renamed_")
            return f"{what} {self.actual!r} is renamed {self.expected!r} (renamed_from)"
        if self.kind == "foreign_key_definition":
            return (
                f"{self.table}: foreign key {self.name!r} is {self.actual}, "
                f"expected {self.expected}"
            )
        what, _, detail = self.kind.partition("_")
        detail = detail.replace("_", " ")
        if what in ("missing", "extra"):
            subject = (
                f"table {self.table}"
                if detail == "table"
                else f"{self.table}: {detail} {self.name!r}"
            )
            if what == "missing":
                return f"{subject} is missing"
            return f"{subject} is in the database but not in the definitions"
        if self.kind == "primary_key":
            subject = f"{self.table}: primary key"
        else:
            subject = f"{self.table}: {what} {self.name!r} {detail}"
        return f"{subject} is {self.actual}, expected {self.expected}"


@attrs.frozen(slots=True)
class SchemaDiff:
    """The differences between definitions and a database, in a stable order."""

    differences: tuple[Difference, ...]
    verbatim: tuple[str, ...] = ()
    """Indexes and constraints found under the C# original's unprefixed names."""

    @property
    def hints(self) -> tuple[str, ...]:
        """Advice for the person reading the diff (at most one line per kind of advice)."""
        if not self.verbatim:
            return ()
        shown = ", ".join(self.verbatim[:3]) + (", ..." if len(self.verbatim) > 3 else "")
        return (
            f"{len(self.verbatim)} indexes or constraints carry the C# original's unprefixed "
            f"names ({shown}); they are taken as present: use --verbatim-names "
            f"(verbatim_names=True) for this database",
        )

    @property
    def drift(self) -> tuple[Difference, ...]:
        """Differences that make the database not match the definitions."""
        return tuple(d for d in self.differences if not d.extra)

    @property
    def extras(self) -> tuple[Difference, ...]:
        """Objects the database has beyond the definitions (reported, never dropped)."""
        return tuple(d for d in self.differences if d.extra)

    def __bool__(self) -> bool:
        return bool(self.differences)

    def as_dict(self) -> dict[str, object]:
        return {
            "drift": [attrs.asdict(d) for d in self.drift],
            "extras": [attrs.asdict(d) for d in self.extras],
            "hints": list(self.hints),
        }


def _by_name(items: Iterable[LiveIndex]) -> dict[str, LiveIndex]:
    return {item.name.casefold(): item for item in items}


def _type(column: LiveColumn) -> str:
    return column.sql_type if column.type is None else str(column.type)


def _effective_default(column: LiveColumn) -> DefaultValue | None:
    # DEFAULT NULL is what a nullable column has anyway; engines do not all store it.
    return None if isinstance(column.default, NullDefault) else column.default


def _default(column: LiveColumn) -> str:
    if column.default is not None:
        return str(column.default)
    return "no default" if column.default_sql is None else f"unreadable {column.default_sql!r}"


def _columns(names: Sequence[str]) -> str:
    return "(" + ", ".join(names) + ")"


def _compare_columns(expected: LiveTable, live: LiveTable) -> list[Difference]:
    out = []
    live_columns = {c.name: c for c in live.columns}
    for column in expected.columns:
        found = live_columns.pop(column.name, None)
        if found is None:
            out.append(Difference("missing_column", expected.name, column.name))
            continue
        if found.type != column.type:
            out.append(
                Difference("column_type", expected.name, column.name, _type(column), _type(found))
            )
        if found.nullable != column.nullable:
            out.append(
                Difference(
                    "column_nullable",
                    expected.name,
                    column.name,
                    "NULL" if column.nullable else "NOT NULL",
                    "NULL" if found.nullable else "NOT NULL",
                )
            )
        # A default the dialect cannot read back is drift, unless it is the very text the
        # definition's default is stored as (also unreadable: a type the reader does not know).
        unreadable = (
            found.default is None
            and found.default_sql is not None
            and (column.default is not None or column.default_sql != found.default_sql)
        )
        if _effective_default(found) != _effective_default(column) or unreadable:
            out.append(
                Difference(
                    "column_default", expected.name, column.name, _default(column), _default(found)
                )
            )
    out.extend(Difference("extra_column", expected.name, name) for name in live_columns)
    return out


Aliases = Mapping[str, str]
"""Expected name (casefolded) -> the name the C# original gave the same object."""


def _same_shape(a: LiveIndex, b: LiveIndex) -> bool:
    return (tuple(a.columns), a.unique, a.predicate) == (tuple(b.columns), b.unique, b.predicate)


def _compare_keys(
    expected: LiveTable,
    kind: str,
    wanted: Sequence[LiveIndex],
    found: Sequence[LiveIndex],
    aliases: Aliases,
    verbatim: list[str],
) -> list[Difference]:
    out = []
    remaining = _by_name(found)
    by_columns = {tuple(i.columns): i for i in found}
    kept: list[LiveIndex] = []
    for item in wanted:
        match = remaining.pop(item.name.casefold(), None)
        if match is None:
            alias = aliases.get(item.name.casefold())
            candidate = remaining.get(alias.casefold()) if alias else None
            if candidate is not None and _same_shape(candidate, item):
                match = remaining.pop(candidate.name.casefold())
                verbatim.append(candidate.name)
        if match is None and kind == "constraint":
            # Some engines name constraint indexes themselves (SQLite): match by columns.
            match = by_columns.get(tuple(item.columns))
            if match is not None:
                remaining.pop(match.name.casefold(), None)
        if match is None:
            out.append(Difference(f"missing_{kind}", expected.name, item.name))
            continue
        kept.append(match)
        if tuple(match.columns) != tuple(item.columns):
            out.append(
                Difference(
                    f"{kind}_columns",
                    expected.name,
                    item.name,
                    _columns(item.columns),
                    _columns(match.columns),
                )
            )
        if kind == "index" and match.unique != item.unique:
            out.append(
                Difference(
                    "index_unique",
                    expected.name,
                    item.name,
                    "unique" if item.unique else "not unique",
                    "unique" if match.unique else "not unique",
                )
            )
        if kind == "index" and match.predicate != item.predicate:
            out.append(
                Difference(
                    "index_predicate",
                    expected.name,
                    item.name,
                    item.predicate_sql or "none",
                    match.predicate_sql or "none",
                )
            )
    for extra in sorted(remaining.values(), key=lambda i: i.name):
        twin = next((k for k in kept if _same_shape(k, extra)), None) if kind == "index" else None
        if twin is None:
            out.append(Difference(f"extra_{kind}", expected.name, extra.name))
            kept.append(extra)  # a later extra of the same shape duplicates this one
        else:
            out.append(Difference("duplicate_index", expected.name, extra.name, twin.name))
    return out


def _compare_foreign_keys(expected: LiveTable, live: LiveTable) -> list[Difference]:
    out = []
    remaining: dict[str, LiveForeignKey] = {f.name.casefold(): f for f in live.foreign_keys}
    for key in expected.foreign_keys:
        match = remaining.pop(key.name.casefold(), None)
        if match is None:
            # An engine that keeps no name (a table made by hand in SQLite): match by shape.
            match = next((f for f in remaining.values() if f.same_shape(key)), None)
            if match is not None:
                del remaining[match.name.casefold()]
        if match is None:
            out.append(Difference("missing_foreign_key", expected.name, key.name))
        elif not match.same_shape(key):
            out.append(
                Difference(
                    "foreign_key_definition",
                    expected.name,
                    key.name,
                    key.describe(),
                    match.describe(),
                )
            )
    out.extend(
        Difference("extra_foreign_key", expected.name, f.name)
        for f in sorted(remaining.values(), key=lambda f: f.name)
    )
    return out


def _compare_checks(expected: LiveTable, live: LiveTable) -> list[Difference]:
    out = []
    remaining: dict[str, LiveCheck] = {c.name.casefold(): c for c in live.checks}
    for check in expected.checks:
        match = remaining.pop(check.name.casefold(), None)
        if match is None:
            out.append(Difference("missing_check", expected.name, check.name))
        elif match.predicate != check.predicate:
            out.append(
                Difference(
                    "check_predicate",
                    expected.name,
                    check.name,
                    check.predicate_sql,
                    match.predicate_sql,
                )
            )
    out.extend(
        Difference("extra_check", expected.name, c.name)
        for c in sorted(remaining.values(), key=lambda c: c.name)
    )
    return out


def _compare_table(
    expected: LiveTable, live: LiveTable, aliases: Aliases, verbatim: list[str]
) -> list[Difference]:
    out = _compare_columns(expected, live)
    if tuple(live.primary_key) != tuple(expected.primary_key):
        out.append(
            Difference(
                "primary_key",
                expected.name,
                None,
                _columns(expected.primary_key),
                _columns(live.primary_key),
            )
        )
    out.extend(
        _compare_keys(
            expected,
            "constraint",
            expected.unique_constraints,
            live.unique_constraints,
            aliases,
            verbatim,
        )
    )
    out.extend(_compare_keys(expected, "index", expected.indexes, live.indexes, aliases, verbatim))
    if expected.foreign_keys or live.foreign_keys:
        out.extend(_compare_foreign_keys(expected, live))
    if expected.checks or live.checks:
        out.extend(_compare_checks(expected, live))
    return out


def diff_tables(
    expected: Sequence[LiveTable],
    live: Sequence[LiveTable],
    *,
    verbatim_names: Mapping[str, Aliases] | None = None,
) -> SchemaDiff:
    """Compare expected tables (from definitions) with live ones (from a catalog).

    ``verbatim_names`` maps a table name (casefolded) to its index and constraint aliases:
    expected name (casefolded) -> the unprefixed name the C# original used.
    """
    remaining = {t.name.casefold(): t for t in live}
    aliases_of = verbatim_names or {}
    verbatim: list[str] = []
    out: list[Difference] = []
    for table in expected:
        found = remaining.pop(table.name.casefold(), None)
        if found is None:
            out.append(Difference("missing_table", table.name))
        else:
            aliases = aliases_of.get(table.name.casefold(), {})
            out.extend(_compare_table(table, found, aliases, verbatim))
    out.extend(
        Difference("extra_table", name) for name in sorted(t.name for t in remaining.values())
    )
    return SchemaDiff(tuple(out), tuple(verbatim))
