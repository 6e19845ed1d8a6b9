-- ml_track's set-up step (CREATE INDEX, CREATE STATISTICS, SET), with its caller's rights.
-- lock_timeout bounds how long an index build waits for its table; the SET clauses keep what
-- the body sets inside this call, while the index or the setting itself lasts until
-- ml_track rolls its subtransaction back.
CREATE OR REPLACE FUNCTION query_ml.run_setup(statement text, caller_search_path text, lock_timeout_ms integer)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET standard_conforming_strings = on
SET lock_timeout = 0
AS $$
BEGIN
    PERFORM pg_catalog.set_config('lock_timeout', lock_timeout_ms::text, true);
    PERFORM pg_catalog.set_config('search_path', caller_search_path, true);
    EXECUTE statement;
END
$$;
COMMENT ON FUNCTION query_ml.run_setup(text, text, integer) IS
    'ml_track''s set-up step: the index or setting under test, with the caller''s rights, waiting at most lock_timeout_ms for a lock';
