CREATE OR REPLACE FUNCTION @extschema@.ml_refinement_history(row_limit bigint DEFAULT 10)
RETURNS SETOF query_ml.refinement_runs
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM query_ml.check_listing(row_limit, 0);
    RETURN QUERY SELECT * FROM query_ml.refinement_runs r ORDER BY r.id DESC LIMIT row_limit;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_refinement_history(bigint) IS 'the latest ml_refine() runs, newest first';
