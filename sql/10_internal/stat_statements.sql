-- Where pg_stat_statements is, or an error that names exactly what is missing (README,
-- "Workload").  Its settings exist only when the library was preloaded, and every role may read
-- pg_stat_statements.max, where shared_preload_libraries is hidden from most.
CREATE OR REPLACE FUNCTION query_ml.stat_statements()
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    preloaded CONSTANT boolean := EXISTS (SELECT FROM pg_catalog.pg_settings WHERE name = 'pg_stat_statements.max');
    schema name;
BEGIN
    SELECT n.nspname INTO schema
      FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'pg_stat_statements';
    IF NOT preloaded THEN
        RAISE EXCEPTION 'query_ml: pg_stat_statements is not loaded'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'The workload functions read pg_stat_statements, which needs its library preloaded.',
                  HINT = 'Add pg_stat_statements to shared_preload_libraries in postgresql.conf and restart the server'
                         || CASE WHEN schema IS NULL THEN ', then run CREATE EXTENSION pg_stat_statements; in this database.'
                                 ELSE '.' END;
    END IF;
    IF schema IS NULL THEN
        RAISE EXCEPTION 'query_ml: pg_stat_statements is not installed in this database'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'The library is loaded, but the extension''s views are not created here.',
                  HINT = 'Run CREATE EXTENSION pg_stat_statements; in this database.';
    END IF;
    RETURN pg_catalog.quote_ident(schema);
END
$$;
COMMENT ON FUNCTION query_ml.stat_statements() IS
    'the schema of pg_stat_statements, quoted; an error (55000) with a hint naming what is missing when it is not preloaded or not installed here';
