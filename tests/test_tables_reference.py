"""The nine canonical tables, column by column and index by index, against the reference.

The expected data below is transcribed by hand from the team's reference
(``shared/reference/infrastructure-tables.md``), in its own notation, so that it checks the
definitions instead of repeating them.
"""

from __future__ import annotations

import pytest

from whizbang_schema import (
    BooleanDefault,
    DefaultValueFunction,
    FunctionDefault,
    IntegerDefault,
    SchemaConfiguration,
    StringDefault,
    TableDefinition,
)
from whizbang_schema import tables as canonical

# name: columns as "name TYPE [len] [N] [PK] [default]" and indexes as
# "name (cols) [UNIQUE] [WHERE ...]", exactly as the reference lists them.
REFERENCE = {
    "outbox": (
        """
        message_id UUID PK
        destination STRING 500
        stream_id UUID N
        partition_number INTEGER N
        event_type STRING 500
        event_data JSON
        metadata JSON
        scope JSON N
        status INTEGER Int(1)
        attempts INTEGER Int(0)
        error STRING N
        instance_id UUID N
        lease_expiry TIMESTAMP_TZ N
        failure_reason INTEGER Int(99)
        scheduled_for TIMESTAMP_TZ N
        created_at TIMESTAMP_TZ Fn(NOW)
        published_at TIMESTAMP_TZ N
        is_event BOOLEAN Int(0)
        """,
        """
        idx_outbox_status_created_at (status, created_at)
        idx_outbox_published_at (published_at)
        idx_outbox_lease_expiry (lease_expiry) WHERE lease_expiry IS NOT NULL
        idx_outbox_status_lease (status, lease_expiry) WHERE (status & 32768) = 0 AND (status & 2) != 2
        idx_outbox_failure_reason (failure_reason) WHERE (status & 32768) = 32768
        idx_outbox_scheduled_for (stream_id, scheduled_for, created_at) WHERE scheduled_for IS NOT NULL
        """,
    ),
    "inbox": (
        """
        message_id UUID PK
        handler_name STRING 500
        message_type STRING 500
        event_data JSON
        metadata JSON
        scope JSON N
        stream_id UUID N
        partition_number INTEGER N
        is_event BOOLEAN Bool(false)
        status INTEGER Int(1)
        attempts INTEGER Int(0)
        error STRING N
        instance_id UUID N
        lease_expiry TIMESTAMP_TZ N
        failure_reason INTEGER Int(99)
        scheduled_for TIMESTAMP_TZ N
        processed_at TIMESTAMP_TZ N
        received_at TIMESTAMP_TZ Fn(NOW)
        """,
        """
        idx_inbox_processed_at (processed_at)
        idx_inbox_received_at (received_at)
        idx_inbox_lease_expiry (lease_expiry) WHERE lease_expiry IS NOT NULL
        idx_inbox_status_lease (status, lease_expiry) WHERE (status & 32768) = 0 AND (status & 2) != 2
        idx_inbox_failure_reason (failure_reason) WHERE (status & 32768) = 32768
        idx_inbox_scheduled_for (stream_id, scheduled_for, received_at) WHERE scheduled_for IS NOT NULL
        idx_inbox_partition_claiming (partition_number, scheduled_for, received_at) WHERE (status & 2) != 2 AND (status & 32768) = 0
        idx_inbox_instance_lease (instance_id, lease_expiry) WHERE instance_id IS NOT NULL AND lease_expiry IS NOT NULL
        """,
    ),
    "event_store": (
        """
        event_id UUID PK
        stream_id UUID
        aggregate_id UUID
        aggregate_type STRING 500
        event_type STRING 500
        event_data JSON
        metadata JSON
        scope JSON N
        version INTEGER
        created_at TIMESTAMP_TZ Fn(NOW)
        """,
        """
        idx_event_store_stream (stream_id, version) UNIQUE
        idx_event_store_aggregate (aggregate_id, version) UNIQUE
        idx_event_store_aggregate_type (aggregate_type, created_at)
        """,
    ),
    "receptor_processing": (
        """
        id UUID PK
        event_id UUID
        receptor_name STRING
        stream_id UUID
        partition_number INTEGER N
        status SMALL_INT Int(0)
        attempts INTEGER Int(0)
        error STRING N
        instance_id UUID N
        lease_expiry TIMESTAMP_TZ N
        started_at TIMESTAMP_TZ Fn(NOW)
        claimed_at TIMESTAMP_TZ N
        completed_at TIMESTAMP_TZ N
        processed_at TIMESTAMP_TZ N
        """,
        """
        idx_receptor_processing_event_id (event_id)
        idx_receptor_processing_receptor_name (receptor_name)
        idx_receptor_processing_status (status)
        """,
    ),
    "perspective_checkpoints": (
        """
        stream_id UUID PK
        perspective_name STRING PK
        last_event_id UUID N
        status SMALL_INT Int(0)
        processed_at TIMESTAMP_TZ Fn(NOW)
        error STRING N
        """,
        """
        idx_perspective_checkpoints_perspective_name (perspective_name)
        idx_perspective_checkpoints_last_event_id (last_event_id)
        """,
    ),
    "service_instances": (
        """
        instance_id UUID PK
        service_name STRING 200
        host_name STRING 200
        process_id INTEGER
        started_at TIMESTAMP_TZ Fn(NOW)
        last_heartbeat_at TIMESTAMP_TZ Fn(NOW)
        metadata JSON N
        """,
        """
        idx_service_instances_service_name (service_name, last_heartbeat_at)
        idx_service_instances_heartbeat (last_heartbeat_at)
        """,
    ),
    "message_deduplication": (
        """
        message_id UUID PK
        first_seen_at TIMESTAMP_TZ Fn(NOW)
        """,
        """
        idx_message_dedup_first_seen (first_seen_at)
        """,
    ),
    "request_response": (
        """
        request_id UUID PK
        correlation_id UUID
        request_type STRING 500
        request_data JSON
        response_type STRING 500 N
        response_data JSON N
        status STRING 50 Str(Pending)
        created_at TIMESTAMP_TZ Fn(NOW)
        completed_at TIMESTAMP_TZ N
        expires_at TIMESTAMP_TZ N
        """,
        """
        idx_request_response_correlation (correlation_id) UNIQUE
        idx_request_response_status_created (status, created_at)
        idx_request_response_expires (expires_at)
        """,
    ),
    "sequences": (
        """
        sequence_name STRING 200 PK
        current_value BIG_INT Int(0)
        increment_by INTEGER Int(1)
        last_updated_at TIMESTAMP_TZ Fn(NOW)
        """,
        "",
    ),
}

ORDER = [
    ("OUTBOX", "outbox"),
    ("INBOX", "inbox"),
    ("EVENT_STORE", "event_store"),
    ("RECEPTOR_PROCESSING", "receptor_processing"),
    ("PERSPECTIVE_CHECKPOINTS", "perspective_checkpoints"),
    ("SERVICE_INSTANCES", "service_instances"),
    ("MESSAGE_DEDUPLICATION", "message_deduplication"),
    ("REQUEST_RESPONSE", "request_response"),
    ("SEQUENCES", "sequences"),
]


def describe_default(default: object) -> str | None:
    if default is None:
        return None
    if isinstance(default, IntegerDefault):
        return f"Int({default.value})"
    if isinstance(default, BooleanDefault):
        return f"Bool({str(default.value).lower()})"
    if isinstance(default, StringDefault):
        return f"Str({default.value})"
    if isinstance(default, FunctionDefault):
        return {
            DefaultValueFunction.DATETIME_NOW: "Fn(NOW)",
            DefaultValueFunction.GUID_NEW: "Fn(UUID)",
        }[default.value]
    raise AssertionError(default)


def parse_column(line: str) -> dict[str, object]:
    words = line.split()
    row: dict[str, object] = {
        "name": words[0],
        "type": words[1],
        "max_length": None,
        "nullable": False,
        "pk": False,
        "default": None,
    }
    for word in words[2:]:
        if word.isdigit():
            row["max_length"] = int(word)
        elif word == "N":
            row["nullable"] = True
        elif word == "PK":
            row["pk"] = True
        else:
            row["default"] = word
    return row


def parse_index(line: str) -> dict[str, object]:
    head, _, where = line.partition(" WHERE ")
    name, _, rest = head.partition(" ")
    columns, _, flags = rest.partition(")")
    return {
        "name": name,
        "columns": tuple(c.strip() for c in columns.strip("(").split(",")),
        "unique": flags.strip() == "UNIQUE",
        "where": where or None,
    }


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


@pytest.mark.parametrize(("constant", "name"), ORDER)
def test_columns_match_the_reference(constant: str, name: str) -> None:
    table: TableDefinition = getattr(canonical, constant)
    assert table.name == name
    expected = [parse_column(line) for line in lines(REFERENCE[name][0])]
    actual = [
        {
            "name": c.name,
            "type": c.data_type.name,
            "max_length": c.max_length,
            "nullable": c.nullable,
            "pk": c.primary_key,
            "default": describe_default(c.default),
        }
        for c in table.columns
    ]
    assert actual == expected
    assert not any(c.unique for c in table.columns)
    assert table.unique_constraints == ()


@pytest.mark.parametrize(("constant", "name"), ORDER)
def test_indexes_match_the_reference(constant: str, name: str) -> None:
    table: TableDefinition = getattr(canonical, constant)
    expected = [parse_index(line) for line in lines(REFERENCE[name][1])]
    actual = [
        {"name": i.name, "columns": i.columns, "unique": i.unique, "where": i.where}
        for i in table.indexes
    ]
    assert actual == expected


def test_counts_match_the_reference_headings() -> None:
    counts = {t.name: (len(t.columns), len(t.indexes)) for t in canonical.ALL_TABLES}
    assert counts == {
        "outbox": (18, 6),
        "inbox": (18, 8),
        "event_store": (10, 3),
        "receptor_processing": (14, 3),
        "perspective_checkpoints": (6, 2),
        "service_instances": (7, 2),
        "message_deduplication": (2, 1),
        "request_response": (10, 3),
        "sequences": (4, 0),
    }


def test_all_tables_in_order_and_from_the_configuration() -> None:
    assert tuple(getattr(canonical, c) for c, _ in ORDER) == canonical.ALL_TABLES
    assert SchemaConfiguration().get_all_tables() == canonical.ALL_TABLES
    assert canonical.PERSPECTIVE_CHECKPOINTS.primary_key == ("stream_id", "perspective_name")


@pytest.mark.parametrize(("constant", "name"), ORDER)
def test_column_name_constants_cover_exactly_the_columns(constant: str, name: str) -> None:
    table: TableDefinition = getattr(canonical, constant)
    names_class = canonical.COLUMNS[name]
    constants = {k: v for k, v in vars(names_class).items() if k.isupper()}
    # one constant per column, named after it, in the same order
    assert list(constants.values()) == list(table.column_names)
    assert all(k == v.upper() for k, v in constants.items())
    assert getattr(canonical, names_class.__name__) is names_class
