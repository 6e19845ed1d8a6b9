-- A pattern whose fingerprint changes moves to another statistics bucket.  Before the row is
-- written, this waits for the feedback writers in flight (they counted under the old bucket)
-- and holds new ones back until commit (SHARE on the feedback table), then holds every bucket:
-- no writer, compaction or recomputation of the pattern can run under the old bucket beside
-- one under the new.  BEFORE the update, which holds the row with FOR NO KEY UPDATE only, so
-- that a writer adding a shard row (whose foreign key takes KEY SHARE) never waits for it.
CREATE OR REPLACE FUNCTION query_ml.lock_for_fingerprint()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    LOCK TABLE query_ml.feedback IN SHARE MODE;
    PERFORM query_ml.lock_stats(NULL, true);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION query_ml.lock_for_fingerprint() IS
    'trigger: holds feedback writers and every statistics bucket before a pattern changes its fingerprint';
