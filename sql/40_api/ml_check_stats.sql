CREATE OR REPLACE FUNCTION @extschema@.ml_check_stats()
RETURNS TABLE (pattern_id bigint, statistic text, maintained text, recomputed text)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT * FROM query_ml.stats_differences();
END;
COMMENT ON FUNCTION @extschema@.ml_check_stats() IS
    'compares every maintained pattern statistic with a full recomputation from the feedback rows; no rows means they are in step';
