"""Perspective checkpoints: how far each perspective has read each stream."""

from __future__ import annotations

from typing import Final

from ..model.datatypes import DefaultValueFunction, WhizbangDataType
from ..model.defaults import DefaultValue
from ..model.definitions import ColumnDefinition, IndexDefinition, TableDefinition


class PerspectiveCheckpointsColumns:
    """Column names of :data:`PERSPECTIVE_CHECKPOINTS`."""

    STREAM_ID: Final = "stream_id"
    PERSPECTIVE_NAME: Final = "perspective_name"
    LAST_EVENT_ID: Final = "last_event_id"
    STATUS: Final = "status"
    PROCESSED_AT: Final = "processed_at"
    ERROR: Final = "error"


C = PerspectiveCheckpointsColumns
T = WhizbangDataType

PERSPECTIVE_CHECKPOINTS: Final = TableDefinition(
    "perspective_checkpoints",
    [
        # A composite primary key: (stream_id, perspective_name).
        ColumnDefinition(C.STREAM_ID, T.UUID, primary_key=True),
        ColumnDefinition(C.PERSPECTIVE_NAME, T.STRING, primary_key=True),
        ColumnDefinition(C.LAST_EVENT_ID, T.UUID),
        ColumnDefinition(C.STATUS, T.SMALL_INT, nullable=False, default=DefaultValue.integer(0)),
        ColumnDefinition(
            C.PROCESSED_AT,
            T.TIMESTAMP_TZ,
            nullable=False,
            default=DefaultValue.function(DefaultValueFunction.DATETIME_NOW),
        ),
        ColumnDefinition(C.ERROR, T.STRING),
    ],
    indexes=[
        IndexDefinition("idx_perspective_checkpoints_perspective_name", [C.PERSPECTIVE_NAME]),
        IndexDefinition("idx_perspective_checkpoints_last_event_id", [C.LAST_EVENT_ID]),
    ],
)
