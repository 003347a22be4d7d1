"""The definitions the conformance kit renders and applies."""

from __future__ import annotations

from typing import Final

from ..model.datatypes import DefaultValueFunction, WhizbangDataType
from ..model.defaults import DefaultValue
from ..model.definitions import (
    ColumnDefinition,
    IndexDefinition,
    TableDefinition,
    UniqueConstraintDefinition,
)

T = WhizbangDataType
_F = DefaultValueFunction

#: One nullable column of every type (and both kinds of string).
EVERY_TYPE: Final = TableDefinition(
    "kit_types",
    [
        ColumnDefinition("id", T.INTEGER, primary_key=True),
        ColumnDefinition("a_uuid", T.UUID),
        ColumnDefinition("a_short_string", T.STRING, max_length=40),
        ColumnDefinition("a_string", T.STRING),
        ColumnDefinition("a_timestamp", T.TIMESTAMP_TZ),
        ColumnDefinition("a_json", T.JSON),
        ColumnDefinition("a_big_int", T.BIG_INT),
        ColumnDefinition("an_integer", T.INTEGER),
        ColumnDefinition("a_small_int", T.SMALL_INT),
        ColumnDefinition("a_boolean", T.BOOLEAN),
    ],
)

#: Every default kind, with the values at the edges of each integer type.
TRICKY_STRING: Final = 'it\'s a \\ back\\slash, "quoted", žluťoučký 🐍'
EVERY_DEFAULT: Final = TableDefinition(
    "kit_defaults",
    [
        ColumnDefinition("id", T.INTEGER, primary_key=True),
        ColumnDefinition(
            "small_min", T.SMALL_INT, nullable=False, default=DefaultValue.integer(-(2**15))
        ),
        ColumnDefinition(
            "small_max", T.SMALL_INT, nullable=False, default=DefaultValue.integer(2**15 - 1)
        ),
        ColumnDefinition(
            "int_min", T.INTEGER, nullable=False, default=DefaultValue.integer(-(2**31))
        ),
        ColumnDefinition(
            "int_max", T.INTEGER, nullable=False, default=DefaultValue.integer(2**31 - 1)
        ),
        ColumnDefinition(
            "big_min", T.BIG_INT, nullable=False, default=DefaultValue.integer(-(2**63))
        ),
        ColumnDefinition(
            "big_max", T.BIG_INT, nullable=False, default=DefaultValue.integer(2**63 - 1)
        ),
        ColumnDefinition("flag_from_0", T.BOOLEAN, nullable=False, default=DefaultValue.integer(0)),
        ColumnDefinition("flag_from_1", T.BOOLEAN, nullable=False, default=DefaultValue.integer(1)),
        ColumnDefinition(
            "flag_true", T.BOOLEAN, nullable=False, default=DefaultValue.boolean(True)
        ),
        ColumnDefinition(
            "flag_false", T.BOOLEAN, nullable=False, default=DefaultValue.boolean(False)
        ),
        ColumnDefinition(
            "word", T.STRING, max_length=20, nullable=False, default=DefaultValue.string("Pending")
        ),
        ColumnDefinition(
            "empty", T.STRING, max_length=20, nullable=False, default=DefaultValue.string("")
        ),
        ColumnDefinition(
            "tricky", T.STRING, nullable=False, default=DefaultValue.string(TRICKY_STRING)
        ),
        ColumnDefinition("nothing", T.JSON, default=DefaultValue.null()),
        ColumnDefinition(
            "made_at",
            T.TIMESTAMP_TZ,
            nullable=False,
            default=DefaultValue.function(_F.DATETIME_NOW),
        ),
        ColumnDefinition(
            "made_at_utc",
            T.TIMESTAMP_TZ,
            nullable=False,
            default=DefaultValue.function(_F.DATETIME_UTC_NOW),
        ),
        ColumnDefinition(
            "new_id", T.UUID, nullable=False, default=DefaultValue.function(_F.GUID_NEW)
        ),
    ],
)

#: A composite key, a unique nullable column, a unique constraint and indexes.
KEYS: Final = TableDefinition(
    "kit_keys",
    [
        ColumnDefinition("tenant", T.INTEGER, primary_key=True),
        ColumnDefinition("code", T.STRING, primary_key=True),
        ColumnDefinition("email", T.STRING, max_length=100, unique=True),
        ColumnDefinition("a", T.INTEGER),
        ColumnDefinition("b", T.INTEGER),
        ColumnDefinition("state", T.SMALL_INT, nullable=False, default=DefaultValue.integer(0)),
    ],
    indexes=[
        IndexDefinition("idx_kit_keys_state", ["state", "a"]),
        IndexDefinition("idx_kit_keys_live", ["b"], where="b IS NOT NULL"),
    ],
    unique_constraints=[UniqueConstraintDefinition("uq_kit_keys_ab", ["a", "b"])],
)

#: Names that need quoting in every engine: reserved words, spaces, quotes, case, non-ASCII.
AWKWARD: Final = TableDefinition(
    "Order Items",
    [
        ColumnDefinition("select", T.INTEGER, primary_key=True),
        ColumnDefinition("Mixed Case", T.STRING, max_length=30),
        ColumnDefinition('quote"d', T.INTEGER, default=DefaultValue.integer(1)),
        ColumnDefinition("back`tick", T.INTEGER),
        ColumnDefinition("brack]et", T.INTEGER),
        ColumnDefinition("naïve", T.BOOLEAN, nullable=False, default=DefaultValue.boolean(True)),
        ColumnDefinition("user", T.STRING, max_length=30, unique=True),
    ],
    indexes=[IndexDefinition("Order", ["Mixed Case", "select"])],
)

KIT_TABLES: Final = (EVERY_TYPE, EVERY_DEFAULT, KEYS, AWKWARD)
