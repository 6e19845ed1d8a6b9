CREATE OR REPLACE FUNCTION query_ml.create_pattern_stats()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO query_ml.pattern_stats (pattern_id) SELECT id FROM new_patterns;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION query_ml.create_pattern_stats() IS 'trigger: every new pattern gets its (empty) statistics row';
