CREATE OR REPLACE FUNCTION @extschema@.ml_feedback_stats(group_by text DEFAULT 'type')
RETURNS TABLE (key text, patterns bigint, applications bigint, successes bigint, regressions bigint,
               success_rate double precision, mean_improvement double precision, mean_estimated double precision,
               mean_error double precision, mean_abs_error double precision, accuracy double precision,
               within_10_rate double precision, mean_rating double precision)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM query_ml.check_choice('group_by', group_by, ARRAY['pattern', 'type', 'source', 'all']);
    RETURN QUERY
        SELECT g.key, count(*), sum(s.applications)::bigint, sum(s.successes)::bigint, sum(s.regressions)::bigint,
               query_ml.shown_fraction(sum(s.successes) / sum(s.applications)),
               query_ml.shown_percent(sum(s.sum_actual) / sum(s.applications)),
               query_ml.shown_percent(sum(s.sum_estimated) / sum(s.applications)),
               query_ml.shown_percent(query_ml.mean_error(sum(s.sum_estimated), sum(s.sum_actual), sum(s.applications))),
               query_ml.shown_percent(sum(s.sum_abs_error) / sum(s.applications)),
               query_ml.shown_fraction(sum(s.sum_accuracy) / sum(s.applications)),
               query_ml.shown_fraction(sum(s.within_10) / sum(s.applications)),
               query_ml.shown_fraction(sum(s.sum_rating) / nullif(sum(s.rated), 0))
          FROM query_ml.pattern_totals s
          JOIN query_ml.patterns p ON p.id = s.pattern_id
          LEFT JOIN query_ml.sources src ON src.id = p.source_id
         CROSS JOIN LATERAL (SELECT CASE group_by
                                  WHEN 'pattern' THEN p.id::text
                                  WHEN 'type' THEN p.optimization_type
                                  WHEN 'source' THEN query_ml.source_label(src.name, p.dialect)
                                  ELSE 'all' END AS key) g
         WHERE s.applications > 0
         GROUP BY g.key
         ORDER BY sum(s.applications) DESC, g.key;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_feedback_stats(text) IS
    'feedback statistics per pattern, optimization type, source (a pattern''s scope; shared patterns under their dialect) or all, read from the maintained per-pattern sums, not from the feedback rows, and rounded for reading';
