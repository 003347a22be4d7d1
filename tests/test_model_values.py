"""Definitions are values: structural equality and hashing, tuples, immutability."""

from __future__ import annotations

import attrs
import pytest

from whizbang_schema import (
    BooleanDefault,
    ColumnDefinition,
    DefaultValue,
    DefaultValueFunction,
    FunctionDefault,
    IndexDefinition,
    IntegerDefault,
    NullDefault,
    SchemaConfiguration,
    StringDefault,
    TableDefinition,
    UniqueConstraintDefinition,
    WhizbangDataType,
)
from whizbang_schema.tables import ALL_TABLES, OUTBOX

T = WhizbangDataType


def build(columns_as: type = list) -> TableDefinition:
    return TableDefinition(
        "t",
        columns_as(
            [
                ColumnDefinition("id", T.UUID, primary_key=True),
                ColumnDefinition("n", T.INTEGER, default=DefaultValue.integer(3)),
            ]
        ),
        indexes=columns_as([IndexDefinition("i", columns_as(["n"]), where="n > 1")]),
        unique_constraints=columns_as([UniqueConstraintDefinition("u", columns_as(["n"]))]),
    )


def test_separately_built_equal_definitions_are_equal_and_hash_equal() -> None:
    a, b = build(list), build(tuple)
    assert a is not b
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1


def test_collections_become_tuples() -> None:
    table = build(list)
    assert isinstance(table.columns, tuple)
    assert isinstance(table.indexes, tuple)
    assert isinstance(table.unique_constraints, tuple)
    assert isinstance(table.indexes[0].columns, tuple)
    assert isinstance(table.unique_constraints[0].columns, tuple)
    assert isinstance(SchemaConfiguration(tables=list(ALL_TABLES)).tables, tuple)


def test_collections_from_generators_become_tuples() -> None:
    index = IndexDefinition("i", (c for c in ["a", "b"]))
    assert index.columns == ("a", "b")


def test_a_list_passed_in_and_changed_later_does_not_change_the_definition() -> None:
    names = ["n"]
    index = IndexDefinition("i", names)
    names.append("x")
    assert index.columns == ("n",)


def test_different_definitions_are_not_equal() -> None:
    base = ColumnDefinition("c", T.INTEGER)
    assert base != ColumnDefinition("c", T.BIG_INT)
    assert base != ColumnDefinition("C", T.INTEGER)
    assert base != ColumnDefinition("c", T.INTEGER, nullable=False)
    assert base != ColumnDefinition("c", T.INTEGER, default=DefaultValue.integer(0))
    assert IndexDefinition("i", ["a"]) != IndexDefinition("i", ["a"], unique=True)
    assert IndexDefinition("i", ["a"]) != IndexDefinition("i", ["a"], where="a > 0")


@pytest.mark.parametrize(
    ("obj", "field"),
    [
        (ColumnDefinition("c", T.INTEGER), "name"),
        (IndexDefinition("i", ["a"]), "columns"),
        (UniqueConstraintDefinition("u", ["a"]), "name"),
        (OUTBOX, "columns"),
        (SchemaConfiguration(), "prefix"),
        (DefaultValue.integer(1), "value"),
    ],
)
def test_assigning_to_a_field_raises(obj: object, field: str) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(obj, field, "x")


def test_definitions_have_no_instance_dict() -> None:
    # slots: no stray attributes can be attached either
    with pytest.raises((AttributeError, attrs.exceptions.FrozenInstanceError)):
        ColumnDefinition("c", T.INTEGER).extra = 1  # type: ignore[attr-defined]


def test_each_default_kind_is_its_own_class() -> None:
    assert type(DefaultValue.integer(1)) is IntegerDefault
    assert type(DefaultValue.string("a")) is StringDefault
    assert type(DefaultValue.boolean(True)) is BooleanDefault
    assert type(DefaultValue.function(DefaultValueFunction.GUID_NEW)) is FunctionDefault
    assert type(DefaultValue.null()) is NullDefault
    # integer 1 and boolean True are different defaults, although 1 == True in Python
    assert DefaultValue.integer(1) != DefaultValue.boolean(True)
    assert DefaultValue.integer(0) != DefaultValue.string("0")


def test_null_is_always_the_same_object() -> None:
    assert DefaultValue.null() is DefaultValue.null()
    assert DefaultValue.null() == NullDefault()


def test_defaults_compare_by_value() -> None:
    assert DefaultValue.integer(5) == DefaultValue.integer(5)
    assert hash(DefaultValue.string("x")) == hash(DefaultValue.string("x"))
    assert DefaultValue.function(DefaultValueFunction.DATETIME_NOW) != DefaultValue.function(
        DefaultValueFunction.DATETIME_UTC_NOW
    )


def test_data_type_members_are_exactly_the_twelve() -> None:
    assert [m.name for m in WhizbangDataType] == [
        "UUID",
        "STRING",
        "TIMESTAMP_TZ",
        "JSON",
        "BIG_INT",
        "INTEGER",
        "SMALL_INT",
        "BOOLEAN",
        "DECIMAL",
        "DATE",
        "DOUBLE",
        "BYTES",
    ]
    assert [m.name for m in DefaultValueFunction] == [
        "DATETIME_NOW",
        "DATETIME_UTC_NOW",
        "GUID_NEW",
    ]


def test_composite_primary_key_is_every_key_column_in_order() -> None:
    table = TableDefinition(
        "t",
        [
            ColumnDefinition("b", T.UUID, primary_key=True),
            ColumnDefinition("x", T.INTEGER),
            ColumnDefinition("a", T.STRING, primary_key=True),
        ],
    )
    assert table.primary_key == ("b", "a")


def test_configuration_defaults_to_the_nine_tables() -> None:
    config = SchemaConfiguration()
    assert config.prefix == "wh_"
    assert config.schema is None
    assert config.get_all_tables() == ALL_TABLES
    assert SchemaConfiguration() == SchemaConfiguration()
    assert hash(SchemaConfiguration(dialect_options={"sqlite": {"uuid": "blob"}})) == hash(
        SchemaConfiguration(dialect_options={"sqlite": {"uuid": "blob"}})
    )
