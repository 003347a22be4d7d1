"""Values read back, whatever the engine and its driver: normalised to plain Python values.

(Values are written as literals the dialect itself spells, through ``render_literal``.)
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from typing import Any

from ..model.datatypes import WhizbangDataType

T = WhizbangDataType


def as_uuid(value: Any) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return uuid.UUID(bytes=bytes(value))
    return uuid.UUID(str(value))


def as_timestamp(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T"))
    assert isinstance(value, dt.datetime), f"not a timestamp: {value!r}"
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.timezone.utc)


def as_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def as_decimal(value: Any) -> decimal.Decimal:
    # A float (SQLite's REAL) as the shortest decimal that reads back as it, not its binary
    # expansion: 0.1, not 0.1000000000000000055511151231257827.
    return decimal.Decimal(repr(value) if isinstance(value, float) else str(value))


def as_date(value: Any) -> dt.date:
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value.date()
    assert isinstance(value, dt.date), f"not a date: {value!r}"
    return value


def normalize(data_type: WhizbangDataType, value: Any) -> Any:
    """A driver's value as a plain Python value of the definition's type."""
    if value is None:
        return None
    if data_type is T.UUID:
        return as_uuid(value)
    if data_type is T.TIMESTAMP_TZ:
        return as_timestamp(value)
    if data_type is T.JSON:
        return as_json(value)
    if data_type is T.BOOLEAN:
        return bool(int(value))
    if data_type in (T.SMALL_INT, T.INTEGER, T.BIG_INT):
        return int(value)
    if data_type is T.DECIMAL:
        return as_decimal(value)
    if data_type is T.DATE:
        return as_date(value)
    if data_type is T.DOUBLE:
        return float(value)
    if data_type is T.BYTES:
        return bytes(value)
    return str(value)
