CREATE OR REPLACE VIEW query_ml.feedback_details AS
SELECT f.id AS feedback_id, f.optimization_id, o.pattern_id, src.name AS source, p.optimization_type,
       f.applied_at, f.before_execution_ms, f.after_execution_ms, f.before_planning_ms, f.after_planning_ms,
       f.before_rows, f.after_rows, f.before_shared_hit, f.before_shared_read, f.after_shared_hit, f.after_shared_read,
       f.runs, f.actual_improvement, o.estimated_improvement,
       o.estimated_improvement - f.actual_improvement AS estimation_error,
       f.actual_improvement >= t.success AS succeeded,
       f.actual_improvement < t.regression AS regressed,
       f.rating, f.comment, f.measured_by, f.submitted_by, f.created_at
  FROM query_ml.feedback f
  JOIN query_ml.optimizations o ON o.id = f.optimization_id
  JOIN query_ml.patterns p ON p.id = o.pattern_id
  JOIN query_ml.sources src ON src.id = o.source_id
 CROSS JOIN query_ml.thresholds() t;
COMMENT ON VIEW query_ml.feedback_details IS
    'each feedback row with its pattern, source, estimate, signed error (estimated minus measured) and whether it succeeded or regressed';
