-- An UPDATE of feedback fires one statistics trigger for the old rows and one for the new;
-- this one fires before both (trigger names sort) and takes every lock they need at once, in
-- the global order, so that the second never waits for a bucket the first did not take.
CREATE OR REPLACE FUNCTION query_ml.feedback_update_locks()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM query_ml.lock_stats(ARRAY(
        SELECT DISTINCT o.pattern_id
          FROM (SELECT r.optimization_id FROM old_rows r UNION SELECT r.optimization_id FROM new_rows r) r
          JOIN query_ml.optimizations o ON o.id = r.optimization_id), true);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION query_ml.feedback_update_locks() IS
    'trigger: before an UPDATE of feedback is counted, locks the statistics of every pattern it touches, in order';
