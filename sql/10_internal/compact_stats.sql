-- Waits for the writers of some patterns still in flight, then folds their counter shards into
-- one row each, so that reading them stays cheap.  ml_refine calls it on the patterns it
-- considers, chosen by a statistics version read before: a writer in flight took its version
-- before that read, and would look refined once it commits, so the run waits for it and the
-- statements after this one count its rows (CONCURRENCY.md).  Writers of patterns not chosen
-- carry versions above their patterns' refined_version, and are chosen next time.
CREATE OR REPLACE FUNCTION query_ml.compact_stats(pattern_ids bigint[])
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    sharded bigint[];
    totals query_ml.pattern_stats[];
BEGIN
    IF cardinality(pattern_ids) = 0 THEN
        RETURN;
    END IF;
    PERFORM query_ml.require_read_committed();
    -- No writer adds a shard row while they are folded.
    PERFORM query_ml.lock_stats(pattern_ids, true);
    SELECT array_agg(s.pattern_id ORDER BY s.pattern_id) INTO sharded
      FROM (SELECT s.pattern_id FROM query_ml.pattern_stats s WHERE s.pattern_id = ANY (pattern_ids)
             GROUP BY s.pattern_id HAVING count(*) > 1) s;
    IF sharded IS NULL THEN
        RETURN;
    END IF;
    SELECT array_agg(ROW(t.*)::query_ml.pattern_stats) INTO totals
      FROM (SELECT s.pattern_id, 0::smallint, sum(s.applications)::bigint, sum(s.successes)::bigint,
                   sum(s.regressions)::bigint, sum(s.sum_actual), sum(s.sum_estimated), sum(s.sum_abs_error),
                   sum(s.sum_accuracy), sum(s.within_10)::bigint, sum(s.sum_rating)::bigint, sum(s.rated)::bigint,
                   min(s.first_applied), max(s.last_applied), max(s.version)
              FROM query_ml.pattern_stats s WHERE s.pattern_id = ANY (sharded) GROUP BY s.pattern_id) t;
    DELETE FROM query_ml.pattern_stats s WHERE s.pattern_id = ANY (sharded);
    INSERT INTO query_ml.pattern_stats SELECT * FROM unnest(totals) ORDER BY 1;
END
$$;
COMMENT ON FUNCTION query_ml.compact_stats(bigint[]) IS 'waits for the writers of some patterns in flight, then folds their counter shards into one row each';
