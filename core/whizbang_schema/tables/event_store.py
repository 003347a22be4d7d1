"""The event store: an append-only log of events per stream and aggregate."""

from __future__ import annotations

from typing import Final

from ..model.datatypes import DefaultValueFunction, WhizbangDataType
from ..model.defaults import DefaultValue
from ..model.definitions import ColumnDefinition, IndexDefinition, TableDefinition


class EventStoreColumns:
    """Column names of :data:`EVENT_STORE`."""

    EVENT_ID: Final = "event_id"
    STREAM_ID: Final = "stream_id"
    AGGREGATE_ID: Final = "aggregate_id"
    AGGREGATE_TYPE: Final = "aggregate_type"
    EVENT_TYPE: Final = "event_type"
    EVENT_DATA: Final = "event_data"
    METADATA: Final = "metadata"
    SCOPE: Final = "scope"
    VERSION: Final = "version"
    CREATED_AT: Final = "created_at"


C = EventStoreColumns
T = WhizbangDataType

EVENT_STORE: Final = TableDefinition(
    "event_store",
    [
        ColumnDefinition(C.EVENT_ID, T.UUID, primary_key=True),
        ColumnDefinition(C.STREAM_ID, T.UUID, nullable=False),
        ColumnDefinition(C.AGGREGATE_ID, T.UUID, nullable=False),
        ColumnDefinition(C.AGGREGATE_TYPE, T.STRING, max_length=500, nullable=False),
        ColumnDefinition(C.EVENT_TYPE, T.STRING, max_length=500, nullable=False),
        ColumnDefinition(C.EVENT_DATA, T.JSON, nullable=False),
        ColumnDefinition(C.METADATA, T.JSON, nullable=False),
        ColumnDefinition(C.SCOPE, T.JSON),
        ColumnDefinition(C.VERSION, T.INTEGER, nullable=False),
        ColumnDefinition(
            C.CREATED_AT,
            T.TIMESTAMP_TZ,
            nullable=False,
            default=DefaultValue.function(DefaultValueFunction.DATETIME_NOW),
        ),
    ],
    indexes=[
        IndexDefinition("idx_event_store_stream", [C.STREAM_ID, C.VERSION], unique=True),
        IndexDefinition("idx_event_store_aggregate", [C.AGGREGATE_ID, C.VERSION], unique=True),
        IndexDefinition("idx_event_store_aggregate_type", [C.AGGREGATE_TYPE, C.CREATED_AT]),
    ],
)
