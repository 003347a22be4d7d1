"""A column's type is a value: built either way, compared, copied and read back as one."""

from __future__ import annotations

import copy
import pickle
import warnings

import attrs
import pytest

from whizbang_schema import (
    BytesType,
    ColumnDefinition,
    ColumnType,
    DecimalType,
    DefaultValue,
    DefinitionError,
    DegradedRenderWarning,
    IndexDefinition,
    KeyLimits,
    LiveColumn,
    SchemaConfiguration,
    SimpleType,
    StringType,
    TableDefinition,
    as_column_type,
    column_type,
    get_dialect,
    key_string_lengths,
    parse_literal_default,
)
from whizbang_schema import (
    WhizbangDataType as T,
)


def test_the_01_spelling_and_the_type_value_make_equal_columns() -> None:
    old = ColumnDefinition("q", T.STRING, max_length=100, nullable=False)
    new = ColumnDefinition("q", StringType(100), nullable=False)
    assert old == new and hash(old) == hash(new)
    assert new.type == StringType(100) and new.type.kind is T.STRING
    assert (new.data_type, new.max_length) == (T.STRING, 100)
    assert ColumnDefinition("id", T.UUID).type is column_type(T.UUID) == SimpleType(T.UUID)
    assert ColumnDefinition("q", T.STRING) != old


def test_a_parameter_is_part_of_the_type_and_refused_where_it_does_not_belong() -> None:
    with pytest.raises(
        DefinitionError, match="only STRING and BYTES columns take a max_length"
    ) as info:
        ColumnDefinition("n", T.INTEGER, max_length=3)
    assert (info.value.column, info.value.field) == ("n", "max_length")
    with pytest.raises(DefinitionError, match="part of the type value"):
        ColumnDefinition("q", StringType(3), max_length=4)
    with pytest.raises(DefinitionError, match="positive int"):
        StringType(0)
    with pytest.raises(DefinitionError, match="StringType"):
        SimpleType(T.STRING)
    with pytest.raises(DefinitionError, match="needs a type"):
        ColumnDefinition("q")


def test_copies_pickles_and_evolve_keep_the_type() -> None:
    column = ColumnDefinition("q", StringType(40), unique=True)
    for same in (copy.copy(column), copy.deepcopy(column), pickle.loads(pickle.dumps(column))):
        assert same == column and same.max_length == 40 and same.data_type is T.STRING
    assert attrs.evolve(column, nullable=False).type == StringType(40)
    assert attrs.evolve(column, max_length=80).type == StringType(80)
    assert attrs.evolve(column, data_type=T.INTEGER).type == SimpleType(T.INTEGER)
    assert attrs.evolve(column, type=StringType()).max_length is None


def test_a_01_parse_type_answer_reads_as_the_type_it_means() -> None:
    assert as_column_type((T.STRING, 30)) == StringType(30)
    assert as_column_type((T.JSON, None)) == SimpleType(T.JSON)
    assert as_column_type(None) is None
    with pytest.raises(TypeError):
        as_column_type("TEXT")


def test_a_live_column_derives_kind_and_length_from_its_type() -> None:
    live = LiveColumn("q", "varchar(9)", StringType(9), True)
    assert (live.data_type, live.max_length) == (T.STRING, 9)
    unknown = LiveColumn("g", "geometry", None, True)
    assert (unknown.data_type, unknown.max_length) == (None, None)
    assert str(StringType(9)) == "STRING(9)" and str(SimpleType(T.UUID)) == "UUID"


def test_a_key_width_may_depend_on_the_type_value() -> None:
    def half_length(value: object) -> int | None:
        return None if value.max_length is None else value.max_length // 2  # type: ignore[attr-defined]

    limits = KeyLimits("d", "BLOB", 900, 1700, 2, 450, 4000, {T.UUID: 16, T.STRING: half_length})
    assert limits.width(SimpleType(T.UUID)) == limits.width(T.UUID) == 16
    assert limits.width(StringType(10)) == 5
    assert limits.width(StringType()) is None
    assert limits.width(T.STRING) is None  # the width needs the parameters
    assert limits.width(T.JSON) is None


NEW_TYPES = [
    *(DecimalType(38, 10), DecimalType(1), SimpleType(T.DATE), SimpleType(T.DOUBLE)),
    *(BytesType(), BytesType(16), BytesType(8000)),
]

#: What each engine's catalog prints for each of NEW_TYPES (information_schema, format_type,
#: sys.columns through the dialect's _type_text), and the type value it reads back as: the
#: engine's own storage, which the expected side (render, then parse) must equal.
CATALOG_SPELLINGS = {
    "postgres": [
        *("numeric(38,10)", "numeric(1,0)", "date", "double precision"),
        *("bytea", "bytea", "bytea"),
    ],
    "sqlite": ["REAL", "REAL", "TEXT", "REAL", "BLOB", "BLOB", "BLOB"],
    "mysql": [
        *("decimal(38,10)", "decimal(1,0)", "date", "double"),
        *("longblob", "varbinary(16)", "varbinary(8000)"),
    ],
}


@pytest.mark.parametrize("dialect", ["postgres", "sqlite", "sqlserver", "mysql"])
def test_each_new_type_reads_back_as_it_renders(dialect: str) -> None:
    subject = get_dialect(dialect)
    context = subject.context(SchemaConfiguration())
    for value in NEW_TYPES:
        table = TableDefinition("t", [ColumnDefinition("c", value)])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegradedRenderWarning)
            sql = context.render_type(table.columns[0], table)
        parsed = context.parse_type(sql)
        assert parsed is not None, (dialect, value, sql)
        if dialect != "sqlite":  # SQLite reads REAL, TEXT, BLOB back canonically (see dialect)
            assert parsed.kind is value.kind, (dialect, value, sql)
        spellings = CATALOG_SPELLINGS.get(dialect)
        if spellings is not None:
            assert context.parse_type(spellings[NEW_TYPES.index(value)]) == parsed, (value, sql)


def test_sql_server_reads_its_catalog_rows_as_the_types_it_renders() -> None:
    from whizbang_schema_sqlserver.catalog import _type_text, parse_type

    # (type name, max_length, precision, scale) as sys.columns holds them.
    rows = {
        ("decimal", 17, 38, 10): DecimalType(38, 10),
        ("decimal", 5, 1, 0): DecimalType(1),
        ("date", 3, 10, 0): SimpleType(T.DATE),
        ("float", 8, 53, 0): SimpleType(T.DOUBLE),
        ("varbinary", -1, 0, 0): BytesType(),
        ("varbinary", 16, 0, 0): BytesType(16),
        ("varbinary", 8000, 0, 0): BytesType(8000),
    }
    for row, value in rows.items():
        assert parse_type(_type_text(*row)) == value, row
    assert parse_type(_type_text("real", 4, 24, 0)) is None  # a 4-byte float is no DOUBLE


def test_a_decimal_key_leaves_the_string_the_bytes_its_precision_does_not_take() -> None:
    from whizbang_schema_sqlserver.keys import LIMITS

    def key(amount: DecimalType) -> TableDefinition:
        return TableDefinition(
            "k",
            [
                ColumnDefinition("name", T.STRING, primary_key=True),
                ColumnDefinition("amount", amount, primary_key=True),
            ],
        )

    # 900 bytes, 2 per character, less 5 / 9 / 13 / 17 bytes for the decimal.
    for precision, length in ((9, 447), (19, 445), (28, 443), (38, 441)):
        assert key_string_lengths(key(DecimalType(precision, 2)), LIMITS) == {"name": length}
    sql = get_dialect("sqlserver").render(key(DecimalType(38, 2)))
    assert "name NVARCHAR(441) NOT NULL" in sql and "amount DECIMAL(38,2) NOT NULL" in sql


def test_each_type_says_which_integer_defaults_it_holds_exactly() -> None:
    def column(value: ColumnType | T, default: int) -> ColumnDefinition:
        return ColumnDefinition("c", value, default=DefaultValue.integer(default))

    assert column(DecimalType(5, 2), 999).default == DefaultValue.integer(999)
    assert column(DecimalType(5, 2), -999).default is not None
    with pytest.raises(DefinitionError, match="more than the 3 digits"):
        column(DecimalType(5, 2), 1000)
    with pytest.raises(DefinitionError, match="more than the 0 digits"):
        column(DecimalType(2, 2), 1)
    assert column(T.DOUBLE, 2**53).default == DefaultValue.integer(2**53)
    with pytest.raises(DefinitionError, match="no 8-byte float"):
        column(T.DOUBLE, 2**53 + 1)
    with pytest.raises(DefinitionError, match="no 8-byte float"):
        column(T.DOUBLE, 10**400)
    for kind in (T.DATE, T.BYTES):
        with pytest.raises(DefinitionError, match="does not fit"):
            column(kind, 0)


def test_a_whole_number_default_reads_back_however_the_engine_prints_it() -> None:
    for sql, kind, value in (
        ("0.00", T.DECIMAL, 0),  # MariaDB, DEFAULT 0 on DECIMAL(18,2)
        ("-9.007199254740992e15", T.DOUBLE, -(2**53)),  # MariaDB, DEFAULT -2**53 on DOUBLE
        ("'1E+20'::numeric", T.DECIMAL, 10**20),
        ("((5.))", T.DOUBLE, 5),
    ):
        assert parse_literal_default(sql, kind) == DefaultValue.integer(value), sql
    # A fractional number is a DecimalDefault (tests/test_literal_defaults.py).
    assert parse_literal_default("0.5", T.DECIMAL) == DefaultValue.decimal("0.5")
    assert parse_literal_default("0.00", T.INTEGER) is None


def test_predicates_compare_new_types_with_constants_of_their_kind() -> None:
    columns = [
        ColumnDefinition("a", DecimalType(18, 2)),
        ColumnDefinition("d", T.DATE),
        ColumnDefinition("f", T.DOUBLE),
        ColumnDefinition("b", T.BYTES),
    ]
    for where in ("a > 10.5", "d >= '2024-02-29'", "f < -1e3", "b IS NULL"):
        TableDefinition("t", columns, indexes=[IndexDefinition("i", ["a"], where=where)])
    for where in ("a = '1'", "d > 20240229", "f = TRUE", "b = 'x'"):
        with pytest.raises(DefinitionError, match="engines read that differently"):
            TableDefinition("t", columns, indexes=[IndexDefinition("i", ["a"], where=where)])


def test_a_backfill_reads_as_a_value_of_the_new_types() -> None:
    import datetime as dt
    import decimal

    from whizbang_schema.live.plan import _backfill_value

    def value(column_type: ColumnType | T, text: str) -> object:
        return _backfill_value(ColumnDefinition("c", column_type), text)

    assert value(DecimalType(18, 2), "12.50") == decimal.Decimal("12.50")
    assert value(T.DOUBLE, "-1e3") == -1000.0
    assert value(T.DATE, "0001-01-01") == dt.date(1, 1, 1)
    assert value(T.BYTES, "00ff") == b"\x00\xff"
    for kind, text in ((DecimalType(5), "x"), (T.DATE, "2024-02-30"), (T.BYTES, "0g")):
        with pytest.raises(ValueError, match="backfill is"):
            value(kind, text)
