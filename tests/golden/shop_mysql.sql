CREATE TABLE IF NOT EXISTS shop_customers (
  id BIGINT NOT NULL,
  email VARCHAR(200) NOT NULL,
  CONSTRAINT shop_customers_pkey PRIMARY KEY (id),
  CONSTRAINT shop_customers_email_key UNIQUE (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS shop_orders (
  id BIGINT NOT NULL,
  customer_id BIGINT,
  customer_email VARCHAR(200),
  qty INT NOT NULL,
  paid BOOLEAN NOT NULL DEFAULT 0,
  CONSTRAINT shop_orders_pkey PRIMARY KEY (id),
  CONSTRAINT shop_fk_orders_customer FOREIGN KEY (customer_id) REFERENCES shop_customers (id) ON DELETE SET NULL,
  CONSTRAINT shop_fk_orders_email FOREIGN KEY (customer_email) REFERENCES shop_customers (email) ON UPDATE CASCADE,
  CONSTRAINT shop_ck_orders_qty CHECK (qty BETWEEN 1 AND 1000),
  CONSTRAINT shop_ck_orders_paid CHECK (paid = 1 OR qty < 100)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS shop_order_lines (
  order_id BIGINT NOT NULL,
  line INT NOT NULL,
  CONSTRAINT shop_order_lines_pkey PRIMARY KEY (order_id, line),
  CONSTRAINT shop_fk_lines_order FOREIGN KEY (order_id) REFERENCES shop_orders (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS shop_teams (
  id INT NOT NULL,
  captain_id INT,
  CONSTRAINT shop_teams_pkey PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS shop_players (
  id INT NOT NULL,
  team_id INT,
  CONSTRAINT shop_players_pkey PRIMARY KEY (id),
  CONSTRAINT shop_fk_players_team FOREIGN KEY (team_id) REFERENCES shop_teams (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
ALTER TABLE shop_teams ADD CONSTRAINT shop_fk_teams_captain FOREIGN KEY (captain_id) REFERENCES shop_players (id);
