CREATE OR REPLACE FUNCTION query_ml.feedback_truncated()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM query_ml.recompute_pattern_stats(NULL);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION query_ml.feedback_truncated() IS 'trigger: TRUNCATE of query_ml.feedback empties every pattern''s statistics';
