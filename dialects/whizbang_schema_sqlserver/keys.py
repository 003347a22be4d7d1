"""SQL Server's key budget: 900 bytes for the (clustered) primary key, 1,700 for other keys,
2 bytes per NVARCHAR character; unbounded key strings default to NVARCHAR(450), as EF Core."""

from __future__ import annotations

from typing import Final

from whizbang_schema import KeyLimits, WhizbangDataType

#: NVARCHAR(n) takes n 1..4000; longer is NVARCHAR(MAX), which cannot be a key.
MAX_NVARCHAR: Final = 4000

LIMITS: Final = KeyLimits(
    dialect="sqlserver",
    unbounded_type="NVARCHAR(MAX)",
    primary_key_bytes=900,
    key_bytes=1700,
    bytes_per_char=2,
    default_string_length=450,
    max_key_string=MAX_NVARCHAR,
    widths={
        WhizbangDataType.UUID: 16,
        WhizbangDataType.TIMESTAMP_TZ: 10,
        WhizbangDataType.BIG_INT: 8,
        WhizbangDataType.INTEGER: 4,
        WhizbangDataType.SMALL_INT: 2,
        WhizbangDataType.BOOLEAN: 1,
    },
)
