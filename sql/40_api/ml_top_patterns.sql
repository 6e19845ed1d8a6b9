CREATE OR REPLACE FUNCTION @extschema@.ml_top_patterns(
    row_limit bigint DEFAULT 10, ranking text DEFAULT 'confidence', source text DEFAULT NULL,
    min_applications bigint DEFAULT 1)
RETURNS TABLE (rank bigint, pattern_id bigint, signature text, optimization_type text, applications bigint,
               success_rate double precision, mean_improvement double precision, confidence double precision,
               confidence_wilson double precision, description text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    wanted_source integer;
BEGIN
    PERFORM query_ml.check_listing(row_limit, 0);
    PERFORM query_ml.check_choice('ranking', ranking, ARRAY['confidence', 'wilson', 'improvement', 'applications']);
    IF source IS NOT NULL THEN
        wanted_source := (query_ml.find_source(source)).id;
    END IF;
    RETURN QUERY
        SELECT row_number() OVER (), t.id, t.signature, t.optimization_type, t.applications,
               query_ml.shown_fraction(t.success_rate), query_ml.shown_percent(t.mean_improvement),
               query_ml.shown_fraction(t.confidence), query_ml.shown_fraction(t.confidence_wilson), t.description
          FROM (
            SELECT o.id, o.signature, o.optimization_type, o.applications, o.success_rate, o.mean_improvement,
                   o.confidence, o.confidence_wilson, o.description
              FROM query_ml.pattern_overview o JOIN query_ml.patterns p ON p.id = o.id
             WHERE o.status <> 'retired' AND o.applications >= greatest(coalesce(min_applications, 1), 0)
               AND (wanted_source IS NULL OR p.source_id = wanted_source OR p.source_id IS NULL)
             ORDER BY CASE ranking WHEN 'confidence' THEN o.confidence WHEN 'wilson' THEN o.confidence_wilson
                                   WHEN 'improvement' THEN o.mean_improvement ELSE o.applications END DESC NULLS LAST,
                      o.confidence DESC, o.confidence_wilson DESC, o.applications DESC, o.id
             LIMIT row_limit) t;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_top_patterns(bigint, text, text, bigint) IS
    'the best patterns, retired ones left out: ranked by confidence (default), wilson (the lower bound of the success rate), improvement or applications; ties go to higher confidence, then Wilson bound, then more applications; figures rounded for reading';
