-- Connection tokens reach the unified data of one connection; digests only.
CREATE TABLE connection_tokens (
  id text PRIMARY KEY,
  connection_id text NOT NULL REFERENCES connections(id),
  token_hash text NOT NULL UNIQUE,
  hint text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX connection_tokens_conn ON connection_tokens (connection_id);
