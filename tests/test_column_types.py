"""A column's type is a value: built either way, compared, copied and read back as one."""

from __future__ import annotations

import copy
import pickle

import attrs
import pytest

from whizbang_schema import (
    ColumnDefinition,
    DefinitionError,
    KeyLimits,
    LiveColumn,
    SimpleType,
    StringType,
    as_column_type,
    column_type,
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
    with pytest.raises(DefinitionError, match="only STRING columns take a max_length") as info:
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
