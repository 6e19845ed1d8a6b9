-- One bucket of the statistics, shared or exclusive, for the transaction: held to its end, and
-- lock_timeout bounds the wait (55P03).  A single RETURN expression, so the planner inlines it.
CREATE OR REPLACE FUNCTION query_ml.lock_bucket(bucket integer, exclusive boolean)
RETURNS void
LANGUAGE sql VOLATILE
RETURN CASE WHEN exclusive THEN pg_advisory_xact_lock(1903519081, bucket)
            ELSE pg_advisory_xact_lock_shared(1903519081, bucket) END;
COMMENT ON FUNCTION query_ml.lock_bucket(integer, boolean) IS
    'locks one bucket of the statistics for this transaction, shared or exclusive';
