"""Message deduplication: every message id ever seen, kept permanently."""

from __future__ import annotations

from typing import Final

from ..model.datatypes import DefaultValueFunction, WhizbangDataType
from ..model.defaults import DefaultValue
from ..model.definitions import ColumnDefinition, IndexDefinition, TableDefinition


class MessageDeduplicationColumns:
    """Column names of :data:`MESSAGE_DEDUPLICATION`."""

    MESSAGE_ID: Final = "message_id"
    FIRST_SEEN_AT: Final = "first_seen_at"


C = MessageDeduplicationColumns
T = WhizbangDataType

MESSAGE_DEDUPLICATION: Final = TableDefinition(
    "message_deduplication",
    [
        ColumnDefinition(C.MESSAGE_ID, T.UUID, primary_key=True),
        ColumnDefinition(
            C.FIRST_SEEN_AT,
            T.TIMESTAMP_TZ,
            nullable=False,
            default=DefaultValue.function(DefaultValueFunction.DATETIME_NOW),
        ),
    ],
    indexes=[IndexDefinition("idx_message_dedup_first_seen", [C.FIRST_SEEN_AT])],
)
