"""The database-agnostic vocabulary: column types and default-value functions."""

from __future__ import annotations

import enum

__all__ = ["INTEGER_RANGES", "DefaultValueFunction", "WhizbangDataType"]


class WhizbangDataType(enum.Enum):
    """What a column holds, independent of any engine's spelling of it."""

    UUID = "uuid"
    STRING = "string"
    TIMESTAMP_TZ = "timestamp_tz"
    JSON = "json"
    BIG_INT = "big_int"
    INTEGER = "integer"
    SMALL_INT = "small_int"
    BOOLEAN = "boolean"
    DECIMAL = "decimal"
    DATE = "date"
    DOUBLE = "double"
    BYTES = "bytes"

    # Members are singletons compared by identity, so the identity hash agrees with equality;
    # Enum's own __hash__ is Python code, and these are hashed in every type lookup and every
    # hash of a column definition (a third of a microsecond each, in the render profile).
    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"WhizbangDataType.{self.name}"


class DefaultValueFunction(enum.Enum):
    """Database-side functions a default can call.

    ``DATETIME_NOW`` and ``DATETIME_UTC_NOW`` both mean *the current instant* on a
    ``TIMESTAMP_TZ`` column: a zone-aware value is the same instant whatever zone it is shown
    in. Dialects whose timestamp type carries no zone store that instant in UTC.
    """

    DATETIME_NOW = "datetime_now"
    DATETIME_UTC_NOW = "datetime_utc_now"
    GUID_NEW = "guid_new"

    __hash__ = object.__hash__  # see WhizbangDataType

    def __repr__(self) -> str:
        return f"DefaultValueFunction.{self.name}"


#: Inclusive value range of each integer type: 16, 32 and 64-bit two's complement.
INTEGER_RANGES: dict[WhizbangDataType, tuple[int, int]] = {
    WhizbangDataType.SMALL_INT: (-(2**15), 2**15 - 1),
    WhizbangDataType.INTEGER: (-(2**31), 2**31 - 1),
    WhizbangDataType.BIG_INT: (-(2**63), 2**63 - 1),
}
