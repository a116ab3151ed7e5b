-- Periodic health checks per connection.
ALTER TABLE connections ADD COLUMN next_health_check_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE connections ADD COLUMN last_health_check_at timestamptz;
