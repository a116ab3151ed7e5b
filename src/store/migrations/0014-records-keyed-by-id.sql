-- A record's id is derived from (connection, entity, remote id) (src/core/ids.ts: 144 bits of
-- SHA-256), so the primary key already keeps one row per remote record: the second unique index
-- on (connection_id, entity, remote_id) only cost every insert. The foreign key to connections
-- cost a row lock and a lookup per inserted record (a quarter of a bulk load's time); records are
-- written only by a sync or read of a connection, and connections are never deleted (a
-- disconnected connection keeps its data), so nothing can orphan them.
ALTER TABLE records DROP CONSTRAINT IF EXISTS records_connection_id_entity_remote_id_key;
ALTER TABLE records DROP CONSTRAINT IF EXISTS records_connection_id_fkey;
