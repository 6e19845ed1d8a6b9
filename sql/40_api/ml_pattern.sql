CREATE OR REPLACE FUNCTION @extschema@.ml_pattern(pattern_id bigint, recent integer DEFAULT 10)
RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    result jsonb;
BEGIN
    IF pattern_id IS NULL THEN
        RAISE EXCEPTION 'query_ml: pattern_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT to_jsonb(o) INTO result FROM query_ml.pattern_overview o WHERE o.id = pattern_id;
    IF result IS NULL THEN
        RAISE EXCEPTION 'query_ml: pattern % does not exist', pattern_id
            USING ERRCODE = 'no_data_found', HINT = 'ml_patterns() lists the patterns.';
    END IF;
    RETURN result || jsonb_build_object(
        'optimizations', (SELECT count(*) FROM query_ml.optimizations op WHERE op.pattern_id = ml_pattern.pattern_id),
        'recent_feedback', coalesce((
            SELECT jsonb_agg(r ORDER BY r.applied_at DESC, r.id DESC) FROM (
                SELECT f.id, f.optimization_id, f.applied_at, round(f.actual_improvement::numeric, 2) AS actual_improvement,
                       op.estimated_improvement, f.before_execution_ms, f.after_execution_ms, f.rating,
                       f.measured_by, f.comment
                  FROM query_ml.feedback f JOIN query_ml.optimizations op ON op.id = f.optimization_id
                 WHERE op.pattern_id = ml_pattern.pattern_id
                 ORDER BY f.applied_at DESC, f.id DESC
                 LIMIT greatest(coalesce(recent, 10), 0)) r), '[]'));
END
$$;
COMMENT ON FUNCTION @extschema@.ml_pattern(bigint, integer) IS
    'one pattern as jsonb: its query shape, optimization, statistics (median included) and its most recent feedback';
