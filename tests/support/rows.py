"""Values for the columns a row must be given: NOT NULL columns without a default."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from whizbang_schema import ColumnDefinition, TableDefinition, WhizbangDataType

T = WhizbangDataType


def required_columns(table: TableDefinition) -> list[ColumnDefinition]:
    return [c for c in table.columns if not c.nullable and c.default is None]


def sample_value(column: ColumnDefinition, dialect: str) -> Any:
    kind = column.data_type
    if kind is T.UUID:
        value = uuid.uuid4()
        return value if dialect == "postgres" else str(value)
    if kind is T.STRING:
        return "x" * min(column.max_length or 5, 5)
    if kind is T.JSON:
        return '{"k": 1}'
    if kind is T.TIMESTAMP_TZ:
        now = dt.datetime.now(dt.timezone.utc)
        if dialect == "postgres":
            return now
        return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"
    if kind is T.BOOLEAN:
        return True if dialect == "postgres" else 1
    return 7
