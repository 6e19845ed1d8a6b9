-- TRUNCATE takes its table before any trigger runs; on setting_values it would then wait for
-- the statistics buckets that writers hold while they read the thresholds: a deadlock.  DELETE
-- resets the settings and recounts without that (found by the concurrency review).
CREATE OR REPLACE FUNCTION query_ml.refuse_truncate()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RAISE EXCEPTION 'query_ml: TRUNCATE % is refused', TG_TABLE_NAME
        USING ERRCODE = 'feature_not_supported',
              DETAIL = 'It would recount every pattern while holding the table that feedback writers read.',
              HINT = 'DELETE FROM query_ml.setting_values resets every setting, or ml_reset_setting(name) one of them.';
END
$$;
COMMENT ON FUNCTION query_ml.refuse_truncate() IS 'trigger: refuses TRUNCATE of query_ml.setting_values, with the DELETE to use instead';
