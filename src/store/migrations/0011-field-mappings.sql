-- Per-connection overrides of the connector's default mapping, one row per unified field.
CREATE TABLE field_mappings (
  connection_id text NOT NULL REFERENCES connections(id),
  entity text NOT NULL,
  field text NOT NULL,
  mapping jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connection_id, entity, field)
);
