-- renames-object, locks-writes, locks-reads
EXEC sp_rename N'dbo.wh_legacy', N'wh_archive';
-- renames-object, locks-writes, locks-reads
EXEC sp_rename N'dbo.wh_orders.old_name', N'new_name', N'COLUMN';
-- no hazard
ALTER TABLE dbo.wh_orders ADD added INT NULL;
-- locks-writes, locks-reads
DROP INDEX wh_idx_qty ON dbo.wh_orders;
-- locks-writes, locks-reads
ALTER TABLE dbo.wh_orders DROP CONSTRAINT wh_orders_status_default;
-- locks-writes, locks-reads
ALTER TABLE dbo.wh_orders DROP CONSTRAINT wh_orders_flag_default;
-- locks-writes, locks-reads
ALTER TABLE dbo.wh_orders DROP CONSTRAINT wh_orders_kind_default;
-- locks-writes, locks-reads, rewrites-table
ALTER TABLE dbo.wh_orders ALTER COLUMN note NVARCHAR(100) NULL;
-- locks-writes, locks-reads, rewrites-table, may-fail-on-existing-rows
ALTER TABLE dbo.wh_orders ALTER COLUMN label NVARCHAR(30) NULL;
-- locks-writes, locks-reads, rewrites-table
ALTER TABLE dbo.wh_orders ALTER COLUMN qty INT NULL;
-- locks-writes, locks-reads, scans-table, may-fail-on-existing-rows
ALTER TABLE dbo.wh_orders ALTER COLUMN status NVARCHAR(20) NOT NULL;
-- locks-writes, locks-reads, scans-table, may-fail-on-existing-rows
ALTER TABLE dbo.wh_orders ALTER COLUMN region NVARCHAR(10) NOT NULL;
-- locks-writes, locks-reads, scans-table
ALTER TABLE dbo.wh_orders ALTER COLUMN flag BIT NULL;
-- locks-writes, locks-reads, scans-table, may-fail-on-existing-rows
ALTER TABLE dbo.wh_orders ALTER COLUMN added INT NOT NULL;
-- locks-writes
ALTER TABLE dbo.wh_orders ADD CONSTRAINT wh_orders_status_default DEFAULT N'new' FOR status;
-- locks-writes
ALTER TABLE dbo.wh_orders ADD CONSTRAINT wh_orders_flag_default DEFAULT 0 FOR flag;
-- locks-writes
ALTER TABLE dbo.wh_orders ADD CONSTRAINT wh_orders_prio_default DEFAULT 5 FOR prio;
-- locks-writes
ALTER TABLE dbo.wh_orders ADD CONSTRAINT wh_orders_kind_default DEFAULT N'b' FOR kind;
-- locks-writes, locks-reads
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_qty' AND object_id = OBJECT_ID(N'dbo.wh_orders'))
CREATE INDEX wh_idx_qty ON dbo.wh_orders (qty) WHERE qty > 1;
-- locks-writes, scans-table, may-fail-on-existing-rows
ALTER TABLE dbo.wh_orders ADD CONSTRAINT wh_uq_code UNIQUE (code);
-- locks-writes, locks-reads
DROP INDEX wh_idx_code ON dbo.wh_orders;
-- locks-writes, scans-table
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_code' AND object_id = OBJECT_ID(N'dbo.wh_orders'))
CREATE INDEX wh_idx_code ON dbo.wh_orders (code, status);
-- locks-writes, locks-reads
DROP INDEX wh_idx_qty ON dbo.wh_orders;
-- locks-writes, scans-table
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_qty' AND object_id = OBJECT_ID(N'dbo.wh_orders'))
CREATE INDEX wh_idx_qty ON dbo.wh_orders (qty) WHERE qty > 1;
-- locks-writes, scans-table
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_idx_note' AND object_id = OBJECT_ID(N'dbo.wh_orders'))
CREATE INDEX wh_idx_note ON dbo.wh_orders (note);
-- drops-data, locks-writes, locks-reads
ALTER TABLE dbo.wh_orders DROP COLUMN gone;
