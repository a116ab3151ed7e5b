-- Every API request, with secrets redacted before they are written.
CREATE TABLE request_log (
  id bigserial PRIMARY KEY,
  request_id text NOT NULL,
  environment_id text,
  connection_id text,
  method text NOT NULL,
  path text NOT NULL,
  status int NOT NULL,
  duration_ms double precision NOT NULL,
  request_headers jsonb NOT NULL,
  request_body jsonb,
  response_body jsonb,
  error_code text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX request_log_env_time ON request_log (environment_id, created_at DESC);
CREATE INDEX request_log_request_id ON request_log (request_id);
