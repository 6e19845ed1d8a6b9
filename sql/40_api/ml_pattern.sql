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
    -- Its figures as ml_patterns() shows them: rounded for reading, a shared pattern's source named.
    SELECT to_jsonb(o) || jsonb_build_object(
               'source', query_ml.source_label(o.source, o.dialect),
               'success_rate', query_ml.shown_fraction(o.success_rate), 'accuracy', query_ml.shown_fraction(o.accuracy),
               'confidence', query_ml.shown_fraction(o.confidence),
               'confidence_wilson', query_ml.shown_fraction(o.confidence_wilson),
               'mean_improvement', query_ml.shown_percent(o.mean_improvement),
               'median_improvement', query_ml.shown_percent(o.median_improvement),
               'mean_estimated', query_ml.shown_percent(o.mean_estimated), 'mean_error', query_ml.shown_percent(o.mean_error),
               'expected_improvement', query_ml.shown_percent(o.expected_improvement),
               'first_applied', query_ml.shown_time(o.first_applied), 'last_applied', query_ml.shown_time(o.last_applied),
               'created_at', query_ml.shown_time(o.created_at), 'refined_at', query_ml.shown_time(o.refined_at))
      INTO result FROM query_ml.pattern_overview o WHERE o.id = pattern_id;
    IF result IS NULL THEN
        RAISE EXCEPTION 'query_ml: pattern % does not exist', pattern_id
            USING ERRCODE = 'no_data_found', HINT = 'ml_patterns() lists the patterns.';
    END IF;
    RETURN result || jsonb_build_object(
        'optimizations', (SELECT count(*) FROM query_ml.optimizations op WHERE op.pattern_id = ml_pattern.pattern_id),
        'recent_feedback', coalesce((
            SELECT jsonb_agg(to_jsonb(r) - 'at' ORDER BY r.at DESC, r.id DESC) FROM (
                SELECT f.id, f.applied_at AS at, f.optimization_id, query_ml.shown_time(f.applied_at) AS applied_at,
                       query_ml.shown_percent(f.actual_improvement) AS actual_improvement,
                       query_ml.shown_percent(op.estimated_improvement) AS estimated_improvement,
                       query_ml.shown_ms(f.before_execution_ms) AS before_execution_ms,
                       query_ml.shown_ms(f.after_execution_ms) AS after_execution_ms, f.rating, f.measured_by, f.comment
                  FROM query_ml.feedback f JOIN query_ml.optimizations op ON op.id = f.optimization_id
                 WHERE op.pattern_id = ml_pattern.pattern_id
                 ORDER BY f.applied_at DESC, f.id DESC
                 LIMIT greatest(coalesce(recent, 10), 0)) r), '[]'));
END
$$;
COMMENT ON FUNCTION @extschema@.ml_pattern(bigint, integer) IS
    'one pattern as jsonb: its query shape, optimization, statistics (median included) and its most recent feedback, rounded for reading';
