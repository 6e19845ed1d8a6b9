-- The one place where ml_track runs a measured query, with its caller's rights (SECURITY
-- INVOKER).  The SET clauses scope what the body sets to this call: the caller's search_path
-- resolves only the measured query, never query_ml's own calls, and strings are read as
-- pglast read them when the query was checked.
CREATE OR REPLACE FUNCTION query_ml.explain_measured(query text, caller_search_path text)
RETURNS SETOF json
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET standard_conforming_strings = on
AS $$
DECLARE
    -- Built before the caller's search_path is in force, which could otherwise choose the ||.
    statement CONSTANT text := 'EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) ' OPERATOR(pg_catalog.||) query;
    plan json;
BEGIN
    -- Read-only until PL/Python's subtransaction around this call ends.
    SET LOCAL transaction_read_only = on;
    PERFORM pg_catalog.set_config('search_path', caller_search_path, true);
    -- FOR ... IN EXECUTE opens a cursor, which holds one statement: the server itself refuses
    -- a second one, whatever the text looked like to pglast.  (RETURN QUERY EXECUTE would
    -- run them all.)
    FOR plan IN EXECUTE statement LOOP
        RETURN NEXT plan;
    END LOOP;
END
$$;
COMMENT ON FUNCTION query_ml.explain_measured(text, text) IS
    'ml_track''s measurement: EXPLAIN ANALYZE of one statement, read-only, with the caller''s rights and search_path';
