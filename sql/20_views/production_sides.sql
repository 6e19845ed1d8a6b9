-- The captured workload on each side of every change marked as applied in production, once
-- (README, "Workload"): statements with the pattern's fingerprint, in captures whose interval
-- ended at or before the change and began at most verify_window_hours before it (before), or
-- began at or after it and ended at most as long after (after).  An interval across the change
-- counts for neither side.
-- security_invoker: it reads every role's statements, so only those who may read the
-- snapshots (admins) may read it.
CREATE OR REPLACE VIEW query_ml.production_sides WITH (security_invoker = true) AS
WITH span AS MATERIALIZED (
    SELECT make_interval(secs => query_ml.setting('verify_window_hours')::double precision * 3600) AS length
)
SELECT c.id AS change_id, c.optimization_id, a.after, sum(s.calls_delta)::bigint AS calls,
       sum(s.total_exec_ms_delta) AS total_exec_ms, sum(s.rows_delta)::bigint AS rows,
       sum(s.shared_blks_hit_delta)::bigint AS shared_blks_hit, sum(s.shared_blks_read_delta)::bigint AS shared_blks_read
  FROM query_ml.production_changes c
  JOIN query_ml.optimizations o ON o.id = c.optimization_id
  JOIN query_ml.patterns p ON p.id = o.pattern_id
  JOIN query_ml.workload_snapshots s ON s.fingerprint = p.fingerprint
  JOIN query_ml.workload_captures w ON w.id = s.capture_id
 CROSS JOIN span
 CROSS JOIN LATERAL (SELECT s.since >= c.applied_at AS after) a
 WHERE (w.captured_at <= c.applied_at AND s.since >= c.applied_at - span.length)
    OR (s.since >= c.applied_at AND w.captured_at <= c.applied_at + span.length)
 GROUP BY c.id, c.optimization_id, a.after;
COMMENT ON VIEW query_ml.production_sides IS
    'per change marked as applied in production and side (after: false before the change, true after it): the captured calls, execution time, rows and shared blocks of its fingerprint''s statements';
