"""Sequences: named counters, incremented by the application."""

from __future__ import annotations

from typing import Final

from ..model.datatypes import DefaultValueFunction, WhizbangDataType
from ..model.defaults import DefaultValue
from ..model.definitions import ColumnDefinition, TableDefinition


class SequencesColumns:
    """Column names of :data:`SEQUENCES`."""

    SEQUENCE_NAME: Final = "sequence_name"
    CURRENT_VALUE: Final = "current_value"
    INCREMENT_BY: Final = "increment_by"
    LAST_UPDATED_AT: Final = "last_updated_at"


C = SequencesColumns
T = WhizbangDataType

SEQUENCES: Final = TableDefinition(
    "sequences",
    [
        ColumnDefinition(C.SEQUENCE_NAME, T.STRING, max_length=200, primary_key=True),
        ColumnDefinition(
            C.CURRENT_VALUE, T.BIG_INT, nullable=False, default=DefaultValue.integer(0)
        ),
        ColumnDefinition(
            C.INCREMENT_BY, T.INTEGER, nullable=False, default=DefaultValue.integer(1)
        ),
        ColumnDefinition(
            C.LAST_UPDATED_AT,
            T.TIMESTAMP_TZ,
            nullable=False,
            default=DefaultValue.function(DefaultValueFunction.DATETIME_NOW),
        ),
    ],
)
