CREATE TABLE IF NOT EXISTS wh_kit_extremes (
  id INT NOT NULL,
  a_decimal REAL,
  a_money REAL,
  a_date TEXT,
  a_double REAL,
  some_bytes BLOB,
  few_bytes BLOB,
  CONSTRAINT wh_kit_extremes_pkey PRIMARY KEY (id),
  CONSTRAINT wh_kit_extremes_few_bytes_key UNIQUE (few_bytes)
);
CREATE INDEX IF NOT EXISTS wh_by_day ON wh_kit_extremes (a_date, a_money, a_double);
