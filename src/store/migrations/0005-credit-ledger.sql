-- Credits consumed (negative) and returned (positive) per connection; the sum is what is in use.
CREATE TABLE credit_ledger (
  id bigserial PRIMARY KEY,
  environment_id text NOT NULL REFERENCES environments(id),
  connection_id text NOT NULL REFERENCES connections(id),
  delta int NOT NULL,
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX credit_ledger_env ON credit_ledger (environment_id);
