-- What a match shows of a pattern; used for exact and for similar matches alike.
CREATE OR REPLACE VIEW query_ml.pattern_matches AS
SELECT p.id AS pattern_id, p.fingerprint, p.source_id, p.dialect, p.status, p.optimization_type,
       t.confidence, t.confidence_wilson, t.applications,
       coalesce(p.calibrated_improvement, t.mean_improvement, t.mean_estimated) AS expected_improvement,
       coalesce(p.description, CASE p.optimization_type
           WHEN 'rewrite' THEN 'rewrite the query; ml_apply_pattern gives the SQL'
           WHEN 'hint' THEN 'add the planner hint; ml_apply_pattern gives the SQL'
           WHEN 'index' THEN 'create the index: ' || p.optimized_template
           WHEN 'setting' THEN 'change the setting: ' || p.optimized_template
           ELSE p.optimized_template END) AS suggestion,
       p.optimized_template
  FROM query_ml.patterns p
  JOIN query_ml.pattern_totals t ON t.pattern_id = p.id;
COMMENT ON VIEW query_ml.pattern_matches IS 'what a match shows of each pattern: confidence, expected improvement and the suggestion text';
