"""Receptor processing: which receptor has handled which event, under a lease."""

from __future__ import annotations

from typing import Final

from ..model.datatypes import DefaultValueFunction, WhizbangDataType
from ..model.defaults import DefaultValue
from ..model.definitions import ColumnDefinition, IndexDefinition, TableDefinition


class ReceptorProcessingColumns:
    """Column names of :data:`RECEPTOR_PROCESSING`."""

    ID: Final = "id"
    EVENT_ID: Final = "event_id"
    RECEPTOR_NAME: Final = "receptor_name"
    STREAM_ID: Final = "stream_id"
    PARTITION_NUMBER: Final = "partition_number"
    STATUS: Final = "status"
    ATTEMPTS: Final = "attempts"
    ERROR: Final = "error"
    INSTANCE_ID: Final = "instance_id"
    LEASE_EXPIRY: Final = "lease_expiry"
    STARTED_AT: Final = "started_at"
    CLAIMED_AT: Final = "claimed_at"
    COMPLETED_AT: Final = "completed_at"
    PROCESSED_AT: Final = "processed_at"


C = ReceptorProcessingColumns
T = WhizbangDataType

RECEPTOR_PROCESSING: Final = TableDefinition(
    "receptor_processing",
    [
        ColumnDefinition(C.ID, T.UUID, primary_key=True),
        ColumnDefinition(C.EVENT_ID, T.UUID, nullable=False),
        # Unbounded, yet an index key: SQL Server bounds it (see the sqlserver dialect).
        ColumnDefinition(C.RECEPTOR_NAME, T.STRING, nullable=False),
        ColumnDefinition(C.STREAM_ID, T.UUID, nullable=False),
        ColumnDefinition(C.PARTITION_NUMBER, T.INTEGER),
        ColumnDefinition(C.STATUS, T.SMALL_INT, nullable=False, default=DefaultValue.integer(0)),
        ColumnDefinition(C.ATTEMPTS, T.INTEGER, nullable=False, default=DefaultValue.integer(0)),
        ColumnDefinition(C.ERROR, T.STRING),
        ColumnDefinition(C.INSTANCE_ID, T.UUID),
        ColumnDefinition(C.LEASE_EXPIRY, T.TIMESTAMP_TZ),
        ColumnDefinition(
            C.STARTED_AT,
            T.TIMESTAMP_TZ,
            nullable=False,
            default=DefaultValue.function(DefaultValueFunction.DATETIME_NOW),
        ),
        ColumnDefinition(C.CLAIMED_AT, T.TIMESTAMP_TZ),
        ColumnDefinition(C.COMPLETED_AT, T.TIMESTAMP_TZ),
        ColumnDefinition(C.PROCESSED_AT, T.TIMESTAMP_TZ),
    ],
    indexes=[
        IndexDefinition("idx_receptor_processing_event_id", [C.EVENT_ID]),
        IndexDefinition("idx_receptor_processing_receptor_name", [C.RECEPTOR_NAME]),
        IndexDefinition("idx_receptor_processing_status", [C.STATUS]),
    ],
)
