"""SQL Server's key budget: 900 bytes for the (clustered) primary key, 1,700 for other keys,
2 bytes per NVARCHAR character; unbounded key strings default to NVARCHAR(450), as EF Core."""

from __future__ import annotations

from typing import Final

from whizbang_schema import ColumnType, DecimalType, KeyLimits, KeyWidth, WhizbangDataType

#: NVARCHAR(n) takes n 1..4000; longer is NVARCHAR(MAX), which cannot be a key.
MAX_NVARCHAR: Final = 4000

#: VARBINARY(n) takes n 1..8000; longer is VARBINARY(MAX), which cannot be a key.
MAX_VARBINARY: Final = 8000


def decimal_bytes(column_type: ColumnType) -> int | None:
    """decimal(p, s) takes 5, 9, 13 or 17 bytes for p up to 9, 19, 28 and 38 ("decimal and
    numeric")."""
    assert isinstance(column_type, DecimalType)
    precision = column_type.precision
    return 5 if precision <= 9 else 9 if precision <= 19 else 13 if precision <= 28 else 17


def varbinary_bytes(column_type: ColumnType) -> int | None:
    """VARBINARY(n) takes up to n bytes; VARBINARY(MAX) cannot be a key."""
    length = column_type.max_length
    return length if length is not None and length <= MAX_VARBINARY else None


_WIDTHS: dict[WhizbangDataType, KeyWidth] = {
    WhizbangDataType.UUID: 16,
    WhizbangDataType.TIMESTAMP_TZ: 10,
    WhizbangDataType.BIG_INT: 8,
    WhizbangDataType.INTEGER: 4,
    WhizbangDataType.SMALL_INT: 2,
    WhizbangDataType.BOOLEAN: 1,
    WhizbangDataType.DECIMAL: decimal_bytes,
    WhizbangDataType.DATE: 3,
    WhizbangDataType.DOUBLE: 8,
    WhizbangDataType.BYTES: varbinary_bytes,
}

LIMITS: Final = KeyLimits(
    dialect="sqlserver",
    unbounded_type="NVARCHAR(MAX)",
    primary_key_bytes=900,
    key_bytes=1700,
    bytes_per_char=2,
    default_string_length=450,
    max_key_string=MAX_NVARCHAR,
    widths=_WIDTHS,
)
