-- Raw source records, verbatim, plus the unified view materialised with the mapping it was made
-- with (mapping_hash): a changed mapping is applied at read time until records are re-materialised.
CREATE TABLE records (
  id text PRIMARY KEY,
  seq bigserial NOT NULL,
  connection_id text NOT NULL REFERENCES connections(id),
  entity text NOT NULL,
  remote_id text NOT NULL,
  data json NOT NULL,
  content_hash text NOT NULL,
  unified jsonb,
  mapping_hash text,
  remote_created_at timestamptz,
  remote_updated_at timestamptz,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_run text,
  deleted boolean NOT NULL DEFAULT false,
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  modified_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (connection_id, entity, remote_id)
);
-- Lists page by insertion order (seq never changes, so concurrent updates cannot skip or repeat rows).
CREATE UNIQUE INDEX records_page ON records (connection_id, entity, seq);
CREATE INDEX records_modified ON records (connection_id, entity, modified_at);
