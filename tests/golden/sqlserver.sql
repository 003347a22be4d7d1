-- Filtered indexes need these SET options when they are created, and for every later
-- INSERT, UPDATE, DELETE and MERGE on their tables ("CREATE INDEX", required SET options).
SET ANSI_NULLS, ANSI_PADDING, ANSI_WARNINGS, ARITHABORT, CONCAT_NULL_YIELDS_NULL, QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

IF OBJECT_ID(N'dbo.wh_outbox', N'U') IS NULL
CREATE TABLE dbo.wh_outbox (
  message_id UNIQUEIDENTIFIER NOT NULL,
  destination NVARCHAR(500) NOT NULL,
  stream_id UNIQUEIDENTIFIER NULL,
  partition_number INT NULL,
  event_type NVARCHAR(500) NOT NULL,
  event_data NVARCHAR(MAX) NOT NULL,
  metadata NVARCHAR(MAX) NOT NULL,
  [scope] NVARCHAR(MAX) NULL,
  status INT CONSTRAINT wh_outbox_status_default DEFAULT 1 NOT NULL,
  attempts INT CONSTRAINT wh_outbox_attempts_default DEFAULT 0 NOT NULL,
  error NVARCHAR(MAX) NULL,
  instance_id UNIQUEIDENTIFIER NULL,
  lease_expiry DATETIMEOFFSET NULL,
  failure_reason INT CONSTRAINT wh_outbox_failure_reason_default DEFAULT 99 NOT NULL,
  scheduled_for DATETIMEOFFSET NULL,
  created_at DATETIMEOFFSET CONSTRAINT wh_outbox_created_at_default DEFAULT SYSDATETIMEOFFSET() NOT NULL,
  published_at DATETIMEOFFSET NULL,
  is_event BIT CONSTRAINT wh_outbox_is_event_default DEFAULT 0 NOT NULL,
  CONSTRAINT wh_outbox_pkey PRIMARY KEY (message_id)
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_outbox_status_created_at' AND object_id = OBJECT_ID(N'dbo.wh_outbox'))
CREATE INDEX wh_idx_outbox_status_created_at ON dbo.wh_outbox (status, created_at);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_outbox_published_at' AND object_id = OBJECT_ID(N'dbo.wh_outbox'))
CREATE INDEX wh_idx_outbox_published_at ON dbo.wh_outbox (published_at);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_outbox_lease_expiry' AND object_id = OBJECT_ID(N'dbo.wh_outbox'))
CREATE INDEX wh_idx_outbox_lease_expiry ON dbo.wh_outbox (lease_expiry) WHERE lease_expiry IS NOT NULL;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_outbox_status_lease' AND object_id = OBJECT_ID(N'dbo.wh_outbox'))
CREATE INDEX wh_idx_outbox_status_lease ON dbo.wh_outbox (status, lease_expiry);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_outbox_failure_reason' AND object_id = OBJECT_ID(N'dbo.wh_outbox'))
CREATE INDEX wh_idx_outbox_failure_reason ON dbo.wh_outbox (failure_reason);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_outbox_scheduled_for' AND object_id = OBJECT_ID(N'dbo.wh_outbox'))
CREATE INDEX wh_idx_outbox_scheduled_for ON dbo.wh_outbox (stream_id, scheduled_for, created_at) WHERE scheduled_for IS NOT NULL;
GO

IF OBJECT_ID(N'dbo.wh_inbox', N'U') IS NULL
CREATE TABLE dbo.wh_inbox (
  message_id UNIQUEIDENTIFIER NOT NULL,
  handler_name NVARCHAR(500) NOT NULL,
  message_type NVARCHAR(500) NOT NULL,
  event_data NVARCHAR(MAX) NOT NULL,
  metadata NVARCHAR(MAX) NOT NULL,
  [scope] NVARCHAR(MAX) NULL,
  stream_id UNIQUEIDENTIFIER NULL,
  partition_number INT NULL,
  is_event BIT CONSTRAINT wh_inbox_is_event_default DEFAULT 0 NOT NULL,
  status INT CONSTRAINT wh_inbox_status_default DEFAULT 1 NOT NULL,
  attempts INT CONSTRAINT wh_inbox_attempts_default DEFAULT 0 NOT NULL,
  error NVARCHAR(MAX) NULL,
  instance_id UNIQUEIDENTIFIER NULL,
  lease_expiry DATETIMEOFFSET NULL,
  failure_reason INT CONSTRAINT wh_inbox_failure_reason_default DEFAULT 99 NOT NULL,
  scheduled_for DATETIMEOFFSET NULL,
  processed_at DATETIMEOFFSET NULL,
  received_at DATETIMEOFFSET CONSTRAINT wh_inbox_received_at_default DEFAULT SYSDATETIMEOFFSET() NOT NULL,
  CONSTRAINT wh_inbox_pkey PRIMARY KEY (message_id)
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_inbox_processed_at' AND object_id = OBJECT_ID(N'dbo.wh_inbox'))
CREATE INDEX wh_idx_inbox_processed_at ON dbo.wh_inbox (processed_at);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_inbox_received_at' AND object_id = OBJECT_ID(N'dbo.wh_inbox'))
CREATE INDEX wh_idx_inbox_received_at ON dbo.wh_inbox (received_at);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_inbox_lease_expiry' AND object_id = OBJECT_ID(N'dbo.wh_inbox'))
CREATE INDEX wh_idx_inbox_lease_expiry ON dbo.wh_inbox (lease_expiry) WHERE lease_expiry IS NOT NULL;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_inbox_status_lease' AND object_id = OBJECT_ID(N'dbo.wh_inbox'))
CREATE INDEX wh_idx_inbox_status_lease ON dbo.wh_inbox (status, lease_expiry);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_inbox_failure_reason' AND object_id = OBJECT_ID(N'dbo.wh_inbox'))
CREATE INDEX wh_idx_inbox_failure_reason ON dbo.wh_inbox (failure_reason);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_inbox_scheduled_for' AND object_id = OBJECT_ID(N'dbo.wh_inbox'))
CREATE INDEX wh_idx_inbox_scheduled_for ON dbo.wh_inbox (stream_id, scheduled_for, received_at) WHERE scheduled_for IS NOT NULL;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_inbox_partition_claiming' AND object_id = OBJECT_ID(N'dbo.wh_inbox'))
CREATE INDEX wh_idx_inbox_partition_claiming ON dbo.wh_inbox (partition_number, scheduled_for, received_at);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_inbox_instance_lease' AND object_id = OBJECT_ID(N'dbo.wh_inbox'))
CREATE INDEX wh_idx_inbox_instance_lease ON dbo.wh_inbox (instance_id, lease_expiry) WHERE instance_id IS NOT NULL AND lease_expiry IS NOT NULL;
GO

IF OBJECT_ID(N'dbo.wh_event_store', N'U') IS NULL
CREATE TABLE dbo.wh_event_store (
  event_id UNIQUEIDENTIFIER NOT NULL,
  stream_id UNIQUEIDENTIFIER NOT NULL,
  aggregate_id UNIQUEIDENTIFIER NOT NULL,
  aggregate_type NVARCHAR(500) NOT NULL,
  event_type NVARCHAR(500) NOT NULL,
  event_data NVARCHAR(MAX) NOT NULL,
  metadata NVARCHAR(MAX) NOT NULL,
  [scope] NVARCHAR(MAX) NULL,
  version INT NOT NULL,
  created_at DATETIMEOFFSET CONSTRAINT wh_event_store_created_at_default DEFAULT SYSDATETIMEOFFSET() NOT NULL,
  CONSTRAINT wh_event_store_pkey PRIMARY KEY (event_id)
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_event_store_stream' AND object_id = OBJECT_ID(N'dbo.wh_event_store'))
CREATE UNIQUE INDEX wh_idx_event_store_stream ON dbo.wh_event_store (stream_id, version);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_event_store_aggregate' AND object_id = OBJECT_ID(N'dbo.wh_event_store'))
CREATE UNIQUE INDEX wh_idx_event_store_aggregate ON dbo.wh_event_store (aggregate_id, version);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_event_store_aggregate_type' AND object_id = OBJECT_ID(N'dbo.wh_event_store'))
CREATE INDEX wh_idx_event_store_aggregate_type ON dbo.wh_event_store (aggregate_type, created_at);
GO

IF OBJECT_ID(N'dbo.wh_receptor_processing', N'U') IS NULL
CREATE TABLE dbo.wh_receptor_processing (
  id UNIQUEIDENTIFIER NOT NULL,
  event_id UNIQUEIDENTIFIER NOT NULL,
  receptor_name NVARCHAR(450) NOT NULL,
  stream_id UNIQUEIDENTIFIER NOT NULL,
  partition_number INT NULL,
  status SMALLINT CONSTRAINT wh_receptor_processing_status_default DEFAULT 0 NOT NULL,
  attempts INT CONSTRAINT wh_receptor_processing_attempts_default DEFAULT 0 NOT NULL,
  error NVARCHAR(MAX) NULL,
  instance_id UNIQUEIDENTIFIER NULL,
  lease_expiry DATETIMEOFFSET NULL,
  started_at DATETIMEOFFSET CONSTRAINT wh_receptor_processing_started_at_default DEFAULT SYSDATETIMEOFFSET() NOT NULL,
  claimed_at DATETIMEOFFSET NULL,
  completed_at DATETIMEOFFSET NULL,
  processed_at DATETIMEOFFSET NULL,
  CONSTRAINT wh_receptor_processing_pkey PRIMARY KEY (id)
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_receptor_processing_event_id' AND object_id = OBJECT_ID(N'dbo.wh_receptor_processing'))
CREATE INDEX wh_idx_receptor_processing_event_id ON dbo.wh_receptor_processing (event_id);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_receptor_processing_receptor_name' AND object_id = OBJECT_ID(N'dbo.wh_receptor_processing'))
CREATE INDEX wh_idx_receptor_processing_receptor_name ON dbo.wh_receptor_processing (receptor_name);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_receptor_processing_status' AND object_id = OBJECT_ID(N'dbo.wh_receptor_processing'))
CREATE INDEX wh_idx_receptor_processing_status ON dbo.wh_receptor_processing (status);
GO

IF OBJECT_ID(N'dbo.wh_perspective_checkpoints', N'U') IS NULL
CREATE TABLE dbo.wh_perspective_checkpoints (
  stream_id UNIQUEIDENTIFIER NOT NULL,
  perspective_name NVARCHAR(442) NOT NULL,
  last_event_id UNIQUEIDENTIFIER NULL,
  status SMALLINT CONSTRAINT wh_perspective_checkpoints_status_default DEFAULT 0 NOT NULL,
  processed_at DATETIMEOFFSET CONSTRAINT wh_perspective_checkpoints_processed_at_default DEFAULT SYSDATETIMEOFFSET() NOT NULL,
  error NVARCHAR(MAX) NULL,
  CONSTRAINT wh_perspective_checkpoints_pkey PRIMARY KEY (stream_id, perspective_name)
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_perspective_checkpoints_perspective_name' AND object_id = OBJECT_ID(N'dbo.wh_perspective_checkpoints'))
CREATE INDEX wh_idx_perspective_checkpoints_perspective_name ON dbo.wh_perspective_checkpoints (perspective_name);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_perspective_checkpoints_last_event_id' AND object_id = OBJECT_ID(N'dbo.wh_perspective_checkpoints'))
CREATE INDEX wh_idx_perspective_checkpoints_last_event_id ON dbo.wh_perspective_checkpoints (last_event_id);
GO

IF OBJECT_ID(N'dbo.wh_service_instances', N'U') IS NULL
CREATE TABLE dbo.wh_service_instances (
  instance_id UNIQUEIDENTIFIER NOT NULL,
  service_name NVARCHAR(200) NOT NULL,
  host_name NVARCHAR(200) NOT NULL,
  process_id INT NOT NULL,
  started_at DATETIMEOFFSET CONSTRAINT wh_service_instances_started_at_default DEFAULT SYSDATETIMEOFFSET() NOT NULL,
  last_heartbeat_at DATETIMEOFFSET CONSTRAINT wh_service_instances_last_heartbeat_at_default DEFAULT SYSDATETIMEOFFSET() NOT NULL,
  metadata NVARCHAR(MAX) NULL,
  CONSTRAINT wh_service_instances_pkey PRIMARY KEY (instance_id)
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_service_instances_service_name' AND object_id = OBJECT_ID(N'dbo.wh_service_instances'))
CREATE INDEX wh_idx_service_instances_service_name ON dbo.wh_service_instances (service_name, last_heartbeat_at);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_service_instances_heartbeat' AND object_id = OBJECT_ID(N'dbo.wh_service_instances'))
CREATE INDEX wh_idx_service_instances_heartbeat ON dbo.wh_service_instances (last_heartbeat_at);
GO

IF OBJECT_ID(N'dbo.wh_message_deduplication', N'U') IS NULL
CREATE TABLE dbo.wh_message_deduplication (
  message_id UNIQUEIDENTIFIER NOT NULL,
  first_seen_at DATETIMEOFFSET CONSTRAINT wh_message_deduplication_first_seen_at_default DEFAULT SYSDATETIMEOFFSET() NOT NULL,
  CONSTRAINT wh_message_deduplication_pkey PRIMARY KEY (message_id)
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_message_dedup_first_seen' AND object_id = OBJECT_ID(N'dbo.wh_message_deduplication'))
CREATE INDEX wh_idx_message_dedup_first_seen ON dbo.wh_message_deduplication (first_seen_at);
GO

IF OBJECT_ID(N'dbo.wh_request_response', N'U') IS NULL
CREATE TABLE dbo.wh_request_response (
  request_id UNIQUEIDENTIFIER NOT NULL,
  correlation_id UNIQUEIDENTIFIER NOT NULL,
  request_type NVARCHAR(500) NOT NULL,
  request_data NVARCHAR(MAX) NOT NULL,
  response_type NVARCHAR(500) NULL,
  response_data NVARCHAR(MAX) NULL,
  status NVARCHAR(50) CONSTRAINT wh_request_response_status_default DEFAULT N'Pending' NOT NULL,
  created_at DATETIMEOFFSET CONSTRAINT wh_request_response_created_at_default DEFAULT SYSDATETIMEOFFSET() NOT NULL,
  completed_at DATETIMEOFFSET NULL,
  expires_at DATETIMEOFFSET NULL,
  CONSTRAINT wh_request_response_pkey PRIMARY KEY (request_id)
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_request_response_correlation' AND object_id = OBJECT_ID(N'dbo.wh_request_response'))
CREATE UNIQUE INDEX wh_idx_request_response_correlation ON dbo.wh_request_response (correlation_id);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_request_response_status_created' AND object_id = OBJECT_ID(N'dbo.wh_request_response'))
CREATE INDEX wh_idx_request_response_status_created ON dbo.wh_request_response (status, created_at);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_request_response_expires' AND object_id = OBJECT_ID(N'dbo.wh_request_response'))
CREATE INDEX wh_idx_request_response_expires ON dbo.wh_request_response (expires_at);
GO

IF OBJECT_ID(N'dbo.wh_sequences', N'U') IS NULL
CREATE TABLE dbo.wh_sequences (
  sequence_name NVARCHAR(200) NOT NULL,
  current_value BIGINT CONSTRAINT wh_sequences_current_value_default DEFAULT 0 NOT NULL,
  increment_by INT CONSTRAINT wh_sequences_increment_by_default DEFAULT 1 NOT NULL,
  last_updated_at DATETIMEOFFSET CONSTRAINT wh_sequences_last_updated_at_default DEFAULT SYSDATETIMEOFFSET() NOT NULL,
  CONSTRAINT wh_sequences_pkey PRIMARY KEY (sequence_name)
);
GO
