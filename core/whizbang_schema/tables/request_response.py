"""Request/response: correlates a request with its eventual response."""

from __future__ import annotations

from typing import Final

from ..model.datatypes import DefaultValueFunction, WhizbangDataType
from ..model.defaults import DefaultValue
from ..model.definitions import ColumnDefinition, IndexDefinition, TableDefinition


class RequestResponseColumns:
    """Column names of :data:`REQUEST_RESPONSE`."""

    REQUEST_ID: Final = "request_id"
    CORRELATION_ID: Final = "correlation_id"
    REQUEST_TYPE: Final = "request_type"
    REQUEST_DATA: Final = "request_data"
    RESPONSE_TYPE: Final = "response_type"
    RESPONSE_DATA: Final = "response_data"
    STATUS: Final = "status"
    CREATED_AT: Final = "created_at"
    COMPLETED_AT: Final = "completed_at"
    EXPIRES_AT: Final = "expires_at"


C = RequestResponseColumns
T = WhizbangDataType

REQUEST_RESPONSE: Final = TableDefinition(
    "request_response",
    [
        ColumnDefinition(C.REQUEST_ID, T.UUID, primary_key=True),
        ColumnDefinition(C.CORRELATION_ID, T.UUID, nullable=False),
        ColumnDefinition(C.REQUEST_TYPE, T.STRING, max_length=500, nullable=False),
        ColumnDefinition(C.REQUEST_DATA, T.JSON, nullable=False),
        ColumnDefinition(C.RESPONSE_TYPE, T.STRING, max_length=500),
        ColumnDefinition(C.RESPONSE_DATA, T.JSON),
        ColumnDefinition(
            C.STATUS,
            T.STRING,
            max_length=50,
            nullable=False,
            default=DefaultValue.string("Pending"),
        ),
        ColumnDefinition(
            C.CREATED_AT,
            T.TIMESTAMP_TZ,
            nullable=False,
            default=DefaultValue.function(DefaultValueFunction.DATETIME_NOW),
        ),
        ColumnDefinition(C.COMPLETED_AT, T.TIMESTAMP_TZ),
        ColumnDefinition(C.EXPIRES_AT, T.TIMESTAMP_TZ),
    ],
    indexes=[
        IndexDefinition("idx_request_response_correlation", [C.CORRELATION_ID], unique=True),
        IndexDefinition("idx_request_response_status_created", [C.STATUS, C.CREATED_AT]),
        IndexDefinition("idx_request_response_expires", [C.EXPIRES_AT]),
    ],
)
