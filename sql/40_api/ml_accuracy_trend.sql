CREATE OR REPLACE FUNCTION @extschema@.ml_accuracy_trend(days integer DEFAULT 30, bucket interval DEFAULT '1 day')
RETURNS TABLE (bucket_start timestamptz, feedback bigint, accuracy double precision, within_10 double precision,
               mean_error double precision, bar text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM query_ml.check_window(days, bucket);
    RETURN QUERY
        WITH buckets AS (
            SELECT b AS start, b + bucket AS stop
              FROM generate_series(date_bin(bucket, now() - make_interval(days => days), timestamptz '2000-01-01'),
                                   now(), bucket) AS b
        )
        SELECT b.start, count(f.id),
               avg(query_ml.estimate_accuracy(f.actual_improvement, o.estimated_improvement))::double precision,
               avg((abs(o.estimated_improvement - f.actual_improvement) <= 10)::integer)::double precision,
               avg(o.estimated_improvement - f.actual_improvement)::double precision,
               CASE WHEN count(f.id) = 0 THEN ''
                    ELSE repeat('█', round(avg(query_ml.estimate_accuracy(f.actual_improvement, o.estimated_improvement)) * 30)::integer)
                         || repeat('░', 30 - round(avg(query_ml.estimate_accuracy(f.actual_improvement, o.estimated_improvement)) * 30)::integer)
                         || format(' %s%%', round(avg(query_ml.estimate_accuracy(f.actual_improvement, o.estimated_improvement)) * 100)) END
          FROM buckets b
          LEFT JOIN query_ml.feedback f ON f.applied_at >= b.start AND f.applied_at < b.stop
          LEFT JOIN query_ml.optimizations o ON o.id = f.optimization_id
         GROUP BY b.start
         ORDER BY b.start;
END
$$;
COMMENT ON FUNCTION @extschema@.ml_accuracy_trend(integer, interval) IS
    'estimation accuracy per bucket (default: each day of the last 30; at most 3650 days and 5000 buckets), with feedback count, share within 10 points, mean signed error and a text bar; ml_accuracy_verdict() says whether it improves';
