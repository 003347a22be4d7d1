"""The nine canonical infrastructure tables, and the names of their columns.

Each table is a :class:`~whizbang_schema.TableDefinition` constant; each has a companion class
of column-name constants (the design document's ``Columns`` class), so queries never spell a
column name by hand::

    from whizbang_schema.tables import OUTBOX, OutboxColumns

    sql = f"SELECT {OutboxColumns.MESSAGE_ID} FROM wh_{OUTBOX.name}"

Names carry no prefix; the prefix is applied when rendering.
"""

from __future__ import annotations

from typing import Final

from ..model.definitions import TableDefinition
from .event_store import EVENT_STORE, EventStoreColumns
from .inbox import INBOX, InboxColumns
from .message_deduplication import MESSAGE_DEDUPLICATION, MessageDeduplicationColumns
from .outbox import OUTBOX, OutboxColumns
from .perspective_checkpoints import PERSPECTIVE_CHECKPOINTS, PerspectiveCheckpointsColumns
from .receptor_processing import RECEPTOR_PROCESSING, ReceptorProcessingColumns
from .request_response import REQUEST_RESPONSE, RequestResponseColumns
from .sequences import SEQUENCES, SequencesColumns
from .service_instances import SERVICE_INSTANCES, ServiceInstancesColumns

__all__ = [
    "ALL_TABLES",
    "COLUMNS",
    "EVENT_STORE",
    "INBOX",
    "MESSAGE_DEDUPLICATION",
    "OUTBOX",
    "PERSPECTIVE_CHECKPOINTS",
    "RECEPTOR_PROCESSING",
    "REQUEST_RESPONSE",
    "SEQUENCES",
    "SERVICE_INSTANCES",
    "EventStoreColumns",
    "InboxColumns",
    "MessageDeduplicationColumns",
    "OutboxColumns",
    "PerspectiveCheckpointsColumns",
    "ReceptorProcessingColumns",
    "RequestResponseColumns",
    "SequencesColumns",
    "ServiceInstancesColumns",
]

#: The nine tables, in the order the design document's SchemaConfiguration lists them.
ALL_TABLES: Final[tuple[TableDefinition, ...]] = (
    OUTBOX,
    INBOX,
    EVENT_STORE,
    RECEPTOR_PROCESSING,
    PERSPECTIVE_CHECKPOINTS,
    SERVICE_INSTANCES,
    MESSAGE_DEDUPLICATION,
    REQUEST_RESPONSE,
    SEQUENCES,
)

#: Each table's column-name class, keyed by table name.
COLUMNS: Final[dict[str, type]] = {
    OUTBOX.name: OutboxColumns,
    INBOX.name: InboxColumns,
    EVENT_STORE.name: EventStoreColumns,
    RECEPTOR_PROCESSING.name: ReceptorProcessingColumns,
    PERSPECTIVE_CHECKPOINTS.name: PerspectiveCheckpointsColumns,
    SERVICE_INSTANCES.name: ServiceInstancesColumns,
    MESSAGE_DEDUPLICATION.name: MessageDeduplicationColumns,
    REQUEST_RESPONSE.name: RequestResponseColumns,
    SEQUENCES.name: SequencesColumns,
}
