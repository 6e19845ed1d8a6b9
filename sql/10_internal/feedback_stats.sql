-- Statement-level, over the transition table every feedback trigger calls changed_rows:
-- one pass however many rows a statement wrote, with a plan that is prepared once.  The
-- trigger's argument is the sign: +1 for rows added, -1 for rows removed (an UPDATE fires
-- one trigger of each).  Each writer adds to its own shard of a pattern's counters, so
-- concurrent writers do not queue.  SECURITY DEFINER: writers who may add feedback need no
-- right to edit statistics.  query_ml.recomputed_totals is the independent reference that
-- ml_check_stats compares this with.
CREATE OR REPLACE FUNCTION query_ml.feedback_stats()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    sign CONSTANT integer := TG_ARGV[0]::integer;
    my_shard CONSTANT smallint := pg_backend_pid() % 16;
    bounds bigint[];
BEGIN
    -- Counted with the thresholds, patterns and estimates in force once this statement holds its
    -- buckets: a threshold change, or an optimization moved to another pattern (of its fingerprint,
    -- so of its bucket) or given another estimate, holds the buckets exclusive while it recounts,
    -- so what it committed while this statement waited is read by the next statement, after the
    -- wait (CONCURRENCY.md).  Removals may rewrite every shard's bounds, so they hold their
    -- patterns alone.  A pattern changes its bucket only with a new fingerprint, which waits
    -- for this statement's transaction first (query_ml.lock_for_fingerprint).
    PERFORM query_ml.lock_bucket(b.bucket, sign < 0)      -- as query_ml.lock_stats does
       FROM (SELECT DISTINCT query_ml.stats_bucket(p.fingerprint) AS bucket
               FROM changed_rows c JOIN query_ml.optimizations o ON o.id = c.optimization_id
               JOIN query_ml.patterns p ON p.id = o.pattern_id) b
      ORDER BY b.bucket;
    WITH d AS (
        SELECT o.pattern_id, sign * count(*) AS applications,
               sign * count(*) FILTER (WHERE c.actual_improvement >= t.success) AS successes,
               sign * count(*) FILTER (WHERE c.actual_improvement < t.regression) AS regressions,
               sign * sum(c.actual_improvement) AS sum_actual, sign * sum(o.estimated_improvement) AS sum_estimated,
               sign * sum(abs(o.estimated_improvement - c.actual_improvement)) AS sum_abs_error,
               sign * sum(query_ml.estimate_accuracy(c.actual_improvement, o.estimated_improvement)) AS sum_accuracy,
               sign * count(*) FILTER (WHERE abs(o.estimated_improvement - c.actual_improvement) <= 10) AS within_10,
               sign * coalesce(sum(c.rating), 0) AS sum_rating, sign * count(c.rating) AS rated,
               min(c.applied_at) AS first_applied, max(c.applied_at) AS last_applied
          FROM changed_rows c JOIN query_ml.optimizations o ON o.id = c.optimization_id
         CROSS JOIN query_ml.thresholds() t
         GROUP BY o.pattern_id
    ), written AS (
        INSERT INTO query_ml.pattern_stats AS s (pattern_id, shard, applications, successes, regressions, sum_actual,
                                                 sum_estimated, sum_abs_error, sum_accuracy, within_10, sum_rating,
                                                 rated, first_applied, last_applied, version)
        SELECT d.pattern_id, my_shard, d.applications, d.successes, d.regressions, d.sum_actual, d.sum_estimated,
               d.sum_abs_error, d.sum_accuracy, d.within_10, d.sum_rating, d.rated,
               CASE WHEN sign > 0 THEN d.first_applied END, CASE WHEN sign > 0 THEN d.last_applied END,
               nextval('query_ml.stats_version')
          FROM d
         ORDER BY d.pattern_id   -- rows are locked in (pattern, shard) order, after their buckets
            ON CONFLICT (pattern_id, shard) DO UPDATE
           SET applications = s.applications + excluded.applications, successes = s.successes + excluded.successes,
               regressions = s.regressions + excluded.regressions, sum_actual = s.sum_actual + excluded.sum_actual,
               sum_estimated = s.sum_estimated + excluded.sum_estimated,
               sum_abs_error = s.sum_abs_error + excluded.sum_abs_error,
               sum_accuracy = s.sum_accuracy + excluded.sum_accuracy, within_10 = s.within_10 + excluded.within_10,
               sum_rating = s.sum_rating + excluded.sum_rating, rated = s.rated + excluded.rated,
               first_applied = least(s.first_applied, excluded.first_applied),
               last_applied = greatest(s.last_applied, excluded.last_applied), version = excluded.version
    )
    -- A removed row may have been its pattern's first or last: those bounds are read again.  The
    -- snapshot is the one before the upsert, whose removals leave every bound as it was.
    SELECT array_agg(d.pattern_id ORDER BY d.pattern_id) INTO bounds
      FROM d
     WHERE sign < 0
       AND (d.first_applied <= (SELECT min(s.first_applied) FROM query_ml.pattern_stats s WHERE s.pattern_id = d.pattern_id)
            OR d.last_applied >= (SELECT max(s.last_applied) FROM query_ml.pattern_stats s WHERE s.pattern_id = d.pattern_id)
            OR NOT EXISTS (SELECT FROM query_ml.pattern_stats s
                            WHERE s.pattern_id = d.pattern_id AND s.first_applied IS NOT NULL));
    IF bounds IS NOT NULL THEN
        PERFORM query_ml.reset_bounds(bounds, my_shard);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION query_ml.feedback_stats() IS
    'trigger: adds (argument +1) or subtracts (-1) the feedback rows of a statement to their patterns'' statistics';
