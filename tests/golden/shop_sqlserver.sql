-- Filtered indexes need these SET options when they are created, and for every later
-- INSERT, UPDATE, DELETE and MERGE on their tables ("CREATE INDEX", required SET options).
SET ANSI_NULLS, ANSI_PADDING, ANSI_WARNINGS, ARITHABORT, CONCAT_NULL_YIELDS_NULL, QUOTED_IDENTIFIER ON;
SET NUMERIC_ROUNDABORT OFF;
GO

IF OBJECT_ID(N'dbo.shop_customers', N'U') IS NULL
CREATE TABLE dbo.shop_customers (
  id BIGINT NOT NULL,
  email NVARCHAR(200) NOT NULL,
  CONSTRAINT shop_customers_pkey PRIMARY KEY (id),
  CONSTRAINT shop_customers_email_key UNIQUE (email)
);
GO

IF OBJECT_ID(N'dbo.shop_orders', N'U') IS NULL
CREATE TABLE dbo.shop_orders (
  id BIGINT NOT NULL,
  customer_id BIGINT NULL,
  customer_email NVARCHAR(200) NULL,
  qty INT NOT NULL,
  paid BIT CONSTRAINT shop_orders_paid_default DEFAULT 0 NOT NULL,
  CONSTRAINT shop_orders_pkey PRIMARY KEY (id),
  CONSTRAINT shop_fk_orders_customer FOREIGN KEY (customer_id) REFERENCES dbo.shop_customers (id) ON DELETE SET NULL,
  CONSTRAINT shop_fk_orders_email FOREIGN KEY (customer_email) REFERENCES dbo.shop_customers (email) ON UPDATE CASCADE,
  CONSTRAINT shop_ck_orders_qty CHECK (qty BETWEEN 1 AND 1000),
  CONSTRAINT shop_ck_orders_paid CHECK (paid = 1 OR qty < 100)
);
GO

IF OBJECT_ID(N'dbo.shop_order_lines', N'U') IS NULL
CREATE TABLE dbo.shop_order_lines (
  order_id BIGINT NOT NULL,
  line INT NOT NULL,
  CONSTRAINT shop_order_lines_pkey PRIMARY KEY (order_id, line),
  CONSTRAINT shop_fk_lines_order FOREIGN KEY (order_id) REFERENCES dbo.shop_orders (id) ON DELETE CASCADE
);
GO

IF OBJECT_ID(N'dbo.shop_teams', N'U') IS NULL
CREATE TABLE dbo.shop_teams (
  id INT NOT NULL,
  captain_id INT NULL,
  CONSTRAINT shop_teams_pkey PRIMARY KEY (id)
);
GO

IF OBJECT_ID(N'dbo.shop_players', N'U') IS NULL
CREATE TABLE dbo.shop_players (
  id INT NOT NULL,
  team_id INT NULL,
  CONSTRAINT shop_players_pkey PRIMARY KEY (id),
  CONSTRAINT shop_fk_players_team FOREIGN KEY (team_id) REFERENCES dbo.shop_teams (id)
);
GO
IF OBJECT_ID(N'dbo.shop_fk_teams_captain') IS NULL
ALTER TABLE dbo.shop_teams ADD CONSTRAINT shop_fk_teams_captain FOREIGN KEY (captain_id) REFERENCES dbo.shop_players (id);
GO
