-- Materialised unified values: when a record row is over the TOAST threshold, PostgreSQL compresses
-- its widest values until it fits, and with the default pglz this column cost more CPU than the raw
-- data's lz4 (see 0012). Where lz4 is not built in (PGlite), the default stays.
DO $$ BEGIN ALTER TABLE records ALTER COLUMN unified SET COMPRESSION lz4; EXCEPTION WHEN OTHERS THEN NULL; END $$;
