CREATE OR REPLACE VIEW query_ml.pattern_overview AS
SELECT p.id, p.signature, p.optimization_type, p.description, p.status, src.name AS source, p.dialect,
       t.applications, t.successes, t.regressions, t.success_rate, t.mean_improvement,
       -- Exact, from the feedback rows, and only worked out when a caller asks for it.
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY f.actual_improvement)
          FROM query_ml.optimizations o JOIN query_ml.feedback f ON f.optimization_id = o.id
         WHERE o.pattern_id = p.id) AS median_improvement,
       t.mean_estimated, t.mean_error, t.accuracy,
       coalesce(p.calibrated_improvement, t.mean_improvement, t.mean_estimated) AS expected_improvement,
       t.confidence, t.confidence_wilson, t.first_applied, t.last_applied,
       p.fingerprint, p.parser_version, p.normalized_query, p.optimized_template, p.created_at, p.refined_at
  FROM query_ml.patterns p
  JOIN query_ml.pattern_totals t ON t.pattern_id = p.id
  LEFT JOIN query_ml.sources src ON src.id = p.source_id;
COMMENT ON VIEW query_ml.pattern_overview IS 'each pattern with its statistics: applications, success rate, improvement, estimation error and confidence';
