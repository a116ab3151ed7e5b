-- Sync state per connection and entity (schedule, high-water mark, checkpoint) and run history.
CREATE TABLE sync_state (
  connection_id text NOT NULL REFERENCES connections(id),
  entity text NOT NULL,
  status text NOT NULL DEFAULT 'pending',
  initial_done boolean NOT NULL DEFAULT false,
  window_start timestamptz,
  high_water timestamptz,
  current_run_id text,
  resume text,
  last_sync_started_at timestamptz,
  last_sync_finished_at timestamptz,
  last_successful_sync_at timestamptz,
  last_reconciled_at timestamptz,
  next_scheduled_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  full_resync_requested boolean NOT NULL DEFAULT false,
  PRIMARY KEY (connection_id, entity)
);
CREATE INDEX sync_state_due ON sync_state (next_scheduled_at);

CREATE TABLE sync_runs (
  id text PRIMARY KEY,
  connection_id text NOT NULL REFERENCES connections(id),
  entity text NOT NULL,
  mode text NOT NULL,
  status text NOT NULL,
  since timestamptz,
  window_start timestamptz,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  pages int NOT NULL DEFAULT 0,
  records_added int NOT NULL DEFAULT 0,
  records_updated int NOT NULL DEFAULT 0,
  records_deleted int NOT NULL DEFAULT 0,
  records_unchanged int NOT NULL DEFAULT 0,
  requests int NOT NULL DEFAULT 0,
  retries int NOT NULL DEFAULT 0,
  attempts int NOT NULL DEFAULT 1,
  high_water timestamptz,
  resumed_from_page int,
  worker text,
  error text
);
CREATE INDEX sync_runs_conn ON sync_runs (connection_id, started_at DESC);
