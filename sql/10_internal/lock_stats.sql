-- The one lock order of query_ml's statistics (CONCURRENCY.md): buckets in ascending order,
-- then pattern_stats rows in (pattern, shard) order.  Writers take the buckets of their
-- patterns shared; what rewrites or recomputes a pattern's rows (removals, compaction,
-- recomputation, a new threshold) takes them exclusive.  The statistics trigger, which runs
-- for every writing statement, takes its buckets the same way inline.
CREATE OR REPLACE FUNCTION query_ml.lock_stats(pattern_ids bigint[], exclusive boolean)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    held integer[] := '{}';
    wanted integer[];
BEGIN
    -- A new fingerprint (re-fingerprinting) moves a pattern to another bucket while this waits:
    -- each round reads the buckets again after its wait, and takes those it does not hold yet.
    LOOP
        wanted := ARRAY(SELECT DISTINCT query_ml.stats_bucket(p.fingerprint) FROM query_ml.patterns p
                         WHERE p.id = ANY (pattern_ids)
                        UNION
                        SELECT g FROM generate_series(0, 63) AS g WHERE pattern_ids IS NULL);
        EXIT WHEN wanted <@ held;
        -- Volatile functions in the target list run after ORDER BY: the buckets are locked in order.
        PERFORM query_ml.lock_bucket(b.bucket, exclusive)
           FROM unnest(wanted) AS b (bucket) WHERE b.bucket <> ALL (held) ORDER BY b.bucket;
        held := held || wanted;
    END LOOP;
END
$$;
COMMENT ON FUNCTION query_ml.lock_stats(bigint[], boolean) IS
    'locks the statistics of some patterns (NULL: all) for this transaction, shared or exclusive, in the one global order';
