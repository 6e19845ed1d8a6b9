-- Marks some patterns changed for the next ml_refine() without changing their counts
-- (query_ml.pattern_changes): a new optimization moves its pattern's estimate, and so its prior,
-- before any result comes.  Under the patterns' buckets held shared, as a writer of feedback adds
-- its counts (CONCURRENCY.md): a refinement that considers one of them waits for this
-- transaction, and one that does not leaves it to the next run.
CREATE OR REPLACE FUNCTION query_ml.stamp_patterns(pattern_ids bigint[])
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM query_ml.lock_stats(pattern_ids, false);
    PERFORM query_ml.mark_changed(pattern_ids, nextval('query_ml.stats_version'));
END
$$;
COMMENT ON FUNCTION query_ml.stamp_patterns(bigint[]) IS
    'marks some patterns changed for the next ml_refine() (a new statistics version), their counts unchanged';
