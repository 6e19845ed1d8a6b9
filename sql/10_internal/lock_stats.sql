-- The one lock order of query_ml's statistics (CONCURRENCY.md): buckets in ascending order,
-- then pattern_stats rows in (pattern, shard) order.  A bucket is a hash of the fingerprint, so
-- an optimization moved to another pattern (of its fingerprint) stays in its bucket.  Writers take the buckets of their
-- patterns shared; what rewrites or recomputes a pattern's rows (removals, compaction,
-- recomputation, a new threshold) takes them exclusive.  Advisory locks of the transaction:
-- held to its end, and lock_timeout bounds the wait (55P03).
CREATE OR REPLACE FUNCTION query_ml.lock_stats(pattern_ids bigint[], exclusive boolean)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- Volatile functions in the target list run after ORDER BY: the buckets are locked in order.
    PERFORM CASE WHEN exclusive THEN pg_advisory_xact_lock(1903519081, b.bucket)
                 ELSE pg_advisory_xact_lock_shared(1903519081, b.bucket) END
       FROM (SELECT DISTINCT (hashtext(p.fingerprint) & 63) AS bucket FROM query_ml.patterns p
              WHERE p.id = ANY (pattern_ids)
             UNION
             SELECT g FROM generate_series(0, 63) AS g WHERE pattern_ids IS NULL) b
      ORDER BY b.bucket;
END
$$;
COMMENT ON FUNCTION query_ml.lock_stats(bigint[], boolean) IS
    'locks the statistics of some patterns (NULL: all) for this transaction, shared or exclusive, in the one global order';
