-- Raw records are large JSON documents: lz4 compresses them several times faster than the default
-- pglz, where the server has it (PostgreSQL built with lz4); elsewhere the default stays.
DO $$ BEGIN ALTER TABLE records ALTER COLUMN data SET COMPRESSION lz4; EXCEPTION WHEN OTHERS THEN NULL; END $$;
