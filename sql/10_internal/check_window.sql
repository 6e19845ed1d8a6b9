-- The window (days back from now) of the trend and report functions, and the buckets it is cut
-- into.  Any reader may call those functions, and every bucket costs a row and a join: both are
-- bounded, so that no call runs for minutes.
CREATE OR REPLACE FUNCTION query_ml.check_window(days integer, bucket interval DEFAULT interval '1 day')
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    max_days CONSTANT integer := 3650;
    max_buckets CONSTANT integer := 5000;
    buckets numeric;
BEGIN
    IF days IS NULL THEN
        RAISE EXCEPTION 'query_ml: days must not be NULL'
            USING ERRCODE = 'null_value_not_allowed', HINT = 'Leave it out for the last 30 days.';
    END IF;
    IF bucket IS NULL THEN
        RAISE EXCEPTION 'query_ml: the bucket must not be NULL'
            USING ERRCODE = 'null_value_not_allowed', HINT = 'Leave it out for one bucket a day.';
    END IF;
    IF days < 1 THEN
        RAISE EXCEPTION 'query_ml: the window must be at least 1 day, not %', days
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF days > max_days THEN
        RAISE EXCEPTION 'query_ml: the window is % days long; the most is % (ten years)', days, max_days
            USING ERRCODE = 'program_limit_exceeded';
    END IF;
    -- date_bin() cannot cut by months or years, which differ in length.
    IF date_part('month', bucket) <> 0 OR date_part('year', bucket) <> 0
       OR bucket < interval '1 minute' OR bucket > make_interval(days => days) THEN
        RAISE EXCEPTION 'query_ml: the bucket must lie between a minute and the window, in days, hours or minutes'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'For example ml_accuracy_trend(30, ''1 day'').';
    END IF;
    buckets := ceil(extract(epoch FROM make_interval(days => days)) / extract(epoch FROM bucket));
    IF buckets > max_buckets THEN
        RAISE EXCEPTION 'query_ml: % days in buckets of % make % buckets; the most is %', days, bucket, buckets, max_buckets
            USING ERRCODE = 'program_limit_exceeded', HINT = 'Use a larger bucket or a shorter window.';
    END IF;
END
$$;
COMMENT ON FUNCTION query_ml.check_window(integer, interval) IS
    'rejects a NULL, empty or too long window (at most 3650 days) and a bucket that is not between a minute and the window or makes more than 5000 buckets';
