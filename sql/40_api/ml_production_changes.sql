CREATE OR REPLACE FUNCTION @extschema@.ml_production_changes()
RETURNS TABLE (optimization_id bigint, pattern_id bigint, applied_at timestamptz, marked_by name, status text,
               calls_before bigint, calls_after bigint, before_ms double precision, after_ms double precision,
               improvement double precision, feedback_id bigint)
LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT c.optimization_id, o.pattern_id, c.applied_at, c.marked_by,
           CASE WHEN c.verified_at IS NOT NULL THEN 'verified' ELSE 'pending' END,
           b.calls, a.calls, query_ml.shown_ms(b.total_exec_ms / nullif(b.calls, 0)),
           query_ml.shown_ms(a.total_exec_ms / nullif(a.calls, 0)), query_ml.shown_percent(f.actual_improvement::double precision),
           c.feedback_id
      FROM query_ml.production_changes c
      JOIN query_ml.optimizations o ON o.id = c.optimization_id
      LEFT JOIN query_ml.production_sides b ON b.change_id = c.id AND NOT b.after
      LEFT JOIN query_ml.production_sides a ON a.change_id = c.id AND a.after
      LEFT JOIN query_ml.feedback f ON f.id = c.feedback_id
     ORDER BY c.applied_at DESC, c.optimization_id;
END;
COMMENT ON FUNCTION @extschema@.ml_production_changes() IS
    'the changes marked as applied in production: the captured calls and mean execution time on each side so far, and, once verified, the improvement of the feedback row that verified it';
