-- Durable event log, written in the same transaction as the change it reports.
CREATE TABLE events (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  environment_id text NOT NULL REFERENCES environments(id),
  connection_id text,
  type text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_env_seq ON events (environment_id, seq);
CREATE INDEX events_env_type ON events (environment_id, type, seq);
