CREATE TABLE IF NOT EXISTS wh_kit_extremes (
  id INTEGER NOT NULL,
  a_decimal NUMERIC(38,10),
  a_money NUMERIC(15,2),
  a_date DATE,
  a_double DOUBLE PRECISION,
  some_bytes BYTEA,
  few_bytes BYTEA,
  CONSTRAINT wh_kit_extremes_pkey PRIMARY KEY (id),
  CONSTRAINT wh_kit_extremes_few_bytes_key UNIQUE (few_bytes)
);
CREATE INDEX IF NOT EXISTS wh_by_day ON wh_kit_extremes (a_date, a_money, a_double);
