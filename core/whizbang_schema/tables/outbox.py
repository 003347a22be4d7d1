"""The transactional outbox: messages written with the business change, published later."""

from __future__ import annotations

from typing import Final

from ..model.datatypes import DefaultValueFunction, WhizbangDataType
from ..model.defaults import DefaultValue
from ..model.definitions import ColumnDefinition, IndexDefinition, TableDefinition

_NOW = DefaultValue.function(DefaultValueFunction.DATETIME_NOW)


class OutboxColumns:
    """Column names of :data:`OUTBOX`."""

    MESSAGE_ID: Final = "message_id"
    DESTINATION: Final = "destination"
    STREAM_ID: Final = "stream_id"
    PARTITION_NUMBER: Final = "partition_number"
    EVENT_TYPE: Final = "event_type"
    EVENT_DATA: Final = "event_data"
    METADATA: Final = "metadata"
    SCOPE: Final = "scope"
    STATUS: Final = "status"
    ATTEMPTS: Final = "attempts"
    ERROR: Final = "error"
    INSTANCE_ID: Final = "instance_id"
    LEASE_EXPIRY: Final = "lease_expiry"
    FAILURE_REASON: Final = "failure_reason"
    SCHEDULED_FOR: Final = "scheduled_for"
    CREATED_AT: Final = "created_at"
    PUBLISHED_AT: Final = "published_at"
    IS_EVENT: Final = "is_event"


C = OutboxColumns
T = WhizbangDataType

OUTBOX: Final = TableDefinition(
    "outbox",
    [
        ColumnDefinition(C.MESSAGE_ID, T.UUID, primary_key=True),
        ColumnDefinition(C.DESTINATION, T.STRING, max_length=500, nullable=False),
        ColumnDefinition(C.STREAM_ID, T.UUID),
        ColumnDefinition(C.PARTITION_NUMBER, T.INTEGER),
        ColumnDefinition(C.EVENT_TYPE, T.STRING, max_length=500, nullable=False),
        ColumnDefinition(C.EVENT_DATA, T.JSON, nullable=False),
        ColumnDefinition(C.METADATA, T.JSON, nullable=False),
        ColumnDefinition(C.SCOPE, T.JSON),
        # status is a bit-flag integer: 2 = completed, 32768 = terminal.
        ColumnDefinition(C.STATUS, T.INTEGER, nullable=False, default=DefaultValue.integer(1)),
        ColumnDefinition(C.ATTEMPTS, T.INTEGER, nullable=False, default=DefaultValue.integer(0)),
        ColumnDefinition(C.ERROR, T.STRING),
        ColumnDefinition(C.INSTANCE_ID, T.UUID),
        ColumnDefinition(C.LEASE_EXPIRY, T.TIMESTAMP_TZ),
        # 99 = no failure.
        ColumnDefinition(
            C.FAILURE_REASON, T.INTEGER, nullable=False, default=DefaultValue.integer(99)
        ),
        ColumnDefinition(C.SCHEDULED_FOR, T.TIMESTAMP_TZ),
        ColumnDefinition(C.CREATED_AT, T.TIMESTAMP_TZ, nullable=False, default=_NOW),
        ColumnDefinition(C.PUBLISHED_AT, T.TIMESTAMP_TZ),
        # The design document writes this default as integer 0; on BOOLEAN that means false.
        ColumnDefinition(C.IS_EVENT, T.BOOLEAN, nullable=False, default=DefaultValue.integer(0)),
    ],
    indexes=[
        IndexDefinition("idx_outbox_status_created_at", [C.STATUS, C.CREATED_AT]),
        IndexDefinition("idx_outbox_published_at", [C.PUBLISHED_AT]),
        IndexDefinition(
            "idx_outbox_lease_expiry", [C.LEASE_EXPIRY], where="lease_expiry IS NOT NULL"
        ),
        IndexDefinition(
            "idx_outbox_status_lease",
            [C.STATUS, C.LEASE_EXPIRY],
            where="(status & 32768) = 0 AND (status & 2) != 2",
        ),
        IndexDefinition(
            "idx_outbox_failure_reason", [C.FAILURE_REASON], where="(status & 32768) = 32768"
        ),
        IndexDefinition(
            "idx_outbox_scheduled_for",
            [C.STREAM_ID, C.SCHEDULED_FOR, C.CREATED_AT],
            where="scheduled_for IS NOT NULL",
        ),
    ],
)
