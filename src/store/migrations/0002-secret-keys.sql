-- Secret keys authenticate management calls; only their SHA-256 digest is stored.
CREATE TABLE secret_keys (
  id text PRIMARY KEY,
  environment_id text NOT NULL REFERENCES environments(id),
  token_hash text NOT NULL UNIQUE,
  hint text NOT NULL,
  name text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
