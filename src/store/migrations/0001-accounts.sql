-- Accounts (the vendor) and their two isolated environments.
CREATE TABLE accounts (
  id text PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE environments (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts(id),
  kind text NOT NULL CHECK (kind IN ('sandbox', 'production')),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (account_id, kind)
);
