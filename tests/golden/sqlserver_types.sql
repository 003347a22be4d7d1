-- Filtered indexes need these SET options when they are created, and for every later
-- INSERT, UPDATE, DELETE and MERGE on their tables ("CREATE INDEX", required SET options).
SET ANSI_NULLS, ANSI_PADDING, ANSI_WARNINGS, ARITHABORT, CONCAT_NULL_YIELDS_NULL, QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

IF OBJECT_ID(N'dbo.wh_kit_extremes', N'U') IS NULL
CREATE TABLE dbo.wh_kit_extremes (
  id INT NOT NULL,
  a_decimal DECIMAL(38,10) NULL,
  a_money DECIMAL(15,2) NULL,
  a_date DATE NULL,
  a_double FLOAT NULL,
  some_bytes VARBINARY(MAX) NULL,
  few_bytes VARBINARY(300) NULL,
  CONSTRAINT wh_kit_extremes_pkey PRIMARY KEY (id)
);
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_kit_extremes_few_bytes_key' AND object_id = OBJECT_ID(N'dbo.wh_kit_extremes'))
CREATE UNIQUE INDEX wh_kit_extremes_few_bytes_key ON dbo.wh_kit_extremes (few_bytes) WHERE few_bytes IS NOT NULL;
GO
IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'wh_by_day' AND object_id = OBJECT_ID(N'dbo.wh_kit_extremes'))
CREATE INDEX wh_by_day ON dbo.wh_kit_extremes (a_date, a_money, a_double);
GO
