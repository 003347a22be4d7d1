"""Index key sizes: SQL Server's 900-byte (clustered) and 1,700-byte (nonclustered) limits.

``(max)`` types cannot be key columns at all, so an unbounded STRING that is part of a
primary key, unique key or index needs a bounded NVARCHAR. Like EF Core this dialect uses
NVARCHAR(450) (900 bytes), narrowed further only when the key's other columns leave less room,
so that every key fits and no insert can fail later on key size. Explicit lengths are never
narrowed: a key they make too large is refused.
"""

from __future__ import annotations

import functools
from typing import Final

from whizbang_schema import TableDefinition, UnsupportedFeatureError, WhizbangDataType

CLUSTERED_LIMIT: Final = 900
NONCLUSTERED_LIMIT: Final = 1700
#: NVARCHAR(450) is 900 bytes: the whole clustered limit, EF Core's choice for string keys.
KEY_STRING_LENGTH: Final = 450
#: NVARCHAR(n) takes n 1..4000; longer is NVARCHAR(MAX).
MAX_NVARCHAR: Final = 4000

FIXED_WIDTHS: Final = {
    WhizbangDataType.UUID: 16,
    WhizbangDataType.TIMESTAMP_TZ: 10,
    WhizbangDataType.BIG_INT: 8,
    WhizbangDataType.INTEGER: 4,
    WhizbangDataType.SMALL_INT: 2,
    WhizbangDataType.BOOLEAN: 1,
}


def table_keys(table: TableDefinition) -> list[tuple[str, tuple[str, ...], int]]:
    """Every key of ``table`` as ``(description, columns, byte limit)``."""
    keys: list[tuple[str, tuple[str, ...], int]] = []
    if table.primary_key:
        keys.append(("the primary key (clustered)", table.primary_key, CLUSTERED_LIMIT))
    for column in table.columns:
        if column.unique:
            keys.append((f"unique column {column.name!r}", (column.name,), NONCLUSTERED_LIMIT))
    for constraint in table.unique_constraints:
        keys.append(
            (f"unique constraint {constraint.name!r}", constraint.columns, NONCLUSTERED_LIMIT)
        )
    for index in table.indexes:
        keys.append((f"index {index.name!r}", index.columns, NONCLUSTERED_LIMIT))
    return keys


@functools.lru_cache(maxsize=1024)
def key_string_lengths(table: TableDefinition) -> dict[str, int]:
    """The NVARCHAR length of each unbounded STRING column that is part of a key.

    Raises :class:`UnsupportedFeatureError` for a key that cannot fit: a ``(max)`` column (JSON,
    or a STRING longer than 4000) in it, or fixed-width columns already over the limit.
    """
    lengths: dict[str, int] = {}
    keys = table_keys(table)
    for what, names, limit in keys:
        fixed = 0
        unbounded: list[str] = []
        for name in names:
            column = table.column(name)
            kind = column.data_type
            if kind is WhizbangDataType.STRING and column.max_length is None:
                unbounded.append(name)
            elif kind is WhizbangDataType.STRING:
                assert column.max_length is not None
                if column.max_length > MAX_NVARCHAR:
                    raise _too_wide(table, what, f"{name!r} is NVARCHAR(MAX) (max_length > 4000)")
                fixed += 2 * column.max_length
            elif kind is WhizbangDataType.JSON:
                raise _too_wide(table, what, f"{name!r} is JSON, stored as NVARCHAR(MAX)")
            else:
                fixed += FIXED_WIDTHS[kind]
        if fixed > limit:
            raise _too_wide(
                table, what, f"its columns take {fixed} bytes, over the {limit}-byte limit"
            )
        if unbounded:
            room = (limit - fixed) // (2 * len(unbounded))
            if room < 1:
                raise _too_wide(table, what, f"no room is left for {', '.join(unbounded)}")
            for name in unbounded:
                lengths[name] = min(lengths.get(name, KEY_STRING_LENGTH), room)
    return lengths


def _too_wide(table: TableDefinition, what: str, why: str) -> UnsupportedFeatureError:
    return UnsupportedFeatureError(
        f"{what} cannot be an SQL Server index key: {why}",
        dialect="sqlserver",
        table=table.name,
    )
