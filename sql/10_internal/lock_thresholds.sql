-- Taken before any pattern bucket (see lock_stats): writers hold it shared while they count
-- successes with the thresholds they read; a threshold change holds it exclusive while it
-- recounts every pattern, so no writer counts with a threshold that is being replaced.
CREATE OR REPLACE FUNCTION query_ml.lock_thresholds(exclusive boolean)
RETURNS void
LANGUAGE sql VOLATILE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT CASE WHEN exclusive THEN pg_catalog.pg_advisory_xact_lock(1903519081, 64)
                ELSE pg_catalog.pg_advisory_xact_lock_shared(1903519081, 64) END;
END;
COMMENT ON FUNCTION query_ml.lock_thresholds(boolean) IS
    'locks the success and regression thresholds for this transaction: shared to count with them, exclusive to change them';
