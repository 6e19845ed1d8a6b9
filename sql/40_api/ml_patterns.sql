CREATE OR REPLACE FUNCTION @extschema@.ml_patterns(
    source text DEFAULT NULL, optimization_type text DEFAULT NULL, min_applications bigint DEFAULT 0,
    status text DEFAULT NULL, row_limit bigint DEFAULT 50, row_offset bigint DEFAULT 0)
RETURNS SETOF query_ml.pattern_overview
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    wanted_source integer;
BEGIN
    PERFORM query_ml.check_listing(row_limit, row_offset);
    PERFORM query_ml.check_optimization_type(optimization_type);
    PERFORM query_ml.check_choice('status', status, ARRAY['active', 'flagged', 'retired'], nullable => true);
    IF source IS NOT NULL THEN
        wanted_source := (query_ml.find_source(source)).id;
    END IF;
    RETURN QUERY
        SELECT o.id, o.signature, o.optimization_type, o.description, o.status,
               query_ml.source_label(o.source, o.dialect), o.dialect, o.applications, o.successes, o.regressions,
               query_ml.shown_fraction(o.success_rate), query_ml.shown_percent(o.mean_improvement),
               query_ml.shown_percent(o.median_improvement), query_ml.shown_percent(o.mean_estimated),
               query_ml.shown_percent(o.mean_error), query_ml.shown_fraction(o.accuracy),
               query_ml.shown_percent(o.expected_improvement), query_ml.shown_fraction(o.confidence),
               query_ml.shown_fraction(o.confidence_wilson), query_ml.shown_time(o.first_applied),
               query_ml.shown_time(o.last_applied), o.fingerprint, o.parser_version, o.normalized_query,
               o.optimized_template, query_ml.shown_time(o.created_at), query_ml.shown_time(o.refined_at)
          FROM query_ml.pattern_overview o JOIN query_ml.patterns p ON p.id = o.id
         WHERE (wanted_source IS NULL OR p.source_id = wanted_source)
           AND (ml_patterns.optimization_type IS NULL OR o.optimization_type = ml_patterns.optimization_type)
           AND (ml_patterns.status IS NULL OR o.status = ml_patterns.status)
           AND o.applications >= coalesce(min_applications, 0)
         ORDER BY o.id
         LIMIT row_limit OFFSET row_offset;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_patterns(text, text, bigint, text, bigint, bigint) IS
    'the stored patterns with their statistics, filtered by source, optimization type, minimum applications and status, by id, with row_limit and row_offset; figures rounded for reading, a shared pattern''s source as shared (<dialect>)';
