CREATE OR REPLACE VIEW query_ml.pattern_overview AS
SELECT p.id, p.signature, p.optimization_type, p.description, p.status, src.name AS source, p.dialect,
       s.applications, s.successes, s.regressions, s.success_rate, s.mean_improvement, s.mean_estimated,
       s.mean_improvement - s.mean_estimated AS mean_error,
       coalesce(p.calibrated_improvement, s.mean_improvement, s.mean_estimated) AS expected_improvement,
       s.confidence, s.confidence_wilson, s.first_applied, s.last_applied,
       p.fingerprint, p.parser_version, p.normalized_query, p.optimized_template, p.created_at
  FROM query_ml.patterns p
  JOIN query_ml.pattern_stats s ON s.pattern_id = p.id
  LEFT JOIN query_ml.sources src ON src.id = p.source_id;
COMMENT ON VIEW query_ml.pattern_overview IS 'each pattern with its statistics: applications, success rate, improvement, estimation error and confidence';
