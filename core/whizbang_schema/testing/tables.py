"""The definitions the conformance kit renders and applies."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable
from typing import Final

from ..model.columntypes import MAX_DECIMAL_PRECISION, BytesType, DecimalType
from ..model.constraints import CheckDefinition, ForeignKeyAction, ForeignKeyDefinition
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
            "no_money", DecimalType(18, 2), nullable=False, default=DefaultValue.integer(0)
        ),
        ColumnDefinition(
            "owed", DecimalType(15, 2), nullable=False, default=DefaultValue.integer(-12345)
        ),
        ColumnDefinition(
            "big_money", DecimalType(21), nullable=False, default=DefaultValue.integer(10**20)
        ),
        ColumnDefinition(
            "a_rate", T.DOUBLE, nullable=False, default=DefaultValue.integer(-(2**53))
        ),
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

#: DECIMAL, DATE, DOUBLE and BYTES at their extremes, in keys too.
EXTREMES: Final = TableDefinition(
    "kit_extremes",
    [
        ColumnDefinition("id", T.INTEGER, primary_key=True),
        ColumnDefinition("a_decimal", DecimalType(MAX_DECIMAL_PRECISION, 10)),
        ColumnDefinition("a_money", DecimalType(15, 2)),
        ColumnDefinition("a_date", T.DATE),
        ColumnDefinition("a_double", T.DOUBLE),
        ColumnDefinition("some_bytes", T.BYTES),
        ColumnDefinition("few_bytes", BytesType(300), unique=True),
    ],
    indexes=[IndexDefinition("by_day", ["a_date", "a_money", "a_double"])],
)

#: A literal default on each of DECIMAL, DOUBLE, DATE and BYTES, at their edges (15 digits at
#: most in a DECIMAL: what SQLite's REAL keeps). The kit inserts a row without them and reads
#: the stored values back exactly; ``check`` must find no drift in how each engine prints them.
LITERALS: Final = TableDefinition(
    "kit_literals",
    [
        ColumnDefinition("id", T.INTEGER, primary_key=True),
        ColumnDefinition(
            "price", DecimalType(12, 3), nullable=False, default=DefaultValue.decimal("-12.345")
        ),
        ColumnDefinition(
            "balance", DecimalType(15, 2), nullable=False, default=DefaultValue.decimal("0.00")
        ),
        ColumnDefinition(
            "precise", DecimalType(15, 10), default=DefaultValue.decimal("-12345.6789012345")
        ),
        ColumnDefinition("ratio", T.DOUBLE, nullable=False, default=DefaultValue.double(0.1)),
        ColumnDefinition("tiny", T.DOUBLE, default=DefaultValue.double(-sys.float_info.min)),
        ColumnDefinition("huge", T.DOUBLE, default=DefaultValue.double(sys.float_info.max)),
        ColumnDefinition(
            "first_day", T.DATE, nullable=False, default=DefaultValue.date(dt.date(1, 1, 1))
        ),
        ColumnDefinition("last_day", T.DATE, default=DefaultValue.date(dt.date(9999, 12, 31))),
        ColumnDefinition("leap_day", T.DATE, default=DefaultValue.date(dt.date(2024, 2, 29))),
        ColumnDefinition(
            "every_byte",
            BytesType(256),
            nullable=False,
            default=DefaultValue.bytes(bytes(range(256))),
        ),
        ColumnDefinition("no_bytes", T.BYTES, default=DefaultValue.bytes(b"")),
        ColumnDefinition("two_bytes", T.BYTES, default=DefaultValue.bytes(b"\x00\xff")),
    ],
)

#: Infinite DOUBLE defaults: stored where the engine has infinities, refused elsewhere.
INFINITE_DEFAULTS: Final = TableDefinition(
    "kit_infinities",
    [
        ColumnDefinition("id", T.INTEGER, primary_key=True),
        ColumnDefinition("high", T.DOUBLE, default=DefaultValue.double(float("inf"))),
        ColumnDefinition("low", T.DOUBLE, default=DefaultValue.double(float("-inf"))),
    ],
)

KIT_TABLES: Final = (EVERY_TYPE, EVERY_DEFAULT, KEYS, AWKWARD, EXTREMES, LITERALS)

#: A table ``migrate`` grows by a column of each of DECIMAL, DATE, DOUBLE and BYTES and an
#: index over them (the kit applies it first with its key alone).
GROWN: Final = TableDefinition(
    "kit_grown",
    [
        ColumnDefinition("id", T.INTEGER, primary_key=True),
        ColumnDefinition("a_decimal", DecimalType(MAX_DECIMAL_PRECISION, 10)),
        ColumnDefinition("a_date", T.DATE),
        ColumnDefinition("a_double", T.DOUBLE),
        ColumnDefinition("some_bytes", T.BYTES),
        ColumnDefinition("few_bytes", BytesType(16)),
    ],
    indexes=[IndexDefinition("grown_by_day", ["a_date", "a_decimal", "few_bytes"])],
)

#: ``migrate`` adds a NOT NULL column with a literal default of each of DECIMAL, DATE, DOUBLE
#: and BYTES to a table that has rows: the engine must fill them with the default.
GROWN_DEFAULTS: Final = TableDefinition(
    "kit_grown_defaults",
    [
        ColumnDefinition("id", T.INTEGER, primary_key=True),
        ColumnDefinition(
            "price", DecimalType(12, 3), nullable=False, default=DefaultValue.decimal("-12.345")
        ),
        ColumnDefinition(
            "day", T.DATE, nullable=False, default=DefaultValue.date(dt.date(2024, 2, 29))
        ),
        ColumnDefinition("ratio", T.DOUBLE, nullable=False, default=DefaultValue.double(0.1)),
        ColumnDefinition(
            "tag", BytesType(16), nullable=False, default=DefaultValue.bytes(b"\x00\xff")
        ),
    ],
)

#: Foreign keys and CHECKs: children cascade with their parent, notes lose their child
#: (SET NULL). One cascade path from parent to note, so SQL Server takes it too.
PARENTS: Final = TableDefinition(
    "kit_parents",
    [
        ColumnDefinition("id", T.INTEGER, primary_key=True),
        ColumnDefinition("name", T.STRING, max_length=40, nullable=False),
    ],
    checks=[CheckDefinition("ck_kit_parents_name", "name <> ''")],
)
CHILDREN: Final = TableDefinition(
    "kit_children",
    [
        ColumnDefinition("id", T.INTEGER, primary_key=True),
        ColumnDefinition("parent_id", T.INTEGER, nullable=False),
        ColumnDefinition("qty", T.INTEGER, nullable=False),
    ],
    foreign_keys=[
        ForeignKeyDefinition(
            "fk_kit_children_parent",
            ["parent_id"],
            "kit_parents",
            ["id"],
            on_delete=ForeignKeyAction.CASCADE,
        )
    ],
    checks=[CheckDefinition("ck_kit_children_qty", "qty > 0 AND qty < 100")],
)
NOTES: Final = TableDefinition(
    "kit_notes",
    [ColumnDefinition("id", T.INTEGER, primary_key=True), ColumnDefinition("child_id", T.INTEGER)],
    foreign_keys=[
        ForeignKeyDefinition(
            "fk_kit_notes_child",
            ["child_id"],
            "kit_children",
            ["id"],
            on_delete=ForeignKeyAction.SET_NULL,
        )
    ],
)
#: Referencing tables first: dropped in this order, each goes before what it references.
RELATED: Final = (NOTES, CHILDREN, PARENTS)

#: The extremes of every integer type, and the values one past them.
RANGES: Final = TableDefinition(
    "kit_ranges",
    [
        ColumnDefinition("id", T.INTEGER, primary_key=True),
        ColumnDefinition("a_small_int", T.SMALL_INT),
        ColumnDefinition("an_integer", T.INTEGER),
        ColumnDefinition("a_big_int", T.BIG_INT),
    ],
)

#: Instants written and read under a session time zone other than UTC, and both "now"s.
ZONES: Final = TableDefinition(
    "kit_zones",
    [
        ColumnDefinition("id", T.INTEGER, primary_key=True),
        ColumnDefinition("at", T.TIMESTAMP_TZ),
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
    ],
)

#: Common SQL keywords used as column names beside the dialect's own reserved words: many are
#: reserved somewhere (the SQL standard, another engine, a later version of this one), and a
#: dialect whose list misses one must still quote it where its engine needs that.
COMMON_KEYWORDS: Final = (
    "add", "all", "alter", "analyze", "and", "any", "as", "asc", "authorization", "begin",
    "between", "both", "by", "cascade", "case", "cast", "check", "collate", "column", "comment",
    "commit", "constraint", "create", "cross", "current", "current_date", "current_time",
    "current_timestamp", "current_user", "cursor", "data", "database", "date", "day", "default",
    "delete", "desc", "distinct", "do", "drop", "else", "end", "except", "exists", "false",
    "fetch", "file", "for", "foreign", "from", "full", "function", "grant", "group", "having",
    "hour", "identity", "if", "in", "index", "inner", "insert", "intersect", "interval", "into",
    "is", "join", "key", "language", "left", "level", "like", "limit", "lock", "match", "merge",
    "minute", "month", "name", "natural", "not", "null", "number", "of", "offset", "on", "only",
    "option", "or", "order", "outer", "over", "partition", "password", "position", "primary",
    "procedure", "range", "rank", "read", "references", "returning", "right", "role", "row",
    "rowid", "rows", "schema", "second", "select", "session_user", "set", "size", "status",
    "system", "table", "text", "then", "time", "timestamp", "to", "top", "trigger", "true",
    "type", "union", "unique", "update", "user", "using", "value", "values", "view", "when",
    "where", "window", "with", "year", "zone",
)  # fmt: skip

_WORD_TYPES: Final = (T.INTEGER, T.STRING, T.BOOLEAN)


def _word_default(position: int, data_type: WhizbangDataType) -> DefaultValue | None:
    if position % 4 != 3:  # every fourth column takes its value from a default
        return None
    if data_type is T.STRING:
        return DefaultValue.string(f"d{position}'")
    if data_type is T.BOOLEAN:
        return DefaultValue.boolean(position % 2 == 0)
    return DefaultValue.integer(-position)


def keyword_tables(words: Iterable[str], *, per_table: int) -> tuple[TableDefinition, ...]:
    """Tables whose columns are named ``words`` (sorted), ``per_table`` columns at most each.

    Columns cycle through INTEGER, STRING and BOOLEAN; the first of each table is its primary
    key, every fourth has a default, and each table has an index on its second and third.
    """
    ordered = sorted(set(words))
    chunks = [ordered[i : i + per_table] for i in range(0, len(ordered), per_table)]
    return tuple(
        TableDefinition(
            f"kit_words_{number}",
            [
                ColumnDefinition(
                    word,
                    _WORD_TYPES[position % 3],
                    max_length=40 if _WORD_TYPES[position % 3] is T.STRING else None,
                    primary_key=position == 0,
                    nullable=position != 0,
                    default=_word_default(position, _WORD_TYPES[position % 3]),
                )
                for position, word in enumerate(chunk)
            ],
            indexes=[IndexDefinition(f"idx_kit_words_{number}", chunk[1:3])]
            if len(chunk) > 2
            else [],
        )
        for number, chunk in enumerate(chunks, start=1)
    )


def keyword_row(table: TableDefinition) -> dict[str, object]:
    """The values written to a keyword table: every column without a default."""
    row: dict[str, object] = {}
    for position, column in enumerate(table.columns):
        if column.default is not None:
            continue
        if column.data_type is T.STRING:
            row[column.name] = f"{column.name}'s"
        elif column.data_type is T.BOOLEAN:
            row[column.name] = position % 2 == 1
        else:
            row[column.name] = position
    return row
