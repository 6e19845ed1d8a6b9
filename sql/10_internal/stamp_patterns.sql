-- Marks some patterns changed for the next ml_refine() without changing their counts: a new
-- optimization moves its pattern's estimate (query_ml.pattern_estimates), and so its prior,
-- before any result comes.  A zero change in this session's shard, stamped with a new statistics
-- version, under the buckets held shared, as a writer of feedback adds its counts (CONCURRENCY.md).
CREATE OR REPLACE FUNCTION query_ml.stamp_patterns(pattern_ids bigint[])
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM query_ml.lock_stats(pattern_ids, false);
    INSERT INTO query_ml.pattern_stats AS s (pattern_id, shard, version)
    SELECT p.id, query_ml.writer_shard(), nextval('query_ml.stats_version')
      FROM query_ml.patterns p WHERE p.id = ANY (pattern_ids)
     ORDER BY p.id      -- rows are locked in (pattern, shard) order, after their buckets
        ON CONFLICT (pattern_id, shard) DO UPDATE SET version = excluded.version;
END
$$;
COMMENT ON FUNCTION query_ml.stamp_patterns(bigint[]) IS
    'marks some patterns changed for the next ml_refine() (a new statistics version), their counts unchanged';
