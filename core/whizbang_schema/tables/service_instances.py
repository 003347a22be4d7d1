"""Service instances: live processes and their heartbeats, for lease coordination."""

from __future__ import annotations

from typing import Final

from ..model.datatypes import DefaultValueFunction, WhizbangDataType
from ..model.defaults import DefaultValue
from ..model.definitions import ColumnDefinition, IndexDefinition, TableDefinition

_NOW = DefaultValue.function(DefaultValueFunction.DATETIME_NOW)


class ServiceInstancesColumns:
    """Column names of :data:`SERVICE_INSTANCES`."""

    INSTANCE_ID: Final = "instance_id"
    SERVICE_NAME: Final = "service_name"
    HOST_NAME: Final = "host_name"
    PROCESS_ID: Final = "process_id"
    STARTED_AT: Final = "started_at"
    LAST_HEARTBEAT_AT: Final = "last_heartbeat_at"
    METADATA: Final = "metadata"


C = ServiceInstancesColumns
T = WhizbangDataType

SERVICE_INSTANCES: Final = TableDefinition(
    "service_instances",
    [
        ColumnDefinition(C.INSTANCE_ID, T.UUID, primary_key=True),
        ColumnDefinition(C.SERVICE_NAME, T.STRING, max_length=200, nullable=False),
        ColumnDefinition(C.HOST_NAME, T.STRING, max_length=200, nullable=False),
        ColumnDefinition(C.PROCESS_ID, T.INTEGER, nullable=False),
        ColumnDefinition(C.STARTED_AT, T.TIMESTAMP_TZ, nullable=False, default=_NOW),
        ColumnDefinition(C.LAST_HEARTBEAT_AT, T.TIMESTAMP_TZ, nullable=False, default=_NOW),
        ColumnDefinition(C.METADATA, T.JSON),
    ],
    indexes=[
        IndexDefinition(
            "idx_service_instances_service_name", [C.SERVICE_NAME, C.LAST_HEARTBEAT_AT]
        ),
        IndexDefinition("idx_service_instances_heartbeat", [C.LAST_HEARTBEAT_AT]),
    ],
)
