-- Replaces the shards of some patterns (NULL: all) with one row of totals read afresh from
-- the feedback rows, stamped with a new statistics version.  A recounted pattern without feedback
-- is marked changed (query_ml.mark_changed): its last results went (TRUNCATE,
-- a deleted optimization) or its estimate changed, and the next ml_refine() must take it up
-- (found by the red team: it kept the score of results that were gone).
CREATE OR REPLACE FUNCTION query_ml.recompute_pattern_stats(pattern_ids bigint[] DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    stamp bigint;
    written bigint;
BEGIN
    PERFORM query_ml.require_read_committed();
    -- Writers of these patterns in flight commit first, and new ones wait: the totals below are
    -- read from every committed row, and no shard row appears while they are replaced.
    -- The feedback table ranks before the buckets: a TRUNCATE queued for it must not wait for
    -- buckets held here while this waits for it (CONCURRENCY.md).
    LOCK TABLE query_ml.feedback IN ACCESS SHARE MODE;
    PERFORM query_ml.lock_stats(pattern_ids, true);
    stamp := nextval('query_ml.stats_version');
    DELETE FROM query_ml.pattern_stats s WHERE pattern_ids IS NULL OR s.pattern_id = ANY (pattern_ids);
    INSERT INTO query_ml.pattern_stats (pattern_id, shard, applications, successes, regressions, sum_actual,
                                        sum_estimated, sum_abs_error, sum_accuracy, within_10, sum_rating, rated,
                                        first_applied, last_applied, version)
    SELECT t.pattern_id, 0, t.applications, t.successes, t.regressions, t.sum_actual, t.sum_estimated,
           t.sum_abs_error, t.sum_accuracy, t.within_10, t.sum_rating, t.rated, t.first_applied, t.last_applied, stamp
      FROM query_ml.recomputed_totals(pattern_ids) t
     ORDER BY t.pattern_id;
    GET DIAGNOSTICS written = ROW_COUNT;
    PERFORM query_ml.mark_changed(ARRAY(
        SELECT p.id FROM query_ml.patterns p
         WHERE (pattern_ids IS NULL OR p.id = ANY (pattern_ids))
           AND NOT EXISTS (SELECT FROM query_ml.pattern_stats s WHERE s.pattern_id = p.id)));
    RETURN written;
END
$$;
COMMENT ON FUNCTION query_ml.recompute_pattern_stats(bigint[]) IS
    'recomputes the statistics of some patterns (NULL: all) from their feedback rows, and marks changed those left without; returns how many patterns have feedback';
