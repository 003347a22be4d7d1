CREATE TABLE IF NOT EXISTS wh_outbox (
  message_id TEXT NOT NULL,
  destination TEXT NOT NULL,
  stream_id TEXT,
  partition_number INTEGER,
  event_type TEXT NOT NULL,
  event_data TEXT NOT NULL,
  metadata TEXT NOT NULL,
  scope TEXT,
  status INTEGER NOT NULL DEFAULT 1,
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  instance_id TEXT,
  lease_expiry TEXT,
  failure_reason INTEGER NOT NULL DEFAULT 99,
  scheduled_for TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  published_at TEXT,
  is_event INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT wh_outbox_pkey PRIMARY KEY (message_id)
);
CREATE INDEX IF NOT EXISTS wh_idx_outbox_status_created_at ON wh_outbox (status, created_at);
CREATE INDEX IF NOT EXISTS wh_idx_outbox_published_at ON wh_outbox (published_at);
CREATE INDEX IF NOT EXISTS wh_idx_outbox_lease_expiry ON wh_outbox (lease_expiry) WHERE lease_expiry IS NOT NULL;
CREATE INDEX IF NOT EXISTS wh_idx_outbox_status_lease ON wh_outbox (status, lease_expiry) WHERE (status & 32768) = 0 AND (status & 2) != 2;
CREATE INDEX IF NOT EXISTS wh_idx_outbox_failure_reason ON wh_outbox (failure_reason) WHERE (status & 32768) = 32768;
CREATE INDEX IF NOT EXISTS wh_idx_outbox_scheduled_for ON wh_outbox (stream_id, scheduled_for, created_at) WHERE scheduled_for IS NOT NULL;

CREATE TABLE IF NOT EXISTS wh_inbox (
  message_id TEXT NOT NULL,
  handler_name TEXT NOT NULL,
  message_type TEXT NOT NULL,
  event_data TEXT NOT NULL,
  metadata TEXT NOT NULL,
  scope TEXT,
  stream_id TEXT,
  partition_number INTEGER,
  is_event INTEGER NOT NULL DEFAULT 0,
  status INTEGER NOT NULL DEFAULT 1,
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  instance_id TEXT,
  lease_expiry TEXT,
  failure_reason INTEGER NOT NULL DEFAULT 99,
  scheduled_for TEXT,
  processed_at TEXT,
  received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CONSTRAINT wh_inbox_pkey PRIMARY KEY (message_id)
);
CREATE INDEX IF NOT EXISTS wh_idx_inbox_processed_at ON wh_inbox (processed_at);
CREATE INDEX IF NOT EXISTS wh_idx_inbox_received_at ON wh_inbox (received_at);
CREATE INDEX IF NOT EXISTS wh_idx_inbox_lease_expiry ON wh_inbox (lease_expiry) WHERE lease_expiry IS NOT NULL;
CREATE INDEX IF NOT EXISTS wh_idx_inbox_status_lease ON wh_inbox (status, lease_expiry) WHERE (status & 32768) = 0 AND (status & 2) != 2;
CREATE INDEX IF NOT EXISTS wh_idx_inbox_failure_reason ON wh_inbox (failure_reason) WHERE (status & 32768) = 32768;
CREATE INDEX IF NOT EXISTS wh_idx_inbox_scheduled_for ON wh_inbox (stream_id, scheduled_for, received_at) WHERE scheduled_for IS NOT NULL;
CREATE INDEX IF NOT EXISTS wh_idx_inbox_partition_claiming ON wh_inbox (partition_number, scheduled_for, received_at) WHERE (status & 2) != 2 AND (status & 32768) = 0;
CREATE INDEX IF NOT EXISTS wh_idx_inbox_instance_lease ON wh_inbox (instance_id, lease_expiry) WHERE instance_id IS NOT NULL AND lease_expiry IS NOT NULL;

CREATE TABLE IF NOT EXISTS wh_event_store (
  event_id TEXT NOT NULL,
  stream_id TEXT NOT NULL,
  aggregate_id TEXT NOT NULL,
  aggregate_type TEXT NOT NULL,
  event_type TEXT NOT NULL,
  event_data TEXT NOT NULL,
  metadata TEXT NOT NULL,
  scope TEXT,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CONSTRAINT wh_event_store_pkey PRIMARY KEY (event_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS wh_idx_event_store_stream ON wh_event_store (stream_id, version);
CREATE UNIQUE INDEX IF NOT EXISTS wh_idx_event_store_aggregate ON wh_event_store (aggregate_id, version);
CREATE INDEX IF NOT EXISTS wh_idx_event_store_aggregate_type ON wh_event_store (aggregate_type, created_at);

CREATE TABLE IF NOT EXISTS wh_receptor_processing (
  id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  receptor_name TEXT NOT NULL,
  stream_id TEXT NOT NULL,
  partition_number INTEGER,
  status INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  instance_id TEXT,
  lease_expiry TEXT,
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  claimed_at TEXT,
  completed_at TEXT,
  processed_at TEXT,
  CONSTRAINT wh_receptor_processing_pkey PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS wh_idx_receptor_processing_event_id ON wh_receptor_processing (event_id);
CREATE INDEX IF NOT EXISTS wh_idx_receptor_processing_receptor_name ON wh_receptor_processing (receptor_name);
CREATE INDEX IF NOT EXISTS wh_idx_receptor_processing_status ON wh_receptor_processing (status);

CREATE TABLE IF NOT EXISTS wh_perspective_checkpoints (
  stream_id TEXT NOT NULL,
  perspective_name TEXT NOT NULL,
  last_event_id TEXT,
  status INTEGER NOT NULL DEFAULT 0,
  processed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  error TEXT,
  CONSTRAINT wh_perspective_checkpoints_pkey PRIMARY KEY (stream_id, perspective_name)
);
CREATE INDEX IF NOT EXISTS wh_idx_perspective_checkpoints_perspective_name ON wh_perspective_checkpoints (perspective_name);
CREATE INDEX IF NOT EXISTS wh_idx_perspective_checkpoints_last_event_id ON wh_perspective_checkpoints (last_event_id);

CREATE TABLE IF NOT EXISTS wh_service_instances (
  instance_id TEXT NOT NULL,
  service_name TEXT NOT NULL,
  host_name TEXT NOT NULL,
  process_id INTEGER NOT NULL,
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  last_heartbeat_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  metadata TEXT,
  CONSTRAINT wh_service_instances_pkey PRIMARY KEY (instance_id)
);
CREATE INDEX IF NOT EXISTS wh_idx_service_instances_service_name ON wh_service_instances (service_name, last_heartbeat_at);
CREATE INDEX IF NOT EXISTS wh_idx_service_instances_heartbeat ON wh_service_instances (last_heartbeat_at);

CREATE TABLE IF NOT EXISTS wh_message_deduplication (
  message_id TEXT NOT NULL,
  first_seen_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CONSTRAINT wh_message_deduplication_pkey PRIMARY KEY (message_id)
);
CREATE INDEX IF NOT EXISTS wh_idx_message_dedup_first_seen ON wh_message_deduplication (first_seen_at);

CREATE TABLE IF NOT EXISTS wh_request_response (
  request_id TEXT NOT NULL,
  correlation_id TEXT NOT NULL,
  request_type TEXT NOT NULL,
  request_data TEXT NOT NULL,
  response_type TEXT,
  response_data TEXT,
  status TEXT NOT NULL DEFAULT 'Pending',
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  completed_at TEXT,
  expires_at TEXT,
  CONSTRAINT wh_request_response_pkey PRIMARY KEY (request_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS wh_idx_request_response_correlation ON wh_request_response (correlation_id);
CREATE INDEX IF NOT EXISTS wh_idx_request_response_status_created ON wh_request_response (status, created_at);
CREATE INDEX IF NOT EXISTS wh_idx_request_response_expires ON wh_request_response (expires_at);

CREATE TABLE IF NOT EXISTS wh_sequences (
  sequence_name TEXT NOT NULL,
  current_value INTEGER NOT NULL DEFAULT 0,
  increment_by INTEGER NOT NULL DEFAULT 1,
  last_updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  CONSTRAINT wh_sequences_pkey PRIMARY KEY (sequence_name)
);
