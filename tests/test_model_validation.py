"""Every construction-time rule of the model: the failing case and the field the error names."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from whizbang_schema import (
    ColumnDefinition,
    DefaultValue,
    DefaultValueFunction,
    DefinitionError,
    IndexDefinition,
    SchemaConfiguration,
    SchemaError,
    TableDefinition,
    UniqueConstraintDefinition,
    WhizbangDataType,
)

T = WhizbangDataType
F = DefaultValueFunction
ID = ColumnDefinition("id", T.UUID, primary_key=True)
NAME = ColumnDefinition("name", T.STRING, max_length=10)


def col(name: str = "c", data_type: T = T.INTEGER, **kw: object) -> ColumnDefinition:
    return ColumnDefinition(name, data_type, **kw)  # type: ignore[arg-type]


def table(*columns: ColumnDefinition, **kw: object) -> TableDefinition:
    return TableDefinition("t", columns or (ID, NAME), **kw)  # type: ignore[arg-type]


# (id, builder, field, column the error names, table the error names, text in the message)
CASES: list[tuple[str, Callable[[], object], str, str | None, str | None, str]] = [
    # names
    ("empty column name", lambda: col(""), "name", "", None, "empty"),
    ("blank column name", lambda: col("   "), "name", "   ", None, "blank"),
    ("NUL in column name", lambda: col("a\x00b"), "name", "a\x00b", None, "NUL"),
    ("leading space", lambda: col(" a"), "name", " a", None, "white space"),
    ("trailing tab", lambda: col("a\t"), "name", "a\t", None, "white space"),
    ("non-str column name", lambda: col(5), "name", None, None, "must be a str"),  # type: ignore[arg-type]
    ("empty table name", lambda: TableDefinition("", [ID]), "name", None, "", "empty"),
    ("NUL table name", lambda: TableDefinition("t\x00", [ID]), "name", None, "t\x00", "NUL"),
    ("blank index name", lambda: IndexDefinition(" ", ["id"]), "name", None, None, "blank"),
    (
        "spaced constraint name",
        lambda: UniqueConstraintDefinition("u ", ["id"]),
        "name",
        None,
        None,
        "white space",
    ),
    # types and lengths
    ("data_type not enum", lambda: col("c", "INTEGER"), "data_type", "c", None, "WhizbangDataType"),  # type: ignore[arg-type]
    ("max_length on INTEGER", lambda: col(max_length=5), "max_length", "c", None, "only STRING"),
    (
        "max_length zero",
        lambda: col("s", T.STRING, max_length=0),
        "max_length",
        "s",
        None,
        "positive",
    ),
    (
        "max_length negative",
        lambda: col("s", T.STRING, max_length=-3),
        "max_length",
        "s",
        None,
        "positive",
    ),
    (
        "max_length bool",
        lambda: col("s", T.STRING, max_length=True),
        "max_length",
        "s",
        None,
        "positive",
    ),
    (
        "max_length float",
        lambda: col("s", T.STRING, max_length=5.0),
        "max_length",
        "s",
        None,
        "positive",
    ),  # type: ignore[arg-type]
    # flags
    ("nullable not bool", lambda: col(nullable=1), "nullable", "c", None, "True or False"),  # type: ignore[arg-type]
    ("unique not bool", lambda: col(unique="yes"), "unique", "c", None, "True or False"),  # type: ignore[arg-type]
    ("pk not bool", lambda: col(primary_key=1), "primary_key", "c", None, "True or False"),  # type: ignore[arg-type]
    (
        "nullable primary key",
        lambda: col("k", T.UUID, primary_key=True, nullable=True),
        "nullable",
        "k",
        None,
        "NOT NULL",
    ),
    # defaults that do not fit
    (
        "SMALL_INT too big",
        lambda: col(data_type=T.SMALL_INT, default=DefaultValue.integer(32768)),
        "default",
        "c",
        None,
        "out of range",
    ),
    (
        "SMALL_INT too small",
        lambda: col(data_type=T.SMALL_INT, default=DefaultValue.integer(-32769)),
        "default",
        "c",
        None,
        "out of range",
    ),
    (
        "INTEGER too big",
        lambda: col(default=DefaultValue.integer(2**31)),
        "default",
        "c",
        None,
        "out of range",
    ),
    (
        "INTEGER too small",
        lambda: col(default=DefaultValue.integer(-(2**31) - 1)),
        "default",
        "c",
        None,
        "out of range",
    ),
    (
        "BIG_INT too big",
        lambda: col(data_type=T.BIG_INT, default=DefaultValue.integer(2**63)),
        "default",
        "c",
        None,
        "out of range",
    ),
    (
        "BIG_INT too small",
        lambda: col(data_type=T.BIG_INT, default=DefaultValue.integer(-(2**63) - 1)),
        "default",
        "c",
        None,
        "out of range",
    ),
    (
        "integer 2 on BOOLEAN",
        lambda: col(data_type=T.BOOLEAN, default=DefaultValue.integer(2)),
        "default",
        "c",
        None,
        "0 (false) or 1 (true)",
    ),
    (
        "integer -1 on BOOLEAN",
        lambda: col(data_type=T.BOOLEAN, default=DefaultValue.integer(-1)),
        "default",
        "c",
        None,
        "0 (false) or 1 (true)",
    ),
    (
        "integer on STRING",
        lambda: col(data_type=T.STRING, default=DefaultValue.integer(1)),
        "default",
        "c",
        None,
        "does not fit a STRING",
    ),
    (
        "integer on UUID",
        lambda: col(data_type=T.UUID, default=DefaultValue.integer(1)),
        "default",
        "c",
        None,
        "does not fit a UUID",
    ),
    (
        "string on INTEGER",
        lambda: col(default=DefaultValue.string("1")),
        "default",
        "c",
        None,
        "does not fit a INTEGER",
    ),
    (
        "string on JSON",
        lambda: col(data_type=T.JSON, default=DefaultValue.string("{}")),
        "default",
        "c",
        None,
        "does not fit a JSON",
    ),
    (
        "string too long",
        lambda: col(data_type=T.STRING, max_length=3, default=DefaultValue.string("abcd")),
        "default",
        "c",
        None,
        "longer than max_length 3",
    ),
    (
        "boolean on INTEGER",
        lambda: col(default=DefaultValue.boolean(True)),
        "default",
        "c",
        None,
        "does not fit a INTEGER",
    ),
    (
        "NOW on STRING",
        lambda: col(data_type=T.STRING, default=DefaultValue.function(F.DATETIME_NOW)),
        "default",
        "c",
        None,
        "yields TIMESTAMP_TZ",
    ),
    (
        "UTC NOW on UUID",
        lambda: col(data_type=T.UUID, default=DefaultValue.function(F.DATETIME_UTC_NOW)),
        "default",
        "c",
        None,
        "yields TIMESTAMP_TZ",
    ),
    (
        "GUID on STRING",
        lambda: col(data_type=T.STRING, default=DefaultValue.function(F.GUID_NEW)),
        "default",
        "c",
        None,
        "yields UUID",
    ),
    (
        "GUID on TIMESTAMP",
        lambda: col(data_type=T.TIMESTAMP_TZ, default=DefaultValue.function(F.GUID_NEW)),
        "default",
        "c",
        None,
        "yields UUID",
    ),
    (
        "null on NOT NULL",
        lambda: col(nullable=False, default=DefaultValue.null()),
        "default",
        "c",
        None,
        "NOT NULL",
    ),
    (
        "null on key",
        lambda: col(primary_key=True, default=DefaultValue.null()),
        "default",
        "c",
        None,
        "NOT NULL",
    ),
    ("default not a DefaultValue", lambda: col(default=5), "default", "c", None, "DefaultValue"),  # type: ignore[arg-type]
    # the bool-is-an-int trap and other wrong value types
    (
        "integer(True)",
        lambda: DefaultValue.integer(True),
        "default",
        None,
        None,
        "use DefaultValue.boolean",
    ),
    ("integer(1.0)", lambda: DefaultValue.integer(1.0), "default", None, None, "needs an int"),  # type: ignore[arg-type]
    ("integer('1')", lambda: DefaultValue.integer("1"), "default", None, None, "needs an int"),  # type: ignore[arg-type]
    ("boolean(1)", lambda: DefaultValue.boolean(1), "default", None, None, "needs a bool"),  # type: ignore[arg-type]
    ("string(1)", lambda: DefaultValue.string(1), "default", None, None, "needs a str"),  # type: ignore[arg-type]
    ("string with NUL", lambda: DefaultValue.string("a\x00"), "default", None, None, "NUL"),
    (
        "function('now')",
        lambda: DefaultValue.function("now"),
        "default",
        None,
        None,
        "DefaultValueFunction",
    ),  # type: ignore[arg-type]
    # tables
    ("no columns", lambda: TableDefinition("t", []), "columns", None, "t", "at least one column"),
    ("columns as str", lambda: TableDefinition("t", "id"), "columns", None, "t", "list or tuple"),  # type: ignore[arg-type]
    (
        "column not a definition",
        lambda: TableDefinition("t", [ID, "x"]),
        "columns",
        None,
        "t",
        "expected ColumnDefinition",
    ),  # type: ignore[list-item]
    (
        "duplicate column",
        lambda: table(ID, col("a"), col("a")),
        "name",
        "a",
        "t",
        "duplicate column",
    ),
    (
        "duplicate column, other case",
        lambda: table(ID, col("Status"), col("status")),
        "name",
        "status",
        "t",
        "case-insensitively",
    ),
    # indexes and constraints
    (
        "index columns empty",
        lambda: IndexDefinition("i", []),
        "columns",
        None,
        None,
        "at least one column",
    ),
    (
        "index columns as str",
        lambda: IndexDefinition("i", "id"),
        "columns",
        None,
        None,
        "list or tuple",
    ),  # type: ignore[arg-type]
    (
        "index column twice",
        lambda: IndexDefinition("i", ["a", "a"]),
        "columns",
        None,
        None,
        "twice",
    ),
    (
        "index column twice, other case",
        lambda: IndexDefinition("i", ["a", "A"]),
        "columns",
        None,
        None,
        "twice",
    ),
    (
        "index column blank",
        lambda: IndexDefinition("i", ["a", " "]),
        "columns",
        None,
        None,
        "blank",
    ),
    (
        "index unique not bool",
        lambda: IndexDefinition("i", ["a"], unique=1),
        "unique",
        None,
        None,
        "True or False",
    ),  # type: ignore[arg-type]
    (
        "constraint columns empty",
        lambda: UniqueConstraintDefinition("u", ()),
        "columns",
        None,
        None,
        "at least one column",
    ),
    (
        "constraint column twice",
        lambda: UniqueConstraintDefinition("u", ["a", "a"]),
        "columns",
        None,
        None,
        "twice",
    ),
    (
        "index on missing column",
        lambda: table(indexes=[IndexDefinition("i", ["nope"])]),
        "indexes",
        None,
        "t",
        "missing column 'nope'",
    ),
    (
        "index on column in wrong case",
        lambda: table(indexes=[IndexDefinition("i", ["NAME"])]),
        "indexes",
        None,
        "t",
        "did you mean 'name'",
    ),
    (
        "constraint on missing column",
        lambda: table(unique_constraints=[UniqueConstraintDefinition("u", ["x"])]),
        "unique_constraints",
        None,
        "t",
        "missing column 'x'",
    ),
    (
        "duplicate index names",
        lambda: table(indexes=[IndexDefinition("i", ["id"]), IndexDefinition("I", ["name"])]),
        "indexes",
        None,
        "t",
        "already used",
    ),
    (
        "index and constraint share a name",
        lambda: table(
            indexes=[IndexDefinition("k", ["id"])],
            unique_constraints=[UniqueConstraintDefinition("k", ["name"])],
        ),
        "unique_constraints",
        None,
        "t",
        "already used",
    ),
    (
        "index not a definition",
        lambda: table(indexes=["i"]),
        "indexes",
        None,
        "t",
        "expected IndexDefinition",
    ),  # type: ignore[list-item]
    (
        "predicate names missing column",
        lambda: table(indexes=[IndexDefinition("i", ["id"], where="nope > 1")]),
        "indexes",
        None,
        "t",
        "nope",
    ),
    # predicates
    (
        "empty predicate",
        lambda: IndexDefinition("i", ["a"], where=""),
        "where",
        None,
        None,
        "empty",
    ),
    (
        "blank predicate",
        lambda: IndexDefinition("i", ["a"], where="  "),
        "where",
        None,
        None,
        "empty",
    ),
    (
        "statement separator",
        lambda: IndexDefinition("i", ["a"], where="a = 1; DROP TABLE t"),
        "where",
        None,
        None,
        "separator",
    ),
    (
        "line comment",
        lambda: IndexDefinition("i", ["a"], where="a = 1 -- x"),
        "where",
        None,
        None,
        "comment",
    ),
    (
        "block comment",
        lambda: IndexDefinition("i", ["a"], where="a = /* x */ 1"),
        "where",
        None,
        None,
        "comment",
    ),
    (
        "unclosed paren",
        lambda: IndexDefinition("i", ["a"], where="(a = 1"),
        "where",
        None,
        None,
        "unbalanced parentheses",
    ),
    (
        "extra close paren",
        lambda: IndexDefinition("i", ["a"], where="a = 1)"),
        "where",
        None,
        None,
        "unbalanced parentheses",
    ),
    (
        "unclosed string",
        lambda: IndexDefinition("i", ["a"], where="a = 'x"),
        "where",
        None,
        None,
        "unbalanced quote",
    ),
    (
        "unclosed quoted name",
        lambda: IndexDefinition("i", ["a"], where='"a = 1'),
        "where",
        None,
        None,
        "unbalanced quote",
    ),
    (
        "dangling operator",
        lambda: IndexDefinition("i", ["a"], where="a ="),
        "where",
        None,
        None,
        "expected a value",
    ),
    (
        "two values",
        lambda: IndexDefinition("i", ["a"], where="a 1"),
        "where",
        None,
        None,
        "expected AND, OR",
    ),
    (
        "placeholder",
        lambda: IndexDefinition("i", ["a"], where="a = ?"),
        "where",
        None,
        None,
        "unexpected character",
    ),
    (
        "subquery",
        lambda: IndexDefinition("i", ["a"], where="a IN (SELECT 1)"),
        "where",
        None,
        None,
        "not supported",
    ),
    (
        "predicate not str",
        lambda: IndexDefinition("i", ["a"], where=1),
        "where",
        None,
        None,
        "must be a str",
    ),  # type: ignore[arg-type]
    # configuration
    ("prefix with NUL", lambda: SchemaConfiguration(prefix="a\x00"), "prefix", None, None, "NUL"),
    ("prefix not str", lambda: SchemaConfiguration(prefix=3), "prefix", None, None, "str"),  # type: ignore[arg-type]
    ("blank schema", lambda: SchemaConfiguration(schema=" "), "schema", None, None, "blank"),
    (
        "two tables one name",
        lambda: SchemaConfiguration(tables=[table(), table()]),
        "tables",
        None,
        "t",
        "two tables",
    ),
    (
        "tables not definitions",
        lambda: SchemaConfiguration(tables=["outbox"]),
        "tables",
        None,
        None,
        "TableDefinition",
    ),  # type: ignore[list-item]
    (
        "verbatim not bool",
        lambda: SchemaConfiguration(verbatim_names="yes"),
        "verbatim_names",
        None,
        None,
        "True or False",
    ),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(
    ("build", "field", "column", "table_name", "text"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_invalid_definition_is_refused_naming_the_field(
    build: Callable[[], object], field: str, column: str | None, table_name: str | None, text: str
) -> None:
    with pytest.raises(DefinitionError) as caught:
        build()
    error = caught.value
    assert error.field == field
    assert error.column == column
    assert error.table == table_name
    assert text in str(error)
    assert f"field {field!r}" in str(error)
    if column is not None:
        assert f"column {column!r}" in str(error)
    if table_name is not None:
        assert f"table {table_name!r}" in str(error)
    assert isinstance(error, (SchemaError, ValueError))


def test_definition_error_is_a_value_error_and_a_schema_error() -> None:
    with pytest.raises(ValueError, match="out of range"):
        col(data_type=T.SMALL_INT, default=DefaultValue.integer(40000))
    assert issubclass(DefinitionError, SchemaError)


def test_key_column_without_nullable_is_not_null() -> None:
    assert ColumnDefinition("k", T.UUID, primary_key=True).nullable is False
    assert ColumnDefinition("k", T.UUID, primary_key=True, nullable=False).nullable is False
    assert ColumnDefinition("c", T.UUID).nullable is True


@pytest.mark.parametrize(
    ("data_type", "value"),
    [
        (T.SMALL_INT, -(2**15)),
        (T.SMALL_INT, 2**15 - 1),
        (T.INTEGER, -(2**31)),
        (T.INTEGER, 2**31 - 1),
        (T.BIG_INT, -(2**63)),
        (T.BIG_INT, 2**63 - 1),
        (T.BOOLEAN, 0),
        (T.BOOLEAN, 1),
    ],
)
def test_integer_defaults_at_the_edges_are_accepted(data_type: T, value: int) -> None:
    assert col(
        data_type=data_type, default=DefaultValue.integer(value)
    ).default == DefaultValue.integer(value)


def test_valid_defaults_of_every_kind_are_accepted() -> None:
    col(data_type=T.STRING, max_length=7, default=DefaultValue.string("Pending"))
    col(data_type=T.STRING, default=DefaultValue.string(""))
    col(data_type=T.BOOLEAN, default=DefaultValue.boolean(False))
    col(data_type=T.TIMESTAMP_TZ, default=DefaultValue.function(F.DATETIME_NOW))
    col(data_type=T.TIMESTAMP_TZ, default=DefaultValue.function(F.DATETIME_UTC_NOW))
    col(data_type=T.UUID, default=DefaultValue.function(F.GUID_NEW))
    col(data_type=T.JSON, default=DefaultValue.null())


def test_predicates_resolve_columns_as_sql_does() -> None:
    columns = (ID, col("Status"), col("order"))
    # bare names match case-insensitively, quoted names exactly
    table(*columns, indexes=[IndexDefinition("i", ["id"], where='STATUS = 1 AND "order" > 2')])
    with pytest.raises(DefinitionError, match='"status"'):
        table(*columns, indexes=[IndexDefinition("i", ["id"], where='"status" = 1')])


def test_predicate_grammar_accepts_the_portable_forms() -> None:
    for where in [
        "a IS NULL",
        "a IS NOT NULL AND b IS NOT NULL",
        "(a & 32768) = 0 AND (a & 2) != 2",
        "a IN (1, 2, 3)",
        "a NOT IN (1, -2)",
        "NOT (a = 1 OR b <> 2)",
        "a BETWEEN 1 AND 5",
        "b LIKE 'x%' ESCAPE '!'",
        "b = 'it''s'",
        "a >= 1.5e3",
        "lower(b) = 'x'",
        "a IS DISTINCT FROM 3",
        "~a | 4 = 7",
        "coalesce(a, 0) > 0",
    ]:
        table(ID, col("a"), col("b", T.STRING), indexes=[IndexDefinition("i", ["a"], where=where)])
