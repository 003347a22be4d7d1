"""The shortcuts a new table's render takes answer exactly what the long way does.

Rendering a table no cache has seen skips calls where the answer is known to be the same
(issue 12's benchmark): the context quotes a plain name itself when the ``quote_identifier``
decision is the generic one, ``Statement`` sets its slots directly, the SQL Server key budget
is computed once per table without its cache, and SQL Server splits a predicate into conjuncts
once per predicate. Each is held here to the slow path's answer, errors included. No timing
here; see ``benchmarks/``.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from whizbang_schema import (
    ColumnDefinition,
    Dialect,
    IdentifierError,
    IndexDefinition,
    KeyLimits,
    Predicate,
    SchemaConfiguration,
    Statement,
    StatementKind,
    TableDefinition,
    UnsupportedFeatureError,
    WhizbangDataType,
    fit_key_strings,
    get_dialect,
    key_string_lengths,
    table_keys,
)
from whizbang_schema.tables import ALL_TABLES
from whizbang_schema_sqlserver import filters
from whizbang_schema_sqlserver.keys import LIMITS

T = WhizbangDataType

NAMES = [
    "plain",
    "with_digits_9",
    "_lead",
    "_1",
    "Upper",
    "MiXed",
    "9lead",
    "dollar$",
    "space d",
    "dash-ed",
    "café",
    "\u0131",  # lower-case dotless i: lower() keeps it, but it is not ASCII
    "select",
    "SELECT",
    "order",
    "a'b",
    'a"b',
    "a]b",
]


@pytest.mark.parametrize("dialect_name", ["postgres", "sqlite", "sqlserver", "mysql"])
def test_quoting_without_the_call_answers_as_the_generic_decision(dialect_name: str) -> None:
    dialect = get_dialect(dialect_name)
    context = dialect.context(SchemaConfiguration(tables=()))
    for name in NAMES:
        slow = context.decisions.quote_identifier(name, context)
        assert context.quote(name) == slow, name
        assert context.needs_quoting(name) == (slow != name), name


@pytest.mark.parametrize(("dialect_name", "limit"), [("postgres", 63), ("sqlserver", 128)])
def test_quoting_without_the_call_still_checks_the_length(dialect_name: str, limit: int) -> None:
    context = get_dialect(dialect_name).context(SchemaConfiguration(tables=()))
    assert context.quote("a" * limit) == "a" * limit
    with pytest.raises(IdentifierError):
        context.quote("b" * (limit + 1))


def test_an_overridden_quote_identifier_is_asked_for_every_new_name() -> None:
    asked: list[str] = []

    class Shouting(type(get_dialect("postgres"))):  # type: ignore[misc]
        def quote_identifier(self, name: str, context: Any) -> str:
            asked.append(name)
            return f'"{name.upper()}"'

    context = Shouting().context(SchemaConfiguration(tables=()))
    assert context.quote("plain") == '"PLAIN"'
    assert asked == ["plain"]


def test_the_generic_quote_identifier_is_recognised_only_unchanged() -> None:
    postgres = get_dialect("postgres")
    context = postgres.context(SchemaConfiguration(tables=()))
    assert context._generic_quoting  # PostgreSQL keeps the generic decision
    assert type(postgres).quote_identifier is Dialect.quote_identifier


def test_a_statement_is_built_as_attrs_would() -> None:
    statement = Statement(
        StatementKind.CREATE_INDEX, "ix", "CREATE INDEX ix", "t", "s", ["a note"], ["locks"]
    )
    assert statement.notes == ("a note",)
    assert statement.hazards == ("locks",)
    assert (statement.concurrent, statement.check) == (False, False)
    assert statement == Statement(
        kind=StatementKind.CREATE_INDEX,
        name="ix",
        sql="CREATE INDEX ix",
        table="t",
        schema="s",
        notes=("a note",),
        hazards=("locks",),
    )
    changed = attrs.evolve(statement, sql="CREATE INDEX ix2", concurrent=True)
    assert (changed.sql, changed.concurrent, changed.notes) == (
        "CREATE INDEX ix2",
        True,
        ("a note",),
    )
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        statement.sql = "x"  # type: ignore[misc]


def _key_table(**changes: Any) -> TableDefinition:
    columns = [
        ColumnDefinition("id", T.UUID, primary_key=True),
        ColumnDefinition("code", T.STRING, unique=True),
        ColumnDefinition("label", T.STRING, max_length=300),
        ColumnDefinition("body", T.JSON, nullable=True),
    ]
    return TableDefinition(
        changes.get("name", "k"),
        changes.get("columns", columns),
        indexes=changes.get("indexes", [IndexDefinition("ix_label_code", ["label", "code"])]),
    )


@pytest.mark.parametrize("table", [*ALL_TABLES, _key_table()], ids=lambda t: t.name)
def test_the_uncached_key_budget_answers_as_the_cached_one(table: TableDefinition) -> None:
    key_string_lengths.cache_clear()
    assert fit_key_strings(table, LIMITS) == key_string_lengths(table, LIMITS)


@pytest.mark.parametrize(
    ("index", "message"),
    [
        (IndexDefinition("ix_body", ["body"]), "index 'ix_body' cannot be an index key"),
        (
            IndexDefinition("ix_wide", ["label", "code", "id"]),
            None,  # fits: the unbounded string gets the room that is left
        ),
    ],
)
def test_the_key_budget_describes_the_key_it_refuses(
    index: IndexDefinition, message: str | None
) -> None:
    table = _key_table(indexes=[index])
    if message is None:
        assert fit_key_strings(table, LIMITS) == key_string_lengths(table, LIMITS)
        return
    with pytest.raises(UnsupportedFeatureError, match=message):
        fit_key_strings(table, LIMITS)
    with pytest.raises(UnsupportedFeatureError, match=message):
        key_string_lengths(table, LIMITS)


def test_table_keys_still_describes_every_key() -> None:
    table = _key_table()
    assert table_keys(table) == [
        ("the primary key", ("id",), True),
        ("unique column 'code'", ("code",), False),
        ("index 'ix_label_code'", ("label", "code"), False),
    ]


def test_key_widths_by_kind_and_by_type_agree() -> None:
    limits = KeyLimits(
        dialect="x",
        unbounded_type="TEXT",
        primary_key_bytes=900,
        key_bytes=1700,
        bytes_per_char=2,
        default_string_length=450,
        max_key_string=4000,
        widths={T.UUID: 16, T.INTEGER: 4},
    )
    assert limits.width(T.UUID) == 16
    assert limits.width(ColumnDefinition("i", T.INTEGER).type) == 4
    assert limits.width(T.JSON) is None
    assert limits.widths_by_kind() == {T.UUID: 16, T.INTEGER: 4}


PREDICATES = [
    "a IS NOT NULL",
    "a IS NULL AND b = 3",
    "b IN (1, 2, -3) AND a IS NOT NULL",
    "b > 3000000000",
    "flag = TRUE AND a <> 'x'",
    "(b & 2) = 0",
    "b = 1 OR b = 2",
    "b + 1 = 3",
    "b = 1.5",
    "a IS NOT NULL AND b IS NOT NULL AND flag IS NULL",
]


@pytest.mark.parametrize("text", PREDICATES)
def test_one_pass_over_the_conjuncts_answers_as_the_three_checks(text: str) -> None:
    columns = [
        ColumnDefinition("a", T.STRING, nullable=True),
        ColumnDefinition("b", T.BIG_INT, nullable=True),
        ColumnDefinition("flag", T.BOOLEAN, nullable=True),
    ]
    table = TableDefinition("p", columns, indexes=[IndexDefinition("ix", ["a"], where=text)])
    predicate = Predicate.parse(text)
    problem, typed, covered = filters.analyse(predicate, table)
    assert problem == filters.filter_problem(predicate, table)
    if problem is None:
        assert typed == filters.typed_constants(predicate, table)
        assert covered == filters.not_null_columns(predicate, table)
    assert filters.analyse(predicate, table) == (problem, typed, covered)  # split kept


def test_postgres_refuses_a_system_column_added_to_a_table() -> None:
    dialect = get_dialect("postgres")
    table = TableDefinition("t", [ColumnDefinition("id", T.INTEGER, primary_key=True)])
    context = dialect.context(SchemaConfiguration(tables=(table,)))
    with pytest.raises(IdentifierError, match="system column") as raised:
        context.render_add_column(table, ColumnDefinition("xmin", T.INTEGER, nullable=True))
    assert raised.value.column == "xmin"
