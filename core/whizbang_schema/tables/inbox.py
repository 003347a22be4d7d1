"""The inbox: received messages, deduplicated and processed under a lease."""

from __future__ import annotations

from typing import Final

from ..model.datatypes import DefaultValueFunction, WhizbangDataType
from ..model.defaults import DefaultValue
from ..model.definitions import ColumnDefinition, IndexDefinition, TableDefinition

_NOW = DefaultValue.function(DefaultValueFunction.DATETIME_NOW)


class InboxColumns:
    """Column names of :data:`INBOX`."""

    MESSAGE_ID: Final = "message_id"
    HANDLER_NAME: Final = "handler_name"
    MESSAGE_TYPE: Final = "message_type"
    EVENT_DATA: Final = "event_data"
    METADATA: Final = "metadata"
    SCOPE: Final = "scope"
    STREAM_ID: Final = "stream_id"
    PARTITION_NUMBER: Final = "partition_number"
    IS_EVENT: Final = "is_event"
    STATUS: Final = "status"
    ATTEMPTS: Final = "attempts"
    ERROR: Final = "error"
    INSTANCE_ID: Final = "instance_id"
    LEASE_EXPIRY: Final = "lease_expiry"
    FAILURE_REASON: Final = "failure_reason"
    SCHEDULED_FOR: Final = "scheduled_for"
    PROCESSED_AT: Final = "processed_at"
    RECEIVED_AT: Final = "received_at"


C = InboxColumns
T = WhizbangDataType

INBOX: Final = TableDefinition(
    "inbox",
    [
        ColumnDefinition(C.MESSAGE_ID, T.UUID, primary_key=True),
        ColumnDefinition(C.HANDLER_NAME, T.STRING, max_length=500, nullable=False),
        ColumnDefinition(C.MESSAGE_TYPE, T.STRING, max_length=500, nullable=False),
        ColumnDefinition(C.EVENT_DATA, T.JSON, nullable=False),
        ColumnDefinition(C.METADATA, T.JSON, nullable=False),
        ColumnDefinition(C.SCOPE, T.JSON),
        ColumnDefinition(C.STREAM_ID, T.UUID),
        ColumnDefinition(C.PARTITION_NUMBER, T.INTEGER),
        ColumnDefinition(
            C.IS_EVENT, T.BOOLEAN, nullable=False, default=DefaultValue.boolean(False)
        ),
        ColumnDefinition(C.STATUS, T.INTEGER, nullable=False, default=DefaultValue.integer(1)),
        ColumnDefinition(C.ATTEMPTS, T.INTEGER, nullable=False, default=DefaultValue.integer(0)),
        ColumnDefinition(C.ERROR, T.STRING),
        ColumnDefinition(C.INSTANCE_ID, T.UUID),
        ColumnDefinition(C.LEASE_EXPIRY, T.TIMESTAMP_TZ),
        ColumnDefinition(
            C.FAILURE_REASON, T.INTEGER, nullable=False, default=DefaultValue.integer(99)
        ),
        ColumnDefinition(C.SCHEDULED_FOR, T.TIMESTAMP_TZ),
        ColumnDefinition(C.PROCESSED_AT, T.TIMESTAMP_TZ),
        ColumnDefinition(C.RECEIVED_AT, T.TIMESTAMP_TZ, nullable=False, default=_NOW),
    ],
    indexes=[
        IndexDefinition("idx_inbox_processed_at", [C.PROCESSED_AT]),
        IndexDefinition("idx_inbox_received_at", [C.RECEIVED_AT]),
        IndexDefinition(
            "idx_inbox_lease_expiry", [C.LEASE_EXPIRY], where="lease_expiry IS NOT NULL"
        ),
        IndexDefinition(
            "idx_inbox_status_lease",
            [C.STATUS, C.LEASE_EXPIRY],
            where="(status & 32768) = 0 AND (status & 2) != 2",
        ),
        IndexDefinition(
            "idx_inbox_failure_reason", [C.FAILURE_REASON], where="(status & 32768) = 32768"
        ),
        IndexDefinition(
            "idx_inbox_scheduled_for",
            [C.STREAM_ID, C.SCHEDULED_FOR, C.RECEIVED_AT],
            where="scheduled_for IS NOT NULL",
        ),
        IndexDefinition(
            "idx_inbox_partition_claiming",
            [C.PARTITION_NUMBER, C.SCHEDULED_FOR, C.RECEIVED_AT],
            where="(status & 2) != 2 AND (status & 32768) = 0",
        ),
        IndexDefinition(
            "idx_inbox_instance_lease",
            [C.INSTANCE_ID, C.LEASE_EXPIRY],
            where="instance_id IS NOT NULL AND lease_expiry IS NOT NULL",
        ),
    ],
)
