-- What rewrites statistics after waiting for writers must see the rows they committed: a
-- snapshot taken before the wait (REPEATABLE READ, SERIALIZABLE) would miss them (found by the
-- concurrency review).
CREATE OR REPLACE FUNCTION query_ml.require_read_committed()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'query_ml: statistics are recounted only in READ COMMITTED, not in %',
                        upper(current_setting('transaction_isolation'))
            USING ERRCODE = 'feature_not_supported',
                  DETAIL = 'A change of an estimate, a pattern or a threshold, and ml_refine(), rewrite statistics.',
                  HINT = 'Run it in a READ COMMITTED transaction (the default).';
    END IF;
END
$$;
COMMENT ON FUNCTION query_ml.require_read_committed() IS 'refuses to rewrite statistics outside READ COMMITTED';
