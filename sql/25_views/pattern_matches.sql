-- What a match shows of a pattern; used for exact and for similar matches alike.  It adds up
-- only the four sums matching needs, beside patterns and not through pattern_totals: every
-- match call sets up this plan anew, and a smaller plan is most of what makes it cheap.
CREATE OR REPLACE VIEW query_ml.pattern_matches AS
SELECT p.id AS pattern_id, p.fingerprint, p.source_id, p.dialect, p.status, p.optimization_type, p.score,
       query_ml.confidence_score(t.applications, t.successes, t.sum_actual) AS confidence,
       query_ml.wilson_lower_bound(t.applications, t.successes) AS confidence_wilson,
       t.applications,
       coalesce(p.calibrated_improvement, (t.sum_actual / nullif(t.applications, 0))::double precision,
                (t.sum_estimated / nullif(t.applications, 0))::double precision) AS expected_improvement,
       coalesce(p.description, y.suggestion || CASE WHEN y.shows_sql THEN p.optimized_template ELSE '' END)
           AS suggestion,
       p.optimized_template
  FROM query_ml.patterns p
  JOIN query_ml.optimization_types y ON y.name = p.optimization_type
 CROSS JOIN LATERAL (
       SELECT coalesce(sum(s.applications), 0)::bigint AS applications, coalesce(sum(s.successes), 0)::bigint AS successes,
              coalesce(sum(s.sum_actual), 0) AS sum_actual, coalesce(sum(s.sum_estimated), 0) AS sum_estimated
         FROM query_ml.pattern_stats s WHERE s.pattern_id = p.id) t;
COMMENT ON VIEW query_ml.pattern_matches IS 'what a match shows of each pattern: score (what gates suggestions), confidence, expected improvement and the suggestion text';
