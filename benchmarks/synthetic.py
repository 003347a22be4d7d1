"""A deterministic synthetic schema: as many tables as asked, always the same ones.

A fixed seed drives :class:`random.Random`, so table ``i`` is the same on every run and every
machine. The tables mix every data type, nullability, defaults of every kind, single and
composite primary keys, unique columns and constraints, plain, unique and partial indexes
(predicates SQL Server can filter on, and a few it cannot), and reserved words as column names
(which must be quoted). Every table renders on all three built-in dialects.
"""

from __future__ import annotations

import random
from typing import Final

from whizbang_schema import (
    ColumnDefinition,
    DefaultValue,
    DefaultValueFunction,
    IndexDefinition,
    TableDefinition,
    UniqueConstraintDefinition,
)
from whizbang_schema import WhizbangDataType as T

SEED: Final = 20240607

_WORDS: Final = (
    "account amount balance code created_at customer deadline email flags group kind label "
    "note order owner payload priority quantity ref region score state status tenant total "
    "updated_at user value version weight"
).split()

_TYPES: Final = (
    (T.UUID, 3),
    (T.STRING, 5),
    (T.TIMESTAMP_TZ, 3),
    (T.JSON, 1),
    (T.BIG_INT, 2),
    (T.INTEGER, 4),
    (T.SMALL_INT, 1),
    (T.BOOLEAN, 2),
)
#: Types that may be key or index columns on every engine (JSON and unbounded strings may not
#: be SQL Server keys as written; bounded strings here stay within its 1,700-byte limit).
_KEYABLE: Final = frozenset({T.UUID, T.TIMESTAMP_TZ, T.BIG_INT, T.INTEGER, T.SMALL_INT, T.BOOLEAN})


def _column(rng: random.Random, name: str, *, key: bool) -> ColumnDefinition:
    if key:
        kind = rng.choice((T.UUID, T.BIG_INT, T.INTEGER, T.STRING))
        length = rng.choice((36, 64, 100)) if kind is T.STRING else None
        return ColumnDefinition(name, kind, max_length=length, primary_key=True)
    kind = rng.choices([t for t, _ in _TYPES], [w for _, w in _TYPES])[0]
    length = None
    if kind is T.STRING:
        length = rng.choice((None, 20, 100, 255, 500))
    nullable = rng.random() < 0.5
    default = None
    roll = rng.random()
    if roll < 0.45:
        if kind in (T.BIG_INT, T.INTEGER, T.SMALL_INT):
            default = DefaultValue.integer(rng.randint(-5, 1000))
        elif kind is T.BOOLEAN:
            default = rng.choice((DefaultValue.boolean(True), DefaultValue.integer(0)))
        elif kind is T.STRING:
            text = rng.choice(("", "new", "it's", "n/a", "pending"))
            if length is None or len(text) <= length:
                default = DefaultValue.string(text)
        elif kind is T.TIMESTAMP_TZ:
            default = DefaultValue.function(
                rng.choice(
                    (DefaultValueFunction.DATETIME_NOW, DefaultValueFunction.DATETIME_UTC_NOW)
                )
            )
        elif kind is T.UUID:
            default = DefaultValue.function(DefaultValueFunction.GUID_NEW)
    elif roll < 0.5 and nullable:
        default = DefaultValue.null()
    return ColumnDefinition(name, kind, max_length=length, nullable=nullable, default=default)


def _predicate(rng: random.Random, column: ColumnDefinition, other: ColumnDefinition) -> str:
    name = column.name
    if column.data_type in (T.INTEGER, T.BIG_INT, T.SMALL_INT) and rng.random() < 0.2:
        return f"({name} & 4) = 0"  # bitwise: SQL Server cannot filter on it
    if column.data_type in (T.INTEGER, T.BIG_INT, T.SMALL_INT):
        return rng.choice((f"{name} > 0", f"{name} IN (1, 2, 3)", f"{name} <> 7"))
    if column.data_type is T.BOOLEAN:
        return f"{name} = TRUE"
    if other.nullable and other.name != name:
        return f"{name} IS NOT NULL AND {other.name} IS NULL"
    return f"{name} IS NOT NULL"


def table(index: int, rng: random.Random, tag: str = "") -> TableDefinition:
    """Synthetic table number ``index``; ``tag`` only changes its name."""
    name = f"t{index:05d}{tag}"
    keys = 1 if rng.random() < 0.7 else rng.choice((2, 3))
    width = rng.randint(4, 24)
    used: set[str] = set()
    columns: list[ColumnDefinition] = []
    for position in range(keys + width):
        word = rng.choice(_WORDS)
        column_name = word if word not in used else f"{word}_{position}"
        used.add(column_name)
        columns.append(_column(rng, column_name, key=position < keys))
    keyable = [c for c in columns[keys:] if c.data_type in _KEYABLE]
    indexes: list[IndexDefinition] = []
    uniques: list[UniqueConstraintDefinition] = []
    for number in range(rng.randint(0, min(5, len(keyable)))):
        picked = rng.sample(keyable, rng.randint(1, min(3, len(keyable))))
        where = None
        if rng.random() < 0.35:
            where = _predicate(rng, picked[0], rng.choice(columns))
        unique = rng.random() < 0.15 and where is None
        indexes.append(
            IndexDefinition(
                f"ix_{name}_{number}", [c.name for c in picked], unique=unique, where=where
            )
        )
    not_null = [c for c in keyable if not c.nullable]
    if not_null and rng.random() < 0.2:
        picked = rng.sample(not_null, min(len(not_null), rng.randint(1, 2)))
        uniques.append(UniqueConstraintDefinition(f"uq_{name}", [c.name for c in picked]))
    if not_null and rng.random() < 0.1:
        position = columns.index(rng.choice(not_null))
        column = columns[position]
        if all(u.columns != (column.name,) for u in uniques):  # two equal keys are refused
            columns[position] = ColumnDefinition(
                column.name,
                column.data_type,
                max_length=column.max_length,
                nullable=False,
                default=column.default,
                unique=True,
            )
    return TableDefinition(name, columns, indexes=indexes, unique_constraints=uniques)


def tables(count: int, *, seed: int = SEED, tag: str = "") -> tuple[TableDefinition, ...]:
    """The first ``count`` synthetic tables (the first ``n`` are the same for any count)."""
    rng = random.Random(seed)
    return tuple(table(i, rng, tag) for i in range(count))
