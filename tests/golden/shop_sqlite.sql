CREATE TABLE IF NOT EXISTS shop_customers (
  id INT NOT NULL,
  email TEXT NOT NULL,
  CONSTRAINT shop_customers_pkey PRIMARY KEY (id),
  CONSTRAINT shop_customers_email_key UNIQUE (email)
);

CREATE TABLE IF NOT EXISTS shop_orders (
  id INT NOT NULL,
  customer_id INTEGER,
  customer_email TEXT,
  qty INTEGER NOT NULL,
  paid INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT shop_orders_pkey PRIMARY KEY (id),
  CONSTRAINT shop_fk_orders_customer FOREIGN KEY (customer_id) REFERENCES shop_customers (id) ON DELETE SET NULL,
  CONSTRAINT shop_fk_orders_email FOREIGN KEY (customer_email) REFERENCES shop_customers (email) ON UPDATE CASCADE,
  CONSTRAINT shop_ck_orders_qty CHECK (qty BETWEEN 1 AND 1000),
  CONSTRAINT shop_ck_orders_paid CHECK (paid = TRUE OR qty < 100)
);

CREATE TABLE IF NOT EXISTS shop_order_lines (
  order_id INTEGER NOT NULL,
  line INTEGER NOT NULL,
  CONSTRAINT shop_order_lines_pkey PRIMARY KEY (order_id, line),
  CONSTRAINT shop_fk_lines_order FOREIGN KEY (order_id) REFERENCES shop_orders (id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS shop_teams (
  id INT NOT NULL,
  captain_id INTEGER,
  CONSTRAINT shop_teams_pkey PRIMARY KEY (id),
  CONSTRAINT shop_fk_teams_captain FOREIGN KEY (captain_id) REFERENCES shop_players (id)
);

CREATE TABLE IF NOT EXISTS shop_players (
  id INT NOT NULL,
  team_id INTEGER,
  CONSTRAINT shop_players_pkey PRIMARY KEY (id),
  CONSTRAINT shop_fk_players_team FOREIGN KEY (team_id) REFERENCES shop_teams (id)
);
