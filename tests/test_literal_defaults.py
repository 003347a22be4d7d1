"""DECIMAL, DOUBLE, DATE and BYTES literal defaults: what a definition accepts, and how each
engine's printed default reads back (the forms below were seen on PostgreSQL 15, MariaDB 10.11
and SQLite 3.40; SQL Server's are its documented ``((...))`` wrapping). The conformance kit
stores and reads them on the live engines."""

from __future__ import annotations

import datetime as dt
import decimal
import math

import pytest

from whizbang_schema import (
    BytesType,
    ColumnDefinition,
    DecimalType,
    DefaultValue,
    DefinitionError,
    SchemaConfiguration,
    TableDefinition,
    UnsupportedFeatureError,
    WhizbangDataType,
    get_dialect,
)
from whizbang_schema.render.expected import parse_literal_default
from whizbang_schema.testing import INFINITE_DEFAULTS

T = WhizbangDataType
D = DefaultValue


def column(column_type: object, default: DefaultValue) -> ColumnDefinition:
    return ColumnDefinition("c", column_type, default=default)  # type: ignore[arg-type]


def test_a_decimal_default_is_exact_and_fits_precision_and_scale() -> None:
    assert D.decimal("-12.345") == D.decimal(decimal.Decimal("-12.345"))
    assert str(D.decimal("0.00")) == "0.00"  # the scale the user wrote stays in the DDL
    assert column(DecimalType(2, 2), D.decimal("0.00")).default == D.decimal("0")
    assert column(DecimalType(5, 2), D.decimal("-999.99")).default is not None
    assert column(DecimalType(5, 2), D.decimal("1.50")).default is not None  # 1.5: fits
    with pytest.raises(DefinitionError, match="a float is not exact"):
        D.decimal(0.1)  # type: ignore[arg-type]
    with pytest.raises(DefinitionError, match="needs a number"):
        D.decimal("twelve")
    with pytest.raises(DefinitionError, match="must be a number"):
        D.decimal("NaN")
    with pytest.raises(DefinitionError, match=r"3 digits after the point.*would round"):
        column(DecimalType(5, 2), D.decimal("1.005"))
    with pytest.raises(DefinitionError, match="4 digits before the point, more than the 3"):
        column(DecimalType(5, 2), D.decimal("1000"))
    with pytest.raises(DefinitionError, match="column 'c', field 'default'"):
        column(T.DOUBLE, D.decimal("1.5"))  # a DOUBLE takes a float (or an integer)


def test_a_double_default_is_a_float_and_not_nan() -> None:
    assert column(T.DOUBLE, D.double(-0.5)).default == D.double(-0.5)
    assert column(T.DOUBLE, D.double(math.inf)).default is not None  # refused per dialect
    with pytest.raises(DefinitionError, match=r"use DefaultValue\.integer"):
        D.double(1)  # type: ignore[arg-type]
    with pytest.raises(DefinitionError, match="cannot be NaN"):
        D.double(math.nan)
    with pytest.raises(DefinitionError, match="does not fit a DECIMAL"):
        column(DecimalType(10, 2), D.double(0.5))


def test_a_date_default_is_a_date_and_a_bytes_default_is_bounded() -> None:
    assert column(T.DATE, D.date(dt.date(1, 1, 1))).default == D.date(dt.date.min)
    with pytest.raises(DefinitionError, match="not a datetime"):
        D.date(dt.datetime(2024, 1, 1))
    with pytest.raises(DefinitionError, match="does not fit a STRING"):
        column(T.STRING, D.date(dt.date(2024, 1, 1)))
    assert D.bytes(bytearray(b"\x00")) == D.bytes(b"\x00")
    assert column(BytesType(2), D.bytes(b"\x00\xff")).default is not None
    with pytest.raises(DefinitionError, match="3 bytes, longer than max_length 2"):
        column(BytesType(2), D.bytes(b"abc"))
    with pytest.raises(DefinitionError, match="at most 4000 bytes"):
        D.bytes(b"\x00" * 4001)
    with pytest.raises(DefinitionError, match="needs bytes"):
        D.bytes("00ff")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sql", "kind", "expected"),
    [
        ("'-12.345'::numeric", T.DECIMAL, D.decimal("-12.345")),  # PostgreSQL
        ("-12.3450", T.DECIMAL, D.decimal("-12.345")),  # MariaDB pads to the scale
        ("((-12.345))", T.DECIMAL, D.decimal("-12.345")),  # SQL Server
        ("0.1", T.DOUBLE, D.double(0.1)),
        ("'1" + "0" * 300 + "'::numeric", T.DOUBLE, D.double(1e300)),  # PostgreSQL: 1e+300
        ("1e300", T.DOUBLE, D.double(1e300)),  # MariaDB
        ("1.7976931348623157e308", T.DOUBLE, D.double(1.7976931348623157e308)),
        ("'-Infinity'::double precision", T.DOUBLE, D.double(-math.inf)),
        ("9e999", T.DOUBLE, D.double(math.inf)),  # SQLite
        ("'0001-01-01'::date", T.DATE, D.date(dt.date(1, 1, 1))),
        ("('9999-12-31')", T.DATE, D.date(dt.date(9999, 12, 31))),
        ("decode('00ff10'::text, 'hex'::text)", T.BYTES, D.bytes(b"\x00\xff\x10")),
        ("decode('', 'hex')", T.BYTES, D.bytes(b"")),
        ("X'00FF10'", T.BYTES, D.bytes(b"\x00\xff\x10")),  # SQLite
        ("unhex('00FF10')", T.BYTES, D.bytes(b"\x00\xff\x10")),  # the MySQL dialect's
        ("((0x00FF))", T.BYTES, D.bytes(b"\x00\xff")),  # SQL Server
        ("((0x))", T.BYTES, D.bytes(b"")),
        ("'\\x00ff'::bytea", T.BYTES, D.bytes(b"\x00\xff")),  # PostgreSQL, a hand-made default
    ],
)
def test_each_engine_s_printed_default_reads_back(
    sql: str, kind: WhizbangDataType, expected: DefaultValue
) -> None:
    assert parse_literal_default(sql, kind) == expected


def test_what_is_not_such_a_literal_stays_unread() -> None:
    # No such date: read as the text it is, which no DATE default equals (drift, not a guess).
    assert parse_literal_default("'2024-02-30'", T.DATE) == D.string("2024-02-30")
    assert parse_literal_default("X'0F0'", T.BYTES) is None  # an odd number of digits
    assert parse_literal_default("0.5", T.INTEGER) is None


@pytest.mark.parametrize(
    ("dialect", "spelled"),
    [
        ("postgres", ("-12.345", "0.1", "'0001-01-01'", "decode('00ff', 'hex')")),
        ("sqlite", ("-12.345", "0.1", "'0001-01-01'", "X'00FF'")),
        ("sqlserver", ("-12.345", "0.1", "'0001-01-01'", "0x00FF")),
        ("mysql", ("-12.345", "0.1", "'0001-01-01'", "(unhex('00FF'))")),
    ],
)
def test_each_dialect_spells_the_literals_and_reads_its_own_spelling_back(
    dialect: str, spelled: tuple[str, ...]
) -> None:
    defaults = (
        D.decimal("-12.345"),
        D.double(0.1),
        D.date(dt.date(1, 1, 1)),
        D.bytes(b"\x00\xff"),
    )
    types = (DecimalType(10, 3), T.DOUBLE, T.DATE, BytesType(8))
    table = TableDefinition(
        "t",
        [ColumnDefinition("id", T.INTEGER, primary_key=True)]
        + [
            ColumnDefinition(f"c{i}", kind, default=default)  # type: ignore[arg-type]
            for i, (kind, default) in enumerate(zip(types, defaults))
        ],
    )
    context = get_dialect(dialect).context(SchemaConfiguration(tables=[table]))
    columns = table.columns[1:]
    assert tuple(context.render_default(c, table) for c in columns) == spelled
    read = [context.parse_default(sql, c.data_type) for sql, c in zip(spelled, columns)]
    assert read == list(defaults)


@pytest.mark.parametrize("dialect", ["sqlserver", "mysql"])
def test_an_infinite_default_is_refused_where_the_engine_has_no_infinity(dialect: str) -> None:
    configuration = SchemaConfiguration(tables=[INFINITE_DEFAULTS])
    with pytest.raises(UnsupportedFeatureError, match="no literal for inf"):
        get_dialect(dialect).render(configuration)
