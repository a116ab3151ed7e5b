-- One customer's instance of one system. Credentials are AES-256-GCM ciphertext (see core/encryption).
CREATE TABLE connections (
  id text PRIMARY KEY,
  environment_id text NOT NULL REFERENCES environments(id),
  system text NOT NULL,
  deployment text NOT NULL CHECK (deployment IN ('cloud', 'on_premise')),
  customer_id text NOT NULL,
  customer_name text NOT NULL,
  instance_url text NOT NULL,
  credentials_enc text NOT NULL,
  settings jsonb NOT NULL DEFAULT '{}',
  status text NOT NULL DEFAULT 'active',
  status_reason text,
  credits int NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  disconnected_at timestamptz
);
CREATE INDEX connections_env_created ON connections (environment_id, created_at, id);
CREATE INDEX connections_customer ON connections (environment_id, customer_id);
